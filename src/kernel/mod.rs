//! Reading (and, for the few knobs the labs turn, writing) the kernel's
//! state in /proc and /sys. Plain file I/O, no system calls of our own:
//! these are the numbers `free`, `ipcs` and `sysctl` show, read the same way.

pub mod cgroup;
pub mod credentials;
pub mod hugepages;
pub mod machine;
pub mod maps;
pub mod memcg;
pub mod meminfo;
pub mod own_status;
pub mod smaps;
pub mod sysctl;
pub mod sysvipc;
pub mod task_state;
pub mod zoneinfo;

pub use task_state::process_state;

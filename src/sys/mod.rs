//! The only place in shmlab that calls `libc` or `nix` directly.
//!
//! Every unsafe call the project makes lives here, wrapped once, with a
//! `// SAFETY:` line saying why it is sound. Everything above this module
//! works with safe types: [`mman::Mapping`] for a shared mapping, owned file
//! descriptors, plain ids and [`Errno`] values. Callers attach the context a
//! user needs (which object, what to do) in `crate::error`.

pub mod child_status;
pub mod clock;
pub mod descriptor;
pub mod eventfd;
pub mod file_lock;
pub mod fs;
pub mod futex;
pub mod ipc_id;
pub mod mman;
pub mod mqueue;
pub mod ns;
pub mod perf;
pub mod pid_log;
pub mod placed;
pub mod posix_shm;
pub mod process;
pub mod pthread_mutex;
pub mod semaphore;
pub mod signals;
pub mod sysv_msg;
pub mod sysv_sem;
pub mod xsi;

pub use child_status::ChildStatus;
pub use ipc_id::{Key, SemId, ShmId};
pub use nix::errno::Errno;

/// The errno behind a failed std I/O call (EIO if it has none, as for
/// an unexpected end of file).
pub fn errno_of(e: std::io::Error) -> Errno {
    e.raw_os_error().map_or(Errno::EIO, Errno::from_raw)
}
pub use nix::unistd::Pid;

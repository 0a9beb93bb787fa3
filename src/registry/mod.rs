//! A small registry of the kernel objects shmlab creates, so that
//! `shmlab clean` can remove what a killed shmlab left behind, and nothing
//! else.
//!
//! Every object that outlives a process (SysV segments and semaphore sets,
//! POSIX names in /dev/shm, private temporary directories, a changed
//! sysctl) gets one small JSON file in the runtime directory while it
//! exists: what it is, how to recognise it (key, creator pid, ctime), and
//! which shmlab process owns it. The file is written right after the object
//! is created and deleted right after the object is removed, so after a
//! normal run the registry is empty. After `kill -9` the files stay, and
//! `clean` uses them, checking first that the owner is gone and that the
//! id still names the same object (ids are reused by the kernel).

mod clean;
mod entry;
mod store;

pub use clean::clean;
pub use entry::Entry;
pub use store::{Claim, Record, claim, entries, record, registry_dir};

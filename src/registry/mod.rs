//! A small registry of the kernel objects shmlab creates, so that
//! `shmlab clean` can remove what a killed shmlab left behind, and nothing
//! else.
//!
//! Every object that outlives a process (SysV segments and semaphore sets,
//! POSIX names in /dev/shm, private temporary directories, a changed
//! setting) gets one small JSON file in a private runtime directory while
//! it exists. The file is written *before* the object is created, then
//! updated with the object's identity (its id, or the device and inode of
//! its file), and deleted right after the object is removed: after a normal
//! run the registry is empty, and after `kill -9` at any moment the record
//! is there. `clean` uses it, checking first that the owner is gone and
//! that the object still is the one recorded (ids and names are reused).

mod clean;
mod entry;
mod standing;
mod store;

pub use clean::clean;
pub use entry::{Entry, FileId};
pub use standing::{Standing, remove_if_ours, standing};
pub use store::{Listed, Record, entries, owner_running, random_hex, random_key, record, registry_dir};

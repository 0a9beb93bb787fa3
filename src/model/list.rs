//! `shmlab list`'s record: one object that exists now.

use serde::{Deserialize, Serialize};

/// One object that exists now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// `shm`, `sem`, `msg`, `posix`, or `cgroup` (shmlab's memory cgroups only).
    pub kind: String,
    /// Key in hex for SysV objects, name for /dev/shm.
    pub name: String,
    pub id: Option<i32>,
    pub size_bytes: u64,
    /// Attached processes (segments), semaphores in the set, messages, or
    /// processes in a cgroup.
    pub count: u64,
    pub perms: String,
    pub uid: u32,
    /// `dest` when marked for removal.
    pub status: String,
    /// Registered by shmlab, with its owner's pid.
    pub shmlab_owner: Option<i32>,
    /// That owner is gone: a leftover that `shmlab clean` removes.
    #[serde(default)]
    pub left_behind: bool,
}

//! `sysv-sem`: a System V semaphore set of one, `semget(IPC_PRIVATE)` with
//! value 1. Every `semop` is a system call, even uncontended. `SEM_UNDO`
//! makes the kernel reverse a process's operations when it exits, so a
//! holder that dies releases the semaphore. Removed with `IPC_RMID`.

use super::{Entry, Exclusion};
use crate::error::{Result, SysContext};
use crate::registry;
use crate::sys::{Errno, sysv_sem};

/// A semaphore set this process created; removed once on drop.
pub struct Set {
    id: i32,
    // Last: the registry file goes after Drop has removed the set.
    _record: Option<registry::Record>,
}

impl Set {
    pub fn create() -> Result<Self> {
        let id = sysv_sem::create_private().sys(
            "semget(IPC_PRIVATE)",
            || "a set of 1 semaphore".into(),
            "kernel.sem limits may be exhausted; see `ipcs -s` and `ipcs -ls`",
        )?;
        let mut set = Self { id, _record: None };
        sysv_sem::set_value(id, 1).sys("semctl(SETVAL)", || format!("semaphore set {id}"), "")?;
        // The change time after SETVAL tells this set from a later one that reuses the id.
        let ctime = sysv_sem::change_time(id).unwrap_or(0);
        set._record = Some(registry::record(registry::Entry::SemaphoreSet { semid: id, ctime }));
        Ok(set)
    }

    pub fn handle(&self) -> Handle {
        Handle(self.id)
    }
}

impl Drop for Set {
    fn drop(&mut self) {
        let _ = sysv_sem::remove(self.id);
    }
}

pub struct Handle(i32);

impl Exclusion for Handle {
    fn enter(&mut self) -> std::result::Result<Entry, Errno> {
        sysv_sem::adjust(self.0, -1, true).map(|_| Entry::Clean)
    }
    fn leave(&mut self) -> std::result::Result<(), Errno> {
        sysv_sem::adjust(self.0, 1, true)
    }
}

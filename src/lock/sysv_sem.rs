//! `sysv-sem`: a System V semaphore set of one, `semget(IPC_PRIVATE)` with
//! value 1. Every `semop` is a system call, even uncontended. `SEM_UNDO`
//! makes the kernel reverse a process's operations when it exits, so a
//! holder that dies releases the semaphore. Removed with `IPC_RMID`.

use super::{Entry, Exclusion};
use crate::error::{Result, SysContext};
use crate::sys::{Errno, sysv_sem};

/// A semaphore set this process created; removed once on drop.
pub struct Set {
    id: i32,
}

impl Set {
    pub fn create() -> Result<Self> {
        let id = sysv_sem::create_private().sys(
            "semget(IPC_PRIVATE)",
            || "a set of 1 semaphore".into(),
            "kernel.sem limits may be exhausted; see `ipcs -s` and `ipcs -ls`",
        )?;
        let set = Self { id };
        sysv_sem::set_value(id, 1).sys("semctl(SETVAL)", || format!("semaphore set {id}"), "")?;
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

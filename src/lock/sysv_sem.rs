//! `sysv-sem`: a System V semaphore set of one with value 1. Every `semop`
//! is a system call, even uncontended. `SEM_UNDO` makes the kernel reverse
//! a process's operations when it exits, so a holder that dies releases the
//! semaphore. Removed with `IPC_RMID`.
//!
//! The set gets a random key rather than IPC_PRIVATE: the registry records
//! the key before `semget`, so that a run killed in between still leaves
//! `clean` a way to find exactly this set (an IPC_PRIVATE set has no name
//! to find it by).

use super::{Entry, Exclusion};
use crate::error::{Error, Result, SysContext};
use crate::registry;
use crate::sys::{Errno, SemId, sysv_sem};

/// Keys tried before giving up (each collision means another set has it).
const KEY_ATTEMPTS: usize = 16;

/// A semaphore set this process created; removed once on drop.
pub struct Set {
    id: SemId,
    record: registry::Record,
}

impl Set {
    pub fn create() -> Result<Self> {
        for _ in 0..KEY_ATTEMPTS {
            let key = registry::random_key();
            let record = registry::record(registry::Entry::SemaphoreSet { key, semid: None, ctime: None })?;
            let id = match sysv_sem::create_exclusive(key) {
                Ok(id) => id,
                Err(Errno::EEXIST) => continue,
                Err(errno) => {
                    return Err(Error::sys(
                        "semget",
                        &crate::tr!("lock-sysv-sem-set", key = format!("{key:#010x}")),
                        errno,
                        &crate::i18n::t("lock-sysv-sem-limits-hint"),
                    ));
                }
            };
            // From here the set is removed on drop, whatever fails next.
            let mut set = Self { id, record };
            sysv_sem::set_value(id, 1).sys("semctl(SETVAL)", || crate::tr!("lock-sysv-sem-set-id", id = id), "")?;
            // The change time after SETVAL tells this set from a later one that reuses the id.
            let ctime = sysv_sem::change_time(id).ok();
            set.record.update(registry::Entry::SemaphoreSet { key, semid: Some(id), ctime })?;
            return Ok(set);
        }
        Err(Error::usage(crate::tr!("lock-sysv-sem-keys-taken", attempts = KEY_ATTEMPTS)))
    }

    pub fn handle(&self) -> Handle {
        Handle(self.id)
    }

    pub fn id(&self) -> SemId {
        self.id
    }
}

impl Drop for Set {
    fn drop(&mut self) {
        let _ = sysv_sem::remove(self.id);
    }
}

pub struct Handle(SemId);

impl Exclusion for Handle {
    fn enter(&mut self) -> std::result::Result<Entry, Errno> {
        sysv_sem::adjust(self.0, -1, true).map(|_| Entry::Clean)
    }
    fn leave(&mut self) -> std::result::Result<(), Errno> {
        sysv_sem::adjust(self.0, 1, true)
    }
}

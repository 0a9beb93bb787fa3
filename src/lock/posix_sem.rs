//! `posix-sem`: an unnamed POSIX semaphore (`sem_init(pshared = 1)`) living
//! inside the shared region itself. Uncontended, `sem_wait`/`sem_post` are
//! one atomic instruction each (a futex word); only a waiter sleeps in the
//! kernel. Nothing records who holds it, so a holder that dies keeps it.

use super::{Entry, Exclusion};
use crate::error::{Result, SysContext};
use crate::sys::Errno;
use crate::sys::mman::Mapping;
use crate::sys::semaphore::{PlacedSemaphore, UnnamedSemaphore};

pub fn init(region: &Mapping, offset: usize) -> Result<PlacedSemaphore> {
    UnnamedSemaphore::init(region, offset, 1).sys("sem_init(pshared=1)", || crate::i18n::t("lock-shared-region"), "")
}

pub fn at(view: &Mapping, placed: PlacedSemaphore) -> std::result::Result<PosixSem<'_>, Errno> {
    UnnamedSemaphore::at(view, placed).map(PosixSem)
}

pub struct PosixSem<'m>(UnnamedSemaphore<'m>);

impl Exclusion for PosixSem<'_> {
    fn enter(&mut self) -> std::result::Result<Entry, Errno> {
        self.0.wait().map(|_| Entry::Clean)
    }
    fn leave(&mut self) -> std::result::Result<(), Errno> {
        self.0.post()
    }
}

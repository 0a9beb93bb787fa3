//! `mutex` / `mutex-nonrobust`: a `PTHREAD_PROCESS_SHARED` pthread mutex in
//! the shared region. Uncontended it is one atomic compare-and-swap (the
//! futex fast path). The robust one is on a per-thread list the kernel walks
//! when the thread dies, so the next locker gets EOWNERDEAD instead of
//! waiting forever; it then calls `pthread_mutex_consistent` and goes on.

use super::{Entry, Exclusion};
use crate::error::{Result, SysContext};
use crate::sys::Errno;
use crate::sys::mman::Mapping;
use crate::sys::pthread_mutex::{Acquired, PlacedMutex, SharedMutex};

pub fn init(region: &Mapping, offset: usize, robust: bool) -> Result<PlacedMutex> {
    SharedMutex::init(region, offset, robust).sys(
        "pthread_mutex_init(PTHREAD_PROCESS_SHARED)",
        || crate::i18n::t("lock-shared-region"),
        "",
    )
}

pub fn at(view: &Mapping, placed: PlacedMutex) -> std::result::Result<Mutex<'_>, Errno> {
    SharedMutex::at(view, placed).map(Mutex)
}

pub struct Mutex<'m>(SharedMutex<'m>);

impl Exclusion for Mutex<'_> {
    fn enter(&mut self) -> std::result::Result<Entry, Errno> {
        match self.0.lock()? {
            Acquired::Clean => Ok(Entry::Clean),
            Acquired::OwnerDied => {
                self.0.make_consistent()?;
                Ok(Entry::RepairedAfterOwnerDied)
            }
        }
    }
    fn leave(&mut self) -> std::result::Result<(), Errno> {
        self.0.unlock()
    }
}

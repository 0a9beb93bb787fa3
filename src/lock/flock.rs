//! `flock`: a whole-file lock owned by the open file description. Each child
//! must `open` the file itself; children that share the parent's
//! descriptor share one description and so do not exclude each other
//! ([`Inherited`], the pitfall the lab shows on purpose).

use std::fs::File;
use std::os::fd::AsFd;

use super::lock_file::LockFile;
use super::{Entry, Exclusion};
use crate::sys::Errno;
use crate::sys::file_lock;

/// A child's own open file description of the lock file.
pub struct Flock(File);

impl Flock {
    pub fn open(file: &LockFile) -> Result<Self, Errno> {
        file.open_again().map(Flock)
    }
}

impl Exclusion for Flock {
    fn enter(&mut self) -> Result<Entry, Errno> {
        file_lock::flock_exclusive(self.0.as_fd()).map(|_| Entry::Clean)
    }
    fn leave(&mut self) -> Result<(), Errno> {
        file_lock::flock_unlock(self.0.as_fd())
    }
}

/// flock on the descriptor inherited from the parent: every child's
/// `LOCK_EX` is granted at once, because they all are the same holder.
pub struct Inherited<'a>(&'a File);

impl<'a> Inherited<'a> {
    pub fn new(file: &'a LockFile) -> Self {
        Self(file.inherited().expect("flock-inherited opens the file in the parent"))
    }
}

impl Exclusion for Inherited<'_> {
    fn enter(&mut self) -> Result<Entry, Errno> {
        file_lock::flock_exclusive(self.0.as_fd()).map(|_| Entry::Clean)
    }
    fn leave(&mut self) -> Result<(), Errno> {
        file_lock::flock_unlock(self.0.as_fd())
    }
}

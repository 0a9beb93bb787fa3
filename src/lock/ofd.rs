//! `fcntl(F_OFD_SETLKW)`: a record lock owned by the open file description,
//! like flock, with byte ranges like POSIX locks. Each child opens the file.

use std::fs::File;
use std::os::fd::AsFd;

use super::lock_file::LockFile;
use super::{Entry, Exclusion};
use crate::sys::Errno;
use crate::sys::file_lock;

pub struct Ofd(File);

impl Ofd {
    pub fn open(file: &LockFile) -> Result<Self, Errno> {
        file.open_again().map(Ofd)
    }
}

impl Exclusion for Ofd {
    fn enter(&mut self) -> Result<Entry, Errno> {
        file_lock::ofd_lock(self.0.as_fd()).map(|_| Entry::Clean)
    }
    fn leave(&mut self) -> Result<(), Errno> {
        file_lock::ofd_unlock(self.0.as_fd())
    }
}

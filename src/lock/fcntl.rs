//! `fcntl(F_SETLKW)`: a POSIX record lock, owned by the process. Children
//! can use the descriptor they inherited: each child is its own owner. (The
//! classic trap of these locks, that closing *any* descriptor of the file
//! drops all of the process's locks on it, does not arise here: children
//! close nothing.)

use std::fs::File;
use std::os::fd::AsFd;

use super::lock_file::LockFile;
use super::{Entry, Exclusion};
use crate::sys::Errno;
use crate::sys::file_lock;

pub struct Fcntl<'a>(&'a File);

impl<'a> Fcntl<'a> {
    pub fn new(file: &'a LockFile) -> Self {
        Self(file.inherited().expect("fcntl opens the file in the parent"))
    }
}

impl Exclusion for Fcntl<'_> {
    fn enter(&mut self) -> Result<Entry, Errno> {
        file_lock::posix_lock(self.0.as_fd()).map(|_| Entry::Clean)
    }
    fn leave(&mut self) -> Result<(), Errno> {
        file_lock::posix_unlock(self.0.as_fd())
    }
}

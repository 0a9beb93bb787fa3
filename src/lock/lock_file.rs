//! The lock file that flock, fcntl and OFD locks lock: an empty file in a
//! private temporary directory, removed with the directory on drop.

use std::fs::{File, OpenOptions};
use std::path::PathBuf;

use crate::error::Result;
use crate::sys::Errno;

pub struct LockFile {
    path: PathBuf,
    /// Opened by the parent before fork, for the kinds that use an
    /// inherited descriptor (fcntl, and the flock-inherited pitfall).
    inherited: Option<File>,
    _dir: crate::region::PrivateDir,
}

impl LockFile {
    pub fn create(open_in_parent: bool) -> Result<Self> {
        let dir = crate::region::private_dir()?;
        let (path, file) = dir.create_file("lock")?;
        Ok(Self { path, inherited: open_in_parent.then_some(file), _dir: dir })
    }

    /// The descriptor the parent opened (only for kinds that asked for it).
    pub fn inherited(&self) -> Option<&File> {
        self.inherited.as_ref()
    }

    /// A new open file description of the lock file (in a child).
    pub fn open_again(&self) -> std::result::Result<File, Errno> {
        OpenOptions::new().read(true).write(true).open(&self.path).map_err(crate::sys::errno_of)
    }
}

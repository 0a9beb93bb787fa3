//! `eventfd(2)`: a counter in the kernel behind a descriptor, the pollable
//! way for one process to wake another.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use super::Errno;

/// An eventfd; closed when it drops.
#[derive(Debug)]
pub struct EventFd(OwnedFd);

impl EventFd {
    /// `eventfd(0, EFD_CLOEXEC)`: blocking reads and writes.
    pub fn new() -> Result<Self, Errno> {
        let fd = nix::sys::eventfd::EventFd::from_value_and_flags(0, nix::sys::eventfd::EfdFlags::EFD_CLOEXEC)?;
        Ok(Self(fd.into()))
    }

    /// Adds `n` to the counter, waking a reader.
    pub fn signal(&self, n: u64) -> Result<(), Errno> {
        loop {
            match nix::unistd::write(&self.0, &n.to_ne_bytes()) {
                Ok(_) => return Ok(()),
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Blocks until the counter is non-zero, then takes it (returns it and
    /// sets it to 0).
    pub fn wait(&self) -> Result<u64, Errno> {
        let mut buf = [0u8; 8];
        loop {
            match nix::unistd::read(&self.0, &mut buf) {
                Ok(_) => return Ok(u64::from_ne_bytes(buf)),
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

impl AsFd for EventFd {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.0.as_fd()
    }
}

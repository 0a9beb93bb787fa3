//! Advisory file locks: `flock`, POSIX record locks (`F_SETLKW`) and
//! open-file-description locks (`F_OFD_SETLKW`).
//!
//! They differ in who owns the lock: a `flock` or OFD lock belongs to the
//! open file description (shared by every descriptor `dup`ed or inherited
//! from one `open`), a POSIX record lock belongs to the process. All three
//! are released by the kernel when their owner goes away.

use std::os::fd::{AsRawFd, BorrowedFd};

use nix::errno::Errno;

fn retry_eintr(mut call: impl FnMut() -> libc::c_int) -> Result<(), Errno> {
    loop {
        match Errno::result(call()) {
            Err(Errno::EINTR) => continue,
            other => return other.map(drop),
        }
    }
}

/// `flock(fd, LOCK_EX)`, waiting as long as it takes.
pub fn flock_exclusive(fd: BorrowedFd<'_>) -> Result<(), Errno> {
    let raw = fd.as_raw_fd();
    // SAFETY: flock takes a descriptor (valid: borrowed) and a constant.
    retry_eintr(|| unsafe { libc::flock(raw, libc::LOCK_EX) })
}

/// `flock(fd, LOCK_UN)`.
pub fn flock_unlock(fd: BorrowedFd<'_>) -> Result<(), Errno> {
    let raw = fd.as_raw_fd();
    // SAFETY: as above.
    retry_eintr(|| unsafe { libc::flock(raw, libc::LOCK_UN) })
}

/// A whole-file write lock or unlock request.
fn whole_file(kind: libc::c_int) -> libc::flock {
    // SAFETY: flock is plain data; all-zero is a valid value (and l_pid must
    // be 0 for OFD locks).
    let mut request: libc::flock = unsafe { std::mem::zeroed() };
    request.l_type = kind as libc::c_short;
    request.l_whence = libc::SEEK_SET as libc::c_short;
    request
}

fn fcntl_lock(fd: BorrowedFd<'_>, command: libc::c_int, kind: libc::c_int) -> Result<(), Errno> {
    let raw = fd.as_raw_fd();
    let request = whole_file(kind);
    // SAFETY: the request struct outlives the call; the descriptor is valid.
    retry_eintr(|| unsafe { libc::fcntl(raw, command, &request) })
}

/// `fcntl(fd, F_SETLKW, write lock on the whole file)`: a per-process lock.
pub fn posix_lock(fd: BorrowedFd<'_>) -> Result<(), Errno> {
    fcntl_lock(fd, libc::F_SETLKW, libc::F_WRLCK)
}

/// `fcntl(fd, F_SETLK, unlock)`.
pub fn posix_unlock(fd: BorrowedFd<'_>) -> Result<(), Errno> {
    fcntl_lock(fd, libc::F_SETLK, libc::F_UNLCK)
}

/// `fcntl(fd, F_OFD_SETLKW, write lock)`: owned by the open file description.
pub fn ofd_lock(fd: BorrowedFd<'_>) -> Result<(), Errno> {
    fcntl_lock(fd, libc::F_OFD_SETLKW, libc::F_WRLCK)
}

/// `fcntl(fd, F_OFD_SETLK, unlock)`.
pub fn ofd_unlock(fd: BorrowedFd<'_>) -> Result<(), Errno> {
    fcntl_lock(fd, libc::F_OFD_SETLK, libc::F_UNLCK)
}

/// `flock(fd, LOCK_EX|LOCK_NB)`: `Ok(false)` if someone else holds it.
pub fn flock_try_exclusive(fd: BorrowedFd<'_>) -> Result<bool, Errno> {
    let raw = fd.as_raw_fd();
    // SAFETY: flock takes a descriptor (valid: borrowed) and constants.
    match retry_eintr(|| unsafe { libc::flock(raw, libc::LOCK_EX | libc::LOCK_NB) }) {
        Ok(()) => Ok(true),
        Err(Errno::EWOULDBLOCK) => Ok(false),
        Err(e) => Err(e),
    }
}

/// `flock(fd, LOCK_SH|LOCK_NB)`: `Ok(false)` if someone holds it exclusively.
pub fn flock_try_shared(fd: BorrowedFd<'_>) -> Result<bool, Errno> {
    let raw = fd.as_raw_fd();
    // SAFETY: flock takes a descriptor (valid: borrowed) and constants.
    match retry_eintr(|| unsafe { libc::flock(raw, libc::LOCK_SH | libc::LOCK_NB) }) {
        Ok(()) => Ok(true),
        Err(Errno::EWOULDBLOCK) => Ok(false),
        Err(e) => Err(e),
    }
}

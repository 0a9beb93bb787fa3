//! POSIX shared memory objects (`shm_open`, files in /dev/shm) and memfds.

use std::os::fd::{AsFd, OwnedFd};

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::memfd::MFdFlags;
use nix::sys::stat::Mode;

/// Where glibc's `shm_open` and `sem_open` keep their objects: a tmpfs.
pub const SHM_DIR: &str = "/dev/shm";

/// `/dev/shm/NAME`, the file behind the POSIX name `/NAME`.
pub fn object_path(name: &str) -> String {
    format!("{SHM_DIR}/{}", name.trim_start_matches('/'))
}

/// `/dev/shm/sem.NAME`, the file behind the named semaphore `/NAME`.
pub fn semaphore_path(name: &str) -> String {
    format!("{SHM_DIR}/sem.{}", name.trim_start_matches('/'))
}

/// `shm_open(name, O_RDWR|O_CREAT|O_EXCL, 0600)`: a new object, or EEXIST.
pub fn create_exclusive(name: &str) -> Result<OwnedFd, Errno> {
    nix::sys::mman::shm_open(
        name,
        OFlag::O_RDWR | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_CLOEXEC,
        Mode::S_IRUSR | Mode::S_IWUSR,
    )
}

/// `shm_open(name, O_RDWR, 0)`: an existing object.
pub fn open_existing(name: &str) -> Result<OwnedFd, Errno> {
    nix::sys::mman::shm_open(name, OFlag::O_RDWR | OFlag::O_CLOEXEC, Mode::empty())
}

/// `shm_unlink(name)`: removes the name; the memory goes with its last user.
pub fn unlink(name: &str) -> Result<(), Errno> {
    nix::sys::mman::shm_unlink(name)
}

/// `memfd_create(name, MFD_CLOEXEC [| MFD_HUGETLB | size])`.
pub fn memfd(name: &str, huge_page_bytes: Option<usize>) -> Result<OwnedFd, Errno> {
    let mut flags = MFdFlags::MFD_CLOEXEC;
    if let Some(bytes) = huge_page_bytes {
        flags |= MFdFlags::MFD_HUGETLB;
        let log2 = bytes.trailing_zeros();
        flags |= MFdFlags::from_bits_retain(log2 << libc::MFD_HUGE_SHIFT);
    }
    nix::sys::memfd::memfd_create(name, flags)
}

/// `posix_fallocate(fd, 0, len)`: allocates the whole file now, so that a
/// full file system is an ENOSPC here instead of a SIGBUS at first touch.
pub fn allocate(fd: impl AsFd, len: usize) -> Result<(), Errno> {
    let len = libc::off_t::try_from(len).map_err(|_| Errno::EFBIG)?;
    nix::fcntl::posix_fallocate(fd, 0, len)
}

/// `ftruncate(fd, len)`: sets the size of a file, shm object or memfd.
pub fn set_len(fd: impl AsFd, len: usize) -> Result<(), Errno> {
    let len = libc::off_t::try_from(len).map_err(|_| Errno::EFBIG)?;
    nix::unistd::ftruncate(fd, len)
}

//! POSIX semaphores: unnamed ones placed in shared memory (`sem_init` with
//! pshared = 1) and named ones (`sem_open`, a file `sem.NAME` in /dev/shm).
//! Neither is released when a holder dies: the count is just memory.

use std::ffi::CString;
use std::marker::PhantomData;

use nix::errno::Errno;

use super::mman::Mapping;
use super::placed::Placed;

/// Bytes an unnamed semaphore takes in a mapping.
pub const SEM_BYTES: usize = std::mem::size_of::<libc::sem_t>();

fn wait_retrying(sem: *mut libc::sem_t) -> Result<(), Errno> {
    loop {
        // SAFETY: callers pass a pointer to an initialized, live semaphore
        // (an UnnamedSemaphore from its init token, or a NamedSemaphore).
        match Errno::result(unsafe { libc::sem_wait(sem) }) {
            Err(Errno::EINTR) => continue,
            other => return other.map(drop),
        }
    }
}

fn post(sem: *mut libc::sem_t) -> Result<(), Errno> {
    // SAFETY: as above.
    Errno::result(unsafe { libc::sem_post(sem) }).map(drop)
}

/// The token [`UnnamedSemaphore::init`] returns: a semaphore exists there.
pub type PlacedSemaphore = Placed<UnnamedSemaphore<'static>>;

/// An unnamed process-shared semaphore at a fixed offset of a mapping.
pub struct UnnamedSemaphore<'m> {
    sem: *mut libc::sem_t,
    _mapping: PhantomData<&'m Mapping>,
}

impl<'m> UnnamedSemaphore<'m> {
    /// `sem_init(addr, 1, value)` at `offset` of `mapping` (once, in the
    /// creator); the token it returns is what [`UnnamedSemaphore::at`] needs.
    pub fn init(mapping: &Mapping, offset: usize, value: u32) -> Result<PlacedSemaphore, Errno> {
        let sem = mapping.byte_ptr(offset, SEM_BYTES).cast::<libc::sem_t>();
        // SAFETY: the pointer is in bounds and aligned (offsets are multiples
        // of 64 in a page-aligned mapping); pshared=1 because other
        // processes use it through their own mappings.
        Errno::result(unsafe { libc::sem_init(sem, 1, value) })?;
        Ok(Placed::new(mapping, offset))
    }

    /// The semaphore that `init` placed, seen through `mapping` (in any
    /// process; EINVAL if `mapping` shows another object).
    pub fn at(mapping: &'m Mapping, placed: PlacedSemaphore) -> Result<Self, Errno> {
        Ok(Self { sem: placed.locate(mapping, SEM_BYTES)?.cast(), _mapping: PhantomData })
    }

    pub fn wait(&self) -> Result<(), Errno> {
        wait_retrying(self.sem)
    }

    pub fn post(&self) -> Result<(), Errno> {
        post(self.sem)
    }
}

/// A named semaphore opened by this process; closed on drop (the name is
/// removed separately with [`unlink_named`], by its creator).
pub struct NamedSemaphore {
    sem: *mut libc::sem_t,
}

impl std::fmt::Debug for NamedSemaphore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NamedSemaphore")
    }
}

impl NamedSemaphore {
    /// `sem_open(name, O_CREAT|O_EXCL, 0600, value)`.
    pub fn create_exclusive(name: &str, value: u32) -> Result<Self, Errno> {
        let c_name = CString::new(name).map_err(|_| Errno::EINVAL)?;
        let mode: libc::c_uint = 0o600;
        // SAFETY: c_name is NUL-terminated; with O_CREAT sem_open takes a
        // mode and a value as variadic arguments, passed as c_uint.
        let sem = unsafe { libc::sem_open(c_name.as_ptr(), libc::O_CREAT | libc::O_EXCL, mode, value) };
        if sem == libc::SEM_FAILED { Err(Errno::last()) } else { Ok(Self { sem }) }
    }

    pub fn wait(&self) -> Result<(), Errno> {
        wait_retrying(self.sem)
    }

    pub fn post(&self) -> Result<(), Errno> {
        post(self.sem)
    }
}

impl Drop for NamedSemaphore {
    fn drop(&mut self) {
        // SAFETY: sem came from sem_open and is closed once.
        let _ = unsafe { libc::sem_close(self.sem) };
    }
}

/// `sem_unlink(name)`.
pub fn unlink_named(name: &str) -> Result<(), Errno> {
    let c_name = CString::new(name).map_err(|_| Errno::EINVAL)?;
    // SAFETY: c_name is NUL-terminated.
    Errno::result(unsafe { libc::sem_unlink(c_name.as_ptr()) }).map(drop)
}

//! Process-shared pthread mutexes placed in shared memory, robust or not.
//!
//! A robust mutex whose owner dies is handed to the next locker with
//! EOWNERDEAD; that locker repairs it with `pthread_mutex_consistent`. A
//! non-robust one stays locked by the dead owner forever.

use std::marker::PhantomData;

use nix::errno::Errno;

use super::mman::Mapping;
use super::placed::Placed;

/// Bytes a mutex takes in a mapping.
pub const MUTEX_BYTES: usize = std::mem::size_of::<libc::pthread_mutex_t>();

/// What a successful lock found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acquired {
    /// The usual case.
    Clean,
    /// The previous owner died holding it (robust mutexes only); the caller
    /// now owns it and must call [`SharedMutex::make_consistent`].
    OwnerDied,
}

/// The token [`SharedMutex::init`] returns: a mutex exists there.
pub type PlacedMutex = Placed<SharedMutex<'static>>;

/// A mutex at a fixed offset of a shared mapping.
pub struct SharedMutex<'m> {
    mutex: *mut libc::pthread_mutex_t,
    _mapping: PhantomData<&'m Mapping>,
}

fn check(rc: libc::c_int) -> Result<(), Errno> {
    if rc == 0 { Ok(()) } else { Err(Errno::from_raw(rc)) }
}

impl<'m> SharedMutex<'m> {
    /// Initializes a PTHREAD_PROCESS_SHARED mutex (robust if asked) at
    /// `offset` of `mapping`. Once, in the creating process; the token it
    /// returns is what [`SharedMutex::at`] needs.
    pub fn init(mapping: &Mapping, offset: usize, robust: bool) -> Result<PlacedMutex, Errno> {
        let mutex = mapping.byte_ptr(offset, MUTEX_BYTES).cast::<libc::pthread_mutex_t>();
        let mut attr = std::mem::MaybeUninit::<libc::pthread_mutexattr_t>::uninit();
        // SAFETY: attr is initialized by pthread_mutexattr_init before use
        // and destroyed after; mutex points into the mapping, in bounds and
        // aligned (offsets are multiples of 64 in a page-aligned mapping).
        unsafe {
            check(libc::pthread_mutexattr_init(attr.as_mut_ptr()))?;
            let result = check(libc::pthread_mutexattr_setpshared(attr.as_mut_ptr(), libc::PTHREAD_PROCESS_SHARED))
                .and_then(|_| {
                    if robust {
                        check(libc::pthread_mutexattr_setrobust(attr.as_mut_ptr(), libc::PTHREAD_MUTEX_ROBUST))
                    } else {
                        Ok(())
                    }
                })
                .and_then(|_| check(libc::pthread_mutex_init(mutex, attr.as_ptr())));
            libc::pthread_mutexattr_destroy(attr.as_mut_ptr());
            result?;
        }
        Ok(Placed::new(mapping, offset))
    }

    /// The mutex that `init` placed, seen through `mapping` (in any process;
    /// EINVAL if `mapping` shows another object).
    pub fn at(mapping: &'m Mapping, placed: PlacedMutex) -> Result<Self, Errno> {
        Ok(Self { mutex: placed.locate(mapping, MUTEX_BYTES)?.cast(), _mapping: PhantomData })
    }

    pub fn lock(&self) -> Result<Acquired, Errno> {
        // SAFETY: `at` only builds a SharedMutex from the token `init`
        // returned, over a mapping of the same object that self borrows.
        match unsafe { libc::pthread_mutex_lock(self.mutex) } {
            0 => Ok(Acquired::Clean),
            libc::EOWNERDEAD => Ok(Acquired::OwnerDied),
            rc => Err(Errno::from_raw(rc)),
        }
    }

    /// `pthread_mutex_consistent`: after EOWNERDEAD, mark the state repaired.
    pub fn make_consistent(&self) -> Result<(), Errno> {
        // SAFETY: as above; called by the current owner.
        check(unsafe { libc::pthread_mutex_consistent(self.mutex) })
    }

    pub fn unlock(&self) -> Result<(), Errno> {
        // SAFETY: as above; called by the current owner.
        check(unsafe { libc::pthread_mutex_unlock(self.mutex) })
    }
}

//! Protections for the racing lab's critical section: one file per kind.
//!
//! A [`Lock`] is the parent's side: whatever must exist before the children
//! are forked (a lock file, a semaphore set, a mutex in the shared region),
//! removed exactly once when it drops. Each child calls
//! [`Lock::open_in_child`] to get its own [`ChildLock`], opening the lock
//! file itself where the kind needs that (flock and OFD locks belong to the
//! open file description, so children must not share the parent's).

mod atomic;
mod fcntl;
mod flock;
mod lock_file;
mod mutex;
mod named_sem;
mod ofd;
mod posix_sem;
pub mod sysv_sem;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::sys::Errno;
use crate::sys::mman::Mapping;
use crate::sys::pthread_mutex::PlacedMutex;
use crate::sys::semaphore::PlacedSemaphore;

pub use atomic::increment_atomically;

/// The protections, as named on the command line and in JSON.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
    clap::ValueEnum,
    strum::IntoStaticStr,
    strum::Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum LockKind {
    /// No protection: the article's race.
    None,
    /// No lock: one atomic fetch_add instead of read, sleep, write.
    Atomic,
    /// flock(LOCK_EX); each child opens the lock file itself.
    Flock,
    /// fcntl(F_SETLKW) POSIX record lock, per process.
    Fcntl,
    /// fcntl(F_OFD_SETLKW) open-file-description lock; each child opens the file.
    Ofd,
    /// Unnamed POSIX semaphore (sem_init, pshared) inside the shared region.
    PosixSem,
    /// Named POSIX semaphore (sem_open, a file in /dev/shm).
    NamedSem,
    /// System V semaphore (semget + semop with SEM_UNDO).
    SysvSem,
    /// Robust process-shared pthread mutex inside the shared region.
    Mutex,
    /// Process-shared pthread mutex without the robust attribute.
    MutexNonrobust,
    /// Pitfall: flock on the descriptor the parent opened before fork.
    FlockInherited,
}

impl LockKind {
    pub const ALL: [LockKind; 11] = [
        LockKind::None,
        LockKind::Atomic,
        LockKind::Flock,
        LockKind::Fcntl,
        LockKind::Ofd,
        LockKind::PosixSem,
        LockKind::NamedSem,
        LockKind::SysvSem,
        LockKind::Mutex,
        LockKind::MutexNonrobust,
        LockKind::FlockInherited,
    ];

    /// The name used on the command line and in JSON: one kebab-case
    /// spelling that clap, serde and strum all derive from the variant (a
    /// test checks they agree).
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// Whether it really excludes the other children.
    pub fn protects(self) -> bool {
        !matches!(self, LockKind::None | LockKind::FlockInherited)
    }

    /// Whether there is something a process can hold (and die holding).
    pub fn can_be_held(self) -> bool {
        !matches!(self, LockKind::None | LockKind::Atomic)
    }

    /// What this protection is and why it works (or not), in the chosen
    /// language (the catalogs' `lock-<name>` messages).
    pub fn explanation(self) -> String {
        crate::i18n::t(&format!("lock-{}", self.name()))
    }
}

/// What entering the critical section found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Clean,
    /// A robust mutex's previous owner died holding it; it was repaired.
    RepairedAfterOwnerDied,
}

/// Entering and leaving a critical section, as one child sees it.
pub trait Exclusion {
    fn enter(&mut self) -> std::result::Result<Entry, Errno>;
    fn leave(&mut self) -> std::result::Result<(), Errno>;
}

/// The parent's side of a lock: created before fork, removed on drop.
pub struct Lock {
    kind: LockKind,
    state: State,
}

enum State {
    Nothing,
    File(lock_file::LockFile),
    Named(named_sem::Named),
    SysV(sysv_sem::Set),
    /// A semaphore initialized inside the shared region.
    Semaphore(PlacedSemaphore),
    /// A pthread mutex initialized inside the shared region.
    Mutex(PlacedMutex),
}

impl Lock {
    /// Creates what `kind` needs; `region` hosts in-memory locks at `offset`.
    pub fn prepare(kind: LockKind, region: &Mapping, offset: usize) -> Result<Self> {
        let state = match kind {
            LockKind::None | LockKind::Atomic => State::Nothing,
            LockKind::Flock | LockKind::Fcntl | LockKind::Ofd | LockKind::FlockInherited => {
                State::File(lock_file::LockFile::create(kind == LockKind::Fcntl || kind == LockKind::FlockInherited)?)
            }
            LockKind::NamedSem => State::Named(named_sem::Named::create()?),
            LockKind::SysvSem => State::SysV(sysv_sem::Set::create()?),
            LockKind::PosixSem => State::Semaphore(posix_sem::init(region, offset)?),
            LockKind::Mutex | LockKind::MutexNonrobust => {
                State::Mutex(mutex::init(region, offset, kind == LockKind::Mutex)?)
            }
        };
        Ok(Self { kind, state })
    }

    pub fn kind(&self) -> LockKind {
        self.kind
    }

    /// In a forked child: this child's handle, reached through its own view
    /// of the region.
    pub fn open_in_child<'a>(&'a self, view: &'a Mapping) -> std::result::Result<ChildLock<'a>, Errno> {
        Ok(match (&self.state, self.kind) {
            (State::Nothing, LockKind::Atomic) => ChildLock::Atomic,
            (State::Nothing, _) => ChildLock::None,
            (State::File(file), LockKind::Flock) => ChildLock::Flock(flock::Flock::open(file)?),
            (State::File(file), LockKind::FlockInherited) => ChildLock::FlockInherited(flock::Inherited::new(file)),
            (State::File(file), LockKind::Ofd) => ChildLock::Ofd(ofd::Ofd::open(file)?),
            (State::File(file), _) => ChildLock::Fcntl(fcntl::Fcntl::new(file)),
            (State::Named(named), _) => ChildLock::NamedSem(named.handle()),
            (State::SysV(set), _) => ChildLock::SysvSem(set.handle()),
            (State::Semaphore(placed), _) => ChildLock::PosixSem(posix_sem::at(view, *placed)?),
            (State::Mutex(placed), _) => ChildLock::Mutex(mutex::at(view, *placed)?),
        })
    }
}

/// One child's handle on a lock.
pub enum ChildLock<'a> {
    None,
    Atomic,
    Flock(flock::Flock),
    FlockInherited(flock::Inherited<'a>),
    Fcntl(fcntl::Fcntl<'a>),
    Ofd(ofd::Ofd),
    PosixSem(posix_sem::PosixSem<'a>),
    NamedSem(named_sem::Handle<'a>),
    SysvSem(sysv_sem::Handle),
    Mutex(mutex::Mutex<'a>),
}

impl Exclusion for ChildLock<'_> {
    fn enter(&mut self) -> std::result::Result<Entry, Errno> {
        match self {
            ChildLock::None | ChildLock::Atomic => Ok(Entry::Clean),
            ChildLock::Flock(l) => l.enter(),
            ChildLock::FlockInherited(l) => l.enter(),
            ChildLock::Fcntl(l) => l.enter(),
            ChildLock::Ofd(l) => l.enter(),
            ChildLock::PosixSem(l) => l.enter(),
            ChildLock::NamedSem(l) => l.enter(),
            ChildLock::SysvSem(l) => l.enter(),
            ChildLock::Mutex(l) => l.enter(),
        }
    }

    fn leave(&mut self) -> std::result::Result<(), Errno> {
        match self {
            ChildLock::None | ChildLock::Atomic => Ok(()),
            ChildLock::Flock(l) => l.leave(),
            ChildLock::FlockInherited(l) => l.leave(),
            ChildLock::Fcntl(l) => l.leave(),
            ChildLock::Ofd(l) => l.leave(),
            ChildLock::PosixSem(l) => l.leave(),
            ChildLock::NamedSem(l) => l.leave(),
            ChildLock::SysvSem(l) => l.leave(),
            ChildLock::Mutex(l) => l.leave(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lock_is_explained_in_the_catalog() {
        for kind in LockKind::ALL {
            let text = kind.explanation();
            assert!(!text.starts_with("lock-") && text.len() > 20, "{}: {text}", kind.name());
        }
    }
}

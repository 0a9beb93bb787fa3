//! The crash lab's record: what the waiters experienced when the holder of
//! one lock was killed.

use serde::{Deserialize, Serialize};

use crate::lock::LockKind;
use crate::region::Backend;

/// What the waiters experienced when the lock holder was killed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CrashVerdict {
    /// The kernel released the lock with its holder (file locks).
    Recovered,
    /// SEM_UNDO reversed the dead holder's operation (SysV semaphores).
    Undone,
    /// The next locker was told EOWNERDEAD and repaired it (robust mutex).
    OwnerDeadRepaired,
    /// Nobody got the lock within the patience window; waiters were killed.
    Stuck,
    /// The waiters never waited: the "lock" did not exclude them at all.
    NoExclusion,
}

impl CrashVerdict {
    pub fn describe(self, lock: LockKind) -> String {
        match self {
            CrashVerdict::Recovered => {
                format!("recovered: the kernel dropped the {lock} lock when its holder died, and a waiter took it")
            }
            CrashVerdict::Undone => {
                "undone: SEM_UNDO reversed the dead holder's semop, so the semaphore went back to 1".to_string()
            }
            CrashVerdict::OwnerDeadRepaired => "owner-dead reported and repaired: the next locker got EOWNERDEAD \
                                                and called pthread_mutex_consistent"
                .to_string(),
            CrashVerdict::Stuck if lock == LockKind::MutexNonrobust => "stuck: the futex word still says locked (1, \
                 or 2 with waiters); the dead owner's thread id is only in __owner, which nothing acts on, so no \
                 waiter gets it (the waiters were killed)"
                .to_string(),
            CrashVerdict::Stuck => format!(
                "stuck: a {lock} is only a counter with no owner, so the kernel has nothing to undo when the \
                 process dies; its decrement stays and no waiter ever gets through (the waiters were killed)"
            ),
            CrashVerdict::NoExclusion => {
                format!(
                    "no exclusion: the waiters got the {lock} while its holder was alive, so its death changes nothing"
                )
            }
        }
    }
}

/// One lock of the crash experiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CrashRecord {
    pub lock: LockKind,
    pub backend: Backend,
    pub verdict: CrashVerdict,
    /// The verdict in words.
    pub outcome: String,
    /// From the SIGKILL of the holder to the first waiter holding the lock, in ms.
    pub recovered_after_ms: Option<f64>,
    /// Waiters started; each adds one to the counter if it gets the lock.
    pub waiters: u32,
    /// Waiters still waiting at the end of the patience window, then killed.
    pub waiters_killed: u32,
    /// How long the waiters were given after the kill, in ms.
    pub patience_ms: u64,
    /// The counter at the end; the killed holder never adds its one.
    #[serde(rename = "final")]
    pub final_value: u64,
    /// What the counter ends at if every waiter gets the lock once.
    pub expected: u64,
}

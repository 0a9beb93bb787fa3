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
    /// The verdict in words, in the chosen language.
    pub fn describe(self, lock: LockKind) -> String {
        match self {
            CrashVerdict::Recovered => crate::tr!("crash-outcome-recovered", lock = lock),
            CrashVerdict::Undone => crate::i18n::t("crash-outcome-undone"),
            CrashVerdict::OwnerDeadRepaired => crate::i18n::t("crash-outcome-owner-dead-repaired"),
            CrashVerdict::Stuck if lock == LockKind::MutexNonrobust => crate::i18n::t("crash-outcome-stuck-nonrobust"),
            CrashVerdict::Stuck => crate::tr!("crash-outcome-stuck", lock = lock),
            CrashVerdict::NoExclusion => crate::tr!("crash-outcome-no-exclusion", lock = lock),
        }
    }

    /// The verdict in English words, as the JSON record keeps it (the JSON
    /// does not change with the language).
    pub fn describe_in_english(self, lock: LockKind) -> String {
        crate::i18n::in_language(crate::i18n::Lang::En, || self.describe(lock))
    }

    /// The verdict's name as the JSON spells it (`owner-dead-repaired`).
    pub fn name(self) -> &'static str {
        match self {
            CrashVerdict::Recovered => "recovered",
            CrashVerdict::Undone => "undone",
            CrashVerdict::OwnerDeadRepaired => "owner-dead-repaired",
            CrashVerdict::Stuck => "stuck",
            CrashVerdict::NoExclusion => "no-exclusion",
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

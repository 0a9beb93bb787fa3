//! The results model: the records every experiment produces.
//!
//! Field names are a contract with other tools (`schema_version` 1); add
//! fields, never rename them.

use serde::{Deserialize, Serialize};

use crate::experiment::compare_pages::PageCompareRecord;
use crate::experiment::limits::LimitsRecord;
use crate::experiment::memory::MemoryRecord;
use crate::lock::LockKind;
use crate::machine::Machine;
use crate::region::Backend;

/// The version of the JSON layout below.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole run as written to JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document<R> {
    pub schema_version: u32,
    pub experiment: String,
    pub machine: Machine,
    pub records: Vec<R>,
}

impl<R> Document<R> {
    pub fn new(experiment: &str, records: Vec<R>) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            experiment: experiment.to_string(),
            machine: Machine::describe(),
            records,
        }
    }
}

/// One backend (and lock) of the racing lab, all its trials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RacingRecord {
    pub backend: Backend,
    /// The protection around the critical section (`none`: unprotected).
    pub lock: LockKind,
    /// Whether that protection really excludes the other children
    /// (false for `none` and the `flock-inherited` pitfall).
    pub protected: bool,
    pub children: u32,
    /// Critical sections per child.
    pub iterations: u32,
    /// Sleep between the read and the write, in microseconds.
    pub delay_us: u64,
    /// `children × iterations`: the final value if no update is lost.
    pub expected: u64,
    /// The counter after each trial.
    pub finals: Vec<u64>,
    /// `expected − final` for each trial.
    pub lost: Vec<u64>,
    /// Wall time of each trial (first fork to last child reaped), in ms.
    pub wall_ms: Vec<f64>,
    /// Children per trial that did not exit cleanly (crashed, killed, or
    /// killed by us at the timeout).
    pub failed_children: Vec<u32>,
}

impl RacingRecord {
    pub fn new(backend: Backend, lock: LockKind, children: u32, iterations: u32, delay_us: u64) -> Self {
        Self {
            backend,
            lock,
            protected: lock.protects(),
            children,
            iterations,
            delay_us,
            expected: u64::from(children) * u64::from(iterations),
            finals: Vec::new(),
            lost: Vec::new(),
            wall_ms: Vec::new(),
            failed_children: Vec::new(),
        }
    }

    /// Adds one trial's outcome.
    pub fn push_trial(&mut self, final_value: u64, wall_ms: f64, failed_children: u32) {
        self.finals.push(final_value);
        self.lost.push(self.expected.saturating_sub(final_value));
        self.wall_ms.push((wall_ms * 1000.0).round() / 1000.0);
        self.failed_children.push(failed_children);
    }
}

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
            CrashVerdict::Stuck if lock == LockKind::MutexNonrobust => "stuck: the mutex word still names the dead \
                 thread as its owner and nothing ever clears it, so no waiter gets it (the waiters were killed)"
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

impl CrashRecord {
    pub fn new(
        lock: LockKind,
        plan: &crate::experiment::crash::CrashPlan,
        verdict: CrashVerdict,
        recovered_after_ms: Option<f64>,
        final_value: u64,
        waiters_killed: u32,
    ) -> Self {
        Self {
            lock,
            backend: plan.backend,
            verdict,
            outcome: verdict.describe(lock),
            recovered_after_ms: recovered_after_ms.map(|ms| (ms * 1000.0).round() / 1000.0),
            waiters: plan.waiters,
            waiters_killed,
            patience_ms: plan.patience.as_millis() as u64,
            final_value,
            expected: u64::from(plan.waiters),
        }
    }
}

/// The cost of one lock at one level of contention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BenchRecord {
    pub lock: LockKind,
    /// Processes hammering the lock at once.
    pub procs: u32,
    /// Protected increments per process.
    pub ops: u64,
    /// How many times the measurement was repeated.
    pub repeats: u32,
    /// Median over the repeats of wall time / (procs × ops), in ns.
    pub ns_per_op: f64,
    /// Every repeat's ns per operation.
    pub ns_per_op_runs: Vec<f64>,
    /// Fairness: the fewest and most acquisitions one process made while
    /// all were still running (from the median repeat).
    pub acquisitions_min: u64,
    pub acquisitions_max: u64,
    /// Whether the counter ended at procs × ops in every repeat.
    pub exact: bool,
}

/// Any lab's record, tagged with its experiment, as stored in a suite's
/// `results.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "experiment", rename_all = "kebab-case")]
pub enum AnyRecord {
    Racing(RacingRecord),
    Crash(CrashRecord),
    BenchLocks(BenchRecord),
    Memory(MemoryRecord),
    ComparePages(PageCompareRecord),
    Limits(LimitsRecord),
}

/// The records of one kind among `AnyRecord`s, cloned:
/// `records_of!(iter_of_&AnyRecord, Racing)` gives a `Vec<RacingRecord>`.
macro_rules! records_of {
    ($records:expr, $variant:ident) => {
        $records
            .filter_map(|r| if let $crate::report::model::AnyRecord::$variant(x) = r { Some(x.clone()) } else { None })
            .collect::<Vec<_>>()
    };
}
pub(crate) use records_of;

/// A record of a suite: which run produced it, then the lab's own fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SuiteRecord {
    /// The `id` of the run in the suite file.
    pub run: String,
    #[serde(flatten)]
    pub record: AnyRecord,
}

/// Whether a claim was reproduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Reproduced,
    Differs,
    /// The object itself behaved as claimed, but a machine-wide figure the
    /// claim is about was moved by other processes during the run, so the
    /// claim cannot be judged here (rerun on a quiet machine).
    Inconclusive,
    Skipped,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Reproduced => "reproduced",
            Status::Differs => "differs",
            Status::Inconclusive => "inconclusive",
            Status::Skipped => "skipped",
        }
    }
}

/// `11 reproduced, 1 differs, 0 skipped` (inconclusive only when there are any).
pub fn tally(verdicts: &[Verdict]) -> String {
    let count = |s: Status| verdicts.iter().filter(|v| v.status == s).count();
    let mut parts =
        vec![format!("{} reproduced", count(Status::Reproduced)), format!("{} differ", count(Status::Differs))];
    if count(Status::Inconclusive) > 0 {
        parts.push(format!("{} inconclusive", count(Status::Inconclusive)));
    }
    parts.push(format!("{} skipped", count(Status::Skipped)));
    parts.join(", ")
}

/// One of the article's claims, compared with our records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Verdict {
    pub run: String,
    pub claim: String,
    /// The article's figure, as published.
    pub article: String,
    /// Our figure, from this run's records.
    pub ours: String,
    pub status: Status,
    /// Why it differs or was skipped, or where today's kernel or procps
    /// differs from the article's even though the claim holds.
    pub note: String,
}

/// One run of a suite: when it ran and how long it took.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RunSummary {
    pub id: String,
    pub title: String,
    pub experiment: String,
    /// Wall time of the run, ms.
    pub duration_ms: f64,
    /// Why the run did not run (needs root, huge pages, a kernel feature), if it did not.
    pub skipped: Option<String>,
    /// Why the run failed, if it ran and failed (a child crashed, a key was
    /// taken, /dev/shm was full, ...): the suite then exits with status 1.
    /// Absent when it did not fail. Files written before this field said
    /// `skipped: "failed: ..."` instead; [`RunSummary::failure`] reads both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed: Option<String>,
}

impl RunSummary {
    /// Why the run failed, from `failed` or, in older files, from a
    /// `skipped` reason that starts with `failed: `.
    pub fn failure(&self) -> Option<&str> {
        self.failed.as_deref().or_else(|| self.skipped.as_deref().and_then(|s| s.strip_prefix("failed: ")))
    }

    /// Why the run was skipped, if it was (and did not fail).
    pub fn skip_reason(&self) -> Option<&str> {
        self.skipped.as_deref().filter(|s| !s.starts_with("failed: "))
    }
}

/// A suite's `results.json`: every record of every run, the verdicts, and
/// the machine they were measured on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SuiteDocument {
    pub schema_version: u32,
    /// Always `suite`.
    pub experiment: String,
    /// The suite's name (`article`, `matrix`, ...).
    pub suite: String,
    pub description: String,
    /// When the run started, RFC 3339 UTC.
    pub started_utc: String,
    pub machine: Machine,
    pub runs: Vec<RunSummary>,
    pub records: Vec<SuiteRecord>,
    pub verdicts: Vec<Verdict>,
}

/// Minimum, median and maximum of a sample (median of an even count: the
/// lower middle value, so it is always one of the observed values).
pub fn min_median_max(values: &[u64]) -> Option<(u64, u64, u64)> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    Some((sorted[0], sorted[(sorted.len() - 1) / 2], sorted[sorted.len() - 1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_is_an_observed_value() {
        assert_eq!(min_median_max(&[5, 1, 3]), Some((1, 3, 5)));
        assert_eq!(min_median_max(&[4, 1, 3, 2]), Some((1, 2, 4)));
        assert_eq!(min_median_max(&[]), None);
    }

    #[test]
    fn failed_runs_read_from_both_layouts() {
        let old: RunSummary = serde_json::from_str(
            r#"{"id": "a", "title": "", "experiment": "racing", "duration_ms": 1.0, "skipped": "failed: 2 children died"}"#,
        )
        .unwrap();
        assert_eq!((old.failure(), old.skip_reason()), (Some("2 children died"), None));
        let new: RunSummary = serde_json::from_str(
            r#"{"id": "a", "title": "", "experiment": "racing", "duration_ms": 1.0, "skipped": null, "failed": "key taken"}"#,
        )
        .unwrap();
        assert_eq!((new.failure(), new.skip_reason()), (Some("key taken"), None));
        let skipped = RunSummary { failed: None, skipped: Some("needs root".into()), ..new.clone() };
        assert_eq!((skipped.failure(), skipped.skip_reason()), (None, Some("needs root")));
        let text = serde_json::to_string(&skipped).unwrap();
        assert!(!text.contains("failed"), "absent unless it failed: {text}");
    }

    #[test]
    fn lost_is_expected_minus_final() {
        let mut r = RacingRecord::new(Backend::Mmap, LockKind::None, 100, 1, 1);
        r.push_trial(18, 12.5, 0);
        assert_eq!((r.expected, r.lost[0]), (100, 82));
    }
}

//! The racing lab's record: one backend and lock, all its trials.

use serde::{Deserialize, Serialize};

use super::TrialTrace;
use crate::lock::LockKind;
use crate::region::Backend;

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
    /// The timer slack each child set (PR_SET_TIMERSLACK), in ns; `null`:
    /// the default it inherited (50,000 ns for a normal process).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timer_slack_ns: Option<u64>,
    /// With `--trace`: every critical section of the traced trials (the
    /// first `trace_trials`, or all), one array per trial, in trial order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<TrialTrace>>,
    /// With `--schedule`: the interleaving that was replayed, step by step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<ScheduleRun>,
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
            timer_slack_ns: None,
            trace: None,
            schedule: None,
        }
    }

    /// Adds one trial's outcome.
    pub fn push_trial(&mut self, final_value: u64, wall_ms: f64, failed_children: u32) {
        self.finals.push(final_value);
        self.lost.push(self.expected.saturating_sub(final_value));
        self.wall_ms.push(wall_ms);
        self.failed_children.push(failed_children);
    }
}

/// A `--schedule` run: the interleaving and, step by step, what was
/// predicted and what each trial really saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScheduleRun {
    /// The steps as replayed ("A.read B.read A.write B.write").
    pub text: String,
    /// The named example, if one was asked for (`lost-one` ...).
    pub name: Option<String>,
    /// The final value the schedule leaves, worked out before running it.
    pub predicted_final: u64,
    pub steps: Vec<ScheduledStep>,
}

/// One step of a schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScheduledStep {
    /// `A.read`, `B.lock` ...
    pub step: String,
    /// The value a read should see or a write store (`null` for lock steps).
    pub predicted: Option<u64>,
    /// A lock step that has to wait: the number (from 1) of the unlock
    /// step that lets it through.
    pub waits_until: Option<usize>,
    /// The steps (numbers from 1) whose updates this write erases.
    pub erases: Vec<usize>,
    /// Per trial: what the read saw or the write stored.
    pub measured: Vec<Option<u64>>,
    /// Per trial: whether the step was seen waiting, asleep in the kernel.
    pub waited: Vec<bool>,
}

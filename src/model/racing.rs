//! The racing lab's record: one backend and lock, all its trials.

use serde::{Deserialize, Serialize};

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
        self.wall_ms.push(wall_ms);
        self.failed_children.push(failed_children);
    }
}

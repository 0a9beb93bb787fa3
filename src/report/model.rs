//! The results model: the records every experiment produces.
//!
//! Field names are a contract with other tools (`schema_version` 1); add
//! fields, never rename them.

use serde::{Deserialize, Serialize};

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RacingRecord {
    pub backend: Backend,
    /// The protection around the critical section (`none`: unprotected).
    pub lock: String,
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
    pub fn new(backend: Backend, lock: &str, children: u32, iterations: u32, delay_us: u64) -> Self {
        Self {
            backend,
            lock: lock.to_string(),
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
    fn lost_is_expected_minus_final() {
        let mut r = RacingRecord::new(Backend::Mmap, "none", 100, 1, 1);
        r.push_trial(18, 12.5, 0);
        assert_eq!((r.expected, r.lost[0]), (100, 82));
    }
}

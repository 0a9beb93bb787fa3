//! The lock benchmark's record: one lock at one level of contention.

use serde::{Deserialize, Serialize};

use crate::lock::LockKind;

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

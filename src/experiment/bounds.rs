//! Bounds of numeric parameters, one definition for both front ends.
//!
//! The command line (clap) and suite files (serde) used to carry their own
//! bounds and defaults, and they drifted: a suite could ask for `procs: [0]`
//! (and write a results.json shmlab could not read back) or for 100,000
//! crash waiters (forking up to pid_max) where the command line refuses
//! both. Now each experiment declares its bounds as [`Bound`] constants
//! beside its plan (`racing::CHILDREN`, `bench_locks::PROCS`, ...), and its
//! defaults as constants beside them; clap builds its value parsers and
//! defaults from those, suite loading checks every run with them, and each
//! plan checks itself with them before it runs.

use clap::builder::{RangedI64ValueParser, RangedU64ValueParser};

/// An inclusive range of whole numbers that a parameter must lie in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    /// The name in a suite file; the flag is the same with `-` for `_`.
    pub field: &'static str,
    pub min: u64,
    pub max: u64,
}

impl Bound {
    pub const fn new(field: &'static str, min: u64, max: u64) -> Self {
        Self { field, min, max }
    }

    /// `procs 0 is out of range 1..=4096`, or nothing.
    pub fn check(&self, value: u64) -> Result<(), String> {
        if (self.min..=self.max).contains(&value) {
            return Ok(());
        }
        Err(format!("{} {value} is out of range {}", self.field, self.range_text()))
    }

    /// `1..=4096`, or `1..` when only the type limits it.
    pub fn range_text(&self) -> String {
        if self.max == u64::MAX || self.max == u64::from(u32::MAX) {
            format!("{}..", self.min)
        } else {
            format!("{}..={}", self.min, self.max)
        }
    }

    /// A clap value parser for a `u32` flag with this range.
    pub fn parser_u32(&self) -> RangedI64ValueParser<u32> {
        let max = self.max.min(u64::from(u32::MAX));
        clap::value_parser!(u32).range(self.min as i64..=max as i64)
    }

    /// A clap value parser for a `u64` flag with this range.
    pub fn parser_u64(&self) -> RangedU64ValueParser<u64> {
        clap::value_parser!(u64).range(self.min..=self.max)
    }
}

#[cfg(test)]
mod tests {
    use crate::experiment::{bench_locks, crash, racing};

    #[test]
    fn messages_name_the_field_and_the_range() {
        assert_eq!(bench_locks::PROCS.check(0).unwrap_err(), "procs 0 is out of range 1..=4096");
        assert_eq!(crash::WAITERS.check(100_000).unwrap_err(), "waiters 100000 is out of range 1..=1000");
        assert_eq!(racing::CHILDREN.check(0).unwrap_err(), "children 0 is out of range 1..");
        assert!(bench_locks::OPS.check(1_000_000_000).is_ok() && bench_locks::OPS.check(1_000_000_001).is_err());
    }

    #[test]
    fn every_default_is_inside_its_bound() {
        let cases = [
            (racing::CHILDREN, u64::from(racing::DEFAULT_CHILDREN)),
            (racing::TRIALS, u64::from(racing::DEFAULT_TRIALS)),
            (racing::ITERATIONS, u64::from(racing::DEFAULT_ITERATIONS)),
            (racing::DELAY_US, racing::DEFAULT_DELAY_US),
            (crash::WAITERS, u64::from(crash::DEFAULT_WAITERS)),
            (crash::PATIENCE_MS, crash::DEFAULT_PATIENCE_MS),
            (bench_locks::OPS, bench_locks::DEFAULT_OPS),
            (bench_locks::REPEATS, u64::from(bench_locks::DEFAULT_REPEATS)),
        ];
        for (bound, default) in cases {
            assert!(bound.check(default).is_ok(), "{} default {default}", bound.field);
        }
    }
}

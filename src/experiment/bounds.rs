//! Bounds of numeric parameters, one definition for both front ends.
//!
//! The command line (clap) and suite files (serde) used to carry their own
//! bounds and defaults, and they drifted: a suite could ask for `procs: [0]`
//! (and write a results.json shmlab could not read back) or for 100,000
//! crash waiters (forking up to pid_max) where the command line refuses
//! both. Now each experiment declares its bounds as [`Bound`] constants
//! beside its parameters (`racing::CHILDREN`, `bench_locks::PROCS`, ...),
//! and its defaults as constants beside them, which clap and serde both
//! take; the lab's `validate` checks every value against its bound, for
//! both front ends.

use crate::error::{Error, Param, Result};
use crate::kernel::machine::Machine;

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

    /// `⟨procs⟩ 0 is out of range 1..=4096` (each front end spells the
    /// parameter its own way), or nothing.
    pub fn check(&self, value: u64) -> crate::error::Result<()> {
        if (self.min..=self.max).contains(&value) {
            return Ok(());
        }
        Err(Error::usage(crate::tr!(
            "param-out-of-range",
            param = Param(self.field),
            value = value,
            range = self.range_text()
        )))
    }

    /// `1..=4096`, or `1..` when only the type limits it.
    pub fn range_text(&self) -> String {
        if self.max == u64::MAX || self.max == u64::from(u32::MAX) {
            format!("{}..", self.min)
        } else {
            format!("{}..={}", self.min, self.max)
        }
    }
}

/// Refuses a plan that would fork more processes than this machine lets
/// this user have; `param` is the parameter that sets the count.
pub fn process_count(machine: &Machine, count: u64, param: &'static str) -> Result<()> {
    for (name, limit) in machine.process_limits.named() {
        if let Some(limit) = limit
            && count >= limit
        {
            return Err(Error::usage(crate::tr!(
                "children-too-many",
                param = Param(param),
                count = count,
                name = name,
                limit = limit
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::experiment::{bench_locks, crash, racing};

    #[test]
    fn messages_name_the_field_and_the_range() {
        let suite = |r: crate::error::Result<()>| crate::error::for_suite(&r.unwrap_err().message);
        assert_eq!(suite(bench_locks::PROCS.check(0)), "procs 0 is out of range 1..=4096");
        assert_eq!(suite(crash::WAITERS.check(100_000)), "waiters 100000 is out of range 1..=1000");
        assert_eq!(
            crate::error::for_command_line(&racing::CHILDREN.check(0).unwrap_err().message),
            "--children 0 is out of range 1.."
        );
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

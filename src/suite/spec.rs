//! Suites as data: what a suite file may say, checked strictly.
//!
//! A suite names its runs; each run is one experiment with its parameters
//! and, where the article published a figure, the expectations to compare
//! with. Unknown fields are refused, so a typo cannot silently fall back to
//! a default.
//!
//! Every run is turned into its experiment's plan ([`Run::plan`]) when the
//! file is loaded, and the plan is checked against the same bounds the
//! command line uses (`experiment::bounds`, the experiments' constants), so
//! a suite cannot ask for what `shmlab racing` or `shmlab bench locks`
//! would refuse, and a bad value stops the suite before anything runs,
//! naming the file, the run and the field. The runner runs those same plans.

use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::experiment::bench_locks::{self, BenchPlan};
use crate::experiment::crash::{self, CrashPlan};
use crate::experiment::memory::{self, MemoryPlan};
use crate::experiment::racing::{self, RacingPlan};
use crate::kernel::hugepages::HugePageSize;
use crate::kernel::meminfo::Meminfo;
use crate::lock::LockKind;
use crate::region::{Backend, XsiKey};

/// A whole suite file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suite {
    /// Short name, used in the run directory's name.
    pub suite: String,
    #[serde(default)]
    pub description: String,
    pub runs: Vec<Run>,
}

/// One run: an experiment and its parameters.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "experiment", rename_all = "kebab-case")]
pub enum Run {
    Racing(RacingRun),
    Crash(CrashRun),
    BenchLocks(BenchLocksRun),
    Memory(MemoryRun),
    ComparePages(ComparePagesRun),
    Limits(LimitsRun),
}

// Defaults are the command line's (the experiments' constants).
fn children() -> u32 {
    racing::DEFAULT_CHILDREN
}
fn trials() -> u32 {
    racing::DEFAULT_TRIALS
}
fn delay_us() -> u64 {
    racing::DEFAULT_DELAY_US
}
fn iterations() -> u32 {
    racing::DEFAULT_ITERATIONS
}
fn no_lock() -> Vec<LockKind> {
    vec![LockKind::None]
}
fn waiters() -> u32 {
    crash::DEFAULT_WAITERS
}
fn patience() -> u64 {
    crash::DEFAULT_PATIENCE_MS
}
fn ops() -> u64 {
    bench_locks::DEFAULT_OPS
}
fn repeats() -> u32 {
    bench_locks::DEFAULT_REPEATS
}
fn article_size() -> String {
    "2046MiB".to_string()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RacingRun {
    pub id: String,
    #[serde(default)]
    pub title: String,
    pub backends: Vec<Backend>,
    #[serde(default = "no_lock")]
    pub locks: Vec<LockKind>,
    #[serde(default = "children")]
    pub children: u32,
    #[serde(default = "trials")]
    pub trials: u32,
    #[serde(default = "delay_us")]
    pub delay_us: u64,
    #[serde(default = "iterations")]
    pub iterations: u32,
    #[serde(default)]
    pub expect: Vec<Expectation>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrashRun {
    pub id: String,
    #[serde(default)]
    pub title: String,
    pub locks: Vec<LockKind>,
    #[serde(default = "waiters")]
    pub waiters: u32,
    #[serde(default = "patience")]
    pub patience_ms: u64,
    #[serde(default)]
    pub expect: Vec<Expectation>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenchLocksRun {
    pub id: String,
    #[serde(default)]
    pub title: String,
    pub locks: Vec<LockKind>,
    pub procs: Vec<u32>,
    #[serde(default = "ops")]
    pub ops: u64,
    #[serde(default = "repeats")]
    pub repeats: u32,
    #[serde(default)]
    pub expect: Vec<Expectation>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemoryRun {
    pub id: String,
    #[serde(default)]
    pub title: String,
    pub backends: Vec<Backend>,
    /// A size as on the command line: `2046MiB`, `1G`, bytes.
    #[serde(default = "article_size")]
    pub size: String,
    #[serde(default)]
    pub huge: Option<HugePageSize>,
    /// Raise vm.nr_hugepages for the run (root); without root the run is
    /// skipped with the command to rerun it.
    #[serde(default)]
    pub reserve_hugepages: bool,
    #[serde(default)]
    pub expect: Vec<Expectation>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparePagesRun {
    pub id: String,
    #[serde(default)]
    pub title: String,
    pub size: String,
    #[serde(default)]
    pub reserve_hugepages: bool,
    #[serde(default)]
    pub expect: Vec<Expectation>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsRun {
    pub id: String,
    #[serde(default)]
    pub title: String,
    /// A size to check against the limits, as on the command line.
    #[serde(default)]
    pub check: Option<String>,
    #[serde(default)]
    pub expect: Vec<Expectation>,
}

/// A claim to compare with: in words, the article's figure, and the rule
/// that decides whether our records reproduce it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub claim: String,
    /// The article's published figure, as text ("20, 17, 14, 15").
    #[serde(default)]
    pub article: String,
    pub rule: Rule,
}

/// How a claim is checked against the records of its run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "check", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Rule {
    /// Every unprotected record loses updates in most trials (median final < expected).
    UnprotectedLosesUpdates,
    /// Every protected record ends exactly at expected in every trial.
    ProtectedIsExact,
    /// After touching, Shmem grew by the size within `tolerance_pct`.
    ShmemGrowsBySize { tolerance_pct: f64 },
    /// After touching, `free`'s shared column grew by the size, and the
    /// article's `used` (procps 3.3) stayed within `tolerance_pct` of flat.
    FreeSharedGrowsUsedFlat { tolerance_pct: f64 },
    /// Rsvd rose by size / page at creation and Free fell by as much at touch.
    HugePagesConsumedBySize,
    /// With huge pages, `free`'s shared column did not move at touch.
    HugePagesNotInShared { tolerance_mib: i64 },
    /// The limits allow the checked size.
    LimitsAllow,
    /// Each lock's crash verdict is the kernel's (file locks recover,
    /// SEM_UNDO undoes, robust mutex reports owner-dead, semaphores stick).
    CrashOutcomesAsDocumented,
    /// Uncontended futex locks are at least `factor` times cheaper than syscall locks.
    FutexCheaperThanSyscalls { factor: f64 },
}

impl Run {
    pub fn id(&self) -> &str {
        match self {
            Run::Racing(r) => &r.id,
            Run::Crash(r) => &r.id,
            Run::BenchLocks(r) => &r.id,
            Run::Memory(r) => &r.id,
            Run::ComparePages(r) => &r.id,
            Run::Limits(r) => &r.id,
        }
    }

    pub fn title(&self) -> &str {
        match self {
            Run::Racing(r) => &r.title,
            Run::Crash(r) => &r.title,
            Run::BenchLocks(r) => &r.title,
            Run::Memory(r) => &r.title,
            Run::ComparePages(r) => &r.title,
            Run::Limits(r) => &r.title,
        }
    }

    pub fn expectations(&self) -> &[Expectation] {
        match self {
            Run::Racing(r) => &r.expect,
            Run::Crash(r) => &r.expect,
            Run::BenchLocks(r) => &r.expect,
            Run::Memory(r) => &r.expect,
            Run::ComparePages(r) => &r.expect,
            Run::Limits(r) => &r.expect,
        }
    }

    /// The experiment's name as in the file.
    pub fn experiment(&self) -> &'static str {
        match self {
            Run::Racing(_) => "racing",
            Run::Crash(_) => "crash",
            Run::BenchLocks(_) => "bench-locks",
            Run::Memory(_) => "memory",
            Run::ComparePages(_) => "compare-pages",
            Run::Limits(_) => "limits",
        }
    }
}

/// A run as its experiment's plan: what the runner runs, and what loading
/// checks.
#[derive(Debug, Clone)]
pub enum Plan {
    Racing(RacingPlan),
    Crash(CrashPlan),
    BenchLocks(BenchPlan),
    Memory(MemoryPlan),
    ComparePages { size: u64, reserve_hugepages: bool },
    Limits { check: Option<u64> },
}

fn parse_size(field: &str, text: &str) -> std::result::Result<u64, String> {
    crate::size::parse(text).map_err(|e| format!("field `{field}`: {e}"))
}

impl Run {
    /// The plan this run stands for, with the defaults the command line has
    /// (the article's ftok key, the mmap backend for crash).
    pub fn plan(&self) -> std::result::Result<Plan, String> {
        Ok(match self {
            Run::Racing(r) => {
                let delay = Duration::from_micros(r.delay_us);
                Plan::Racing(RacingPlan {
                    backends: r.backends.clone(),
                    locks: r.locks.clone(),
                    children: r.children,
                    trials: r.trials,
                    delay,
                    iterations: r.iterations,
                    xsi_key: XsiKey::default(),
                    timeout: RacingPlan::default_timeout(r.children, r.iterations, delay),
                })
            }
            Run::Crash(c) => Plan::Crash(CrashPlan {
                locks: c.locks.clone(),
                backend: Backend::Mmap,
                waiters: c.waiters,
                patience: Duration::from_millis(c.patience_ms),
                xsi_key: XsiKey::default(),
            }),
            Run::BenchLocks(b) => Plan::BenchLocks(BenchPlan {
                locks: b.locks.clone(),
                procs: b.procs.clone(),
                ops: b.ops,
                repeats: b.repeats,
            }),
            Run::Memory(m) => Plan::Memory(MemoryPlan {
                backends: m.backends.clone(),
                size: parse_size("size", &m.size)?,
                huge: m.huge,
                reserve_hugepages: m.reserve_hugepages,
                hold: Duration::ZERO,
                force: false,
                xsi_key: XsiKey::default(),
            }),
            Run::ComparePages(c) => {
                Plan::ComparePages { size: parse_size("size", &c.size)?, reserve_hugepages: c.reserve_hugepages }
            }
            Run::Limits(l) => Plan::Limits { check: l.check.as_deref().map(|t| parse_size("check", t)).transpose()? },
        })
    }
}

impl Plan {
    /// The checks the command line makes before running, from the same
    /// definitions; `meminfo` for the size bounds. A limits `check` may ask
    /// about any size (that it would not fit is its answer), so only the
    /// sizes that are really allocated are bounded.
    pub fn check(&self, meminfo: &Meminfo) -> std::result::Result<(), String> {
        match self {
            Plan::Racing(p) => p.check(),
            Plan::Crash(p) => p.check(),
            Plan::BenchLocks(p) => p.check(),
            Plan::Memory(p) => p.check(meminfo, "size"),
            Plan::ComparePages { size, .. } => memory::check_size("size", *size, meminfo),
            Plan::Limits { .. } => Ok(()),
        }
    }
}

impl Suite {
    /// Reads and checks a suite file; errors name the file and the field.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::usage(format!("cannot read suite {}: {e}", path.display())))?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parses a suite and checks every run's parameters (against this
    /// machine's memory for sizes).
    pub fn parse(text: &str, name: &str) -> Result<Self> {
        let suite: Suite = serde_json::from_str(text).map_err(|e| {
            Error::usage(format!("suite {name} is not valid: {e} (see experiments/article.json for the format)"))
        })?;
        let meminfo = Meminfo::read().map_err(|e| Error::usage(format!("cannot read /proc/meminfo: {e}")))?;
        suite.check(name, &meminfo)?;
        Ok(suite)
    }

    fn check(&self, name: &str, meminfo: &Meminfo) -> Result<()> {
        let bad = |what: String| Err(Error::usage(format!("suite {name}: {what}")));
        if self.suite.is_empty() || !self.suite.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return bad(format!(
                "field `suite` must be a short name of letters, digits, - and _, not {:?}",
                self.suite
            ));
        }
        if self.runs.is_empty() {
            return bad("field `runs` is empty: a suite needs at least one run".into());
        }
        let mut seen = std::collections::HashSet::new();
        for run in &self.runs {
            if !seen.insert(run.id()) {
                return bad(format!("run id {:?} appears twice; ids must be unique", run.id()));
            }
            if let Err(e) = run.plan().and_then(|plan| plan.check(meminfo)) {
                return bad(format!("run {:?}: {e}", run.id()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_suite_parses() {
        let suite = Suite::parse(include_str!("../../experiments/article.json"), "article.json").unwrap();
        assert_eq!(suite.suite, "article");
        assert!(suite.runs.iter().any(|r| matches!(r, Run::Memory(m) if m.huge.is_some())));
    }

    #[test]
    fn the_matrix_suite_parses() {
        Suite::parse(include_str!("../../experiments/matrix.json"), "matrix.json").unwrap();
    }

    #[test]
    fn unknown_fields_are_refused_with_their_name() {
        let text =
            r#"{"suite": "x", "runs": [{"experiment": "racing", "id": "a", "backends": ["mmap"], "childs": 3}]}"#;
        let err = Suite::parse(text, "x.json").unwrap_err().message;
        assert!(err.contains("x.json") && err.contains("childs"), "{err}");
    }

    #[test]
    fn bad_values_name_the_field() {
        let text =
            r#"{"suite": "x", "runs": [{"experiment": "memory", "id": "m", "backends": ["mmap"], "size": "huge"}]}"#;
        assert!(Suite::parse(text, "x.json").unwrap_err().message.contains("size"));
        let text = r#"{"suite": "x", "runs": [{"experiment": "racing", "id": "r", "backends": ["nope"]}]}"#;
        assert!(Suite::parse(text, "x.json").unwrap_err().message.contains("nope"));
        let text =
            r#"{"suite": "x", "runs": [{"experiment": "racing", "id": "r", "backends": ["mmap"], "children": 0}]}"#;
        assert!(Suite::parse(text, "x.json").unwrap_err().message.contains("children"));
        let text = r#"{"suite": "x", "runs": []}"#;
        assert!(Suite::parse(text, "x.json").unwrap_err().message.contains("runs"));
    }

    fn refusal(run: &str) -> String {
        let text = format!(r#"{{"suite": "x", "runs": [{run}]}}"#);
        let e = Suite::parse(&text, "x.json").unwrap_err();
        assert_eq!(e.exit_code(), 2, "{}", e.message);
        e.message
    }

    #[test]
    fn the_command_lines_bounds_hold_in_suites() {
        assert_eq!(
            refusal(r#"{"experiment": "bench-locks", "id": "b", "locks": ["atomic"], "procs": [1, 0]}"#),
            r#"suite x.json: run "b": procs 0 is out of range 1..=4096"#
        );
        let m = refusal(r#"{"experiment": "crash", "id": "c", "locks": ["mutex"], "waiters": 100000}"#);
        assert!(m.contains(r#"run "c": waiters 100000 is out of range 1..=1000"#), "{m}");
        let m = refusal(r#"{"experiment": "crash", "id": "c", "locks": ["none"]}"#);
        assert!(m.contains("lock none has nothing to hold"), "{m}");
        let m = refusal(r#"{"experiment": "bench-locks", "id": "b", "locks": ["atomic"], "procs": [1], "ops": 0}"#);
        assert!(m.contains("ops 0 is out of range 1..=1000000000"), "{m}");
        let m = refusal(r#"{"experiment": "memory", "id": "m", "backends": ["posix"], "size": "4MiB", "huge": "2M"}"#);
        assert!(m.contains("cannot use huge pages"), "{m}");
    }

    #[test]
    fn sizes_are_bounded_at_load() {
        let m = refusal(r#"{"experiment": "memory", "id": "m", "backends": ["mmap"], "size": "0"}"#);
        assert!(m.contains(r#"run "m": size 0: a shared segment needs at least one byte"#), "{m}");
        let m = refusal(r#"{"experiment": "compare-pages", "id": "p", "size": "100TiB"}"#);
        assert!(m.contains(r#"run "p": size 100 TiB is more than"#) && m.contains("MemTotal"), "{m}");
        let m = refusal(r#"{"experiment": "limits", "id": "l", "check": "lots"}"#);
        assert!(m.contains("field `check`") && m.contains("not a size"), "{m}");
        // A limits check is a question; a size that cannot fit is its answer.
        Suite::parse(r#"{"suite": "x", "runs": [{"experiment": "limits", "id": "l", "check": "100TiB"}]}"#, "x")
            .unwrap();
    }

    #[test]
    fn defaults_are_the_command_lines() {
        let text =
            r#"{"suite": "x", "runs": [{"experiment": "bench-locks", "id": "b", "locks": ["atomic"], "procs": [1]}]}"#;
        let Run::BenchLocks(b) = &Suite::parse(text, "x").unwrap().runs[0] else { unreachable!() };
        use crate::cli::{BenchCommand, Cli, Command};
        use clap::Parser;
        let Command::Bench(BenchCommand::Locks(cli)) =
            Cli::try_parse_from(["shmlab", "bench", "locks"]).unwrap().command
        else {
            unreachable!()
        };
        assert_eq!((b.ops, b.repeats), (cli.ops, cli.repeats));
        assert_eq!(b.ops, 200_000);
        let text = r#"{"suite": "x", "runs": [{"experiment": "racing", "id": "r", "backends": ["mmap"]},
                      {"experiment": "crash", "id": "c", "locks": ["mutex"]}]}"#;
        let suite = Suite::parse(text, "x").unwrap();
        let (Run::Racing(r), Run::Crash(c)) = (&suite.runs[0], &suite.runs[1]) else { unreachable!() };
        let Command::Racing(cli) = Cli::try_parse_from(["shmlab", "racing"]).unwrap().command else { unreachable!() };
        assert_eq!(
            (r.children, r.trials, r.delay_us, r.iterations),
            (cli.children, cli.trials, cli.delay_us, cli.iterations)
        );
        let Command::Crash(cli) = Cli::try_parse_from(["shmlab", "crash"]).unwrap().command else { unreachable!() };
        assert_eq!((c.waiters, c.patience_ms), (cli.waiters, cli.patience_ms));
    }
}

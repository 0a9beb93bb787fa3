//! Suites as data: what a suite file may say, checked strictly.
//!
//! A suite names its runs; each run is one experiment with its parameters
//! and, where the article published a figure, the expectations to compare
//! with. Unknown fields are refused, so a typo cannot silently fall back to
//! a default.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::kernel::hugepages::HugePageSize;
use crate::lock::LockKind;
use crate::region::Backend;

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

fn one() -> u32 {
    1
}
fn hundred() -> u32 {
    100
}
fn no_lock() -> Vec<LockKind> {
    vec![LockKind::None]
}
fn three() -> u32 {
    3
}
fn patience() -> u64 {
    1000
}
fn ops() -> u64 {
    20_000
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
    #[serde(default = "hundred")]
    pub children: u32,
    #[serde(default = "one")]
    pub trials: u32,
    #[serde(default = "one")]
    pub delay_us: u32,
    #[serde(default = "one")]
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
    #[serde(default = "three")]
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
    #[serde(default = "three")]
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

impl Suite {
    /// Reads and checks a suite file; errors name the file and the field.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::usage(format!("cannot read suite {}: {e}", path.display())))?;
        Self::parse(&text, &path.display().to_string())
    }

    pub fn parse(text: &str, name: &str) -> Result<Self> {
        let suite: Suite = serde_json::from_str(text).map_err(|e| {
            Error::usage(format!("suite {name} is not valid: {e} (see experiments/article.json for the format)"))
        })?;
        suite.check(name)?;
        Ok(suite)
    }

    fn check(&self, name: &str) -> Result<()> {
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
            let sizes = match run {
                Run::Memory(m) => vec![&m.size],
                Run::ComparePages(c) => vec![&c.size],
                Run::Limits(l) => l.check.iter().collect(),
                _ => vec![],
            };
            for size in sizes {
                if let Err(e) = crate::size::parse(size) {
                    return bad(format!("run {:?}: field `size`/`check`: {e}", run.id()));
                }
            }
            let empty = match run {
                Run::Racing(r) => r.backends.is_empty().then_some("backends"),
                Run::Memory(m) => m.backends.is_empty().then_some("backends"),
                Run::Crash(c) => c.locks.is_empty().then_some("locks"),
                Run::BenchLocks(b) => b.locks.is_empty().then_some("locks").or(b.procs.is_empty().then_some("procs")),
                _ => None,
            };
            if let Some(field) = empty {
                return bad(format!("run {:?}: field `{field}` is empty", run.id()));
            }
            let zero = match run {
                Run::Racing(r) => [("children", r.children), ("trials", r.trials), ("iterations", r.iterations)]
                    .into_iter()
                    .find(|(_, v)| *v == 0)
                    .map(|(f, _)| f),
                Run::BenchLocks(b) => (b.ops == 0).then_some("ops").or((b.repeats == 0).then_some("repeats")),
                Run::Crash(c) => (c.waiters == 0).then_some("waiters"),
                _ => None,
            };
            if let Some(field) = zero {
                return bad(format!("run {:?}: field `{field}` must be at least 1", run.id()));
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
}

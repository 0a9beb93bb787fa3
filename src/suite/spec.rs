//! Suites as data: what a suite file may say, checked strictly.
//!
//! A suite names its runs; each run is one lab with its parameters and,
//! where the article published a figure, the expectations to compare with:
//!
//! ```json
//! {"experiment": "racing", "id": "racing-mmap", "backends": ["mmap"], "trials": 20,
//!  "expect": [{"claim": "...", "article": "20, 17, 14, 15", "rule": {"check": "unprotected-loses-updates"}}]}
//! ```
//!
//! Besides `id`, `title` and `expect`, a run's fields are the lab's own
//! `Params`, the very type `shmlab <lab>` reads its options into: the same
//! names, defaults and bounds. Unknown fields are refused, so a typo cannot
//! silently fall back to a default, and every run is validated by its lab
//! when the file is loaded, so a bad value stops the suite before anything
//! runs, naming the file, the run and the field.
//!
//! Every text of a suite is English; each may have a Chinese companion,
//! shown when shmlab speaks Chinese (`--lang zh` or a Chinese locale) and
//! left out otherwise:
//! `description_zh` beside the suite's `description`, `title_zh` beside a
//! run's `title`, and `claim_zh` and `article_zh` beside an expectation's
//! `claim` and `article` (`"article_zh": "最终值 20、17、14、15（共 100）"`).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Kind, Result, for_suite};
use crate::experiment::LabParams;
use crate::i18n::Lang;
use crate::kernel::machine::Machine;
use crate::tr;

/// A whole suite file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suite {
    /// Short name, used in the run directory's name.
    pub suite: String,
    #[serde(default)]
    pub description: String,
    /// The description in Chinese, if given.
    #[serde(default)]
    pub description_zh: String,
    pub runs: Vec<Run>,
}

/// `zh` when speaking Chinese and it is given, else `en`.
pub fn pick<'a>(lang: Lang, en: &'a str, zh: &'a str) -> &'a str {
    if lang == Lang::Zh && !zh.trim().is_empty() { zh } else { en }
}

/// One run: a lab and its parameters, a name, and the claims to judge.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub id: String,
    pub title: String,
    /// The title in Chinese, if given.
    pub title_zh: String,
    pub expect: Vec<Expectation>,
    #[serde(flatten)]
    pub lab: LabParams,
}

/// Read by hand: serde cannot refuse unknown fields of a struct that is
/// flattened into another, so the run's own fields are taken out first and
/// the rest is the lab's, refused field by field if unknown.
impl<'de> Deserialize<'de> for Run {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut fields = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        let id = match fields.remove("id") {
            Some(serde_json::Value::String(id)) => id,
            Some(other) => return Err(D::Error::custom(tr!("suite-id-not-string", value = other))),
            None => return Err(D::Error::missing_field("id")),
        };
        let mut text = |name: &str| match fields.remove(name) {
            Some(serde_json::Value::String(t)) => Ok(t),
            None => Ok(String::new()),
            Some(other) => Err(D::Error::custom(tr!(
                "suite-field-not-string",
                id = format!("{id:?}"),
                field = name,
                value = other
            ))),
        };
        let title = text("title")?;
        let title_zh = text("title_zh")?;
        let expect = match fields.remove("expect") {
            Some(v) => serde_json::from_value(v)
                .map_err(|e| D::Error::custom(tr!("suite-bad-expect", id = format!("{id:?}"), error = e)))?,
            None => Vec::new(),
        };
        let lab = serde_json::from_value(serde_json::Value::Object(fields))
            .map_err(|e| D::Error::custom(tr!("suite-bad-run", id = format!("{id:?}"), what = e)))?;
        Ok(Run { id, title, title_zh, expect, lab })
    }
}

/// A claim to compare with: in words, the article's figure, and the rule
/// that decides whether our records reproduce it.
///
/// A run's expectations are stored with its summary in results.json, so
/// that `shmlab report --lang` can judge the records again in the other
/// language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub claim: String,
    /// The claim in Chinese, if given.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub claim_zh: String,
    /// The article's published figure, as text ("20, 17, 14, 15").
    #[serde(default)]
    pub article: String,
    /// The article's figure in Chinese, if given.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub article_zh: String,
    pub rule: Rule,
}

impl Expectation {
    /// The claim in the language shmlab speaks.
    pub fn claim_in(&self, lang: Lang) -> &str {
        pick(lang, &self.claim, &self.claim_zh)
    }

    /// The article's figure in the language shmlab speaks.
    pub fn article_in(&self, lang: Lang) -> &str {
        if self.article.is_empty() { "" } else { pick(lang, &self.article, &self.article_zh) }
    }
}

/// How a claim is checked against the records of its run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
    /// Shared memory beats a pipe: the best shm ring moves more bytes per
    /// second at 64 KiB than the pipe, and a spinning ring's 64-byte
    /// one-way latency is below the pipe's.
    ShmFasterThanPipe,
    /// Random reads over the largest working set of a compare-pages run
    /// with random access are at least `min_ratio` times slower with 4 KiB
    /// pages than with 2 MiB pages (or THP), and cost more page tables.
    HugePagesReadFaster { min_ratio: f64 },
    /// A POSIX shm descriptor works with select, poll and epoll: poll and
    /// select report it ready and epoll_ctl accepts it.
    ShmDescriptorPollable,
    /// A container observation (`step/id`, e.g. `dev-shm-size/touch`) shows
    /// what the claim says: every field given must match. `signal` and
    /// `errno` name one (`SIGBUS`, `ENOSPC`) or say `none`; `exists` is
    /// whether the object was there afterwards; `reached_pct` is how much
    /// of the object was touched when the signal came (±1).
    ContainerShows {
        observation: String,
        #[serde(default)]
        signal: Option<String>,
        #[serde(default)]
        errno: Option<String>,
        #[serde(default)]
        exists: Option<bool>,
        #[serde(default)]
        reached_pct: Option<f64>,
    },
    /// After a cgroup-charge observation, group `a` or `b` holds shared
    /// memory (memory.stat `shmem`) of at least `min_pct` and at most
    /// `max_pct` of the observation's object size, and group A has counted
    /// at least `oom_kills` OOM kills.
    ContainerCharged {
        observation: String,
        group: String,
        #[serde(default)]
        min_pct: Option<f64>,
        #[serde(default)]
        max_pct: Option<f64>,
        #[serde(default)]
        oom_kills: Option<u64>,
    },
}

impl Suite {
    /// Reads and checks a suite file; errors name the file and the field.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::usage(tr!("suite-cannot-read", path = path.display(), error = e)))?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parses a suite and has every run's lab validate its parameters.
    pub fn parse(text: &str, name: &str) -> Result<Self> {
        let suite: Suite =
            serde_json::from_str(text).map_err(|e| Error::usage(tr!("suite-not-valid", name = name, error = e)))?;
        suite.check(name, &Machine::describe())?;
        Ok(suite)
    }

    fn check(&self, name: &str, machine: &Machine) -> Result<()> {
        let bad = |what: String| Err(Error::usage(tr!("suite-bad", name = name, what = what)));
        if self.suite.is_empty() || !self.suite.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return bad(tr!("suite-bad-name", name = format!("{:?}", self.suite)));
        }
        if self.runs.is_empty() {
            return bad(tr!("suite-no-runs"));
        }
        let mut seen = std::collections::HashSet::new();
        for run in &self.runs {
            if !seen.insert(run.id.as_str()) {
                return bad(tr!("suite-id-twice", id = format!("{:?}", run.id)));
            }
            match run.lab.validate(machine) {
                // What this machine cannot do is skipped when the run comes, with the reason.
                Err(e) if e.kind != Kind::Unavailable => {
                    return bad(tr!("suite-bad-run", id = format!("{:?}", run.id), what = for_suite(&e.message)));
                }
                _ => {}
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
        assert!(suite.runs.iter().any(|r| matches!(&r.lab, LabParams::Memory(m) if m.huge.0.is_some())));
    }

    #[test]
    fn the_matrix_suite_parses() {
        Suite::parse(include_str!("../../experiments/matrix.json"), "matrix.json").unwrap();
    }

    /// Every shipped suite has its texts in Chinese too.
    #[test]
    fn the_shipped_suites_speak_chinese_too() {
        for (name, text) in [
            ("article.json", include_str!("../../experiments/article.json")),
            ("matrix.json", include_str!("../../experiments/matrix.json")),
            ("containers.json", include_str!("../../experiments/containers.json")),
        ] {
            let suite = Suite::parse(text, name).unwrap();
            assert!(!suite.description_zh.is_empty(), "{name}");
            for run in &suite.runs {
                assert!(!run.title_zh.is_empty(), "{name}: {}", run.id);
                for e in &run.expect {
                    assert!(!e.claim_zh.is_empty(), "{name}: {}", e.claim);
                    assert!(e.article.is_empty() || !e.article_zh.is_empty(), "{name}: {}", e.article);
                    assert_eq!(e.claim_in(Lang::En), e.claim);
                    assert_eq!(e.claim_in(Lang::Zh), e.claim_zh);
                }
            }
        }
        let article = Suite::parse(include_str!("../../experiments/article.json"), "article.json").unwrap();
        assert_eq!(article.runs[0].expect[0].article_in(Lang::Zh), "最终值 20、17、14、15（共 100）");
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
        assert!(m.contains("lock none: there is nothing to hold"), "{m}");
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
        assert!(m.contains(r#"run "l""#) && m.contains("\"lots\" is not a size"), "{m}");
        // A limits check is a question; a size that cannot fit is its answer.
        Suite::parse(r#"{"suite": "x", "runs": [{"experiment": "limits", "id": "l", "check": "100TiB"}]}"#, "x")
            .unwrap();
    }

    /// A suite run and the same command line mean the same parameters: the
    /// recorded `params` of both are equal, defaults included, for every lab.
    #[test]
    fn a_suite_run_and_its_command_line_record_the_same_params() {
        use crate::cli::{BenchCommand, Cli, Command};
        use clap::Parser;
        let cases: [(&str, &[&str]); 13] = [
            (
                r#"{"experiment": "racing", "id": "x", "backends": ["xsi", "mmap"], "children": 7}"#,
                &["racing", "--backend", "xsi", "--backend", "mmap", "--children", "7"],
            ),
            (r#"{"experiment": "crash", "id": "x", "locks": ["mutex"]}"#, &["crash", "--lock", "mutex"]),
            (
                r#"{"experiment": "bench-locks", "id": "x", "locks": ["atomic"], "procs": [1]}"#,
                &["bench", "locks", "--lock", "atomic", "--procs", "1"],
            ),
            (
                r#"{"experiment": "memory", "id": "x", "backends": ["mmap"], "size": "64MiB"}"#,
                &["memory", "--backend", "mmap", "--size", "64MiB"],
            ),
            (r#"{"experiment": "limits", "id": "x", "check": "1GiB"}"#, &["limits", "--check", "1GiB"]),
            (r#"{"experiment": "inspect", "id": "x", "all": true}"#, &["inspect", "--all"]),
            (r#"{"experiment": "lifecycle", "id": "x", "backend": "posix"}"#, &["lifecycle", "--backend", "posix"]),
            (
                r#"{"experiment": "compare-pages", "id": "x", "size": "64MiB", "access": "random"}"#,
                &["memory", "--compare-pages", "--size", "64MiB", "--access", "random"],
            ),
            (
                r#"{"experiment": "bench-ipc", "id": "x", "sizes": [64, "4KiB"], "transports": ["pipe"], "cpus": "0,0"}"#,
                &["bench", "ipc", "--sizes", "64,4KiB", "--transport", "pipe", "--cpus", "0,0"],
            ),
            (r#"{"experiment": "posix", "id": "x"}"#, &["posix"]),
            (r#"{"experiment": "container", "id": "x", "step": "dev-shm-size"}"#, &["container", "dev-shm-size"]),
            (
                r#"{"experiment": "container", "id": "x", "all": true, "limit": "128MiB"}"#,
                &["container", "--all", "--limit", "128MiB"],
            ),
            (
                r#"{"experiment": "ftok", "id": "x", "paths": ["/etc/passwd"], "no_demo": true}"#,
                &["ftok", "/etc/passwd", "--no-demo"],
            ),
        ];
        for (run, args) in cases {
            let suite = Suite::parse(&format!(r#"{{"suite": "x", "runs": [{run}]}}"#), "x").unwrap();
            let from_suite = suite.runs[0].lab.recorded();
            let command = Cli::try_parse_from(std::iter::once("shmlab").chain(args.iter().copied())).unwrap().command;
            let from_cli = match command {
                Command::Racing(a) => serde_json::to_value(a.params),
                Command::Crash(a) => serde_json::to_value(a.params),
                Command::Bench(BenchCommand::Locks(a)) => serde_json::to_value(a.params),
                Command::Bench(BenchCommand::Ipc(a)) => serde_json::to_value(a.params),
                Command::Posix(a) => serde_json::to_value(a.params),
                Command::Container(a) => serde_json::to_value(a.params),
                Command::Memory(a) if a.params.compare_pages => {
                    serde_json::to_value(crate::experiment::compare_pages::Params {
                        size: a.params.size,
                        reserve_hugepages: a.params.reserve_hugepages,
                        access: a.params.access.unwrap_or_default(),
                    })
                }
                Command::Memory(a) => serde_json::to_value(a.params),
                Command::Limits(a) => serde_json::to_value(a.params),
                Command::Inspect(a) => serde_json::to_value(a.params),
                Command::Lifecycle(a) => serde_json::to_value(a.params),
                Command::Ftok(a) => serde_json::to_value(a.params),
                other => panic!("{other:?}"),
            }
            .unwrap();
            assert_eq!(from_suite, from_cli, "{args:?}");
        }
    }

    #[test]
    fn the_bench_ops_default_is_the_command_lines() {
        let text =
            r#"{"suite": "x", "runs": [{"experiment": "bench-locks", "id": "b", "locks": ["atomic"], "procs": [1]}]}"#;
        let LabParams::BenchLocks(b) = &Suite::parse(text, "x").unwrap().runs[0].lab else { unreachable!() };
        assert_eq!(b.ops, 200_000);
    }
}

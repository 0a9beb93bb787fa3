//! The results model: the records every experiment produces.
//!
//! Field names are a contract with other tools (`schema_version` 1); add
//! fields, never rename them.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::kernel::machine::Machine;

mod bench;
mod compare;
mod container;
mod crash;
mod ftok;
mod inspect;
mod ipc;
mod lifecycle;
mod limits;
mod list;
mod memory;
mod posix;
mod race_trace;
mod racing;

pub use bench::BenchRecord;
pub use compare::{CompareDocument, ComparedClaim, ComparedFigure, ComparedRun, RunStatus, RunValue};
pub use container::{Charge, ContainerRecord, ContainerStep};
pub use crash::{CrashRecord, CrashVerdict};
pub use ftok::FtokRecord;
pub use inspect::InspectRecord;
pub use ipc::{IpcMode, IpcRecord, Spread};
pub use lifecycle::Step;
pub use limits::{Check, Demo, Limits, LimitsRecord, Refusal, Request};
pub use list::Item;
pub use memory::{MemoryPhase, MemoryRecord, PageCompareRecord, Phase, PoolReservation, RandomAccess};
pub use posix::PosixStep;
#[cfg(test)]
pub use race_trace::test_entry;
pub use race_trace::{TraceEntry, TraceStats, TrialTrace, account, eraser_of, stats};
pub use racing::{RacingRecord, ScheduleRun, ScheduledStep};

/// The version of the JSON layout below. 2: measurements are stored as
/// measured (no longer rounded), runs and documents record their `params`,
/// verdicts may be `inconclusive`, and inspect and lifecycle records can be
/// in a suite's records (see docs/results.md).
pub const SCHEMA_VERSION: u32 = 2;

/// A whole run as written to JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document<R> {
    pub schema_version: u32,
    pub experiment: String,
    pub machine: Machine,
    /// The language of the human-readable texts (notes, reasons) in it;
    /// field names and enum values never change with it.
    #[serde(default)]
    pub lang: Lang,
    /// The lab's parameters, every default filled in: what a suite run
    /// with the same parameters records too.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub params: serde_json::Value,
    pub records: Vec<R>,
}

impl<R> Document<R> {
    pub fn new(experiment: &str, params: serde_json::Value, records: Vec<R>) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            experiment: experiment.to_string(),
            machine: Machine::describe(),
            lang: crate::i18n::current(),
            params,
            records,
        }
    }
}

/// Declares `AnyRecord` with one variant per kind of record, and the
/// conversions to and from each kind.
macro_rules! any_record {
    ($($variant:ident($record:ty)),* $(,)?) => {
        /// Any lab's record, tagged with its experiment, as stored in a
        /// suite's `results.json`.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(tag = "experiment", rename_all = "kebab-case")]
        pub enum AnyRecord {
            $($variant($record),)*
        }

        $(
            impl From<$record> for AnyRecord {
                fn from(r: $record) -> Self {
                    AnyRecord::$variant(r)
                }
            }

            impl TryFrom<AnyRecord> for $record {
                type Error = AnyRecord;
                fn try_from(r: AnyRecord) -> Result<Self, AnyRecord> {
                    match r {
                        AnyRecord::$variant(x) => Ok(x),
                        other => Err(other),
                    }
                }
            }
        )*
    };
}

any_record! {
    Racing(RacingRecord),
    Crash(CrashRecord),
    BenchLocks(BenchRecord),
    Memory(MemoryRecord),
    ComparePages(PageCompareRecord),
    Limits(LimitsRecord),
    Inspect(InspectRecord),
    Lifecycle(Step),
    BenchIpc(IpcRecord),
    Posix(PosixStep),
    Container(ContainerRecord),
    Ftok(FtokRecord),
}

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
    /// The status as people read it, in the language shmlab speaks (JSON
    /// keeps its kebab-case name: `reproduced`, `differs`, ...).
    pub fn label(self) -> String {
        crate::i18n::t(match self {
            Status::Reproduced => "verdict-reproduced",
            Status::Differs => "verdict-differs",
            Status::Inconclusive => "verdict-inconclusive",
            Status::Skipped => "verdict-skipped",
        })
    }
}

/// `11 reproduced, 1 differs, 0 skipped` (inconclusive only when there are any).
pub fn tally(verdicts: &[Verdict]) -> String {
    let count = |s: Status| verdicts.iter().filter(|v| v.status == s).count();
    let mut parts = vec![
        crate::tr!("tally-reproduced", n = count(Status::Reproduced)),
        crate::tr!("tally-differ", n = count(Status::Differs)),
    ];
    if count(Status::Inconclusive) > 0 {
        parts.push(crate::tr!("tally-inconclusive", n = count(Status::Inconclusive)));
    }
    parts.push(crate::tr!("tally-skipped", n = count(Status::Skipped)));
    parts.join(&crate::i18n::t("tally-gap"))
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
    /// The title, in English as the suite file gives it.
    pub title: String,
    /// The title in Chinese, if the suite file gives one (`title_zh`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title_zh: String,
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
    /// The lab's parameters, every default filled in (as `--json` of the
    /// same command records them). Absent in files before schema 2.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub params: serde_json::Value,
    /// The claims judged on this run, as the suite file gives them (both
    /// languages): `shmlab report` judges the records again with them, so
    /// that the verdicts can be shown in either language. Absent in files
    /// written before it was recorded (their verdicts are shown as stored).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expect: Vec<crate::suite::spec::Expectation>,
}

impl RunSummary {
    /// The title in `lang`.
    pub fn title_in(&self, lang: Lang) -> &str {
        crate::suite::spec::pick(lang, &self.title, &self.title_zh)
    }

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
    /// The description, in English as the suite file gives it.
    pub description: String,
    /// The description in Chinese, if the suite file gives one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description_zh: String,
    /// When the run started, RFC 3339 UTC.
    pub started_utc: String,
    pub machine: Machine,
    /// The language of the verdicts' and runs' texts, and of report.md
    /// (`shmlab report --lang` renders the other); field names and enum
    /// values never change with it. Files before it was recorded: English.
    #[serde(default)]
    pub lang: Lang,
    pub runs: Vec<RunSummary>,
    pub records: Vec<SuiteRecord>,
    pub verdicts: Vec<Verdict>,
}

impl SuiteDocument {
    /// The description in `lang`.
    pub fn description_in(&self, lang: Lang) -> &str {
        crate::suite::spec::pick(lang, &self.description, &self.description_zh)
    }
}

/// The median of a sample of whole numbers: the middle value, or for an
/// even count the mean of the two middle values (so it may end in .5).
#[derive(Debug, Clone, Copy, Default, PartialEq, PartialOrd)]
pub struct Median(pub f64);

impl std::fmt::Display for Median {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.fract() == 0.0 { write!(f, "{}", self.0) } else { write!(f, "{:.1}", self.0) }
    }
}

/// Minimum, median and maximum of a sample.
pub fn min_median_max(values: &[u64]) -> Option<(u64, Median, u64)> {
    let as_f64: Vec<f64> = values.iter().map(|v| *v as f64).collect();
    let (lo, median, hi) = spread(&as_f64)?;
    Some((lo as u64, Median(median), hi as u64))
}

/// Minimum, median (the mean of the middle two for an even count) and
/// maximum of measurements: the one median every table and figure uses.
pub fn spread(values: &[f64]) -> Option<(f64, f64, f64)> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    Some((sorted[0], (sorted[(n - 1) / 2] + sorted[n / 2]) / 2.0, sorted[n - 1]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lock::LockKind;
    use crate::region::Backend;

    #[test]
    fn median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(min_median_max(&[5, 1, 3]), Some((1, Median(3.0), 5)));
        assert_eq!(min_median_max(&[4, 1, 3, 2]), Some((1, Median(2.5), 4)));
        assert_eq!(min_median_max(&[14, 16, 15, 15]).map(|m| m.1.to_string()), Some("15".into()));
        assert_eq!(min_median_max(&[14, 15]).map(|m| m.1.to_string()), Some("14.5".into()));
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

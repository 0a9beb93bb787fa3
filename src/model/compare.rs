//! The records of `shmlab compare`: many runs' figures side by side.

use serde::{Deserialize, Serialize};

use super::Status;

/// What `shmlab compare --json` writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CompareDocument {
    pub schema_version: u32,
    /// Always `compare`.
    pub experiment: String,
    /// The runs, in the order they were given.
    pub runs: Vec<ComparedRun>,
    /// Every claim judged in any of the runs, with each run's status.
    pub claims: Vec<ComparedClaim>,
    /// Every figure found in more than zero runs, with each run's value.
    pub figures: Vec<ComparedFigure>,
}

/// One run directory and the machine it was measured on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ComparedRun {
    /// How the tables name this run: the directory's name (`#2`, `#3` ...
    /// added when two are the same).
    pub label: String,
    /// The directory as given.
    pub dir: String,
    pub suite: String,
    pub started_utc: String,
    pub kernel: String,
    pub cpus: usize,
    pub mem_total_kib: u64,
    /// The schema version the run's results.json was written with.
    pub schema_version: u32,
}

/// One claim (a suite run's id and its claim text) across the runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ComparedClaim {
    pub run: String,
    /// The claim in English, as the suite file gives it.
    pub claim: String,
    /// The claim in the language shmlab speaks, for the tables; not in JSON.
    #[serde(skip)]
    pub shown: String,
    /// One per run that judged this claim; a run that did not is absent.
    pub statuses: Vec<RunStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RunStatus {
    /// A run's label.
    pub label: String,
    pub status: Status,
}

/// One figure (e.g. the median final of the mmap race, the ns/op of a
/// lock) across the runs that measured it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ComparedFigure {
    /// The group it is shown in: `racing`, `locks`, `memory`, `pages`, `ipc`.
    pub group: String,
    /// What it is, the same words in every run (English, whatever the
    /// language of the runs: it is how the runs' figures line up).
    pub figure: String,
    /// What it is in the language shmlab speaks, for the tables; not in JSON.
    #[serde(skip)]
    pub shown: String,
    pub unit: String,
    pub values: Vec<RunValue>,
    pub min: f64,
    pub median: f64,
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RunValue {
    /// A run's label.
    pub label: String,
    pub value: f64,
}

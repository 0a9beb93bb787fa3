//! The labs, and what every lab is: parameters, a plan validated from
//! them, and a run that turns the plan into records.
//!
//! ```text
//! command line ─┐                      ┌─> records ─> text, JSON, Markdown, charts
//!               ├─> Params ─> validate ┤
//! suite file ───┘   (one type)  (Plan) └─> events: notes and progress for the front end
//! ```
//!
//! A lab's `Params` is one type that both clap (the command line) and
//! serde (suite files) read, so a default or a bound is written once; its
//! `validate` is the only place that checks parameters, and names them
//! neutrally (`Param`), so that each front end says them its own way
//! (`--children`, `children`). `run` reports notes and finished records to
//! an [`Events`] sink and prints nothing itself. To add a lab, see
//! docs/architecture.md.

pub mod bench_ipc;
pub mod bench_locks;
pub mod bounds;
pub mod children;
pub mod compare_pages;
pub mod container;
pub mod crash;
pub mod ftok;
pub mod inspect;
pub mod layout;
pub mod lifecycle;
pub mod limits;
pub mod memory;
pub mod params;
pub mod posix;
pub mod racing;
pub mod random_access;
pub mod refusals;
pub mod replay;
pub mod schedule;
pub mod trace_slots;
pub mod wait;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Result;
use crate::kernel::machine::Machine;
use crate::model::AnyRecord;

/// What a lab tells its front end while it runs. The front end decides
/// what to show (a terminal, a suite's progress bar, nothing in a test).
pub trait Events {
    /// Words a person should read now (`holding 2046 MiB ... look at free now`).
    fn note(&mut self, text: &str);
    /// One record is finished: for progress, and so that a run that fails
    /// later still keeps what finished.
    fn finished(&mut self, record: &AnyRecord);
}

/// Events nobody watches.
pub struct Quiet;

impl Events for Quiet {
    fn note(&mut self, _: &str) {}
    fn finished(&mut self, _: &AnyRecord) {}
}

/// One lab: its parameters, its validated plan, its records.
pub trait Lab {
    /// Its name in suite files and JSON (`racing`, `bench-locks`).
    const NAME: &'static str;
    /// What the command line and a suite file may say, with every default.
    type Params: clap::Args + Serialize + DeserializeOwned + Clone + std::fmt::Debug;
    /// The parameters, checked and resolved (keys looked up, defaults filled).
    type Plan;
    type Record: Clone + Serialize + Into<AnyRecord>;

    /// The only place parameters are checked: bounds, combinations, and
    /// what the machine can never do (too many processes, too much memory).
    fn validate(params: &Self::Params, machine: &Machine) -> Result<Self::Plan>;

    /// Runs the plan against the real kernel.
    fn run(plan: &Self::Plan, events: &mut dyn Events) -> Result<Vec<Self::Record>>;

    /// Why a run that ended is a failure anyway (a correct lock that lost
    /// updates, a prediction the kernel contradicted), if it is.
    fn failure(_records: &[Self::Record]) -> Option<String> {
        None
    }
}

/// Validates and runs a lab with its parameters: records in the shape
/// every report reads, or the error, or the failure of a run that ended.
pub fn run_any<L: Lab>(params: &L::Params, machine: &Machine, events: &mut dyn Events) -> Result<Vec<AnyRecord>> {
    let plan = L::validate(params, machine)?;
    let records = L::run(&plan, events)?;
    if let Some(why) = L::failure(&records) {
        return Err(crate::error::Error::failed(why));
    }
    Ok(records.into_iter().map(Into::into).collect())
}

/// Registers the labs a suite can run: one line per lab.
macro_rules! labs {
    ($($variant:ident => $lab:ty),* $(,)?) => {
        /// A lab and its parameters, as a run of a suite file names them
        /// (`"experiment": "racing"`, then the lab's own fields).
        #[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
        #[serde(tag = "experiment", rename_all = "kebab-case")]
        pub enum LabParams {
            $($variant(<$lab as Lab>::Params),)*
        }

        impl LabParams {
            /// The lab's name, as in the file.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => <$lab as Lab>::NAME,)*
                }
            }

            /// Checks the parameters, as the command line would.
            pub fn validate(&self, machine: &Machine) -> Result<()> {
                match self {
                    $(Self::$variant(p) => <$lab as Lab>::validate(p, machine).map(drop),)*
                }
            }

            /// Validates and runs the lab.
            pub fn run(&self, machine: &Machine, events: &mut dyn Events) -> Result<Vec<AnyRecord>> {
                match self {
                    $(Self::$variant(p) => run_any::<$lab>(p, machine, events),)*
                }
            }

            /// The parameters as recorded in results.json.
            pub fn recorded(&self) -> serde_json::Value {
                match self {
                    $(Self::$variant(p) => serde_json::to_value(p).unwrap_or_default(),)*
                }
            }
        }
    };
}

labs! {
    Racing => racing::Racing,
    Crash => crash::Crash,
    BenchLocks => bench_locks::BenchLocks,
    Memory => memory::Memory,
    ComparePages => compare_pages::ComparePages,
    Limits => limits::LimitsLab,
    Inspect => inspect::Inspect,
    Lifecycle => lifecycle::Lifecycle,
    BenchIpc => bench_ipc::BenchIpc,
    Posix => posix::Posix,
    Container => container::Container,
    Ftok => ftok::Ftok,
}

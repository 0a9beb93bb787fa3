//! Command-line definitions (clap derive) and nothing else: parsing only,
//! no behaviour. Validation that needs the system lives in the experiments.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::region::Backend;

const ABOUT: &str = "A lab for Linux shared memory: run the experiments, see the numbers, learn why.";

const EXAMPLES: &str = "\
Examples:
  shmlab racing --backend xsi             100 children race on an XSI segment
  shmlab racing --backend all --trials 20 every backend, 20 trials each
  shmlab racing --help                    all options of the racing lab";

#[derive(Debug, Parser)]
#[command(name = "shmlab", version, about = ABOUT, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Forked children race on one counter in shared memory; count the lost updates.
    #[command(after_help = RACING_EXAMPLES)]
    Racing(RacingArgs),
}

const RACING_EXAMPLES: &str = "\
Examples:
  shmlab racing --backend xsi                       the article's racing_xsi_shm
  shmlab racing --backend mmap --trials 20          a distribution of 20 finals
  shmlab racing --backend all --json results.json   every backend, saved as JSON
  shmlab racing --children 1                        one child: never loses an update
  shmlab racing --backend xsi --proj-id 7           another ftok key (low 8 bits count)";

/// `--backend` values: one backend, or `all`. Repeatable.
fn backend_parser() -> impl TypedValueParser<Value = Vec<Backend>> {
    let mut values: Vec<PossibleValue> =
        Backend::value_variants().iter().filter_map(|b| b.to_possible_value()).collect();
    values.push(PossibleValue::new("all").help("every backend"));
    PossibleValuesParser::new(values).map(|name| {
        if name == "all" { Backend::ALL.to_vec() } else { Backend::from_str(&name, false).into_iter().collect() }
    })
}

#[derive(Debug, Args)]
pub struct RacingArgs {
    /// Shared-memory backend to race on (repeatable; `all` for every one) [default: mmap]
    #[arg(long = "backend", value_name = "BACKEND", value_parser = backend_parser())]
    pub backends: Vec<Vec<Backend>>,

    /// Forked children per trial
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    pub children: u32,

    /// Trials per backend
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub trials: u32,

    /// Microseconds each child sleeps between reading and writing the counter
    #[arg(long, default_value_t = 1, value_name = "MICROSECONDS")]
    pub delay_us: u64,

    /// Critical sections per child
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub iterations: u32,

    /// File whose inode and device ftok turns into the xsi key
    #[arg(long, default_value = "/etc/passwd", value_name = "PATH")]
    pub key_path: PathBuf,

    /// ftok project id for the xsi key (only its low 8 bits are used; they must not be 0)
    #[arg(long, default_value_t = 1234, value_name = "N")]
    pub proj_id: i32,

    /// Seconds a trial's children may run before they are killed [default: 10 + 2 × children × iterations × (delay + 200 µs)]
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,

    /// Write the results as JSON to FILE (`-` for standard output)
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

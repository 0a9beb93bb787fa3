//! Command-line definitions (clap derive) and nothing else: parsing only,
//! no behaviour. Validation that needs the system lives in the experiments.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::lock::LockKind;
use crate::region::Backend;

const ABOUT: &str = "A lab for Linux shared memory: run the experiments, see the numbers, learn why.";

const EXAMPLES: &str = "\
Examples:
  shmlab racing --backend xsi             100 children race on an XSI segment
  shmlab racing --backend all --trials 20 every backend, 20 trials each
  shmlab racing --lock all --children 50  every protection, and what it fixes
  shmlab crash                            kill a lock holder: who recovers?
  shmlab bench locks --procs 1            what each lock costs
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
    /// Kill a lock holder with SIGKILL and see what the waiters experience.
    #[command(after_help = CRASH_EXAMPLES)]
    Crash(CrashArgs),
    /// Benchmarks: what each lock costs per protected increment.
    #[command(subcommand)]
    Bench(BenchCommand),
}

const CRASH_EXAMPLES: &str = "\
Examples:
  shmlab crash                          every lock that can be held
  shmlab crash --lock mutex --lock posix-sem
  shmlab crash --lock all --json crash.json";

/// Locks a process can hold (and die holding), for `crash`.
#[derive(Debug, Args)]
pub struct CrashArgs {
    /// Lock whose holder gets killed (repeatable; `all` for every lock that can be held) [default: all]
    #[arg(long = "lock", value_name = "LOCK", value_parser = one_or_all::<LockKind>())]
    pub locks: Vec<Vec<LockKind>>,

    /// Shared-memory backend that hosts the counter and in-memory locks
    #[arg(long, default_value = "mmap", value_name = "BACKEND")]
    pub backend: Backend,

    /// Children waiting for the lock when its holder is killed
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub waiters: u32,

    /// Milliseconds the waiters get after the kill before the lock is called stuck
    #[arg(long, default_value_t = 1000, value_name = "MS", value_parser = clap::value_parser!(u64).range(1..))]
    pub patience_ms: u64,

    /// Write the results as JSON to FILE (`-` for standard output)
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Nanoseconds per protected increment, per lock, with 1 and P processes.
    #[command(after_help = BENCH_LOCKS_EXAMPLES)]
    Locks(BenchLocksArgs),
}

const BENCH_LOCKS_EXAMPLES: &str = "\
Examples:
  shmlab bench locks                         every lock, 1 process and one per CPU
  shmlab bench locks --procs 1 --lock mutex --lock sysv-sem
  shmlab bench locks --procs 4 --ops 50000 --json bench.json";

#[derive(Debug, Args)]
pub struct BenchLocksArgs {
    /// Lock to measure (repeatable; `all`) [default: every lock except the flock-inherited pitfall]
    #[arg(long = "lock", value_name = "LOCK", value_parser = one_or_all::<LockKind>())]
    pub locks: Vec<Vec<LockKind>>,

    /// Contending processes (repeatable) [default: 1 and the number of CPUs]
    #[arg(long = "procs", value_name = "P", value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub procs: Vec<u32>,

    /// Protected increments per process
    #[arg(long, default_value_t = 200_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub ops: u64,

    /// Repeats per measurement; the median is reported
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub repeats: u32,

    /// Write the results as JSON to FILE (`-` for standard output)
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

const RACING_EXAMPLES: &str = "\
Examples:
  shmlab racing --backend xsi                       the article's racing_xsi_shm
  shmlab racing --backend mmap --trials 20          a distribution of 20 finals
  shmlab racing --backend all --json results.json   every backend, saved as JSON
  shmlab racing --children 1                        one child: never loses an update
  shmlab racing --backend xsi --proj-id 7           another ftok key (low 8 bits count)
  shmlab racing --lock flock --lock sysv-sem        the same race, protected
  shmlab racing --backend all --lock all --children 50 --trials 2   every backend x every lock";

/// Values of a repeatable choice flag: one of `T`'s values, or `all`.
fn one_or_all<T: ValueEnum + Clone + Send + Sync + 'static>() -> impl TypedValueParser<Value = Vec<T>> {
    let mut values: Vec<PossibleValue> = T::value_variants().iter().filter_map(|v| v.to_possible_value()).collect();
    values.push(PossibleValue::new("all").help("every one of them"));
    PossibleValuesParser::new(values).map(|name| {
        if name == "all" { T::value_variants().to_vec() } else { T::from_str(&name, false).into_iter().collect() }
    })
}

#[derive(Debug, Args)]
pub struct RacingArgs {
    /// Shared-memory backend to race on (repeatable; `all` for every one) [default: mmap]
    #[arg(long = "backend", value_name = "BACKEND", value_parser = one_or_all::<Backend>())]
    pub backends: Vec<Vec<Backend>>,

    /// Protection around the critical section (repeatable; `all` for every one) [default: none]
    #[arg(long = "lock", value_name = "LOCK", value_parser = one_or_all::<LockKind>())]
    pub locks: Vec<Vec<LockKind>>,

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

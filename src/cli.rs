//! Command-line definitions (clap derive) and nothing else: parsing only,
//! no behaviour. Validation that needs the system lives in the experiments;
//! numeric bounds and defaults come from the experiments' constants (see
//! `experiment::bounds`), which suite files are checked against too.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::experiment::{bench_locks, crash, racing};
use crate::kernel::hugepages::HugePageSize;
use crate::lock::LockKind;
use crate::region::Backend;

const ABOUT: &str = "A lab for Linux shared memory: run the experiments, see the numbers, learn why.";

const EXAMPLES: &str = "\
Examples:
  shmlab racing --backend xsi             100 children race on an XSI segment
  shmlab racing --backend all --trials 20 every backend, 20 trials each
  shmlab reproduce                        the article, figure by figure (the main job)
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
    /// Create, touch and release a large shared segment; watch free and /proc/meminfo.
    #[command(after_help = MEMORY_EXAMPLES)]
    Memory(MemoryArgs),
    /// The limits that stop a shared-memory request (shmmax, shmall, shmmni, huge pages).
    #[command(after_help = LIMITS_EXAMPLES)]
    Limits(LimitsArgs),
    /// Reproduce the article, figure by figure, and say where today's kernel differs.
    #[command(after_help = REPRODUCE_EXAMPLES)]
    Reproduce(ReproduceArgs),
    /// Run a suite of experiments from a JSON file.
    #[command(after_help = RUN_EXAMPLES)]
    Run(RunArgs),
    /// Re-render report.md and the charts of a run directory from its results.json.
    #[command(after_help = REPORT_EXAMPLES)]
    Report(ReportArgs),
    /// Create an object and show the kernel's own view of it (maps, smaps, sysvipc, fd).
    #[command(after_help = INSPECT_EXAMPLES)]
    Inspect(InspectArgs),
    /// A shared memory object's life, step by step, with real separate processes.
    #[command(after_help = LIFECYCLE_EXAMPLES)]
    Lifecycle(LifecycleArgs),
    /// SysV segments and semaphores and /dev/shm objects that exist now, marking shmlab's.
    #[command(after_help = "Examples:\n  shmlab list\n  shmlab list --json -")]
    List(ListArgs),
    /// Remove what a killed shmlab left behind (and nothing else).
    #[command(after_help = "Examples:\n  shmlab clean --dry-run     say what would be removed\n  shmlab clean")]
    Clean(CleanArgs),
    /// Print the JSON Schema of results.json.
    #[command(after_help = "Example:\n  shmlab schema > results.schema.json")]
    Schema,
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  shmlab completions bash > /etc/bash_completion.d/shmlab\n  shmlab completions zsh > ~/.zfunc/_shmlab"
    )]
    Completions(CompletionsArgs),
    /// Print the man page (roff) of shmlab, or write every command's page to a directory.
    #[command(
        after_help = "Examples:\n  shmlab man > shmlab.1 && man ./shmlab.1\n  shmlab man --dir /usr/local/share/man/man1   shmlab.1, shmlab-racing.1, ..."
    )]
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write shmlab.1 and one page per subcommand (shmlab-racing.1, ...) into DIR
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

const REPRODUCE_EXAMPLES: &str = "\
Examples:
  shmlab reproduce                  run experiments/article.json, write results/article-<time>/
  sudo shmlab reproduce             the same, with the huge page experiment (root reserves the pages)
  shmlab reproduce --out /tmp/runs  somewhere else";

#[derive(Debug, Args)]
pub struct ReproduceArgs {
    /// The suite that describes the article [default: experiments/article.json, or the built-in copy]
    #[arg(long, value_name = "FILE")]
    pub suite: Option<PathBuf>,

    /// Directory under which the run directory is created
    #[arg(long, default_value = "results", value_name = "DIR")]
    pub out: PathBuf,
}

const RUN_EXAMPLES: &str = "\
Examples:
  shmlab run experiments/matrix.json        every backend x every lock
  shmlab run my-suite.json --out /tmp/runs";

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The suite file (see experiments/*.json)
    #[arg(value_name = "SUITE.json")]
    pub suite: PathBuf,

    /// Directory under which the run directory is created
    #[arg(long, default_value = "results", value_name = "DIR")]
    pub out: PathBuf,
}

const REPORT_EXAMPLES: &str = "\
Example:
  shmlab report results/reference       rewrite its report.md and SVG charts";

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A run directory holding results.json
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

const MEMORY_EXAMPLES: &str = "\
Examples:
  shmlab memory                                      2046 MiB of mmap shared memory, as in the article
  shmlab memory --backend xsi-private --backend mmap the article's two 4 KiB runs
  shmlab memory --backend xsi --huge 2M --reserve-hugepages   SHM_HUGETLB (as root)
  shmlab memory --size 256MiB --hold 30              keep it for 30 s: run `free -m` meanwhile
  shmlab memory --size 1GiB --compare-pages --reserve-hugepages   4 KiB vs 2 MiB vs THP";

/// A `--huge` value: `none` (4 KiB pages), `2M` or `1G`.
#[derive(Debug, Clone, Copy)]
pub struct Huge(pub Option<HugePageSize>);

fn huge_parser() -> impl TypedValueParser<Value = Huge> {
    PossibleValuesParser::new(["none", "2M", "1G"]).map(|v| {
        Huge(match v.as_str() {
            "2M" => Some(HugePageSize::M2),
            "1G" => Some(HugePageSize::G1),
            _ => None,
        })
    })
}

fn size_parser(text: &str) -> Result<u64, String> {
    crate::size::parse(text)
}

#[derive(Debug, Args)]
pub struct MemoryArgs {
    /// Backend to allocate with (repeatable; `all`) [default: mmap]
    #[arg(long = "backend", value_name = "BACKEND", value_parser = one_or_all::<Backend>())]
    pub backends: Vec<Vec<Backend>>,

    /// Size of the segment: 2046MiB, 2GiB, 1G, or bytes (K/M/G are 1024-based)
    #[arg(long, default_value = "2046MiB", value_parser = size_parser)]
    pub size: u64,

    /// Page size: none (4 KiB), 2M or 1G huge pages
    #[arg(long, default_value = "none", value_parser = huge_parser())]
    pub huge: Huge,

    /// As root, raise vm.nr_hugepages to what the run needs, and restore it afterwards
    #[arg(long)]
    pub reserve_hugepages: bool,

    /// Seconds to keep the touched segment before releasing it (look at `free` meanwhile)
    #[arg(long, default_value_t = 0.0, value_name = "SECONDS")]
    pub hold: f64,

    /// Allow a size larger than MemAvailable minus a safety margin
    #[arg(long)]
    pub force: bool,

    /// Compare 4 KiB pages, 2 MiB huge pages and transparent huge pages at this size
    #[arg(long)]
    pub compare_pages: bool,

    /// File whose inode ftok turns into the xsi key
    #[arg(long, default_value = "/etc/passwd", value_name = "PATH")]
    pub key_path: PathBuf,

    /// ftok project id for the xsi key (low 8 bits, not 0)
    #[arg(long, default_value_t = 1234, value_name = "N")]
    pub proj_id: i32,

    /// Write the results as JSON to FILE (`-` for standard output)
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

const LIMITS_EXAMPLES: &str = "\
Examples:
  shmlab limits                        every limit, with what it means
  shmlab limits --check 3GiB           can a 3 GiB segment be created now? if not, why
  shmlab limits --check 64MiB --huge 2M
  shmlab limits --check 1TiB --try     predict, then ask the kernel for real (a segment made is removed)
  shmlab limits --check 4KiB --key 0x1234 --exclusive --try    EEXIST if key 0x1234 has a segment
  shmlab limits --check 8KiB --key-path /etc/passwd --proj-id 7 --no-create   only look the key up
  shmlab limits --check 4KiB --key 0x1234 --mode 0 --try       ask for no permission at all
  shmlab limits --demo                 (root) lower each limit and watch the kernel refuse

--check asks about one shmget(key, SIZE, flags) call: by default a new private
segment, shmget(IPC_PRIVATE, SIZE, IPC_CREAT|0600).";

/// A SysV key: `0x1234abcd` as ipcs prints it, a decimal number (negative as
/// /proc/sysvipc/shm prints large keys), or `IPC_PRIVATE`.
fn key_parser(text: &str) -> Result<i32, String> {
    let t = text.trim();
    let bad = || format!("{text:?} is not a key: write it as ipcs prints it (0x00001234), in decimal, or IPC_PRIVATE");
    if t.eq_ignore_ascii_case("IPC_PRIVATE") {
        return Ok(0);
    }
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return u32::from_str_radix(hex, 16).map(|k| k as i32).map_err(|_| bad());
    }
    t.parse::<i32>().or_else(|_| t.parse::<u32>().map(|k| k as i32)).map_err(|_| bad())
}

/// Permission bits in octal: `600`, `0600`, `0o644`.
fn mode_parser(text: &str) -> Result<u32, String> {
    let t = text.trim();
    let digits = t.strip_prefix("0o").unwrap_or(t);
    u32::from_str_radix(digits, 8)
        .ok()
        .filter(|m| *m <= 0o777)
        .ok_or_else(|| format!("{text:?} is not a mode: write permission bits in octal, 0 to 777 (e.g. 600, 0644)"))
}

#[derive(Debug, Args)]
pub struct LimitsArgs {
    /// Say whether a segment of this size can be created now, and what stops it
    #[arg(long, value_name = "SIZE", value_parser = size_parser)]
    pub check: Option<u64>,

    /// Page size for --check: none, 2M or 1G
    #[arg(long, default_value = "none", value_parser = huge_parser())]
    pub huge: Huge,

    /// Key for --check: 0x1234abcd as ipcs prints it, or decimal [default: IPC_PRIVATE, a new private segment]
    #[arg(long, value_name = "KEY", value_parser = key_parser, allow_negative_numbers = true, requires = "check", conflicts_with = "key_path")]
    pub key: Option<i32>,

    /// Key for --check from ftok: a file whose inode and device make the key (with --proj-id)
    #[arg(long, value_name = "PATH", requires = "check")]
    pub key_path: Option<PathBuf>,

    /// ftok project id for --key-path (low 8 bits, not 0) [default: 1234]
    #[arg(long, value_name = "N", requires = "key_path")]
    pub proj_id: Option<i32>,

    /// For --check: IPC_CREAT|IPC_EXCL, fail with EEXIST if the key already has a segment
    #[arg(long, requires = "check", conflicts_with = "no_create")]
    pub exclusive: bool,

    /// For --check: leave IPC_CREAT out, only look the key up (ENOENT if it has no segment)
    #[arg(long, requires = "check")]
    pub no_create: bool,

    /// For --check: permission bits in octal; a new segment gets them, an existing one must grant them [default: 600]
    #[arg(long, value_name = "OCTAL", value_parser = mode_parser, requires = "check")]
    pub mode: Option<u32>,

    /// For --check: then call shmget for real with exactly those flags, show what the kernel said, remove what it created
    #[arg(long = "try", requires = "check")]
    pub try_call: bool,

    /// (root) Lower shmmax, shmall and shmmni in turn, show the kernel's refusal, restore them
    #[arg(long)]
    pub demo: bool,

    /// Write the results as JSON to FILE (`-` for standard output)
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_modes_parse_as_people_write_them() {
        assert_eq!(key_parser("0x00001234"), Ok(0x1234));
        assert_eq!(key_parser("0xdeadbeef"), Ok(0xdeadbeef_u32 as i32));
        assert_eq!(key_parser("-1270092997"), Ok(-1270092997));
        assert_eq!(key_parser("4660"), Ok(4660));
        assert_eq!(key_parser("IPC_PRIVATE"), Ok(0));
        assert!(key_parser("0xZZ").is_err());
        assert_eq!(mode_parser("600"), Ok(0o600));
        assert_eq!(mode_parser("0644"), Ok(0o644));
        assert_eq!(mode_parser("0"), Ok(0));
        assert!(mode_parser("800").is_err());
        assert!(mode_parser("1777").is_err());
    }
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
    #[arg(long = "lock", value_name = "LOCK", value_parser = some_or_all::<LockKind>(|k| k.can_be_held()))]
    pub locks: Vec<Vec<LockKind>>,

    /// Shared-memory backend that hosts the counter and in-memory locks
    #[arg(long, default_value = "mmap", value_name = "BACKEND")]
    pub backend: Backend,

    /// Children waiting for the lock when its holder is killed
    #[arg(long, default_value_t = crash::DEFAULT_WAITERS, value_parser = crash::WAITERS.parser_u32())]
    pub waiters: u32,

    /// Milliseconds the waiters get after the kill before the lock is called stuck
    #[arg(long, default_value_t = crash::DEFAULT_PATIENCE_MS, value_name = "MS", value_parser = crash::PATIENCE_MS.parser_u64())]
    pub patience_ms: u64,

    /// ftok project id for the xsi backend's key (low 8 bits, not 0; 1234 as in the racing lab)
    #[arg(long, default_value_t = 1234, value_name = "N")]
    pub proj_id: i32,

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
    #[arg(long = "procs", value_name = "P", value_parser = bench_locks::PROCS.parser_u32())]
    pub procs: Vec<u32>,

    /// Protected increments per process
    #[arg(long, default_value_t = bench_locks::DEFAULT_OPS, value_parser = bench_locks::OPS.parser_u64())]
    pub ops: u64,

    /// Repeats per measurement; the median is reported
    #[arg(long, default_value_t = bench_locks::DEFAULT_REPEATS, value_parser = bench_locks::REPEATS.parser_u32())]
    pub repeats: u32,

    /// Show every repeat's ns/op, not only the median and spread
    #[arg(long)]
    pub long: bool,

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
    some_or_all(|_: &T| true)
}

/// Like [`one_or_all`] for the values `accepted` lets through: only those
/// are offered in `--help` (and `all` means all of them). The others still
/// parse, hidden, so that the command can say why it cannot take them.
fn some_or_all<T: ValueEnum + Clone + Send + Sync + 'static>(
    accepted: fn(&T) -> bool,
) -> impl TypedValueParser<Value = Vec<T>> {
    let chosen: Vec<T> = T::value_variants().iter().filter(|v| accepted(v)).cloned().collect();
    let mut values: Vec<PossibleValue> =
        T::value_variants().iter().filter_map(|v| v.to_possible_value().map(|p| p.hide(!accepted(v)))).collect();
    values.push(PossibleValue::new("all").help("every one of them"));
    PossibleValuesParser::new(values)
        .map(move |name| if name == "all" { chosen.clone() } else { T::from_str(&name, false).into_iter().collect() })
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
    #[arg(long, default_value_t = racing::DEFAULT_CHILDREN, value_parser = racing::CHILDREN.parser_u32())]
    pub children: u32,

    /// Trials per backend
    #[arg(long, default_value_t = racing::DEFAULT_TRIALS, value_parser = racing::TRIALS.parser_u32())]
    pub trials: u32,

    /// Microseconds each child sleeps between reading and writing the counter
    #[arg(long, default_value_t = racing::DEFAULT_DELAY_US, value_name = "MICROSECONDS", value_parser = racing::DELAY_US.parser_u64())]
    pub delay_us: u64,

    /// Critical sections per child
    #[arg(long, default_value_t = racing::DEFAULT_ITERATIONS, value_parser = racing::ITERATIONS.parser_u32())]
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

    /// Show every trial's final, lost and wall time, not only their summary
    #[arg(long)]
    pub long: bool,

    /// Write the results as JSON to FILE (`-` for standard output)
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Write the list as JSON to FILE (`-` for standard output)
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Only say what would be removed
    #[arg(long)]
    pub dry_run: bool,
}

const INSPECT_EXAMPLES: &str = "\
Examples:
  shmlab inspect --all                  every backend side by side
  shmlab inspect --backend xsi          the SYSV file behind a segment, and its /proc/sysvipc/shm row
  shmlab inspect --backend memfd --huge 2M   (needs one free huge page)";

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Backend to inspect (repeatable; `all`) [default: mmap]
    #[arg(long = "backend", value_name = "BACKEND", value_parser = one_or_all::<Backend>())]
    pub backends: Vec<Vec<Backend>>,

    /// Every backend (the same as --backend all)
    #[arg(long)]
    pub all: bool,

    /// Page size: none, 2M or 1G (mmap, xsi, xsi-private and memfd only)
    #[arg(long, default_value = "none", value_parser = huge_parser())]
    pub huge: Huge,

    /// ftok project id for the xsi key (low 8 bits, not 0). Not the racing lab's 1234, so that
    /// inspect can run while a racing or memory run holds that key
    #[arg(long, default_value_t = 105, value_name = "N")]
    pub proj_id: i32,

    /// Write the results as JSON to FILE (`-` for standard output)
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

const LIFECYCLE_EXAMPLES: &str = "\
Examples:
  shmlab lifecycle                       an XSI segment outlives its creator, then is marked for removal
  shmlab lifecycle --backend posix       the same with a name in /dev/shm
  shmlab lifecycle --backend mmap        anonymous memory dies with its processes";

/// The backends lifecycle can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LifecycleBackend {
    Xsi,
    Posix,
    Mmap,
}

#[derive(Debug, Args)]
pub struct LifecycleArgs {
    /// Which kind of object
    #[arg(long, default_value = "xsi", value_name = "BACKEND")]
    pub backend: LifecycleBackend,

    /// File whose inode ftok turns into the xsi key
    #[arg(long, default_value = "/etc/passwd", value_name = "PATH")]
    pub key_path: PathBuf,

    /// ftok project id for the xsi key (low 8 bits, not 0). Not the racing lab's 1234, so that
    /// lifecycle can run while a racing or memory run holds that key
    #[arg(long, default_value_t = 108, value_name = "N")]
    pub proj_id: i32,

    /// Write the steps as JSON to FILE (`-` for standard output)
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    pub shell: clap_complete::Shell,
}

//! Command-line definitions (clap derive) and nothing else: parsing only,
//! no behaviour. Each lab's options are its `Params` type, defined once in
//! the lab's own file and read by suite files too; this file adds the
//! subcommands, their examples, and what only the command line has
//! (`--json`). Every check of the values is the lab's `validate`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::experiment::{
    bench_ipc, bench_locks, container, crash, ftok, inspect, lifecycle, limits, memory, posix, racing,
};

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

    /// Language of everything shmlab prints but JSON: en or zh [default: from LC_ALL, LC_MESSAGES or LANG, else en]
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<crate::i18n::Lang>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Forked children race on one counter in shared memory; count the lost updates.
    #[command(after_help = RACING_EXAMPLES)]
    Racing(LabArgs<racing::Params>),
    /// Kill a lock holder with SIGKILL and see what the waiters experience.
    #[command(after_help = CRASH_EXAMPLES)]
    Crash(LabArgs<crash::Params>),
    /// Benchmarks: what each lock costs per protected increment.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Create, touch and release a large shared segment; watch free and /proc/meminfo.
    #[command(after_help = MEMORY_EXAMPLES)]
    Memory(LabArgs<memory::Params>),
    /// The limits that stop a shared-memory request (shmmax, shmall, shmmni, huge pages).
    #[command(after_help = LIMITS_EXAMPLES)]
    Limits(LabArgs<limits::Params>),
    /// Reproduce the article, figure by figure, and say where today's kernel differs.
    #[command(after_help = REPRODUCE_EXAMPLES)]
    Reproduce(ReproduceArgs),
    /// Run a suite of experiments from a JSON file.
    #[command(after_help = RUN_EXAMPLES)]
    Run(RunArgs),
    /// Re-render report.md and the charts of a run directory from its results.json.
    #[command(after_help = REPORT_EXAMPLES)]
    Report(ReportArgs),
    /// Many runs side by side (a class's machines, or one machine over time): what varies, what does not.
    #[command(after_help = COMPARE_EXAMPLES)]
    Compare(CompareArgs),
    /// Create an object and show the kernel's own view of it (maps, smaps, sysvipc, fd).
    #[command(after_help = INSPECT_EXAMPLES)]
    Inspect(LabArgs<inspect::Params>),
    /// A shared memory object's life, step by step, with real separate processes.
    #[command(after_help = LIFECYCLE_EXAMPLES)]
    Lifecycle(LabArgs<lifecycle::Params>),
    /// What a POSIX shm descriptor gives you: fstat, poll/select/epoll, SCM_RIGHTS, seals.
    #[command(after_help = POSIX_EXAMPLES)]
    Posix(LabArgs<posix::Params>),
    /// Shared memory in containers: IPC namespaces, a 64 MiB /dev/shm, cgroup charges, shm_rmid_forced.
    #[command(after_help = CONTAINER_EXAMPLES)]
    Container(LabArgs<container::Params>),
    /// How ftok makes a System V key from a file (inode, device, proj_id), and when two files share one.
    #[command(after_help = FTOK_EXAMPLES)]
    Ftok(LabArgs<ftok::Params>),
    /// (internal) the receiving side of `shmlab posix`'s descriptor passing
    #[command(name = "__posix-helper", hide = true)]
    PosixHelper(PosixHelperArgs),
    /// SysV segments, semaphores and message queues and /dev/shm objects that exist now, marking shmlab's.
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

/// A lab's options on the command line: its parameters, and where the
/// results go.
#[derive(Debug, Args)]
pub struct LabArgs<P: Args> {
    #[command(flatten)]
    pub params: P,

    /// Write the results as JSON to FILE (`-` for standard output)
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write shmlab.1 and one page per subcommand (shmlab-racing.1, ...) into DIR
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

const FTOK_EXAMPLES: &str = "\
Examples:
  shmlab ftok                              hard link, rename, recreate, a collision, in a temporary directory
  shmlab ftok /etc/passwd --proj-id 1234   the key of the article's file, taken apart
  shmlab ftok /etc/passwd /etc/group --no-demo   only these files' keys";

const CONTAINER_EXAMPLES: &str = "\
Examples:
  shmlab container ipc-namespace         one key, two namespaces, two segments
  shmlab container dev-shm-size          a 64 MiB /dev/shm: SIGBUS, ENOSPC
  sudo shmlab container cgroup-charge    who pays for shared memory; OOM kill
  shmlab container rmid-forced           shm_rmid_forced, in a namespace
  shmlab container --all --json containers.json
  shmlab run experiments/containers.json every claim with a verdict, and a chart

As root the namespaces are made directly, as a normal user in a user namespace
(where the kernel allows it); cgroup-charge needs root or a delegated cgroup.";

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

const COMPARE_EXAMPLES: &str = "\
Examples:
  shmlab compare results/alice results/bob results/carol   a class's runs of `shmlab reproduce`
  shmlab compare results/20* --long                       one machine over time, every value
  shmlab compare class/* --json class.json                also save the figures as JSON";

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Run directories, each holding the results.json of `shmlab reproduce` or `shmlab run`
    #[arg(value_name = "DIR", required = true)]
    pub dirs: Vec<PathBuf>,

    /// Every claim and every run's value, not only what differs and the spread
    #[arg(long)]
    pub long: bool,

    /// Write the comparison as JSON to FILE (`-` for standard output)
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

const MEMORY_EXAMPLES: &str = "\
Examples:
  shmlab memory                                      2046 MiB of mmap shared memory, as in the article
  shmlab memory --backend xsi-private --backend mmap the article's two 4 KiB runs
  shmlab memory --backend xsi --huge 2M --reserve-hugepages   SHM_HUGETLB (as root)
  shmlab memory --size 256MiB --hold 30              keep it for 30 s: run `free -m` meanwhile
  shmlab memory --size 1GiB --compare-pages --reserve-hugepages   4 KiB vs 2 MiB vs THP";

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

const CRASH_EXAMPLES: &str = "\
Examples:
  shmlab crash                          every lock that can be held
  shmlab crash --lock mutex --lock posix-sem
  shmlab crash --lock all --json crash.json";

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Nanoseconds per protected increment, per lock, with 1 and P processes.
    #[command(after_help = BENCH_LOCKS_EXAMPLES)]
    Locks(LabArgs<bench_locks::Params>),
    /// Why shared memory: latency and throughput of every way two processes can talk.
    #[command(after_help = BENCH_IPC_EXAMPLES)]
    Ipc(LabArgs<bench_ipc::Params>),
}

const BENCH_IPC_EXAMPLES: &str = "\
Examples:
  shmlab bench ipc                                every transport, 64 B to 1 MiB
  shmlab bench ipc --sizes 64,64KiB --mode latency
  shmlab bench ipc --transport pipe --transport shm --wake spin --cpus 0,1
  shmlab bench ipc --backend posix --json ipc.json";

const BENCH_LOCKS_EXAMPLES: &str = "\
Examples:
  shmlab bench locks                         every lock, 1 process and one per CPU
  shmlab bench locks --procs 1 --lock mutex --lock sysv-sem
  shmlab bench locks --procs 4 --ops 50000 --json bench.json";

const RACING_EXAMPLES: &str = "\
Examples:
  shmlab racing --backend xsi                       the article's racing_xsi_shm
  shmlab racing --backend mmap --trials 20          a distribution of 20 finals
  shmlab racing --backend all --json results.json   every backend, saved as JSON
  shmlab racing --children 1                        one child: never loses an update
  shmlab racing --backend xsi --proj-id 7           another ftok key (low 8 bits count)
  shmlab racing --lock flock --lock sysv-sem        the same race, protected
  shmlab racing --backend all --lock all --children 50 --trials 2   every backend x every lock
  shmlab racing --trace                             every read and write, and why
  shmlab racing --schedule lost-one                 a replayed interleaving: 1 lost
  shmlab racing --schedule \"A.lock B.lock A.read A.write A.unlock B.read B.write B.unlock\"
  shmlab racing --sweep delay-us=0,1,10,100,1000    the curve: finals against the sleep
  shmlab racing --timer-slack 1 --trace             no timer slack: a shorter window";

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

const LIFECYCLE_EXAMPLES: &str = "\
Examples:
  shmlab lifecycle                       an XSI segment outlives its creator, then is marked for removal
  shmlab lifecycle --backend posix       the same with a name in /dev/shm
  shmlab lifecycle --backend mmap        anonymous memory dies with its processes";

const POSIX_EXAMPLES: &str = "\
Examples:
  shmlab posix                  every step: fstat, poll, epoll, eventfd, SCM_RIGHTS, seals
  shmlab posix --json posix.json";

#[derive(Debug, Args)]
pub struct PosixHelperArgs {
    /// The file the creator mapped
    pub path: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    pub shell: clap_complete::Shell,
}

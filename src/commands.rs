//! One function per subcommand: turn parsed arguments into a validated plan,
//! run it, and send its results to the terminal and to JSON.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::cli::{
    BenchCommand, BenchLocksArgs, CleanArgs, Command, CompletionsArgs, CrashArgs, InspectArgs, LifecycleArgs,
    LifecycleBackend, LimitsArgs, ListArgs, MemoryArgs, RacingArgs, ReportArgs, ReproduceArgs, RunArgs,
};
use crate::error::{Error, Result};
use crate::experiment::bench_locks::{self, BenchPlan};
use crate::experiment::compare_pages;
use crate::experiment::crash::{self, CrashPlan};
use crate::experiment::limits::{self as shm_limits, Limits};
use crate::experiment::memory::{self, MemoryPlan};
use crate::experiment::racing::{self, RacingPlan};
use crate::lock::LockKind;
use crate::output;
use crate::region::{Backend, XsiKey};
use crate::report::render;
use crate::report::table::Layout;
use crate::report::{json, model::Document, table};
use crate::suite::{runner, spec::Suite};

pub fn dispatch(command: Command) -> Result<()> {
    if creates_nothing(&command) {
        crate::sys::signals::release();
    }
    match command {
        Command::Racing(args) => racing(args),
        Command::Crash(args) => crash(args),
        Command::Bench(BenchCommand::Locks(args)) => bench_locks(args),
        Command::Memory(args) => memory(args),
        Command::Limits(args) => limits(args),
        Command::Reproduce(args) => reproduce(args),
        Command::Run(args) => run_suite(args),
        Command::Report(args) => report(args),
        Command::Schema => schema(),
        Command::List(args) => list(args),
        Command::Inspect(args) => inspect(args),
        Command::Lifecycle(args) => lifecycle(args),
        Command::Completions(args) => completions(args),
        Command::Man(args) => man(args),
        Command::Clean(args) => clean(args),
    }
}

/// Whether `command` creates no kernel object, forks nothing and changes
/// no setting. Such a command has nothing to clean up, so it gives Ctrl-C,
/// SIGTERM and SIGHUP their default effect back (`main` blocks them so that
/// experiments can stop at safe points): a `report` on a slow or hostile
/// file then stops at once. Every command is listed, so a new one must be
/// placed on one side or the other.
fn creates_nothing(command: &Command) -> bool {
    match command {
        Command::Report(_) | Command::Schema | Command::List(_) | Command::Completions(_) | Command::Man(_) => true,
        Command::Limits(args) => !args.demo,
        Command::Racing(_)
        | Command::Crash(_)
        | Command::Bench(_)
        | Command::Memory(_)
        | Command::Reproduce(_)
        | Command::Run(_)
        | Command::Inspect(_)
        | Command::Lifecycle(_)
        | Command::Clean(_) => false,
    }
}

/// Flattens repeated choice flags (each may be `all`), keeping the first
/// occurrence of each; `default` when none was given.
fn unique<T: Copy + PartialEq>(groups: Vec<Vec<T>>, default: &[T]) -> Vec<T> {
    let mut out = Vec::new();
    for item in groups.into_iter().flatten() {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    if out.is_empty() {
        out.extend_from_slice(default);
    }
    out
}

fn xsi_key(path: PathBuf, proj_id: i32) -> Result<XsiKey> {
    if proj_id & 0xff == 0 {
        return Err(Error::usage(format!(
            "--proj-id {proj_id}: ftok uses only the low 8 bits, which are 0 here; pick a value whose low byte is not 0 (1..255)"
        )));
    }
    let key = XsiKey { path, proj_id };
    key.resolve()?; // a missing --key-path is bad input: refuse it before anything runs
    Ok(key)
}

fn seconds(value: f64, flag: &str) -> Result<Duration> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero() && *d <= Duration::from_secs(1_000_000_000))
        .ok_or_else(|| Error::usage(format!("{flag} {value}: give a number of seconds between 1 ns and 1e9")))
}

/// A callback that reports each finished record on stderr, when stderr is
/// a terminal (a long benchmark should not look hung; a pipe gets nothing).
fn progress<R>(line: impl Fn(&R) -> String) -> impl FnMut(&R) {
    let interactive = std::io::stderr().is_terminal();
    move |record| {
        if interactive {
            let _ = output::stderr(&format!("  done: {}\n", line(record)));
        }
    }
}

/// The layout of a command's text: as wide as where it goes (stderr when
/// the JSON takes stdout), lists in full with `long`.
fn layout(json_path: Option<&Path>, long: bool) -> Layout {
    Layout::new(output::width(output::json_on_stdout(json_path)), long)
}

/// What an experiment finished before it stopped with `error`: printed and
/// saved like a whole run (so `--backend all` keeps the backends that
/// finished), then the error is returned.
fn publish_partial<R: Serialize>(
    done: Vec<R>,
    error: Error,
    text: impl FnOnce(&[R], Layout) -> String,
    json_path: Option<&Path>,
    experiment: &str,
) -> Result<()> {
    if done.is_empty() {
        return Err(error);
    }
    let body = format!(
        "{}\n(stopped after {} record(s); the rest did not run)\n",
        text(&done, layout(json_path, false)),
        done.len()
    );
    publish(&body, json_path, experiment, done)?;
    Err(error)
}

/// Prints the human text (to stderr when JSON goes to stdout) and writes
/// the JSON document if asked.
fn publish<R: Serialize>(text: &str, json_path: Option<&Path>, experiment: &str, records: Vec<R>) -> Result<()> {
    if output::json_on_stdout(json_path) {
        output::stderr(text)?;
    } else {
        output::stdout(text)?;
    }
    if let Some(path) = json_path {
        output::to_file_or_stdout(path, &json::to_bytes(&Document::new(experiment, records)))?;
    }
    Ok(())
}

fn racing(args: RacingArgs) -> Result<()> {
    let backends = unique(args.backends, &[Backend::Mmap]);
    let locks = unique(args.locks, &[LockKind::None]);
    let delay = Duration::from_micros(args.delay_us);
    let xsi_key =
        if backends.contains(&Backend::Xsi) { xsi_key(args.key_path, args.proj_id)? } else { XsiKey::default() };
    let timeout = match args.timeout {
        Some(s) => seconds(s, "--timeout")?,
        None => RacingPlan::default_timeout(args.children, args.iterations, delay),
    };
    let plan = RacingPlan {
        backends,
        locks,
        children: args.children,
        trials: args.trials,
        delay,
        iterations: args.iterations,
        xsi_key,
        timeout,
    };
    output::check_writable(args.json.as_deref())?;
    let mut done = Vec::new();
    let records = match racing::run(&plan, |r| done.push(r.clone())) {
        Ok(records) => records,
        Err(e) => return publish_partial(done, e, table::racing, args.json.as_deref(), "racing"),
    };
    let text = format!("{}\n", table::racing(&records, layout(args.json.as_deref(), args.long)));
    let problems = racing::problems(&records);
    publish(&text, args.json.as_deref(), "racing", records)?;
    problems.map_or(Ok(()), |p| Err(Error::failed(p)))
}

fn crash(args: CrashArgs) -> Result<()> {
    // `all` means every lock that can be held; one that cannot is named here.
    let holdable: Vec<LockKind> = LockKind::ALL.into_iter().filter(|k| k.can_be_held()).collect();
    let locks = unique(args.locks, &holdable);
    if let Some(k) = locks.iter().find(|k| !k.can_be_held()) {
        return Err(Error::usage(format!(
            "--lock {k}: there is nothing to hold, so there is no holder to kill; pick a lock (e.g. --lock mutex)"
        )));
    }
    let xsi_key =
        if args.backend == Backend::Xsi { xsi_key("/etc/passwd".into(), args.proj_id)? } else { XsiKey::default() };
    let plan = CrashPlan {
        locks,
        backend: args.backend,
        waiters: args.waiters,
        patience: Duration::from_millis(args.patience_ms),
        xsi_key,
    };
    output::check_writable(args.json.as_deref())?;
    let mut done = Vec::new();
    let records = match crash::run(&plan, |r| done.push(r.clone())) {
        Ok(records) => records,
        Err(e) => return publish_partial(done, e, table::crash, args.json.as_deref(), "crash"),
    };
    let text = format!("{}\n", table::crash(&records, layout(args.json.as_deref(), false)));
    publish(&text, args.json.as_deref(), "crash", records)
}

fn bench_locks(args: BenchLocksArgs) -> Result<()> {
    let default_locks: Vec<LockKind> = LockKind::ALL.into_iter().filter(|k| *k != LockKind::FlockInherited).collect();
    let mut locks = unique(args.locks, &default_locks);
    // The unprotected loop is the baseline every other figure is read against.
    if !locks.contains(&LockKind::None) {
        locks.insert(0, LockKind::None);
    }
    let procs = unique(vec![args.procs], &bench_locks::default_procs());
    let plan = BenchPlan { locks, procs, ops: args.ops, repeats: args.repeats };
    output::check_writable(args.json.as_deref())?;
    let mut report = progress(|r: &crate::report::model::BenchRecord| {
        format!("{} with {} process(es): {:.1} ns/op", r.lock, r.procs, r.ns_per_op)
    });
    let mut done = Vec::new();
    let records = match bench_locks::run(&plan, |r| {
        report(r);
        done.push(r.clone());
    }) {
        Ok(records) => records,
        Err(e) => return publish_partial(done, e, table::bench_locks, args.json.as_deref(), "bench-locks"),
    };
    let text = format!("{}\n", table::bench_locks(&records, layout(args.json.as_deref(), args.long)));
    publish(&text, args.json.as_deref(), "bench-locks", records)
}

fn memory(args: MemoryArgs) -> Result<()> {
    output::check_writable(args.json.as_deref())?;
    if args.compare_pages {
        let records = compare_pages::run(args.size, args.reserve_hugepages)?;
        return publish(
            &format!("{}\n", table::compare_pages(&records, layout(args.json.as_deref(), false))),
            args.json.as_deref(),
            "compare-pages",
            records,
        );
    }
    let backends = unique(args.backends, &[Backend::Mmap]);
    let xsi_key =
        if backends.contains(&Backend::Xsi) { xsi_key(args.key_path, args.proj_id)? } else { XsiKey::default() };
    let hold = Duration::try_from_secs_f64(args.hold)
        .map_err(|_| Error::usage(format!("--hold {}: give a number of seconds, 0 or more", args.hold)))?;
    let plan = MemoryPlan {
        backends,
        size: args.size,
        huge: args.huge.0,
        reserve_hugepages: args.reserve_hugepages,
        hold,
        force: args.force,
        xsi_key,
    };
    let mut done = Vec::new();
    let records = match memory::run(&plan, |r| done.push(r.clone())) {
        Ok(records) => records,
        Err(e) => return publish_partial(done, e, table::memory, args.json.as_deref(), "memory"),
    };
    let text = format!("{}\n", table::memory(&records, layout(args.json.as_deref(), false)));
    publish(&text, args.json.as_deref(), "memory", records)
}

fn limits(args: LimitsArgs) -> Result<()> {
    output::check_writable(args.json.as_deref())?;
    let limits = Limits::read();
    let request = args.check.map(|size| limits_request(&args, size)).transpose()?;
    let mut check = request.as_ref().map(|r| shm_limits::predict(&limits, r));
    if args.try_call
        && let (Some(request), Some(check)) = (&request, check.as_mut())
    {
        shm_limits::try_for_real(request, check)?;
    }
    let demo = if args.demo { shm_limits::demo(&limits)? } else { Vec::new() };
    let text = format!("{}\n", table::limits(&limits, check.as_ref(), &demo, layout(args.json.as_deref(), false)));
    let disagreement = check.as_ref().and_then(|c| c.disagreement());
    publish(
        &text,
        args.json.as_deref(),
        "limits",
        vec![shm_limits::LimitsRecord { limits, check: check.map(Box::new), demo }],
    )?;
    disagreement.map_or(Ok(()), |d| Err(Error::failed(d)))
}

/// The one shmget call that `limits --check` asks about.
fn limits_request(args: &LimitsArgs, size: u64) -> Result<shm_limits::Request> {
    let mut request = shm_limits::Request::new_private(size, args.huge.0);
    if let Some(key) = args.key {
        request.key = key;
    }
    if let Some(path) = &args.key_path {
        let proj_id = args.proj_id.unwrap_or(1234);
        let key = xsi_key(path.clone(), proj_id)?;
        request.key = key.resolve()?;
        request.key_origin = Some(format!("ftok({}, {proj_id})", path.display()));
        if request.key == crate::sys::xsi::IPC_PRIVATE {
            return Err(Error::usage(format!(
                "--key-path {} --proj-id {proj_id}: ftok gave key 0, which is IPC_PRIVATE; pick another --proj-id",
                path.display()
            )));
        }
    }
    request.create = !args.no_create;
    request.exclusive = args.exclusive;
    if let Some(mode) = args.mode {
        request.mode = mode;
    }
    Ok(request)
}

/// The built-in copy of the article suite, for when shmlab runs outside the repository.
const ARTICLE_SUITE: &str = include_str!("../experiments/article.json");

fn reproduce(args: ReproduceArgs) -> Result<()> {
    let default = Path::new("experiments/article.json");
    let suite = match &args.suite {
        Some(path) => Suite::load(path)?,
        None if default.exists() => Suite::load(default)?,
        None => Suite::parse(ARTICLE_SUITE, "built-in article.json")?,
    };
    let dir = execute_suite(&suite, &args.out)?;
    let doc = render::load(&dir)?;
    output::stdout(&table::verdicts(&doc.verdicts, layout(None, false)))?;
    output::stdout(&format!("\nEverything is in {}/ (results.json, report.md, charts).\n", dir.display()))?;
    failed_runs(&doc)
}

/// Exit 1 when a run of the suite ran and failed (`failed`, or the
/// `skipped: "failed: ..."` of files written before that field).
fn failed_runs(doc: &crate::report::model::SuiteDocument) -> Result<()> {
    let failed: Vec<&str> = doc.runs.iter().filter(|r| r.failure().is_some()).map(|r| r.id.as_str()).collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Error::failed(format!("run(s) {} failed; see report.md", failed.join(", "))))
    }
}

fn run_suite(args: RunArgs) -> Result<()> {
    let suite = Suite::load(&args.suite)?;
    let dir = execute_suite(&suite, &args.out)?;
    let doc = render::load(&dir)?;
    let skipped = doc.runs.iter().filter(|r| r.skip_reason().is_some()).count();
    let failed = doc.runs.iter().filter(|r| r.failure().is_some()).count();
    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    output::stdout(&format!(
        "{} ({skipped} skipped, {failed} failed), {}, {}.\n",
        count(doc.runs.len(), "run", "runs"),
        count(doc.records.len(), "record", "records"),
        count(doc.verdicts.len(), "verdict", "verdicts"),
    ))?;
    if !doc.verdicts.is_empty() {
        output::stdout(&table::verdicts(&doc.verdicts, layout(None, false)))?;
    }
    output::stdout(&format!("Everything is in {}/ (results.json, report.md, charts).\n", dir.display()))?;
    failed_runs(&doc)
}

/// Runs a suite into a new run directory and renders its report, also when
/// it was interrupted (the report then shows what finished).
fn execute_suite(suite: &Suite, out: &Path) -> Result<PathBuf> {
    let started = std::time::SystemTime::now();
    let dir = runner::run_directory(out, &suite.suite, started)?;
    let outcome = runner::run(suite, &dir, started);
    if let Ok(doc) = render::load(&dir) {
        render::write_report(&dir, &doc)?;
    }
    outcome.map(|_| dir)
}

fn report(args: ReportArgs) -> Result<()> {
    let doc = render::load(&args.dir)?;
    let charts = render::write_report(&args.dir, &doc)?;
    output::stdout(&format!(
        "wrote {}/report.md and {} chart(s): {}\n",
        args.dir.display(),
        charts.len(),
        charts.join(", ")
    ))
}

fn schema() -> Result<()> {
    let schema = schemars::schema_for!(crate::report::model::SuiteDocument);
    output::stdout(&String::from_utf8_lossy(&json::to_bytes(&schema)))
}

fn list(args: ListArgs) -> Result<()> {
    output::check_writable(args.json.as_deref())?;
    let (items, registry_problem) = crate::inventory::items();
    let mut text = format!("{}\n", crate::inventory::table(&items, layout(args.json.as_deref(), false)));
    if let Some(problem) = registry_problem {
        text.push_str(&format!("Nothing could be marked as shmlab's: {problem}\n"));
    }
    publish(&text, args.json.as_deref(), "list", items)
}

fn clean(args: CleanArgs) -> Result<()> {
    let actions = crate::registry::clean(args.dry_run)?;
    if actions.is_empty() {
        return output::stdout(&format!(
            "Nothing to clean: shmlab's registry ({}) lists no leftovers.\n",
            crate::registry::registry_dir().display()
        ));
    }
    let mut text = String::new();
    for a in &actions {
        text.push_str(&format!("{}: {}\n", a.object, a.outcome));
    }
    output::stdout(&text)?;
    let problems = actions.iter().filter(|a| a.problem).count();
    if problems > 0 {
        return Err(Error::failed(format!(
            "{problems} of {} registered object(s) could not be checked or removed; see the lines above",
            actions.len()
        )));
    }
    Ok(())
}

fn inspect(args: InspectArgs) -> Result<()> {
    let mut backends = unique(args.backends, &[Backend::Mmap]);
    if args.all {
        backends =
            vec![Backend::Mmap, Backend::MmapFile, Backend::Xsi, Backend::XsiPrivate, Backend::Posix, Backend::Memfd];
    }
    if args.huge.0.is_some() {
        if args.all {
            backends.retain(|b| !matches!(b, Backend::MmapFile | Backend::Posix));
        } else if let Some(b) = backends.iter().find(|b| matches!(b, Backend::MmapFile | Backend::Posix)) {
            return Err(Error::usage(format!(
                "--backend {b} cannot use huge pages; use mmap, xsi, xsi-private or memfd"
            )));
        }
    }
    let xsi_key =
        if backends.contains(&Backend::Xsi) { xsi_key("/etc/passwd".into(), args.proj_id)? } else { XsiKey::default() };
    output::check_writable(args.json.as_deref())?;
    let mut done = Vec::new();
    let records = match crate::experiment::inspect::run(&backends, args.huge.0, &xsi_key, |r| done.push(r.clone())) {
        Ok(records) => records,
        Err(e) => return publish_partial(done, e, table::inspect, args.json.as_deref(), "inspect"),
    };
    let text = format!("{}\n", table::inspect(&records, layout(args.json.as_deref(), false)));
    publish(&text, args.json.as_deref(), "inspect", records)
}

fn lifecycle(args: LifecycleArgs) -> Result<()> {
    let backend = match args.backend {
        LifecycleBackend::Xsi => Backend::Xsi,
        LifecycleBackend::Posix => Backend::Posix,
        LifecycleBackend::Mmap => Backend::Mmap,
    };
    let key = if backend == Backend::Xsi { xsi_key(args.key_path, args.proj_id)? } else { XsiKey::default() };
    output::check_writable(args.json.as_deref())?;
    let steps = crate::experiment::lifecycle::run(backend, &key)?;
    publish(&table::lifecycle(&steps, layout(args.json.as_deref(), false)), args.json.as_deref(), "lifecycle", steps)
}

fn completions(args: CompletionsArgs) -> Result<()> {
    let mut command = <crate::cli::Cli as clap::CommandFactory>::command();
    let mut bytes = Vec::new();
    clap_complete::generate(args.shell, &mut command, "shmlab", &mut bytes);
    output::stdout(&String::from_utf8_lossy(&bytes))
}

fn man(args: crate::cli::ManArgs) -> Result<()> {
    match args.dir {
        Some(dir) => {
            let written = crate::manual::write_all(&dir)?;
            output::stdout(&format!("wrote {} man pages in {}\n", written.len(), dir.display()))
        }
        None => {
            let pages = crate::manual::all()?;
            output::stdout(&String::from_utf8_lossy(&pages[0].1))
        }
    }
}

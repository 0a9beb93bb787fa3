//! The front end of the command line: one function per subcommand. A lab
//! goes through the same pipeline as in a suite (its `Params`, `validate`,
//! `run`), then its records go to the terminal, laid out for its width, and
//! to JSON; the tools (suites, reports, list, clean) have a function each.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::cli::{
    BenchCommand, CleanArgs, Command, CompareArgs, CompletionsArgs, LabArgs, ListArgs, ReportArgs, ReproduceArgs,
    RunArgs,
};
use crate::error::{Error, Result};
use crate::experiment::{
    Events, Lab, bench_ipc, bench_locks, compare_pages, container, crash, ftok, inspect, lifecycle, limits, memory,
    posix, racing,
};
use crate::kernel::machine::Machine;
use crate::model::{AnyRecord, Document};
use crate::output;
use crate::report::render;
use crate::report::table::Layout;
use crate::report::{Render, json, table};
use crate::suite::{runner, spec::Suite};
use crate::tr;

pub fn dispatch(command: Command) -> Result<()> {
    if creates_nothing(&command) {
        crate::sys::signals::release();
    }
    match command {
        Command::Racing(args) => {
            let long = args.params.long;
            lab::<racing::Racing>(args, long)
        }
        Command::Crash(args) => lab::<crash::Crash>(args, false),
        Command::Bench(BenchCommand::Locks(args)) => {
            let long = args.params.long;
            lab::<bench_locks::BenchLocks>(args, long)
        }
        Command::Bench(BenchCommand::Ipc(args)) => lab::<bench_ipc::BenchIpc>(args, false),
        Command::Memory(args) if args.params.compare_pages => {
            let params = compare_pages::Params {
                size: args.params.size,
                reserve_hugepages: args.params.reserve_hugepages,
                access: args.params.access.unwrap_or_default(),
            };
            lab::<compare_pages::ComparePages>(LabArgs { params, json: args.json }, false)
        }
        Command::Memory(args) => lab::<memory::Memory>(args, false),
        Command::Limits(args) => lab::<limits::LimitsLab>(args, false),
        Command::Inspect(args) => lab::<inspect::Inspect>(args, false),
        Command::Lifecycle(args) => lab::<lifecycle::Lifecycle>(args, false),
        Command::Posix(args) => lab::<posix::Posix>(args, false),
        Command::Container(args) => lab::<container::Container>(args, false),
        Command::Ftok(args) => lab::<ftok::Ftok>(args, false),
        Command::PosixHelper(args) => output::stdout(&posix::helper(&args.path)?),
        Command::Reproduce(args) => reproduce(args),
        Command::Run(args) => run_suite(args),
        Command::Report(args) => report(args),
        Command::Compare(args) => compare(args),
        Command::Schema => schema(),
        Command::List(args) => list(args),
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
        Command::Report(_)
        | Command::Compare(_)
        | Command::Schema
        | Command::List(_)
        | Command::Completions(_)
        | Command::Man(_)
        | Command::PosixHelper(_) => true,
        Command::Limits(args) => !args.params.demo && !args.params.try_call,
        Command::Racing(_)
        | Command::Crash(_)
        | Command::Bench(_)
        | Command::Memory(_)
        | Command::Reproduce(_)
        | Command::Run(_)
        | Command::Inspect(_)
        | Command::Lifecycle(_)
        | Command::Posix(_)
        | Command::Container(_)
        | Command::Ftok(_)
        | Command::Clean(_) => false,
    }
}

/// What a lab tells the command line: notes go to stderr at once, finished
/// records are kept (a run that fails later still shows what finished),
/// and a benchmark, which runs long, says each result as it comes when a
/// person watches stderr.
struct Terminal {
    done: Vec<AnyRecord>,
    progress: bool,
}

impl Events for Terminal {
    fn note(&mut self, text: &str) {
        let _ = output::stderr(&output::line_for_stderr(&tr!("suite-lab-note", text = text)));
    }

    fn finished(&mut self, record: &AnyRecord) {
        if self.progress
            && let AnyRecord::BenchLocks(r) = record
        {
            let _ = output::stderr(&format!(
                "  {}\n",
                tr!("suite-lab-done", lock = r.lock, procs = r.procs, ns = format!("{:.1}", r.ns_per_op))
            ));
        }
        self.done.push(record.clone());
    }
}

/// The layout of a command's text: as wide as where it goes (stderr when
/// the JSON takes stdout), lists in full with `long`.
fn layout(json_path: Option<&Path>, long: bool) -> Layout {
    Layout::new(output::width(output::json_on_stdout(json_path)), long)
}

/// One lab from the command line: validated, run, shown, saved. A run that
/// stops on an error still shows and saves what finished before it (so
/// `--backend all` keeps the backends that did); a run that ended but
/// failed (`Lab::failure`) is shown, then exits 1.
fn lab<L: Lab>(args: LabArgs<L::Params>, long: bool) -> Result<()>
where
    L::Record: Render + TryFrom<AnyRecord>,
{
    let json = args.json.as_deref();
    output::check_writable(json)?;
    let plan = L::validate(&args.params, &Machine::describe())?;
    let mut events = Terminal { done: Vec::new(), progress: std::io::stderr().is_terminal() };
    let layout = layout(json, long);
    let params = serde_json::to_value(&args.params).unwrap_or_default();
    match L::run(&plan, &mut events) {
        Ok(records) => {
            let failure = L::failure(&records);
            publish(&format!("{}\n", L::Record::text(&records, layout)), json, L::NAME, params, records)?;
            failure.map_or(Ok(()), |why| Err(Error::failed(why)))
        }
        Err(error) => {
            let done: Vec<L::Record> = events.done.into_iter().filter_map(|r| r.try_into().ok()).collect();
            if done.is_empty() {
                return Err(error);
            }
            let text =
                format!("{}\n{}\n", L::Record::text(&done, layout), tr!("suite-lab-stopped-after", n = done.len()));
            publish(&text, json, L::NAME, params, done)?;
            Err(error)
        }
    }
}

/// Prints the human text (to stderr when JSON goes to stdout) and writes
/// the JSON document if asked.
fn publish<R: Serialize>(
    text: &str,
    json_path: Option<&Path>,
    experiment: &str,
    params: serde_json::Value,
    records: Vec<R>,
) -> Result<()> {
    // A record's notes name parameters neutrally (`⟨reserve_hugepages⟩`):
    // here they are spelled as the command line's flags.
    let text = crate::error::for_command_line(text);
    if output::json_on_stdout(json_path) {
        output::stderr(&text)?;
    } else {
        output::stdout(&text)?;
    }
    if let Some(path) = json_path {
        output::to_file_or_stdout(path, &json::to_bytes(&Document::new(experiment, params, records))?)?;
    }
    Ok(())
}

/// The built-in copy of the article suite, for when shmlab runs outside the repository.
const ARTICLE_SUITE: &str = include_str!("../experiments/article.json");

fn reproduce(args: ReproduceArgs) -> Result<()> {
    let default = Path::new("experiments/article.json");
    let suite = match &args.suite {
        Some(path) => Suite::load(path)?,
        None if default.exists() => Suite::load(default)?,
        None => Suite::parse(ARTICLE_SUITE, &crate::i18n::t("suite-built-in"))?,
    };
    let dir = execute_suite(&suite, &args.out)?;
    let doc = render::load(&dir)?;
    output::stdout(&table::verdicts(&doc.verdicts, layout(None, false)))?;
    output::stdout(&format!("\n{}\n", everything_in(&dir)))?;
    failed_runs(&doc)
}

/// Where a suite's results are: one line in English (as it always was),
/// wrapped to the terminal in Chinese, whose line has no spaces to spare.
fn everything_in(dir: &Path) -> String {
    wrapped_in_chinese(tr!("suite-everything-in", dir = dir.display()))
}

/// `text` as it is in English, wrapped to the terminal in Chinese.
fn wrapped_in_chinese(text: String) -> String {
    if crate::i18n::current() == crate::i18n::Lang::Zh { layout(None, false).wrap(&text) } else { text }
}

/// Exit 1 when a run of the suite ran and failed (`failed`, or the
/// `skipped: "failed: ..."` of files written before that field).
fn failed_runs(doc: &crate::model::SuiteDocument) -> Result<()> {
    let failed: Vec<&str> = doc.runs.iter().filter(|r| r.failure().is_some()).map(|r| r.id.as_str()).collect();
    if failed.is_empty() { Ok(()) } else { Err(Error::failed(tr!("suite-runs-failed", runs = failed.join(", ")))) }
}

fn run_suite(args: RunArgs) -> Result<()> {
    let suite = Suite::load(&args.suite)?;
    let dir = execute_suite(&suite, &args.out)?;
    let doc = render::load(&dir)?;
    let skipped = doc.runs.iter().filter(|r| r.skip_reason().is_some()).count();
    let failed = doc.runs.iter().filter(|r| r.failure().is_some()).count();
    let count = |n: usize, one: &str, many: &str| tr!(if n == 1 { one } else { many }, n = n);
    output::stdout(&format!(
        "{}\n",
        tr!(
            "suite-run-summary",
            runs = count(doc.runs.len(), "suite-count-run", "suite-count-runs"),
            skipped = skipped,
            failed = failed,
            records = count(doc.records.len(), "suite-count-record", "suite-count-records"),
            verdicts = count(doc.verdicts.len(), "suite-count-verdict", "suite-count-verdicts"),
        )
    ))?;
    if !doc.verdicts.is_empty() {
        output::stdout(&table::verdicts(&doc.verdicts, layout(None, false)))?;
    }
    output::stdout(&format!("{}\n", everything_in(&dir)))?;
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

/// Renders a run directory again: in the language of `--lang`, else in
/// the run's own, its verdicts judged again from the records where
/// results.json keeps the claims (see [`render::rejudge`]).
fn report(args: ReportArgs) -> Result<()> {
    let mut doc = render::load(&args.dir)?;
    crate::i18n::set(crate::i18n::flag().unwrap_or(doc.lang));
    render::rejudge(&mut doc);
    let charts = render::write_report(&args.dir, &doc)?;
    output::stdout(&format!(
        "{}\n",
        wrapped_in_chinese(tr!("report-wrote", dir = args.dir.display(), n = charts.len(), charts = charts.join(", ")))
    ))
}

fn compare(args: CompareArgs) -> Result<()> {
    output::check_writable(args.json.as_deref())?;
    let doc = crate::compare::compare(&args.dirs)?;
    let text = crate::compare::table::text(&doc, layout(args.json.as_deref(), args.long));
    if output::json_on_stdout(args.json.as_deref()) {
        output::stderr(&text)?;
    } else {
        output::stdout(&text)?;
    }
    match &args.json {
        Some(path) => output::to_file_or_stdout(path, &json::to_bytes(&doc)?),
        None => Ok(()),
    }
}

fn schema() -> Result<()> {
    let schema = schemars::schema_for!(crate::model::SuiteDocument);
    output::stdout(&String::from_utf8_lossy(&json::to_bytes(&schema)?))
}

fn list(args: ListArgs) -> Result<()> {
    output::check_writable(args.json.as_deref())?;
    let (items, registry_problem) = crate::inventory::items();
    let mut text = format!("{}\n", crate::inventory::table(&items, layout(args.json.as_deref(), false)));
    if let Some(problem) = registry_problem {
        text.push_str(&format!("{}\n", tr!("suite-list-unmarked", problem = problem)));
    }
    publish(&text, args.json.as_deref(), "list", serde_json::Value::Null, items)
}

fn clean(args: CleanArgs) -> Result<()> {
    let actions = crate::registry::clean(args.dry_run)?;
    if actions.is_empty() {
        return output::stdout(&format!("{}\n", tr!("clean-nothing", dir = crate::registry::registry_dir().display())));
    }
    let mut text = String::new();
    for a in &actions {
        text.push_str(&format!("{}{}{}\n", a.object, crate::i18n::t("label-colon"), a.outcome));
    }
    output::stdout(&text)?;
    let problems = actions.iter().filter(|a| a.problem).count();
    if problems > 0 {
        return Err(Error::failed(tr!("clean-problems", problems = problems, n = actions.len())));
    }
    Ok(())
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
            output::stdout(&format!("{}\n", tr!("suite-man-wrote", n = written.len(), dir = dir.display())))
        }
        None => {
            let pages = crate::manual::all()?;
            output::stdout(&String::from_utf8_lossy(&pages[0].1))
        }
    }
}

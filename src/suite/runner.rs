//! Runs a suite: each run in turn, its records written to `results.json`
//! as it goes (at most once a second, and always at the end, so that an
//! interrupted suite keeps what it finished), then the report and charts.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use indicatif::{ProgressBar, ProgressStyle};

use super::spec::{Run, Suite};
use super::verdict;
use crate::error::{Error, Kind, Result, check_interrupt, for_suite};
use crate::experiment::Quiet;
use crate::kernel::machine::Machine;
use crate::model::{AnyRecord, RunSummary, SCHEMA_VERSION, SuiteDocument, SuiteRecord};
use crate::sys::process;
use crate::tr;

/// `results/<suite>-<UTC timestamp>` under `root`, created.
pub fn run_directory(root: &Path, suite: &str, started: SystemTime) -> Result<PathBuf> {
    let stamp = humantime::format_rfc3339_seconds(started).to_string().replace([':', '-'], "");
    std::fs::create_dir_all(root)
        .map_err(|e| Error::usage(tr!("suite-cannot-create", path = root.display(), error = e)))?;
    // Always a new directory: a second run in the same second gets a suffix.
    for n in 0..1000 {
        let name = if n == 0 { format!("{suite}-{stamp}") } else { format!("{suite}-{stamp}-{n}") };
        let dir = root.join(name);
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::usage(tr!("suite-cannot-create", path = dir.display(), error = e))),
        }
    }
    Err(Error::usage(tr!("suite-too-many-dirs", name = format!("{suite}-{stamp}"), root = root.display())))
}

/// Writes `results.json` in `dir` atomically (a reader never sees half a
/// file), through a temporary file nobody could have planted a link at.
pub fn save(dir: &Path, doc: &SuiteDocument) -> Result<()> {
    crate::report::render::write_file(dir, "results.json", &crate::report::json::to_bytes(doc)?)
}

/// How often, at most, `results.json` is rewritten while a suite runs. Each
/// save writes the whole file, so saving after every run made a suite of
/// many short runs quadratic (20,000 runs: minutes of rewriting). A run
/// that takes longer than this is still saved as soon as it finishes.
const SAVE_EVERY: Duration = Duration::from_secs(1);

/// Saves `results.json` at most every [`SAVE_EVERY`].
struct Saver<'a> {
    dir: &'a Path,
    last: Instant,
}

impl Saver<'_> {
    fn save_if_due(&mut self, doc: &SuiteDocument) -> Result<()> {
        if self.last.elapsed() >= SAVE_EVERY { self.save(doc) } else { Ok(()) }
    }

    fn save(&mut self, doc: &SuiteDocument) -> Result<()> {
        save(self.dir, doc)?;
        self.last = Instant::now();
        Ok(())
    }
}

/// Runs every run of `suite`, saving into `dir` as it goes and always at
/// the end, however the suite ends (an interrupted suite keeps every run it
/// finished). A run that fails (a `Failed` error, or a `Usage` error at run
/// time: a key already taken, a full /dev/shm) is recorded as failed and
/// the suite goes on; one the machine cannot run at all (`Unavailable`:
/// needs root, huge pages, a kernel feature) is skipped with the reason.
pub fn run(suite: &Suite, dir: &Path, started: SystemTime) -> Result<SuiteDocument> {
    let mut doc = SuiteDocument {
        schema_version: SCHEMA_VERSION,
        experiment: "suite".into(),
        suite: suite.suite.clone(),
        description: suite.description.clone(),
        description_zh: suite.description_zh.clone(),
        started_utc: humantime::format_rfc3339_seconds(started).to_string(),
        machine: Machine::describe_fully(),
        lang: crate::i18n::current(),
        runs: Vec::new(),
        records: Vec::new(),
        verdicts: Vec::new(),
    };
    let mut saver = Saver { dir, last: Instant::now() };
    saver.save(&doc)?;
    let outcome = run_all(suite, &mut doc, &mut saver);
    let saved = saver.save(&doc);
    outcome.and(saved).map(|()| doc)
}

fn run_all(suite: &Suite, doc: &mut SuiteDocument, saver: &mut Saver) -> Result<()> {
    let bar = ProgressBar::new(suite.runs.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}").unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let machine = Machine::describe();
    for run in &suite.runs {
        bar.set_message(run.id.clone());
        check_interrupt()?;
        let began = Instant::now();
        let outcome = execute(run, &machine);
        let duration_ms = began.elapsed().as_secs_f64() * 1e3;
        let (skipped, failed) = match outcome {
            Ok(records) => {
                let verdicts = run.expect.iter().map(|e| verdict::judge(&run.id, e, &records));
                doc.verdicts.extend(verdicts);
                doc.records.extend(records.into_iter().map(|record| SuiteRecord { run: run.id.clone(), record }));
                (None, None)
            }
            Err(e) if e.kind == Kind::Interrupted => return Err(e),
            Err(e) if e.kind == Kind::Unavailable => {
                let why = for_suite(&e.message);
                doc.verdicts.extend(run.expect.iter().map(|x| verdict::skipped(&run.id, x, &why)));
                (Some(why), None)
            }
            Err(e) => {
                let why = for_suite(&e.message);
                doc.verdicts.extend(run.expect.iter().map(|x| verdict::failed(&run.id, x, &why)));
                (None, Some(why))
            }
        };
        doc.runs.push(RunSummary {
            id: run.id.clone(),
            title: run.title.clone(),
            title_zh: run.title_zh.clone(),
            experiment: run.lab.name().to_string(),
            duration_ms,
            skipped,
            failed,
            params: run.lab.recorded(),
            expect: run.expect.clone(),
        });
        saver.save_if_due(doc)?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(())
}

/// Runs one run's lab (validated again, now that the machine is as it is
/// at run time) and returns its records. A run this machine cannot do
/// because it is not root says how to rerun the suite as root.
fn execute(run: &Run, machine: &Machine) -> Result<Vec<AnyRecord>> {
    run.lab.run(machine, &mut Quiet).map_err(|mut e| {
        if e.kind == Kind::Unavailable && e.message.contains("root") && !process::is_root() {
            e.message.push_str(&crate::i18n::t("clause-gap"));
            e.message.push_str(&tr!("suite-rerun-as-root", command = crate::output::rerun_command()));
        }
        e
    })
}

//! Writes a run directory's report: `report.md` and the SVG charts, from
//! its `results.json` records. Used at the end of a suite and by
//! `shmlab report DIR`.
//!
//! The run directory is not necessarily ours: `report DIR` takes any path,
//! and it is often run as root. So nothing here writes through what is at
//! a file's name ([`crate::sys::fs::replace_file`]), and `results.json` is
//! read only if it is a regular file of a sane size, whose every
//! floating-point number can be a measurement ([`super::plausible`]).

use std::path::Path;

use super::markdown;
use super::plausible;
use crate::error::{Error, Result};
use crate::model::AnyRecord;
use crate::model::SuiteDocument;
use crate::size::human;
use crate::sys::fs::{ReadRefusal, read_regular_file, replace_file};
use crate::tr;

/// The largest `results.json` that is read. The reference run's is 50 KiB;
/// a suite of every backend, lock and page size with a hundred trials each
/// stays below a few MiB.
pub const RESULTS_SIZE_LIMIT: u64 = 64 << 20;

/// The mode of the files of a run directory (less the umask): results are
/// for sharing.
const MODE: u32 = 0o644;

/// Writes one file of the run directory, replacing what was at its name.
pub fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let path = dir.join(name);
    replace_file(&path, bytes, MODE)
        .map_err(|e| Error::usage(tr!("report-cannot-write", path = path.display(), error = e)))
}

/// Writes the charts that have data and `report.md`; returns the chart files.
pub fn write_report(dir: &Path, doc: &SuiteDocument) -> Result<Vec<String>> {
    let records: Vec<AnyRecord> = doc.records.iter().map(|r| r.record.clone()).collect();
    let charts = super::charts_of(&records);
    for c in &charts {
        write_file(dir, c.file, c.svg.as_bytes())?;
    }
    let listed: Vec<(String, String)> = charts.iter().map(|c| (c.file.to_string(), c.title.to_string())).collect();
    write_file(dir, "report.md", markdown::report(doc, &listed).as_bytes())?;
    Ok(listed.into_iter().map(|(f, _)| f).collect())
}

/// Judges the claims again from the records, in the language shmlab
/// speaks now, for every run whose claims results.json keeps
/// (`RunSummary::expect`): `shmlab report --lang` then shows the verdicts
/// in either language. The verdicts of runs without them (files written
/// before the claims were kept, such as results/reference/) stay as they
/// were recorded, and so do those of a run that today's rules judge
/// otherwise than the run did. A run that was skipped or failed keeps its
/// reason as recorded.
pub fn rejudge(doc: &mut SuiteDocument) {
    use crate::suite::verdict;
    if doc.runs.iter().all(|r| r.expect.is_empty()) {
        return;
    }
    let mut by_run: std::collections::HashMap<&str, Vec<AnyRecord>> = std::collections::HashMap::new();
    for r in &doc.records {
        by_run.entry(r.run.as_str()).or_default().push(r.record.clone());
    }
    let mut verdicts = Vec::new();
    for run in &doc.runs {
        if run.expect.is_empty() {
            verdicts.extend(doc.verdicts.iter().filter(|v| v.run == run.id).cloned());
            continue;
        }
        let records = by_run.get(run.id.as_str()).map_or(&[][..], Vec::as_slice);
        let again: Vec<_> = run
            .expect
            .iter()
            .map(|e| match (run.failure(), run.skip_reason()) {
                (Some(why), _) => verdict::failed(&run.id, e, why),
                (None, Some(why)) => verdict::skipped(&run.id, e, why),
                (None, None) => verdict::judge(&run.id, e, records),
            })
            .collect();
        // The run's own verdicts are the record: if this version of shmlab
        // judges the same records otherwise, the report shows what the
        // run said, in the words it said it.
        let stored: Vec<_> = doc.verdicts.iter().filter(|v| v.run == run.id).cloned().collect();
        let same = again.len() == stored.len() && again.iter().zip(&stored).all(|(a, s)| a.status == s.status);
        verdicts.extend(if same || stored.is_empty() { again } else { stored });
    }
    // Verdicts of a run the summaries do not list stay too.
    verdicts.extend(doc.verdicts.iter().filter(|v| !doc.runs.iter().any(|r| r.id == v.run)).cloned());
    doc.verdicts = verdicts;
}

/// What a file is ("a directory", from [`read_regular_file`]) in the
/// language shmlab speaks.
fn kind_in_words(kind: &str) -> String {
    let id = match kind {
        "a directory" => "report-kind-directory",
        "a character device" => "report-kind-char-device",
        "a block device" => "report-kind-block-device",
        "a FIFO (named pipe)" => "report-kind-fifo",
        "a socket" => "report-kind-socket",
        "a symbolic link" => "report-kind-symlink",
        _ => return kind.to_string(),
    };
    crate::i18n::t(id)
}

/// Reads a run directory's `results.json`: a regular file of at most
/// [`RESULTS_SIZE_LIMIT`] bytes, a suite document, and only plausible
/// measurements in it.
pub fn load(dir: &Path) -> Result<SuiteDocument> {
    let path = dir.join("results.json");
    let shown = path.display();
    let bytes = read_regular_file(&path, RESULTS_SIZE_LIMIT).map_err(|refusal| match refusal {
        ReadRefusal::NotRegular(kind) => {
            Error::usage(tr!("report-not-regular", path = shown, kind = kind_in_words(kind)))
        }
        ReadRefusal::TooLarge(size) => Error::usage(tr!(
            "report-too-large",
            path = shown,
            size = human(size),
            bytes = size,
            limit = human(RESULTS_SIZE_LIMIT)
        )),
        ReadRefusal::Io(e) => Error::usage(tr!("report-cannot-read", path = shown, error = e)),
    })?;
    let not_results = |e: serde_json::Error| Error::usage(tr!("report-not-results", path = shown, error = e));
    if let Some(found) = plausible::first_implausible(&bytes).map_err(not_results)? {
        return Err(Error::usage(tr!("report-implausible", path = shown, found = found)));
    }
    serde_json::from_slice(&bytes).map_err(not_results)
}

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
    replace_file(&path, bytes, MODE).map_err(|e| {
        Error::usage(format!(
            "cannot write {}: {e}; make the run directory writable, or pass another one",
            path.display()
        ))
    })
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

/// Reads a run directory's `results.json`: a regular file of at most
/// [`RESULTS_SIZE_LIMIT`] bytes, a suite document, and only plausible
/// measurements in it.
pub fn load(dir: &Path) -> Result<SuiteDocument> {
    let path = dir.join("results.json");
    let shown = path.display();
    let bytes = read_regular_file(&path, RESULTS_SIZE_LIMIT).map_err(|refusal| match refusal {
        ReadRefusal::NotRegular(kind) => {
            Error::usage(format!("{shown} is {kind}, not a results file; pass a run directory made by `shmlab run`"))
        }
        ReadRefusal::TooLarge(size) => Error::usage(format!(
            "{shown} is {} ({size} bytes), more than the {} a results file may be; pass a run directory made by `shmlab run`",
            human(size),
            human(RESULTS_SIZE_LIMIT)
        )),
        ReadRefusal::Io(e) => {
            Error::usage(format!("cannot read {shown}: {e}; pass a run directory made by `shmlab run`"))
        }
    })?;
    let not_results = |e: serde_json::Error| Error::usage(format!("{shown} is not a shmlab results file: {e}"));
    if let Some(found) = plausible::first_implausible(&bytes).map_err(not_results)? {
        return Err(Error::usage(format!("{shown}: {found}; correct it, or run the suite again")));
    }
    serde_json::from_slice(&bytes).map_err(not_results)
}

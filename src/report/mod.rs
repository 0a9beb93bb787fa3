//! Renderers: records (`crate::model`) in, bytes out. Each kind of record
//! knows how it is shown ([`Render`]: its tables and reading, its charts);
//! the terminal, report.md and the run directory's SVGs all go through it,
//! and JSON writes the records themselves. Nothing here does I/O except
//! `render`, which writes a run directory's files; the callers decide
//! where everything else goes.

pub mod chart;
pub mod grid;
pub mod json;
pub mod markdown;
pub mod plausible;
pub mod render;
pub mod sweep;
pub mod table;
pub mod text;

use crate::model::{
    AnyRecord, BenchRecord, ContainerRecord, CrashRecord, FtokRecord, InspectRecord, IpcRecord, LimitsRecord,
    MemoryRecord, PageCompareRecord, PosixStep, RacingRecord, Step,
};
use table::Layout;

/// One chart of a run: its file name beside report.md, its title, its SVG.
#[derive(Debug, Clone)]
pub struct Chart {
    pub file: &'static str,
    /// In the language the report is rendered in.
    pub title: String,
    pub svg: String,
}

/// How one kind of record is shown.
pub trait Render: Sized {
    /// The tables and the reading under them, laid out for `layout`.
    fn text(records: &[Self], layout: Layout) -> String;

    /// The charts drawn from these records (none, for most kinds).
    fn charts(_records: &[Self]) -> Vec<Chart> {
        Vec::new()
    }
}

/// The records of kind `R` among `records`.
fn of_kind<R: TryFrom<AnyRecord>>(records: &[AnyRecord]) -> Vec<R> {
    records.iter().cloned().filter_map(|r| R::try_from(r).ok()).collect()
}

/// Calls `$each!(RecordType)` for every kind of record: the one list of
/// kinds the renderers dispatch over.
macro_rules! for_each_kind {
    ($each:ident) => {{
        $each!(RacingRecord);
        $each!(CrashRecord);
        $each!(BenchRecord);
        $each!(MemoryRecord);
        $each!(PageCompareRecord);
        $each!(LimitsRecord);
        $each!(InspectRecord);
        $each!(Step);
        $each!(IpcRecord);
        $each!(PosixStep);
        $each!(ContainerRecord);
        $each!(FtokRecord);
    }};
}

/// The text of the records of one run (all of one kind, as a lab makes them).
pub fn text_of(records: &[AnyRecord], layout: Layout) -> String {
    let mut parts = Vec::new();
    macro_rules! each {
        ($kind:ty) => {
            let rs = of_kind::<$kind>(records);
            if !rs.is_empty() {
                parts.push(<$kind as Render>::text(&rs, layout));
            }
        };
    }
    for_each_kind!(each);
    parts.join("\n\n")
}

/// The charts of all `records` (a suite's), one set per kind that has any.
pub fn charts_of(records: &[AnyRecord]) -> Vec<Chart> {
    let mut charts = Vec::new();
    macro_rules! each {
        ($kind:ty) => {
            let rs = of_kind::<$kind>(records);
            if !rs.is_empty() {
                charts.extend(<$kind as Render>::charts(&rs));
            }
        };
    }
    for_each_kind!(each);
    charts
}

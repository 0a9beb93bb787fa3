//! `report.md` of a suite run: verdicts, the machine, how long each step
//! took, every run's table, and the charts. Bytes only; the caller writes.

use std::fmt::Write;

use super::model::records_of;
use super::model::{AnyRecord, Status, SuiteDocument};
use super::table;
use crate::size::human;

/// Escapes a table cell (pipes and newlines would break the Markdown table).
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The report; `charts` are the SVG file names written beside it, with a title each.
pub fn report(doc: &SuiteDocument, charts: &[(String, String)]) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# shmlab: suite `{}`, {}\n", doc.suite, doc.started_utc);
    if !doc.description.is_empty() {
        let _ = writeln!(md, "{}\n", doc.description);
    }
    verdicts(&mut md, doc);
    machine(&mut md, doc);
    steps(&mut md, doc);
    if !charts.is_empty() {
        let _ = writeln!(md, "## Charts\n");
        for (file, title) in charts {
            let _ = writeln!(md, "### {title}\n\n![{title}]({file})\n");
        }
    }
    runs(&mut md, doc);
    md
}

fn verdicts(md: &mut String, doc: &SuiteDocument) {
    if doc.verdicts.is_empty() {
        return;
    }
    let count = |s: Status| doc.verdicts.iter().filter(|v| v.status == s).count();
    let _ = writeln!(
        md,
        "## Verdicts\n\n{} reproduced, {} differ, {} skipped.\n\n| run | claim | article | ours | verdict | note |\n|---|---|---|---|---|---|",
        count(Status::Reproduced),
        count(Status::Differs),
        count(Status::Skipped)
    );
    for v in &doc.verdicts {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | **{}** | {} |",
            cell(&v.run),
            cell(&v.claim),
            cell(&v.article),
            cell(&v.ours),
            v.status.name(),
            cell(&v.note)
        );
    }
    md.push('\n');
}

fn machine(md: &mut String, doc: &SuiteDocument) {
    let m = &doc.machine;
    let _ = writeln!(
        md,
        "## Machine\n\nkernel {} ({}), {} CPUs, {} of memory, {}.\n",
        m.kernel,
        m.arch,
        m.cpus,
        human(m.mem_total_kib * 1024),
        m.procps.as_deref().unwrap_or("procps version unknown")
    );
    if !m.sysctls.is_empty() {
        let _ = writeln!(md, "| setting | value |\n|---|---|");
        for (k, v) in &m.sysctls {
            let _ = writeln!(md, "| {k} | {} |", cell(v));
        }
        md.push('\n');
    }
}

fn steps(md: &mut String, doc: &SuiteDocument) {
    let total: f64 = doc.runs.iter().map(|r| r.duration_ms).sum();
    let _ = writeln!(md, "## Steps\n\n| run | experiment | took | |\n|---|---|---|---|");
    for r in &doc.runs {
        let note = match (r.failure(), r.skip_reason()) {
            (Some(why), _) => format!("**failed**: {}", cell(why)),
            (None, Some(why)) => format!("skipped: {}", cell(why)),
            (None, None) => String::new(),
        };
        let _ = writeln!(md, "| {} | {} | {:.1} s | {note} |", r.id, r.experiment, r.duration_ms / 1e3);
    }
    let _ = writeln!(md, "| **total** | | **{:.1} s** | |\n", total / 1e3);
}

fn runs(md: &mut String, doc: &SuiteDocument) {
    // Grouped once: filtering every record for every run was quadratic.
    let mut by_run: std::collections::HashMap<&str, Vec<&AnyRecord>> = std::collections::HashMap::new();
    for r in &doc.records {
        by_run.entry(r.run.as_str()).or_default().push(&r.record);
    }
    for run in &doc.runs {
        let Some(records) = by_run.get(run.id.as_str()) else { continue };
        let title = if run.title.is_empty() { run.id.clone() } else { run.title.clone() };
        let _ = writeln!(md, "## {}: {title}\n\n```text\n{}\n```\n", run.id, table_of(records));
    }
}

/// The terminal table of a run's records (one kind of record per run).
pub fn table_of(records: &[&AnyRecord]) -> String {
    match records.first() {
        Some(AnyRecord::Racing(_)) => {
            let rs = records_of!(records.iter().copied(), Racing);
            format!("{}\n{}", table::racing(&rs), table::racing_reading(&rs))
        }
        Some(AnyRecord::Crash(_)) => table::crash(&records_of!(records.iter().copied(), Crash)),
        Some(AnyRecord::BenchLocks(_)) => table::bench_locks(&records_of!(records.iter().copied(), BenchLocks)),
        Some(AnyRecord::Memory(_)) => table::memory(&records_of!(records.iter().copied(), Memory)),
        Some(AnyRecord::ComparePages(_)) => table::compare_pages(&records_of!(records.iter().copied(), ComparePages)),
        Some(AnyRecord::Limits(_)) => {
            let l = records_of!(records.iter().copied(), Limits);
            l.first().map(|l| table::limits(&l.limits, l.check.as_ref(), &l.demo)).unwrap_or_default()
        }
        None => String::new(),
    }
}

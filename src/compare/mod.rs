//! `shmlab compare`: many runs side by side.
//!
//! A teacher collects the run directories of a class (or one machine's
//! runs over months) to show what varies between machines and what does
//! not: the race's finals move with CPUs, fork speed and timer slack, lock
//! costs with the CPU, while a segment's pages in Shmem should be the same
//! everywhere. This module reads each run's results.json (every schema
//! version `shmlab report` reads), takes the same figures out of each
//! ([`figures`]) and the status of each claim, and keeps them with their
//! spread; [`table`] shows them.

mod figures;
pub mod table;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::Result;
use crate::model::{
    CompareDocument, ComparedClaim, ComparedFigure, ComparedRun, RunStatus, RunValue, SCHEMA_VERSION, SuiteDocument,
};
use crate::report::render;

/// Reads every directory's results.json and lines their figures up.
pub fn compare(dirs: &[PathBuf]) -> Result<CompareDocument> {
    let mut loaded = Vec::new();
    for dir in dirs {
        loaded.push((dir, render::load(dir)?));
    }
    let labels = labels(dirs);
    let runs = loaded
        .iter()
        .zip(&labels)
        .map(|((dir, doc), label)| ComparedRun {
            label: label.clone(),
            dir: dir.display().to_string(),
            suite: doc.suite.clone(),
            started_utc: doc.started_utc.clone(),
            kernel: doc.machine.kernel.clone(),
            cpus: doc.machine.cpus,
            mem_total_kib: doc.machine.mem_total_kib,
            schema_version: doc.schema_version,
        })
        .collect();
    let docs: Vec<(&str, &SuiteDocument)> =
        labels.iter().map(String::as_str).zip(loaded.iter().map(|(_, d)| d)).collect();
    Ok(CompareDocument {
        schema_version: SCHEMA_VERSION,
        experiment: "compare".into(),
        runs,
        claims: claims(&docs),
        figures: line_up(&docs),
    })
}

/// Each directory's last path component, made unique with `#2`, `#3` ...
fn labels(dirs: &[PathBuf]) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    dirs.iter()
        .map(|dir| {
            let name = std::fs::canonicalize(dir)
                .ok()
                .as_deref()
                .unwrap_or(dir)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| dir.display().to_string());
            let count = seen.entry(name.clone()).or_default();
            *count += 1;
            if *count == 1 { name } else { format!("{name}#{count}") }
        })
        .collect()
}

/// Every (suite run, claim) judged anywhere, in first-seen order. A claim
/// is named in English, as its suite file gives it, so that a run made in
/// Chinese lines up with one made in English (a verdict's `claim` is in its
/// run's language; the run's stored expectations give the English).
fn claims(docs: &[(&str, &SuiteDocument)]) -> Vec<ComparedClaim> {
    let mut out: Vec<ComparedClaim> = Vec::new();
    for (label, doc) in docs {
        for v in &doc.verdicts {
            let status = RunStatus { label: label.to_string(), status: v.status };
            let (claim, shown) = claim_texts(doc, &v.run, &v.claim);
            match out.iter_mut().find(|c| c.run == v.run && c.claim == claim) {
                Some(c) => c.statuses.push(status),
                None => out.push(ComparedClaim { run: v.run.clone(), claim, shown, statuses: vec![status] }),
            }
        }
    }
    out
}

/// `claim`, a claim of run `run` of `doc` in either language, in English
/// and in the language shmlab speaks (as recorded when the run does not
/// keep its claims).
fn claim_texts(doc: &SuiteDocument, run: &str, claim: &str) -> (String, String) {
    let expectation = doc
        .runs
        .iter()
        .filter(|r| r.id == run)
        .flat_map(|r| &r.expect)
        .find(|e| e.claim == claim || e.claim_zh == claim);
    match expectation {
        Some(e) => (e.claim.clone(), e.claim_in(crate::i18n::current()).to_string()),
        None => (claim.to_string(), claim.to_string()),
    }
}

/// Every figure any run has, each with the value of every run that has it.
fn line_up(docs: &[(&str, &SuiteDocument)]) -> Vec<ComparedFigure> {
    let mut out: Vec<ComparedFigure> = Vec::new();
    for (label, doc) in docs {
        for f in figures::of(doc) {
            let value = RunValue { label: label.to_string(), value: f.value };
            match out.iter_mut().find(|c| c.group == f.group && c.figure == f.figure) {
                Some(c) => c.values.push(value),
                None => out.push(ComparedFigure {
                    group: f.group.into(),
                    figure: f.figure,
                    shown: f.shown,
                    unit: f.unit.into(),
                    values: vec![value],
                    min: 0.0,
                    median: 0.0,
                    max: 0.0,
                }),
            }
        }
    }
    for c in &mut out {
        let values: Vec<f64> = c.values.iter().map(|v| v.value).collect();
        (c.min, c.median, c.max) = crate::model::spread(&values).unwrap_or_default();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_directory_twice_gets_two_labels() {
        let dirs = [PathBuf::from("/nonexistent/alice"), PathBuf::from("/nonexistent/alice/"), "bob".into()];
        assert_eq!(labels(&dirs), ["alice", "alice#2", "bob"]);
    }

    #[test]
    fn spread_of_an_even_count() {
        assert_eq!(crate::model::spread(&[3.0, 1.0, 2.0, 10.0]), Some((1.0, 2.5, 10.0)));
        assert_eq!(crate::model::spread(&[]), None);
    }
}

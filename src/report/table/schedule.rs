//! A replayed `--schedule`: one row per step, what it was predicted to do
//! and what it did, and a plain account of which step erased which update.

use crate::i18n::t;
use crate::model::{RacingRecord, ScheduleRun};
use crate::report::grid::Grid;
use crate::tr;

/// The table and reading of one schedule record.
pub fn schedule(record: &RacingRecord, run: &ScheduleRun, width: usize) -> String {
    let trials = record.finals.len();
    let mut grid = Grid::new([
        "#".to_string(),
        t("schedule-step"),
        t("schedule-predicted"),
        t(if trials > 1 { "schedule-measured-trials" } else { "schedule-measured" }),
        t("schedule-what-happens"),
    ])
    .prose(4);
    for (i, s) in run.steps.iter().enumerate() {
        let n = i + 1;
        let predicted = s.predicted.map_or_else(|| "-".to_string(), |v| v.to_string());
        let measured = tally(s.measured.iter().map(|m| m.map_or_else(|| "-".to_string(), |v| v.to_string())));
        let waited = s.waited.iter().filter(|w| **w).count();
        let mut what = meaning(&s.step, s.predicted);
        if let Some(until) = s.waits_until {
            let who = s.step.split('.').next().unwrap_or("?");
            what = if waited < s.waited.len() {
                tr!("schedule-waits-seen", who = who, until = until, waited = waited, trials = s.waited.len())
            } else {
                tr!("schedule-waits-asleep", who = who, until = until)
            };
        }
        if !s.erases.is_empty() {
            let erased: Vec<String> =
                s.erases.iter().map(|e| tr!("schedule-erased-step", n = e, step = &run.steps[e - 1].step)).collect();
            what.push_str(&tr!("schedule-erases", steps = erased.join(&t("schedule-and"))));
        }
        grid.row([n.to_string(), s.step.clone(), predicted, measured, what]);
    }
    let mut text = grid.render(width);
    let finals = tally(record.finals.iter().map(|f| f.to_string()));
    let agree = record.finals.iter().all(|f| *f == run.predicted_final);
    text.push_str("\n\n");
    text.push_str(&tr!(
        if agree { "schedule-final-agrees" } else { "schedule-final-differs" },
        predicted = run.predicted_final,
        measured = finals,
        writes = record.expected
    ));
    if agree {
        text.push_str(&format!("\n\n{}", reading(run, record.expected)));
    } else {
        text.push_str("\n\n");
        text.push_str(&t("schedule-not-as-written"));
    }
    text
}

/// "1" or "1 (19×), 2 (1×)": the values of the trials, counted.
fn tally(values: impl Iterator<Item = String>) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(seen, _)| *seen == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v, 1)),
        }
    }
    match counts.as_slice() {
        [(v, _)] => v.clone(),
        _ => counts.iter().map(|(v, n)| format!("{v} ({n}×)")).collect::<Vec<_>>().join(", "),
    }
}

fn meaning(step: &str, value: Option<u64>) -> String {
    let (who, what) = step.split_once('.').unwrap_or((step, ""));
    match (what, value) {
        ("read", Some(v)) => tr!("schedule-reads", who = who, value = v),
        ("write", Some(v)) => tr!("schedule-writes", who = who, read = v.saturating_sub(1), value = v),
        ("lock", _) => tr!("schedule-takes-lock", who = who),
        ("unlock", _) => tr!("schedule-releases-lock", who = who),
        _ => String::new(),
    }
}

/// Which steps made updates vanish, in words.
fn reading(run: &ScheduleRun, writes: u64) -> String {
    let gap = t("sentence-gap");
    let mut text = t("schedule-how-to-read") + &gap;
    let erasing: Vec<(usize, &crate::model::ScheduledStep)> =
        run.steps.iter().enumerate().filter(|(_, s)| !s.erases.is_empty()).collect();
    if erasing.is_empty() {
        text.push_str(&tr!("schedule-nothing-lost", writes = writes));
        text.push_str(&gap);
    }
    for (i, s) in erasing {
        let who = s.step.split('.').next().unwrap_or("?");
        let read_step = run.steps[..i].iter().rposition(|p| p.step == format!("{who}.read")).map_or(0, |r| r + 1);
        let value = s.predicted.unwrap_or(1).saturating_sub(1);
        let victims: Vec<String> = s
            .erases
            .iter()
            .map(|e| {
                tr!(
                    "schedule-victim",
                    who = run.steps[e - 1].step.split('.').next().unwrap_or("?"),
                    value = run.steps[e - 1].predicted.unwrap_or(0)
                )
            })
            .collect();
        text.push_str(&tr!(
            if victims.len() == 1 { "schedule-vanished-one" } else { "schedule-vanished-many" },
            n = i + 1,
            who = who,
            value = value,
            read_step = read_step,
            victims = victims.join(&t("schedule-and-victims")),
            wrote = s.predicted.unwrap_or(0)
        ));
        text.push_str(&gap);
    }
    if run.steps.iter().any(|s| s.waits_until.is_some()) {
        text.push_str(&t("schedule-lock-step"));
    }
    text.trim_end().to_string()
}

//! A replayed `--schedule`: one row per step, what it was predicted to do
//! and what it did, and a plain account of which step erased which update.

use crate::model::{RacingRecord, ScheduleRun};
use crate::report::grid::Grid;

/// The table and reading of one schedule record.
pub fn schedule(record: &RacingRecord, run: &ScheduleRun, width: usize) -> String {
    let trials = record.finals.len();
    let mut grid = Grid::new([
        "#",
        "step",
        "predicted",
        if trials > 1 { "measured (trials)" } else { "measured" },
        "what happens",
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
            what = format!("{who} asks for the lock while it is held: waits until step {until}");
            if waited < s.waited.len() {
                what.push_str(&format!(" (seen waiting in {waited} of {} trials)", s.waited.len()));
            } else {
                what.push_str(" (seen asleep in the kernel)");
            }
        }
        if !s.erases.is_empty() {
            let erased: Vec<String> =
                s.erases.iter().map(|e| format!("step {e} ({})", run.steps[e - 1].step)).collect();
            what.push_str(&format!("; erases the update of {}", erased.join(" and ")));
        }
        grid.row([n.to_string(), s.step.clone(), predicted, measured, what]);
    }
    let mut text = grid.render(width);
    let finals = tally(record.finals.iter().map(|f| f.to_string()));
    let agree = record.finals.iter().all(|f| *f == run.predicted_final);
    text.push_str(&format!(
        "\n\nFinal counter: predicted {}, measured {finals}{}; {} writes, so {} without any overlap.",
        run.predicted_final,
        if agree { ", as predicted" } else { ": NOT as predicted" },
        record.expected,
        record.expected
    ));
    if agree {
        text.push_str(&format!("\n\n{}", reading(run, record.expected)));
    } else {
        text.push_str(
            "\n\nThe children did not do what the schedule says: a step saw another value than predicted. That is a \
             bug in shmlab or a lock that does not exclude; please report it with this output.",
        );
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
        ("read", Some(v)) => format!("{who} reads {v}"),
        ("write", Some(v)) => format!("{who} writes {} + 1 = {v}", v.saturating_sub(1)),
        ("lock", _) => format!("{who} takes the lock"),
        ("unlock", _) => format!("{who} releases the lock"),
        _ => String::new(),
    }
}

/// Which steps made updates vanish, in words.
fn reading(run: &ScheduleRun, writes: u64) -> String {
    let mut text = String::from(
        "How to read this: the children ran exactly the steps above, in that order, each released by shmlab in turn, so the result is the same every time. ",
    );
    let erasing: Vec<(usize, &crate::model::ScheduledStep)> =
        run.steps.iter().enumerate().filter(|(_, s)| !s.erases.is_empty()).collect();
    if erasing.is_empty() {
        text.push_str(&format!(
            "No write overwrote another child's update: every read came after the previous write, so all {writes} \
             increments count. "
        ));
    }
    for (i, s) in erasing {
        let who = s.step.split('.').next().unwrap_or("?");
        let read_step = run.steps[..i].iter().rposition(|p| p.step == format!("{who}.read")).map_or(0, |r| r + 1);
        let value = s.predicted.unwrap_or(1).saturating_sub(1);
        let victims: Vec<String> = s
            .erases
            .iter()
            .map(|e| {
                format!(
                    "{}'s {}",
                    run.steps[e - 1].step.split('.').next().unwrap_or("?"),
                    run.steps[e - 1].predicted.unwrap_or(0)
                )
            })
            .collect();
        text.push_str(&format!(
            "Step {} made {} vanish: {who} had read {value} at step {read_step}, before {} {} written, and wrote \
             {value} + 1 = {} over {}. ",
            i + 1,
            if victims.len() == 1 { "an update" } else { "updates" },
            victims.join(" and "),
            if victims.len() == 1 { "was" } else { "were" },
            s.predicted.unwrap_or(0),
            if victims.len() == 1 { "it" } else { "them" },
        ));
    }
    if run.steps.iter().any(|s| s.waits_until.is_some()) {
        text.push_str(
            "A lock step that finds the lock held does not return: the child sleeps in the kernel until the holder \
             unlocks, so its read comes after the holder's write. That is what a lock does to the race.",
        );
    }
    text.trim_end().to_string()
}

//! The racing table and its reading.

use super::{Layout, histogram, join};
use crate::lock::LockKind;
use crate::model::{RacingRecord, min_median_max};
use crate::report::grid::Grid;
use crate::report::sweep::Setting;

/// The median of some wall times (ms), as people read it.
fn median_ms(values: &[f64]) -> String {
    crate::model::spread(values).map(|(_, m, _)| format!("{m:.1}")).unwrap_or_default()
}

impl crate::report::Render for RacingRecord {
    fn text(records: &[Self], layout: Layout) -> String {
        racing(records, layout)
    }

    fn charts(records: &[Self]) -> Vec<crate::report::Chart> {
        let mut charts = vec![crate::report::Chart {
            file: "racing-finals.svg",
            title: "Final counter values per trial",
            svg: crate::report::chart::racing_finals(records),
        }];
        if let Some(svg) = crate::report::chart::race_timeline(records) {
            charts.push(crate::report::Chart {
                file: "racing-timeline.svg",
                title: "One traced trial: every child's read and write",
                svg,
            });
        }
        charts
    }
}

/// The racing table (one row per backend and lock) and what it shows.
/// Per-trial lists are summarised (min / median / max and a histogram of
/// the finals); `long` adds every trial's numbers under the table.
fn racing(records: &[RacingRecord], layout: Layout) -> String {
    let schedules: Vec<String> = records
        .iter()
        .filter_map(|r| r.schedule.as_ref().map(|run| (r, run)))
        .map(|(r, run)| {
            let title = format!(
                "Schedule {}{} ({} / {})",
                run.name.as_deref().map_or(String::new(), |n| format!("{n}: ")),
                run.text,
                r.backend,
                r.lock
            );
            format!("{title}\n{}", super::schedule::schedule(r, run, layout.width))
        })
        .collect();
    if !schedules.is_empty() {
        return layout.wrap(&schedules.join("\n\n"));
    }
    let trials = records.iter().map(|r| r.finals.len()).max().unwrap_or(0);
    // A sweep's rows differ in a setting: show the settings that differ.
    let settings = Setting::varying(records);
    let mut headers: Vec<&str> = settings.iter().map(|s| s.header()).collect();
    if trials > 1 {
        headers.extend([
            "backend",
            "lock",
            "protects",
            "expected",
            "final min/med/max",
            "finals",
            "lost med",
            "ms med",
        ]);
    } else {
        headers.extend(["backend", "lock", "protects", "expected", "final", "lost", "ms"]);
    }
    let mut grid = Grid::new(headers).keys(2 + settings.len());
    for r in records {
        let (lo, med, hi) = min_median_max(&r.finals).unwrap_or_default();
        let lost = min_median_max(&r.lost).map(|(_, m, _)| m).unwrap_or_default();
        let mut row: Vec<String> = settings.iter().map(|s| s.value(r)).collect();
        row.extend([
            r.backend.name().to_string(),
            r.lock.name().to_string(),
            if r.protected { "yes" } else { "NO" }.to_string(),
            r.expected.to_string(),
        ]);
        if trials > 1 {
            row.extend([format!("{lo} / {med} / {hi}"), histogram(&r.finals), lost.to_string()]);
        } else {
            row.extend([join(&r.finals), join(&r.lost)]);
        }
        row.push(median_ms(&r.wall_ms));
        grid.row(row);
    }
    let mut text = grid.render(layout.width);
    if trials > 1 {
        if layout.long {
            text.push_str("\n\nEvery trial:");
            for r in records {
                let name = format!("{} / {}", r.backend, r.lock);
                let wall: Vec<String> = r.wall_ms.iter().map(|w| format!("{w:.1}")).collect();
                text.push_str(&format!("\n{name}\n  finals   {}", join(&r.finals)));
                text.push_str(&format!("\n  lost     {}\n  wall ms  {}", join(&r.lost), wall.join(" ")));
            }
        } else {
            text.push_str(&format!(
                "\n\n`finals` shows how the {trials} finals spread between min and max; --long (or --json) lists \
                 every trial."
            ));
        }
    }
    text.push_str("\n\n");
    text.push_str(&reading(records));
    let traced = super::race_trace::reading(records);
    if !traced.is_empty() {
        text.push_str("\n\n");
        text.push_str(&traced);
    }
    layout.wrap(&text)
}

/// A paragraph that explains what the racing table shows, with its numbers.
fn reading(records: &[RacingRecord]) -> String {
    let Some(first) = records.first() else { return String::new() };
    let unprotected: Vec<&RacingRecord> = records.iter().filter(|r| !r.protected).collect();
    let total_trials: usize = unprotected.iter().map(|r| r.finals.len()).sum();
    let losing_trials: usize = unprotected.iter().map(|r| r.lost.iter().filter(|l| **l > 0).count()).sum();
    let worst = unprotected.iter().flat_map(|r| r.lost.iter().map(move |l| (*l, r))).max_by_key(|(l, _)| *l);
    let mut text = format!(
        "How to read this: {} read the shared counter, slept {} µs, then wrote back what it had read plus one{}. \
         Run one after another they would leave {}. ",
        if first.children == 1 { "one child".to_string() } else { format!("each of the {} children", first.children) },
        first.delay_us,
        match first.iterations {
            1 => String::new(),
            n => format!(", {n} times"),
        },
        first.expected
    );
    match worst {
        Some((lost, r)) if lost > 0 => text.push_str(&format!(
            "Run at the same time they do not: {losing_trials} of {total_trials} unprotected trials lost updates, \
             up to {lost} of {} ({}). A child that reads the counter while another child sits between its read \
             and its write reads the same old value; both write back old + 1, and one increment vanishes. That is \
             a lost update, and the final value counts only the writes that survived. The counter lives in memory \
             every child really shares; sharing is not the problem, the unprotected read-modify-write is. How many \
             updates get lost depends on how the children overlap: CPUs, scheduler, timer slack and fork speed, so \
             it varies from run to run and machine to machine.",
            r.expected,
            if r.lock == LockKind::None { r.backend.to_string() } else { format!("{}, {}", r.backend, r.lock) }
        )),
        Some(_) if first.children == 1 => text
            .push_str("With one child nothing can overlap, so no update can be lost: that is the control experiment."),
        Some(_) => text.push_str(
            "Every unprotected trial here came out exact: the children did not overlap this time (fork was slower \
             than each child's work). Raise --children or --delay-us to make them overlap, and updates will be lost.",
        ),
        None => {}
    }
    let mut kinds: Vec<LockKind> = Vec::new();
    for r in records.iter().filter(|r| r.lock != LockKind::None) {
        if !kinds.contains(&r.lock) {
            kinds.push(r.lock);
        }
    }
    if !kinds.is_empty() {
        text.push_str("\n\nThe protections:");
        for kind in kinds {
            let exact = records.iter().filter(|r| r.lock == kind).all(|r| r.finals.iter().all(|f| *f == r.expected));
            let verdict = if exact { "every trial exact" } else { "lost updates" };
            text.push_str(&format!("\n  {:<16} {verdict}: {}", kind.name(), kind.explanation()));
        }
    }
    text
}

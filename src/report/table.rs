//! Plain-text tables for the terminal, and the reading printed under them.

use tabled::builder::Builder;
use tabled::settings::Style;

use super::model::{RacingRecord, min_median_max};

fn render(builder: Builder) -> String {
    let mut table = builder.build();
    table.with(Style::sharp());
    table.to_string()
}

fn join<T: std::fmt::Display>(values: &[T]) -> String {
    values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" ")
}

/// The racing table: one row per backend and lock.
pub fn racing(records: &[RacingRecord]) -> String {
    let mut b = Builder::default();
    b.push_record([
        "backend",
        "lock",
        "children",
        "iter",
        "expected",
        "final per trial",
        "lost per trial",
        "final min/med/max",
        "wall ms per trial",
    ]);
    for r in records {
        let spread = min_median_max(&r.finals).map(|(a, m, z)| format!("{a} / {m} / {z}")).unwrap_or_default();
        let wall: Vec<String> = r.wall_ms.iter().map(|w| format!("{w:.1}")).collect();
        b.push_record([
            r.backend.name().to_string(),
            r.lock.clone(),
            r.children.to_string(),
            r.iterations.to_string(),
            r.expected.to_string(),
            join(&r.finals),
            join(&r.lost),
            spread,
            wall.join(" "),
        ]);
    }
    render(b)
}

/// A paragraph that explains what the racing table shows, with its numbers.
pub fn racing_reading(records: &[RacingRecord]) -> String {
    let Some(first) = records.first() else { return String::new() };
    let unprotected: Vec<&RacingRecord> = records.iter().filter(|r| r.lock == "none").collect();
    let total_trials: usize = unprotected.iter().map(|r| r.finals.len()).sum();
    let losing_trials: usize = unprotected.iter().map(|r| r.lost.iter().filter(|l| **l > 0).count()).sum();
    let worst = unprotected.iter().flat_map(|r| r.lost.iter().map(move |l| (*l, r))).max_by_key(|(l, _)| *l);
    let mut text = format!(
        "How to read this: each of the {} children read the shared counter, slept {} µs, then wrote back what it had read plus one ({} time(s) each). \
         Run one after another they would leave {}. ",
        first.children, first.delay_us, first.iterations, first.expected
    );
    match worst {
        Some((lost, r)) if lost > 0 => text.push_str(&format!(
            "Run at the same time they do not: {losing_trials} of {total_trials} unprotected trials lost updates, up to {lost} of {} ({}). \
             A child that reads the counter while another child sits between its read and its write reads the same old value; \
             both write back old + 1, and one increment vanishes. That is a lost update, and the final value counts only the writes that survived. \
             The counter lives in memory every child really shares; sharing is not the problem, the unprotected read-modify-write is. \
             How many updates get lost depends on how the children overlap: CPUs, scheduler, timer slack and fork speed, so it varies from run to run and machine to machine.",
            r.expected,
            r.backend
        )),
        Some(_) => text.push_str(
            "Every unprotected trial here came out exact: the children did not overlap this time (one child, or fork slower than each child's work). \
             Raise --children or --delay-us to make them overlap, and updates will be lost.",
        ),
        None => {}
    }
    text
}

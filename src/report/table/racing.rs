//! The racing table and its reading.

use tabled::builder::Builder;

use super::{join, render};
use crate::lock::LockKind;
use crate::report::model::{RacingRecord, min_median_max};

/// The racing table: one row per backend and lock.
pub fn racing(records: &[RacingRecord]) -> String {
    let mut b = Builder::default();
    b.push_record([
        "backend",
        "lock",
        "protects",
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
            r.lock.name().to_string(),
            if r.protected { "yes" } else { "NO" }.to_string(),
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
            "Run at the same time they do not: {losing_trials} of {total_trials} unprotected trials lost updates, up to {lost} of {} ({}). \
             A child that reads the counter while another child sits between its read and its write reads the same old value; \
             both write back old + 1, and one increment vanishes. That is a lost update, and the final value counts only the writes that survived. \
             The counter lives in memory every child really shares; sharing is not the problem, the unprotected read-modify-write is. \
             How many updates get lost depends on how the children overlap: CPUs, scheduler, timer slack and fork speed, so it varies from run to run and machine to machine.",
            r.expected,
            if r.lock == LockKind::None { r.backend.to_string() } else { format!("{}, {}", r.backend, r.lock) }
        )),
        Some(_) if first.children == 1 => {
            text.push_str("With one child nothing can overlap, so no update can be lost: that is the control experiment.")
        }
        Some(_) => text.push_str(
            "Every unprotected trial here came out exact: the children did not overlap this time (fork was slower than \
             each child's work). Raise --children or --delay-us to make them overlap, and updates will be lost.",
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

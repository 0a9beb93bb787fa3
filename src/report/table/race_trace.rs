//! Under a traced racing table: why the count is what it is, from the
//! trace. How long a child really sat between its read and its write, how
//! far apart the children started, how many were inside that window at
//! once, and one lost update told as it happened.

use crate::i18n::t;
use crate::model::{RacingRecord, TraceEntry, TraceStats, account, eraser_of, stats};
use crate::tr;

fn us(ns: f64) -> String {
    if ns >= 10_000.0 { format!("{:.0} µs", ns / 1000.0) } else { format!("{:.1} µs", ns / 1000.0) }
}

fn at(ns: u64) -> String {
    format!("{:.3} ms", ns as f64 / 1e6)
}

/// The paragraph for every traced record (empty if none is traced).
pub fn reading(records: &[RacingRecord]) -> String {
    let mut out = Vec::new();
    for r in records {
        let Some(traces) = &r.trace else { continue };
        let Some(first) = traces.first() else { continue };
        // Trials with a failed child miss that child's sections: nothing
        // to replay there.
        let (mut replayed, mut complete) = (0, 0);
        for ((t, final_value), failed) in traces.iter().zip(&r.finals).zip(&r.failed_children) {
            if *failed == 0 {
                let mut entries = t.entries.clone();
                complete += 1;
                replayed += usize::from(account(&mut entries, *final_value).explains(*final_value));
            }
        }
        let Some(s) = stats(&first.entries) else { continue };
        let name = format!("{} / {}", r.backend, r.lock);
        let mut text = tr!(
            if replayed == complete { "trace-replayed" } else { "trace-replayed-wrong" },
            name = name,
            traced = if traces.len() == 1 { t("trace-one-trial") } else { tr!("trace-trials", n = traces.len()) },
            replayed = replayed,
            complete = complete
        );
        text.push_str(&t("sentence-gap"));
        text.push_str(&why(r, &s));
        if let Some(story) = one_loss(&first.entries) {
            text.push_str(&t("sentence-gap"));
            text.push_str(&story);
        }
        out.push(text);
    }
    out.join("\n\n")
}

/// lost ≈ how many windows overlap; overlap ≈ window / fork spacing.
fn why(r: &RacingRecord, s: &TraceStats) -> String {
    if r.protected {
        return tr!(
            "trace-protected",
            lock = r.lock,
            mean = format!("{:.1}", s.overlap_mean),
            most = s.overlap_max,
            window = us(s.window_ns),
            spacing = us(s.fork_spacing_ns),
            why = t(if r.lock == crate::lock::LockKind::Atomic { "trace-atomic-why" } else { "trace-lock-why" })
        );
    }
    let slack = r.timer_slack_ns.map_or_else(|| t("trace-default-slack"), |ns| tr!("trace-slack", ns = ns));
    let per_window = if s.fork_spacing_ns > 0.0 { s.window_ns / s.fork_spacing_ns } else { 0.0 };
    let predicted = r.expected as f64 / (1.0 + s.overlap_mean);
    tr!(
        "trace-unprotected",
        window = us(s.window_ns),
        delay = r.delay_us,
        slack = slack,
        spacing = us(s.fork_spacing_ns),
        start = us(s.start_delay_ns),
        per_window = format!("{per_window:.1}"),
        mean = format!("{:.1}", s.overlap_mean),
        most = s.overlap_max,
        one_in = format!("{:.1}", 1.0 + s.overlap_mean),
        predicted = format!("{predicted:.0}"),
        measured = r.finals.first().copied().unwrap_or(0)
    )
}

/// One lost update, told as it happened: "child 17 read 5 at ...; child
/// 18 read 5 at ...; 17 wrote 6 at ...; 18 wrote 6 at ...: 17's update lost".
fn one_loss(entries: &[TraceEntry]) -> Option<String> {
    // The textbook case is an eraser that read the very same value; take
    // one of those if there is one.
    let lost: Vec<(&TraceEntry, &TraceEntry)> =
        entries.iter().filter_map(|v| eraser_of(entries, v).map(|e| (v, e))).collect();
    let &(victim, eraser) = lost.iter().find(|(v, e)| v.read == e.read).or(lost.first())?;
    Some(tr!(
        "trace-example",
        victim = victim.child,
        victim_read = victim.read,
        victim_read_at = at(victim.read_ns),
        eraser = eraser.child,
        eraser_read = eraser.read,
        eraser_read_at = at(eraser.read_ns),
        victim_wrote = victim.wrote,
        victim_write_at = at(victim.write_ns),
        eraser_wrote = eraser.wrote,
        eraser_write_at = at(eraser.write_ns)
    ))
}

//! Under a traced racing table: why the count is what it is, from the
//! trace. How long a child really sat between its read and its write, how
//! far apart the children started, how many were inside that window at
//! once, and one lost update told as it happened.

use crate::model::{RacingRecord, TraceEntry, TraceStats, account, eraser_of, stats};

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
        let mut text = format!(
            "The trace ({name}, {} traced): the reconstruction gives exactly the final value in {replayed} of {} \
             trials{}. ",
            if traces.len() == 1 { "1 trial".into() } else { format!("{} trials", traces.len()) },
            complete,
            if replayed == complete { "" } else { " (a trace that does not is wrong: please report it)" }
        );
        text.push_str(&why(r, &s));
        if let Some(story) = one_loss(&first.entries) {
            text.push(' ');
            text.push_str(&story);
        }
        out.push(text);
    }
    out.join("\n\n")
}

/// lost ≈ how many windows overlap; overlap ≈ window / fork spacing.
fn why(r: &RacingRecord, s: &TraceStats) -> String {
    if r.protected {
        return format!(
            "With {} no two windows overlap: when a child read the counter, {:.1} others were on average (at most \
             {}) between their read and their write, so no write could be based on a stale read. A window lasted \
             {} and the children were forked {} apart; {}.",
            r.lock,
            s.overlap_mean,
            s.overlap_max,
            us(s.window_ns),
            us(s.fork_spacing_ns),
            if r.lock == crate::lock::LockKind::Atomic {
                "there is nothing to wait for, the read and the write are one instruction"
            } else {
                "a child that came while another held the lock waited there, before its read"
            }
        );
    }
    let slack =
        r.timer_slack_ns.map_or("the default 50 µs timer slack".to_string(), |ns| format!("a timer slack of {ns} ns"));
    let per_window = if s.fork_spacing_ns > 0.0 { s.window_ns / s.fork_spacing_ns } else { 0.0 };
    let predicted = r.expected as f64 / (1.0 + s.overlap_mean);
    format!(
        "In the first traced trial a child sat {} between its read and its write (it asked to sleep {} µs; \
         {slack} and the wake-up make the rest), the children were forked {} apart and each started {} after its \
         fork. So a window holds about {per_window:.1} fork spacings: when a child read the counter, {:.1} others \
         were on average (at most {}) between their read and their write, and each of them would overwrite \
         whatever this one wrote. Roughly one update in {:.1} survives: predicted final about {predicted:.0}, \
         measured {}. Shorten the window (--delay-us 0, --timer-slack 1) or space the forks out and fewer updates \
         are lost.",
        us(s.window_ns),
        r.delay_us,
        us(s.fork_spacing_ns),
        us(s.start_delay_ns),
        s.overlap_mean,
        s.overlap_max,
        1.0 + s.overlap_mean,
        r.finals.first().copied().unwrap_or(0),
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
    Some(format!(
        "For example: child {} read {} at {}; child {} read {} at {}; {} wrote {} at {}; {} wrote {} at {}: child {}'s \
         update was lost.",
        victim.child,
        victim.read,
        at(victim.read_ns),
        eraser.child,
        eraser.read,
        at(eraser.read_ns),
        victim.child,
        victim.wrote,
        at(victim.write_ns),
        eraser.child,
        eraser.wrote,
        at(eraser.write_ns),
        victim.child,
    ))
}

//! Plain-text tables for the terminal, and the reading printed under them.

use tabled::builder::Builder;
use tabled::settings::Style;

use super::model::{BenchRecord, CrashRecord, RacingRecord, min_median_max};
use crate::lock::LockKind;

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

/// The crash table: one row per lock.
pub fn crash(records: &[CrashRecord]) -> String {
    let mut b = Builder::default();
    b.push_record(["lock", "verdict", "recovered after", "final / expected", "waiters killed"]);
    for r in records {
        let after = r.recovered_after_ms.map(|ms| format!("{ms:.2} ms")).unwrap_or_else(|| "-".to_string());
        b.push_record([
            r.lock.name().to_string(),
            serde_json::to_value(r.verdict).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
            after,
            format!("{} / {}", r.final_value, r.expected),
            r.waiters_killed.to_string(),
        ]);
    }
    let mut text = render(b);
    text.push_str("\n\nWhat happened:");
    for r in records {
        text.push_str(&format!("\n  {:<16} {}", r.lock.name(), r.outcome));
    }
    text.push_str(
        "\n\nA lock the kernel knows about (file locks, SysV semaphores with SEM_UNDO, the robust mutex's list) \
         is cleaned up when its holder dies. A semaphore or plain mutex is only a word in shared memory: \
         nothing records who holds it, so nobody can release it for a dead holder.",
    );
    text
}

/// The lock-cost table: one row per lock and process count.
pub fn bench_locks(records: &[BenchRecord]) -> String {
    let mut b = Builder::default();
    b.push_record(["lock", "procs", "ops/proc", "ns/op (median)", "vs no lock", "runs ns/op", "acq. min/max", "exact"]);
    for r in records {
        let baseline = records.iter().find(|x| x.lock == LockKind::None && x.procs == r.procs).map(|x| x.ns_per_op);
        let ratio = baseline.filter(|b| *b > 0.0).map(|b| format!("{:.1}x", r.ns_per_op / b)).unwrap_or_default();
        let runs: Vec<String> = r.ns_per_op_runs.iter().map(|v| format!("{v:.1}")).collect();
        b.push_record([
            r.lock.name().to_string(),
            r.procs.to_string(),
            r.ops.to_string(),
            format!("{:.1}", r.ns_per_op),
            ratio,
            runs.join(" "),
            format!("{} / {}", r.acquisitions_min, r.acquisitions_max),
            if r.exact { "yes" } else { "NO" }.to_string(),
        ]);
    }
    let mut text = render(b);
    text.push_str(
        "\n\nns/op is wall time from the start signal to the last process reaped, divided by all increments. \
         atomic, mutex and posix-sem stay in user space when uncontended (one atomic instruction on a futex word); \
         flock, fcntl, ofd and sysv-sem enter the kernel twice per increment. With several processes the lock's \
         cache line moves between CPUs and waiters sleep and wake in the kernel. acq. min/max: acquisitions \
         each process made while all were still running (equal = fair).",
    );
    text
}

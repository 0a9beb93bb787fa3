//! The lock-cost table.

use super::Layout;
use crate::lock::LockKind;
use crate::model::BenchRecord;
use crate::report::grid::Grid;

impl crate::report::Render for BenchRecord {
    fn text(records: &[Self], layout: Layout) -> String {
        bench_locks(records, layout)
    }

    fn charts(records: &[Self]) -> Vec<crate::report::Chart> {
        vec![crate::report::Chart {
            file: "lock-cost.svg",
            title: "What a protected increment costs",
            svg: crate::report::chart::lock_cost(records),
        }]
    }
}

/// The lock-cost table (one row per lock and process count) and its
/// reading; `long` adds every repeat's figure.
fn bench_locks(records: &[BenchRecord], layout: Layout) -> String {
    let mut grid =
        Grid::new(["lock", "procs", "ops/proc", "ns/op (median)", "vs no lock", "spread", "acq. min/max", "exact"])
            .keys(2);
    for r in records {
        let baseline = records.iter().find(|x| x.lock == LockKind::None && x.procs == r.procs).map(|x| x.ns_per_op);
        let ratio = baseline.filter(|b| *b > 0.0).map(|b| format!("{:.1}x", r.ns_per_op / b)).unwrap_or_default();
        let lo = r.ns_per_op_runs.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = r.ns_per_op_runs.iter().copied().fold(0.0, f64::max);
        let spread = if r.ns_per_op_runs.len() > 1 { format!("{lo:.1}..{hi:.1}") } else { "-".into() };
        grid.row([
            r.lock.name().to_string(),
            r.procs.to_string(),
            r.ops.to_string(),
            format!("{:.1}", r.ns_per_op),
            ratio,
            spread,
            format!("{} / {}", r.acquisitions_min, r.acquisitions_max),
            if r.exact { "yes" } else { "NO" }.to_string(),
        ]);
    }
    let mut text = grid.render(layout.width);
    if layout.long {
        text.push_str("\n\nEvery repeat, ns/op:");
        for r in records {
            let runs: Vec<String> = r.ns_per_op_runs.iter().map(|v| format!("{v:.1}")).collect();
            text.push_str(&format!("\n  {} with {}  {}", r.lock, r.procs, runs.join(" ")));
        }
    }
    text.push_str(
        "\n\nns/op is wall time from the start signal to the last process reaped, divided by all increments \
         (the median of the repeats; spread: the fastest and slowest repeat, all of them with --long). atomic, \
         both mutexes and both POSIX semaphores stay in user space when uncontended (one atomic instruction on a \
         futex word); flock, fcntl, ofd and sysv-sem enter the kernel twice per increment. With several processes \
         the lock's cache line moves between CPUs and waiters sleep and wake in the kernel. acq. min/max: \
         acquisitions each process made while all were still running (equal = fair; 0 means that process never \
         ran while the other did). ns/op includes the start-up of the processes, spread over --ops increments: \
         with fewer than the default 200000, the cheapest locks look a few ns dearer than they are.",
    );
    layout.wrap(&text)
}

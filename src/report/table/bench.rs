//! The lock-cost table.

use tabled::builder::Builder;

use super::render;
use crate::lock::LockKind;
use crate::report::model::BenchRecord;

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
         atomic, both mutexes and both POSIX semaphores stay in user space when uncontended (one atomic instruction on a futex word); \
         flock, fcntl, ofd and sysv-sem enter the kernel twice per increment. With several processes the lock's \
         cache line moves between CPUs and waiters sleep and wake in the kernel. acq. min/max: acquisitions \
         each process made while all were still running (equal = fair; 0 means that process never ran while the \
         other did). ns/op includes the start-up of the processes, spread over --ops increments: with fewer than \
         the default 200000, the cheapest locks look a few ns dearer than they are.",
    );
    text
}

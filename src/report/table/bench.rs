//! The lock-cost table.

use super::Layout;
use crate::i18n::t;
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
            title: t("bench-chart-cost"),
            svg: crate::report::chart::lock_cost(records),
        }]
    }
}

/// The lock-cost table (one row per lock and process count) and its
/// reading; `long` adds every repeat's figure.
fn bench_locks(records: &[BenchRecord], layout: Layout) -> String {
    let mut grid = Grid::new(
        [
            "bench-lock",
            "bench-procs",
            "bench-ops-per-proc",
            "bench-ns-per-op",
            "bench-vs-no-lock",
            "bench-spread",
            "bench-acquisitions",
            "bench-exact",
        ]
        .map(t),
    )
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
            t(if r.exact { "bench-yes" } else { "bench-no" }),
        ]);
    }
    let mut text = grid.render(layout.width);
    if layout.long {
        text.push_str(&format!("\n\n{}", t("bench-every-repeat")));
        for r in records {
            let runs: Vec<String> = r.ns_per_op_runs.iter().map(|v| format!("{v:.1}")).collect();
            let name = crate::tr!("bench-lock-with-procs", lock = r.lock, procs = r.procs);
            text.push_str(&format!("\n  {name}  {}", runs.join(" ")));
        }
    }
    text.push_str(&format!("\n\n{}", t("bench-reading")));
    layout.wrap(&text)
}

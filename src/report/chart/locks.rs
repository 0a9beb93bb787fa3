//! The lock benchmark as a dot plot on a log scale: one row per lock, one
//! point per process count, and a thin line from the fastest to the slowest
//! repeat behind each point.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    Area, DrawResult, GREY, Header, LegendItem, MARGIN, Mark, PALETTE, Shape, Ticks, WIDTH, X_LABEL_AREA, ZEBRA,
    house_style, label_style, message, no_data, plural, render, y_label_area,
};
use crate::lock::LockKind;
use crate::model::BenchRecord;

const TITLE: &str = "chart-locks-title";

/// Pixels per lock row, and the least height of the plot.
const ROW: u32 = 30;
const MIN_PLOT: u32 = 120;
/// The most decades labelled on the x axis; a wider range labels every
/// second (third, ...) decade.
const MAX_LABELLED_DECADES: usize = 8;
/// Point shapes, one per process count (with the colours, so the series
/// differ without colour too).
const SHAPES: [Shape; 4] = [Shape::Circle, Shape::Triangle, Shape::Square, Shape::Diamond];

/// The nanoseconds the log axis can show: far wider than any measurement
/// (a results file is refused for values outside 1e-9..1e15, see
/// `report::plausible`), and narrow enough that the decades around them
/// stay finite and their labels short. A value outside is not drawn (its
/// row says "no measurement") rather than stretching the axis to 10^-324
/// or to infinity.
const SHOWN_NS: std::ops::RangeInclusive<f64> = 1e-12..=1e18;

/// A value the log axis can show (never NaN or infinite).
fn plottable(ns: f64) -> bool {
    SHOWN_NS.contains(&ns)
}

/// The tick label of 1, 2 or 5 times a power of ten nanoseconds: "0.1",
/// "0.05", "1", "10 000".
fn ns_label(v: f64) -> String {
    if !v.is_finite() || v <= 0.0 {
        return String::new();
    }
    if v < 1.0 {
        // At most 20 decimals: the axis never goes below 1e-13.
        let decimals = ((-v.log10() - 1e-9).ceil().max(0.0) as usize).min(20);
        return format!("{v:.decimals$}");
    }
    let digits = format!("{v:.0}");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 && digits.len() > 4 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// One row: a lock and its records.
struct Row<'a> {
    lock: LockKind,
    records: Vec<&'a BenchRecord>,
}

/// Dot plot of ns per protected increment: one row per lock (by
/// `lock.name()`), cheapest at the top (ordered by the cost at the fewest
/// processes), one point per process count with a legend entry each, on a
/// log scale. Open points are runs whose counter ended wrong (the "lock"
/// did not exclude); a line behind a point spans its repeats.
pub fn lock_cost(records: &[BenchRecord]) -> String {
    if records.is_empty() {
        return no_data(&crate::i18n::t(TITLE));
    }
    let all_ns = records.iter().flat_map(|r| r.ns_per_op_runs.iter().copied().chain([r.ns_per_op]));
    let (low, high) =
        all_ns.filter(|&v| plottable(v)).fold((f64::INFINITY, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if high == 0.0 {
        return message(&crate::i18n::t(TITLE), &crate::i18n::t("chart-locks-no-data"));
    }
    let mut procs: Vec<u32> = records.iter().map(|r| r.procs).collect();
    procs.sort_unstable();
    procs.dedup();
    let rows = rows(records, procs[0]);

    let mut legend: Vec<LegendItem> = procs
        .iter()
        .enumerate()
        .map(|(k, &p)| {
            let mark = Mark::point(SHAPES[k % SHAPES.len()], PALETTE[k % PALETTE.len()]);
            LegendItem::new(mark, plural(u64::from(p), "chart-locks-process", "chart-locks-processes"))
        })
        .collect();
    if records.iter().any(|r| r.ns_per_op_runs.iter().filter(|&&v| plottable(v)).count() > 1) {
        legend.push(LegendItem::new(Mark::HLine(GREY), crate::i18n::t("chart-locks-spread")));
    }
    if records.iter().any(|r| !r.exact) {
        let open = Mark::Point { shape: Shape::Circle, color: GREY.to_rgba(), filled: false };
        legend.push(LegendItem::new(open, crate::i18n::t("chart-locks-open")));
    }
    let header = Header { title: crate::i18n::t(TITLE), subtitle: crate::i18n::t("chart-locks-subtitle"), legend };
    let y_area = y_label_area(rows.iter().map(|r| r.lock.name().to_string()));
    let width = WIDTH.max(header.min_width());
    let plot = (rows.len() as u32 * ROW).max(MIN_PLOT);
    let height = header.height(width) + plot + X_LABEL_AREA + MARGIN + 8;
    render(&header.title, (width, height), |root| draw(root, &header, &rows, &procs, (low, high), y_area))
}

/// Groups the records by lock (first appearance), then orders the locks by
/// their cost at `fewest` processes (locks without it go last, by cost).
fn rows(records: &[BenchRecord], fewest: u32) -> Vec<Row<'_>> {
    let mut rows: Vec<Row> = Vec::new();
    for r in records {
        match rows.iter_mut().find(|row| row.lock == r.lock) {
            Some(row) => row.records.push(r),
            None => rows.push(Row { lock: r.lock, records: vec![r] }),
        }
    }
    let key = |row: &Row| {
        let at_fewest = row.records.iter().find(|r| r.procs == fewest && plottable(r.ns_per_op));
        let cheapest = row.records.iter().map(|r| r.ns_per_op).filter(|&v| plottable(v)).fold(f64::INFINITY, f64::min);
        (at_fewest.is_none(), at_fewest.map_or(cheapest, |r| r.ns_per_op))
    };
    rows.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    });
    rows
}

fn draw(root: &Area, header: &Header, rows: &[Row], procs: &[u32], (low, high): (f64, f64), y_area: u32) -> DrawResult {
    let body = header.draw(root)?;
    let n = rows.len();
    // Whole decades, at least two, with the data never on the edge; 2 and 5
    // times each decade are grid lines, and labelled too when few decades.
    let first = (low.log10() - 0.3).floor() as i32;
    let last = (high.log10() + 0.3).ceil() as i32;
    let decades: Vec<f64> = (first..=last).map(|e| 10f64.powi(e)).collect();
    let between: Vec<f64> = decades[..decades.len() - 1].iter().flat_map(|&d| [2.0 * d, 5.0 * d]).collect();
    let (major, minor) = if decades.len() <= 3 {
        let mut all: Vec<f64> = decades.iter().copied().chain(between).collect();
        all.sort_by(f64::total_cmp);
        (all, Vec::new())
    } else {
        // At most about eight labels, so they never run into each other;
        // the decades between get light lines.
        let every = decades.len().div_ceil(MAX_LABELLED_DECADES);
        let major: Vec<f64> = decades.iter().copied().step_by(every).collect();
        let mut minor: Vec<f64> =
            between.into_iter().chain(decades.iter().copied().filter(|d| !major.contains(d))).collect();
        minor.sort_by(f64::total_cmp);
        (major, minor)
    };
    let x = Ticks::log(decades[0]..decades[decades.len() - 1], major, minor);
    let row_y = |i: usize| (n - 1 - i) as f64;
    let y = Ticks::linear(-0.5..n as f64 - 0.5, (0..n).map(|i| i as f64).collect());
    let mut chart = ChartBuilder::on(&body)
        .margin_left(MARGIN)
        .margin_right(MARGIN + 16)
        .margin_bottom(MARGIN)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x, y)?;
    let (x0, x1) = (decades[0], decades[decades.len() - 1]);
    chart.draw_series((0..n).filter(|i| i % 2 == 1).map(|i| {
        let y = row_y(i);
        Rectangle::new([(x0, y - 0.5), (x1, y + 0.5)], ZEBRA.filled())
    }))?;
    house_style(
        chart.configure_mesh().disable_y_mesh().x_label_formatter(&|v| ns_label(*v)).y_label_formatter(&|v| {
            let row = n.checked_sub(1 + v.round() as usize);
            row.and_then(|i| rows.get(i)).map(|r| r.lock.name().to_string()).unwrap_or_default()
        }),
        &crate::i18n::t("chart-locks-x"),
        &crate::i18n::t("chart-locks-y"),
    )
    .draw()?;

    // Series k sits a little above or below the row's centre line, so
    // equal costs do not hide each other.
    let m = procs.len();
    let step = if m > 1 { (0.56 / (m - 1) as f64).min(0.3) } else { 0.0 };
    let offset = |k: usize| (m - 1) as f64 * step / 2.0 - k as f64 * step;
    for (i, row) in rows.iter().enumerate() {
        for r in &row.records {
            let Some(k) = procs.iter().position(|&p| p == r.procs) else { continue };
            let color = PALETTE[k % PALETTE.len()];
            let y = row_y(i) + offset(k);
            let runs: Vec<f64> = r.ns_per_op_runs.iter().copied().filter(|&v| plottable(v)).collect();
            if runs.len() > 1 {
                let lo = runs.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = runs.iter().copied().fold(0.0, f64::max);
                chart.draw_series([PathElement::new(vec![(lo, y), (hi, y)], color.mix(0.7).stroke_width(2))])?;
            }
            if plottable(r.ns_per_op) {
                let mark = Mark::Point { shape: SHAPES[k % SHAPES.len()], color: color.to_rgba(), filled: r.exact };
                mark.draw(root, chart.backend_coord(&(r.ns_per_op, y)), 5)?;
            }
        }
    }
    let style = label_style().color(&GREY).pos(Pos::new(HPos::Left, VPos::Center));
    chart.draw_series(
        rows.iter()
            .enumerate()
            .filter(|(_, row)| !row.records.iter().any(|r| plottable(r.ns_per_op)))
            .map(|(i, _)| Text::new(crate::i18n::t("chart-locks-no-measurement"), (x0, row_y(i)), style.clone())),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::chart::tests::{assert_sane_ticks, assert_svg};

    fn record(lock: LockKind, procs: u32, ns: f64) -> BenchRecord {
        BenchRecord {
            lock,
            procs,
            ops: 100_000,
            repeats: 3,
            ns_per_op: ns,
            ns_per_op_runs: vec![ns * 0.9, ns, ns * 1.2],
            acquisitions_min: 0,
            acquisitions_max: 0,
            exact: lock.protects(),
        }
    }

    #[test]
    fn empty_says_no_data() {
        assert_svg(&lock_cost(&[]), &["no data"]);
        let zero = record(LockKind::Mutex, 1, 0.0);
        assert_svg(&lock_cost(&[BenchRecord { ns_per_op_runs: vec![], ..zero }]), &["no data"]);
    }

    #[test]
    fn locks_and_process_counts_are_labelled() {
        let records = [
            record(LockKind::MutexNonrobust, 1, 21.0),
            record(LockKind::MutexNonrobust, 2, 60.0),
            record(LockKind::None, 1, 0.6),
            record(LockKind::None, 2, 0.9),
            record(LockKind::SysvSem, 1, 900.0),
            record(LockKind::SysvSem, 2, 21_000.0),
        ];
        let svg = lock_cost(&records);
        assert_svg(
            &svg,
            &[
                "mutex-nonrobust",
                "sysv-sem",
                "none",
                "1 process",
                "2 processes",
                "ns per protected increment (log scale)",
                "10 000",
                "0.1",
                "counter ended wrong",
            ],
        );
    }

    #[test]
    fn cheapest_lock_comes_first() {
        let records =
            [record(LockKind::SysvSem, 1, 900.0), record(LockKind::Atomic, 2, 3.0), record(LockKind::Atomic, 1, 1.0)];
        let order: Vec<LockKind> = rows(&records, 1).iter().map(|r| r.lock).collect();
        assert_eq!(order, [LockKind::Atomic, LockKind::SysvSem]);
    }

    #[test]
    fn absurd_values_neither_panic_nor_print_inf() {
        let absurd = [5e-324, 1e308, f64::MAX, f64::NAN, f64::INFINITY, -1.0, 0.0];
        let plausible = [1e-9, 1e15];
        for &ns in absurd.iter().chain(&plausible) {
            let records = [record(LockKind::Atomic, 1, ns), record(LockKind::Flock, 2, 500.0)];
            let svg = lock_cost(&records);
            assert_svg(&svg, &["flock"]);
            assert_sane_ticks(&svg);
        }
        let alone = lock_cost(&[record(LockKind::Atomic, 1, 5e-324)]);
        assert_svg(&alone, &["no data"]);
        assert_svg(
            &lock_cost(&[record(LockKind::Atomic, 1, 1e-9), record(LockKind::Flock, 1, 1e15)]),
            &["0.0000000001"],
        );
    }

    #[test]
    fn tick_labels_read_as_numbers() {
        assert_eq!(ns_label(0.1), "0.1");
        assert_eq!(ns_label(0.05), "0.05");
        assert_eq!(ns_label(0.2), "0.2");
        assert_eq!(ns_label(10f64.powi(-2)), "0.01");
        assert_eq!(ns_label(10f64.powi(-3)), "0.001");
        assert_eq!(ns_label(1.0), "1");
        assert_eq!(ns_label(1000.0), "1000");
        assert_eq!(ns_label(100_000.0), "100 000");
    }
}

//! The racing lab as a strip plot: one row per (backend, lock) record, one
//! dot per trial at its final counter value, and the expected value (no
//! update lost) marked on every row.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    Area, BLUE, DrawResult, GREY, Header, INK, LABEL_SIZE, LegendItem, MARGIN, Mark, Shape, VERMILLION, WIDTH,
    X_LABEL_AREA, font, label_style, no_data, plural, render, row_chart, text_width, y_label_area,
};
use crate::model::RacingRecord;
use crate::report::sweep::Setting;

const TITLE: &str = "chart-racing-title";

/// Pixels per record row, and the least height of the plot.
const ROW: u32 = 22;
const MIN_PLOT: u32 = 140;
/// Room above the plot for the label of a common expected value (with
/// differing values each row's marker carries its own).
const EXPECTED_LABEL: u32 = 22;

/// The y labels of the records: "backend / lock", after the settings
/// that differ between rows (a sweep's delay, timer slack or children).
fn row_labels(records: &[RacingRecord]) -> Vec<String> {
    let shown = Setting::varying(records);
    records
        .iter()
        .map(|r| {
            let mut parts: Vec<String> = shown.iter().map(|s| s.label(r)).collect();
            parts.push(format!("{} / {}", r.backend, r.lock));
            parts.join(", ")
        })
        .collect()
}

/// A deterministic vertical offset for trial `i`, within ±`spread`/2 of a
/// row: the golden-ratio sequence spreads any number of trials evenly, so
/// equal values (every exact trial) stay visible as a cloud, not one dot.
fn jitter(i: usize, spread: f64) -> f64 {
    ((i as f64 * 0.618_033_988_75).fract() - 0.5) * spread
}

/// Strip plot of the final counter values: one row per record (labelled
/// "backend / lock", in the records' order, first at the top), one dot per
/// trial, and the expected value `children × iterations` marked and
/// labelled. The picture grows taller with the number of records.
pub fn racing_finals(records: &[RacingRecord]) -> String {
    if records.is_empty() {
        return no_data(&crate::i18n::t(TITLE));
    }
    let n = records.len();
    let labels = row_labels(records);
    let same_expected = records.iter().all(|r| r.expected == records[0].expected);
    let trials: usize = records.iter().map(|r| r.finals.len()).sum();
    let header = Header {
        title: crate::i18n::t(TITLE),
        subtitle: subtitle(records, trials),
        legend: vec![
            LegendItem::new(Mark::point(Shape::Circle, VERMILLION.mix(0.65)), crate::i18n::t("chart-racing-lost")),
            LegendItem::new(Mark::point(Shape::Circle, BLUE.mix(0.65)), crate::i18n::t("chart-racing-exact")),
            LegendItem::new(
                Mark::VLine(INK),
                if same_expected {
                    crate::tr!("chart-racing-expected-one", n = records[0].expected)
                } else {
                    crate::i18n::t("chart-racing-expected-each")
                },
            ),
        ],
    };
    let y_area = y_label_area(labels.iter().cloned());
    let width = WIDTH.max(header.min_width());
    let plot = (n as u32 * ROW).max(MIN_PLOT);
    let above = if same_expected { EXPECTED_LABEL } else { 0 };
    let height = header.height(width) + above + plot + X_LABEL_AREA + MARGIN + 8;
    render(&header.title, (width, height), |root| draw(root, &header, records, &labels, y_area, same_expected))
}

fn subtitle(records: &[RacingRecord], trials: usize) -> String {
    let first = &records[0];
    let same_setup = records.iter().all(|r| (r.children, r.iterations) == (first.children, first.iterations));
    let setup = if same_setup {
        crate::tr!(
            "chart-racing-setup",
            children = plural(u64::from(first.children), "chart-racing-child", "chart-racing-children"),
            increments = plural(u64::from(first.iterations), "chart-racing-increment", "chart-racing-increments")
        )
    } else {
        String::new()
    };
    let each = records.first().map_or(0, |r| r.finals.len());
    let trials = if records.iter().all(|r| r.finals.len() == each) && records.len() > 1 {
        crate::tr!(
            "chart-racing-per-pair",
            trials = plural(each as u64, "chart-racing-trial", "chart-racing-trials"),
            pairs = records.len()
        )
    } else {
        plural(trials as u64, "chart-racing-trial", "chart-racing-trials")
    };
    crate::tr!("chart-racing-subtitle", setup = setup, trials = trials)
}

fn draw(
    root: &Area,
    header: &Header,
    records: &[RacingRecord],
    labels: &[String],
    y_area: u32,
    same_expected: bool,
) -> DrawResult {
    let body = header.draw(root)?;
    let n = records.len();
    let top = records.iter().flat_map(|r| r.finals.iter().copied().chain([r.expected])).max().unwrap_or(0).max(1);
    // Room right of the markers for their values when they differ per row.
    let x_max = top as f64 * if same_expected { 1.06 } else { 1.18 };
    // Row i (records[i]) sits at y = n-1-i, so the first record is on top.
    let row_y = |i: usize| (n - 1 - i) as f64;
    let top_margin = if same_expected { EXPECTED_LABEL } else { 0 };
    let (x_desc, y_desc) = (crate::i18n::t("chart-racing-x"), crate::i18n::t("chart-racing-y"));
    let axes = (x_desc.as_str(), y_desc.as_str());
    // Zebra rows under the grid, and a firmer line where the backend changes.
    let mut chart = row_chart(&body, labels, (x_max, y_area, top_margin), axes)?;
    chart.draw_series((1..n).filter(|&i| records[i].backend != records[i - 1].backend).map(|i| {
        let y = row_y(i) + 0.5;
        PathElement::new(vec![(0.0, y), (x_max, y)], RGBAColor(0, 0, 0, 0.35).stroke_width(1))
    }))?;

    // The expected value: a short vertical line across each row.
    chart.draw_series(records.iter().enumerate().map(|(i, r)| {
        let (x, y) = (r.expected as f64, row_y(i));
        PathElement::new(vec![(x, y - 0.45), (x, y + 0.45)], INK.stroke_width(2))
    }))?;
    if same_expected {
        // One value: say it once, above the line the markers make.
        let text = crate::tr!("chart-racing-expected", n = records[0].expected);
        let (x, top) = chart.backend_coord(&(records[0].expected as f64, n as f64 - 0.5));
        let (width, _) = root.dim_in_pixel();
        let half = text_width(&text, LABEL_SIZE) as i32 / 2;
        let x = x.min(width as i32 - MARGIN as i32 - half);
        let style =
            (font(), LABEL_SIZE, FontStyle::Bold).into_font().color(&INK).pos(Pos::new(HPos::Center, VPos::Bottom));
        root.draw(&Text::new(text, (x, top - 4), style))?;
    } else {
        let style = (font(), LABEL_SIZE).into_font().color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
        chart.draw_series(records.iter().enumerate().map(|(i, r)| {
            EmptyElement::at((r.expected as f64, row_y(i))) + Text::new(r.expected.to_string(), (6, 0), style.clone())
        }))?;
    }

    // One dot per trial, spread over 60% of a row but at most ROW * 0.6
    // pixels, so a lone tall row does not scatter its dots.
    let radius = if n > 30 { 3 } else { 4 };
    let row_pixels = f64::from(chart.plotting_area().dim_in_pixel().1) / n as f64;
    let spread = 0.6 * (f64::from(ROW) / row_pixels).min(1.0);
    chart.draw_series(records.iter().enumerate().flat_map(|(i, r)| {
        r.finals.iter().enumerate().map(move |(t, &v)| {
            let color = if v == r.expected { BLUE } else { VERMILLION };
            Circle::new((v as f64, row_y(i) + jitter(t, spread)), radius, color.mix(0.65).filled())
        })
    }))?;

    // Records with no trials at all say so instead of showing an empty row.
    let style = label_style().color(&GREY).pos(Pos::new(HPos::Left, VPos::Center));
    chart.draw_series(records.iter().enumerate().filter(|(_, r)| r.finals.is_empty()).map(|(i, _)| {
        EmptyElement::at((0.0, row_y(i))) + Text::new(crate::i18n::t("chart-racing-no-trials"), (8, 0), style.clone())
    }))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lock::LockKind;
    use crate::region::Backend;
    use crate::report::chart::tests::{assert_sane_ticks, assert_svg, texts};

    fn record(backend: Backend, lock: LockKind, finals: &[u64]) -> RacingRecord {
        let mut r = RacingRecord::new(backend, lock, 100, 1, 1);
        for &f in finals {
            r.push_trial(f, 10.0, 0);
        }
        r
    }

    #[test]
    fn empty_says_no_data() {
        assert_svg(&racing_finals(&[]), &["no data"]);
    }

    #[test]
    fn rows_are_labelled_and_expected_is_marked() {
        let records = [
            record(Backend::Mmap, LockKind::None, &[18, 25, 31]),
            record(Backend::XsiPrivate, LockKind::MutexNonrobust, &[100, 100, 100]),
        ];
        let svg = racing_finals(&records);
        assert_svg(
            &svg,
            &["mmap / none", "xsi-private / mutex-nonrobust", "expected 100", "final counter value", "backend / lock"],
        );
        assert_eq!(svg.matches("<circle").count(), 6 + 2, "one dot per trial, plus two legend dots");
    }

    #[test]
    fn grows_with_the_records() {
        let one = racing_finals(&[record(Backend::Mmap, LockKind::None, &[20])]);
        let backends =
            [Backend::Mmap, Backend::MmapFile, Backend::Xsi, Backend::XsiPrivate, Backend::Posix, Backend::Memfd];
        let many: Vec<_> = backends.iter().flat_map(|&b| LockKind::ALL.map(|l| record(b, l, &[20, 100]))).collect();
        let big = racing_finals(&many);
        let height = |svg: &str| -> u32 {
            let rest = &svg[svg.find("height=\"").unwrap() + 8..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        };
        assert!(height(&big) > height(&one) + 60 * ROW - ROW);
        assert_svg(&big, &["memfd / flock-inherited"]);
    }

    #[test]
    fn differing_expectations_are_labelled_per_row() {
        let mut other = RacingRecord::new(Backend::Posix, LockKind::Flock, 37, 3, 1);
        other.push_trial(111, 1.0, 0);
        let svg = racing_finals(&[record(Backend::Mmap, LockKind::None, &[40]), other]);
        assert_svg(&svg, &["expected (children × iterations"]);
        assert!(texts(&svg).iter().any(|t| t == "111"), "the second row's marker says 111");
    }

    #[test]
    fn extreme_counts_still_make_valid_svg() {
        let mut r = RacingRecord::new(Backend::Mmap, LockKind::None, u32::MAX, u32::MAX, u64::MAX);
        r.expected = u64::MAX;
        r.push_trial(u64::MAX, 1e15, u32::MAX);
        r.push_trial(0, 0.0, 0);
        let svg = racing_finals(&[r, record(Backend::Posix, LockKind::Flock, &[100])]);
        assert_svg(&svg, &["mmap / none"]);
        assert_sane_ticks(&svg);
    }

    #[test]
    fn jitter_stays_inside_the_row() {
        assert!((0..1000).map(|i| jitter(i, 0.6)).all(|j| j.abs() <= 0.3));
    }
}

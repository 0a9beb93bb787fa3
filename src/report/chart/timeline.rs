//! One traced racing trial as a timeline: a row per child, a bar from its
//! read to its write with the value it read on it, blue when its update
//! survived and vermillion when a later write erased it, and on each erased
//! bar a mark where the eraser wrote.
//!
//! This is the picture a textbook draws by hand for two threads, drawn
//! from what really happened to a hundred processes.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    BLUE, DrawResult, Header, INK, LABEL_SIZE, LegendItem, MARGIN, Mark, VERMILLION, WIDTH, X_LABEL_AREA, font,
    no_data, render, row_chart, y_label_area,
};
use crate::model::{RacingRecord, TraceEntry, eraser_of};

const TITLE: &str = "chart-timeline-title";
/// Rows drawn at most; a longer trial shows its first children.
pub const MAX_ROWS: usize = 40;
const ROW: u32 = 18;

/// The timeline of the first traced trial of the first traced record;
/// `None` when no record carries a trace.
pub fn race_timeline(records: &[RacingRecord]) -> Option<String> {
    let (record, trace) = records.iter().find_map(|r| r.trace.as_ref().and_then(|t| t.first()).map(|t| (r, t)))?;
    if trace.entries.is_empty() {
        return Some(no_data(&crate::i18n::t(TITLE)));
    }
    let mut rows: Vec<&TraceEntry> = trace.entries.iter().collect();
    rows.sort_by_key(|e| (e.child, e.iteration));
    let shown = rows.len().min(MAX_ROWS);
    rows.truncate(shown);
    let lost = trace.entries.iter().filter(|e| e.lost_to.is_some()).count();
    let subtitle = crate::tr!(
        "chart-timeline-subtitle",
        children = if record.children == 1 {
            crate::i18n::t("chart-timeline-one-child")
        } else {
            crate::tr!("chart-timeline-children", n = record.children)
        },
        backend = record.backend,
        lock = record.lock,
        sections = trace.entries.len(),
        lost = lost,
        shown = if shown < trace.entries.len() {
            crate::tr!("chart-timeline-first-shown", n = shown)
        } else {
            crate::i18n::t("chart-timeline-all-shown")
        },
    );
    let header = Header {
        title: crate::i18n::t(TITLE),
        subtitle,
        legend: vec![
            LegendItem::new(Mark::Bar(BLUE), crate::i18n::t("chart-timeline-survived")),
            LegendItem::new(Mark::Bar(VERMILLION), crate::i18n::t("chart-timeline-erased")),
            LegendItem::new(Mark::VLine(INK), crate::i18n::t("chart-timeline-eraser")),
        ],
    };
    let labels: Vec<String> = rows.iter().map(|e| row_label(e, record.iterations)).collect();
    let y_area = y_label_area(labels.iter().cloned());
    let width = WIDTH.max(header.min_width());
    let height = header.height(width) + shown as u32 * ROW + X_LABEL_AREA + MARGIN + 16;
    Some(render(&header.title, (width, height), |root| draw(root, &header, &rows, &trace.entries, &labels, y_area)))
}

fn row_label(e: &TraceEntry, iterations: u32) -> String {
    if iterations > 1 {
        crate::tr!("chart-timeline-row-iteration", child = e.child, iteration = e.iteration + 1)
    } else {
        crate::tr!("chart-timeline-row", child = e.child)
    }
}

fn ms(ns: u64) -> f64 {
    ns as f64 / 1e6
}

fn draw(
    root: &plotters::drawing::DrawingArea<SVGBackend, plotters::coord::Shift>,
    header: &Header,
    rows: &[&TraceEntry],
    all: &[TraceEntry],
    labels: &[String],
    y_area: u32,
) -> DrawResult {
    let body = header.draw(root)?;
    let n = rows.len();
    // Far enough right for every bar and every eraser's mark.
    let erasers = rows.iter().filter_map(|e| eraser_of(all, e)).map(|w| w.write_ns);
    let end = rows.iter().map(|e| e.write_ns).chain(erasers).max().unwrap_or(1).max(1);
    let x_max = ms(end) * 1.04;
    let row_y = |i: usize| (n - 1 - i) as f64;
    let (x_desc, y_desc) = (crate::i18n::t("chart-timeline-x"), crate::i18n::t("chart-timeline-y"));
    let axes = (x_desc.as_str(), y_desc.as_str());
    let mut chart = row_chart(&body, labels, (x_max, y_area, 0), axes)?;

    chart.draw_series(rows.iter().enumerate().map(|(i, e)| {
        let color = if e.lost_to.is_some() { VERMILLION } else { BLUE };
        let y = row_y(i);
        // A bar at least a pixel-ish wide, so a zero-length section shows.
        let right = ms(e.write_ns).max(ms(e.read_ns) + x_max / 800.0);
        Rectangle::new([(ms(e.read_ns), y - 0.32), (right, y + 0.32)], color.mix(0.75).filled())
    }))?;
    // The value each child read, just left of its bar. A bar that starts
    // too close to the axis has it on the right instead, after the
    // eraser's name if there is one.
    let near_axis = |e: &TraceEntry| ms(e.read_ns) < x_max * 0.06;
    let left = (font(), LABEL_SIZE * 0.8).into_font().color(&INK).pos(Pos::new(HPos::Right, VPos::Center));
    let right = (font(), LABEL_SIZE * 0.8).into_font().color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
    chart.draw_series(rows.iter().enumerate().filter(|(_, e)| !(near_axis(e) && eraser_of(all, e).is_some())).map(
        |(i, e)| {
            let text = crate::tr!("chart-timeline-read", value = e.read);
            if near_axis(e) {
                EmptyElement::at((ms(e.write_ns), row_y(i))) + Text::new(text, (4, 0), right.clone())
            } else {
                EmptyElement::at((ms(e.read_ns), row_y(i))) + Text::new(text, (-4, 0), left.clone())
            }
        },
    ))?;
    // On an erased bar, where its eraser wrote, and who that was.
    let mark_style = (font(), LABEL_SIZE * 0.8).into_font().color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, e) in rows.iter().enumerate() {
        let Some(eraser) = eraser_of(all, e) else { continue };
        let (x, y, child) = (ms(eraser.write_ns), row_y(i), eraser.child);
        chart.draw_series([PathElement::new(vec![(x, y - 0.45), (x, y + 0.45)], INK.stroke_width(2))])?;
        let text = if near_axis(e) {
            crate::tr!("chart-timeline-eraser-read", child = child, value = e.read)
        } else {
            crate::tr!("chart-timeline-row", child = child)
        };
        chart.draw_series([EmptyElement::at((x, y)) + Text::new(text, (4, 0), mark_style.clone())])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lock::LockKind;
    use crate::model::test_entry as entry;
    use crate::model::{TrialTrace, account};
    use crate::region::Backend;
    use crate::report::chart::tests::{assert_sane_ticks, assert_svg};

    #[test]
    fn no_trace_no_chart() {
        assert!(race_timeline(&[RacingRecord::new(Backend::Mmap, LockKind::None, 2, 1, 1)]).is_none());
    }

    #[test]
    fn bars_are_coloured_by_fate_and_erasers_are_named() {
        let mut entries = vec![entry(0, 10_000, 0, 300_000), entry(1, 20_000, 0, 400_000)];
        account(&mut entries, 1);
        let mut r = RacingRecord::new(Backend::Mmap, LockKind::None, 2, 1, 1);
        r.push_trial(1, 1.0, 0);
        r.trace = Some(vec![TrialTrace { entries }]);
        let svg = race_timeline(&[r]).unwrap();
        assert_svg(&svg, &["child 0", "child 1", "read 0", "update erased", "ms since the first fork"]);
        assert_sane_ticks(&svg);
    }

    #[test]
    fn a_long_trial_shows_its_first_rows() {
        let mut entries: Vec<TraceEntry> = (0..500).map(|c| entry(c, u64::from(c) * 1000, 0, 1_000_000)).collect();
        account(&mut entries, 1);
        let mut r = RacingRecord::new(Backend::Xsi, LockKind::None, 500, 1, 1);
        r.push_trial(1, 1.0, 0);
        r.trace = Some(vec![TrialTrace { entries }]);
        let svg = race_timeline(&[r]).unwrap();
        assert_svg(&svg, &[&format!("the first {MAX_ROWS} shown")]);
        assert!(!svg.contains(">child 45<"));
    }
}

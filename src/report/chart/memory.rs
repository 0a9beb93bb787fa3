//! The memory lab as grouped bars: for each record (backend and page size)
//! and each phase after "before", how far Shmem, Cached, HugePages_Free and
//! HugePages_Rsvd moved, all in MiB so they share one axis.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::house_style;
use super::{
    Area, BLUE, DrawResult, GREY, Header, INK, LABEL_SIZE, LegendItem, MARGIN, Mark, ORANGE, SKY, Ticks, VERMILLION,
    WIDTH, X_LABEL_AREA, ZEBRA, font, label_style, no_data, number_label, render, text_width, y_label_area,
};
use crate::kernel::hugepages::Huge;
use crate::kernel::meminfo::KernelCounters;
use crate::model::{MemoryPhase, MemoryRecord, Phase};

const TITLE: &str = "chart-memory-title";

/// One bar of a group: legend label (a /proc/meminfo field, or a catalog id), colour, and its value in MiB given
/// the counters' deltas and the huge page size in MiB.
type Series = (&'static str, RGBColor, fn(&KernelCounters, f64) -> f64);

/// The four bars of a group.
const SERIES: [Series; 4] = [
    ("Shmem", BLUE, |c, _| kib_to_mib(c.shmem)),
    ("Cached", SKY, |c, _| kib_to_mib(c.cached)),
    ("chart-memory-huge-pages-series", VERMILLION, |c, page| c.hugepages_free as f64 * page),
    ("chart-memory-huge-rsvd-series", ORANGE, |c, page| c.hugepages_rsvd as f64 * page),
];

/// How many of the series are drawn: the HugePages ones only when some
/// record used huge pages (for the others they are nothing, not zero).
fn series_count(records: &[MemoryRecord]) -> usize {
    if records.iter().any(|r| huge_page_mib(r.huge) > 0.0) { SERIES.len() } else { 2 }
}

/// Height of the plot itself, in pixels.
const PLOT: u32 = 420;
/// Room above the plot for the record names (two lines).
const BLOCK_TITLES: u32 = 48;
/// Least width of one phase group (four bars), in pixels.
const GROUP: u32 = 70;
/// Gap between two records' blocks, in groups.
const BLOCK_GAP: f64 = 0.7;
/// Room kept beyond the longest bars for their values, in pixels.
const VALUE_ROOM: f64 = 52.0;

fn kib_to_mib(kib: i64) -> f64 {
    kib as f64 / 1024.0
}

/// The huge page size of a record in MiB: 2 for "2M", 1024 for "1G", and
/// 0 for "none" (ordinary pages do not come from the hugetlb pool).
fn huge_page_mib(huge: Huge) -> f64 {
    huge.0.map_or(0.0, |size| size.bytes() as f64 / f64::from(1u32 << 20))
}

/// Second line of a block title: the page size and the segment size.
fn pages_label(r: &MemoryRecord) -> String {
    let pages = if huge_page_mib(r.huge) > 0.0 {
        crate::tr!("chart-memory-huge-pages", size = r.huge.name())
    } else {
        crate::i18n::t("chart-memory-normal-pages")
    };
    format!("{pages}{}{}", crate::i18n::t("chart-list-comma"), crate::size::human(r.size_bytes))
}

/// One phase group on the x axis.
struct Group<'a> {
    x: f64,
    phase: &'a MemoryPhase,
}

/// One record's block of groups.
struct Block<'a> {
    record: &'a MemoryRecord,
    /// x of the first group.
    start: f64,
    groups: Vec<Group<'a>>,
}

impl Block<'_> {
    /// Left and right edge of the block (one slot even with no phase to show).
    fn bounds(&self) -> (f64, f64) {
        (self.start - 0.5, self.start + self.groups.len().max(1) as f64 - 0.5)
    }
}

/// Lays the records out along x: one unit per phase group, a gap between records.
fn layout(records: &[MemoryRecord]) -> Vec<Block<'_>> {
    let mut x = 0.0;
    let mut blocks = Vec::new();
    for record in records {
        let start = x;
        let groups: Vec<Group> = record
            .phases
            .iter()
            .filter(|p| p.name != Phase::Before)
            .enumerate()
            .map(|(j, phase)| Group { x: start + j as f64, phase })
            .collect();
        x += groups.len().max(1) as f64 + BLOCK_GAP;
        blocks.push(Block { record, start, groups });
    }
    blocks
}

/// Grouped bars of the memory lab: per record (backend and page size), per
/// phase after "before" (created, touched, released), the change since
/// "before" of Shmem and Cached (KiB ÷ 1024) and of HugePages_Free and
/// HugePages_Rsvd (pages × the huge page size: 2 MiB for "2M", 1 GiB for
/// "1G", nothing for "none"), in MiB. Negative changes go below zero. The
/// picture grows wider with the number of groups.
pub fn memory_deltas(records: &[MemoryRecord]) -> String {
    if records.is_empty() {
        return no_data(&crate::i18n::t(TITLE));
    }
    let header = Header {
        title: crate::i18n::t(TITLE),
        subtitle: crate::i18n::t("chart-memory-subtitle"),
        legend: SERIES
            .iter()
            .take(series_count(records))
            .map(|&(label, color, _)| {
                let label = if label.starts_with("chart-") { crate::i18n::t(label) } else { label.to_string() };
                LegendItem::new(Mark::Bar(color), label)
            })
            .collect(),
    };
    let blocks = layout(records);
    // x runs from half a gap before the first block to half a gap after the last.
    let units = blocks.last().map_or(1.0, |b| b.bounds().1) + BLOCK_GAP / 2.0;
    let values = blocks.iter().flat_map(|b| {
        let page = huge_page_mib(b.record.huge);
        b.groups.iter().flat_map(move |g| SERIES.iter().map(move |s| (s.2)(&g.phase.counters, page)))
    });
    let (low, high) = values.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let y_range = value_range(low, high);
    let span = y_range.1 - y_range.0;
    let y_area = y_label_area([number_label(y_range.0, span), number_label(y_range.1, span)]);
    let plot_width = (units * f64::from(GROUP)).ceil() as u32;
    // As wide as the groups need: narrower than the other charts for one
    // record (its bars would be fat), never narrower than the legend.
    let legend_width = header.legend.iter().map(LegendItem::width).sum::<u32>() + 2 * MARGIN;
    let width = (WIDTH * 3 / 4).max(legend_width).max(header.min_width()).max(y_area + plot_width + 2 * MARGIN + 8);
    let height = header.height(width) + BLOCK_TITLES + PLOT + X_LABEL_AREA + MARGIN;
    render(&header.title, (width, height), |root| draw(root, &header, &blocks, units, y_range, y_area))
}

/// The y range: zero always in it, and room past the longest bars for
/// their value labels.
fn value_range(low: f64, high: f64) -> (f64, f64) {
    if low == 0.0 && high == 0.0 {
        return (-1.0, 1.0);
    }
    let share = VALUE_ROOM / f64::from(PLOT);
    let ends = f64::from(u8::from(high > 0.0) + u8::from(low < 0.0));
    let total = (high - low) / (1.0 - ends * share);
    let pad = total * share;
    (if low < 0.0 { low - pad } else { 0.0 }, if high > 0.0 { high + pad } else { 0.0 })
}

/// A bar's value as printed next to it, with its sign.
fn value_label(v: f64) -> String {
    if v.abs() >= 10.0 { format!("{v:+.0}") } else { format!("{v:+.1}") }
}

fn draw(root: &Area, header: &Header, blocks: &[Block], units: f64, y: (f64, f64), y_area: u32) -> DrawResult {
    let body = header.draw(root)?;
    let start = -0.5 - BLOCK_GAP / 2.0;
    let x_range = start..units;
    let centres: Vec<(f64, String)> =
        blocks.iter().flat_map(|b| b.groups.iter().map(|g| (g.x, g.phase.name.to_string()))).collect();
    let mut chart = ChartBuilder::on(&body)
        .margin_left(MARGIN)
        .margin_right(MARGIN + 8)
        .margin_top(BLOCK_TITLES)
        .margin_bottom(MARGIN)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(y_area)
        .build_cartesian_2d(Ticks::linear(x_range, centres.iter().map(|c| c.0).collect()), y.0..y.1)?;

    // Every other record's block shaded, so the groups read as blocks.
    chart.draw_series(blocks.iter().enumerate().filter(|(i, _)| i % 2 == 1).map(|(_, b)| {
        let (left, right) = b.bounds();
        Rectangle::new([(left - BLOCK_GAP / 2.0, y.0), (right + BLOCK_GAP / 2.0, y.1)], ZEBRA.filled())
    }))?;
    let span = y.1 - y.0;
    let x_label = |v: &f64| centres.iter().find(|c| (c.0 - v).abs() < 1e-6).map(|c| c.1.clone()).unwrap_or_default();
    let y_label = |v: &f64| number_label(*v, span);
    let mut mesh = chart.configure_mesh();
    mesh.disable_x_mesh().y_labels(10).y_max_light_lines(1).x_label_formatter(&x_label).y_label_formatter(&y_label);
    house_style(&mut mesh, &crate::i18n::t("chart-memory-x"), &crate::i18n::t("chart-memory-y")).draw()?;

    // The bars, each with its value past its end when it is not tiny.
    let value_style = (font(), LABEL_SIZE - 2.0).into_font().color(&INK).transform(FontTransform::Rotate270);
    let up = value_style.pos(Pos::new(HPos::Left, VPos::Center));
    let down = value_style.pos(Pos::new(HPos::Right, VPos::Center));
    let series = SERIES.len().min(header.legend.len());
    let width = 0.8 / series as f64;
    for b in blocks {
        let page = huge_page_mib(b.record.huge);
        for g in &b.groups {
            for (k, &(_, color, value)) in SERIES.iter().take(series).enumerate() {
                let v = value(&g.phase.counters, page);
                let left = g.x - 0.4 + k as f64 * width;
                let (l, r) = (left + width * 0.08, left + width * 0.92);
                chart.draw_series([Rectangle::new([(l, 0.0), (r, v)], color.filled())])?;
                if v.abs() < 0.5 {
                    // A phase where nothing moved reads 0, not blank.
                    let at = EmptyElement::at(((l + r) / 2.0, 0.0));
                    chart.draw_series([at + Text::new("0".to_string(), (0, -4), up.clone())])?;
                } else if v.abs() >= span * 0.01 {
                    let at = EmptyElement::at(((l + r) / 2.0, v));
                    let text = if v > 0.0 {
                        at + Text::new(value_label(v), (0, -4), up.clone())
                    } else {
                        at + Text::new(value_label(v), (0, 4), down.clone())
                    };
                    chart.draw_series([text])?;
                }
            }
        }
    }
    let (x0, x1) = (start, units);
    chart.draw_series([PathElement::new(vec![(x0, 0.0), (x1, 0.0)], INK.stroke_width(1))])?;

    // Block titles above the plot: backend, then page and segment size.
    let bold =
        (font(), LABEL_SIZE + 1.0, FontStyle::Bold).into_font().color(&INK).pos(Pos::new(HPos::Center, VPos::Top));
    let plain = label_style().color(&GREY).pos(Pos::new(HPos::Center, VPos::Top));
    for b in blocks {
        let (left, right) = b.bounds();
        let (px, top) = chart.backend_coord(&((left + right) / 2.0, y.1));
        let name = b.record.backend.to_string();
        root.draw(&Text::new(name, (px, top - BLOCK_TITLES as i32 + 4), bold.clone()))?;
        let pages = pages_label(b.record);
        let (room_left, _) = chart.backend_coord(&(left, y.1));
        let (room_right, _) = chart.backend_coord(&(right, y.1));
        // A narrow block (one phase) gets the short form.
        let pages = if text_width(&pages, LABEL_SIZE) as i32 > room_right - room_left + 8 {
            if huge_page_mib(b.record.huge) > 0.0 {
                b.record.huge.name().to_string()
            } else {
                crate::i18n::t("chart-memory-normal")
            }
        } else {
            pages
        };
        root.draw(&Text::new(pages, (px, top - BLOCK_TITLES as i32 + 24), plain.clone()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::meminfo::FreeColumns;
    use crate::kernel::smaps::ProcessView;
    use crate::region::Backend;
    use crate::report::chart::tests::{assert_sane_ticks, assert_svg};

    fn phase(name: Phase, counters: KernelCounters) -> MemoryPhase {
        MemoryPhase {
            name,
            free: FreeColumns::default(),
            counters,
            process: ProcessView::default(),
            absolute_free: FreeColumns::default(),
            absolute_counters: KernelCounters::default(),
            object_kib: 0,
            per_cpu_lists_kib: None,
        }
    }

    fn record(backend: Backend, huge: &str, created: KernelCounters, touched: KernelCounters) -> MemoryRecord {
        MemoryRecord {
            backend,
            huge: huge.parse().unwrap(),
            size_bytes: 2046 << 20,
            phases: vec![
                phase(Phase::Before, KernelCounters::default()),
                phase(Phase::Created, created),
                phase(Phase::Touched, touched),
                phase(Phase::Released, KernelCounters::default()),
            ],
            create_ms: 0.1,
            touch_ms: 500.0,
            touch_gib_per_s: 4.0,
            minor_faults: 523_776,
            prefaulted: false,
            release_ms: 30.0,
            pool_reservation: None,
        }
    }

    #[test]
    fn empty_says_no_data() {
        assert_svg(&memory_deltas(&[]), &["no data"]);
    }

    #[test]
    fn huge_pages_count_in_mib() {
        assert_eq!(huge_page_mib("2M".parse().unwrap()), 2.0);
        assert_eq!(huge_page_mib("1G".parse().unwrap()), 1024.0);
        assert_eq!(huge_page_mib(Huge(None)), 0.0);
    }

    #[test]
    fn bars_phases_and_legend_are_there() {
        let small = record(
            Backend::Mmap,
            "none",
            KernelCounters::default(),
            KernelCounters { shmem: 2046 * 1024, cached: 2046 * 1024, hugepages_free: 7, ..Default::default() },
        );
        let huge = record(
            Backend::XsiPrivate,
            "2M",
            KernelCounters { hugepages_rsvd: 1023, ..Default::default() },
            KernelCounters { hugepages_free: -1023, ..Default::default() },
        );
        let svg = memory_deltas(&[small, huge]);
        assert_svg(
            &svg,
            &[
                "created",
                "touched",
                "released",
                "mmap",
                "xsi-private",
                "2M huge pages",
                "Shmem",
                "Cached",
                "HugePages_Free × page size",
                "HugePages_Rsvd × page size",
                "change since before (MiB)",
                "+2046",
                "-2046",
            ],
        );
        // 2 records × 3 phases × 4 series, plus 4 legend squares, plus the
        // zebra and background rectangles.
        assert!(svg.matches("<rect").count() >= 24 + 4);
        // Huge page counters of a "none" run are not drawn: 7 pages × 0 MiB.
        assert!(!svg.contains("+7"));
    }

    #[test]
    fn a_record_without_phases_keeps_its_slot() {
        let mut bare = record(Backend::Posix, "none", KernelCounters::default(), KernelCounters::default());
        bare.phases.truncate(1);
        let full = record(Backend::Memfd, "1G", KernelCounters::default(), KernelCounters::default());
        let records = [full.clone(), bare, full];
        let blocks = layout(&records);
        let bounds: Vec<(f64, f64)> = blocks.iter().map(Block::bounds).collect();
        assert!(bounds.windows(2).all(|w| w[0].1 < w[1].0), "blocks do not overlap: {bounds:?}");
        assert_svg(&memory_deltas(&records), &["posix", "1G huge pages"]);
    }

    #[test]
    fn extreme_counters_still_make_valid_svg() {
        // Phase names and page sizes are enums now: a results.json with a
        // hostile phase name is refused when it is read, not drawn.
        let extreme =
            KernelCounters { shmem: i64::MAX, cached: i64::MIN, hugepages_free: i64::MAX, ..Default::default() };
        let mut r = record(Backend::Mmap, "1G", extreme, extreme);
        r.size_bytes = u64::MAX;
        let svg = memory_deltas(&[r]);
        assert_svg(&svg, &["created"]);
        assert_sane_ticks(&svg);
        let hostile = r#"{"name": "<b>created</b>", "free": {}}"#;
        assert!(serde_json::from_str::<MemoryPhase>(hostile).is_err());
    }

    #[test]
    fn negative_bars_go_below_zero() {
        let (low, high) = value_range(-2046.0, 0.0);
        assert!(low < -2046.0 && high == 0.0);
        let (low, high) = value_range(0.0, 0.0);
        assert!(low < 0.0 && high > 0.0);
    }
}

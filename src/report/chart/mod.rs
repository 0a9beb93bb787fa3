//! Charts: the result records as SVG pictures, drawn with `plotters`.
//!
//! A chart is an exporter like JSON and the tables: it turns records into
//! bytes and does no I/O. Each function returns one complete, standalone SVG
//! document as a `String`, and the caller decides whether it goes to a file,
//! to stdout or into a report. Because every exporter reads the same records,
//! a chart never disagrees with the table printed next to it.
//!
//! Only the SVG backend is used, without any font library: text becomes
//! plain `<text>` elements that the viewer renders in its own sans-serif
//! font. Nothing here can measure that font, so the layout reserves room
//! from a generous estimate of each label's width ([`text_width`]), and the
//! charts grow (taller for more rows, wider for more groups) instead of
//! squeezing labels together.

pub mod charge;
mod ipc;
mod locks;
mod memory;
mod racing;
mod timeline;

pub use ipc::ipc;
pub use locks::lock_cost;
pub use memory::memory_deltas;
pub use racing::racing_finals;
pub use timeline::race_timeline;

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The drawing surface every chart draws on.
type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// What drawing returns; any error turns the chart into a message (see [`render`]).
type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// Width of every chart unless it needs more room, in pixels.
const WIDTH: u32 = 960;
/// Space around the whole picture, in pixels.
const MARGIN: u32 = 16;
/// Font family: whatever sans-serif the viewer has; for Chinese, the
/// common CJK fonts first (Linux, macOS, Windows), each of which also has
/// Latin letters, and then the same fallback.
fn font() -> &'static str {
    match crate::i18n::current() {
        crate::i18n::Lang::En => "sans-serif",
        crate::i18n::Lang::Zh => {
            "'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'PingFang SC', 'Microsoft YaHei', sans-serif"
        }
    }
}

// Font sizes as plotters takes them; its SVG backend writes `size / 1.24`
// as the CSS font-size, so 16 here is about 13 px on screen.
const TITLE_SIZE: f64 = 24.0;
const SUBTITLE_SIZE: f64 = 16.0;
const DESC_SIZE: f64 = 18.0;
const LABEL_SIZE: f64 = 16.0;
/// Height of one legend row, in pixels.
const LEGEND_ROW: u32 = 24;

/// Colours safe for colour-blind readers (Okabe and Ito), strongest first.
const BLUE: RGBColor = RGBColor(0, 114, 178);
const VERMILLION: RGBColor = RGBColor(213, 94, 0);
const GREEN: RGBColor = RGBColor(0, 158, 115);
const PURPLE: RGBColor = RGBColor(204, 121, 167);
const ORANGE: RGBColor = RGBColor(230, 159, 0);
const SKY: RGBColor = RGBColor(86, 180, 233);
const INK: RGBColor = RGBColor(34, 34, 34);
const GREY: RGBColor = RGBColor(110, 110, 110);
/// The series colours, in the order series take them.
const PALETTE: [RGBColor; 6] = [BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY];

/// Background of every other row or group, so long charts stay readable.
const ZEBRA: RGBAColor = RGBAColor(0, 0, 0, 0.045);

/// The on-screen pixel size of a plotters font size.
fn px(size: f64) -> f64 {
    size / 1.24
}

/// A generous estimate of how wide `text` is in pixels at plotters font
/// `size` (0.62 em per character: DejaVu Sans, the widest common
/// sans-serif, averages a little under that).
/// A CJK character (1 em) counts as two of them.
fn text_width(text: &str, size: f64) -> u32 {
    (cells(text) as f64 * px(size) * 0.62).ceil() as u32
}

/// The same for bold text (DejaVu Sans Bold: about 0.7 em a character).
fn bold_text_width(text: &str, size: f64) -> u32 {
    (cells(text) as f64 * px(size) * 0.7).ceil() as u32
}

/// Characters of `text`, a wide (CJK) one counting two.
fn cells(text: &str) -> usize {
    text.chars().map(|c| textwrap::core::display_width(c.encode_utf8(&mut [0; 4])).max(1)).sum()
}

/// The text style of tick labels.
fn label_style() -> TextStyle<'static> {
    (font(), LABEL_SIZE).into_font().color(&INK)
}

/// The text style of axis names.
fn desc_style() -> TextStyle<'static> {
    (font(), DESC_SIZE).into_font().color(&INK)
}

/// Grid lines: major and minor.
fn bold_grid() -> ShapeStyle {
    RGBAColor(0, 0, 0, 0.16).stroke_width(1)
}

fn light_grid() -> ShapeStyle {
    RGBAColor(0, 0, 0, 0.06).stroke_width(1)
}

/// Width of a y label area that holds the widest of `labels` (estimated)
/// plus the axis name turned on its side.
/// The house style of every chart's axes and grid, with the axis names.
fn house_style<'m, 'a, 'b, X, Y, XT, YT, DB>(
    mesh: &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>,
    x_desc: &str,
    y_desc: &str,
) -> &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = XT> + plotters::coord::ranged1d::ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + plotters::coord::ranged1d::ValueFormatter<YT>,
    DB: DrawingBackend,
{
    mesh.x_desc(x_desc)
        .y_desc(y_desc)
        .label_style(label_style())
        .axis_desc_style(desc_style())
        .bold_line_style(bold_grid())
        .light_line_style(light_grid())
        .axis_style(INK.stroke_width(1))
}

fn y_label_area(labels: impl IntoIterator<Item = String>) -> u32 {
    let widest = labels.into_iter().map(|l| text_width(&l, LABEL_SIZE)).max().unwrap_or(0);
    widest + px(DESC_SIZE).ceil() as u32 + 24
}

/// Height of an x label area: tick labels, then the axis name.
const X_LABEL_AREA: u32 = 56;

/// An f64 axis, linear or logarithmic, whose ticks are exactly the ones
/// given: rows of a strip plot, groups of bars, or decades of a log scale.
/// (plotters' own `with_key_points` cannot be combined with a label
/// formatter on f64 axes.)
struct Ticks {
    range: Range<f64>,
    log: bool,
    /// Labelled ticks, with bold grid lines.
    major: Vec<f64>,
    /// Light grid lines only.
    minor: Vec<f64>,
}

impl Ticks {
    fn linear(range: Range<f64>, major: Vec<f64>) -> Self {
        Self { range, log: false, major, minor: Vec::new() }
    }

    /// A log axis; `range` must be positive.
    fn log(range: Range<f64>, major: Vec<f64>, minor: Vec<f64>) -> Self {
        Self { range, log: true, major, minor }
    }

    fn scale(&self, v: f64) -> f64 {
        if self.log { v.max(f64::MIN_POSITIVE).ln() } else { v }
    }
}

impl Ranged for Ticks {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, (from, to): (i32, i32)) -> i32 {
        let (start, end) = (self.scale(self.range.start), self.scale(self.range.end));
        if end == start {
            return (from + to) / 2;
        }
        let share = (self.scale(*value) - start) / (end - start);
        from + (f64::from(to - from) * share).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() { self.minor.clone() } else { self.major.clone() }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

/// The shape of a data point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Circle,
    Triangle,
    Diamond,
    Square,
}

/// How a data point or a legend entry is drawn.
#[derive(Debug, Clone, Copy)]
enum Mark {
    /// A point; open (white inside) when not `filled`.
    Point { shape: Shape, color: RGBAColor, filled: bool },
    /// A filled square (a bar).
    Bar(RGBColor),
    /// A short vertical line (a reference value).
    VLine(RGBColor),
    /// A short horizontal line (a range).
    HLine(RGBColor),
}

impl Mark {
    /// A filled point.
    fn point(shape: Shape, color: impl Color) -> Self {
        Mark::Point { shape, color: color.to_rgba(), filled: true }
    }

    /// Draws the mark centred on pixel `c` of `area`, `r` pixels from the
    /// centre to the edge.
    fn draw(self, area: &Area, c: (i32, i32), r: i32) -> DrawResult {
        match self {
            Mark::Point { shape, color, filled } => {
                if filled {
                    draw_shape(area, shape, c, r, color.filled())?;
                } else {
                    draw_shape(area, shape, c, r, WHITE.filled())?;
                    draw_shape(area, shape, c, r, color.stroke_width(2))?;
                }
            }
            Mark::Bar(color) => area.draw(&Rectangle::new([(c.0 - r, c.1 - r), (c.0 + r, c.1 + r)], color.filled()))?,
            Mark::VLine(color) => {
                area.draw(&PathElement::new(vec![(c.0, c.1 - r), (c.0, c.1 + r)], color.stroke_width(3)))?
            }
            Mark::HLine(color) => {
                area.draw(&PathElement::new(vec![(c.0 - r, c.1), (c.0 + r, c.1)], color.stroke_width(2)))?
            }
        }
        Ok(())
    }
}

fn draw_shape(area: &Area, shape: Shape, c: (i32, i32), r: i32, style: ShapeStyle) -> DrawResult {
    let h = r + r / 3;
    let corners = match shape {
        Shape::Circle => return Ok(area.draw(&Circle::new(c, r, style))?),
        Shape::Square => return Ok(area.draw(&Rectangle::new([(c.0 - r, c.1 - r), (c.0 + r, c.1 + r)], style))?),
        Shape::Triangle => vec![(c.0, c.1 - h), (c.0 + h, c.1 + r), (c.0 - h, c.1 + r)],
        Shape::Diamond => vec![(c.0, c.1 - h), (c.0 + h, c.1), (c.0, c.1 + h), (c.0 - h, c.1)],
    };
    if style.filled {
        area.draw(&Polygon::new(corners, style))?;
    } else {
        // A polygon is always filled; an outline is a closed path.
        let mut outline = corners.clone();
        outline.push(corners[0]);
        area.draw(&PathElement::new(outline, style))?;
    }
    Ok(())
}

/// One legend entry.
#[derive(Debug, Clone)]
struct LegendItem {
    mark: Mark,
    label: String,
}

impl LegendItem {
    fn new(mark: Mark, label: impl Into<String>) -> Self {
        Self { mark, label: label.into() }
    }

    /// Pixels this entry takes in a legend row, gap included.
    fn width(&self) -> u32 {
        22 + text_width(&self.label, LABEL_SIZE) + 24
    }
}

/// A chart made of labelled rows over `0..x_max`, the first label on top
/// (its row at y = `labels.len() − 1`): zebra stripes under every other
/// row and the axes in the house style. The racing charts draw on it.
fn row_chart<'a, 'b>(
    body: &'b Area<'a>,
    labels: &[String],
    (x_max, y_area, margin_top): (f64, u32, u32),
    (x_desc, y_desc): (&str, &str),
) -> Result<
    ChartContext<
        'b,
        SVGBackend<'a>,
        plotters::coord::cartesian::Cartesian2d<plotters::coord::types::RangedCoordf64, Ticks>,
    >,
    Box<dyn std::error::Error>,
> {
    let n = labels.len();
    let y_range = Ticks::linear(-0.5..n as f64 - 0.5, (0..n).map(|i| i as f64).collect());
    let mut chart = ChartBuilder::on(body)
        .margin_left(MARGIN)
        .margin_right(MARGIN + 8)
        .margin_top(margin_top)
        .margin_bottom(MARGIN)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(y_area)
        .build_cartesian_2d(0.0..x_max, y_range)?;
    chart.draw_series((0..n).filter(|i| i % 2 == 1).map(|i| {
        let y = (n - 1 - i) as f64;
        Rectangle::new([(0.0, y - 0.5), (x_max, y + 0.5)], ZEBRA.filled())
    }))?;
    let x_label = |v: &f64| number_label(*v, x_max);
    let y_label =
        |v: &f64| n.checked_sub(1 + v.round() as usize).and_then(|i| labels.get(i)).cloned().unwrap_or_default();
    let mut mesh = chart.configure_mesh();
    mesh.disable_y_mesh().x_labels(10).x_max_light_lines(1).x_label_formatter(&x_label).y_label_formatter(&y_label);
    house_style(&mut mesh, x_desc, y_desc).draw()?;
    Ok(chart)
}

/// The band above the plot: a title, a line saying what is shown, and the
/// legend (outside the plot, so it never hides data), wrapped into rows.
struct Header {
    title: String,
    subtitle: String,
    legend: Vec<LegendItem>,
}

impl Header {
    /// The legend split into rows that fit `width` pixels.
    fn rows(&self, width: u32) -> Vec<&[LegendItem]> {
        let room = width.saturating_sub(2 * MARGIN);
        let mut rows = Vec::new();
        let mut start = 0;
        let mut used = 0;
        for (i, item) in self.legend.iter().enumerate() {
            if i > start && used + item.width() > room {
                rows.push(&self.legend[start..i]);
                start = i;
                used = 0;
            }
            used += item.width();
        }
        if start < self.legend.len() {
            rows.push(&self.legend[start..]);
        }
        rows
    }

    /// The height of the band when the picture is `width` pixels wide.
    fn height(&self, width: u32) -> u32 {
        MARGIN + 62 + self.rows(width).len() as u32 * LEGEND_ROW + 8
    }

    /// The width the title, subtitle and widest legend row need.
    fn min_width(&self) -> u32 {
        let text = bold_text_width(&self.title, TITLE_SIZE).max(text_width(&self.subtitle, SUBTITLE_SIZE));
        text + 2 * MARGIN
    }

    /// Draws the band at the top of `root` and returns the rest of `root`.
    fn draw<'a>(&self, root: &Area<'a>) -> Result<Area<'a>, Box<dyn std::error::Error>> {
        let (width, _) = root.dim_in_pixel();
        let (band, rest) = root.split_vertically(self.height(width));
        let left = MARGIN as i32;
        let top = MARGIN as i32;
        let title = (font(), TITLE_SIZE, FontStyle::Bold).into_font().color(&INK);
        band.draw(&Text::new(self.title.as_str(), (left, top), title.pos(Pos::new(HPos::Left, VPos::Top))))?;
        let subtitle = (font(), SUBTITLE_SIZE).into_font().color(&GREY);
        band.draw(&Text::new(self.subtitle.as_str(), (left, top + 32), subtitle.pos(Pos::new(HPos::Left, VPos::Top))))?;
        let label = label_style().pos(Pos::new(HPos::Left, VPos::Center));
        for (row, items) in self.rows(width).into_iter().enumerate() {
            let y = top + 62 + row as i32 * LEGEND_ROW as i32 + LEGEND_ROW as i32 / 2;
            let mut x = left;
            for item in items {
                item.mark.draw(&band, (x + 8, y), 6)?;
                band.draw(&Text::new(item.label.as_str(), (x + 22, y), label.clone()))?;
                x += item.width() as i32;
            }
        }
        Ok(rest)
    }
}

/// Draws on a fresh white `width` × `height` SVG and returns the document.
/// If drawing fails (it should not: the SVG backend writes to a String),
/// the result is still a valid SVG, one that says what went wrong.
fn render(title: &str, (width, height): (u32, u32), draw: impl FnOnce(&Area) -> DrawResult) -> String {
    let mut svg = String::new();
    let outcome = {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let drawn = root.fill(&WHITE).map_err(Into::into).and_then(|()| draw(&root));
        drawn.and_then(|()| root.present().map_err(Into::into))
    };
    match outcome {
        Ok(()) => svg,
        Err(e) => message(title, &crate::tr!("chart-failed", error = e)),
    }
}

/// A small SVG with a title and one line of text, for "no data" and errors.
fn message(title: &str, text: &str) -> String {
    let width = (bold_text_width(title, TITLE_SIZE).max(text_width(text, DESC_SIZE)) + 2 * MARGIN).max(480);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, 120)).into_drawing_area();
        let top_left = Pos::new(HPos::Left, VPos::Top);
        let title_style = (font(), TITLE_SIZE, FontStyle::Bold).into_font().color(&INK).pos(top_left);
        let text_style = desc_style().color(&GREY).pos(top_left);
        // Writing into a String cannot fail; if it somehow did, the
        // document would lack text but still be a well-formed SVG.
        let _ = root.fill(&WHITE);
        let _ = root.draw(&Text::new(title, (MARGIN as i32, MARGIN as i32), title_style));
        let _ = root.draw(&Text::new(text, (MARGIN as i32, MARGIN as i32 + 44), text_style));
        let _ = root.present();
    }
    svg
}

/// The chart for an empty record list.
fn no_data(title: &str) -> String {
    message(title, &crate::i18n::t("chart-no-data"))
}

/// `n` items: the catalog message `one` or `many` with `$n`.
fn plural(n: u64, one: &str, many: &str) -> String {
    crate::tr!(if n == 1 { one } else { many }, n = n)
}

/// A tick label for a linear axis: no decimals unless the range needs them.
fn number_label(value: f64, span: f64) -> String {
    let decimals = if span >= 20.0 {
        0
    } else if span >= 2.0 {
        1
    } else {
        2
    };
    let text = format!("{value:.decimals$}");
    if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') { "0".to_string() } else { text }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The contents of the `<text>` elements, entities decoded.
    pub(super) fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                let inner = &t[t.find('>')? + 1..t.find("</text>")?];
                Some(inner.trim().replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
            })
            .collect()
    }

    /// The checks every chart's tests make: a whole SVG document with
    /// balanced text elements, and every expected label in some text.
    pub(super) fn assert_svg(svg: &str, labels: &[&str]) {
        assert!(svg.starts_with("<svg"), "starts with <svg: {}", &svg[..svg.len().min(80)]);
        assert!(svg.trim_end().ends_with("</svg>"), "ends with </svg>");
        assert_eq!(svg.matches("<svg").count(), 1, "one document");
        assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count(), "text elements closed");
        let texts = texts(svg);
        for label in labels {
            assert!(texts.iter().any(|t| t.contains(label)), "the chart shows {label:?}; its texts: {texts:?}");
        }
    }

    /// The checks of a chart drawn from absurd values: well-formed XML, no
    /// tick that says inf or NaN, and no number label longer than a line.
    pub(super) fn assert_sane_ticks(svg: &str) {
        roxmltree::Document::parse(svg).expect("the chart is well-formed XML");
        for text in texts(svg) {
            let words: Vec<&str> = text.split_whitespace().collect();
            assert!(!words.iter().any(|w| ["inf", "-inf", "+inf", "NaN"].contains(w)), "label {text:?}");
            let numeric = text.chars().all(|c| c.is_ascii_digit() || " .+-e".contains(c));
            assert!(!numeric || text.len() <= 32, "a short number label, not {text:?}");
        }
    }

    #[test]
    fn no_data_is_a_valid_svg() {
        assert_svg(&no_data("A title"), &["A title", "no data"]);
    }

    #[test]
    fn legend_wraps_into_rows_that_fit() {
        let item = LegendItem::new(Mark::Bar(BLUE), "a fairly long legend label");
        let header = Header { title: "t".into(), subtitle: "s".into(), legend: vec![item; 10] };
        let rows = header.rows(WIDTH);
        assert!(rows.len() > 1);
        assert_eq!(rows.iter().map(|r| r.len()).sum::<usize>(), 10);
        for row in rows {
            assert!(row.iter().map(LegendItem::width).sum::<u32>() <= WIDTH - 2 * MARGIN);
        }
    }

    #[test]
    fn number_labels_fit_the_span() {
        assert_eq!(number_label(2046.0, 3000.0), "2046");
        assert_eq!(number_label(-0.0001, 3000.0), "0");
        assert_eq!(number_label(0.5, 1.0), "0.50");
    }
}

//! The IPC benchmark as two log-log panels: one-way latency and throughput
//! against message size, one line per transport, and the memcpy ceiling
//! (one process, no transport) as the dashed reference on the right.

use plotters::prelude::*;

use super::{
    DrawResult, Header, LegendItem, MARGIN, Mark, PALETTE, Shape, WIDTH, house_style, message, no_data, render,
};
use crate::ipc::Transport;
use crate::model::{IpcMode, IpcRecord};
use crate::report::table::transport_label;

const TITLE: &str = "chart-ipc-title";
const PANEL_HEIGHT: u32 = 420;
const SHAPES: [Shape; 3] = [Shape::Circle, Shape::Triangle, Shape::Diamond];

/// Points of one line: (size, value), sizes ascending.
type Line = Vec<(f64, f64)>;

fn lines(records: &[IpcRecord], mode: IpcMode, value: impl Fn(&IpcRecord) -> Option<f64>) -> Vec<(String, Line)> {
    let mut out: Vec<(String, Line)> = Vec::new();
    for r in records.iter().filter(|r| r.mode == mode && r.skipped.is_none()) {
        let Some(v) = value(r).filter(|v| v.is_finite() && *v > 0.0) else { continue };
        let label = transport_label(r);
        match out.iter_mut().find(|(l, _)| *l == label) {
            Some((_, line)) => line.push((r.size as f64, v)),
            None => out.push((label, vec![(r.size as f64, v)])),
        }
    }
    for (_, line) in &mut out {
        line.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    out
}

fn range(lines: &[(String, Line)], pick: impl Fn(&(f64, f64)) -> f64) -> (f64, f64) {
    let (lo, hi) = lines
        .iter()
        .flat_map(|(_, l)| l.iter().map(&pick))
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if hi <= 0.0 { (1.0, 10.0) } else { (lo / 2.0, hi * 2.0) }
}

/// Both panels; lines keep their colour and shape across them.
pub fn ipc(records: &[IpcRecord]) -> String {
    if records.is_empty() {
        return no_data(&crate::i18n::t(TITLE));
    }
    let latency = lines(records, IpcMode::Latency, |r| r.one_way_ns.map(|s| s.median));
    let throughput = lines(records, IpcMode::Throughput, |r| r.bytes_per_s.map(|b| b / f64::from(1u32 << 30)));
    if latency.is_empty() && throughput.is_empty() {
        return message(&crate::i18n::t(TITLE), &crate::i18n::t("chart-ipc-no-data"));
    }
    let mut labels: Vec<String> = Vec::new();
    for (l, _) in latency.iter().chain(&throughput) {
        if !labels.contains(l) {
            labels.push(l.clone());
        }
    }
    let style_of = |label: &str| {
        let k = labels.iter().position(|l| l == label).unwrap_or(0);
        (PALETTE[k % PALETTE.len()], SHAPES[(k / PALETTE.len()) % SHAPES.len()])
    };
    let legend = labels
        .iter()
        .map(|l| {
            let (color, shape) = style_of(l);
            let text = if l == Transport::Memcpy.name() { crate::i18n::t("chart-ipc-memcpy") } else { l.clone() };
            LegendItem::new(Mark::point(shape, color), text)
        })
        .collect();
    let header = Header { title: crate::i18n::t(TITLE), subtitle: crate::i18n::t("chart-ipc-subtitle"), legend };
    let width = (WIDTH * 3 / 2).max(header.min_width());
    let height = header.height(width) + PANEL_HEIGHT + MARGIN;
    render(&header.title, (width, height), |root| {
        let rest = header.draw(root)?;
        let (left, right) = rest.split_horizontally(width / 2);
        let x_desc = crate::i18n::t("chart-ipc-x");
        panel(&left, &latency, &x_desc, &crate::i18n::t("chart-ipc-latency"), &style_of)?;
        panel(&right, &throughput, &x_desc, &crate::i18n::t("chart-ipc-throughput"), &style_of)
    })
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    lines: &[(String, Line)],
    x_desc: &str,
    y_desc: &str,
    style_of: &dyn Fn(&str) -> (RGBColor, Shape),
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    if lines.is_empty() {
        return Ok(());
    }
    let (x_lo, x_hi) = range(lines, |p| p.0);
    let (y_lo, y_hi) = range(lines, |p| p.1);
    let mut chart = ChartBuilder::on(area)
        .margin(MARGIN)
        .x_label_area_size(48)
        .y_label_area_size(72)
        .build_cartesian_2d((x_lo..x_hi).log_scale(), (y_lo..y_hi).log_scale())?;
    let mut mesh = chart.configure_mesh();
    house_style(&mut mesh, x_desc, y_desc).draw()?;
    for (label, line) in lines {
        let (color, shape) = style_of(label);
        let dashed = label == Transport::Memcpy.name();
        if dashed {
            chart.draw_series(DashedLineSeries::new(line.iter().copied(), 8, 6, color.stroke_width(2)))?;
        } else {
            chart.draw_series(LineSeries::new(line.iter().copied(), color.stroke_width(2)))?;
        }
        let style = color.filled();
        match shape {
            Shape::Triangle => chart.draw_series(line.iter().map(|&p| TriangleMarker::new(p, 5, style)))?,
            Shape::Diamond => chart.draw_series(line.iter().map(|&p| Cross::new(p, 5, color.stroke_width(2))))?,
            _ => chart.draw_series(line.iter().map(|&p| Circle::new(p, 4, style)))?,
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipc::Wake;
    use crate::model::Spread;
    use crate::report::chart::tests::assert_svg;

    fn record(transport: Transport, wake: Option<Wake>, size: u64, mode: IpcMode, value: f64) -> IpcRecord {
        IpcRecord {
            transport,
            wake,
            zero_copy: false,
            size,
            mode,
            messages: 100,
            one_way_ns: (mode == IpcMode::Latency).then_some(Spread { median: value, p99: value * 2.0 }),
            batch: Some(1),
            msgs_per_s: (mode == IpcMode::Throughput).then_some(value),
            bytes_per_s: (mode == IpcMode::Throughput).then_some(value * size as f64),
            syscalls_per_msg: Some(2.0),
            cpus: [Some(0), Some(1)],
            pinned: false,
            skipped: None,
        }
    }

    #[test]
    fn both_panels_one_line_per_transport_and_the_ceiling() {
        let records = vec![
            record(Transport::Pipe, None, 64, IpcMode::Latency, 2000.0),
            record(Transport::Pipe, None, 65536, IpcMode::Latency, 40000.0),
            record(Transport::Shm, Some(Wake::Spin), 64, IpcMode::Latency, 150.0),
            record(Transport::Shm, Some(Wake::Spin), 65536, IpcMode::Throughput, 90_000.0),
            record(Transport::Memcpy, None, 65536, IpcMode::Throughput, 500_000.0),
        ];
        assert_svg(&ipc(&records), &["pipe", "shm/spin", "memcpy (the copy ceiling, dashed)", "one-way ns", "GiB/s"]);
    }

    #[test]
    fn nothing_to_draw_says_so() {
        assert_svg(&ipc(&[]), &["no data"]);
        let mut skipped = record(Transport::SysvMq, None, 1 << 20, IpcMode::Latency, 1.0);
        skipped.skipped = Some("kernel.msgmax".into());
        assert_svg(&ipc(&[skipped]), &["every point was skipped"]);
    }
}

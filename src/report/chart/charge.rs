//! The cgroup-charge step as bars: after each action (one row, first on
//! top), what was charged to cgroup A (the toucher's) and to cgroup B (the
//! reader's), in MiB. The picture shows the charge arrive with the first
//! touch, stay after the toucher exits, skip the reader, and leave with the
//! segment.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    Area, BLUE, DrawResult, Header, INK, LABEL_SIZE, LegendItem, MARGIN, Mark, VERMILLION, WIDTH, X_LABEL_AREA, font,
    no_data, render, row_chart, y_label_area,
};
use crate::model::ContainerRecord;

const TITLE: &str = "chart-charge-title";

const ROW: u32 = 44;
const MIN_PLOT: u32 = 160;

fn mib(bytes: u64) -> f64 {
    bytes as f64 / f64::from(1u32 << 20)
}

/// Horizontal bars of the charge of cgroups A and B after each action of
/// the cgroup-charge step (records without a charge are left out).
pub fn cgroup_charge(records: &[ContainerRecord]) -> String {
    let rows: Vec<&ContainerRecord> = records.iter().filter(|r| r.charge.is_some()).collect();
    if rows.is_empty() {
        return no_data(&crate::i18n::t(TITLE));
    }
    let header = Header {
        title: crate::i18n::t(TITLE),
        subtitle: crate::i18n::t("chart-charge-subtitle"),
        legend: vec![
            LegendItem::new(Mark::Bar(BLUE), crate::i18n::t("chart-charge-a")),
            LegendItem::new(Mark::Bar(VERMILLION), crate::i18n::t("chart-charge-b")),
        ],
    };
    let labels: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let y_area = y_label_area(labels.iter().cloned());
    let width = WIDTH.max(header.min_width());
    let plot = (rows.len() as u32 * ROW).max(MIN_PLOT);
    let height = header.height(width) + plot + X_LABEL_AREA + MARGIN + 8;
    render(&header.title, (width, height), |root| draw(root, &header, &rows, &labels, y_area))
}

fn draw(root: &Area, header: &Header, rows: &[&ContainerRecord], labels: &[String], y_area: u32) -> DrawResult {
    let body = header.draw(root)?;
    let n = rows.len();
    let charges: Vec<_> = rows.iter().filter_map(|r| r.charge).collect();
    let top = charges.iter().map(|c| mib(c.a_charged).max(mib(c.b_charged))).fold(1.0, f64::max);
    let x_max = top * 1.15;
    let (x_desc, y_desc) = (crate::i18n::t("chart-charge-x"), crate::i18n::t("chart-charge-y"));
    let mut chart = row_chart(&body, labels, (x_max, y_area, 0), (&x_desc, &y_desc))?;
    let value_style = (font(), LABEL_SIZE).into_font().color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, c) in charges.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        for (value, offset, color) in [(mib(c.a_charged), 0.2, BLUE), (mib(c.b_charged), -0.2, VERMILLION)] {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y + offset - 0.17), (value, y + offset + 0.17)],
                color.filled(),
            )))?;
            chart.draw_series(std::iter::once(
                EmptyElement::at((value, y + offset)) + Text::new(format!("{value:.1}"), (4, 0), value_style.clone()),
            ))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Charge, ContainerStep};

    #[test]
    fn every_action_is_a_row_with_both_groups() {
        let record = |id: &str, a: u64, b: u64| {
            ContainerRecord::new(ContainerStep::CgroupCharge, id, "host", "root", "-", "-", "-").with(|r| {
                r.charge = Some(Charge {
                    a_charged: a << 20,
                    a_shmem: a << 20,
                    b_charged: b << 20,
                    b_shmem: 0,
                    a_oom_kills: 0,
                })
            })
        };
        let svg = cgroup_charge(&[record("touched", 64, 0), record("read-from-b", 64, 1), record("removed", 0, 0)]);
        super::super::tests::assert_svg(&svg, &["touched", "read-from-b", "removed", "64.0", "cgroup A"]);
        assert!(no_data(TITLE).contains("no data"));
    }
}

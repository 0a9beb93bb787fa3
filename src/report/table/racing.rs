//! The racing table and its reading.

use super::{Layout, histogram, join};
use crate::i18n::{t, text as text_of};
use crate::lock::LockKind;
use crate::model::{RacingRecord, min_median_max};
use crate::report::grid::Grid;
use crate::report::sweep::Setting;

/// The median of some wall times (ms), as people read it.
fn median_ms(values: &[f64]) -> String {
    crate::model::spread(values).map(|(_, m, _)| format!("{m:.1}")).unwrap_or_default()
}

impl crate::report::Render for RacingRecord {
    fn text(records: &[Self], layout: Layout) -> String {
        racing(records, layout)
    }

    fn charts(records: &[Self]) -> Vec<crate::report::Chart> {
        let mut charts = vec![crate::report::Chart {
            file: "racing-finals.svg",
            title: crate::i18n::t("racing-chart-finals"),
            svg: crate::report::chart::racing_finals(records),
        }];
        if let Some(svg) = crate::report::chart::race_timeline(records) {
            charts.push(crate::report::Chart {
                file: "racing-timeline.svg",
                title: crate::i18n::t("racing-chart-timeline"),
                svg,
            });
        }
        charts
    }
}

/// The racing table (one row per backend and lock) and what it shows.
/// Per-trial lists are summarised (min / median / max and a histogram of
/// the finals); `long` adds every trial's numbers under the table.
fn racing(records: &[RacingRecord], layout: Layout) -> String {
    let schedules: Vec<String> = records
        .iter()
        .filter_map(|r| r.schedule.as_ref().map(|run| (r, run)))
        .map(|(r, run)| {
            let title = crate::tr!(
                "racing-schedule-title",
                name = run.name.as_deref().map_or(String::new(), |n| crate::tr!("racing-schedule-name", name = n)),
                steps = &run.text,
                backend = r.backend,
                lock = r.lock
            );
            format!("{title}\n{}", super::schedule::schedule(r, run, layout.width))
        })
        .collect();
    if !schedules.is_empty() {
        return layout.wrap(&schedules.join("\n\n"));
    }
    let trials = records.iter().map(|r| r.finals.len()).max().unwrap_or(0);
    // A sweep's rows differ in a setting: show the settings that differ.
    let settings = Setting::varying(records);
    let mut headers: Vec<String> = settings.iter().map(|s| s.header().to_string()).collect();
    let columns: &[&str] = if trials > 1 {
        &[
            "racing-backend",
            "racing-lock",
            "racing-protects",
            "racing-expected",
            "racing-final-spread",
            "racing-finals",
            "racing-lost-median",
            "racing-ms-median",
        ]
    } else {
        &[
            "racing-backend",
            "racing-lock",
            "racing-protects",
            "racing-expected",
            "racing-final",
            "racing-lost",
            "racing-ms",
        ]
    };
    headers.extend(columns.iter().map(|id| t(id)));
    let mut grid = Grid::new(headers).keys(2 + settings.len());
    for r in records {
        let (lo, med, hi) = min_median_max(&r.finals).unwrap_or_default();
        let lost = min_median_max(&r.lost).map(|(_, m, _)| m).unwrap_or_default();
        let mut row: Vec<String> = settings.iter().map(|s| s.value(r)).collect();
        row.extend([
            r.backend.name().to_string(),
            r.lock.name().to_string(),
            t(if r.protected { "racing-yes" } else { "racing-no" }),
            r.expected.to_string(),
        ]);
        if trials > 1 {
            row.extend([format!("{lo} / {med} / {hi}"), histogram(&r.finals), lost.to_string()]);
        } else {
            row.extend([join(&r.finals), join(&r.lost)]);
        }
        row.push(median_ms(&r.wall_ms));
        grid.row(row);
    }
    let mut text = grid.render(layout.width);
    if trials > 1 {
        if layout.long {
            text.push_str(&format!("\n\n{}", t("racing-every-trial")));
            for r in records {
                let name = format!("{} / {}", r.backend, r.lock);
                let wall: Vec<String> = r.wall_ms.iter().map(|w| format!("{w:.1}")).collect();
                text.push_str(&format!(
                    "\n{name}\n  {}",
                    text_of("racing-long-finals", &[("finals", join(&r.finals))])
                ));
                text.push_str(&format!("\n  {}", text_of("racing-long-lost", &[("lost", join(&r.lost))])));
                text.push_str(&format!("\n  {}", text_of("racing-long-wall", &[("wall", wall.join(" "))])));
            }
        } else {
            text.push_str(&format!("\n\n{}", text_of("racing-finals-spread", &[("trials", trials.to_string())])));
        }
    }
    text.push_str("\n\n");
    text.push_str(&reading(records));
    let traced = super::race_trace::reading(records);
    if !traced.is_empty() {
        text.push_str("\n\n");
        text.push_str(&traced);
    }
    layout.wrap(&text)
}

/// A paragraph that explains what the racing table shows, with its numbers.
fn reading(records: &[RacingRecord]) -> String {
    let Some(first) = records.first() else { return String::new() };
    let unprotected: Vec<&RacingRecord> = records.iter().filter(|r| !r.protected).collect();
    let total_trials: usize = unprotected.iter().map(|r| r.finals.len()).sum();
    let losing_trials: usize = unprotected.iter().map(|r| r.lost.iter().filter(|l| **l > 0).count()).sum();
    let worst = unprotected.iter().flat_map(|r| r.lost.iter().map(move |l| (*l, r))).max_by_key(|(l, _)| *l);
    let who = if first.children == 1 {
        t("racing-one-child")
    } else {
        text_of("racing-each-child", &[("children", first.children.to_string())])
    };
    let times = match first.iterations {
        1 => String::new(),
        n => text_of("racing-times", &[("n", n.to_string())]),
    };
    let mut text = text_of(
        "racing-how-to-read",
        &[
            ("who", who),
            ("delay", first.delay_us.to_string()),
            ("times", times),
            ("expected", first.expected.to_string()),
        ],
    );
    text.push_str(&t("sentence-gap"));
    match worst {
        Some((lost, r)) if lost > 0 => text.push_str(&text_of(
            "racing-reading-lost",
            &[
                ("losing", losing_trials.to_string()),
                ("total", total_trials.to_string()),
                ("lost", lost.to_string()),
                ("expected", r.expected.to_string()),
                (
                    "what",
                    if r.lock == LockKind::None {
                        r.backend.to_string()
                    } else {
                        format!("{}{}{}", r.backend, t("list-gap"), r.lock)
                    },
                ),
            ],
        )),
        Some(_) if first.children == 1 => text.push_str(&t("racing-control")),
        Some(_) => text.push_str(&t("racing-no-overlap")),
        None => {}
    }
    let mut kinds: Vec<LockKind> = Vec::new();
    for r in records.iter().filter(|r| r.lock != LockKind::None) {
        if !kinds.contains(&r.lock) {
            kinds.push(r.lock);
        }
    }
    if !kinds.is_empty() {
        text.push_str(&format!("\n\n{}", t("racing-protections")));
        for kind in kinds {
            let exact = records.iter().filter(|r| r.lock == kind).all(|r| r.finals.iter().all(|f| *f == r.expected));
            let verdict = t(if exact { "racing-exact" } else { "racing-lost-updates" });
            text.push_str(&format!(
                "\n  {:<16} {verdict}{}{}",
                kind.name(),
                t("racing-verdict-gap"),
                kind.explanation()
            ));
        }
    }
    text
}

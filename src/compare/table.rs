//! The text of `shmlab compare`: the runs and their machines, the claims
//! whose status is not the same in every run, then one table per group of
//! figures with the spread across runs and a one-line chart of it.

use crate::i18n::t;
use crate::model::{CompareDocument, ComparedFigure};
use crate::report::grid::Grid;
use crate::report::table::Layout;
use crate::size::human;
use crate::tr;

/// Columns of the one-line chart.
const STRIP: usize = 21;

/// Each group and the message that says what it measures and what to
/// expect across machines.
const GROUPS: [(&str, &str); 5] = [
    ("racing", "compare-group-racing"),
    ("locks", "compare-group-locks"),
    ("memory", "compare-group-memory"),
    ("pages", "compare-group-pages"),
    ("ipc", "compare-group-ipc"),
];

pub fn text(doc: &CompareDocument, layout: Layout) -> String {
    let mut parts = vec![runs(doc, layout), claims(doc, layout)];
    for (group, about) in GROUPS {
        let figures: Vec<&ComparedFigure> = doc.figures.iter().filter(|f| f.group == group).collect();
        if !figures.is_empty() {
            parts.push(format!("{}\n{}", layout.wrap(&t(about)), figures_table(&figures, doc.runs.len(), layout)));
        }
    }
    parts.join("\n\n") + "\n"
}

fn runs(doc: &CompareDocument, layout: Layout) -> String {
    let mut grid = Grid::new(
        ["run", "suite", "kernel", "cpus", "memory", "started", "schema"].map(|h| t(&format!("compare-runs-{h}"))),
    );
    for r in &doc.runs {
        grid.row([
            r.label.clone(),
            r.suite.clone(),
            r.kernel.clone(),
            r.cpus.to_string(),
            human(r.mem_total_kib * 1024),
            r.started_utc.replace('T', " ").trim_end_matches('Z').chars().take(16).collect(),
            r.schema_version.to_string(),
        ]);
    }
    format!("{}\n{}", tr!("compare-runs-compared", n = doc.runs.len()), grid.render(layout.width))
}

/// The claims whose status differs between runs (every claim with `--long`).
fn claims(doc: &CompareDocument, layout: Layout) -> String {
    let runs = doc.runs.len();
    let same = |c: &&crate::model::ComparedClaim| {
        c.statuses.len() == runs && c.statuses.iter().all(|s| s.status == c.statuses[0].status)
    };
    let differing = doc.claims.iter().filter(|c| !same(c)).count();
    let mut text =
        tr!("compare-claims", judged = doc.claims.len(), same = doc.claims.len() - differing, differing = differing);
    let shown: Vec<_> = doc.claims.iter().filter(|c| layout.long || !same(c)).collect();
    if !shown.is_empty() {
        let mut grid = Grid::new([t("compare-claim"), t("compare-status-in-each")]).prose(0).prose(1);
        for c in shown {
            let mut by_status: Vec<(crate::model::Status, Vec<&str>)> = Vec::new();
            for s in &c.statuses {
                match by_status.iter_mut().find(|(status, _)| *status == s.status) {
                    Some((_, labels)) => labels.push(&s.label),
                    None => by_status.push((s.status, vec![&s.label])),
                }
            }
            let missing = runs - c.statuses.len();
            let mut cells: Vec<String> = by_status
                .iter()
                .map(|(status, labels)| format!("{}{}{}", status.label(), t("label-colon"), labels.join(", ")))
                .collect();
            if missing > 0 {
                cells.push(tr!("compare-not-judged", n = missing));
            }
            let claim = if c.shown.is_empty() { &c.claim } else { &c.shown };
            grid.row([format!("{}{}{claim}", c.run, t("label-colon")), cells.join(&t("clause-gap"))]);
        }
        text = format!("{}\n{}", layout.wrap(&text), grid.render(layout.width));
    } else {
        text = layout.wrap(&text);
    }
    text
}

fn figures_table(figures: &[&ComparedFigure], runs: usize, layout: Layout) -> String {
    let headers =
        ["figure", "unit", "runs", "min", "median", "max", "varies", "strip"].map(|h| t(&format!("compare-col-{h}")));
    let mut grid = Grid::new(headers).prose(0);
    for f in figures {
        grid.row([
            shown(f),
            unit(&f.unit),
            if f.values.len() == runs {
                runs.to_string()
            } else {
                tr!("compare-some-of", n = f.values.len(), runs = runs)
            },
            number(f.min),
            number(f.median),
            number(f.max),
            varies(f),
            strip(f),
        ]);
    }
    let mut text = grid.render(layout.width);
    if layout.long {
        let mut each = Grid::new(["figure", "run", "value"].map(|h| t(&format!("compare-each-{h}")))).keys(1).prose(0);
        for f in figures {
            for v in &f.values {
                each.row([shown(f), v.label.clone(), number(v.value)]);
            }
        }
        text.push_str(&format!("\n\n{}\n{}", t("compare-every-run"), each.render(layout.width)));
    }
    text
}

/// What a figure is, in the language shmlab speaks (its English name
/// where it has no other, as in a document read back from JSON).
fn shown(f: &ComparedFigure) -> String {
    if f.shown.is_empty() { f.figure.clone() } else { f.shown.clone() }
}

/// A unit as people read it.
fn unit(unit: &str) -> String {
    if unit == "of expected" { t("compare-unit-of-expected") } else { unit.to_string() }
}

/// A figure as people read it: whole numbers above 100, one decimal below.
fn number(v: f64) -> String {
    let v = if v == 0.0 { 0.0 } else { v }; // no "-0"
    if v.abs() >= 100.0 || v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") }
}

/// How far apart the runs are, as a share of the median: `±0%` means every
/// run measured the same.
fn varies(f: &ComparedFigure) -> String {
    if f.median == 0.0 {
        return if f.max == f.min { "±0%".into() } else { "-".into() };
    }
    format!("±{:.0}%", (f.max - f.min) / 2.0 / f.median.abs() * 100.0)
}

/// The runs' values on a line from 0 to the largest magnitude: `●` one run,
/// a digit for several at one place, `+` for ten or more.
fn strip(f: &ComparedFigure) -> String {
    let top = f.values.iter().map(|v| v.value.abs()).fold(0.0, f64::max);
    let mut counts = [0usize; STRIP];
    for v in &f.values {
        let at = if top == 0.0 { 0 } else { (v.value.abs() / top * (STRIP - 1) as f64).round() as usize };
        counts[at.min(STRIP - 1)] += 1;
    }
    counts
        .iter()
        .map(|&c| match c {
            0 => '·',
            1 => '●',
            2..=9 => char::from_digit(c as u32, 10).unwrap_or('+'),
            _ => '+',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RunValue;

    fn figure(values: &[f64]) -> ComparedFigure {
        let vals: Vec<RunValue> =
            values.iter().enumerate().map(|(i, v)| RunValue { label: format!("r{i}"), value: *v }).collect();
        let (min, median, max) = crate::model::spread(values).unwrap();
        ComparedFigure {
            group: "locks".into(),
            figure: "flock".into(),
            shown: String::new(),
            unit: "ns/op".into(),
            values: vals,
            min,
            median,
            max,
        }
    }

    #[test]
    fn the_strip_puts_each_run_where_its_value_is() {
        assert_eq!(strip(&figure(&[10.0, 20.0])), "··········●·········●");
        assert_eq!(strip(&figure(&[20.0, 20.0, 20.0])), "····················3");
        assert_eq!(strip(&figure(&[0.0])), "●····················");
    }

    #[test]
    fn spread_is_half_the_range_over_the_median() {
        assert_eq!(varies(&figure(&[90.0, 100.0, 110.0])), "±10%");
        assert_eq!(varies(&figure(&[5.0, 5.0])), "±0%");
        assert_eq!(number(2046.4), "2046");
        assert_eq!(number(17.5), "17.5");
        assert_eq!(number(-3.0), "-3");
        assert_eq!(number(-0.0), "0");
    }
}

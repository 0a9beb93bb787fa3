//! The crash table: what waiters experience when a holder dies.

use super::Layout;
use crate::model::CrashRecord;
use crate::report::grid::Grid;

impl crate::report::Render for CrashRecord {
    fn text(records: &[Self], layout: Layout) -> String {
        crash(records, layout)
    }
}

/// The crash table (one row per lock), what happened to each, and why.
fn crash(records: &[CrashRecord], layout: Layout) -> String {
    let mut grid = Grid::new(
        ["crash-lock", "crash-verdict", "crash-back-after", "crash-final", "crash-killed"].map(crate::i18n::t),
    );
    for r in records {
        let after = r.recovered_after_ms.map(|ms| format!("{ms:.2} ms")).unwrap_or_else(|| "-".to_string());
        grid.row([
            r.lock.name().to_string(),
            crate::i18n::t(&format!("crash-verdict-{}", r.verdict.name())),
            after,
            format!("{} / {}", r.final_value, r.expected),
            r.waiters_killed.to_string(),
        ]);
    }
    let mut text = grid.render(layout.width);
    text.push_str(&format!("\n\n{}", crate::i18n::t("crash-what-happened")));
    for r in records {
        text.push_str(&format!("\n  {:<16} {}", r.lock.name(), r.verdict.describe(r.lock)));
    }
    text.push_str(&format!("\n\n{}", crate::i18n::t("crash-reading")));
    layout.wrap(&text)
}

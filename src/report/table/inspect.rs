//! The inspect table: one row per backend, the kernel's own words.

use super::Layout;
use crate::i18n::t;
use crate::model::InspectRecord;
use crate::report::grid::Grid;
use crate::size::human;
use crate::tr;

impl crate::report::Render for InspectRecord {
    fn text(records: &[Self], layout: Layout) -> String {
        inspect(records, layout)
    }
}

fn inspect(records: &[InspectRecord], layout: Layout) -> String {
    let mut grid = Grid::new([
        t("inspect-backend"),
        t("inspect-path"),
        "dev".to_string(),
        "inode".to_string(),
        t("inspect-page-size"),
        "Rss".to_string(),
        "Shared_Dirty".to_string(),
        "Private_Dirty".to_string(),
        "Hugetlb".to_string(),
    ]);
    for r in records {
        let kib = |k: &str| r.mapping.smaps.get(k).map(|v| format!("{v} kB")).unwrap_or_default();
        grid.row([
            r.backend.name().to_string(),
            r.mapping.path.clone(),
            r.mapping.device.clone(),
            r.mapping.inode.to_string(),
            kib("KernelPageSize"),
            kib("Rss"),
            kib("Shared_Dirty"),
            kib("Private_Dirty"),
            format!(
                "{} kB",
                r.mapping.smaps.get("Shared_Hugetlb").unwrap_or(&0)
                    + r.mapping.smaps.get("Private_Hugetlb").unwrap_or(&0)
            ),
        ]);
    }
    let mut text = grid.render(layout.width);
    for r in records {
        text.push_str(&format!(
            "\n\n{}\n  {}\n  {}",
            tr!("inspect-backend-title", backend = r.backend),
            tr!("inspect-maps", line = r.mapping.maps_line),
            tr!("inspect-lives-in", place = r.lives_in)
        ));
        if let Some(row) = &r.sysvipc_row {
            text.push_str(&format!("\n  {}", tr!("inspect-sysvipc-row", row = row)));
        }
        for d in &r.descriptors {
            text.push_str(&format!("\n  {}", tr!("inspect-descriptor", descriptor = d)));
        }
    }
    text.push_str("\n\n");
    text.push_str(&explanation(records));
    layout.wrap(&text)
}

/// A short plain explanation under the table.
fn explanation(records: &[InspectRecord]) -> String {
    let sizes = records.first().map(|r| human(r.size_bytes)).unwrap_or_default();
    tr!("inspect-explanation", size = sizes)
}

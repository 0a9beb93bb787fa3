//! The inspect table: one row per backend, the kernel's own words.

use super::Layout;
use crate::experiment::inspect::InspectRecord;
use crate::report::grid::Grid;

pub fn inspect(records: &[InspectRecord], layout: Layout) -> String {
    let mut grid = Grid::new([
        "backend",
        "path in /proc/self/maps",
        "dev",
        "inode",
        "page size",
        "Rss",
        "Shared_Dirty",
        "Private_Dirty",
        "Hugetlb",
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
        text.push_str(&format!("\n\n{}:\n  maps:  {}\n  lives in: {}", r.backend, r.mapping.maps_line, r.lives_in));
        if let Some(row) = &r.sysvipc_row {
            text.push_str(&format!("\n  /proc/sysvipc/shm: {row}"));
        }
        for d in &r.descriptors {
            text.push_str(&format!("\n  descriptor: {d}"));
        }
    }
    text.push_str("\n\n");
    text.push_str(&crate::experiment::inspect::explanation(records));
    layout.wrap(&text)
}

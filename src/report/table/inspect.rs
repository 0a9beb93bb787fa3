//! The inspect table: one row per backend, the kernel's own words.

use super::Layout;
use crate::model::InspectRecord;
use crate::report::grid::Grid;
use crate::size::human;

impl crate::report::Render for InspectRecord {
    fn text(records: &[Self], layout: Layout) -> String {
        inspect(records, layout)
    }
}

fn inspect(records: &[InspectRecord], layout: Layout) -> String {
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
    text.push_str(&explanation(records));
    layout.wrap(&text)
}

/// A short plain explanation under the table.
fn explanation(records: &[InspectRecord]) -> String {
    let sizes = records.first().map(|r| human(r.size_bytes)).unwrap_or_default();
    format!(
        "Each object above was created, {sizes} of it touched, and looked up in /proc/self/maps and smaps. \
         All of them are files: the kernel backs MAP_SHARED|MAP_ANONYMOUS, SysV segments and memfds with files on \
         its internal shmem (tmpfs) mount, which is never mounted anywhere you can see (the paths end in \
         \"(deleted)\" because those files have no name in any directory), and POSIX shm objects with files on \
         the tmpfs at /dev/shm. That is why every kind but mmap-file counts as Shmem and as buff/cache in `free`: \
         their pages are page cache of a tmpfs (mmap-file's are page cache of its own file system, Shmem only if \
         that is a tmpfs). Each object is removed before the next is created, so the kernel often hands out the \
         same address range again: equal addresses above are not the same memory. Huge page variants live on \
         the internal hugetlbfs mount instead (another device, KernelPageSize 2048 kB), are counted in HugePages_* \
         and, in smaps, under Hugetlb rather than Rss. \
         Shared_Dirty is 0 and Private_Dirty holds the touched pages because smaps counts a page as shared only \
         while more than one process maps it; here only shmlab does, MAP_SHARED or not."
    )
}

//! The memory lab's tables: what moved in `free` and /proc/meminfo at each
//! phase, what the first touch cost, and the page-size comparison.

use super::Layout;
use crate::model::PageCompareRecord;
use crate::model::{MemoryRecord, Phase};
use crate::report::grid::Grid;
use crate::size::human;

fn mib(kib: i64) -> String {
    format!("{:+}", (kib as f64 / 1024.0).round() as i64)
}

fn pages(n: i64) -> String {
    format!("{n:+}")
}

impl crate::report::Render for MemoryRecord {
    fn text(records: &[Self], layout: Layout) -> String {
        memory(records, layout)
    }

    fn charts(records: &[Self]) -> Vec<crate::report::Chart> {
        vec![crate::report::Chart {
            file: "memory-deltas.svg",
            title: "Where the memory went",
            svg: crate::report::chart::memory_deltas(records),
        }]
    }
}

impl crate::report::Render for PageCompareRecord {
    fn text(records: &[Self], layout: Layout) -> String {
        compare_pages(records, layout)
    }
}

/// Deltas per phase, then costs, then a reading.
fn memory(records: &[MemoryRecord], layout: Layout) -> String {
    let mut b = Grid::new([
        "backend",
        "phase",
        "used",
        "free*",
        "shared",
        "buff/cache",
        "avail",
        "used 3.3",
        "Shmem",
        "Cached",
        "Commit",
        "HP Free",
        "HP Rsvd",
        "its pages",
    ])
    .keys(2)
    .titled("Change since \"before\", MiB (HP columns: huge pages):");
    for r in records {
        for p in r.phases.iter().skip(1) {
            b.row([
                label(r),
                p.name.to_string(),
                mib(p.free.used),
                mib(p.free.free),
                mib(p.free.shared),
                mib(p.free.buff_cache),
                mib(p.free.available),
                mib(p.free.used_procps3),
                mib(p.counters.shmem),
                mib(p.counters.cached),
                mib(p.counters.committed_as),
                pages(p.counters.hugepages_free),
                pages(p.counters.hugepages_rsvd),
                mib(p.object_kib),
            ]);
        }
    }
    let mut costs = Grid::new(["backend", "size", "create", "touch", "GiB/s", "faults", "release"])
        .titled("What each step cost (create, touch, release in ms; minor page faults of the touch):");
    for r in records {
        costs.row([
            label(r),
            human(r.size_bytes),
            format!("{:.1}", r.create_ms),
            format!("{:.1}", r.touch_ms),
            format!("{:.2}", r.touch_gib_per_s),
            r.minor_faults.to_string(),
            format!("{:.1}", r.release_ms),
        ]);
    }
    layout.wrap(&format!("{}\n\n{}\n\n{}", b.render(layout.width), costs.render(layout.width), reading(records)))
}

/// `mmap`, or `xsi 2M` with huge pages.
fn label(r: &MemoryRecord) -> String {
    if r.huge.0.is_none() { r.backend.name().to_string() } else { format!("{} {}", r.backend, r.huge) }
}

fn reading(records: &[MemoryRecord]) -> String {
    let mut text = String::from(
        "How to read this: `free*` (MemFree) moves by hundreds of MiB on its own: freed pages wait on the \
         per-CPU page lists, which MemFree does not count (since Linux 6.7 the lists together may hold up to an eighth of a \
         zone), \
         and other processes allocate and free too; Shmem, Cached, the HugePages counters and the segment's own \
         resident pages (`its pages`, from the smaps of its mapping) are the reliable ones. ",
    );
    let small = records.iter().find(|r| r.huge.0.is_none() && r.backend != crate::region::Backend::MmapFile);
    if let Some(r) = small
        && let Some(t) = r.phases.iter().find(|p| p.name == Phase::Touched)
    {
        text.push_str(&format!(
            "With 4 KiB pages, creating {} allocates no page yet (only Committed_AS, the kernel's promise, grows); \
             touching it moved Shmem by {} MiB, and `free`'s shared and buff/cache columns with it, because this \
             shared memory is a file on a tmpfs (the kernel's internal one for SysV segments and anonymous \
             MAP_SHARED, /dev/shm for POSIX objects) and its pages are page cache. Today's \
             `free` (procps-ng ≥ 4.0.1) computes used = total − available, so used moved by {} MiB too; procps 3.3, the \
             article's, computed total − free − buffers − cache, which gives {} MiB here: {}. ",
            human(r.size_bytes),
            mib(t.counters.shmem),
            mib(t.free.used),
            mib(t.free.used_procps3),
            if (t.free.used_procps3.abs() as f64) <= 0.05 * (r.size_bytes / 1024) as f64 {
                "flat, as the article's `used` stayed".to_string()
            } else {
                let own = t.free.free + (r.size_bytes / 1024) as i64;
                let lists = match t.per_cpu_lists_kib {
                    Some(kib) => format!("the per-CPU page lists changed by {} MiB meanwhile", mib(kib)),
                    None => "other processes, reclaim".to_string(),
                };
                format!(
                    "not flat, because MemFree moved by {} MiB on its own during this run ({lists}; the segment's \
                     own pages, `its pages`, are all there), so this column is off by that much: run it again on a \
                     quiet machine to see it flat",
                    mib(own)
                )
            },
        ));
    }
    if let Some(r) = records.iter().find(|r| r.backend == crate::region::Backend::MmapFile)
        && let Some(t) = r.phases.iter().find(|p| p.name == Phase::Touched)
    {
        text.push_str(&format!(
            "mmap-file is the exception: its pages are page cache of the file's own file system (Cached {} MiB, \
             Shmem {} MiB here); they count as Shmem only if that file system is a tmpfs. ",
            mib(t.counters.cached),
            mib(t.counters.shmem)
        ));
    }
    if let Some(r) = records.iter().find(|r| r.huge.0.is_some()) {
        let created = r.phases.iter().find(|p| p.name == Phase::Created);
        let touched = r.phases.iter().find(|p| p.name == Phase::Touched);
        if let (Some(c), Some(t)) = (created, touched) {
            text.push_str(&format!(
                "With {} huge pages, creation reserved {} pages (HugePages_Rsvd {:+}) and touching consumed them \
                 (HugePages_Free {:+}, Rsvd back to {:+}); Shmem moved by {} MiB and `free`'s used by only {} MiB \
                 (noise): huge pages come from a pool set aside in advance (vm.nr_hugepages), counted as used the \
                 moment the pool is raised, so touching them changes nothing in `free`, and they never appear in \
                 `shared`. ",
                r.huge,
                c.counters.hugepages_rsvd,
                c.counters.hugepages_rsvd,
                t.counters.hugepages_free,
                t.counters.hugepages_rsvd,
                mib(t.counters.shmem),
                mib(t.free.used)
            ));
        }
    }
    if let Some(p) = records.iter().find_map(|r| r.pool_reservation.as_ref()) {
        text.push_str(&format!(
            "Raising the pool by {} pages ({}) before the run already moved `free`: used {} MiB, available {} MiB \
             (the pool plus the usual noise). ",
            p.pages_added,
            human(r_pool_bytes(records, p.pages_added)),
            mib(p.free.used),
            mib(p.free.available)
        ));
    }
    let back = records.iter().all(|r| {
        r.phases.iter().find(|p| p.name == Phase::Released).is_some_and(|p| {
            p.counters.shmem.abs() < 16 * 1024 && p.counters.hugepages_free == 0 && p.counters.hugepages_rsvd == 0
        })
    });
    if back {
        text.push_str(
            "After release Shmem and the HugePages counters are back where they were: the object was removed and its \
             pages freed (used, free and available move on their own by a few hundred MiB). ",
        );
    }
    let prefaulted: Vec<String> = records.iter().filter(|r| r.prefaulted).map(label).collect();
    if !prefaulted.is_empty() {
        text.push_str(&format!(
            "{} was touched differently: its file system can fill up, and a write to a page it has no room for \
             kills the writer with SIGBUS, so each 64 MiB chunk was first faulted in with MADV_POPULATE_WRITE \
             (which reports a full file system as an error) and then written. That takes its faults in one system \
             call per chunk instead of one trap per page, so its touch ms is lower and not comparable with the \
             others'. ",
            prefaulted.join(" and ")
        ));
    }
    if records.len() > 1 {
        text.push_str(
            "Touch times of a single run depend on order: on a virtual machine the first run to touch memory the \
             hypervisor has not backed yet is slower (2 to 4 times on ours); `--compare-pages` warms up first.",
        );
    }
    text
}

/// Bytes of `pages` huge pages of the run's page size.
fn r_pool_bytes(records: &[MemoryRecord], pages: i64) -> u64 {
    let page: u64 = records.iter().filter_map(|r| r.huge.page_bytes()).max().unwrap_or(2 << 20);
    pages.max(0) as u64 * page
}

/// The page-size comparison.
fn compare_pages(records: &[PageCompareRecord], layout: Layout) -> String {
    // The note column only where a row was skipped.
    let notes = records.iter().any(|r| r.skipped.is_some());
    let mut headers =
        vec!["pages", "size", "touch ms", "GiB/s", "cold touch ms", "minor faults", "teardown ms", "huge-backed MiB"];
    if notes {
        headers.push("note");
    }
    let mut b = Grid::new(headers);
    if notes {
        b = b.prose(8);
    }
    let opt = |v: Option<f64>| v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "-".into());
    for r in records {
        let mut row = vec![
            r.pages.clone(),
            human(r.size_bytes),
            opt(r.touch_ms),
            r.touch_gib_per_s.map(|x| format!("{x:.2}")).unwrap_or_else(|| "-".into()),
            opt(r.cold_touch_ms),
            r.minor_faults.map(|x| x.to_string()).unwrap_or_else(|| "-".into()),
            opt(r.teardown_ms),
            r.huge_backed_kib.map(|k| (k / 1024).to_string()).unwrap_or_else(|| "-".into()),
        ];
        if notes {
            row.push(r.skipped.clone().map(|s| format!("skipped: {s}")).unwrap_or_default());
        }
        b.row(row);
    }
    let random = super::random_access::text(records, layout.width).map(|t| format!("\n\n{t}")).unwrap_or_default();
    layout.wrap(&format!(
        "{}\n\nTimes are from the second of two runs; `cold touch` is the first, which on a virtual machine also pays \
         for the hypervisor backing memory it has not backed yet. One fault per page: 4 KiB pages take 512 times as many faults as 2 MiB pages for the same size, and each \
         fault is a trip into the kernel that allocates, zeroes and maps one page; with 2 MiB pages the same bytes are \
         zeroed in 512 times fewer trips, so the faults, not the zeroing, are what huge pages save. Teardown frees \
         512 times fewer pages too.{random}",
        b.render(layout.width)
    ))
}

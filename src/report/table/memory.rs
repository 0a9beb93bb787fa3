//! The memory lab's tables: what moved in `free` and /proc/meminfo at each
//! phase, what the first touch cost, and the page-size comparison.

use super::Layout;
use crate::i18n::t;
use crate::model::PageCompareRecord;
use crate::model::{MemoryRecord, Phase};
use crate::report::grid::Grid;
use crate::size::human;
use crate::tr;

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
            title: crate::i18n::t("memory-chart"),
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
        t("memory-col-backend"),
        t("memory-col-phase"),
        "used".into(),
        "free*".into(),
        "shared".into(),
        "buff/cache".into(),
        "avail".into(),
        "used 3.3".into(),
        "Shmem".into(),
        "Cached".into(),
        "Commit".into(),
        "HP Free".into(),
        "HP Rsvd".into(),
        "its pages".into(),
    ])
    .keys(2)
    .titled(t("memory-deltas-title"));
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
    let mut costs = Grid::new([
        t("memory-col-backend"),
        t("memory-col-size"),
        t("memory-col-create"),
        t("memory-col-touch"),
        "GiB/s".into(),
        t("memory-col-faults"),
        t("memory-col-release"),
    ])
    .titled(t("memory-costs-title"));
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
    let gap = t("sentence-gap");
    let mut text = t("memory-reading-intro") + &gap;
    let small = records.iter().find(|r| r.huge.0.is_none() && r.backend != crate::region::Backend::MmapFile);
    if let Some(r) = small
        && let Some(t) = r.phases.iter().find(|p| p.name == Phase::Touched)
    {
        let verdict = if (t.free.used_procps3.abs() as f64) <= 0.05 * (r.size_bytes / 1024) as f64 {
            crate::i18n::t("memory-reading-flat")
        } else {
            let own = t.free.free + (r.size_bytes / 1024) as i64;
            let lists = match t.per_cpu_lists_kib {
                Some(kib) => tr!("memory-reading-lists", lists = mib(kib)),
                None => crate::i18n::t("memory-reading-lists-unknown"),
            };
            tr!("memory-reading-not-flat", own = mib(own), lists = lists)
        };
        text.push_str(&tr!(
            "memory-reading-small",
            size = human(r.size_bytes),
            shmem = mib(t.counters.shmem),
            used = mib(t.free.used),
            used3 = mib(t.free.used_procps3),
            verdict = verdict
        ));
        text.push_str(&gap);
    }
    if let Some(r) = records.iter().find(|r| r.backend == crate::region::Backend::MmapFile)
        && let Some(t) = r.phases.iter().find(|p| p.name == Phase::Touched)
    {
        text.push_str(&tr!("memory-reading-mmap-file", cached = mib(t.counters.cached), shmem = mib(t.counters.shmem)));
        text.push_str(&gap);
    }
    if let Some(r) = records.iter().find(|r| r.huge.0.is_some()) {
        let created = r.phases.iter().find(|p| p.name == Phase::Created);
        let touched = r.phases.iter().find(|p| p.name == Phase::Touched);
        if let (Some(c), Some(t)) = (created, touched) {
            text.push_str(&tr!(
                "memory-reading-huge",
                huge = r.huge,
                reserved = c.counters.hugepages_rsvd,
                rsvd = format!("{:+}", c.counters.hugepages_rsvd),
                free = format!("{:+}", t.counters.hugepages_free),
                rsvd_after = format!("{:+}", t.counters.hugepages_rsvd),
                shmem = mib(t.counters.shmem),
                used = mib(t.free.used)
            ));
            text.push_str(&gap);
        }
    }
    if let Some(p) = records.iter().find_map(|r| r.pool_reservation.as_ref()) {
        text.push_str(&tr!(
            "memory-reading-pool",
            pages = p.pages_added,
            size = human(r_pool_bytes(records, p.pages_added)),
            used = mib(p.free.used),
            available = mib(p.free.available)
        ));
        text.push_str(&gap);
    }
    let back = records.iter().all(|r| {
        r.phases.iter().find(|p| p.name == Phase::Released).is_some_and(|p| {
            p.counters.shmem.abs() < 16 * 1024 && p.counters.hugepages_free == 0 && p.counters.hugepages_rsvd == 0
        })
    });
    if back {
        text.push_str(&crate::i18n::t("memory-reading-back"));
        text.push_str(&gap);
    }
    let prefaulted: Vec<String> = records.iter().filter(|r| r.prefaulted).map(label).collect();
    if !prefaulted.is_empty() {
        text.push_str(&tr!(
            "memory-reading-prefaulted",
            backends = prefaulted.join(&crate::i18n::t("memory-reading-and"))
        ));
        text.push_str(&gap);
    }
    if records.len() > 1 {
        text.push_str(&crate::i18n::t("memory-reading-order"));
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
    let mut headers: Vec<String> = vec![
        t("pages-col-pages"),
        t("pages-col-size"),
        t("pages-col-touch-ms"),
        "GiB/s".into(),
        t("pages-col-cold-touch-ms"),
        t("pages-col-minor-faults"),
        t("pages-col-teardown-ms"),
        t("pages-col-huge-backed"),
    ];
    if notes {
        headers.push(t("pages-col-note"));
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
            row.push(r.skipped.clone().map(|s| tr!("pages-skipped", why = s)).unwrap_or_default());
        }
        b.row(row);
    }
    let random = super::random_access::text(records, layout.width).map(|t| format!("\n\n{t}")).unwrap_or_default();
    layout.wrap(&format!("{}\n\n{}{random}", b.render(layout.width), t("pages-reading")))
}

//! The random-read table of `memory --compare-pages --access random`: ns
//! per read for each working set and page kind, the page tables each kind
//! cost, and a reading that says where huge pages start to pay.

use crate::model::PageCompareRecord;
use crate::report::grid::Grid;
use crate::size::human;

/// The tables and the reading, or `None` when no record has random reads.
pub fn text(records: &[PageCompareRecord], width: usize) -> Option<String> {
    let measured: Vec<&PageCompareRecord> = records.iter().filter(|r| !r.random_access.is_empty()).collect();
    let first = measured.first()?;
    let counted = measured.iter().any(|r| r.random_access.iter().any(|a| a.dtlb_misses_per_access.is_some()));
    let mut headers = vec!["working set".to_string()];
    for r in &measured {
        headers.push(format!("{} ns/read", r.pages));
        if counted {
            headers.push(format!("{} dTLB miss/read", r.pages));
        }
    }
    let mut grid = Grid::new(headers);
    for (i, point) in first.random_access.iter().enumerate() {
        let mut row = vec![human(point.working_set_bytes)];
        for r in &measured {
            let p = r.random_access.get(i);
            row.push(p.map_or("-".into(), |p| format!("{:.1}", p.ns_per_access)));
            if counted {
                row.push(p.and_then(|p| p.dtlb_misses_per_access).map_or("-".into(), |m| format!("{m:.3}")));
            }
        }
        grid.row(row);
    }
    let mut tables = Grid::new(["pages", "PageTables +KiB", "VmPTE +KiB", "minor faults"]);
    for r in records.iter().filter(|r| r.skipped.is_none()) {
        let kib = |v: Option<i64>| v.map_or("-".into(), |k| format!("{k:+}"));
        tables.row([
            r.pages.clone(),
            kib(r.page_tables_kib),
            kib(r.vm_pte_kib),
            r.minor_faults.map_or("-".into(), |f| f.to_string()),
        ]);
    }
    let mut text = format!(
        "Random 8-byte reads, each address depending on the read before (latency), {} reads per working set:\n{}\n\n\
         Page tables the touch added (PageTables: the machine, VmPTE: this process):\n{}\n\n",
        first.random_access[0].accesses,
        grid.render(width),
        tables.render(width)
    );
    text.push_str(&reading(&measured));
    if !counted && let Some(why) = measured.iter().find_map(|r| r.dtlb_unavailable.as_deref()) {
        text.push_str(&format!(" TLB misses were not counted: {why}."));
    }
    Some(text)
}

/// Where 2 MiB pages start to pay, from the smallest and the largest set.
fn reading(measured: &[&PageCompareRecord]) -> String {
    let kind = |name: &str| measured.iter().find(|r| r.pages == name);
    let (Some(small), Some(huge)) = (kind("4K"), kind("2M").or_else(|| kind("THP"))) else {
        return "Only one page kind could run, so there is nothing to compare: reserve huge pages \
                (--reserve-hugepages as root) for the 2 MiB row."
            .into();
    };
    let at = |r: &PageCompareRecord, i: usize| r.random_access.get(i).map(|p| p.ns_per_access);
    let last = small.random_access.len() - 1;
    let (Some(s0), Some(h0), Some(sn), Some(hn)) = (at(small, 0), at(huge, 0), at(small, last), at(huge, last)) else {
        return String::new();
    };
    let set = |i: usize| human(small.random_access[i].working_set_bytes);
    let huge_name = if huge.pages == "2M" { "2 MiB" } else { "transparent huge" };
    let tables = match (small.vm_pte_kib, huge.vm_pte_kib) {
        (Some(a), Some(b)) => format!(
            " Touching {} with 4 KiB pages gave this process {a} KiB more page tables (one 8-byte entry per page), \
             with {huge_name} pages {b} KiB.",
            human(small.size_bytes),
        ),
        _ => String::new(),
    };
    let small_set = if (s0 - h0).abs() <= 0.15 * h0 {
        "the TLB holds the translations of so small a set with either page size, so the page size hardly matters"
            .to_string()
    } else {
        format!("{:.2}× apart already, which is more than the TLB alone explains (caches, noise)", s0 / h0)
    };
    let large_set = if sn > 1.1 * hn {
        "with 4 KiB pages nearly every read misses the TLB and the CPU walks four levels of page tables (on a \
         virtual machine, the host's tables too); a 2 MiB page needs one TLB entry where 4 KiB pages need 512, so \
         the walks are fewer and shorter"
    } else {
        "no clear gain from huge pages here: the reads are dominated by cache misses, or this CPU's TLB reach or \
         page-walk caches hide the difference"
    };
    format!(
        "Over {}, a random read took {s0:.1} ns with 4 KiB pages and {h0:.1} ns with {huge_name} pages: \
         {small_set}. Over {}, {sn:.1} ns against {hn:.1} ns ({:.2}×): {large_set}.{tables}",
        set(0),
        set(last),
        sn / hn
    )
}

//! The random-read table of `memory --compare-pages --access random`: ns
//! per read for each working set and page kind, the page tables each kind
//! cost, and a reading that says where huge pages start to pay.

use crate::i18n::t;
use crate::model::PageCompareRecord;
use crate::report::grid::Grid;
use crate::size::human;
use crate::tr;

/// The tables and the reading, or `None` when no record has random reads.
pub fn text(records: &[PageCompareRecord], width: usize) -> Option<String> {
    let measured: Vec<&PageCompareRecord> = records.iter().filter(|r| !r.random_access.is_empty()).collect();
    let first = measured.first()?;
    let counted = measured.iter().any(|r| r.random_access.iter().any(|a| a.dtlb_misses_per_access.is_some()));
    let mut headers = vec![t("pages-col-working-set")];
    for r in &measured {
        headers.push(tr!("pages-col-ns-per-read", pages = r.pages));
        if counted {
            headers.push(tr!("pages-col-dtlb-per-read", pages = r.pages));
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
    let mut tables = Grid::new([
        t("pages-col-pages"),
        t("pages-col-page-tables"),
        t("pages-col-vm-pte"),
        t("pages-col-minor-faults"),
    ]);
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
        "{}\n{}\n\n{}\n{}\n\n",
        tr!("pages-random-title", reads = first.random_access[0].accesses),
        grid.render(width),
        t("pages-tables-title"),
        tables.render(width)
    );
    text.push_str(&reading(&measured));
    if !counted && let Some(why) = measured.iter().find_map(|r| r.dtlb_unavailable.as_deref()) {
        text.push_str(&t("sentence-gap"));
        text.push_str(&tr!("pages-tlb-not-counted", why = why));
    }
    Some(text)
}

/// Where 2 MiB pages start to pay, from the smallest and the largest set.
fn reading(measured: &[&PageCompareRecord]) -> String {
    let kind = |name: &str| measured.iter().find(|r| r.pages == name);
    let (Some(small), Some(huge)) = (kind("4K"), kind("2M").or_else(|| kind("THP"))) else {
        return t("pages-only-one-kind");
    };
    let at = |r: &PageCompareRecord, i: usize| r.random_access.get(i).map(|p| p.ns_per_access);
    let last = small.random_access.len() - 1;
    let (Some(s0), Some(h0), Some(sn), Some(hn)) = (at(small, 0), at(huge, 0), at(small, last), at(huge, last)) else {
        return String::new();
    };
    let set = |i: usize| human(small.random_access[i].working_set_bytes);
    let huge_name = t(if huge.pages == "2M" { "pages-kind-2m" } else { "pages-kind-thp" });
    let tables = match (small.vm_pte_kib, huge.vm_pte_kib) {
        (Some(a), Some(b)) => {
            t("sentence-gap")
                + &tr!("pages-random-tables", size = human(small.size_bytes), small = a, kind = huge_name, huge = b)
        }
        _ => String::new(),
    };
    let small_set = if (s0 - h0).abs() <= 0.15 * h0 {
        t("pages-small-same")
    } else {
        tr!("pages-small-apart", ratio = format!("{:.2}", s0 / h0))
    };
    let large_set = t(if sn > 1.1 * hn { "pages-large-gain" } else { "pages-large-none" });
    tr!(
        "pages-random-reading",
        small_set = set(0),
        small_ns = format!("{s0:.1}"),
        huge_ns = format!("{h0:.1}"),
        kind = huge_name,
        small_verdict = small_set,
        large_set = set(last),
        large_small_ns = format!("{sn:.1}"),
        large_huge_ns = format!("{hn:.1}"),
        ratio = format!("{:.2}", sn / hn),
        large_verdict = large_set
    ) + &tables
}

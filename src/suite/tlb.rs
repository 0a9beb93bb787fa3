//! The verdict on the article's claim that huge pages make address
//! translation cheaper: random reads over the largest working set of a
//! `compare-pages` run with `access: random`, 4 KiB pages against 2 MiB
//! pages (or THP when the 2 MiB row could not run), and the page tables
//! each cost.

use super::spec::Expectation;
use super::verdict::{skipped, verdict};
use crate::i18n::t;
use crate::model::{AnyRecord, PageCompareRecord, Verdict};
use crate::size::human;
use crate::tr;

/// Reproduced when a random read over the largest working set is at least
/// `min_ratio` times slower with 4 KiB pages and their page tables are larger.
pub fn huge_pages_read_faster(run: &str, e: &Expectation, records: &[AnyRecord], min_ratio: f64) -> Verdict {
    let pages: Vec<&PageCompareRecord> =
        records.iter().filter_map(|r| if let AnyRecord::ComparePages(x) = r { Some(x) } else { None }).collect();
    // A row counts only if its pages were the kind it says: none huge-backed
    // for 4K, some for 2M and THP (a THP row that got no huge page is 4K too).
    let really = |r: &PageCompareRecord| match r.huge_backed_kib {
        Some(kib) if r.pages == "4K" => kib == 0,
        Some(kib) => kib > 0,
        None => false,
    };
    let measured =
        |name: &str| pages.iter().copied().find(|r| r.pages == name && !r.random_access.is_empty() && really(r));
    let Some(small) = measured("4K") else {
        return verdict(run, e, "-".into(), false, t("verdict-tlb-no-4k"));
    };
    let Some(huge) = measured("2M").or_else(|| measured("THP")) else {
        let why = pages
            .iter()
            .filter(|r| r.pages != "4K")
            .map(|r| match r.skipped.as_deref() {
                Some(why) => format!("{}{}{why}", r.pages, t("label-colon")),
                None => tr!("verdict-tlb-not-backed", pages = r.pages),
            })
            .collect::<Vec<_>>()
            .join(&t("clause-gap"));
        return skipped(run, e, &tr!("verdict-tlb-no-huge-row", why = why));
    };
    let (Some(s), Some(h)) = (small.random_access.last(), huge.random_access.last()) else {
        return verdict(run, e, "-".into(), false, t("verdict-tlb-no-reads"));
    };
    let ratio = s.ns_per_access / h.ns_per_access;
    let tables = small.vm_pte_kib.zip(huge.vm_pte_kib);
    let misses = s.dtlb_misses_per_access.zip(h.dtlb_misses_per_access);
    let mut ours = tr!(
        "verdict-tlb-ours",
        size = human(s.working_set_bytes),
        small_ns = format!("{:.1}", s.ns_per_access),
        pages = huge.pages,
        huge_ns = format!("{:.1}", h.ns_per_access),
        ratio = format!("{ratio:.2}")
    );
    if let Some((a, b)) = misses {
        ours.push_str(&t("clause-gap"));
        ours.push_str(&tr!("verdict-tlb-misses", small = format!("{a:.3}"), huge = format!("{b:.3}")));
    }
    if let Some((a, b)) = tables {
        ours.push_str(&t("clause-gap"));
        ours.push_str(&tr!("verdict-tlb-tables", small = a, huge = b));
    }
    let ok = ratio >= min_ratio && tables.is_none_or(|(a, b)| a > b);
    let note = if ok {
        match &small.dtlb_unavailable {
            Some(why) => tr!("verdict-tlb-note-uncounted", why = why),
            None => t("verdict-tlb-note"),
        }
    } else {
        tr!("verdict-tlb-not-slower", ratio = min_ratio)
    };
    verdict(run, e, ours, ok, note)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RandomAccess, Status};
    use crate::suite::spec::Rule;

    fn row(pages: &str, ns: f64, pte: i64, skipped: Option<&str>) -> AnyRecord {
        AnyRecord::ComparePages(PageCompareRecord {
            pages: pages.into(),
            size_bytes: 1 << 30,
            touch_ms: Some(1.0),
            cold_touch_ms: None,
            touch_gib_per_s: None,
            minor_faults: None,
            teardown_ms: None,
            huge_backed_kib: match (pages, skipped) {
                (_, Some(_)) => None,
                ("4K", None) => Some(0),
                _ => Some(1 << 20),
            },
            skipped: skipped.map(Into::into),
            page_tables_kib: Some(pte),
            vm_pte_kib: Some(pte),
            random_access: if skipped.is_some() {
                Vec::new()
            } else {
                vec![RandomAccess {
                    working_set_bytes: 1 << 30,
                    accesses: 1000,
                    ns_per_access: ns,
                    dtlb_misses_per_access: None,
                }]
            },
            dtlb_unavailable: Some("no PMU".into()),
        })
    }

    fn judge(records: &[AnyRecord]) -> Verdict {
        let e = Expectation {
            claim: "c".into(),
            claim_zh: String::new(),
            article: "a".into(),
            article_zh: String::new(),
            rule: Rule::HugePagesReadFaster { min_ratio: 1.05 },
        };
        huge_pages_read_faster("r", &e, records, 1.05)
    }

    #[test]
    fn slower_4k_reads_and_bigger_page_tables_reproduce_the_claim() {
        let v = judge(&[row("4K", 200.0, 2052, None), row("2M", 160.0, 4, None)]);
        assert_eq!(v.status, Status::Reproduced, "{v:?}");
        assert!(v.ours.contains("1.25×") && v.note.contains("no PMU"), "{v:?}");
    }

    #[test]
    fn equal_reads_differ_and_thp_stands_in_for_a_missing_2m_row() {
        let v =
            judge(&[row("4K", 100.0, 2052, None), row("2M", 0.0, 0, Some("needs root")), row("THP", 99.0, 4, None)]);
        assert_eq!(v.status, Status::Differs, "{v:?}");
        assert!(v.ours.contains("THP"), "{v:?}");
    }

    #[test]
    fn a_thp_row_without_huge_pages_does_not_count() {
        let mut thp = row("THP", 50.0, 4, None);
        if let AnyRecord::ComparePages(r) = &mut thp {
            r.huge_backed_kib = Some(0);
        }
        let v = judge(&[row("4K", 100.0, 2052, None), row("2M", 0.0, 0, Some("needs root")), thp]);
        assert_eq!(v.status, Status::Skipped, "{v:?}");
        assert!(v.note.contains("THP: no huge page backed it"), "{v:?}");
    }

    #[test]
    fn no_huge_row_is_skipped_with_the_reasons() {
        let v = judge(&[
            row("4K", 100.0, 2052, None),
            row("2M", 0.0, 0, Some("needs root")),
            row("THP", 0.0, 0, Some("never")),
        ]);
        assert_eq!(v.status, Status::Skipped, "{v:?}");
        assert!(v.note.contains("needs root") && v.note.contains("never"), "{v:?}");
    }
}

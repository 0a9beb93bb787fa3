//! The per-CPU page lists of /proc/zoneinfo: free pages the allocator
//! keeps on each CPU's list for quick reuse. MemFree (`nr_free_pages`)
//! does not count them, and since Linux 6.7 ("mm: tune PCP high
//! automatically") the lists of all CPUs together may grow to about an
//! eighth of their zone (`high_max` = managed / 8 / CPUs, `zone_highsize`), so a
//! released segment can "hide" hundreds of MiB from MemFree for seconds
//! while `decay_pcp_high` hands them back. Reading them beside MemFree
//! explains MemFree's noise instead of guessing at it.

/// Pages on every per-CPU list of every zone now, KiB; `None` without
/// /proc/zoneinfo.
pub fn per_cpu_lists_kib() -> Option<i64> {
    let text = std::fs::read_to_string("/proc/zoneinfo").ok()?;
    Some(pages_on_lists(&text) * (crate::sys::process::page_size() / 1024) as i64)
}

/// The sum of the `count:` lines, which appear only in the `pagesets`
/// (one per CPU and zone).
fn pages_on_lists(zoneinfo: &str) -> i64 {
    zoneinfo
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("count:"))
        .filter_map(|v| v.trim().parse::<i64>().ok())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_cpus_list() {
        let text = "Node 0, zone    DMA32\n  pages free     100\n  pagesets\n    cpu: 0\n              count:    7\n              high:     64\n    cpu: 1\n              count:    3\nNode 0, zone   Normal\n  pagesets\n    cpu: 0\n              count:    53511\n";
        assert_eq!(pages_on_lists(text), 53521);
        assert!(per_cpu_lists_kib().is_some_and(|k| k >= 0));
    }
}

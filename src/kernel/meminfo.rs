//! /proc/meminfo snapshots, and the columns of `free` computed from them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Every field of /proc/meminfo (kB, or pages for HugePages_*).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meminfo(pub BTreeMap<String, i64>);

impl Meminfo {
    pub fn read() -> std::io::Result<Self> {
        Ok(Self::parse(&std::fs::read_to_string("/proc/meminfo")?))
    }

    pub fn parse(text: &str) -> Self {
        let mut map = BTreeMap::new();
        for line in text.lines() {
            if let Some((name, rest)) = line.split_once(':')
                && let Some(value) = rest.split_whitespace().next().and_then(|v| v.parse().ok())
            {
                map.insert(name.trim().to_string(), value);
            }
        }
        Self(map)
    }

    pub fn get(&self, key: &str) -> i64 {
        self.0.get(key).copied().unwrap_or(0)
    }

    /// The `Mem:` line of `free -k`, as procps-ng ≥ 4.0.1 computes it.
    pub fn free_columns(&self) -> FreeColumns {
        let total = self.get("MemTotal");
        let available = self.get("MemAvailable");
        let buff_cache = self.get("Buffers") + self.get("Cached") + self.get("SReclaimable");
        FreeColumns {
            total,
            used: total - available,
            free: self.get("MemFree"),
            shared: self.get("Shmem"),
            buff_cache,
            available,
            used_procps3: total - self.get("MemFree") - buff_cache,
        }
    }
}

/// The columns of `free`, in KiB. `used_procps3` is the `used` of procps
/// 3.3 (the article's): total − free − buffers − cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FreeColumns {
    pub total: i64,
    pub used: i64,
    pub free: i64,
    pub shared: i64,
    pub buff_cache: i64,
    pub available: i64,
    pub used_procps3: i64,
}

impl FreeColumns {
    pub fn minus(&self, earlier: &FreeColumns) -> FreeColumns {
        FreeColumns {
            total: self.total - earlier.total,
            used: self.used - earlier.used,
            free: self.free - earlier.free,
            shared: self.shared - earlier.shared,
            buff_cache: self.buff_cache - earlier.buff_cache,
            available: self.available - earlier.available,
            used_procps3: self.used_procps3 - earlier.used_procps3,
        }
    }
}

/// The /proc/meminfo fields the memory lab reports, in KiB (HugePages_*
/// in pages). Names are the kernel's, lower-cased.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct KernelCounters {
    pub shmem: i64,
    pub cached: i64,
    pub committed_as: i64,
    pub anon_huge_pages: i64,
    pub shmem_huge_pages: i64,
    pub shmem_pmd_mapped: i64,
    pub hugepages_total: i64,
    pub hugepages_free: i64,
    pub hugepages_rsvd: i64,
    pub hugepages_surp: i64,
    pub hugetlb: i64,
}

impl KernelCounters {
    pub fn from(m: &Meminfo) -> Self {
        Self {
            shmem: m.get("Shmem"),
            cached: m.get("Cached"),
            committed_as: m.get("Committed_AS"),
            anon_huge_pages: m.get("AnonHugePages"),
            shmem_huge_pages: m.get("ShmemHugePages"),
            shmem_pmd_mapped: m.get("ShmemPmdMapped"),
            hugepages_total: m.get("HugePages_Total"),
            hugepages_free: m.get("HugePages_Free"),
            hugepages_rsvd: m.get("HugePages_Rsvd"),
            hugepages_surp: m.get("HugePages_Surp"),
            hugetlb: m.get("Hugetlb"),
        }
    }

    pub fn minus(&self, e: &KernelCounters) -> KernelCounters {
        KernelCounters {
            shmem: self.shmem - e.shmem,
            cached: self.cached - e.cached,
            committed_as: self.committed_as - e.committed_as,
            anon_huge_pages: self.anon_huge_pages - e.anon_huge_pages,
            shmem_huge_pages: self.shmem_huge_pages - e.shmem_huge_pages,
            shmem_pmd_mapped: self.shmem_pmd_mapped - e.shmem_pmd_mapped,
            hugepages_total: self.hugepages_total - e.hugepages_total,
            hugepages_free: self.hugepages_free - e.hugepages_free,
            hugepages_rsvd: self.hugepages_rsvd - e.hugepages_rsvd,
            hugepages_surp: self.hugepages_surp - e.hugepages_surp,
            hugetlb: self.hugetlb - e.hugetlb,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "MemTotal:       16000000 kB\nMemFree:         2000000 kB\nMemAvailable:   10000000 kB\n\
                          Buffers:          100000 kB\nCached:          9000000 kB\nSReclaimable:     400000 kB\n\
                          Shmem:           2095104 kB\nHugePages_Free:      997\n";

    #[test]
    fn free_columns_follow_procps_4() {
        let f = Meminfo::parse(SAMPLE).free_columns();
        assert_eq!(f.used, 6_000_000, "used = total - available");
        assert_eq!(f.buff_cache, 9_500_000, "buff/cache = buffers + cached + sreclaimable");
        assert_eq!(f.shared, 2_095_104);
        assert_eq!(f.used_procps3, 16_000_000 - 2_000_000 - 9_500_000, "procps 3.3 used");
        assert_eq!(KernelCounters::from(&Meminfo::parse(SAMPLE)).hugepages_free, 997);
    }
}

//! This process's own view of its memory: /proc/self/smaps_rollup.

use serde::{Deserialize, Serialize};

/// This process's memory from smaps_rollup, in KiB: resident (Rss),
/// proportional (Pss, and its shmem part), dirty shared and private pages,
/// and hugetlb pages (which Rss does not count).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProcessView {
    pub rss: i64,
    pub pss: i64,
    pub pss_shmem: i64,
    pub shared_dirty: i64,
    pub private_dirty: i64,
    /// hugetlb pages mapped by this process: Shared_Hugetlb + Private_Hugetlb.
    pub hugetlb: i64,
}

impl ProcessView {
    pub fn read() -> Self {
        let text = std::fs::read_to_string("/proc/self/smaps_rollup").unwrap_or_default();
        let m = super::meminfo::Meminfo::parse(&text);
        Self {
            rss: m.get("Rss"),
            pss: m.get("Pss"),
            pss_shmem: m.get("Pss_Shmem"),
            shared_dirty: m.get("Shared_Dirty"),
            private_dirty: m.get("Private_Dirty"),
            hugetlb: m.get("Shared_Hugetlb") + m.get("Private_Hugetlb"),
        }
    }

    pub fn minus(&self, e: &ProcessView) -> ProcessView {
        ProcessView {
            rss: self.rss - e.rss,
            pss: self.pss - e.pss,
            pss_shmem: self.pss_shmem - e.pss_shmem,
            shared_dirty: self.shared_dirty - e.shared_dirty,
            private_dirty: self.private_dirty - e.private_dirty,
            hugetlb: self.hugetlb - e.hugetlb,
        }
    }
}

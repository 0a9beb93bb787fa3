//! The memory lab's records: where a segment shows up at each phase, what
//! raising the huge page pool did, and the page-size comparison.

use serde::{Deserialize, Serialize};

use crate::kernel::hugepages::Huge;
use crate::kernel::meminfo::{FreeColumns, KernelCounters};
use crate::kernel::smaps::ProcessView;
use crate::region::Backend;

/// The moments of a memory run at which the counters are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema, strum::IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Phase {
    /// Before the object exists.
    Before,
    /// Created and mapped, not yet written.
    Created,
    /// Every byte written once.
    Touched,
    /// Unmapped and removed.
    Released,
}

impl Phase {
    pub fn name(self) -> &'static str {
        self.into()
    }
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One moment of a run: deltas against "before" first, then the absolute
/// values (field order matters to readers who take the first match).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MemoryPhase {
    pub name: Phase,
    /// `free` columns, change since "before", KiB.
    pub free: FreeColumns,
    /// /proc/meminfo counters, change since "before" (KiB; HugePages_* in pages).
    pub counters: KernelCounters,
    /// This process's smaps_rollup, change since "before", KiB.
    pub process: ProcessView,
    /// The `free` columns as they were at this moment, KiB.
    pub absolute_free: FreeColumns,
    /// The counters as they were at this moment.
    pub absolute_counters: KernelCounters,
    /// The object's own resident pages, KiB: Rss plus Hugetlb of its
    /// mapping in this process (smaps), 0 before it exists and after it is
    /// gone. Unlike the machine-wide counters, no other process moves it.
    #[serde(default)]
    pub object_kib: i64,
    /// Free pages on the per-CPU page lists (/proc/zoneinfo `count:`), change
    /// since "before", KiB. MemFree does not count them: a MemFree move with
    /// the opposite move here is pages parked on those lists, not used.
    /// Absent in older files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_cpu_lists_kib: Option<i64>,
}

/// One backend of the memory lab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MemoryRecord {
    pub backend: Backend,
    /// `none`, `2M` or `1G`.
    pub huge: Huge,
    /// The size asked for, in bytes.
    pub size_bytes: u64,
    /// before, created, touched, released.
    pub phases: Vec<MemoryPhase>,
    pub create_ms: f64,
    /// Writing every byte once (first touch: page faults plus zeroing), ms.
    pub touch_ms: f64,
    pub touch_gib_per_s: f64,
    /// Minor page faults taken while touching.
    pub minor_faults: u64,
    /// The touch faulted each chunk in with MADV_POPULATE_WRITE before
    /// writing it (posix and mmap-file, whose file system can fill up): one
    /// system call per chunk instead of one trap per page, so its touch_ms
    /// is not comparable with the other backends'.
    #[serde(default)]
    pub prefaulted: bool,
    /// Unmapping and removing the object, ms.
    pub release_ms: f64,
    /// With --reserve-hugepages: how `free` moved when the pool was raised,
    /// before anything was created (KiB). Huge pages count as used from
    /// the moment they are in the pool.
    pub pool_reservation: Option<PoolReservation>,
}

/// What raising the huge page pool did, before the experiment proper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PoolReservation {
    /// Pages added to the pool of the run's huge page size.
    pub pages_added: i64,
    pub free: FreeColumns,
}

/// One page kind of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PageCompareRecord {
    /// `4K`, `2M` (hugetlb) or `THP`.
    pub pages: String,
    pub size_bytes: u64,
    /// First touch of every page, warm run (the second of two), ms.
    pub touch_ms: Option<f64>,
    /// The same in the first run, when the memory may be cold (see above).
    pub cold_touch_ms: Option<f64>,
    pub touch_gib_per_s: Option<f64>,
    pub minor_faults: Option<u64>,
    /// munmap of the touched mapping, ms.
    pub teardown_ms: Option<f64>,
    /// KiB of the mapping backed by huge pages after the touch (HugePages_Free drop,
    /// ShmemHugePages), to show the page kind really was used.
    pub huge_backed_kib: Option<i64>,
    /// Why the row could not run, if it did not.
    pub skipped: Option<String>,
    /// Page-table memory the touch added, KiB: `PageTables` of /proc/meminfo
    /// (the whole machine) and `VmPTE` of this process. Absent in files
    /// before this field existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_tables_kib: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vm_pte_kib: Option<i64>,
    /// With `--access random`: random dependent 8-byte reads over the
    /// touched mapping, one entry per working-set size.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub random_access: Vec<RandomAccess>,
    /// Why data-TLB misses were not counted, where they were not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dtlb_unavailable: Option<String>,
}

/// Random reads over the first `working_set_bytes` of a mapping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RandomAccess {
    pub working_set_bytes: u64,
    /// How many reads were timed.
    pub accesses: u64,
    /// Wall time per read, ns (each read's address depends on the one before,
    /// so this is latency, not throughput).
    pub ns_per_access: f64,
    /// Data-TLB load misses per read, where the machine can count them.
    pub dtlb_misses_per_access: Option<f64>,
}

//! `memory --compare-pages`: the same shared size with 4 KiB pages, 2 MiB
//! hugetlb pages and transparent huge pages (THP) on shmem, side by side:
//! first-touch time, page faults and teardown time. The article says huge
//! pages are cheaper; this measures by how much.
//!
//! With `--access random` each page kind also gets random reads over the
//! touched mapping (`random_access`): the cost of address translation, the
//! article's "huge pages make the TLB more effective", in ns per read and,
//! where the CPU lets us count them, data-TLB misses per read.
//!
//! THP for shared memory needs `/sys/kernel/mm/transparent_hugepage/shmem_enabled`
//! to allow it. As root, shmlab sets it to `advise` for the run (and puts
//! the old value back); otherwise that row is skipped with the reason.

use std::path::Path;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::params::Size;
use super::{Events, Lab};
use crate::error::{Error, Result, check_interrupt};
use crate::experiment::memory::{MemoryPlan, check_size, machine_can_hold, preflight, touch};
use crate::kernel::hugepages::{self, HugePageSize};
use crate::kernel::machine::Machine;
use crate::kernel::meminfo::{KernelCounters, Meminfo};
use crate::kernel::sysctl;
use crate::model::PageCompareRecord;
use crate::region::{Backend, Region, RegionRequest};
use crate::sys::process;
use crate::tuning::Override;

const SHMEM_THP: &str = "/sys/kernel/mm/transparent_hugepage/shmem_enabled";

/// The comparison's parameters, for `shmlab memory --compare-pages` and a
/// suite's `"compare-pages"` run.
#[derive(Debug, Clone, clap::Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Size of each mapping compared
    #[arg(long)]
    pub size: Size,

    /// As root, raise vm.nr_hugepages for the 2 MiB row, and restore it afterwards
    #[arg(long)]
    #[serde(default)]
    pub reserve_hugepages: bool,

    /// What is measured after the first touch: nothing more, or random reads
    #[serde(default)]
    pub access: Access,
}

/// What a comparison measures besides the first touch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    /// Only the first touch of every page (faults, zeroing, teardown).
    #[default]
    Touch,
    /// Then random dependent 8-byte reads over working sets up to the size (TLB and page walks).
    Random,
}

/// A validated comparison.
#[derive(Debug, Clone)]
pub struct ComparePlan {
    pub size: u64,
    pub reserve_hugepages: bool,
    pub access: Access,
}

/// The page-size comparison.
pub struct ComparePages;

impl Lab for ComparePages {
    const NAME: &'static str = "compare-pages";
    type Params = Params;
    type Plan = ComparePlan;
    type Record = PageCompareRecord;

    fn validate(p: &Params, machine: &Machine) -> Result<ComparePlan> {
        check_size("size", p.size.0, machine)?;
        machine_can_hold("size", p.size.0, machine)?;
        Ok(ComparePlan { size: p.size.0, reserve_hugepages: p.reserve_hugepages, access: p.access })
    }

    fn run(plan: &ComparePlan, events: &mut dyn Events) -> Result<Vec<PageCompareRecord>> {
        let (size, reserve, access) = (plan.size, plan.reserve_hugepages, plan.access);
        // The same checks as the memory lab (MemAvailable, the cgroup).
        preflight(&MemoryPlan {
            backends: vec![Backend::Mmap],
            size,
            huge: None,
            reserve_hugepages: reserve,
            hold: std::time::Duration::ZERO,
            force: false,
            xsi_key: Default::default(),
            let_kernel_refuse: false,
        })?;
        let mut out = vec![warm_then_measure("4K", size, None, false, access)?];
        check_interrupt()?;
        out.push(match prepare_hugetlb(size, reserve) {
            Ok(_reservation) => warm_then_measure("2M", size, Some(HugePageSize::M2), false, access)?,
            Err(why) => skipped("2M", size, why.message),
        });
        check_interrupt()?;
        out.push(match prepare_thp() {
            Ok(_guard) => warm_then_measure("THP", size, None, true, access)?,
            Err(why) => skipped("THP", size, why),
        });
        for record in &out {
            events.finished(&record.clone().into());
        }
        Ok(out)
    }
}

/// Runs a variant twice and reports the second run, keeping the first
/// run's touch time as `cold_touch_ms`: on a virtual machine the first touch
/// of memory the hypervisor has not backed yet costs far more, and which
/// variant happens to meet that memory first would decide the comparison.
/// Random reads, when asked for, run in the second (warm) run only.
fn warm_then_measure(
    pages: &str,
    size: u64,
    huge: Option<HugePageSize>,
    thp: bool,
    access: Access,
) -> Result<PageCompareRecord> {
    let cold = measure(pages, size, huge, thp, Access::Touch)?;
    check_interrupt()?;
    let mut warm = measure(pages, size, huge, thp, access)?;
    warm.cold_touch_ms = cold.touch_ms;
    Ok(warm)
}

fn skipped(pages: &str, size: u64, why: String) -> PageCompareRecord {
    PageCompareRecord {
        pages: pages.to_string(),
        size_bytes: size,
        touch_ms: None,
        cold_touch_ms: None,
        touch_gib_per_s: None,
        minor_faults: None,
        teardown_ms: None,
        huge_backed_kib: None,
        skipped: Some(why),
        page_tables_kib: None,
        vm_pte_kib: None,
        random_access: Vec::new(),
        dtlb_unavailable: None,
    }
}

/// What keeps the 2 MiB pool ours while the row runs.
enum PoolHold {
    #[allow(dead_code, reason = "held for its Drop")]
    Reserved(crate::tuning::Reservation),
    #[allow(dead_code, reason = "held for its lock")]
    Using(hugepages::PoolClaim),
}

fn prepare_hugetlb(size: u64, reserve: bool) -> Result<PoolHold> {
    let huge = HugePageSize::M2;
    let pages = huge.pages_for(size);
    if reserve {
        return crate::tuning::reserve(huge, pages).map(PoolHold::Reserved);
    }
    let claim = hugepages::claim(huge, false)?;
    let pool = hugepages::pool(huge)?;
    if pool.unreserved() < pages {
        return Err(Error::unavailable(crate::tr!("pages-need-free-huge", pages = pages, free = pool.unreserved())));
    }
    Ok(PoolHold::Using(claim))
}

/// Makes shmem THP possible for this run, or says why it is not.
fn prepare_thp() -> std::result::Result<Option<Override>, String> {
    let path = Path::new(SHMEM_THP);
    let text = sysctl::read(path).ok_or_else(|| crate::i18n::t("pages-no-shmem-thp"))?;
    match sysctl::selected(&text) {
        Some("always" | "within_size" | "advise" | "force") => Ok(None),
        _ if process::is_root() => Override::set(path, "advise").map(Some).map_err(|e| e.message),
        Some(other) => Err(crate::tr!("pages-thp-setting", path = SHMEM_THP, value = other)),
        None => Err(crate::tr!("pages-cannot-read", path = SHMEM_THP)),
    }
}

fn measure(pages: &str, size: u64, huge: Option<HugePageSize>, thp: bool, access: Access) -> Result<PageCompareRecord> {
    // A hugetlb mapping must be a whole number of huge pages (munmap of a
    // partial one fails and would leave the pages mapped).
    let mapped = huge.map_or(size, |h| h.round_up(size));
    let request = RegionRequest {
        size: mapped as usize,
        huge_page_bytes: huge.map(|h| h.bytes() as usize),
        xsi_key: Default::default(),
        backing: crate::region::Backing::UpFront,
    };
    let region = Region::create(Backend::Mmap, &request)?;
    if thp {
        region
            .mapping()
            .advise_huge_pages()
            .map_err(|e| Error::usage(crate::tr!("pages-madvise-failed", advice = "MADV_HUGEPAGE", error = e)))?;
    } else if huge.is_none() {
        // The 4 KiB row stays 4 KiB even where shmem THP is `always`.
        region
            .mapping()
            .refuse_huge_pages()
            .map_err(|e| Error::usage(crate::tr!("pages-madvise-failed", advice = "MADV_NOHUGEPAGE", error = e)))?;
    }
    let before = counters()?;
    let tables_before = page_tables();
    let faults = process::minor_faults();
    let started = Instant::now();
    touch(&region, size as usize)?;
    let secs = started.elapsed().as_secs_f64();
    let minor_faults = process::minor_faults() - faults;
    let after = counters()?.minus(&before);
    let tables_after = page_tables();
    let (random_access, dtlb_unavailable) = match access {
        Access::Random => {
            check_interrupt()?;
            let (points, why) = crate::experiment::random_access::sweep(region.mapping(), size);
            (points, why)
        }
        Access::Touch => (Vec::new(), None),
    };
    let started = Instant::now();
    drop(region);
    let teardown = started.elapsed().as_secs_f64();
    let gib = size as f64 / f64::from(1u32 << 30);
    Ok(PageCompareRecord {
        pages: pages.to_string(),
        size_bytes: size,
        touch_ms: Some(secs * 1e3),
        cold_touch_ms: None,
        touch_gib_per_s: Some(gib / secs),
        minor_faults: Some(minor_faults),
        teardown_ms: Some(teardown * 1e3),
        huge_backed_kib: Some(
            -after.hugepages_free * huge.map_or(0, |h| h.bytes() as i64 / 1024) + after.shmem_huge_pages,
        ),
        skipped: None,
        page_tables_kib: tables_after.0.zip(tables_before.0).map(|(a, b)| a - b),
        vm_pte_kib: tables_after.1.zip(tables_before.1).map(|(a, b)| a - b),
        random_access,
        dtlb_unavailable,
    })
}

/// `PageTables` of /proc/meminfo and `VmPTE` of /proc/self/status, KiB.
fn page_tables() -> (Option<i64>, Option<i64>) {
    let machine = Meminfo::read().ok().map(|m| m.get("PageTables"));
    (machine, crate::kernel::own_status::kib("VmPTE"))
}

fn counters() -> Result<KernelCounters> {
    Meminfo::read()
        .map(|m| KernelCounters::from(&m))
        .map_err(|e| Error::usage(crate::tr!("memory-cannot-read-meminfo", error = e)))
}

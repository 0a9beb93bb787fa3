//! The memory lab: create a large shared segment, touch every page, release
//! it, and read /proc/meminfo (and our own smaps_rollup) after each step.
//! Which counters move, and by how much, shows where shared memory lives:
//! in shmem/tmpfs (Shmem, Cached, `free`'s shared and buff/cache columns),
//! or, with huge pages, in the hugetlb pool, which `free` does not show.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::params::{
    Choice, Huge, Size, any, choice_parser, default_key_path, default_proj_id, huge_parser, seconds, xsi_key,
};
use super::{Events, Lab};
use crate::error::{Error, Kind, Param, Result, check_interrupt};
use crate::kernel::cgroup::MemoryCgroup;
use crate::kernel::hugepages::{self, HugePageSize};
use crate::kernel::machine::Machine;
use crate::kernel::meminfo::{KernelCounters, Meminfo};
use crate::kernel::smaps::ProcessView;
use crate::model::{MemoryPhase, MemoryRecord, Phase, PoolReservation};
use crate::region::{Backend, Region, RegionRequest, XsiKey};
use crate::size::human;
use crate::sys::{Errno, process, signals};

/// Bytes touched between two checks for Ctrl-C.
const TOUCH_CHUNK: usize = 64 << 20;

/// The article's size: 1023 huge pages of 2 MiB, 2046 MiB.
pub const DEFAULT_SIZE: &str = "2046MiB";

fn default_size() -> Size {
    Size(2046 << 20)
}

/// The memory lab's parameters, for `shmlab memory` and a suite's `"memory"` run.
#[derive(Debug, Clone, clap::Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Backend to allocate with (repeatable; `all`) [default: mmap]
    #[arg(long = "backend", value_name = "BACKEND", value_parser = choice_parser::<Backend>(any))]
    #[serde(default)]
    pub backends: Vec<Choice<Backend>>,

    /// Size of the segment: 2046MiB, 2GiB, 1G, or bytes (K/M/G are 1024-based)
    #[arg(long, default_value = DEFAULT_SIZE)]
    #[serde(default = "default_size")]
    pub size: Size,

    /// Page size: none (4 KiB), 2M or 1G huge pages
    #[arg(long, default_value = "none", value_parser = huge_parser())]
    #[serde(default)]
    pub huge: Huge,

    /// As root, raise vm.nr_hugepages to what the run needs, and restore it afterwards
    #[arg(long)]
    #[serde(default)]
    pub reserve_hugepages: bool,

    /// Seconds to keep the touched segment before releasing it (look at `free` meanwhile)
    #[arg(long, default_value_t = 0.0, value_name = "SECONDS")]
    #[serde(default)]
    pub hold: f64,

    /// Allow a size larger than MemAvailable (or the memory cgroup's room) minus a safety margin
    #[arg(long)]
    #[serde(default)]
    pub force: bool,

    /// Skip shmlab's own checks of the huge page pool and the SysV limits, so that the kernel refuses (EPERM, ENOMEM, EINVAL, ENOSPC) and its errno is shown
    #[arg(long, conflicts_with = "compare_pages")]
    #[serde(default)]
    pub let_kernel_refuse: bool,

    /// Compare 4 KiB pages, 2 MiB huge pages and transparent huge pages at this size
    #[arg(long)]
    #[serde(skip)]
    pub compare_pages: bool,

    /// With --compare-pages: `random` adds random reads over each mapping (TLB, page walks)
    #[arg(long, value_name = "WHAT", requires = "compare_pages")]
    #[serde(skip)]
    pub access: Option<super::compare_pages::Access>,

    /// File whose inode ftok turns into the xsi key
    #[arg(long, default_value = super::params::DEFAULT_KEY_PATH, value_name = "PATH")]
    #[serde(default = "default_key_path")]
    pub key_path: PathBuf,

    /// ftok project id for the xsi key (low 8 bits, not 0)
    #[arg(long, default_value_t = super::params::DEFAULT_PROJ_ID, value_name = "N")]
    #[serde(default = "default_proj_id")]
    pub proj_id: i32,
}

/// The memory lab.
pub struct Memory;

impl Lab for Memory {
    const NAME: &'static str = "memory";
    type Params = Params;
    type Plan = MemoryPlan;
    type Record = MemoryRecord;

    fn validate(p: &Params, machine: &Machine) -> Result<MemoryPlan> {
        let backends = Choice::expand(&p.backends, &Backend::ALL, &[Backend::Mmap]);
        check_size("size", p.size.0, machine)?;
        if p.huge.0.is_some() {
            Backend::refuse_huge_pages(&backends)?;
        }
        machine_can_hold("size", p.size.0, machine)?;
        let hold = seconds("hold", p.hold, true)?;
        let xsi_key =
            if backends.contains(&Backend::Xsi) { xsi_key(&p.key_path, p.proj_id)? } else { XsiKey::default() };
        Ok(MemoryPlan {
            backends,
            size: p.size.0,
            huge: p.huge.0,
            reserve_hugepages: p.reserve_hugepages,
            hold,
            force: p.force,
            xsi_key,
            let_kernel_refuse: p.let_kernel_refuse,
        })
    }

    fn run(plan: &MemoryPlan, events: &mut dyn Events) -> Result<Vec<MemoryRecord>> {
        run(plan, events)
    }
}

#[derive(Debug, Clone)]
pub struct MemoryPlan {
    pub backends: Vec<Backend>,
    pub size: u64,
    pub huge: Option<HugePageSize>,
    pub reserve_hugepages: bool,
    pub hold: Duration,
    pub force: bool,
    pub xsi_key: XsiKey,
    /// Leave the refusals to the kernel (no pool or limits check first).
    pub let_kernel_refuse: bool,
}

struct Snapshot {
    meminfo: Meminfo,
    process: ProcessView,
    object_kib: i64,
    per_cpu_lists_kib: Option<i64>,
}

/// The machine's counters, this process's, and (while `region` exists) the
/// object's own resident pages.
fn snapshot(region: Option<&Region>) -> Result<Snapshot> {
    let meminfo = Meminfo::read().map_err(|e| Error::usage(crate::tr!("memory-cannot-read-meminfo", error = e)))?;
    let object_kib = region.and_then(|r| crate::kernel::maps::find("self", r.mapping().address())).map_or(0, |m| {
        let get = |k: &str| m.smaps.get(k).copied().unwrap_or(0) as i64;
        get("Rss") + get("Shared_Hugetlb") + get("Private_Hugetlb")
    });
    let per_cpu_lists_kib = crate::kernel::zoneinfo::per_cpu_lists_kib();
    Ok(Snapshot { meminfo, process: ProcessView::read(), object_kib, per_cpu_lists_kib })
}

fn phase(name: Phase, now: &Snapshot, before: &Snapshot) -> MemoryPhase {
    let free = now.meminfo.free_columns();
    let counters = KernelCounters::from(&now.meminfo);
    MemoryPhase {
        name,
        free: free.minus(&before.meminfo.free_columns()),
        counters: counters.minus(&KernelCounters::from(&before.meminfo)),
        process: now.process.minus(&before.process),
        absolute_free: free,
        absolute_counters: counters,
        object_kib: now.object_kib,
        per_cpu_lists_kib: now.per_cpu_lists_kib.zip(before.per_cpu_lists_kib).map(|(a, b)| a - b),
    }
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1e3
}

/// Refuses a size that is no size at all (0), or one so far beyond this
/// machine (more than 16 times its memory and swap together) that it can
/// only be a typo: both are bad input, for the command line and in a suite
/// file alike. A size that only this machine is too small for is not bad
/// input (a suite is meant for other machines too): see
/// [`machine_can_hold`], judged when the run starts.
pub fn check_size(param: &'static str, size: u64, machine: &Machine) -> Result<()> {
    if size == 0 {
        return Err(Error::param(param, crate::tr!("memory-size-zero")));
    }
    let held = (machine.mem_total_kib + machine.swap_total_kib) * 1024;
    if held > 0 && size / 16 > held {
        return Err(Error::param(
            param,
            crate::tr!("memory-size-absurd", size = human(size), held = human(held), param = Param(param)),
        ));
    }
    Ok(())
}

/// Whether this machine could hold `size` at all (MemTotal + SwapTotal);
/// if not, the run cannot be done here (a suite skips it with the reason).
pub fn machine_can_hold(param: &'static str, size: u64, machine: &Machine) -> Result<()> {
    let (total, swap) = (machine.mem_total_kib * 1024, machine.swap_total_kib * 1024);
    if total > 0 && size > total.saturating_add(swap) {
        return Err(Error::unavailable(crate::tr!(
            "memory-size-beyond-machine",
            param = Param(param),
            size = human(size),
            total = human(total),
            swap = human(swap)
        )));
    }
    Ok(())
}

/// Refuses what the machine's state stops now (MemAvailable, the memory
/// cgroup, free huge pages, a full file system, the SysV limits), right
/// before anything is created.
pub fn preflight(plan: &MemoryPlan) -> Result<()> {
    let meminfo = Meminfo::read().map_err(|e| Error::usage(crate::tr!("memory-cannot-read-meminfo", error = e)))?;
    if let Some(huge) = plan.huge {
        hugepages::pool(huge)?; // the kernel must have this page size
    }
    let available = meminfo.get("MemAvailable").max(0) as u64 * 1024;
    let margin = (meminfo.get("MemTotal").max(0) as u64 * 1024 / 20).max(256 << 20);
    let needs_new_memory = match plan.huge {
        Some(huge) => {
            let pool = hugepages::pool(huge)?;
            huge.pages_for(plan.size).saturating_sub(pool.unreserved()).saturating_mul(huge.bytes())
        }
        None => plan.size,
    };
    if !plan.force && needs_new_memory.saturating_add(margin) > available {
        return Err(Error::usage(crate::tr!(
            "memory-not-available",
            size = human(plan.size),
            needed = human(needs_new_memory),
            available = human(available),
            margin = human(margin)
        )));
    }
    if !plan.force
        && let Some(cgroup) = MemoryCgroup::read_own()
        && let Some(refusal) = cgroup_refusal(plan, &cgroup)
    {
        return Err(refusal);
    }
    // posix and mmap-file objects are sparse files: touching past what their
    // file system can hold would end in SIGBUS, not in an error.
    for (backend, dir) in [
        (Backend::Posix, std::path::PathBuf::from(crate::sys::posix_shm::SHM_DIR)),
        (Backend::MmapFile, std::env::temp_dir()),
    ] {
        if plan.backends.contains(&backend)
            && let Ok((free, _)) = crate::sys::fs::space(&dir)
            && free < plan.size
        {
            return Err(Error::usage(crate::tr!(
                if backend == Backend::Posix { "memory-fs-too-small-posix" } else { "memory-fs-too-small-file" },
                backend = backend,
                dir = dir.display(),
                free = human(free),
                size = human(plan.size)
            )));
        }
    }
    if plan.let_kernel_refuse {
        return Ok(()); // the kernel's shmget or mmap decides, and its errno is shown
    }
    if plan.backends.iter().any(|b| matches!(b, Backend::Xsi | Backend::XsiPrivate)) {
        crate::experiment::limits::refuse_if_blocked(plan.size)?;
    }
    if plan.huge.is_some() && plan.backends.iter().any(|b| matches!(b, Backend::Xsi | Backend::XsiPrivate)) {
        let limits = crate::model::Limits::read();
        if !crate::experiment::limits::Caller::read(limits.hugetlb_shm_group).may_use_hugetlb {
            return Err(Error::unavailable(crate::tr!("memory-hugetlb-eperm", group = limits.hugetlb_shm_group)));
        }
    }
    if let Some(huge) = plan.huge
        && !plan.reserve_hugepages
    {
        let pool = hugepages::pool(huge)?;
        let pages = huge.pages_for(plan.size);
        if pool.unreserved() < pages {
            // No pool for it: this machine cannot run it until root raises the pool.
            return Err(Error::unavailable(crate::tr!(
                "memory-pool-short",
                size = human(plan.size),
                huge = huge.name(),
                pages = pages,
                free = pool.unreserved(),
                command = huge.pool_command(pool.nr.saturating_add(pages - pool.unreserved()))
            )));
        }
    }
    Ok(())
}

/// Spare room kept below a cgroup limit: the process itself (binary, heap,
/// page tables of the mapping) is charged to the same group.
fn cgroup_margin(limit: u64) -> u64 {
    (limit / 20).max(16 << 20)
}

/// Why the memory cgroup cannot take the run's memory, if it cannot.
///
/// Shared memory is charged to the cgroup of the process that first touches
/// it (shmlab itself, which touches every page) and stays charged while the
/// object exists. Past `memory.max`/`memory.limit_in_bytes` the kernel
/// OOM-kills the toucher (or, with swap, pushes the segment out to swap,
/// which is not the experiment either); past `memory.high` it throttles the
/// toucher to a crawl. The backends run one after another, each released
/// before the next, so the charge is one size, not one per backend.
///
/// Huge pages from the hugetlb pool are not charged to the memory
/// controller at all: the hugetlb controller has its own limits
/// (hugetlb.<size>.limit_in_bytes / .max), and the pool was set aside
/// before any cgroup asked. So `--huge` skips this check, except on a v2
/// hierarchy mounted with `memory_hugetlb_accounting` (Linux 6.6+), which
/// charges hugetlb pages to the memory controller too.
///
/// A limit too small for the size whatever else runs is `Unavailable` (a
/// suite skips the run: this cgroup can never run it); a limit that would
/// fit but is taken up by what is charged now is `Usage`.
fn cgroup_refusal(plan: &MemoryPlan, cgroup: &MemoryCgroup) -> Option<Error> {
    let charged = match plan.huge {
        None => plan.size,
        Some(huge) if cgroup.location.hugetlb_accounted() => huge.round_up(plan.size),
        Some(_) => return None,
    };
    let (limit, margin) = cgroup
        .limits
        .iter()
        .map(|l| (l, cgroup_margin(l.limit)))
        .filter(|(l, margin)| charged.saturating_add(*margin) > l.room())
        .min_by_key(|(l, margin)| l.room().saturating_sub(*margin))?;
    let consequence =
        crate::i18n::t(if limit.file == "memory.high" { "memory-cgroup-throttle" } else { "memory-cgroup-oom" });
    let message = crate::tr!(
        "memory-cgroup-refusal",
        size = human(plan.size),
        cgroup = limit.cgroup,
        version = cgroup.location.version.name(),
        file = limit.file,
        limit = human(limit.limit),
        charged = human(limit.usage.saturating_sub(limit.reclaimable)),
        usage_file = limit.usage_file,
        room = human(limit.room()),
        needed = human(charged),
        margin = human(margin),
        consequence = consequence,
        dir = limit.dir.display(),
    );
    Some(if charged.saturating_add(margin) > limit.limit { Error::unavailable(message) } else { Error::usage(message) })
}

/// Runs every backend in turn.
fn run(plan: &MemoryPlan, events: &mut dyn Events) -> Result<Vec<MemoryRecord>> {
    preflight(plan)?;
    // Held until the end of the run: the pool goes back to its old size
    // however the run ends.
    let before_pool = snapshot(None)?;
    let pages_before = plan.huge.map(|h| hugepages::pool(h).map(|p| p.nr)).transpose()?.unwrap_or(0);
    let reservation = match (plan.huge, plan.reserve_hugepages) {
        (Some(huge), true) => Some((huge, crate::tuning::reserve(huge, huge.pages_for(plan.size))?)),
        _ => None,
    };
    // Using pages without raising the pool: hold it shared, so that no
    // other shmlab run gives back (or takes) them meanwhile.
    let _using = match (plan.huge, plan.reserve_hugepages) {
        (Some(huge), false) => Some(hugepages::claim(huge, false)?),
        _ => None,
    };
    let pool_reservation = reservation.as_ref().map(|(huge, _)| -> Result<PoolReservation> {
        let after = snapshot(None)?;
        Ok(PoolReservation {
            pages_added: hugepages::pool(*huge)?.nr as i64 - pages_before as i64,
            free: after.meminfo.free_columns().minus(&before_pool.meminfo.free_columns()),
        })
    });
    let pool_reservation = pool_reservation.transpose()?;
    let mut records = Vec::new();
    for &backend in &plan.backends {
        check_interrupt()?;
        let mut record = measure(backend, plan, events)?;
        record.pool_reservation = pool_reservation.clone();
        events.finished(&record.clone().into());
        records.push(record);
    }
    Ok(records)
}

fn measure(backend: Backend, plan: &MemoryPlan, events: &mut dyn Events) -> Result<MemoryRecord> {
    let mapped = match plan.huge {
        Some(h) => h.round_up(plan.size),
        None => plan.size,
    };
    let request = RegionRequest {
        size: mapped as usize,
        huge_page_bytes: plan.huge.map(|h| h.bytes() as usize),
        xsi_key: plan.xsi_key.clone(),
        backing: crate::region::Backing::OnTouch,
    };
    let before = snapshot(None)?;
    let started = Instant::now();
    let region = Region::create(backend, &request)?;
    let create_ms = ms(started);
    let created = snapshot(Some(&region))?;

    let faults_before = process::minor_faults();
    let started = Instant::now();
    let prefaulted = touch(&region, plan.size as usize)?;
    let touch_secs = started.elapsed().as_secs_f64();
    let minor_faults = process::minor_faults() - faults_before;
    let touched = snapshot(Some(&region))?;

    if !plan.hold.is_zero() {
        events.note(&crate::tr!(
            "memory-holding",
            size = human(plan.size),
            backend = backend,
            seconds = format!("{:.0}", plan.hold.as_secs_f64())
        ));
        if let Some(sig) = signals::wait_for_stop(plan.hold) {
            return Err(Error::interrupted(sig.as_str()));
        }
    }

    let started = Instant::now();
    drop(region);
    let release_ms = ms(started);
    let released = snapshot(None)?;

    let phases = vec![
        phase(Phase::Before, &before, &before),
        phase(Phase::Created, &created, &before),
        phase(Phase::Touched, &touched, &before),
        phase(Phase::Released, &released, &before),
    ];
    let gib = plan.size as f64 / f64::from(1u32 << 30);
    Ok(MemoryRecord {
        backend,
        huge: Huge(plan.huge),
        size_bytes: plan.size,
        phases,
        create_ms,
        touch_ms: touch_secs * 1e3,
        touch_gib_per_s: if touch_secs > 0.0 { gib / touch_secs } else { 0.0 },
        minor_faults,
        prefaulted,
        release_ms,
        pool_reservation: None,
    })
}

/// Zero-fills the first `len` bytes, a chunk at a time, stopping on Ctrl-C.
///
/// A file-backed region whose blocks were not allocated up front (posix in
/// /dev/shm, mmap-file in TMPDIR) can run out of room half-way, and a write
/// there is a SIGBUS, not an error. So each of its chunks is first faulted
/// in with MADV_POPULATE_WRITE, which reports the same condition as an
/// errno; only then is it written.
///
/// Returns whether the chunks were faulted in that way.
pub fn touch(region: &Region, len: usize) -> Result<bool> {
    let mapping = region.mapping();
    let mut populate = region.backing_dir();
    let mut start = 0;
    while start < len {
        check_interrupt()?;
        let end = (start + TOUCH_CHUNK).min(len);
        if let Some(dir) = populate {
            match mapping.populate_write(start..end) {
                Ok(()) => {}
                // Before Linux 5.14: no way to ask; the free-space check in validate() has to do.
                Err(Errno::EINVAL) => populate = None,
                Err(errno) => return Err(touch_error(dir, start, len, errno)),
            }
        }
        mapping.fill(start..end, 0);
        start = end;
    }
    Ok(populate.is_some())
}

fn touch_error(dir: &std::path::Path, offset: usize, len: usize, errno: Errno) -> Error {
    let why = match errno {
        Errno::EFAULT | Errno::ENOSPC => crate::tr!("memory-touch-space", hint = crate::region::space_hint(dir)),
        Errno::ENOMEM => crate::i18n::t("memory-touch-oom"),
        _ => String::new(),
    };
    let error = Error::sys(
        "MADV_POPULATE_WRITE",
        &crate::tr!(
            "memory-touch-object",
            size = human(len as u64),
            dir = dir.display(),
            offset = human(offset as u64)
        ),
        errno,
        &why,
    );
    // Here EFAULT is the full file system a write would have died of (SIGBUS), not a bad address.
    if errno == Errno::EFAULT { error.with_kind(Kind::Usage) } else { error }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::cgroup::fixtures;

    fn plan(size: u64, huge: Option<HugePageSize>) -> MemoryPlan {
        MemoryPlan {
            backends: vec![Backend::XsiPrivate, Backend::Mmap],
            size,
            huge,
            reserve_hugepages: false,
            hold: Duration::ZERO,
            force: false,
            xsi_key: XsiKey::default(),
            let_kernel_refuse: false,
        }
    }

    #[test]
    fn a_size_past_the_cgroup_limit_is_refused_with_the_group_and_the_file() {
        let cg = fixtures::hybrid().cgroup().unwrap();
        let e = cgroup_refusal(&plan(1 << 30, None), &cg).expect("1 GiB in a 256 MiB group");
        assert_eq!(e.kind, Kind::Unavailable, "it can never fit: {}", e.message);
        for needle in [
            "/process_api/4defb3c4",
            "cgroup v1",
            "memory.limit_in_bytes is 256 MiB",
            "memory.usage_in_bytes",
            "first touches",
            "/sys/fs/cgroup/memory/process_api/4defb3c4",
        ] {
            assert!(e.message.contains(needle), "{needle:?} not in {}", e.message);
        }
        assert!(!e.message.contains('\n'));
        assert!(cgroup_refusal(&plan(32 << 20, None), &cg).is_none(), "32 MiB fits in 256 MiB");
        assert!(cgroup_refusal(&plan(1 << 30, Some(HugePageSize::M2)), &cg).is_none(), "hugetlb is not charged on v1");
    }

    #[test]
    fn a_limit_filled_by_others_is_a_usage_error() {
        // 4 GiB limit with 1 GiB charged: 3.5 GiB would fit an empty group.
        let cg = fixtures::v1().cgroup().unwrap();
        let e = cgroup_refusal(&plan(3584 << 20, None), &cg).unwrap();
        assert_eq!(e.kind, Kind::Usage, "{}", e.message);
        assert!(e.message.contains("raise memory.limit_in_bytes of /sys/fs/cgroup/memory/user.slice"), "{}", e.message);
    }

    #[test]
    fn memory_high_and_hugetlb_accounting_on_v2() {
        let cg = fixtures::container_v2().cgroup().unwrap();
        let e = cgroup_refusal(&plan(900 << 20, None), &cg).unwrap();
        assert!(e.message.contains("its memory.high is 768 MiB") && e.message.contains("crawl"), "{}", e.message);
        // memory_hugetlb_accounting: huge pages count against the group too.
        assert!(cgroup_refusal(&plan(900 << 20, Some(HugePageSize::M2)), &cg).is_some());
        let cg = fixtures::systemd_v2().cgroup().unwrap();
        assert!(cgroup_refusal(&plan(2 << 30, None), &cg).is_none(), "6 GiB of room in the user's slice");
        let e = cgroup_refusal(&plan(7 << 30, None), &cg).unwrap();
        assert!(e.message.contains("raise memory.max of /sys/fs/cgroup/user.slice/user-1000.slice"), "{}", e.message);
    }
}

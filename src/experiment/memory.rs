//! The memory lab: create a large shared segment, touch every page, release
//! it, and read /proc/meminfo (and our own smaps_rollup) after each step.
//! Which counters move, and by how much, shows where shared memory lives:
//! in shmem/tmpfs (Shmem, Cached, `free`'s shared and buff/cache columns),
//! or, with huge pages, in the hugetlb pool, which `free` does not show.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, check_interrupt};
use crate::kernel::cgroup::MemoryCgroup;
use crate::kernel::hugepages::{self, HugePageSize};
use crate::kernel::meminfo::{FreeColumns, KernelCounters, Meminfo};
use crate::kernel::smaps::ProcessView;
use crate::region::{Backend, Region, RegionRequest, XsiKey};
use crate::size::human;
use crate::sys::{Errno, process, signals};

/// Bytes touched between two checks for Ctrl-C.
const TOUCH_CHUNK: usize = 64 << 20;

#[derive(Debug, Clone)]
pub struct MemoryPlan {
    pub backends: Vec<Backend>,
    pub size: u64,
    pub huge: Option<HugePageSize>,
    pub reserve_hugepages: bool,
    pub hold: Duration,
    pub force: bool,
    pub xsi_key: XsiKey,
}

/// One moment of a run: deltas against "before" first, then the absolute
/// values (field order matters to readers who take the first match).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MemoryPhase {
    pub name: String,
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
}

/// One backend of the memory lab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MemoryRecord {
    pub backend: Backend,
    /// `none`, `2M` or `1G`.
    pub huge: String,
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

struct Snapshot {
    meminfo: Meminfo,
    process: ProcessView,
    object_kib: i64,
}

/// The machine's counters, this process's, and (while `region` exists) the
/// object's own resident pages.
fn snapshot(region: Option<&Region>) -> Result<Snapshot> {
    let meminfo = Meminfo::read().map_err(|e| Error::usage(format!("cannot read /proc/meminfo: {e}")))?;
    let object_kib = region.and_then(|r| crate::kernel::maps::find("self", r.mapping().address())).map_or(0, |m| {
        let get = |k: &str| m.smaps.get(k).copied().unwrap_or(0) as i64;
        get("Rss") + get("Shared_Hugetlb") + get("Private_Hugetlb")
    });
    Ok(Snapshot { meminfo, process: ProcessView::read(), object_kib })
}

fn phase(name: &str, now: &Snapshot, before: &Snapshot) -> MemoryPhase {
    let free = now.meminfo.free_columns();
    let counters = KernelCounters::from(&now.meminfo);
    MemoryPhase {
        name: name.to_string(),
        free: free.minus(&before.meminfo.free_columns()),
        counters: counters.minus(&KernelCounters::from(&before.meminfo)),
        process: now.process.minus(&before.process),
        absolute_free: free,
        absolute_counters: counters,
        object_kib: now.object_kib,
    }
}

fn ms(since: Instant) -> f64 {
    (since.elapsed().as_secs_f64() * 1e6).round() / 1e3
}

/// Refuses a size that is no size at all (0), or one so far beyond this
/// machine (more than 16 times its memory and swap together) that it can
/// only be a typo: both are bad input, for the command line and in a suite
/// file alike. A size that only this machine is too small for is not bad
/// input (a suite is meant for other machines too): see
/// [`machine_can_hold`], judged when the run starts.
pub fn check_size(name: &str, size: u64, meminfo: &Meminfo) -> std::result::Result<(), String> {
    if size == 0 {
        let example = if name.starts_with("--") { "--size 256MiB" } else { "\"size\": \"256MiB\"" };
        return Err(format!("{name} 0: a shared segment needs at least one byte; try {example}"));
    }
    let kib = |field: &str| meminfo.get(field).max(0) as u64 * 1024;
    let machine = kib("MemTotal").saturating_add(kib("SwapTotal"));
    if machine > 0 && size / 16 > machine {
        return Err(format!(
            "{name} {} is more than 16 times this machine's memory and swap (MemTotal + SwapTotal = {}), far more than could ever be available: surely not what you \
             meant; use a smaller {name}",
            human(size),
            human(machine)
        ));
    }
    Ok(())
}

/// Whether this machine could hold `size` at all (MemTotal + SwapTotal);
/// if not, the run cannot be done here (a suite skips it with the reason).
pub fn machine_can_hold(name: &str, size: u64, meminfo: &Meminfo) -> Result<()> {
    let kib = |field: &str| meminfo.get(field).max(0) as u64 * 1024;
    let (total, swap) = (kib("MemTotal"), kib("SwapTotal"));
    if total > 0 && size > total.saturating_add(swap) {
        return Err(Error::unavailable(format!(
            "{name} {} is more than this machine's memory and swap together (MemTotal {} + SwapTotal {}), so it \
             can never be available here; use a smaller {name}, or a machine with more memory",
            human(size),
            human(total),
            human(swap)
        )));
    }
    Ok(())
}

impl MemoryPlan {
    /// What can be judged from the plan and the machine's size alone, for
    /// both front ends; `size_name` as in [`check_size`].
    pub fn check(&self, meminfo: &Meminfo, size_name: &str) -> std::result::Result<(), String> {
        if self.backends.is_empty() {
            return Err("field `backends` is empty".into());
        }
        check_size(size_name, self.size, meminfo)?;
        if self.huge.is_some()
            && let Some(b) = self.backends.iter().find(|b| matches!(b, Backend::MmapFile | Backend::Posix))
        {
            return Err(format!(
                "backend {b} cannot use huge pages (its file is not on hugetlbfs); use mmap, xsi, xsi-private or memfd"
            ));
        }
        Ok(())
    }
}

/// Refuses what would fail or hurt, before anything is created.
pub fn validate(plan: &MemoryPlan) -> Result<()> {
    let meminfo = Meminfo::read().map_err(|e| Error::usage(format!("cannot read /proc/meminfo: {e}")))?;
    plan.check(&meminfo, "--size").map_err(Error::usage)?;
    machine_can_hold("--size", plan.size, &meminfo)?;
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
        return Err(Error::usage(format!(
            "--size {} needs {} of new memory but only {} is available (MemAvailable, keeping {} spare); \
             use a smaller --size, or --force if you really mean it",
            human(plan.size),
            human(needs_new_memory),
            human(available),
            human(margin)
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
    for (backend, dir) in
        [(Backend::Posix, std::path::PathBuf::from("/dev/shm")), (Backend::MmapFile, std::env::temp_dir())]
    {
        if plan.backends.contains(&backend)
            && let Ok((free, _)) = crate::sys::fs::space(&dir)
            && free < plan.size
        {
            return Err(Error::usage(format!(
                "--backend {backend}: {} has {} free, less than --size {}; use a smaller --size{}",
                dir.display(),
                human(free),
                human(plan.size),
                if backend == Backend::Posix {
                    " or remount /dev/shm larger"
                } else {
                    " or set TMPDIR to a larger file system"
                }
            )));
        }
    }
    if plan.backends.iter().any(|b| matches!(b, Backend::Xsi | Backend::XsiPrivate)) {
        crate::experiment::limits::refuse_if_blocked(plan.size)?;
    }
    if let Some(huge) = plan.huge
        && !plan.reserve_hugepages
    {
        let pool = hugepages::pool(huge)?;
        let pages = huge.pages_for(plan.size);
        if pool.unreserved() < pages {
            // No pool for it: this machine cannot run it until root raises the pool.
            return Err(Error::unavailable(format!(
                "{} with {} pages needs {pages} huge pages but {} are free and unreserved (the kernel would say ENOMEM); \
                 add --reserve-hugepages (as root) or run `{}`",
                human(plan.size),
                huge.name(),
                pool.unreserved(),
                huge.pool_command(pool.nr.saturating_add(pages - pool.unreserved()))
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
    let consequence = if limit.file == "memory.high" {
        "past memory.high the kernel throttles the toucher to a crawl"
    } else {
        "past the limit the kernel OOM-kills the toucher (exit 137)"
    };
    let message = format!(
        "--size {} does not fit in memory cgroup {} ({}): its {} is {} and {} is charged already ({}, less file cache the kernel can drop), \
         leaving {}, and shmlab needs {} plus {} spare; shared memory is charged to the cgroup of the process \
         that first touches it and stays charged while the object exists, and {consequence}; use a smaller \
         --size, or raise {} of {}, or run outside that cgroup (--force skips this check)",
        human(plan.size),
        limit.cgroup,
        cgroup.location.version.name(),
        limit.file,
        human(limit.limit),
        human(limit.usage.saturating_sub(limit.reclaimable)),
        limit.usage_file,
        human(limit.room()),
        human(charged),
        human(margin),
        limit.file,
        limit.dir.display(),
    );
    Some(if charged.saturating_add(margin) > limit.limit { Error::unavailable(message) } else { Error::usage(message) })
}

/// Runs every backend in turn; `on_record` sees each record when done.
pub fn run(plan: &MemoryPlan, mut on_record: impl FnMut(&MemoryRecord)) -> Result<Vec<MemoryRecord>> {
    validate(plan)?;
    // Held until the end of the run: the pool goes back to its old size
    // however the run ends.
    let before_pool = snapshot(None)?;
    let pages_before = plan.huge.map(|h| hugepages::pool(h).map(|p| p.nr)).transpose()?.unwrap_or(0);
    let reservation = match (plan.huge, plan.reserve_hugepages) {
        (Some(huge), true) => Some((huge, hugepages::reserve(huge, huge.pages_for(plan.size))?)),
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
        let mut record = measure(backend, plan)?;
        record.pool_reservation = pool_reservation.clone();
        on_record(&record);
        records.push(record);
    }
    Ok(records)
}

fn measure(backend: Backend, plan: &MemoryPlan) -> Result<MemoryRecord> {
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
        let _ = crate::output::stderr(&crate::output::line_for_stderr(&format!(
            "shmlab: holding {} of {backend} for {:.0} s: look at `free -m` or `grep -E 'Shmem|HugePages' /proc/meminfo` now (Ctrl-C ends it)",
            human(plan.size),
            plan.hold.as_secs_f64()
        )));
        if let Some(sig) = signals::wait_for_stop(plan.hold) {
            return Err(Error::interrupted(sig.as_str()));
        }
    }

    let started = Instant::now();
    drop(region);
    let release_ms = ms(started);
    let released = snapshot(None)?;

    let phases = vec![
        phase("before", &before, &before),
        phase("created", &created, &before),
        phase("touched", &touched, &before),
        phase("released", &released, &before),
    ];
    let gib = plan.size as f64 / f64::from(1u32 << 30);
    Ok(MemoryRecord {
        backend,
        huge: plan.huge.map_or("none", |h| h.name()).to_string(),
        size_bytes: plan.size,
        phases,
        create_ms,
        touch_ms: (touch_secs * 1e6).round() / 1e3,
        touch_gib_per_s: if touch_secs > 0.0 { (gib / touch_secs * 100.0).round() / 100.0 } else { 0.0 },
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
        Errno::EFAULT | Errno::ENOSPC => format!("{}, or use a smaller --size", crate::region::space_hint(dir)),
        Errno::ENOMEM => "the machine (or this cgroup) is out of memory; use a smaller --size".to_string(),
        _ => String::new(),
    };
    Error::sys(
        "MADV_POPULATE_WRITE",
        &format!("{} of a file in {}, at offset {}", human(len as u64), dir.display(), human(offset as u64)),
        errno,
        &why,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind;
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

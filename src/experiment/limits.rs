//! The limits that stop a shared-memory request, read from the kernel, and
//! a prediction of which one (if any) stops a given size, with the errno the
//! kernel will return. `--demo` (root) lowers each SysV limit for a moment,
//! makes the request for real to show the kernel's refusal, and restores it.
//!
//! The rules are those of ipc/shm.c `newseg()`: size < SHMMIN or > shmmax
//! → EINVAL; the segment's pages on top of all existing ones > shmall →
//! ENOSPC; no free id (shmmni) → ENOSPC. Huge pages: no pool pages → ENOMEM.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::kernel::hugepages::{self, HugePageSize, Pool};
use crate::kernel::sysctl::{self, Override};
use crate::kernel::sysvipc;
use crate::size::human;
use crate::sys::{Errno, process, xsi};

/// Everything `shmlab limits` shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Limits {
    /// kernel.shmmax: the largest segment, bytes.
    pub shmmax: u64,
    /// kernel.shmall: all segments together, in pages of `page_size`.
    pub shmall_pages: u64,
    /// shmall × page size, bytes (saturating).
    pub shmall_bytes: u64,
    pub page_size: u64,
    /// kernel.shmmni: how many segments may exist.
    pub shmmni: u64,
    /// Segments that exist now (/proc/sysvipc/shm).
    pub segments_now: u64,
    /// Pages those segments take against shmall.
    pub shm_pages_in_use: u64,
    /// vm.nr_hugepages (the default 2 MiB pool).
    pub nr_hugepages: u64,
    /// Every huge page pool.
    pub hugepage_pools: Vec<Pool>,
    /// vm.hugetlb_shm_group: the group allowed SHM_HUGETLB without CAP_IPC_LOCK.
    pub hugetlb_shm_group: u64,
    /// kernel.shm_rmid_forced: 1 = segments are removed when their last user exits.
    pub shm_rmid_forced: u64,
    /// /dev/shm (POSIX shared memory) size and use, bytes.
    pub dev_shm_size_bytes: u64,
    pub dev_shm_used_bytes: u64,
    /// RLIMIT_MEMLOCK soft and hard, bytes (null = unlimited).
    pub memlock_soft: Option<u64>,
    pub memlock_hard: Option<u64>,
    /// kernel.sem: SEMMSL, SEMMNS, SEMOPM, SEMMNI.
    pub sem_per_set: u64,
    pub sem_total: u64,
    pub sem_ops_per_call: u64,
    pub sem_sets_max: u64,
    /// Semaphore sets that exist now.
    pub sem_sets_now: u64,
}

fn knob(name: &str) -> u64 {
    sysctl::read_u64(&sysctl::proc_path(name)).unwrap_or(0)
}

impl Limits {
    pub fn read() -> Self {
        let page_size = process::page_size();
        let shm = sysvipc::segments();
        let pages_in_use: u64 = shm.iter().map(|s| s.size.div_ceil(page_size)).sum();
        let sem: Vec<u64> = sysctl::read(Path::new("/proc/sys/kernel/sem"))
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|v| v.parse().ok())
            .collect();
        let (dev_shm_free, dev_shm_size) = crate::sys::fs::space(Path::new("/dev/shm")).unwrap_or((0, 0));
        let (memlock_soft, memlock_hard) = process::memlock_limit();
        let shmall_pages = knob("kernel.shmall");
        Limits {
            shmmax: knob("kernel.shmmax"),
            shmall_pages,
            shmall_bytes: shmall_pages.saturating_mul(page_size),
            page_size,
            shmmni: knob("kernel.shmmni"),
            segments_now: shm.len() as u64,
            shm_pages_in_use: pages_in_use,
            nr_hugepages: knob("vm.nr_hugepages"),
            hugepage_pools: hugepages::pools(),
            hugetlb_shm_group: knob("vm.hugetlb_shm_group"),
            shm_rmid_forced: knob("kernel.shm_rmid_forced"),
            dev_shm_size_bytes: dev_shm_size,
            dev_shm_used_bytes: dev_shm_size.saturating_sub(dev_shm_free),
            memlock_soft,
            memlock_hard,
            sem_per_set: sem.first().copied().unwrap_or(0),
            sem_total: sem.get(1).copied().unwrap_or(0),
            sem_ops_per_call: sem.get(2).copied().unwrap_or(0),
            sem_sets_max: sem.get(3).copied().unwrap_or(0),
            sem_sets_now: sysvipc::semaphore_sets().len() as u64,
        }
    }
}

/// What `shmlab limits --json` writes as its one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LimitsRecord {
    pub limits: Limits,
    pub check: Option<Check>,
    pub demo: Vec<Demo>,
}

/// Whether a segment of a given size can be created now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Check {
    pub size_bytes: u64,
    pub huge: String,
    pub fits: bool,
    /// The limit that stops it (e.g. `kernel.shmmax`), if any.
    pub blocked_by: Option<String>,
    /// The errno shmget would return (EINVAL, ENOSPC, ENOMEM, EPERM).
    pub errno: Option<String>,
    pub explanation: String,
}

/// Predicts what `shmget(size [, SHM_HUGETLB])` would do now.
pub fn check(limits: &Limits, size: u64, huge: Option<HugePageSize>) -> Result<Check> {
    let rounded = huge.map_or(size, |h| h.round_up(size));
    let pages = rounded.div_ceil(limits.page_size);
    let blocked = |by: &str, errno: &str, why: String| Check {
        size_bytes: size,
        huge: huge.map_or("none", |h| h.name()).to_string(),
        fits: false,
        blocked_by: Some(by.to_string()),
        errno: Some(errno.to_string()),
        explanation: why,
    };
    if size == 0 {
        return Ok(blocked("SHMMIN", "EINVAL", "a segment must have at least 1 byte (SHMMIN)".into()));
    }
    if size > limits.shmmax {
        return Ok(blocked(
            "kernel.shmmax",
            "EINVAL",
            format!(
                "{} is over kernel.shmmax ({}); raise it with `sysctl kernel.shmmax={size}`",
                human(size),
                human(limits.shmmax)
            ),
        ));
    }
    if limits.shm_pages_in_use.saturating_add(pages) > limits.shmall_pages {
        return Ok(blocked(
            "kernel.shmall",
            "ENOSPC",
            format!(
                "{pages} pages on top of the {} in use exceed kernel.shmall ({} pages); raise it with `sysctl kernel.shmall={}`",
                limits.shm_pages_in_use,
                limits.shmall_pages,
                limits.shm_pages_in_use.saturating_add(pages)
            ),
        ));
    }
    if limits.segments_now >= limits.shmmni {
        return Ok(blocked(
            "kernel.shmmni",
            "ENOSPC",
            format!(
                "{} segments exist and kernel.shmmni is {}; remove some (ipcs -m) or raise it",
                limits.segments_now, limits.shmmni
            ),
        ));
    }
    if let Some(h) = huge {
        let pool = hugepages::pool(h)?;
        let need = h.pages_for(size);
        if !process::is_root() && limits.hugetlb_shm_group != u64::from(process::effective_gid()) {
            return Ok(blocked(
                "vm.hugetlb_shm_group",
                "EPERM",
                "SHM_HUGETLB needs CAP_IPC_LOCK or membership of vm.hugetlb_shm_group; run as root or `sysctl vm.hugetlb_shm_group=$(id -g)`".into(),
            ));
        }
        if pool.unreserved() < need {
            return Ok(blocked(
                "vm.nr_hugepages",
                "ENOMEM",
                format!(
                    "needs {need} huge pages of {}, {} are free and unreserved; `{}` or --reserve-hugepages",
                    h.name(),
                    pool.unreserved(),
                    h.pool_command(pool.nr.saturating_add(need - pool.unreserved()))
                ),
            ));
        }
    }
    if huge.is_none()
        && let Some(why) = memory_refusal(size)
    {
        return Ok(blocked("vm.overcommit_memory", "ENOMEM", why));
    }
    Ok(Check {
        size_bytes: size,
        huge: huge.map_or("none", |h| h.name()).to_string(),
        fits: true,
        blocked_by: None,
        errno: None,
        explanation: format!(
            "under kernel.shmmax, {pages} page{} in kernel.shmall, {} of {} segment ids are free, and {}",
            if pages == 1 { " fits" } else { "s fit" },
            limits.shmmni - limits.segments_now,
            limits.shmmni,
            if huge.is_some() {
                "enough huge pages are free in the pool"
            } else {
                "the memory accounting (vm.overcommit_memory) allows it"
            }
        ),
    })
}

/// Whether the kernel's memory accounting refuses a shmem object of `size`
/// (shmem_acct_size → __vm_enough_memory): with vm.overcommit_memory 0 a
/// single request larger than RAM + swap fails; with 2, anything past
/// CommitLimit − Committed_AS; with 1, nothing.
fn memory_refusal(size: u64) -> Option<String> {
    let m = crate::kernel::meminfo::Meminfo::read().ok()?;
    let kib = |k: &str| m.get(k).max(0) as u64 * 1024;
    match sysctl::read_u64(&sysctl::proc_path("vm.overcommit_memory")).unwrap_or(0) {
        0 if size > kib("MemTotal") + kib("SwapTotal") => Some(format!(
            "{} is more than RAM + swap ({}); with vm.overcommit_memory=0 the kernel refuses such a request outright",
            human(size),
            human(kib("MemTotal") + kib("SwapTotal"))
        )),
        2 if size > kib("CommitLimit").saturating_sub(kib("Committed_AS")) => Some(format!(
            "{} is more than CommitLimit − Committed_AS ({}) under strict accounting (vm.overcommit_memory=2)",
            human(size),
            human(kib("CommitLimit").saturating_sub(kib("Committed_AS")))
        )),
        _ => None,
    }
}

/// For the memory lab: refuse (exit 2) a size that a SysV limit stops.
pub fn refuse_if_blocked(size: u64) -> Result<()> {
    let verdict = check(&Limits::read(), size, None)?;
    match verdict.blocked_by {
        Some(by) if by.starts_with("kernel.") || by == "SHMMIN" => Err(Error::usage(format!(
            "--size {}: shmget would fail with {} because of {by}: {}",
            human(size),
            verdict.errno.unwrap_or_default(),
            verdict.explanation
        ))),
        _ => Ok(()),
    }
}

/// One real refusal by the kernel, with a limit lowered for the moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Demo {
    pub limit: String,
    pub was: String,
    pub lowered_to: String,
    pub request_bytes: u64,
    pub expected_errno: String,
    /// What shmget really returned (`ok` if it succeeded).
    pub kernel_said: String,
    pub restored: bool,
}

/// Lowers shmmax, shmall and shmmni in turn (root only) and asks for a
/// segment each time. Every change is undone before the next.
pub fn demo(limits: &Limits) -> Result<Vec<Demo>> {
    if !process::is_root() {
        return Err(Error::unavailable("--demo changes kernel.shm* for a moment and needs root; run it as root"));
    }
    let cases = [
        ("kernel.shmmax", (1u64 << 20).to_string(), 2u64 << 20, "EINVAL"),
        ("kernel.shmall", (limits.shm_pages_in_use + 1).to_string(), 2 * limits.page_size, "ENOSPC"),
        ("kernel.shmmni", limits.segments_now.to_string(), limits.page_size, "ENOSPC"),
    ];
    let mut out = Vec::new();
    for (name, lowered, request, expected) in cases {
        crate::error::check_interrupt()?;
        let path = sysctl::proc_path(name);
        let guard = Override::set(&path, &lowered)?;
        let was = guard.old().to_string();
        let said = match xsi::create(xsi::IPC_PRIVATE, request as usize, xsi::CreateFlags::default()) {
            Ok(id) => {
                let _ = xsi::remove(id);
                "ok".to_string()
            }
            Err(e) => errno_name(e),
        };
        drop(guard);
        let restored = sysctl::read(&path).as_deref() == Some(was.as_str());
        out.push(Demo {
            limit: name.to_string(),
            was,
            lowered_to: lowered,
            request_bytes: request,
            expected_errno: expected.to_string(),
            kernel_said: said,
            restored,
        });
    }
    Ok(out)
}

fn errno_name(e: Errno) -> String {
    format!("{e:?}")
}

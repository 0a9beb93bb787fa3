//! The limits that stop a shared-memory request, read from the kernel, and
//! a prediction of what one `shmget` call would return now: which limit
//! stops it, with which errno, and what would change it. `--try` then makes
//! that very call, so every prediction can be checked against the kernel;
//! `--demo` causes the kernel's refusals for real (`refusals`, for anyone)
//! and, as root, lowers each SysV limit for a moment to show its errno.
//!
//! The errno alone does not say which limit refused (ENOSPC is shmall or
//! shmmni, EINVAL is SHMMIN, shmmax, the largest file or a too small
//! existing segment), so the prediction follows the kernel's own order
//! (checked on kernel 6.18):
//!
//! ipc/util.c `ipcget`: IPC_PRIVATE always makes a new segment, IPC_CREAT
//! or not. A key is looked up first (`ipcget_public`): absent without
//! IPC_CREAT → ENOENT; present with IPC_CREAT|IPC_EXCL → EEXIST; present but
//! smaller than the size asked → EINVAL (ipc/shm.c `shm_more_checks`, which
//! runs before the permission check); present but the mode bits asked are
//! not granted and no CAP_IPC_OWNER (`ipcperms`) → EACCES; else its id.
//!
//! ipc/shm.c `newseg` for a new segment: size < SHMMIN (1) or > shmmax →
//! EINVAL; the size rounded up to base pages overflows → ENOSPC; those base
//! pages (never huge pages) on top of all segments' > shmall → ENOSPC. Then
//! the file behind the segment. With SHM_HUGETLB: a page size the kernel
//! lacks → EINVAL; fs/hugetlbfs/inode.c `hugetlb_file_setup`: neither
//! CAP_IPC_LOCK (initial user namespace) nor vm.hugetlb_shm_group → EPERM,
//! whatever RLIMIT_MEMLOCK says (since 5.16; before, a large enough memlock
//! ulimit let a user in, with a warning); mm/hugetlb.c `hugetlb_reserve_pages`: the
//! pool cannot reserve the pages → ENOMEM. Without it, mm/shmem.c
//! `__shmem_file_setup`: size ≥ 2^63 (negative as loff_t, above
//! MAX_LFS_FILESIZE) → EINVAL; the memory accounting (mm/util.c
//! `__vm_enough_memory`) refuses → ENOMEM. Only then `ipc_addid`: all
//! shmmni ids in use → ENOSPC. So a full id table hides behind every
//! refusal of the file.
//!
//! Not modelled, because nothing in /proc says enough: security modules
//! (SELinux, AppArmor), hugetlb cgroup reservation limits, and whether the
//! kernel finds memory for surplus huge pages or for strict accounting's
//! last few pages. `--try` shows what the kernel says there.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::params::{Huge, Size, huge_parser};
use super::{Events, Lab};
use crate::error::Param;
use crate::kernel::machine::Machine;

use crate::error::{Error, Result};
use crate::kernel::credentials::{self, Credentials};
use crate::kernel::hugepages::{self, HugePageSize, Pool};
use crate::kernel::sysctl;
use crate::kernel::sysvipc::{self, ShmRow};
use crate::model::{Check, Demo, Limits, LimitsRecord, Request};
use crate::registry::{self, Entry};
use crate::size::human;
use crate::sys::{Errno, process, xsi};
use crate::tuning::Override;

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
        let (dev_shm_free, dev_shm_size) =
            crate::sys::fs::space(Path::new(crate::sys::posix_shm::SHM_DIR)).unwrap_or((0, 0));
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

/// Who asks, as the kernel's checks see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub euid: u32,
    /// Effective and supplementary groups (for a segment's group bits).
    pub groups: Vec<u32>,
    /// CAP_IPC_OWNER where our IPC namespace belongs: `ipcperms` grants all.
    pub ipc_owner: bool,
    /// `capable(CAP_IPC_LOCK)` or a group of ours is vm.hugetlb_shm_group.
    pub may_use_hugetlb: bool,
    /// `capable(CAP_SYS_ADMIN)`: strict accounting leaves it the admin reserve.
    pub sys_admin: bool,
    /// Root inside a user namespace: uid 0, but not capable() (for the words).
    pub namespaced_root: bool,
}

impl Caller {
    pub fn read(hugetlb_shm_group: u64) -> Self {
        let c = Credentials::read();
        let group_ok = c.groups_outside().iter().any(|&g| u64::from(g) == hugetlb_shm_group);
        Caller {
            euid: c.euid,
            groups: c.groups.clone(),
            ipc_owner: c.ipc_capable(credentials::CAP_IPC_OWNER),
            may_use_hugetlb: c.capable(credentials::CAP_IPC_LOCK) || group_ok,
            sys_admin: c.capable(credentials::CAP_SYS_ADMIN),
            namespaced_root: c.euid == 0 && !c.initial_user_ns,
        }
    }
}

/// The memory accounting's numbers (mm/util.c `__vm_enough_memory`), bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Memory {
    /// vm.overcommit_memory: 0 heuristic, 1 always, 2 strict.
    pub overcommit_memory: u64,
    /// MemTotal + SwapTotal (totalram_pages + total_swap_pages).
    pub ram_and_swap: u64,
    /// For strict accounting: CommitLimit, Committed_AS,
    /// vm.admin_reserve_kbytes, vm.user_reserve_kbytes and our own VmSize.
    pub commit_limit: u64,
    pub committed: u64,
    pub admin_reserve: u64,
    pub user_reserve: u64,
    pub own_vm: u64,
}

impl Memory {
    pub fn read() -> Self {
        let m = crate::kernel::meminfo::Meminfo::read().unwrap_or_else(|_| crate::kernel::meminfo::Meminfo::parse(""));
        let kib = |k: &str| m.get(k).max(0) as u64 * 1024;
        let own_vm = crate::kernel::own_status::kib("VmSize").unwrap_or(0).max(0) as u64 * 1024;
        Memory {
            overcommit_memory: knob("vm.overcommit_memory"),
            ram_and_swap: kib("MemTotal") + kib("SwapTotal"),
            commit_limit: kib("CommitLimit"),
            committed: kib("Committed_AS"),
            admin_reserve: knob("vm.admin_reserve_kbytes") * 1024,
            user_reserve: knob("vm.user_reserve_kbytes") * 1024,
            own_vm,
        }
    }

    /// Why the accounting refuses `pages` base pages of `page_size`, if it does.
    fn refusal(&self, pages: u64, page_size: u64) -> Option<String> {
        let size = pages.saturating_mul(page_size);
        match self.overcommit_memory {
            // One request larger than all of RAM and swap.
            0 if pages > self.ram_and_swap / page_size => {
                Some(crate::tr!("limits-overcommit-heuristic", size = exact(size), total = human(self.ram_and_swap)))
            }
            2 => {
                // Committed_AS + pages must stay below CommitLimit, minus the
                // admin reserve (unless CAP_SYS_ADMIN) and a user reserve.
                let mut allowed = self.commit_limit as i128;
                allowed -= self.admin_reserve as i128;
                allowed -= (self.own_vm / 32).min(self.user_reserve) as i128;
                let room = allowed - self.committed as i128;
                (size as i128 >= room).then(|| {
                    crate::tr!("limits-overcommit-strict", size = exact(size), room = human(room.max(0) as u64))
                })
            }
            _ => None,
        }
    }
}

/// The pool of the requested huge page size, if the kernel has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolNow {
    pub pool: Pool,
    /// vm.nr_overcommit_hugepages for this pool: surplus pages allowed.
    pub overcommit: u64,
}

/// Everything besides the limits that the prediction reads, at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The segments of this IPC namespace (/proc/sysvipc/shm).
    pub segments: Vec<ShmRow>,
    pub caller: Caller,
    /// With huge pages: the pool of that size, `None` if the kernel has none.
    pub pool: Option<PoolNow>,
    pub memory: Memory,
}

impl Facts {
    pub fn read(limits: &Limits, huge: Option<HugePageSize>) -> Self {
        Facts {
            segments: sysvipc::segments(),
            caller: Caller::read(limits.hugetlb_shm_group),
            pool: huge.and_then(|h| {
                hugepages::pool(h).ok().map(|pool| PoolNow { pool, overcommit: hugepages::overcommit(h) })
            }),
            memory: Memory::read(),
        }
    }
}

/// A size for a sentence, exact: `1 MiB`, or `1048577 bytes` where the
/// short form would round (limits are about the last byte).
fn exact(n: u64) -> String {
    let short = human(n);
    if crate::size::parse(&short) == Ok(n) { short } else { crate::tr!("limits-bytes", n = n) }
}

/// `read and write` for the rwx bits 0..7.
fn access_words(bits: u32) -> String {
    let words: Vec<String> = [(4, "limits-access-read"), (2, "limits-access-write"), (1, "limits-access-execute")]
        .iter()
        .filter(|(b, _)| bits & b != 0)
        .map(|(_, w)| crate::i18n::t(w))
        .collect();
    if words.is_empty() {
        crate::i18n::t("limits-access-nothing")
    } else {
        words.join(&crate::i18n::t("limits-access-and"))
    }
}

/// Predicts what `shmget(IPC_PRIVATE, size, IPC_CREAT [| SHM_HUGETLB] | 0600)`
/// would do now: the plain request of the memory lab and of suites.
pub fn check(limits: &Limits, size: u64, huge: Option<HugePageSize>) -> Check {
    predict(limits, &Request::new_private(size, huge))
}

/// Predicts what `request` would do now, reading the machine's state.
pub fn predict(limits: &Limits, request: &Request) -> Check {
    decide(limits, request, &Facts::read(limits, request.huge))
}

enum Outcome {
    Fits(String),
    Blocked { by: &'static str, errno: &'static str, why: String },
}

fn blocked(by: &'static str, errno: &'static str, why: String) -> Outcome {
    Outcome::Blocked { by, errno, why }
}

/// The prediction itself: the kernel's rules in the kernel's order (see the
/// module documentation), applied to what was read.
pub fn decide(limits: &Limits, request: &Request, facts: &Facts) -> Check {
    let outcome = if request.key == xsi::IPC_PRIVATE {
        new_segment(limits, request, facts)
    } else if let Some(segment) = facts.segments.iter().find(|s| s.key == request.key) {
        existing_segment(request, segment, &facts.caller)
    } else if !request.create {
        blocked("missing IPC_CREAT", "ENOENT", crate::tr!("limits-enoent", key = request.key_words()))
    } else {
        new_segment(limits, request, facts)
    };
    let (fits, blocked_by, errno, explanation) = match outcome {
        Outcome::Fits(why) => (true, None, None, why),
        Outcome::Blocked { by, errno, why } => (false, Some(by.to_string()), Some(errno.to_string()), why),
    };
    Check {
        size_bytes: request.size,
        huge: Huge(request.huge),
        fits,
        blocked_by,
        errno,
        explanation,
        key: request.key_label(),
        flags: Some(request.flags().describe()),
        kernel_said: None,
        agrees: None,
        kernel_shmid: None,
        created: None,
    }
}

/// ipc/util.c `ipcget_public` when the key has a segment.
fn existing_segment(request: &Request, s: &ShmRow, caller: &Caller) -> Outcome {
    let what = crate::tr!(
        "limits-what-segment",
        shmid = s.shmid,
        size = exact(s.size),
        mode = format!("{:04o}", s.perms & 0o777),
        uid = s.uid
    );
    if request.create && request.exclusive {
        return blocked(
            "IPC_EXCL",
            "EEXIST",
            crate::tr!("limits-eexist", key = request.key_words(), what = what, shmid = s.shmid),
        );
    }
    // ipc/shm.c shm_more_checks: runs before the permission check.
    if s.size < request.size {
        return blocked(
            "segment size",
            "EINVAL",
            crate::tr!(
                "limits-einval-smaller",
                key = request.key_words(),
                what = what,
                size = exact(request.size),
                max = s.size,
                shmid = s.shmid
            ),
        );
    }
    // ipc/util.c ipcperms: the owner (or creator) class, else the group
    // class, else others; each rwx bit asked must be granted.
    let asked = ((request.mode >> 6) | (request.mode >> 3) | request.mode) & 0o7;
    let in_group = caller.groups.contains(&s.cgid) || caller.groups.contains(&s.gid);
    let (class, granted) = if caller.euid == s.cuid || caller.euid == s.uid {
        ("limits-class-owner", s.perms >> 6)
    } else if in_group {
        ("limits-class-group", s.perms >> 3)
    } else {
        ("limits-class-other", s.perms)
    };
    if asked & !granted & 0o7 != 0 && !caller.ipc_owner {
        return blocked(
            "segment mode",
            "EACCES",
            crate::tr!(
                "limits-eacces",
                key = request.key_words(),
                what = what,
                uid = caller.euid,
                class = crate::i18n::t(class),
                granted = access_words(granted & 0o7),
                mode = format!("{:04o}", request.mode),
                asked = access_words(asked),
                who = if s.uid == 0 {
                    crate::i18n::t("limits-who-root")
                } else {
                    crate::tr!("limits-who-uid", uid = s.uid)
                }
            ),
        );
    }
    Outcome::Fits(crate::tr!(
        if request.huge.is_some() { "limits-fits-existing-huge" } else { "limits-fits-existing" },
        key = request.key_words(),
        what = what
    ))
}

/// ipc/shm.c `newseg` and the file behind the segment.
fn new_segment(limits: &Limits, request: &Request, facts: &Facts) -> Outcome {
    let size = request.size;
    let page = limits.page_size.max(1);
    let mut notes: Vec<String> = Vec::new();
    if request.key == xsi::IPC_PRIVATE && !request.create {
        notes.push(crate::i18n::t("limits-note-private-create"));
    }
    if request.key == xsi::IPC_PRIVATE && request.exclusive {
        notes.push(crate::i18n::t("limits-note-private-excl"));
    }
    if size == 0 {
        return blocked("SHMMIN", "EINVAL", crate::i18n::t("limits-shmmin"));
    }
    if size > limits.shmmax {
        return blocked(
            "kernel.shmmax",
            "EINVAL",
            crate::tr!("limits-shmmax", size = exact(size), shmmax = exact(limits.shmmax), bytes = size),
        );
    }
    // numpages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT wraps near 2^64.
    let Some(pages) = size.checked_add(page - 1).map(|s| s / page) else {
        return blocked("numpages", "ENOSPC", crate::tr!("limits-numpages", bytes = size, page = human(page)));
    };
    let total = limits.shm_pages_in_use.checked_add(pages);
    if total.is_none_or(|t| t > limits.shmall_pages) {
        return blocked(
            "kernel.shmall",
            "ENOSPC",
            crate::tr!(
                if request.huge.is_some() { "limits-shmall-huge" } else { "limits-shmall" },
                pages = pages,
                in_use = limits.shm_pages_in_use,
                shmall = limits.shmall_pages,
                page = human(page),
                total = total.unwrap_or(u64::MAX)
            ),
        );
    }
    if let Some(h) = request.huge {
        let Some(pool) = facts.pool else {
            return blocked(
                "huge page size",
                "EINVAL",
                crate::tr!("limits-no-huge-size", huge = h.name(), kib = h.bytes() / 1024),
            );
        };
        if !facts.caller.may_use_hugetlb {
            return blocked(
                "vm.hugetlb_shm_group",
                "EPERM",
                crate::tr!(
                    "limits-eperm",
                    group = limits.hugetlb_shm_group,
                    uid = facts.caller.euid,
                    gid = facts.caller.groups.first().copied().unwrap_or(0),
                    userns = if facts.caller.namespaced_root {
                        crate::i18n::t("limits-eperm-userns")
                    } else {
                        String::new()
                    }
                ),
            );
        }
        // newseg: hugesize = ALIGN(size, huge page size), with no overflow check.
        let need = match size.checked_next_multiple_of(h.bytes()) {
            Some(rounded) => rounded / h.bytes(),
            None => {
                notes.push(crate::tr!("limits-note-wraps", bytes = size, huge = h.name()));
                0
            }
        };
        let free = pool.pool.unreserved();
        if need > free {
            let extra = need - free;
            let room = pool.overcommit.saturating_sub(pool.pool.surplus);
            if extra > room {
                return blocked(
                    "vm.nr_hugepages",
                    "ENOMEM",
                    crate::tr!(
                        if need == 1 { "limits-enomem-pool-one" } else { "limits-enomem-pool" },
                        need = need,
                        huge = h.name(),
                        free = free,
                        surplus = if room > 0 { crate::tr!("limits-surplus-room", room = room) } else { String::new() },
                        command = h.pool_command(pool.pool.nr.saturating_add(extra - room))
                    ),
                );
            }
            notes.push(crate::tr!("limits-note-surplus", extra = extra, need = need));
        }
    } else {
        // mm/shmem.c __shmem_file_setup: the size is a loff_t there.
        if size > i64::MAX as u64 {
            return blocked("MAX_LFS_FILESIZE", "EINVAL", crate::tr!("limits-lfs", size = exact(size)));
        }
        if let Some(why) = facts.memory.refusal(pages, page) {
            return blocked("vm.overcommit_memory", "ENOMEM", why);
        }
    }
    // ipc/util.c ipc_addid: the id comes last, after the file exists.
    if limits.segments_now >= limits.shmmni {
        return blocked(
            "kernel.shmmni",
            "ENOSPC",
            crate::tr!(
                "limits-shmmni",
                segments = if limits.segments_now == 1 {
                    crate::i18n::t("limits-segments-one")
                } else {
                    crate::tr!("limits-segments-many", n = limits.segments_now)
                },
                shmmni = limits.shmmni,
                next = limits.segments_now + 1
            ),
        );
    }
    let mut why = crate::tr!(
        if pages == 1 { "limits-fits-one" } else { "limits-fits-many" },
        pages = pages,
        free = limits.shmmni - limits.segments_now,
        shmmni = limits.shmmni,
        last = crate::i18n::t(if request.huge.is_some() { "limits-fits-huge" } else { "limits-fits-accounting" })
    );
    if request.key != xsi::IPC_PRIVATE {
        why = crate::tr!("limits-fits-keyed", key = request.key_words(), why = why);
    }
    for note in notes {
        why.push_str(&crate::i18n::t("clause-gap"));
        why.push_str(&note);
    }
    Outcome::Fits(why)
}

/// For the memory lab: refuse (exit 2) a size that a SysV rule stops.
pub fn refuse_if_blocked(size: u64) -> Result<()> {
    let verdict = check(&Limits::read(), size, None);
    match verdict.blocked_by {
        Some(by) if by.starts_with("kernel.") || matches!(by.as_str(), "SHMMIN" | "numpages" | "MAX_LFS_FILESIZE") => {
            Err(Error::usage(crate::tr!(
                "limits-refuse-memory",
                size = human(size),
                errno = verdict.errno.unwrap_or_default(),
                by = by,
                why = verdict.explanation
            )))
        }
        _ => Ok(()),
    }
}

/// Makes the call `check` predicts, for real, with exactly the request's
/// flags, and records what the kernel said. A segment the call created is
/// removed at once; one that already existed is left alone.
pub fn try_for_real(request: &Request, check: &mut Check) -> Result<()> {
    crate::error::check_interrupt()?;
    let size = usize::try_from(request.size)
        .map_err(|_| Error::usage(crate::tr!("limits-check-too-large", size = request.size)))?;
    let creator_pid = process::own_pid().as_raw();
    // A call that may create is recorded first, so a kill cannot hide what it made.
    let intent = (request.create || request.key == xsi::IPC_PRIVATE)
        .then(|| registry::record(Entry::XsiSegment { key: request.key, creator_pid, shmid: None }))
        .transpose()?;
    let said = match xsi::get(request.key, size, request.flags()) {
        Ok(id) => {
            // Created by this call exactly when the kernel says this process made
            // it (another process may create or remove the key at the same time).
            let created = xsi::status(id)
                .is_ok_and(|s| s.creator_pid == creator_pid && s.creator_uid == process::effective_uid());
            if created {
                let mut record = intent;
                if let Some(r) = record.as_mut() {
                    r.update(Entry::XsiSegment { key: request.key, creator_pid, shmid: Some(id) })?;
                }
                if let Err(errno) = xsi::remove(id) {
                    // The registry file stays, so that `shmlab clean` finds it.
                    std::mem::forget(record);
                    return Err(Error::sys(
                        "shmctl(IPC_RMID)",
                        &crate::tr!("limits-try-object", id = id),
                        errno,
                        &crate::tr!("limits-try-hint", id = id),
                    ));
                }
            }
            check.kernel_shmid = Some(id);
            check.created = Some(created);
            "ok".to_string()
        }
        Err(errno) => errno_name(errno),
    };
    check.agrees = Some(said == check.predicted());
    check.kernel_said = Some(said);
    Ok(())
}

/// Lowers shmmax, shmall and shmmni in turn (root only) and asks for a
/// segment each time. Every change is undone before the next.
pub fn demo(limits: &Limits) -> Result<Vec<Demo>> {
    if !process::is_root() {
        return Err(Error::unavailable(crate::i18n::t("limits-demo-needs-root")));
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

/// A SysV key as people write it: `0x1234abcd` as ipcs prints it, a
/// decimal number (negative, as /proc/sysvipc/shm prints large keys), or
/// `IPC_PRIVATE`. In a suite file a string or a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyArg(pub i32);

impl std::str::FromStr for KeyArg {
    type Err = String;
    fn from_str(text: &str) -> std::result::Result<Self, String> {
        let t = text.trim();
        let bad = || crate::tr!("limits-bad-key", text = format!("{text:?}"));
        if t.eq_ignore_ascii_case("IPC_PRIVATE") {
            return Ok(KeyArg(0));
        }
        if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            return u32::from_str_radix(hex, 16).map(|k| KeyArg(k as i32)).map_err(|_| bad());
        }
        t.parse::<i32>().or_else(|_| t.parse::<u32>().map(|k| k as i32)).map(KeyArg).map_err(|_| bad())
    }
}

/// Permission bits in octal: `600`, `0600`, `0o644`; in a suite file the
/// same as a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModeArg(pub u32);

impl std::str::FromStr for ModeArg {
    type Err = String;
    fn from_str(text: &str) -> std::result::Result<Self, String> {
        let t = text.trim();
        let digits = t.strip_prefix("0o").unwrap_or(t);
        u32::from_str_radix(digits, 8)
            .ok()
            .filter(|m| *m <= 0o777)
            .map(ModeArg)
            .ok_or_else(|| crate::tr!("limits-bad-mode", text = format!("{text:?}")))
    }
}

/// Serialized as the text it is read from (`0x00001234`, `600`).
macro_rules! serde_as_text {
    ($t:ty, $show:expr) => {
        impl Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(&$show(self))
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                #[derive(Deserialize)]
                #[serde(untagged)]
                enum Form {
                    Number(i64),
                    Text(String),
                }
                let text = match Form::deserialize(d)? {
                    Form::Number(n) => n.to_string(),
                    Form::Text(t) => t,
                };
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
serde_as_text!(KeyArg, |k: &KeyArg| format!("{:#010x}", k.0 as u32));
serde_as_text!(ModeArg, |m: &ModeArg| format!("{:o}", m.0));

/// The limits lab's parameters, for `shmlab limits` and a suite's `"limits"` run.
#[derive(Debug, Clone, clap::Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Say whether a segment of this size can be created now, and what stops it
    #[arg(long, value_name = "SIZE")]
    #[serde(default)]
    pub check: Option<Size>,

    /// Page size for --check: none, 2M or 1G
    #[arg(long, default_value = "none", value_parser = huge_parser())]
    #[serde(default)]
    pub huge: Huge,

    /// Key for --check: 0x1234abcd as ipcs prints it, or decimal [default: IPC_PRIVATE, a new private segment]
    #[arg(long, value_name = "KEY", allow_negative_numbers = true, requires = "check", conflicts_with = "key_path")]
    #[serde(default)]
    pub key: Option<KeyArg>,

    /// Key for --check from ftok: a file whose inode and device make the key (with --proj-id)
    #[arg(long, value_name = "PATH", requires = "check")]
    #[serde(default)]
    pub key_path: Option<PathBuf>,

    /// ftok project id for --key-path (low 8 bits, not 0) [default: 1234]
    #[arg(long, value_name = "N", requires = "key_path")]
    #[serde(default)]
    pub proj_id: Option<i32>,

    /// For --check: IPC_CREAT|IPC_EXCL, fail with EEXIST if the key already has a segment
    #[arg(long, requires = "check", conflicts_with = "no_create")]
    #[serde(default)]
    pub exclusive: bool,

    /// For --check: leave IPC_CREAT out, only look the key up (ENOENT if it has no segment)
    #[arg(long, requires = "check")]
    #[serde(default)]
    pub no_create: bool,

    /// For --check: permission bits in octal; a new segment gets them, an existing one must grant them [default: 600]
    #[arg(long, value_name = "OCTAL", requires = "check")]
    #[serde(default)]
    pub mode: Option<ModeArg>,

    /// For --check: then call shmget for real with exactly those flags, show what the kernel said, remove what it created
    #[arg(long = "try", requires = "check")]
    #[serde(default, rename = "try")]
    pub try_call: bool,

    /// Cause the kernel's refusals for real: EEXIST, EACCES, EIDRM, SHM_HUGETLB's EPERM/ENOMEM; as root also lower shmmax, shmall and shmmni in turn (for the whole IPC namespace: the machine, outside a container; a moment each) and restore them
    #[arg(long)]
    #[serde(default)]
    pub demo: bool,
}

/// A validated limits run: the request to check, if any, and what else to do.
#[derive(Debug, Clone)]
pub struct LimitsPlan {
    pub request: Option<Request>,
    pub try_call: bool,
    pub demo: bool,
}

/// The limits lab.
pub struct LimitsLab;

impl Lab for LimitsLab {
    const NAME: &'static str = "limits";
    type Params = Params;
    type Plan = LimitsPlan;
    type Record = LimitsRecord;

    fn validate(p: &Params, _: &Machine) -> Result<LimitsPlan> {
        let needs_check = [
            ("key", p.key.is_some()),
            ("key_path", p.key_path.is_some()),
            ("exclusive", p.exclusive),
            ("no_create", p.no_create),
            ("mode", p.mode.is_some()),
            ("try", p.try_call),
        ];
        if p.check.is_none()
            && let Some((name, _)) = needs_check.iter().find(|(_, given)| *given)
        {
            return Err(Error::usage(crate::tr!(
                "limits-only-with-check",
                param = Param(name),
                check = Param("check")
            )));
        }
        if p.exclusive && p.no_create {
            return Err(Error::usage(crate::tr!(
                "limits-contradict",
                exclusive = Param("exclusive"),
                no_create = Param("no_create")
            )));
        }
        if p.key.is_some() && p.key_path.is_some() {
            return Err(Error::usage(crate::tr!(
                "limits-key-or-path",
                key = Param("key"),
                key_path = Param("key_path")
            )));
        }
        let request = p.check.map(|size| request(p, size.0)).transpose()?;
        Ok(LimitsPlan { request, try_call: p.try_call, demo: p.demo })
    }

    fn run(plan: &LimitsPlan, events: &mut dyn Events) -> Result<Vec<LimitsRecord>> {
        let limits = Limits::read();
        let mut check = plan.request.as_ref().map(|r| predict(&limits, r));
        if plan.try_call
            && let (Some(request), Some(check)) = (&plan.request, check.as_mut())
        {
            try_for_real(request, check)?;
        }
        // Root lowers the limits themselves; everyone sees the refusals of a segment's life.
        let demo = if plan.demo && process::is_root() { demo(&limits)? } else { Vec::new() };
        let refusals =
            if plan.demo { super::refusals::refusals(&Caller::read(limits.hugetlb_shm_group))? } else { Vec::new() };
        let record = LimitsRecord { limits, check: check.map(Box::new), demo, refusals };
        events.finished(&record.clone().into());
        Ok(vec![record])
    }

    /// A prediction the kernel contradicted (with --try) is a failed run.
    fn failure(records: &[LimitsRecord]) -> Option<String> {
        records.iter().find_map(|r| r.check.as_ref().and_then(|c| c.disagreement()))
    }
}

/// The one shmget call that `--check` asks about.
fn request(p: &Params, size: u64) -> Result<Request> {
    let mut request = Request::new_private(size, p.huge.0);
    if let Some(key) = p.key {
        request.key = xsi::Key(key.0);
    }
    if let Some(path) = &p.key_path {
        let proj_id = p.proj_id.unwrap_or(super::params::DEFAULT_PROJ_ID);
        request.key = super::params::xsi_key(path, proj_id)?.resolve()?;
        request.key_origin = Some(format!("ftok({}, {proj_id})", path.display()));
        if request.key == xsi::IPC_PRIVATE {
            return Err(Error::usage(crate::tr!(
                "limits-ftok-zero",
                key_path = Param("key_path"),
                path = path.display(),
                proj_id = Param("proj_id"),
                value = proj_id
            )));
        }
    }
    request.create = !p.no_create;
    request.exclusive = p.exclusive;
    if let Some(mode) = p.mode {
        request.mode = mode.0;
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    //! The order of the rules, on made-up machines. The integration tests
    //! (tests/limits.rs) hold every rule against the real kernel.
    use super::*;
    use crate::sys::xsi::Key;

    const GIB: u64 = 1 << 30;
    const DEFAULT_MAX: u64 = 18446744073692774399;

    fn limits(shmmax: u64, shmall: u64, shmmni: u64, segments: u64, pages_in_use: u64) -> Limits {
        Limits {
            shmmax,
            shmall_pages: shmall,
            shmall_bytes: shmall.saturating_mul(4096),
            page_size: 4096,
            shmmni,
            segments_now: segments,
            shm_pages_in_use: pages_in_use,
            nr_hugepages: 0,
            hugepage_pools: Vec::new(),
            hugetlb_shm_group: 0,
            shm_rmid_forced: 0,
            dev_shm_size_bytes: 0,
            dev_shm_used_bytes: 0,
            memlock_soft: None,
            memlock_hard: None,
            sem_per_set: 0,
            sem_total: 0,
            sem_ops_per_call: 0,
            sem_sets_max: 0,
            sem_sets_now: 0,
        }
    }

    fn defaults() -> Limits {
        limits(DEFAULT_MAX, DEFAULT_MAX, 4096, 0, 0)
    }

    fn root() -> Caller {
        Caller {
            euid: 0,
            groups: vec![0],
            ipc_owner: true,
            may_use_hugetlb: true,
            sys_admin: true,
            namespaced_root: false,
        }
    }

    fn nobody() -> Caller {
        Caller {
            euid: 65534,
            groups: vec![65534],
            ipc_owner: false,
            may_use_hugetlb: false,
            sys_admin: false,
            namespaced_root: false,
        }
    }

    fn facts(caller: Caller, free_huge: u64) -> Facts {
        Facts {
            segments: Vec::new(),
            caller,
            pool: Some(PoolNow {
                pool: Pool { page_bytes: 2 << 20, nr: free_huge, free: free_huge, reserved: 0, surplus: 0 },
                overcommit: 0,
            }),
            memory: Memory { overcommit_memory: 0, ram_and_swap: 24 * GIB, ..Memory::default() },
        }
    }

    fn segment(key: Key, size: u64, perms: u32, uid: u32) -> ShmRow {
        ShmRow {
            key,
            shmid: xsi::ShmId(7),
            perms,
            size,
            cpid: 1,
            lpid: 0,
            nattch: 0,
            uid,
            gid: uid,
            cuid: uid,
            cgid: uid,
            ctime: 0,
        }
    }

    fn private(size: u64, huge: Option<HugePageSize>) -> Request {
        Request::new_private(size, huge)
    }

    fn keyed(size: u64) -> Request {
        Request { key: Key(0x1234), ..private(size, None) }
    }

    fn said(c: &Check) -> (&str, &str) {
        (c.predicted(), c.blocked_by.as_deref().unwrap_or("-"))
    }

    #[test]
    fn size_rules_come_first_and_2_to_the_63_is_the_largest_file() {
        let f = facts(root(), 0);
        assert_eq!(said(&decide(&defaults(), &private(0, None), &f)), ("EINVAL", "SHMMIN"));
        assert_eq!(said(&decide(&defaults(), &private(1, None), &f)), ("ok", "-"));
        let small = limits(1 << 20, DEFAULT_MAX, 4096, 0, 0);
        assert_eq!(said(&decide(&small, &private(1 << 20, None), &f)), ("ok", "-"));
        assert_eq!(said(&decide(&small, &private((1 << 20) + 1, None), &f)), ("EINVAL", "kernel.shmmax"));
        assert_eq!(said(&decide(&defaults(), &private(1 << 63, None), &f)), ("EINVAL", "MAX_LFS_FILESIZE"));
        assert_eq!(said(&decide(&defaults(), &private((1 << 63) - 1, None), &f)), ("ENOMEM", "vm.overcommit_memory"));
        assert_eq!(said(&decide(&defaults(), &private(u64::MAX, None), &f)), ("EINVAL", "kernel.shmmax"));
        let open = limits(u64::MAX, u64::MAX, 4096, 0, 0);
        assert_eq!(said(&decide(&open, &private(u64::MAX, None), &f)), ("ENOSPC", "numpages"));
        assert_eq!(said(&decide(&open, &private(u64::MAX - 4095, None), &f)), ("EINVAL", "MAX_LFS_FILESIZE"));
    }

    #[test]
    fn shmall_counts_base_pages_of_the_size_even_with_huge_pages() {
        // 3 pages in use, shmall 4: one more base page fits, two do not.
        let l = limits(DEFAULT_MAX, 4, 4096, 1, 3);
        let huge = Some(HugePageSize::M2);
        let f = facts(root(), 1);
        assert_eq!(said(&decide(&l, &private(4096, huge), &f)), ("ok", "-"), "1 page, not 512");
        assert_eq!(said(&decide(&l, &private(8192, huge), &f)), ("ENOSPC", "kernel.shmall"));
        assert_eq!(said(&decide(&l, &private(4096, huge), &facts(root(), 0))), ("ENOMEM", "vm.nr_hugepages"));
        assert_eq!(said(&decide(&l, &private(8192, None), &f)), ("ENOSPC", "kernel.shmall"));
    }

    #[test]
    fn a_full_id_table_hides_behind_every_refusal_of_the_file() {
        let full = limits(DEFAULT_MAX, DEFAULT_MAX, 1, 1, 1);
        let huge = Some(HugePageSize::M2);
        assert_eq!(said(&decide(&full, &private(4096, None), &facts(root(), 0))), ("ENOSPC", "kernel.shmmni"));
        assert_eq!(
            said(&decide(&full, &private(25 * GIB, None), &facts(root(), 0))),
            ("ENOMEM", "vm.overcommit_memory")
        );
        assert_eq!(said(&decide(&full, &private(1 << 63, None), &facts(root(), 0))), ("EINVAL", "MAX_LFS_FILESIZE"));
        assert_eq!(said(&decide(&full, &private(4096, huge), &facts(root(), 0))), ("ENOMEM", "vm.nr_hugepages"));
        assert_eq!(said(&decide(&full, &private(4096, huge), &facts(nobody(), 0))), ("EPERM", "vm.hugetlb_shm_group"));
        assert_eq!(said(&decide(&full, &private(4096, huge), &facts(root(), 1))), ("ENOSPC", "kernel.shmmni"));
        let mut no_1g = facts(root(), 0);
        no_1g.pool = None;
        let gig = Some(HugePageSize::G1);
        assert_eq!(said(&decide(&full, &private(4096, gig), &no_1g)), ("EINVAL", "huge page size"));
    }

    #[test]
    fn huge_page_rounding_that_wraps_past_2_to_the_64_reserves_nothing() {
        let open = limits(u64::MAX, u64::MAX, 4096, 0, 0);
        let c = decide(&open, &private(u64::MAX - 4095, Some(HugePageSize::M2)), &facts(root(), 0));
        assert_eq!(said(&c), ("ok", "-"), "{}", c.explanation);
        assert!(c.explanation.contains("wraps"), "{}", c.explanation);
    }

    #[test]
    fn surplus_huge_pages_count_when_the_pool_may_overcommit() {
        let mut f = facts(root(), 1);
        let huge = Some(HugePageSize::M2);
        assert_eq!(said(&decide(&defaults(), &private(4 << 20, huge), &f)), ("ENOMEM", "vm.nr_hugepages"));
        f.pool.as_mut().unwrap().overcommit = 1;
        assert_eq!(said(&decide(&defaults(), &private(4 << 20, huge), &f)), ("ok", "-"));
    }

    #[test]
    fn an_existing_key_is_checked_for_excl_then_size_then_permission() {
        let mut f = facts(nobody(), 0);
        f.segments = vec![segment(Key(0x1234), 4096, 0o600, 0)];
        let excl = Request { exclusive: true, ..keyed(4096) };
        assert_eq!(said(&decide(&defaults(), &excl, &f)), ("EEXIST", "IPC_EXCL"));
        // Larger than the segment: EINVAL even where the mode would refuse.
        assert_eq!(said(&decide(&defaults(), &keyed(8192), &f)), ("EINVAL", "segment size"));
        assert_eq!(said(&decide(&defaults(), &keyed(4096), &f)), ("EACCES", "segment mode"));
        assert_eq!(said(&decide(&defaults(), &Request { mode: 0, ..keyed(4096) }, &f)), ("ok", "-"));
        assert_eq!(said(&decide(&defaults(), &Request { mode: 0o004, ..keyed(0) }, &f)), ("EACCES", "segment mode"));
        // Group bits for a member, and CAP_IPC_OWNER over everything.
        f.segments = vec![segment(Key(0x1234), 4096, 0o640, 0)];
        f.caller.groups.push(0);
        assert_eq!(said(&decide(&defaults(), &Request { mode: 0o400, ..keyed(0) }, &f)), ("ok", "-"));
        assert_eq!(said(&decide(&defaults(), &keyed(0), &f)), ("EACCES", "segment mode"));
        f.caller.ipc_owner = true;
        assert_eq!(said(&decide(&defaults(), &keyed(0), &f)), ("ok", "-"));
        // Full limits do not matter to a segment that exists.
        let full = limits(1, 0, 0, 1, 1);
        assert_eq!(said(&decide(&full, &keyed(4096), &f)), ("ok", "-"));
    }

    #[test]
    fn a_missing_key_without_ipc_creat_is_enoent_but_ipc_private_always_creates() {
        let f = facts(root(), 0);
        let lookup = Request { create: false, ..keyed(4096) };
        assert_eq!(said(&decide(&defaults(), &lookup, &f)), ("ENOENT", "missing IPC_CREAT"));
        let c = decide(&defaults(), &Request { create: false, ..private(4096, None) }, &f);
        assert_eq!(said(&c), ("ok", "-"));
        assert_eq!(c.flags.as_deref(), Some("0600"));
        assert_eq!(said(&decide(&defaults(), &keyed(4096), &f)), ("ok", "-"));
    }

    #[test]
    fn older_records_without_the_new_fields_still_load() {
        let old = r#"{"size_bytes": 4096, "huge": "none", "fits": true, "blocked_by": null, "errno": null,
                      "explanation": "under kernel.shmmax"}"#;
        let c: Check = serde_json::from_str(old).unwrap();
        assert_eq!((c.key.as_str(), c.flags, c.kernel_said, c.agrees), ("IPC_PRIVATE", None, None, None));
    }
}

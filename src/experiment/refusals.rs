//! `limits --demo`, the part anyone can run: refusals of a segment's life
//! caused for real on shmlab's own objects, each with the errno the kernel
//! returned (no prediction, no shortcut).
//!
//! - Lowering a limit as a normal user: the kernel refuses the write to
//!   /proc/sys/kernel/shmmax (EACCES), the first refusal students meet.
//! - SHM_HUGETLB: EPERM without CAP_IPC_LOCK or the group in
//!   vm.hugetlb_shm_group (fs/hugetlbfs/inode.c `hugetlb_file_setup`, even
//!   with a large memlock ulimit since 5.16), else ENOMEM with no free huge
//!   page (mm/hugetlb.c `hugetlb_reserve_pages`).
//! - EEXIST after a killed run: a child creates a keyed segment with
//!   IPC_CREAT|IPC_EXCL and is killed with SIGKILL before it can remove it;
//!   the "rerun" asks for the same key with IPC_EXCL (ipc/util.c
//!   `ipcget_public`). shmlab recorded the child's segment before it was
//!   made, so it then removes exactly that orphan, as `shmlab clean` would.
//! - EACCES: `ipcperms` (ipc/util.c) refuses a request for permission bits
//!   the segment does not grant: as root, a child that became `nobody`
//!   asks for a 0600 segment of root's; as anyone else, the owner asks for
//!   write access to a 0400 segment (root would pass: CAP_IPC_OWNER).
//! - EIDRM: a process asleep in `semop` on a set that is removed wakes up
//!   with EIDRM (ipc/sem.c `do_semtimedop`). Shared memory has no such
//!   sleep: a removed-while-attached segment is only marked `dest`.

use std::sync::atomic::Ordering;
use std::time::Duration;

use super::children::Children;
use super::wait;
use crate::error::{Result, check_interrupt};
use crate::experiment::limits::Caller;
use crate::i18n::t;
use crate::kernel::hugepages::{self, HugePageSize};
use crate::model::Refusal;
use crate::region::OwnedSegment;
use crate::registry::{self, Entry};
use crate::sys::mman::{MapOptions, Mapping};
use crate::sys::{ChildStatus, Errno, Key, ShmId, process, sysv_sem, xsi};
use crate::tr;

const PATIENCE: Duration = Duration::from_secs(5);

fn said(result: std::result::Result<(), Errno>) -> String {
    match result {
        Ok(()) => "ok".into(),
        Err(errno) => format!("{errno:?}"),
    }
}

fn flags(create: bool, exclusive: bool, mode: u32) -> xsi::GetFlags {
    xsi::GetFlags { create, exclusive, huge_page_bytes: None, no_reserve: false, mode }
}

/// Every refusal this caller can cause.
pub fn refusals(caller: &Caller) -> Result<Vec<Refusal>> {
    let mut out = Vec::new();
    if !process::is_root() {
        out.push(lower_a_limit());
    }
    check_interrupt()?;
    out.push(huge_pages(caller)?);
    check_interrupt()?;
    out.push(exists_after_a_kill()?);
    check_interrupt()?;
    out.push(permission(caller)?);
    check_interrupt()?;
    out.push(removed_while_waiting()?);
    Ok(out)
}

fn lower_a_limit() -> Refusal {
    let result = std::fs::OpenOptions::new()
        .write(true)
        .open("/proc/sys/kernel/shmmax")
        .map(drop)
        .map_err(|e| Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO)));
    Refusal {
        case: t("limits-case-lower"),
        call: "open(\"/proc/sys/kernel/shmmax\", O_WRONLY)".into(),
        expected_errno: "EACCES".into(),
        kernel_said: said(result),
        explanation: t("limits-why-lower"),
    }
}

fn huge_pages(caller: &Caller) -> Result<Refusal> {
    let huge = HugePageSize::M2;
    let request = xsi::GetFlags { huge_page_bytes: Some(huge.bytes()), ..flags(true, false, 0o600) };
    let call = format!("shmget(IPC_PRIVATE, 2 MiB, {})", request.describe());
    // Held shared while a page may be taken, so that no run that is changing
    // the pool (holding it exclusively) loses one; EPERM needs no page.
    let _claim = match caller.may_use_hugetlb.then(|| hugepages::claim(huge, false)).transpose() {
        Ok(claim) => claim,
        Err(busy) => {
            return Ok(Refusal {
                case: t("limits-case-huge"),
                call,
                expected_errno: "-".into(),
                kernel_said: "not tried".into(),
                explanation: busy.message,
            });
        }
    };
    let free = hugepages::pool(huge).map(|p| p.unreserved()).unwrap_or(0);
    let (expected, explanation) = if !caller.may_use_hugetlb {
        ("EPERM", "limits-why-huge-eperm")
    } else if free == 0 {
        ("ENOMEM", "limits-why-huge-enomem")
    } else {
        ("ok", "limits-why-huge-ok")
    };
    // A segment the call makes (when it is allowed) goes at once.
    let result = OwnedSegment::create(Key::PRIVATE, huge.bytes() as usize, request)?.map(drop);
    Ok(Refusal {
        case: t("limits-case-huge"),
        call,
        expected_errno: expected.into(),
        kernel_said: said(result),
        explanation: t(explanation),
    })
}

// Words of the control page between shmlab and its child.
const GO: usize = 0;
const SHMID: usize = 1;
const ERRNO: usize = 2;

/// The killed creator and its record: on drop (also on an error or Ctrl-C
/// half-way) the child is killed and reaped first, then its segment is
/// removed if it is still the one it made, then the record goes.
struct KilledRun {
    children: Children,
    record: registry::Record,
}

impl Drop for KilledRun {
    fn drop(&mut self) {
        self.children.kill_all();
        registry::remove_if_ours(self.record.registered());
    }
}

fn exists_after_a_kill() -> Result<Refusal> {
    let control = Mapping::shared_anonymous(4096, MapOptions::default())
        .map_err(|e| crate::error::Error::sys("mmap", &t("limits-control-page"), e, ""))?;
    let words = control.words();
    let key = registry::random_key();
    let mut children = Children::new();
    let child = children.spawn(|| {
        if !wait::until(PATIENCE, Duration::from_micros(200), || words[GO].load(Ordering::SeqCst) != 0).unwrap_or(false)
        {
            return ChildStatus::GaveUp;
        }
        match xsi::get(key, 4096, flags(true, true, 0o600)) {
            Ok(id) => words[SHMID].store(id.0 as u64 + 1, Ordering::SeqCst),
            Err(errno) => {
                words[ERRNO].store(errno as u64, Ordering::SeqCst);
                return ChildStatus::CallFailed(errno);
            }
        }
        process::sleep(PATIENCE); // killed long before this ends
        ChildStatus::Done
    })?;
    // Recorded before the child may create it: the kill cannot hide the orphan.
    let record = registry::record(Entry::XsiSegment { key, creator_pid: child.as_raw(), shmid: None })?;
    let mut run = KilledRun { children, record };
    words[GO].store(1, Ordering::SeqCst);
    let made = wait::until(PATIENCE, Duration::from_micros(200), || {
        words[SHMID].load(Ordering::SeqCst) != 0 || words[ERRNO].load(Ordering::SeqCst) != 0
    })?;
    let shmid = words[SHMID].load(Ordering::SeqCst);
    if shmid != 0 {
        let id = ShmId((shmid - 1) as i32);
        run.record.update(Entry::XsiSegment { key, creator_pid: child.as_raw(), shmid: Some(id) })?;
    }
    run.children.kill_all();
    // With shm_rmid_forced = 1 the creator's exit destroys a segment nobody attached.
    let forced = std::fs::read_to_string("/proc/sys/kernel/shm_rmid_forced").is_ok_and(|v| v.trim() == "1");
    let rerun = if made && shmid != 0 {
        match xsi::get(key, 4096, flags(true, true, 0o600)) {
            Ok(id) => {
                let _ = xsi::remove(id); // the rerun's own segment: the orphan was gone
                "ok".to_string()
            }
            Err(errno) => format!("{errno:?}"),
        }
    } else {
        tr!(
            "limits-said-child-failed",
            errno = format!("{:?}", Errno::from_raw(words[ERRNO].load(Ordering::SeqCst) as i32))
        )
    };
    drop(run); // the orphan is removed as `shmlab clean` removes one
    let (expected, explanation) =
        if forced { ("ok", "limits-why-exists-forced") } else { ("EEXIST", "limits-why-exists") };
    Ok(Refusal {
        case: t("limits-case-exists"),
        call: tr!("limits-call-exists", key = format!("{key:#010x}")),
        expected_errno: expected.into(),
        kernel_said: rerun,
        explanation: t(explanation),
    })
}

/// Whether uid and gid 65534 exist in this user namespace and a child may
/// drop its groups: what becoming `nobody` needs (not so under
/// `unshare --map-root-user`, which maps one id and denies setgroups).
fn nobody_is_mapped() -> bool {
    let mapped = |file: &str| {
        std::fs::read_to_string(file).is_ok_and(|map| {
            map.lines().any(|l| {
                let n: Vec<u64> = l.split_whitespace().filter_map(|v| v.parse().ok()).collect();
                n.len() == 3 && (n[0]..n[0] + n[2]).contains(&65534)
            })
        })
    };
    let setgroups = std::fs::read_to_string("/proc/self/setgroups").map_or(true, |v| v.trim() == "allow");
    mapped("/proc/self/uid_map") && mapped("/proc/self/gid_map") && setgroups
}

fn permission(caller: &Caller) -> Result<Refusal> {
    let key = registry::random_key();
    if caller.ipc_owner && !(process::is_root() && nobody_is_mapped()) {
        return Ok(Refusal {
            case: t("limits-case-permission"),
            call: "not tried".into(),
            expected_errno: "EACCES".into(),
            kernel_said: "not tried".into(),
            explanation: t("limits-why-permission-owner"),
        });
    }
    let as_nobody = caller.ipc_owner;
    let mode = if as_nobody { 0o600 } else { 0o400 };
    let segment = match OwnedSegment::create(key, 4096, flags(true, true, mode))? {
        Ok(s) => s,
        Err(errno) => {
            return Ok(Refusal {
                case: t("limits-case-permission"),
                call: format!("shmget({key:#010x}, 4096, IPC_CREAT|IPC_EXCL|{mode:04o})"),
                expected_errno: "EACCES".into(),
                kernel_said: tr!("limits-said-create-failed", errno = format!("{errno:?}")),
                explanation: String::new(),
            });
        }
    };
    let (call, result, explanation) = if as_nobody {
        let mut children = Children::new();
        let pid = children.spawn(move || {
            if let Err(errno) = process::become_user(65534, 65534) {
                return ChildStatus::CallFailed(errno);
            }
            match xsi::get(key, 0, flags(false, false, 0o600)) {
                Ok(_) => ChildStatus::Done,
                Err(errno) => ChildStatus::CallFailed(errno),
            }
        })?;
        let result = match children.reap_one(pid) {
            Some(process::Ended::Reported(ChildStatus::Done)) => Ok(()),
            Some(process::Ended::Reported(ChildStatus::CallFailed(errno))) => Err(errno),
            _ => Err(Errno::UnknownErrno),
        };
        (tr!("limits-call-as-nobody", key = format!("{key:#010x}")), result, "limits-why-as-nobody")
    } else {
        (
            tr!("limits-call-own-0400", key = format!("{key:#010x}")),
            xsi::get(key, 0, flags(false, false, 0o600)).map(drop),
            "limits-why-own-0400",
        )
    };
    drop(segment);
    Ok(Refusal {
        case: t("limits-case-permission"),
        call,
        expected_errno: "EACCES".into(),
        kernel_said: said(result),
        explanation: t(explanation),
    })
}

fn removed_while_waiting() -> Result<Refusal> {
    let set = crate::lock::sysv_sem::Set::create()?; // value 1
    let id = set.id();
    let mut children = Children::new();
    // Asks for 2 of the 1 there is: sleeps in semop until the set goes.
    let pid = children.spawn(move || match sysv_sem::adjust(id, -2, false) {
        Ok(()) => ChildStatus::Done,
        Err(errno) => ChildStatus::CallFailed(errno),
    })?;
    let asleep = wait::until(PATIENCE, Duration::from_millis(1), || sysv_sem::waiting(id) == Ok(1))?;
    drop(set); // IPC_RMID
    let result = match children.reap_one(pid) {
        Some(process::Ended::Reported(ChildStatus::Done)) => Ok(()),
        Some(process::Ended::Reported(ChildStatus::CallFailed(errno))) => Err(errno),
        _ => Err(Errno::UnknownErrno),
    };
    Ok(Refusal {
        case: t("limits-case-removed"),
        call: t(if asleep { "limits-call-removed" } else { "limits-call-removed-unseen" }),
        expected_errno: "EIDRM".into(),
        kernel_said: said(result),
        explanation: t("limits-why-removed"),
    })
}

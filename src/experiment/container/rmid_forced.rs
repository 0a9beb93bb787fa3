//! `container rmid-forced`: kernel.shm_rmid_forced, set inside an IPC
//! namespace of our own, so the host's value is never touched.
//!
//! With 0 (the default) a segment outlives its creator and its last
//! detach until someone calls IPC_RMID. With 1, ipc/shm.c destroys a
//! segment at its last detach whoever detaches (`shm_may_destroy`), and at
//! its creator's exit if nobody has it attached (`exit_shm`); writing 1
//! also destroys at once every segment that is already orphaned
//! (`shm_destroy_orphaned`). systemd-logind's `RemoveIPC=yes` is the same
//! idea one level up: it removes a user's objects when the user's last
//! session ends (documented in docs/containers.md, not simulated here).

use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering::SeqCst;
use std::time::Duration;

use super::sandbox::{Inside, Sandbox};
use super::{Privilege, all_rows, failed};
use crate::error::Result;
use crate::experiment::Events;
use crate::experiment::children::Children;
use crate::kernel::sysctl;
use crate::model::{ContainerRecord, ContainerStep};
use crate::sys::mman::{MapOptions, Mapping};
use crate::sys::{ChildStatus, Key, ShmId, xsi};

const STEP: ContainerStep = ContainerStep::RmidForced;
const SETTING: &str = "/proc/sys/kernel/shm_rmid_forced";
const SIZE: usize = 1 << 20;

/// In a child: creates a segment, reports its id in `id`, and with
/// `attach` attaches and detaches it and reports in `gone` whether it was
/// gone right after the detach, while the creator still runs; then exits.
fn creator(id: &AtomicU64, gone: &AtomicU64, attach: bool) -> ChildStatus {
    let shmid = match xsi::create(Key::PRIVATE, SIZE, xsi::CreateFlags::default()) {
        Ok(shmid) => shmid,
        Err(e) => return ChildStatus::CallFailed(e),
    };
    id.store(shmid.0 as u64, SeqCst);
    if attach {
        match xsi::attach(shmid) {
            Ok(view) => drop(view),
            Err(e) => return ChildStatus::CallFailed(e),
        }
        gone.store(u64::from(xsi::status(shmid).is_err()), SeqCst);
    }
    ChildStatus::Done
}

/// Runs one creator child; the segment's id and whether it was gone right
/// after the detach.
fn run_creator(words: &Mapping, attach: bool) -> std::result::Result<(ShmId, bool), String> {
    let (id, gone) = (&words.words()[0], &words.words()[1]);
    id.store(u64::MAX, SeqCst);
    gone.store(0, SeqCst);
    let mut children = Children::new();
    children.spawn(|| creator(id, gone, attach)).map_err(|e| e.message)?;
    let reaped = children.wait_all(Duration::from_secs(10)).map_err(|e| e.message)?;
    if reaped.succeeded != 1 {
        let ended: Vec<String> = reaped.failed.iter().map(|e| e.to_string()).collect();
        return Err(format!("the creating child failed ({})", ended.join(", ")));
    }
    Ok((ShmId(id.load(SeqCst) as i32), gone.load(SeqCst) == 1))
}

fn exists(shmid: ShmId) -> bool {
    xsi::status(shmid).is_ok()
}

fn set(value: &str) -> std::result::Result<(), String> {
    sysctl::write(std::path::Path::new(SETTING), value).map_err(|e| {
        format!(
            "writing {value} to {SETTING} in the new namespace: {e} (kernels before the IPC sysctls became \
             per-namespace-owner let only the host's root set them; run as root)"
        )
    })
}

fn inside(
    inside: &Inside,
    who: &str,
    flags: &str,
    host_value: &str,
    host_ns: Option<u64>,
) -> std::result::Result<(), String> {
    // The setting is per IPC namespace: never write it from the host's.
    let own = crate::sys::ns::namespace_inode("ipc");
    if own.is_none() || own == host_ns {
        return Err("this process is still in the host's IPC namespace; refusing to set shm_rmid_forced".into());
    }
    let record = |id: &str, call: &str, shows: String, lesson: &str| {
        ContainerRecord::new(STEP, id, "namespace", who, call, &shows, lesson)
    };
    let words = Mapping::shared_anonymous(4096, MapOptions::default()).map_err(failed("mmap"))?;
    let mut out = Vec::new();
    let start = sysctl::read(std::path::Path::new(SETTING)).unwrap_or_default();
    out.push(record(
        "default",
        &format!("unshare({flags}); cat /proc/sys/kernel/shm_rmid_forced"),
        format!("{} in the new namespace (the host's is {host_value})", start.trim()),
        "each IPC namespace has its own kernel.shm* values, starting from the defaults",
    ));
    set("0")?;
    // Every later observation is about whether a segment is still there:
    // its lesson when the kernel did what the step expects, else UNEXPECTED.
    let segment = |id: &str, call: &str, shows: String, exists: bool, expected: bool, lesson: &str, wrong: &str| {
        let lesson = if exists == expected { lesson.to_string() } else { format!("UNEXPECTED: {wrong}") };
        record(id, call, shows, &lesson).with(|r| {
            r.exists = Some(exists);
            r.inside = Some(all_rows());
        })
    };
    let there = |exists: bool| if exists { "still there" } else { "gone" };

    let (kept, _) = run_creator(&words, false)?;
    let kept_exists = exists(kept);
    out.push(segment(
        "off-creator-exits",
        "shm_rmid_forced=0; a child: shmget(IPC_PRIVATE, 1 MiB); exit without shmat",
        format!("shmid {kept} after its creator exited: {}", there(kept_exists)),
        kept_exists,
        true,
        "by default a segment outlives its creator: nobody attached, nobody removed it, and it stays (the classic \
         SysV leak)",
        "the segment went with its creator",
    ));
    let (detached, _) = run_creator(&words, true)?;
    let detached_exists = exists(detached);
    out.push(segment(
        "off-last-detach",
        "shm_rmid_forced=0; a child: shmget; shmat; shmdt; exit",
        format!(
            "shmid {detached} after its last detach and its creator's exit: {}",
            if detached_exists { "still there, nattch 0" } else { "gone" }
        ),
        detached_exists,
        true,
        "the last detach does not destroy it either: only IPC_RMID does",
        "the segment went at its last detach",
    ));

    set("1")?;
    let orphans_left = [kept, detached].into_iter().filter(|id| exists(*id)).count();
    out.push(segment(
        "turn-on",
        "echo 1 > /proc/sys/kernel/shm_rmid_forced",
        format!("of the two segments left above, {orphans_left} remain"),
        orphans_left > 0,
        false,
        "turning it on destroys at once every segment whose creator is gone and that nobody has attached \
         (shm_destroy_orphaned)",
        "orphaned segments survived turning it on",
    ));

    let (unattached, _) = run_creator(&words, false)?;
    let unattached_exists = exists(unattached);
    out.push(segment(
        "on-creator-exits",
        "shm_rmid_forced=1; a child: shmget(IPC_PRIVATE, 1 MiB); exit without shmat",
        format!("shmid {unattached} after its creator exited: {}", there(unattached_exists)),
        unattached_exists,
        false,
        "a segment nobody has attached is destroyed when its creator exits",
        "the segment outlived its creator",
    ));
    let (at_detach, gone_at_detach) = run_creator(&words, true)?;
    out.push(segment(
        "on-last-detach",
        "shm_rmid_forced=1; a child: shmget; shmat; shmdt; shmctl(IPC_STAT) while it still runs",
        format!(
            "shmid {at_detach} right after the detach, its creator still running: {}",
            if gone_at_detach { "gone (IPC_STAT fails)" } else { "still there" }
        ),
        !gone_at_detach,
        false,
        "any segment is destroyed at its last detach, as if IPC_RMID had been called: sharing through a segment \
         that is detached between uses breaks",
        "the segment survived its last detach",
    ));
    inside.report(&out)
}

pub fn run(privilege: &Privilege, _events: &mut dyn Events) -> Result<Vec<ContainerRecord>> {
    let host_before = sysctl::read(std::path::Path::new(SETTING)).unwrap_or_default().trim().to_string();
    let who = privilege.words.clone();
    let host_ns = crate::sys::ns::namespace_inode("ipc");
    let namespaces = privilege.namespaces(true, false);
    let flags = namespaces.describe();
    let mut sandbox = Sandbox::start(namespaces, |i| inside(i, &who, &flags, &host_before, host_ns))?;
    let mut out: Vec<ContainerRecord> = sandbox.next()?;
    sandbox.finish()?;
    let host_after = sysctl::read(std::path::Path::new(SETTING)).unwrap_or_default().trim().to_string();
    out.push(ContainerRecord::new(
        STEP,
        "host-unchanged",
        "host",
        &who,
        "cat /proc/sys/kernel/shm_rmid_forced on the host, before and after",
        &format!("{host_before} before, {host_after} after"),
        if host_before == host_after {
            "the namespace's value was its own: the host's setting was never touched"
        } else {
            "UNEXPECTED: the host's shm_rmid_forced changed"
        },
    ));
    Ok(out)
}

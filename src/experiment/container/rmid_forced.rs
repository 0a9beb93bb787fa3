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
use crate::i18n::t;
use crate::kernel::sysctl;
use crate::model::{ContainerRecord, ContainerStep};
use crate::sys::mman::{MapOptions, Mapping};
use crate::sys::{ChildStatus, Key, ShmId, xsi};
use crate::tr;

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
        return Err(tr!("container-creator-failed", how = ended.join(", ")));
    }
    Ok((ShmId(id.load(SeqCst) as i32), gone.load(SeqCst) == 1))
}

fn exists(shmid: ShmId) -> bool {
    xsi::status(shmid).is_ok()
}

fn set(value: &str) -> std::result::Result<(), String> {
    sysctl::write(std::path::Path::new(SETTING), value)
        .map_err(|e| tr!("container-rmid-write-failed", value = value, file = SETTING, error = e))
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
        return Err(t("container-rmid-host-namespace"));
    }
    let place = crate::model::ContainerRecord::place_named("container-place-namespace");
    let record = |id: &str, call: &str, shows: String, lesson: &str| {
        ContainerRecord::new(STEP, id, &place, who, call, &shows, lesson)
    };
    let words = Mapping::shared_anonymous(4096, MapOptions::default()).map_err(failed("mmap"))?;
    let mut out = Vec::new();
    let start = sysctl::read(std::path::Path::new(SETTING)).unwrap_or_default();
    out.push(record(
        "default",
        &format!("unshare({flags}); cat /proc/sys/kernel/shm_rmid_forced"),
        tr!("container-rmid-default-shows", value = start.trim(), host = host_value),
        &t("container-rmid-default-lesson"),
    ));
    set("0")?;
    // Every later observation is about whether a segment is still there:
    // its lesson when the kernel did what the step expects, else UNEXPECTED.
    let segment = |id: &str, call: &str, shows: String, exists: bool, expected: bool, lesson: &str, wrong: &str| {
        let lesson = t(if exists == expected { lesson } else { wrong });
        record(id, call, shows, &lesson).with(|r| {
            r.exists = Some(exists);
            r.inside = Some(all_rows());
        })
    };
    let there = |exists: bool| t(if exists { "container-still-there" } else { "container-gone" });

    let (kept, _) = run_creator(&words, false)?;
    let kept_exists = exists(kept);
    out.push(segment(
        "off-creator-exits",
        &tr!("container-rmid-creator-call", value = 0),
        tr!("container-rmid-creator-shows", shmid = kept, state = there(kept_exists)),
        kept_exists,
        true,
        "container-off-creator-lesson",
        "container-off-creator-unexpected",
    ));
    let (detached, _) = run_creator(&words, true)?;
    let detached_exists = exists(detached);
    out.push(segment(
        "off-last-detach",
        &t("container-off-detach-call"),
        tr!(
            "container-off-detach-shows",
            shmid = detached,
            state = t(if detached_exists { "container-still-there-nattch-0" } else { "container-gone" })
        ),
        detached_exists,
        true,
        "container-off-detach-lesson",
        "container-off-detach-unexpected",
    ));

    set("1")?;
    let orphans_left = [kept, detached].into_iter().filter(|id| exists(*id)).count();
    out.push(segment(
        "turn-on",
        "echo 1 > /proc/sys/kernel/shm_rmid_forced",
        tr!("container-turn-on-shows", left = orphans_left),
        orphans_left > 0,
        false,
        "container-turn-on-lesson",
        "container-turn-on-unexpected",
    ));

    let (unattached, _) = run_creator(&words, false)?;
    let unattached_exists = exists(unattached);
    out.push(segment(
        "on-creator-exits",
        &tr!("container-rmid-creator-call", value = 1),
        tr!("container-rmid-creator-shows", shmid = unattached, state = there(unattached_exists)),
        unattached_exists,
        false,
        "container-on-creator-lesson",
        "container-on-creator-unexpected",
    ));
    let (at_detach, gone_at_detach) = run_creator(&words, true)?;
    out.push(segment(
        "on-last-detach",
        &t("container-on-detach-call"),
        tr!(
            "container-on-detach-shows",
            shmid = at_detach,
            state = t(if gone_at_detach { "container-gone-ipc-stat" } else { "container-still-there" })
        ),
        !gone_at_detach,
        false,
        "container-on-detach-lesson",
        "container-on-detach-unexpected",
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
        &crate::model::ContainerRecord::place_named("container-place-host"),
        &who,
        &t("container-host-unchanged-call"),
        &tr!("container-host-unchanged-shows", before = host_before, after = host_after),
        &t(if host_before == host_after {
            "container-host-unchanged-lesson"
        } else {
            "container-host-unchanged-unexpected"
        }),
    ));
    Ok(out)
}

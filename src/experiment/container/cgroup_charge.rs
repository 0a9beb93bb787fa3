//! `container cgroup-charge`: whose memory cgroup pays for shared memory.
//!
//! The kernel charges a shared page to the memory cgroup of the process
//! that first touches it (mm/shmem.c `shmem_alloc_and_add_folio` →
//! `mem_cgroup_charge`, against the faulting task's group), and the charge
//! stays with the page, not with the process: when the toucher exits the
//! segment still exists and so does the charge. A process in another group
//! that maps and reads the same pages allocates nothing and is charged
//! nothing. Removing the segment frees the pages and the charge. And
//! shared memory cannot be reclaimed without swap, so a touch past the
//! limit ends in the group's OOM killer (SIGKILL), not SIGBUS: that is a
//! Kubernetes `emptyDir: {medium: Memory}` getting its pod OOM-killed.
//!
//! Two groups, A (the toucher's) and B (the reader's), each limited to
//! `--limit`; the segment is two thirds of the limit, the one that goes
//! past it twice the limit.

use std::sync::atomic::Ordering::SeqCst;
use std::time::Duration;

use super::memory_group::MemoryGroup;
use super::{Privilege, ended_by, mib, touch_every_page};
use crate::error::{Error, Result, SysContext};
use crate::experiment::children::Children;
use crate::experiment::{Events, wait};
use crate::i18n::t;
use crate::model::{Charge, ContainerRecord, ContainerStep};
use crate::region::OwnedSegment;
use crate::sys::mman::{MapOptions, Mapping};
use crate::sys::{ChildStatus, Key, ShmId, process, xsi};
use crate::tr;

const STEP: ContainerStep = ContainerStep::CgroupCharge;
const LIMIT: Duration = Duration::from_secs(60);

// Words of the control page.
const PROGRESS: usize = 0;
const READY: usize = 1;
const GO: usize = 2;

/// A registered IPC_PRIVATE segment of `size` bytes, removed when dropped.
fn new_segment(size: u64) -> Result<OwnedSegment> {
    let flags = xsi::GetFlags { create: true, exclusive: false, huge_page_bytes: None, no_reserve: false, mode: 0o600 };
    OwnedSegment::create(Key::PRIVATE, size as usize, flags)?.sys(
        "shmget",
        || format!("IPC_PRIVATE, {}", mib(size)),
        "",
    )
}

/// The segment's row of /proc/sysvipc/shm, as the records show rows.
fn segment_row(shmid: ShmId) -> String {
    crate::kernel::sysvipc::segments()
        .iter()
        .find(|r| r.shmid == shmid)
        .map_or_else(|| t("container-no-row"), super::row_text)
}

/// What a child of the step does once it is in its group.
#[derive(Clone, Copy)]
enum Part {
    Touch,
    Read,
}

/// In a child: joins `group`, attaches the segment, touches or reads every
/// page, says so, and waits for the go to exit (so that shmlab reads the
/// charge while it is still alive, then after it has gone).
fn child(group: &MemoryGroup, shmid: ShmId, part: Part, control: &Mapping) -> ChildStatus {
    if let Err(e) = group.join() {
        return ChildStatus::CallFailed(crate::sys::errno_of(e));
    }
    let view = match xsi::attach(shmid) {
        Ok(view) => view,
        Err(e) => return ChildStatus::CallFailed(e),
    };
    let words = control.words();
    match part {
        Part::Touch => touch_every_page(&view, &words[PROGRESS]),
        Part::Read => {
            let page_words = process::page_size() as usize / 8;
            let sum: u64 = view.words().iter().step_by(page_words).map(|w| w.load(SeqCst)).fold(0, u64::wrapping_add);
            words[PROGRESS].store(sum | 1, SeqCst);
        }
    }
    words[READY].store(1, SeqCst);
    let go = || words[GO].load(SeqCst) == 1;
    match wait::until(LIMIT, Duration::from_millis(1), go) {
        Ok(true) => ChildStatus::Done,
        _ => ChildStatus::GaveUp,
    }
}

struct Step<'a> {
    a: MemoryGroup,
    b: MemoryGroup,
    who: &'a str,
    records: Vec<ContainerRecord>,
}

impl Step<'_> {
    fn charge(&self) -> Charge {
        let (a, b) = (self.a.read(), self.b.read());
        Charge {
            a_charged: a.charged,
            a_shmem: a.shmem,
            b_charged: b.charged,
            b_shmem: b.shmem,
            a_oom_kills: a.oom_kills,
        }
    }

    fn push(
        &mut self,
        id: &str,
        place: &str,
        call: &str,
        shows: String,
        lesson: &str,
        set: impl FnOnce(&mut ContainerRecord),
    ) {
        let charge = self.charge();
        let shows = tr!(
            "container-charge-shows",
            shows = shows,
            a = mib(charge.a_charged),
            a_shmem = mib(charge.a_shmem),
            b = mib(charge.b_charged),
            b_shmem = mib(charge.b_shmem)
        );
        let record = ContainerRecord::new(
            STEP,
            id,
            &crate::model::ContainerRecord::place_named(place),
            self.who,
            call,
            &shows,
            &t(lesson),
        )
        .with(|r| {
            r.charge = Some(charge);
            set(r);
        });
        self.records.push(record);
    }
}

/// Forks a child that does `part` in `group`; returns once it is ready
/// (or has ended), with the children to release and wait for.
fn start(group: &MemoryGroup, segment: &OwnedSegment, part: Part, control: &Mapping) -> Result<Children> {
    for w in control.words().iter().take(3) {
        w.store(0, SeqCst);
    }
    let mut children = Children::new();
    let pid = children.spawn(|| child(group, segment.shmid, part, control))?;
    let words = control.words();
    let ready =
        wait::until(LIMIT, Duration::from_millis(1), || words[READY].load(SeqCst) == 1 || process::has_ended(pid))?;
    if !ready {
        return Err(Error::failed(tr!("container-child-late", group = group.name(), limit = wait::words(LIMIT))));
    }
    Ok(children)
}

/// Lets the child go and waits until it has exited.
fn release(mut children: Children, control: &Mapping) -> Result<()> {
    control.words()[GO].store(1, SeqCst);
    let reaped = children.wait_all(LIMIT)?;
    if reaped.succeeded == 1 {
        Ok(())
    } else {
        Err(Error::failed(match ended_by(&reaped) {
            Ok(Some(signal)) => tr!("container-cgroup-child-killed", signal = signal),
            Ok(None) => t("container-cgroup-child-unfinished"),
            Err(why) => tr!("container-cgroup-child-failed", why = why),
        }))
    }
}

pub fn run(privilege: &Privilege, limit: u64, events: &mut dyn Events) -> Result<Vec<ContainerRecord>> {
    let Some((version, parent)) = privilege.cgroups.clone() else {
        return Err(Error::unavailable(t("container-cgroup-no-place")));
    };
    let size = limit * 2 / 3 / (1 << 20) * (1 << 20);
    // The toucher past the limit is stopped there by the kernel.
    super::check_room(limit, Some("limit"))?;
    let control =
        Mapping::shared_anonymous(4096, MapOptions::default()).sys("mmap", || t("container-control-page"), "")?;
    let a = MemoryGroup::create(&parent, version, "a", limit)?;
    let b = MemoryGroup::create(&parent, version, "b", limit)?;
    let mut step = Step { a, b, who: &privilege.words, records: Vec::new() };
    step.push(
        "groups",
        "container-place-host",
        &tr!(
            "container-groups-call",
            dirs = format!("{}/{{{},{}}}", parent.display(), step.a.name(), step.b.name()),
            limit = limit,
            file = crate::kernel::memcg::limit_file(version)
        ),
        tr!("container-groups-shows", version = version.name(), limit = mib(limit)),
        "container-groups-lesson",
        |_| {},
    );
    events.note(&tr!("container-groups-made", a = step.a.name(), b = step.b.name(), parent = parent.display()));

    let segment = new_segment(size)?;
    step.push(
        "created",
        "container-place-host",
        &tr!("container-created-call", size = mib(size)),
        tr!("container-created-shows", row = segment_row(segment.shmid)),
        "container-created-lesson",
        |r| r.size = Some(size),
    );

    let toucher = start(&step.a, &segment, Part::Touch, &control)?;
    let charged = step.charge().a_shmem;
    step.push(
        "touched",
        "container-place-cgroup-a",
        &t("container-touched-call"),
        tr!("container-touched-shows", size = mib(size)),
        if charged >= size * 9 / 10 { "container-touched-lesson" } else { "container-touched-unexpected" },
        |r| r.size = Some(size),
    );
    release(toucher, &control)?;
    let still = step.charge().a_shmem;
    step.push(
        "toucher-exited",
        "container-place-cgroup-a",
        &t("container-exited-call"),
        tr!(
            "container-exited-shows",
            holds = match step.a.processes() {
                0 => t("container-no-process"),
                1 => t("container-one-process"),
                n => tr!("container-processes", n = n),
            },
            row = segment_row(segment.shmid)
        ),
        if still >= size * 9 / 10 { "container-exited-lesson" } else { "container-exited-unexpected" },
        |r| r.size = Some(size),
    );

    let reader = start(&step.b, &segment, Part::Read, &control)?;
    let b_charged = step.charge().b_shmem;
    step.push(
        "read-from-b",
        "container-place-cgroup-b",
        &t("container-read-call"),
        tr!("container-read-shows", size = mib(size)),
        if b_charged < size / 10 { "container-read-lesson" } else { "container-read-unexpected" },
        |r| r.size = Some(size),
    );
    release(reader, &control)?;

    drop(segment);
    let left = step.charge().a_shmem;
    step.push(
        "removed",
        "container-place-host",
        "shmctl(shmid, IPC_RMID, NULL)",
        t("container-removed-shows"),
        if left < size / 10 { "container-removed-lesson" } else { "container-charge-stayed" },
        |r| r.size = Some(size),
    );

    let big = new_segment(limit * 2)?;
    let oom_before = step.charge().a_oom_kills;
    let toucher = start(&step.a, &big, Part::Touch, &control)?;
    let mut children = toucher;
    let reaped = children.wait_all(LIMIT)?;
    let signal = ended_by(&reaped).map_err(Error::failed)?;
    let reached = control.words()[PROGRESS].load(SeqCst);
    let oom_after = step.charge().a_oom_kills;
    let killed = signal.as_deref() == Some("SIGKILL") && oom_after > oom_before;
    step.push(
        "past-limit",
        "container-place-cgroup-a",
        &tr!("container-past-limit-call", size = mib(limit * 2)),
        tr!(
            "container-past-limit-shows",
            ended = signal.as_ref().map_or(t("container-exited"), |s| tr!("container-killed-by", signal = s)),
            reached = mib(reached),
            before = oom_before,
            after = oom_after
        ),
        if killed { "container-past-limit-lesson" } else { "container-past-limit-unexpected" },
        |r| {
            r.signal = signal.clone();
            r.reached = Some(reached);
            r.size = Some(limit * 2);
        },
    );
    drop(big);
    let left = step.charge().a_shmem;
    step.push(
        "oom-removed",
        "container-place-host",
        &t("container-oom-removed-call"),
        t("container-oom-removed-shows"),
        if left < limit / 10 { "container-oom-removed-lesson" } else { "container-charge-stayed" },
        |r| r.size = Some(limit * 2),
    );
    Ok(step.records)
}

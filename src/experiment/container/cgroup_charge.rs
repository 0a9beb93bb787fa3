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
use crate::model::{Charge, ContainerRecord, ContainerStep};
use crate::region::OwnedSegment;
use crate::sys::mman::{MapOptions, Mapping};
use crate::sys::{ChildStatus, Key, ShmId, process, xsi};

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
        .map_or("no row: the segment is gone".to_string(), super::row_text)
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
        let shows = format!(
            "{shows}; A {} (shmem {}), B {} (shmem {})",
            mib(charge.a_charged),
            mib(charge.a_shmem),
            mib(charge.b_charged),
            mib(charge.b_shmem)
        );
        let record = ContainerRecord::new(STEP, id, place, self.who, call, &shows, lesson).with(|r| {
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
        return Err(Error::failed(format!(
            "the child in {} did not finish within {}",
            group.name(),
            wait::words(LIMIT)
        )));
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
        let why = match ended_by(&reaped) {
            Ok(Some(signal)) => format!("was killed by {signal}"),
            Ok(None) => "did not finish".to_string(),
            Err(why) => why,
        };
        Err(Error::failed(format!("a child of the cgroup step {why}")))
    }
}

pub fn run(privilege: &Privilege, limit: u64, events: &mut dyn Events) -> Result<Vec<ContainerRecord>> {
    let Some((version, parent)) = privilege.cgroups.clone() else {
        return Err(Error::unavailable("cgroup-charge needs a place for memory cgroups"));
    };
    let size = limit * 2 / 3 / (1 << 20) * (1 << 20);
    // The toucher past the limit is stopped there by the kernel.
    super::check_room(limit, Some("limit"))?;
    let control =
        Mapping::shared_anonymous(4096, MapOptions::default()).sys("mmap", || "the control page".into(), "")?;
    let a = MemoryGroup::create(&parent, version, "a", limit)?;
    let b = MemoryGroup::create(&parent, version, "b", limit)?;
    let mut step = Step { a, b, who: &privilege.words, records: Vec::new() };
    step.push(
        "groups",
        "host",
        &format!(
            "mkdir {}/{{{},{}}}; echo {} > each one's {}",
            parent.display(),
            step.a.name(),
            step.b.name(),
            limit,
            crate::kernel::memcg::limit_file(version)
        ),
        format!("two {} memory groups, each limited to {}", version.name(), mib(limit)),
        "a container is a cgroup like these: its limit is on everything charged to it",
        |_| {},
    );
    events.note(&format!("cgroups {} and {} made under {}", step.a.name(), step.b.name(), parent.display()));

    let segment = new_segment(size)?;
    step.push(
        "created",
        "host",
        &format!("shmget(IPC_PRIVATE, {}, 0600) from shmlab's own cgroup", mib(size)),
        format!("/proc/sysvipc/shm: {}", segment_row(segment.shmid)),
        "creating a segment allocates no page, so it charges nobody",
        |r| r.size = Some(size),
    );

    let toucher = start(&step.a, &segment, Part::Touch, &control)?;
    let charged = step.charge().a_shmem;
    step.push(
        "touched",
        "cgroup A",
        "a child in A: echo $$ > cgroup.procs; shmat; write every page",
        format!("the child in A touched {}", mib(size)),
        if charged >= size * 9 / 10 {
            "the pages are charged to the group of the process that touched them first: a /dev/shm or an \
             emptyDir of medium Memory counts against the container's memory limit"
        } else {
            "UNEXPECTED: A was not charged for the pages its child touched"
        },
        |r| r.size = Some(size),
    );
    release(toucher, &control)?;
    let still = step.charge().a_shmem;
    step.push(
        "toucher-exited",
        "cgroup A",
        "the child in A exits (its attachment goes with it)",
        format!(
            "A holds {}; /proc/sysvipc/shm: {}",
            match step.a.processes() {
                0 => "no process".to_string(),
                1 => "1 process".to_string(),
                n => format!("{n} processes"),
            },
            segment_row(segment.shmid)
        ),
        if still >= size * 9 / 10 {
            "the charge outlives the process: it belongs to the pages, and the pages to the segment, which still \
             exists (a cgroup can stay charged with nobody in it)"
        } else {
            "UNEXPECTED: the charge went with the process"
        },
        |r| r.size = Some(size),
    );

    let reader = start(&step.b, &segment, Part::Read, &control)?;
    let b_charged = step.charge().b_shmem;
    step.push(
        "read-from-b",
        "cgroup B",
        "a child in B: echo $$ > cgroup.procs; shmat; read every page",
        format!("the child in B read all {}", mib(size)),
        if b_charged < size / 10 {
            "a process that only maps and reads pages someone else touched allocates nothing, so its group is \
             not charged: the first toucher pays for everybody"
        } else {
            "UNEXPECTED: B was charged for pages it only read"
        },
        |r| r.size = Some(size),
    );
    release(reader, &control)?;

    drop(segment);
    let left = step.charge().a_shmem;
    step.push(
        "removed",
        "host",
        "shmctl(shmid, IPC_RMID, NULL)",
        "the segment is destroyed (nattch was 0)".into(),
        if left < size / 10 {
            "removing the segment frees its pages and releases the charge"
        } else {
            "UNEXPECTED: the charge stayed after the segment was removed"
        },
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
        "cgroup A",
        &format!("shmget(IPC_PRIVATE, {}); a child in A writes every page", mib(limit * 2)),
        format!(
            "the child {} after touching {}; A's oom_kill count {oom_before} → {oom_after}",
            signal.as_ref().map_or("exited".to_string(), |s| format!("was killed by {s}")),
            mib(reached)
        ),
        if killed {
            "past the limit the kernel tries to reclaim, cannot (shared memory only goes to swap), and the group's \
             OOM killer ends the toucher with SIGKILL: not a SIGBUS, and not an error a program can handle"
        } else {
            "UNEXPECTED: touching past the limit did not end in an OOM kill"
        },
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
        "host",
        "shmctl(shmid, IPC_RMID, NULL) on the segment the killed child was touching",
        "the segment is destroyed".into(),
        if left < limit / 10 {
            "the OOM kill freed nothing: the group stayed at its limit, charged for the segment, until the segment \
             itself was removed (a Kubernetes emptyDir in memory outlives a crashed container, and so does \
             what it holds)"
        } else {
            "UNEXPECTED: the charge stayed after the segment was removed"
        },
        |r| r.size = Some(limit * 2),
    );
    Ok(step.records)
}

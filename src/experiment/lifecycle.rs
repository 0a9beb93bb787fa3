//! `shmlab lifecycle`: the life of a shared memory object, step by step,
//! with real separate processes, and after each step what the kernel shows.
//!
//! Process A creates the object, writes a value and exits without removing
//! it. Process B finds it again (by key or name), reads A's value, detaches,
//! attaches again, and stays attached while shmlab removes the object: the
//! object is then "marked for removal" and goes only when B lets go. For
//! anonymous mmap there is nothing to find: the memory lives exactly as
//! long as the processes that map it.
//!
//! A small anonymous shared page carries commands from shmlab to B and B's
//! answers back. Whatever happens (error, Ctrl-C), the children are killed
//! and the object is removed when this experiment's guards drop. A waits
//! for a "go" until shmlab has recorded what A is about to create, so a
//! kill at any moment leaves `shmlab clean` a record to find it by; and
//! only what A really created is ever removed (A reports its id or inode).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{Events, Lab};
use crate::error::{Error, Result, SysContext};
use crate::experiment::children::Children;
use crate::i18n::t;
use crate::kernel::machine::Machine;
use crate::kernel::{maps, sysvipc};
use crate::model::Step;
use crate::region::{Backend, XsiKey, unique_name};
use crate::registry::{self, Entry, FileId};
use crate::sys::mman::{MapOptions, Mapping};
use crate::sys::{ChildStatus, Errno, ShmId, posix_shm, process, xsi};
use crate::tr;

/// The value A writes and B reads.
const VALUE: u64 = 42;
const STEP_DEADLINE: Duration = Duration::from_secs(5);

// Words of the control page.
const CMD: usize = 0;
const ACK: usize = 1;
const SEEN: usize = 2;
const B_ADDR: usize = 3;
const B_PID: usize = 4;
/// Set by shmlab once A's object is recorded: A may create it.
const GO: usize = 5;
/// What A reports: the errno of its failed call, or the id / device and
/// inode of what it created.
const A_ERRNO: usize = 6;
const A_SHMID: usize = 7;
const A_DEV: usize = 8;
const A_INO: usize = 9;

// Commands to B.
const ATTACH: u64 = 1;
const DETACH: u64 = 2;
const READ: u64 = 3;
const EXIT: u64 = 4;

/// Removes the object A made, if it still is the one A made, when dropped:
/// the registry record written before A could create it, checked the way
/// `shmlab clean` checks (see `registry::standing`).
///
/// Declare it before the `Children` that run A and B, so that it drops
/// after them: the children are killed first, then the object goes.
struct Leftover(registry::Record);

impl Drop for Leftover {
    fn drop(&mut self) {
        registry::remove_if_ours(self.0.registered());
    }
}

/// In A: waits until shmlab says go (it has recorded A's object).
fn wait_for_go(control: &Mapping) -> bool {
    let go = || control.words()[GO].load(Ordering::SeqCst) != 0;
    super::wait::until(STEP_DEADLINE, Duration::from_micros(200), go).unwrap_or(false)
}

/// In A: reports a failed call's errno and returns A's exit status.
fn a_failed(control: &Mapping, errno: Errno) -> ChildStatus {
    control.words()[A_ERRNO].store(errno as u64, Ordering::SeqCst);
    ChildStatus::CallFailed(errno)
}

/// What A reported, after it ended: `Err(errno)` if its call failed.
fn a_outcome(control: &Mapping, succeeded: bool) -> std::result::Result<(), Errno> {
    match control.words()[A_ERRNO].load(Ordering::SeqCst) {
        0 if succeeded => Ok(()),
        0 => Err(Errno::UnknownErrno),
        e => Err(Errno::from_raw(e as i32)),
    }
}

struct Demo {
    control: Mapping,
    steps: Vec<Step>,
}

impl Demo {
    fn words(&self) -> &[AtomicU64] {
        self.control.words()
    }

    /// Sends `cmd` to B and waits for its answer.
    fn tell_b(&self, cmd: u64) -> Result<()> {
        self.words()[ACK].store(0, Ordering::SeqCst);
        self.words()[CMD].store(cmd, Ordering::SeqCst);
        if !super::wait::until(STEP_DEADLINE, Duration::from_millis(1), || {
            self.words()[ACK].load(Ordering::SeqCst) == cmd
        })? {
            return Err(Error::failed(tr!(
                "lifecycle-b-no-answer",
                cmd = cmd,
                deadline = super::wait::words(STEP_DEADLINE)
            )));
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        actor: &str,
        action: String,
        shows: String,
        exists: bool,
        attached: Option<u64>,
        marked: bool,
        lesson: &str,
    ) {
        self.steps.push(Step {
            step: self.steps.len() as u32 + 1,
            actor: actor.to_string(),
            action,
            kernel_shows: shows,
            exists,
            attached,
            marked_for_removal: marked,
            lesson: lesson.to_string(),
        });
    }
}

/// B's loop: wait for a command, carry it out on `attach`/`detach`, answer.
fn serve_b(control: &Mapping, mut attach: impl FnMut() -> std::result::Result<Mapping, Errno>) -> ChildStatus {
    let words = control.words();
    words[B_PID].store(process::own_pid().as_raw() as u64, Ordering::SeqCst);
    let mut view: Option<Mapping> = None;
    loop {
        let cmd = words[CMD].swap(0, Ordering::SeqCst);
        match cmd {
            ATTACH => match attach() {
                Ok(m) => {
                    words[SEEN].store(m.words()[0].load(Ordering::SeqCst), Ordering::SeqCst);
                    words[B_ADDR].store(m.address() as u64, Ordering::SeqCst);
                    view = Some(m);
                }
                Err(e) => return ChildStatus::CallFailed(e),
            },
            DETACH => view = None,
            READ => {
                let seen = view.as_ref().map_or(0, |m| m.words()[0].load(Ordering::SeqCst));
                words[SEEN].store(seen, Ordering::SeqCst);
            }
            EXIT => {
                words[ACK].store(EXIT, Ordering::SeqCst);
                return ChildStatus::Done;
            }
            _ => {
                process::sleep(Duration::from_micros(500));
                continue;
            }
        }
        words[ACK].store(cmd, Ordering::SeqCst);
    }
}

/// lifecycle's own ftok project id: not the racing lab's 1234, so that
/// lifecycle can run while a racing or memory run holds that key.
pub const DEFAULT_PROJ_ID: i32 = 108;

fn default_proj_id() -> i32 {
    DEFAULT_PROJ_ID
}

/// The kinds of object whose life the lab can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Xsi,
    Posix,
    Mmap,
}

fn default_kind() -> Kind {
    Kind::Xsi
}

/// The lifecycle lab's parameters, for `shmlab lifecycle` and a suite's `"lifecycle"` run.
#[derive(Debug, Clone, clap::Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Which kind of object
    #[arg(long, default_value = "xsi", value_name = "BACKEND")]
    #[serde(default = "default_kind")]
    pub backend: Kind,

    /// File whose inode ftok turns into the xsi key
    #[arg(long, default_value = super::params::DEFAULT_KEY_PATH, value_name = "PATH")]
    #[serde(default = "super::params::default_key_path")]
    pub key_path: std::path::PathBuf,

    /// ftok project id for the xsi key (low 8 bits, not 0). Not the racing lab's 1234, so that
    /// lifecycle can run while a racing or memory run holds that key
    #[arg(long, default_value_t = DEFAULT_PROJ_ID, value_name = "N")]
    #[serde(default = "default_proj_id")]
    pub proj_id: i32,
}

/// A validated lifecycle: the backend and, for xsi, its key.
#[derive(Debug, Clone)]
pub struct LifecyclePlan {
    pub backend: Backend,
    pub xsi_key: XsiKey,
}

/// The lifecycle lab.
pub struct Lifecycle;

impl Lab for Lifecycle {
    const NAME: &'static str = "lifecycle";
    type Params = Params;
    type Plan = LifecyclePlan;
    type Record = Step;

    fn validate(p: &Params, _: &Machine) -> Result<LifecyclePlan> {
        let backend = match p.backend {
            Kind::Xsi => Backend::Xsi,
            Kind::Posix => Backend::Posix,
            Kind::Mmap => Backend::Mmap,
        };
        let xsi_key =
            if backend == Backend::Xsi { super::params::xsi_key(&p.key_path, p.proj_id)? } else { XsiKey::default() };
        Ok(LifecyclePlan { backend, xsi_key })
    }

    fn run(plan: &LifecyclePlan, events: &mut dyn Events) -> Result<Vec<Step>> {
        let steps = run(plan.backend, &plan.xsi_key)?;
        for s in &steps {
            events.finished(&s.clone().into());
        }
        Ok(steps)
    }
}

fn run(backend: Backend, xsi_key: &XsiKey) -> Result<Vec<Step>> {
    let control =
        Mapping::shared_anonymous(4096, MapOptions::default()).sys("mmap", || t("lifecycle-control-page"), "")?;
    let mut demo = Demo { control, steps: Vec::new() };
    match backend {
        Backend::Xsi => xsi_story(&mut demo, xsi_key)?,
        Backend::Posix => posix_story(&mut demo)?,
        Backend::Mmap => mmap_story(&mut demo)?,
        other => {
            return Err(Error::usage(tr!("lifecycle-which-backends", backend = other)));
        }
    }
    Ok(demo.steps)
}

fn segment_row(shmid: ShmId) -> Option<sysvipc::ShmRow> {
    sysvipc::segments().into_iter().find(|s| s.shmid == shmid)
}

fn describe_row(row: &Option<sysvipc::ShmRow>) -> String {
    match row {
        Some(s) => tr!(
            if s.marked_for_removal() { "lifecycle-row-dest" } else { "lifecycle-row" },
            key = format!("{:#010x}", s.key),
            shmid = s.shmid,
            perms = format!("{:o}", s.perms & 0o777),
            nattch = s.nattch,
            cpid = s.cpid
        ),
        None => t("lifecycle-row-none"),
    }
}

fn xsi_story(demo: &mut Demo, key_spec: &XsiKey) -> Result<()> {
    let key = key_spec.resolve()?;
    if crate::kernel::sysctl::read_u64(&crate::kernel::sysctl::proc_path("kernel.shm_rmid_forced")) == Some(1) {
        return Err(Error::unavailable(t("lifecycle-rmid-forced")));
    }
    // Declared before the children so that it drops after them; set once A exists.
    let mut leftover: Option<Leftover> = None;
    let mut children = Children::new();

    // 1. A creates, writes, exits.
    let control = &demo.control;
    let a = children.spawn(|| {
        if !wait_for_go(control) {
            return ChildStatus::GaveUp;
        }
        let id = match xsi::create(key, 4096, xsi::CreateFlags { exclusive: true, ..Default::default() }) {
            Ok(id) => id,
            Err(e) => return a_failed(control, e),
        };
        control.words()[A_SHMID].store(id.0 as u64, Ordering::SeqCst);
        let m = match xsi::attach(id) {
            Ok(m) => m,
            Err(e) => return ChildStatus::CallFailed(e),
        };
        m.words()[0].store(VALUE, Ordering::SeqCst);
        ChildStatus::Done // exits without IPC_RMID; the attachment goes with the process
    })?;
    // Recorded before A may create: a kill from here on leaves a record.
    let record = registry::record(Entry::XsiSegment { key, creator_pid: a.as_raw(), shmid: None })?;
    let leftover = leftover.insert(Leftover(record));
    demo.words()[GO].store(1, Ordering::SeqCst);
    let reaped = children.wait_all(STEP_DEADLINE)?;
    let text = format!("ftok({}, {})", key_spec.path.display(), key_spec.proj_id);
    match a_outcome(&demo.control, reaped.succeeded == 1) {
        Ok(()) => {}
        Err(Errno::EEXIST) => return Err(crate::region::xsi_key_taken(key, &text)),
        Err(e) => {
            return Err(Error::sys(
                &t("lifecycle-shmget-in-a"),
                &tr!("lifecycle-key-object", key = format!("{key:#010x}"), ftok = &text),
                e,
                "",
            ));
        }
    }
    let shmid = ShmId(demo.words()[A_SHMID].load(Ordering::SeqCst) as i32);
    leftover.0.update(Entry::XsiSegment { key, creator_pid: a.as_raw(), shmid: Some(shmid) })?;
    let row = segment_row(shmid);
    demo.record(
        &tr!("lifecycle-actor-a", pid = a),
        tr!("lifecycle-xsi-a-action", key = format!("{key:#010x}"), value = VALUE),
        describe_row(&row),
        row.is_some(),
        row.as_ref().map(|r| r.nattch),
        false,
        &t("lifecycle-xsi-a-lesson"),
    );

    // 2. B finds it by key and reads A's value.
    let control = &demo.control;
    let b = children.spawn(|| serve_b(control, || xsi::lookup(key).and_then(xsi::attach)))?;
    demo.tell_b(ATTACH)?;
    let seen = demo.words()[SEEN].load(Ordering::SeqCst);
    let row = segment_row(shmid);
    demo.record(
        &tr!("lifecycle-actor-b", pid = b),
        tr!("lifecycle-xsi-b-action", key = format!("{key:#010x}"), seen = seen),
        describe_row(&row),
        row.is_some(),
        row.as_ref().map(|r| r.nattch),
        false,
        &t("lifecycle-xsi-b-lesson"),
    );

    // 3. B detaches.
    demo.tell_b(DETACH)?;
    let row = segment_row(shmid);
    demo.record(
        &tr!("lifecycle-actor-b", pid = b),
        "shmdt".into(),
        describe_row(&row),
        row.is_some(),
        row.as_ref().map(|r| r.nattch),
        false,
        &t("lifecycle-xsi-detach-lesson"),
    );

    // 4. B attaches again.
    demo.tell_b(ATTACH)?;
    let row = segment_row(shmid);
    demo.record(
        &tr!("lifecycle-actor-b", pid = b),
        tr!("lifecycle-xsi-again-action", key = format!("{key:#010x}")),
        describe_row(&row),
        row.is_some(),
        row.as_ref().map(|r| r.nattch),
        false,
        &t("lifecycle-xsi-again-lesson"),
    );

    // 5. shmlab removes the segment while B holds it.
    xsi::remove(shmid).sys("shmctl(IPC_RMID)", || format!("shmid {shmid}"), "")?;
    demo.tell_b(READ)?;
    let seen = demo.words()[SEEN].load(Ordering::SeqCst);
    let row = segment_row(shmid);
    demo.record(
        "shmlab",
        tr!("lifecycle-xsi-rmid-action", shmid = shmid, seen = seen),
        describe_row(&row),
        row.is_some(),
        row.as_ref().map(|r| r.nattch),
        row.as_ref().is_some_and(|r| r.marked_for_removal()),
        &t("lifecycle-xsi-rmid-lesson"),
    );

    // 6. Only the key is lost: by its id the segment still answers.
    let hex = format!("{key:#010x}");
    let by_key = match xsi::lookup(key) {
        Ok(id) => tr!("lifecycle-by-key-found", key = &hex, shmid = id),
        Err(errno) => format!("shmget({hex}, 0, 0): {errno}"),
    };
    let by_id = match xsi::status(shmid) {
        Ok(st) => tr!(
            if st.marked_for_removal() { "lifecycle-by-id-dest" } else { "lifecycle-by-id-not-dest" },
            shmid = shmid,
            nattch = st.attached
        ),
        Err(errno) => format!("shmctl({shmid}, IPC_STAT): {errno}"),
    };
    let attach = match xsi::attach(shmid) {
        Ok(view) => tr!("lifecycle-attach-read", shmid = shmid, seen = view.words()[0].load(Ordering::SeqCst)),
        Err(errno) => format!("shmat({shmid}): {errno}"),
    }; // detached again here, as the view drops
    let row = segment_row(shmid);
    demo.record(
        "shmlab",
        tr!("lifecycle-by-id-action", by_key = by_key, by_id = by_id, attach = attach),
        describe_row(&row),
        row.is_some(),
        row.as_ref().map(|r| r.nattch),
        row.as_ref().is_some_and(|r| r.marked_for_removal()),
        &t("lifecycle-by-id-lesson"),
    );

    // 7. B exits: the last attachment goes, and the segment with it.
    demo.tell_b(EXIT)?;
    children.wait_all(STEP_DEADLINE)?;
    let row = segment_row(shmid);
    demo.record(
        &tr!("lifecycle-actor-b", pid = b),
        t("lifecycle-xsi-exit-action"),
        describe_row(&row),
        row.is_some(),
        row.as_ref().map(|r| r.nattch),
        false,
        &t("lifecycle-xsi-exit-lesson"),
    );
    Ok(())
}

fn devshm_state(name: &str) -> (bool, String) {
    let path = posix_shm::object_path(name);
    match std::fs::metadata(&path) {
        Ok(m) => {
            use std::os::unix::fs::MetadataExt;
            (
                true,
                tr!("lifecycle-devshm-exists", path = &path, size = m.len(), mode = format!("{:o}", m.mode() & 0o777)),
            )
        }
        Err(_) => (false, tr!("lifecycle-devshm-none", path = &path)),
    }
}

fn b_maps(demo: &Demo) -> Option<maps::MappingView> {
    let pid = demo.words()[B_PID].load(Ordering::SeqCst);
    let addr = demo.words()[B_ADDR].load(Ordering::SeqCst) as usize;
    maps::find(&pid.to_string(), addr)
}

fn posix_story(demo: &mut Demo) -> Result<()> {
    let name = unique_name("/");
    // Before the children: it drops after them, once A can no longer create the name again.
    let mut leftover: Option<Leftover> = None;
    let mut children = Children::new();

    let control = &demo.control;
    let a = children.spawn(|| {
        if !wait_for_go(control) {
            return ChildStatus::GaveUp;
        }
        let fd = match posix_shm::create_exclusive(&name) {
            Ok(fd) => fd,
            Err(e) => return a_failed(control, e),
        };
        let file = std::fs::File::from(fd);
        if let Ok(meta) = file.metadata() {
            use std::os::unix::fs::MetadataExt;
            control.words()[A_DEV].store(meta.dev(), Ordering::SeqCst);
            control.words()[A_INO].store(meta.ino(), Ordering::SeqCst);
        }
        // Allocated now, so that a full /dev/shm is an ENOSPC, not a SIGBUS at the write below.
        if let Err(e) = posix_shm::set_len(&file, 4096).and_then(|_| posix_shm::allocate(&file, 4096)) {
            return a_failed(control, e);
        }
        let m = match Mapping::shared_file(std::os::fd::AsFd::as_fd(&file), 4096, MapOptions::default()) {
            Ok(m) => m,
            Err(e) => return ChildStatus::CallFailed(e),
        };
        m.words()[0].store(VALUE, Ordering::SeqCst);
        ChildStatus::Done
    })?;
    // Recorded before A may create: a kill from here on leaves a record.
    let record = registry::record(Entry::PosixShm { name: name.clone(), file: None })?;
    let leftover = leftover.insert(Leftover(record));
    demo.words()[GO].store(1, Ordering::SeqCst);
    let reaped = children.wait_all(STEP_DEADLINE)?;
    // The file A made, as A saw it: only that file is ever unlinked.
    let made = FileId {
        dev: demo.words()[A_DEV].load(Ordering::SeqCst),
        ino: demo.words()[A_INO].load(Ordering::SeqCst),
        uid: process::effective_uid(),
    };
    if made.ino != 0 {
        leftover.0.update(Entry::PosixShm { name: name.clone(), file: Some(made) })?;
    }
    match a_outcome(&demo.control, reaped.succeeded == 1) {
        Ok(()) => {}
        Err(e) => return Err(crate::region::devshm_error(&t("lifecycle-shm-open-in-a"), &name, e)),
    }
    let (exists, shows) = devshm_state(&name);
    demo.record(
        &tr!("lifecycle-actor-a", pid = a),
        tr!("lifecycle-posix-a-action", name = &name, value = VALUE),
        shows,
        exists,
        None,
        false,
        &t("lifecycle-posix-a-lesson"),
    );

    let control = &demo.control;
    let b_name = name.clone();
    let b = children.spawn(move || {
        serve_b(control, || {
            let fd = posix_shm::open_existing(&b_name)?;
            Mapping::shared_file(std::os::fd::AsFd::as_fd(&fd), 4096, MapOptions::default())
        })
    })?;
    demo.tell_b(ATTACH)?;
    let seen = demo.words()[SEEN].load(Ordering::SeqCst);
    let (exists, shows) = devshm_state(&name);
    let line = b_maps(demo).map(|m| m.maps_line).unwrap_or_default();
    demo.record(
        &tr!("lifecycle-actor-b", pid = b),
        tr!("lifecycle-posix-b-action", name = &name, seen = seen),
        tr!("lifecycle-with-b-maps", shows = shows, line = line),
        exists,
        None,
        false,
        &t("lifecycle-posix-b-lesson"),
    );

    demo.tell_b(DETACH)?;
    let (exists, shows) = devshm_state(&name);
    demo.record(
        &tr!("lifecycle-actor-b", pid = b),
        "munmap".into(),
        shows,
        exists,
        None,
        false,
        &t("lifecycle-posix-unmap-lesson"),
    );

    demo.tell_b(ATTACH)?;
    let (exists, shows) = devshm_state(&name);
    demo.record(
        &tr!("lifecycle-actor-b", pid = b),
        tr!("lifecycle-posix-again-action", name = &name),
        shows,
        exists,
        None,
        false,
        &t("lifecycle-posix-again-lesson"),
    );
    match registry::standing(leftover.0.registered()) {
        registry::Standing::Ours(_) => posix_shm::unlink(&name).sys("shm_unlink", || name.clone(), "")?,
        other => {
            return Err(Error::failed(tr!("lifecycle-not-a-object", name = &name, standing = format!("{other:?}"))));
        }
    }
    demo.tell_b(READ)?;
    let seen = demo.words()[SEEN].load(Ordering::SeqCst);
    let (exists, shows) = devshm_state(&name);
    let line = b_maps(demo).map(|m| m.maps_line).unwrap_or_default();
    demo.record(
        "shmlab",
        tr!("lifecycle-posix-unlink-action", name = &name, seen = seen),
        tr!("lifecycle-with-b-maps", shows = shows, line = &line),
        exists,
        None,
        line.contains("(deleted)"),
        &t("lifecycle-posix-unlink-lesson"),
    );

    demo.tell_b(EXIT)?;
    children.wait_all(STEP_DEADLINE)?;
    let (exists, shows) = devshm_state(&name);
    demo.record(
        &tr!("lifecycle-actor-b", pid = b),
        t("lifecycle-exited"),
        tr!("lifecycle-posix-exit-shows", shows = shows),
        exists,
        None,
        false,
        &t("lifecycle-posix-exit-lesson"),
    );
    Ok(())
}

fn mmap_story(demo: &mut Demo) -> Result<()> {
    // B will outlive its parent A; as a subreaper shmlab inherits it then,
    // so that it can reap it.
    process::become_subreaper();
    let result = mmap_steps(demo);
    // B has no parent-death signal (it must outlive A): on any early return
    // it would run on, so it is killed and reaped here.
    let b = demo.words()[B_PID].swap(0, Ordering::SeqCst) as i32;
    if b > 0 {
        let pid = crate::sys::Pid::from_raw(b);
        process::send(pid, nix::sys::signal::Signal::SIGKILL);
        let _ = process::reap(pid);
    }
    result
}

fn mmap_steps(demo: &mut Demo) -> Result<()> {
    let mut children = Children::new();
    let control = &demo.control;
    let shmlab = process::own_pid();
    // A maps, writes, forks B (which inherits the mapping), and exits.
    let a = children.spawn(|| {
        let m = match Mapping::shared_anonymous(4096, MapOptions::default()) {
            Ok(m) => m,
            Err(e) => return ChildStatus::CallFailed(e),
        };
        m.words()[0].store(VALUE, Ordering::SeqCst);
        control.words()[B_ADDR].store(m.address() as u64, Ordering::SeqCst);
        match process::fork_adoptee(shmlab, STEP_DEADLINE, || inherited_read(&m, control)) {
            Ok(b) => {
                control.words()[B_PID].store(b.as_raw() as u64, Ordering::SeqCst);
                ChildStatus::Done
            }
            Err(e) => ChildStatus::CallFailed(e),
        }
    })?;
    children.wait_all(STEP_DEADLINE)?;
    demo.record(
        &tr!("lifecycle-actor-a", pid = a),
        tr!("lifecycle-mmap-a-action", value = VALUE),
        t("lifecycle-mmap-a-shows"),
        false,
        None,
        false,
        &t("lifecycle-mmap-a-lesson"),
    );
    if !super::wait::until(STEP_DEADLINE, Duration::from_millis(1), || demo.words()[B_PID].load(Ordering::SeqCst) != 0)?
    {
        return Err(Error::failed(tr!("lifecycle-b-never-started", deadline = super::wait::words(STEP_DEADLINE))));
    }
    let b = demo.words()[B_PID].load(Ordering::SeqCst) as i32;
    demo.tell_b(READ)?;
    let seen = demo.words()[SEEN].load(Ordering::SeqCst);
    let line = b_maps(demo).map(|m| m.maps_line).unwrap_or_default();
    demo.record(
        &tr!("lifecycle-actor-b", pid = b),
        tr!("lifecycle-mmap-b-action", seen = seen),
        tr!("lifecycle-b-maps", line = &line),
        !line.is_empty(),
        None,
        false,
        &t("lifecycle-mmap-b-lesson"),
    );
    demo.tell_b(EXIT)?;
    // B ends by itself now; reap it and tell mmap_story there is no one to kill.
    let _ = process::reap(crate::sys::Pid::from_raw(b));
    demo.words()[B_PID].store(0, Ordering::SeqCst);
    demo.record(
        &tr!("lifecycle-actor-b", pid = b),
        t("lifecycle-exited"),
        tr!("lifecycle-mmap-exit-shows", pid = b),
        false,
        None,
        false,
        &t("lifecycle-mmap-exit-lesson"),
    );
    Ok(())
}

/// How long B waits for a command before it gives up (a last resort: B
/// dies with shmlab through its parent-death signal).
const B_IDLE_LIMIT: Duration = Duration::from_secs(10);

/// B in the mmap story: it answers READ from the mapping it inherited.
fn inherited_read(mapping: &Mapping, control: &Mapping) -> ChildStatus {
    let words = control.words();
    words[B_PID].store(process::own_pid().as_raw() as u64, Ordering::SeqCst);
    let mut idle_since = Instant::now();
    loop {
        match words[CMD].swap(0, Ordering::SeqCst) {
            READ => {
                words[SEEN].store(mapping.words()[0].load(Ordering::SeqCst), Ordering::SeqCst);
                words[ACK].store(READ, Ordering::SeqCst);
                idle_since = Instant::now();
            }
            EXIT => {
                words[ACK].store(EXIT, Ordering::SeqCst);
                return ChildStatus::Done;
            }
            _ if idle_since.elapsed() > B_IDLE_LIMIT => return ChildStatus::GaveUp,
            _ => process::sleep(Duration::from_micros(500)),
        }
    }
}

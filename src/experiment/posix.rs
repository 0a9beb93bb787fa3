//! `shmlab posix`: what a POSIX shared-memory descriptor really gives a
//! program, step by step on real descriptors.
//!
//! `shm_open` is an `open` of a tmpfs file: it has a path, an inode, a size
//! that `ftruncate` sets and blocks that only touching allocates, and
//! permissions. It is not a waitable event: `poll` and `select` call it
//! ready at once, whatever the memory holds, and `epoll` refuses it
//! (EPERM), which the article's last paragraph gets wrong; an eventfd
//! beside the memory is what wakes a reader. A descriptor can be passed to
//! a process that shares nothing else (SCM_RIGHTS), and a receiver that
//! does not trust the sender needs seals, or the sender can kill it with
//! SIGBUS by shrinking the file.

use std::io::Read;
use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::children::Children;
use super::{Events, Lab, wait};
use crate::error::{Error, Result, SysContext, errno_text};
use crate::i18n::t;
use crate::kernel::machine::Machine;
use crate::model::PosixStep;
use crate::registry::{self, Entry, FileId};
use crate::sys::descriptor::{self, Epoll, Seals};
use crate::sys::eventfd::EventFd;
use crate::sys::mman::{MapOptions, Mapping, ReadOnlyMapping};
use crate::sys::process::Ended;
use crate::sys::{ChildStatus, Errno, clock, posix_shm};
use crate::tr;

/// The posix lab takes no parameters.
#[derive(Debug, Clone, Default, clap::Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {}

pub struct Posix;

/// How long a step's child may take.
const STEP_DEADLINE: Duration = Duration::from_secs(10);
/// What the creator writes, so a reader can show it saw the creator's bytes.
const VALUE: u64 = 0x5348_4d4c_4142_0001;
/// The file sizes of the steps.
const GROWN: usize = 1 << 20;
const TOUCHED: usize = 64 << 10;
const SHRUNK: usize = 4096;
/// Where the SIGBUS step's child reads, past the end of the shrunk file.
const SIGBUS_OFFSET: usize = 32 << 10;

/// Words of the control page shared with the steps' children.
const READY: usize = 0;
const GO: usize = 1;
const SEEN: usize = 2;
const WOKE_NS: usize = 3;
const OFFSET: usize = 4;

impl Lab for Posix {
    const NAME: &'static str = "posix";
    type Params = Params;
    type Plan = ();
    type Record = PosixStep;

    fn validate(_: &Params, _: &Machine) -> Result<()> {
        Ok(())
    }

    fn run(_: &(), events: &mut dyn Events) -> Result<Vec<PosixStep>> {
        let mut steps = Vec::new();
        let mut push = |s: PosixStep, events: &mut dyn Events| {
            events.finished(&s.clone().into());
            steps.push(s);
        };
        let control =
            Mapping::shared_anonymous(4096, MapOptions::default()).sys("mmap", || t("lifecycle-control-page"), "")?;
        let object = NamedObject::create()?;
        for s in descriptor_steps(&object)? {
            push(s, events);
        }
        for s in readiness_steps(&object, &control)? {
            push(s, events);
        }
        for s in passing_steps()? {
            push(s, events);
        }
        for s in seal_steps(&control)? {
            push(s, events);
        }
        Ok(steps)
    }

    fn failure(steps: &[PosixStep]) -> Option<String> {
        steps
            .iter()
            .find(|s| unexpected(&s.lesson))
            .map(|s| tr!("posix-failure", step = &s.step, shows = &s.kernel_shows))
    }
}

/// A lesson that says the kernel did not behave as the step expects: it
/// begins with the catalog's mark (`UNEXPECTED`, `意外` in a Chinese run).
fn unexpected(lesson: &str) -> bool {
    crate::i18n::begins_with_message(lesson, "posix-unexpected-mark")
}

/// A failed std call as a system call error, its errno kept.
fn io_error(call: &str, object: &str, e: std::io::Error) -> Error {
    match e.raw_os_error() {
        Some(raw) => {
            let object = if object.is_empty() { t("posix-new-pair") } else { object.to_string() };
            Error::sys(call, &object, Errno::from_raw(raw), "")
        }
        None => Error::usage(tr!("posix-call-failed", call = call, error = e)),
    }
}

/// How children ended, as people read it: `killed by SIGBUS, exit status 3`.
fn ended_list(ended: &[Ended]) -> String {
    if ended.is_empty() {
        return t("posix-no-abnormal-end");
    }
    ended.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", ")
}

fn step(step: &str, call: impl Into<String>, kernel_shows: impl Into<String>, lesson: impl Into<String>) -> PosixStep {
    PosixStep {
        step: step.into(),
        call: call.into(),
        kernel_shows: kernel_shows.into(),
        errno: None,
        signal: None,
        lesson: lesson.into(),
    }
}

/// A POSIX shared-memory object this run created, unlinked on drop only if
/// it still is the one created (same device and inode).
struct NamedObject {
    name: String,
    fd: OwnedFd,
    record: registry::Record,
}

impl NamedObject {
    fn create() -> Result<Self> {
        for _ in 0..8 {
            let name = crate::region::unique_name("/");
            let record = registry::record(Entry::PosixShm { name: name.clone(), file: None })?;
            let fd = match posix_shm::create_exclusive(&name) {
                Ok(fd) => fd,
                Err(Errno::EEXIST) => continue,
                Err(e) => return Err(crate::region::devshm_error("shm_open", &name, e)),
            };
            // From here the object is unlinked on drop (if it still is the
            // one created), whatever fails next.
            let mut object = Self { name, fd, record };
            let st = descriptor::facts(object.fd.as_fd()).sys("fstat", || object.name.clone(), "")?;
            let file = FileId { dev: st.device, ino: st.inode, uid: crate::sys::process::effective_uid() };
            object.record.update(Entry::PosixShm { name: object.name.clone(), file: Some(file) })?;
            return Ok(object);
        }
        Err(Error::usage(t("posix-names-colliding")))
    }
}

impl Drop for NamedObject {
    fn drop(&mut self) {
        registry::remove_if_ours(self.record.registered());
    }
}

fn facts_text(fd: &OwnedFd) -> String {
    match descriptor::facts(fd.as_fd()) {
        Ok(f) => tr!(
            "posix-fstat",
            size = f.size,
            mode = format!("{:04o}", f.mode),
            inode = f.inode,
            blocks = f.blocks,
            kib = f.blocks / 2
        ),
        Err(e) => tr!("posix-fstat-failed", errno = errno_text(e)),
    }
}

fn descriptor_steps(object: &NamedObject) -> Result<Vec<PosixStep>> {
    let fd = &object.fd;
    let raw = std::os::fd::AsRawFd::as_raw_fd(fd);
    let link = std::fs::read_link(format!("/proc/self/fd/{raw}")).map(|p| p.display().to_string()).unwrap_or_default();
    let mut out = vec![step(
        "open",
        format!("shm_open(\"{}\", O_RDWR|O_CREAT|O_EXCL, 0600)", object.name),
        format!("/proc/self/fd/{raw} -> {link}{}{}", t("clause-gap"), facts_text(fd)),
        t("posix-open-lesson"),
    )];
    posix_shm::set_len(fd, GROWN).sys("ftruncate", || object.name.clone(), "")?;
    out.push(step("grow", format!("ftruncate(fd, {GROWN})"), facts_text(fd), t("posix-grow-lesson")));
    {
        let mapping =
            Mapping::shared_file(fd.as_fd(), GROWN, MapOptions::default()).sys("mmap", || object.name.clone(), "")?;
        mapping.fill(0..TOUCHED, 1);
        mapping.words()[0].store(VALUE, Ordering::SeqCst);
    }
    out.push(step("touch", tr!("posix-touch-call", kib = TOUCHED >> 10), facts_text(fd), t("posix-touch-lesson")));
    descriptor::change_mode(fd.as_fd(), 0o640).sys("fchmod", || object.name.clone(), "")?;
    out.push(step("fchmod", "fchmod(fd, 0640)", facts_text(fd), t("posix-fchmod-lesson")));
    posix_shm::set_len(fd, SHRUNK).sys("ftruncate", || object.name.clone(), "")?;
    out.push(step("shrink", format!("ftruncate(fd, {SHRUNK})"), facts_text(fd), t("posix-shrink-lesson")));
    Ok(out)
}

fn readiness_steps(object: &NamedObject, control: &Mapping) -> Result<Vec<PosixStep>> {
    let fd = &object.fd;
    let mut out = Vec::new();
    let (r, w) = descriptor::poll_now(fd.as_fd()).sys("poll", || object.name.clone(), "")?;
    out.push(step(
        "poll",
        "poll({fd, POLLIN|POLLOUT}, 1, 0)",
        tr!(
            "posix-poll-shows",
            revents = format!("{}{}", if r { " POLLIN" } else { "" }, if w { " POLLOUT" } else { "" })
        ),
        if r && w { t("posix-poll-lesson") } else { t("posix-poll-unexpected") },
    ));
    let (r, w) = descriptor::select_now(fd.as_fd()).sys("select", || object.name.clone(), "")?;
    out.push(step(
        "select",
        "select(fd+1, {fd}, {fd}, NULL, {0, 0})",
        tr!(
            "posix-select-shows",
            readable = t(if r { "posix-true" } else { "posix-false" }),
            writable = t(if w { "posix-true" } else { "posix-false" })
        ),
        if r && w { t("posix-select-lesson") } else { t("posix-select-unexpected") },
    ));
    let epoll = Epoll::new().sys("epoll_create1", || t("posix-epoll-instance"), "")?;
    let mut s = match epoll.watch(fd.as_fd()) {
        Err(e) => {
            let mut s = step(
                "epoll",
                "epoll_ctl(epfd, EPOLL_CTL_ADD, fd, {EPOLLIN})",
                tr!("posix-failed-errno", errno = errno_text(e)),
                t("posix-epoll-lesson"),
            );
            s.errno = Some(format!("{e:?}"));
            s
        }
        Ok(()) => step("epoll", "epoll_ctl(EPOLL_CTL_ADD)", t("posix-accepted"), t("posix-epoll-unexpected")),
    };
    if s.errno.as_deref() != Some("EPERM") && s.errno.is_some() {
        s.lesson = tr!("posix-unexpected-errno", lesson = &s.lesson);
    }
    out.push(s);
    out.push(eventfd_step(object, control)?);
    Ok(out)
}

/// A reader blocked in epoll_wait on an eventfd, woken by the writer after
/// it wrote the data into the shared memory.
fn eventfd_step(object: &NamedObject, control: &Mapping) -> Result<PosixStep> {
    let mapping = Mapping::shared_file(object.fd.as_fd(), SHRUNK, MapOptions::default()).sys(
        "mmap",
        || object.name.clone(),
        "",
    )?;
    let event = EventFd::new().sys("eventfd", || t("posix-wake-up"), "")?;
    let words = control.words();
    for w in &words[..8] {
        w.store(0, Ordering::SeqCst);
    }
    mapping.words()[0].store(0, Ordering::SeqCst);
    let mut children = Children::new();
    let reader = children.spawn(|| {
        let body = || -> std::result::Result<(), Errno> {
            let epoll = Epoll::new()?;
            epoll.watch(event.as_fd())?;
            words[READY].store(1, Ordering::SeqCst);
            if !epoll.wait(10_000)? {
                return Err(Errno::ETIMEDOUT);
            }
            words[WOKE_NS].store(clock::monotonic_ns(), Ordering::SeqCst);
            words[SEEN].store(mapping.words()[0].load(Ordering::SeqCst), Ordering::SeqCst);
            Ok(())
        };
        body().into()
    })?;
    if !wait::until(STEP_DEADLINE, Duration::from_millis(1), || words[READY].load(Ordering::SeqCst) == 1)? {
        return Err(Error::failed(t("posix-eventfd-reader-never-started")));
    }
    // Let it reach epoll_wait and sleep there.
    std::thread::sleep(Duration::from_millis(50));
    let state = crate::kernel::process_state(reader).map_or_else(|| "?".to_string(), String::from);
    mapping.words()[0].store(VALUE, Ordering::SeqCst);
    let written = clock::monotonic_ns();
    event.signal(1).sys("write", || t("posix-the-eventfd"), "")?;
    let reaped = children.wait_all(STEP_DEADLINE)?;
    if reaped.succeeded != 1 {
        return Err(Error::failed(tr!("posix-eventfd-reader-failed", ended = ended_list(&reaped.failed))));
    }
    let seen = words[SEEN].load(Ordering::SeqCst);
    let woke_us = words[WOKE_NS].load(Ordering::SeqCst).saturating_sub(written) as f64 / 1000.0;
    Ok(step(
        "eventfd",
        t("posix-eventfd-call"),
        tr!(
            match (state == "S", seen == VALUE) {
                (true, true) => "posix-eventfd-shows-sleeping",
                (true, false) => "posix-eventfd-shows-sleeping-not-value",
                (false, true) => "posix-eventfd-shows",
                (false, false) => "posix-eventfd-shows-not-value",
            },
            pid = reader,
            state = &state,
            woke_us = format!("{woke_us:.0}"),
            seen = format!("{seen:#x}")
        ),
        if seen == VALUE { t("posix-eventfd-lesson") } else { t("posix-eventfd-unexpected") },
    ))
}

/// SCM_RIGHTS to a process that shares no memory with the creator, and a
/// file mapping opened by path.
fn passing_steps() -> Result<Vec<PosixStep>> {
    let name = format!("shmlab-{}", crate::registry::random_hex());
    let memfd = posix_shm::memfd(&name, None).sys("memfd_create", || name.clone(), "")?;
    posix_shm::set_len(&memfd, SHRUNK).sys("ftruncate", || name.clone(), "")?;
    Mapping::shared_file(memfd.as_fd(), SHRUNK, MapOptions::default()).sys("mmap", || name.clone(), "")?.words()[0]
        .store(VALUE, Ordering::SeqCst);
    let dir = crate::region::file::private_dir()?;
    let (path, file) = dir.create_file("shared")?;
    posix_shm::set_len(&file, SHRUNK).sys("ftruncate", || path.display().to_string(), "")?;
    Mapping::shared_file(file.as_fd(), SHRUNK, MapOptions::default())
        .sys("mmap", || path.display().to_string(), "")?
        .words()[0]
        .store(VALUE + 1, Ordering::SeqCst);
    let (ours, theirs) = std::os::unix::net::UnixStream::pair().map_err(|e| io_error("socketpair(AF_UNIX)", "", e))?;
    let exe = std::env::current_exe().map_err(|e| Error::usage(tr!("posix-no-own-program", error = e)))?;
    let mut helper = std::process::Command::new(exe)
        .arg("__posix-helper")
        .arg(&path)
        .stdin(std::process::Stdio::from(OwnedFd::from(theirs)))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| io_error("fork/exec", &t("posix-helper-process"), e))?;
    let sent = descriptor::send_descriptor(ours.as_fd(), memfd.as_fd());
    let finished = wait::until(STEP_DEADLINE, Duration::from_millis(2), || matches!(helper.try_wait(), Ok(Some(_))));
    if !matches!(finished, Ok(true)) {
        let _ = helper.kill();
        let _ = helper.wait();
        finished?;
        return Err(Error::failed(tr!("posix-helper-late", deadline = wait::words(STEP_DEADLINE))));
    }
    sent.sys("sendmsg(SCM_RIGHTS)", || t("posix-helper-socket"), "")?;
    let mut said = String::new();
    if let Some(mut out) = helper.stdout.take() {
        let _ = out.read_to_string(&mut said);
    }
    let field = |key: &str| {
        said.split_whitespace()
            .skip_while(|w| *w != key)
            .nth(1)
            .and_then(|v| u64::from_str_radix(v.trim_start_matches("0x"), 16).ok())
    };
    let pid = said.split_whitespace().skip_while(|w| *w != "pid").nth(1).unwrap_or("?").to_string();
    let via_fd = field("memfd");
    let via_path = field("file");
    drop(dir);
    let ok = |v: Option<u64>, want: u64| v == Some(want);
    Ok(vec![
        step(
            "scm-rights",
            t("posix-scm-call"),
            tr!("posix-scm-shows", pid = &pid, read = via_fd.map_or(t("posix-nothing"), |v| format!("{v:#x}"))),
            if ok(via_fd, VALUE) { t("posix-scm-lesson") } else { t("posix-scm-unexpected") },
        ),
        step(
            "unrelated-file",
            tr!("posix-file-call", path = path.display()),
            tr!("posix-file-shows", read = via_path.map_or(t("posix-nothing"), |v| format!("{v:#x}"))),
            if ok(via_path, VALUE + 1) { t("posix-file-lesson") } else { t("posix-file-unexpected") },
        ),
    ])
}

/// The hidden helper of the scm-rights step (`shmlab __posix-helper PATH`):
/// receive a descriptor on stdin, map it and the file at `path`, and say
/// what both hold.
pub fn helper(path: &std::path::Path) -> Result<String> {
    let stdin = std::io::stdin();
    let fd = descriptor::receive_descriptor(stdin.as_fd()).sys("recvmsg(SCM_RIGHTS)", || "stdin".into(), "")?;
    let via_fd = Mapping::shared_file(fd.as_fd(), SHRUNK, MapOptions::default())
        .sys("mmap", || t("posix-received-descriptor"), "")?
        .words()[0]
        .load(Ordering::SeqCst);
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| io_error("open", &path.display().to_string(), e))?;
    let via_path = Mapping::shared_file(file.as_fd(), SHRUNK, MapOptions::default())
        .sys("mmap", || path.display().to_string(), "")?
        .words()[0]
        .load(Ordering::SeqCst);
    Ok(format!("pid {} memfd {via_fd:#x} file {via_path:#x}\n", std::process::id()))
}

/// The receiver killed by SIGBUS when an unsealed file shrinks under it,
/// and the sealed file whose shrink fails.
fn seal_steps(control: &Mapping) -> Result<Vec<PosixStep>> {
    let words = control.words();
    let reset = || {
        for w in &words[..8] {
            w.store(0, Ordering::SeqCst);
        }
    };
    let mut out = Vec::new();

    // Unsealed: the sender shrinks the file while the receiver maps it.
    reset();
    let name = format!("shmlab-{}", crate::registry::random_hex());
    let memfd = posix_shm::memfd(&name, None).sys("memfd_create", || name.clone(), "")?;
    posix_shm::set_len(&memfd, TOUCHED).sys("ftruncate", || name.clone(), "")?;
    let mut children = Children::new();
    children.spawn(|| {
        // It is meant to die of SIGBUS: no core dump of it.
        crate::sys::process::no_core_dumps();
        let Ok(view) = Mapping::shared_file(memfd.as_fd(), TOUCHED, MapOptions::default()) else {
            return ChildStatus::Failed;
        };
        words[READY].store(1, Ordering::SeqCst);
        if !wait::until(STEP_DEADLINE, Duration::from_millis(1), || words[GO].load(Ordering::SeqCst) == 1)
            .unwrap_or(false)
        {
            return ChildStatus::GaveUp;
        }
        words[OFFSET].store(SIGBUS_OFFSET as u64, Ordering::SeqCst);
        let v = view.words()[SIGBUS_OFFSET / 8].load(Ordering::SeqCst);
        words[SEEN].store(v, Ordering::SeqCst);
        ChildStatus::Done
    })?;
    if !wait::until(STEP_DEADLINE, Duration::from_millis(1), || words[READY].load(Ordering::SeqCst) == 1)? {
        return Err(Error::failed(t("posix-unsealed-never-started")));
    }
    posix_shm::set_len(&memfd, 0).sys("ftruncate", || name.clone(), "")?;
    words[GO].store(1, Ordering::SeqCst);
    let reaped = children.wait_all(STEP_DEADLINE)?;
    let offset = words[OFFSET].load(Ordering::SeqCst);
    let killed_by = reaped.failed.iter().find_map(|e| match e {
        Ended::Killed(sig) => Some(sig.as_str().to_string()),
        _ => None,
    });
    let mut s = step(
        "unsealed-shrink",
        t("posix-unsealed-call"),
        match &killed_by {
            Some(sig) => tr!("posix-unsealed-killed", signal = sig, offset = offset),
            None => tr!("posix-unsealed-not-killed", ended = ended_list(&reaped.failed)),
        },
        if killed_by.as_deref() == Some("SIGBUS") {
            t("posix-unsealed-lesson")
        } else {
            t("posix-unsealed-unexpected")
        },
    );
    s.signal = killed_by;
    out.push(s);

    // Sealed: the receiver checks the seals; the sender's shrink fails.
    reset();
    let fd = descriptor::sealable_memfd(&name).sys("memfd_create(MFD_ALLOW_SEALING)", || name.clone(), "")?;
    let data: Vec<u8> = (0..TOUCHED / 8).flat_map(|i| (VALUE + i as u64).to_ne_bytes()).collect();
    descriptor::write_all(&fd, &data).sys("write", || name.clone(), "")?;
    let seals = Seals { shrink: true, grow: true, write: true, seal: false };
    descriptor::add_seals(fd.as_fd(), seals).sys("fcntl(F_ADD_SEALS)", || name.clone(), "")?;
    let mut children = Children::new();
    children.spawn(|| {
        let body = || -> std::result::Result<(), Errno> {
            let found = descriptor::seals(fd.as_fd())?;
            if !(found.shrink && found.grow && found.write) {
                return Err(Errno::EPERM);
            }
            let view = ReadOnlyMapping::of_file(fd.as_fd(), TOUCHED)?;
            words[READY].store(1, Ordering::SeqCst);
            if !wait::until(STEP_DEADLINE, Duration::from_millis(1), || words[GO].load(Ordering::SeqCst) == 1)
                .unwrap_or(false)
            {
                return Err(Errno::ETIMEDOUT);
            }
            words[SEEN].store(view.word(SIGBUS_OFFSET / 8), Ordering::SeqCst);
            Ok(())
        };
        body().into()
    })?;
    if !wait::until(STEP_DEADLINE, Duration::from_millis(1), || words[READY].load(Ordering::SeqCst) == 1)? {
        let reaped = children.wait_all(STEP_DEADLINE)?;
        return Err(Error::failed(tr!("posix-sealed-never-started", ended = ended_list(&reaped.failed))));
    }
    let shrink = posix_shm::set_len(&fd, 0);
    words[GO].store(1, Ordering::SeqCst);
    let reaped = children.wait_all(STEP_DEADLINE)?;
    let seen = words[SEEN].load(Ordering::SeqCst);
    let want = VALUE + (SIGBUS_OFFSET / 8) as u64;
    let mut s = step(
        "sealed-shrink",
        tr!("posix-sealed-call", seals = seals.describe()),
        tr!(
            "posix-sealed-shows",
            shrink = match shrink {
                Ok(()) => t("posix-succeeded"),
                Err(e) => tr!("posix-failed-errno", errno = errno_text(e)),
            },
            seen = format!("{seen:#x}"),
            offset = SIGBUS_OFFSET,
            ended = if reaped.succeeded == 1 { t("posix-normally") } else { ended_list(&reaped.failed) }
        ),
        if shrink == Err(Errno::EPERM) && reaped.succeeded == 1 && seen == want {
            t("posix-sealed-lesson")
        } else {
            t("posix-sealed-unexpected")
        },
    );
    s.errno = shrink.err().map(|e| format!("{e:?}"));
    out.push(s);
    Ok(out)
}

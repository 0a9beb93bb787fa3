//! `container dev-shm-size`: Docker's 64 MiB /dev/shm, in a mount namespace
//! of our own.
//!
//! A tmpfs allocates a page when it is first written, not when the file is
//! sized, so a POSIX object larger than the tmpfs is created, truncated
//! and mapped without complaint; the process that touches the page past
//! the tmpfs's size gets SIGBUS (mm/shmem.c: the fault returns
//! VM_FAULT_SIGBUS when `shmem_inode_acct_blocks` finds no room). That is
//! PyTorch's "DataLoader worker killed by signal: Bus error".
//! `posix_fallocate` asks for every page up front and gets ENOSPC instead,
//! which is what PostgreSQL does ("could not resize shared memory segment").
//! A SysV segment lives on the kernel's internal shm mount, not on
//! /dev/shm, so the container's /dev/shm size does not limit it at all.
//! The fixes follow: a bigger tmpfs (`docker run --shm-size`, a resized
//! mount), or a file elsewhere (Chrome's `--disable-dev-shm-usage`).

use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering::SeqCst;
use std::time::Duration;

use super::sandbox::{Inside, Sandbox};
use super::{Privilege, ended_by, failed, mib, touch_every_page};
use crate::error::{Result, errno_text};
use crate::experiment::Events;
use crate::experiment::children::Children;
use crate::i18n::t;
use crate::model::{ContainerRecord, ContainerStep};
use crate::region::{private_dir, unique_name};
use crate::sys::mman::{MapOptions, Mapping};
use crate::sys::{Errno, Key, fs, posix_shm, xsi};
use crate::tr;

const STEP: ContainerStep = ContainerStep::DevShmSize;
const TOUCH_LIMIT: Duration = Duration::from_secs(60);

/// Used and total bytes of the tmpfs at /dev/shm, as `df` shows them.
fn dev_shm_use() -> (u64, u64) {
    fs::space(Path::new(posix_shm::SHM_DIR)).map_or((0, 0), |(free, total)| (total.saturating_sub(free), total))
}

fn df() -> String {
    let (used, total) = dev_shm_use();
    tr!("container-df", used = mib(used), total = mib(total))
}

/// Touches all of `view` in a child; how it ended and the bytes it touched.
fn touch_in_child(view: &Mapping) -> std::result::Result<(Option<String>, u64), String> {
    let progress = Mapping::shared_anonymous(4096, MapOptions::default()).map_err(failed("mmap"))?;
    let mut children = Children::new();
    children
        .spawn(|| {
            touch_every_page(view, &progress.words()[0]);
            crate::sys::ChildStatus::Done
        })
        .map_err(|e| e.message)?;
    let reaped = children.wait_all(TOUCH_LIMIT).map_err(|e| e.message)?;
    Ok((ended_by(&reaped)?, progress.words()[0].load(SeqCst)))
}

fn ending(signal: &Option<String>) -> String {
    signal.as_ref().map_or(t("container-exited-normally"), |s| tr!("container-killed-by", signal = s))
}

/// Everything inside the namespaces; the records go back to shmlab.
fn inside(
    inside: &Inside,
    who: &str,
    flags: &str,
    shm_size: u64,
    fallback_dir: &Path,
) -> std::result::Result<(), String> {
    let place = crate::model::ContainerRecord::place_named("container-place-container");
    let record = |id: &str, call: &str, shows: String, lesson: &str| {
        ContainerRecord::new(STEP, id, &place, who, call, &shows, &t(lesson))
    };
    let object = (shm_size * 2) as usize;
    let mut out = Vec::new();
    let dev_shm = Path::new(posix_shm::SHM_DIR);
    inside.mount_tmpfs(dev_shm, shm_size)?;
    out.push(
        record(
            "mount",
            &format!("unshare({flags}); mount -t tmpfs -o size={}m tmpfs /dev/shm", shm_size >> 20),
            df(),
            "container-mount-lesson",
        )
        .with(|r| r.size = Some(shm_size)),
    );

    // The object larger than the tmpfs: truncate, map, touch.
    let name = unique_name("/");
    let fd = posix_shm::create_exclusive(&name).map_err(failed("shm_open"))?;
    let sized = posix_shm::set_len(&fd, object);
    let allocated = std::fs::metadata(posix_shm::object_path(&name)).map_or(0, |m| {
        use std::os::unix::fs::MetadataExt;
        m.blocks() * 512
    });
    let outcome = |result: std::result::Result<(), Errno>| match result {
        Ok(()) => t("container-succeeded"),
        Err(e) => tr!("container-failed-with", errno = errno_text(e)),
    };
    out.push(
        record(
            "ftruncate",
            &format!("fd = shm_open(\"{name}\", O_CREAT|O_EXCL|O_RDWR); ftruncate(fd, {})", mib(object as u64)),
            tr!("container-ftruncate-shows", outcome = outcome(sized), allocated = mib(allocated), df = df()),
            if sized.is_ok() { "container-ftruncate-lesson" } else { "container-ftruncate-unexpected" },
        )
        .with(|r| {
            r.errno = sized.err().map(|e| format!("{e:?}"));
            r.size = Some(object as u64);
        }),
    );
    if sized.is_err() {
        let _ = posix_shm::unlink(&name);
        return inside.report(&out);
    }
    let mapped = Mapping::shared_file(fd.as_fd(), object, MapOptions::default());
    out.push(
        record(
            "mmap",
            &format!("mmap(NULL, {}, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0)", mib(object as u64)),
            outcome(mapped.as_ref().map(drop).map_err(|e| *e)),
            if mapped.is_ok() { "container-mmap-lesson" } else { "container-mmap-unexpected" },
        )
        .with(|r| r.errno = mapped.as_ref().err().map(|e| format!("{e:?}"))),
    );
    let Ok(view) = mapped else {
        let _ = posix_shm::unlink(&name);
        return inside.report(&out);
    };
    let (signal, reached) = touch_in_child(&view)?;
    let sigbus = signal.as_deref() == Some("SIGBUS");
    out.push(
        record(
            "touch",
            &t("container-touch-call"),
            tr!(
                "container-touch-shows",
                ended = ending(&signal),
                reached = mib(reached),
                size = mib(object as u64),
                df = df()
            ),
            if sigbus && reached == shm_size { "container-touch-lesson" } else { "container-touch-unexpected" },
        )
        .with(|r| {
            r.signal = signal.clone();
            r.reached = Some(reached);
            r.size = Some(object as u64);
        }),
    );
    drop(view);
    drop(fd);
    posix_shm::unlink(&name).map_err(failed("shm_unlink"))?;

    // The same size, allocated up front.
    let name = unique_name("/");
    let fd = posix_shm::create_exclusive(&name).map_err(failed("shm_open"))?;
    let allocated = posix_shm::allocate(&fd, object);
    out.push(
        record(
            "fallocate",
            &format!("fd = shm_open(\"{name}\", ...); posix_fallocate(fd, 0, {})", mib(object as u64)),
            tr!("container-fallocate-shows", outcome = outcome(allocated), df = df()),
            if allocated == Err(Errno::ENOSPC) {
                "container-fallocate-lesson"
            } else {
                "container-fallocate-unexpected"
            },
        )
        .with(|r| {
            r.errno = allocated.err().map(|e| format!("{e:?}"));
            r.size = Some(object as u64);
        }),
    );
    drop(fd);
    posix_shm::unlink(&name).map_err(failed("shm_unlink"))?;

    // A SysV segment of the same size.
    let shmid = xsi::create(Key::PRIVATE, object, xsi::CreateFlags::default()).map_err(failed("shmget"))?;
    let segment = xsi::attach(shmid).map_err(failed("shmat"));
    let _ = xsi::remove(shmid); // goes with the last detach, or with the namespace
    let segment = segment?;
    let (signal, reached) = touch_in_child(&segment)?;
    let shmmax = match crate::kernel::sysctl::read_u64(Path::new("/proc/sys/kernel/shmmax")) {
        Some(bytes) if bytes >= 1 << 60 => tr!("container-shmmax-unlimited", bytes = bytes),
        Some(bytes) => mib(bytes),
        None => t("container-unreadable"),
    };
    out.push(
        record(
            "xsi",
            &tr!("container-xsi-call", size = mib(object as u64)),
            tr!("container-xsi-shows", ended = ending(&signal), reached = mib(reached), df = df(), shmmax = shmmax),
            if signal.is_none() && reached == object as u64 {
                "container-xsi-lesson"
            } else {
                "container-xsi-unexpected"
            },
        )
        .with(|r| {
            r.signal = signal;
            r.reached = Some(reached);
            r.size = Some(object as u64);
        }),
    );
    drop(segment);

    // Fix 1: a bigger tmpfs.
    let bigger = shm_size * 4;
    inside.resize_tmpfs(dev_shm, bigger)?;
    let name = unique_name("/");
    let fd = posix_shm::create_exclusive(&name).map_err(failed("shm_open"))?;
    posix_shm::set_len(&fd, object).map_err(failed("ftruncate"))?;
    let view = Mapping::shared_file(fd.as_fd(), object, MapOptions::default()).map_err(failed("mmap"))?;
    let (signal, reached) = touch_in_child(&view)?;
    out.push(
        record(
            "bigger-tmpfs",
            &tr!("container-bigger-call", size = bigger >> 20),
            tr!("container-bigger-shows", ended = ending(&signal), reached = mib(reached), df = df()),
            if signal.is_none() { "container-bigger-lesson" } else { "container-bigger-unexpected" },
        )
        .with(|r| {
            r.signal = signal;
            r.reached = Some(reached);
        }),
    );
    drop(view);
    drop(fd);
    posix_shm::unlink(&name).map_err(failed("shm_unlink"))?;

    // Fix 2: a file elsewhere.
    let path: PathBuf = fallback_dir.join("fallback");
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| tr!("container-cannot-create", path = path.display(), error = e))?;
    file.set_len(object as u64).map_err(|e| tr!("container-ftruncate-failed", path = path.display(), error = e))?;
    let view = Mapping::shared_file(file.as_fd(), object, MapOptions::default()).map_err(failed("mmap"))?;
    let (signal, reached) = touch_in_child(&view)?;
    let kind = crate::kernel::cgroup::fs_type_of(&path).unwrap_or_else(|| t("container-unknown-fs"));
    out.push(
        record(
            "file-fallback",
            &tr!("container-file-call", path = path.display()),
            tr!("container-file-shows", ended = ending(&signal), reached = mib(reached), kind = kind),
            if signal.is_none() { "container-file-lesson" } else { "container-file-unexpected" },
        )
        .with(|r| {
            r.signal = signal;
            r.reached = Some(reached);
        }),
    );
    drop(view);
    drop(file);
    let _ = std::fs::remove_file(&path);
    inside.report(&out)
}

pub fn run(privilege: &Privilege, shm_size: u64, _events: &mut dyn Events) -> Result<Vec<ContainerRecord>> {
    // The object (twice the tmpfs) is touched whole twice and once as a file.
    super::check_room(shm_size * 2, Some("shm_size"))?;
    let dir = private_dir()?;
    if let Ok((free, _)) = fs::space(dir.path())
        && free < shm_size * 2 + (64 << 20)
    {
        return Err(crate::error::Error::unavailable(tr!(
            "container-fallback-no-room",
            bytes = mib(shm_size * 2),
            dir = dir.path().display(),
            free = mib(free),
            param = crate::error::Param("shm_size")
        )));
    }
    let host_before = dev_shm_use().1;
    let who = privilege.words.clone();
    let fallback = dir.path().to_path_buf();
    let namespaces = privilege.namespaces(true, true);
    let flags = namespaces.describe();
    let mut sandbox = Sandbox::start(namespaces, |i| inside(i, &who, &flags, shm_size, &fallback))?;
    let mut out: Vec<ContainerRecord> = sandbox.next()?;
    sandbox.finish()?;
    let host_after = dev_shm_use().1;
    out.push(ContainerRecord::new(
        STEP,
        "host-dev-shm",
        &crate::model::ContainerRecord::place_named("container-place-host"),
        &who,
        &t("container-host-dev-shm-call"),
        &tr!("container-host-dev-shm-shows", before = mib(host_before), after = mib(host_after)),
        &t(if host_before == host_after {
            "container-host-dev-shm-lesson"
        } else {
            "container-host-dev-shm-unexpected"
        }),
    ));
    Ok(out)
}

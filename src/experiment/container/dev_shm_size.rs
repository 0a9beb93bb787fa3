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
use crate::model::{ContainerRecord, ContainerStep};
use crate::region::{private_dir, unique_name};
use crate::sys::mman::{MapOptions, Mapping};
use crate::sys::{Errno, Key, fs, posix_shm, xsi};

const STEP: ContainerStep = ContainerStep::DevShmSize;
const TOUCH_LIMIT: Duration = Duration::from_secs(60);

/// Used and total bytes of the tmpfs at /dev/shm, as `df` shows them.
fn dev_shm_use() -> (u64, u64) {
    fs::space(Path::new(posix_shm::SHM_DIR)).map_or((0, 0), |(free, total)| (total.saturating_sub(free), total))
}

fn df() -> String {
    let (used, total) = dev_shm_use();
    format!("df /dev/shm: {} of {} used", mib(used), mib(total))
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
    signal.as_ref().map_or("exited normally".to_string(), |s| format!("was killed by {s}"))
}

/// Everything inside the namespaces; the records go back to shmlab.
fn inside(
    inside: &Inside,
    who: &str,
    flags: &str,
    shm_size: u64,
    fallback_dir: &Path,
) -> std::result::Result<(), String> {
    let record = |id: &str, call: &str, shows: String, lesson: &str| {
        ContainerRecord::new(STEP, id, "container", who, call, &shows, lesson)
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
            "the container's /dev/shm, as `docker run` mounts it by default (--shm-size=64m)",
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
        Ok(()) => "succeeded".to_string(),
        Err(e) => format!("failed with {}", errno_text(e)),
    };
    out.push(
        record(
            "ftruncate",
            &format!("fd = shm_open(\"{name}\", O_CREAT|O_EXCL|O_RDWR); ftruncate(fd, {})", mib(object as u64)),
            format!("{}; the file has {} allocated; {}", outcome(sized), mib(allocated), df()),
            if sized.is_ok() {
                "a tmpfs file is sparse: sizing it allocates nothing, so nothing is checked against the tmpfs's size"
            } else {
                "UNEXPECTED: sizing a tmpfs file failed"
            },
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
            if mapped.is_ok() { "mapping allocates nothing either" } else { "UNEXPECTED: the mapping failed" },
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
            "a child writes every page in order",
            format!(
                "the child {} after touching {} of {}; {}",
                ending(&signal),
                mib(reached),
                mib(object as u64),
                df()
            ),
            if sigbus && reached == shm_size {
                "the first page past the tmpfs's size cannot be allocated, and a page fault has no errno to return: \
                 the toucher gets SIGBUS, exactly at the tmpfs's size (PyTorch's \"DataLoader worker killed by \
                 signal: Bus error\")"
            } else {
                "UNEXPECTED: no SIGBUS at the tmpfs's size"
            },
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
            format!(
                "{}; {}",
                allocated.map_or_else(|e| format!("failed with {}", errno_text(e)), |()| "succeeded".into()),
                df()
            ),
            if allocated == Err(Errno::ENOSPC) {
                "asking for every page up front turns the SIGBUS into an ENOSPC the program can report (PostgreSQL \
                 does this: \"could not resize shared memory segment ... No space left on device\"); the tmpfs \
                 gives back what the failed call had allocated"
            } else {
                "UNEXPECTED: posix_fallocate did not fail with ENOSPC"
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
        Some(bytes) if bytes >= 1 << 60 => format!("{bytes} bytes, no practical limit"),
        Some(bytes) => mib(bytes),
        None => "unreadable".to_string(),
    };
    out.push(
        record(
            "xsi",
            &format!("shmget(IPC_PRIVATE, {}, 0600); shmat; a child writes every page", mib(object as u64)),
            format!(
                "the child {} after touching {}; {}; this namespace's shmmax is {}",
                ending(&signal),
                mib(reached),
                df(),
                shmmax
            ),
            if signal.is_none() && reached == object as u64 {
                "a SysV segment is a file on the kernel's internal shm mount, not on /dev/shm: the container's \
                 /dev/shm size does not limit it, only shmmax, shmall and memory (and the memory cgroup) do"
            } else {
                "UNEXPECTED: the SysV segment could not be touched whole"
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
            &format!("mount -o remount,size={}m /dev/shm; the same object, touched", bigger >> 20),
            format!("the child {} after touching {}; {}", ending(&signal), mib(reached), df()),
            if signal.is_none() {
                "the fix Docker offers (`docker run --shm-size=256m`, or `shm_size:` in Compose); in Kubernetes, \
                 an emptyDir with medium: Memory mounted on /dev/shm, whose tmpfs current kubelets size to the \
                 smaller of its sizeLimit and the pod's memory limit (kubernetes/kubernetes#94444)"
            } else {
                "UNEXPECTED: a bigger tmpfs did not fix it"
            },
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
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.set_len(object as u64).map_err(|e| format!("ftruncate {}: {e}", path.display()))?;
    let view = Mapping::shared_file(file.as_fd(), object, MapOptions::default()).map_err(failed("mmap"))?;
    let (signal, reached) = touch_in_child(&view)?;
    let kind = crate::kernel::cgroup::fs_type_of(&path).unwrap_or_else(|| "an unknown file system".into());
    out.push(
        record(
            "file-fallback",
            &format!("open(\"{}\", O_CREAT); ftruncate; mmap MAP_SHARED; touched", path.display()),
            format!("the child {} after touching {}; the file is on {kind}", ending(&signal), mib(reached)),
            if signal.is_none() {
                "what Chrome's --disable-dev-shm-usage does: shared memory in a file under /tmp, limited by that \
                 file system instead (and written back to it)"
            } else {
                "UNEXPECTED: the file could not be touched whole"
            },
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
        return Err(crate::error::Error::unavailable(format!(
            "the file fallback writes {} (and keeps 64 MiB spare) in {}, which has {} free: free some space, set \
             TMPDIR elsewhere, or use a smaller ⟨shm_size⟩",
            mib(shm_size * 2),
            dir.path().display(),
            mib(free)
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
        "host",
        &who,
        "statvfs(\"/dev/shm\") before and after",
        &format!("the host's /dev/shm is {} before and {} after", mib(host_before), mib(host_after)),
        if host_before == host_after {
            "the container's tmpfs was mounted in its own mount namespace only, and went with it"
        } else {
            "UNEXPECTED: the host's /dev/shm changed size"
        },
    ));
    Ok(out)
}

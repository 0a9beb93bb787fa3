//! `container ipc-namespace`: what an IPC namespace separates, and what it
//! does not.
//!
//! Namespace A (IPC and mount, with a tmpfs of its own on /dev/shm, as a
//! container has) and namespace B (IPC only, sharing the host's mounts)
//! each create a SysV segment with the same `ftok` key, with IPC_EXCL:
//! both succeed, because a key means something only in its namespace, and
//! the host finds neither. A's POSIX object is in A's own tmpfs and the
//! host cannot see it; B's is in the host's /dev/shm, because POSIX names
//! follow the mount namespace, not the IPC one. When A's last process
//! exits, its segment is destroyed though nobody called IPC_RMID
//! (ipc/namespace.c `free_ipc_ns` → `shm_exit_ns`): Shmem on the host falls
//! by its size.

use std::path::Path;
use std::sync::atomic::Ordering::SeqCst;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::sandbox::{Inside, Sandbox};
use super::{Privilege, all_rows, failed, mib, rows_with_key, shmem_bytes};
use crate::error::{Error, Result, SysContext, errno_text};
use crate::experiment::Events;
use crate::model::{ContainerRecord, ContainerStep};
use crate::region::{private_dir, unique_name};
use crate::registry::{self, Entry};
use crate::sys::{Errno, Key, ShmId, posix_shm, xsi};

const STEP: ContainerStep = ContainerStep::IpcNamespace;
/// Namespace A's segment: large enough that its end shows in Shmem.
const SEGMENT: usize = 64 << 20;
const SMALL: usize = 4096;
/// The tmpfs namespace A mounts on its /dev/shm.
const OWN_TMPFS: u64 = 16 << 20;
const PROJ_ID: i32 = b'c' as i32;
/// How long the host waits for a dead namespace's segment to be freed
/// (the kernel frees namespaces from a work queue, after an RCU grace period).
const FREE_LIMIT: Duration = Duration::from_secs(10);

/// What namespace A reports after creating its objects.
#[derive(Serialize, Deserialize)]
struct Created {
    shmid: ShmId,
    rows: Vec<String>,
    dev_shm: Vec<String>,
}

/// What namespace A reads back after B wrote to "its" key.
#[derive(Serialize, Deserialize)]
struct ReadBack {
    value: u64,
    rows: Vec<String>,
}

/// Names in /dev/shm as this process's mount namespace shows it.
fn dev_shm_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(posix_shm::SHM_DIR)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// Creates a segment with `key` (IPC_EXCL), writes `value` into its first
/// word, and detaches.
fn create_and_write(key: Key, size: usize, value: u64) -> std::result::Result<ShmId, String> {
    let flags = xsi::CreateFlags { exclusive: true, ..Default::default() };
    let shmid = xsi::create(key, size, flags).map_err(failed("shmget(key, IPC_CREAT|IPC_EXCL)"))?;
    let view = xsi::attach(shmid).map_err(failed("shmat"))?;
    view.fill(0..size, 0xa5);
    view.words()[0].store(value, SeqCst);
    Ok(shmid)
}

/// Creates a POSIX object `name` of one page in this mount namespace's /dev/shm.
fn create_posix(name: &str) -> std::result::Result<(), String> {
    let fd = posix_shm::create_exclusive(name).map_err(failed("shm_open(O_CREAT|O_EXCL)"))?;
    posix_shm::set_len(&fd, SMALL).map_err(failed("ftruncate"))
}

fn namespace_a(inside: &Inside, key: Key, name: &str) -> std::result::Result<(), String> {
    inside.mount_tmpfs(Path::new(posix_shm::SHM_DIR), OWN_TMPFS)?;
    let shmid = create_and_write(key, SEGMENT, 1)?;
    create_posix(name)?;
    inside.report(&Created { shmid, rows: all_rows(), dev_shm: dev_shm_names() })?;
    let view = xsi::attach(shmid).map_err(failed("shmat"))?;
    let value = view.words()[0].load(SeqCst);
    drop(view);
    inside.report(&ReadBack { value, rows: all_rows() })
}

fn namespace_b(inside: &Inside, key: Key, name: &str) -> std::result::Result<(), String> {
    let shmid = create_and_write(key, SMALL, 2)?;
    create_posix(name)?;
    inside.report(&Created { shmid, rows: all_rows(), dev_shm: Vec::new() })
}

/// Removes the host's /dev/shm name B made, if it is still the one B made.
struct HostName(registry::Record);

impl Drop for HostName {
    fn drop(&mut self) {
        registry::remove_if_ours(self.0.registered());
    }
}

pub fn run(privilege: &Privilege, _events: &mut dyn Events) -> Result<Vec<ContainerRecord>> {
    let who = privilege.words.as_str();
    let record = |id: &str, place: &str, call: &str, shows: &str, lesson: &str| {
        ContainerRecord::new(STEP, id, place, who, call, shows, lesson)
    };
    super::check_room(SEGMENT as u64, None)?;
    let mut out = Vec::new();
    let dir = private_dir()?;
    // ftok keys can collide (only low bits of the inode are used): take a
    // file whose key names nothing on the host yet.
    let mut found = None;
    for attempt in 0..16 {
        let (path, _file) = dir.create_file(&format!("key{attempt}"))?;
        let key = xsi::ftok(&path, PROJ_ID).sys("ftok", || path.display().to_string(), "")?;
        if rows_with_key(key).is_empty() {
            found = Some((path, key));
            break;
        }
    }
    let Some((key_path, key)) = found else {
        return Err(Error::unavailable(
            "16 fresh files in a row gave ftok keys the host already uses: remove stale segments (ipcs -m) and \
             run again",
        ));
    };
    let ftok_call = format!("key = ftok(\"{}\", 'c')", key_path.display());
    let before = rows_with_key(key);
    out.push(
        record(
            "key",
            "host",
            &ftok_call,
            &format!("key {key}; the host has {}", plural_rows(before.len())),
            "a key is made from the file's inode and device, so every namespace that sees the file computes the \
             same key",
        )
        .with(|r| r.outside = Some(before)),
    );

    let name_a = unique_name("/");
    let name_b = unique_name("/");
    let host_name = HostName(registry::record(Entry::PosixShm { name: name_b.clone(), file: None })?);

    let mut a = Sandbox::start(privilege.namespaces(true, true), |inside| namespace_a(inside, key, &name_a))?;
    let created: Created = a.next()?;
    let outside = rows_with_key(key);
    out.push(
        record(
            "create-inside",
            "namespace A",
            &format!(
                "unshare({}); shmget(key, 64 MiB, IPC_CREAT|IPC_EXCL|0600); shmat; write; shmdt",
                privilege.namespaces(true, true).describe()
            ),
            &format!(
                "shmid {} in A; /proc/sysvipc/shm lists it inside; the host lists {}",
                created.shmid,
                plural_rows(outside.len())
            ),
            if outside.is_empty() {
                "the segment exists only in A's namespace: `ipcs` on the host does not list it"
            } else {
                "UNEXPECTED: the host lists a segment with A's key"
            },
        )
        .with(|r| {
            r.inside = Some(created.rows.clone());
            r.outside = Some(outside.clone());
            r.size = Some(SEGMENT as u64);
        }),
    );
    let lookup = xsi::lookup(key);
    out.push(
        record(
            "host-lookup",
            "host",
            "shmget(key, 0, 0)",
            &match lookup {
                Ok(id) => format!("found shmid {id}"),
                Err(e) => errno_text(e),
            },
            match lookup {
                Err(Errno::ENOENT) => {
                    "the host's namespace has no segment with the key: a key is looked up only \
                                       in the caller's IPC namespace"
                }
                _ => "UNEXPECTED: the host found a segment with A's key",
            },
        )
        .with(|r| {
            r.errno = lookup.err().map(|e| format!("{e:?}"));
            r.outside = Some(outside.clone());
        }),
    );
    let seen_on_host = Path::new(&posix_shm::object_path(&name_a)).exists();
    let listed_inside = created.dev_shm.iter().any(|n| format!("/{n}") == name_a);
    out.push(
        record(
            "posix-own-tmpfs",
            "namespace A",
            &format!("mount -t tmpfs -o size=16m tmpfs /dev/shm; shm_open(\"{name_a}\", O_CREAT|O_EXCL)"),
            &format!(
                "A's /dev/shm lists it: {}; the host's /dev/shm has it: {}",
                yes(listed_inside),
                yes(seen_on_host)
            ),
            if listed_inside && !seen_on_host {
                "a POSIX object is a file in whatever tmpfs the process sees at /dev/shm: a container with its own \
                 /dev/shm has its own names"
            } else {
                "UNEXPECTED: A's POSIX object is not where its mount namespace puts it"
            },
        )
        .with(|r| r.exists = Some(seen_on_host)),
    );

    let mut b = Sandbox::start(privilege.namespaces(true, false), |inside| namespace_b(inside, key, &name_b))?;
    let b_created: Created = b.next()?;
    let outside = rows_with_key(key);
    out.push(
        record(
            "same-key-other-namespace",
            "namespace B",
            &format!(
                "unshare({}); shmget(key, 4 KiB, IPC_CREAT|IPC_EXCL|0600); shmat; write 2",
                privilege.namespaces(true, false).describe()
            ),
            &format!(
                "shmid {} in B, created with IPC_EXCL while A's segment with the same key exists; the host \
                 lists {}",
                b_created.shmid,
                plural_rows(outside.len())
            ),
            "IPC_EXCL did not fail: in B the key names nothing yet, so the same key makes a second, different \
             segment",
        )
        .with(|r| {
            // B's own rows list a segment with the key: the second one exists.
            r.exists = Some(b_created.rows.iter().any(|row| row.contains(&key.to_string())));
            r.inside = Some(b_created.rows.clone());
            r.outside = Some(outside);
            r.size = Some(SMALL as u64);
        }),
    );
    let on_host = Path::new(&posix_shm::object_path(&name_b)).exists();
    out.push(
        record(
            "posix-host-mount",
            "namespace B",
            &format!("shm_open(\"{name_b}\", O_CREAT|O_EXCL) with the host's mounts"),
            &format!("the host's /dev/shm has it: {}", yes(on_host)),
            if on_host {
                "a new IPC namespace alone does not separate POSIX objects: B shares the host's /dev/shm, so the \
                 host (and every container sharing that mount) sees B's name"
            } else {
                "UNEXPECTED: B's POSIX object is not in the host's /dev/shm"
            },
        )
        .with(|r| r.exists = Some(on_host)),
    );
    drop(host_name);
    b.finish()?;

    let back: ReadBack = a.next()?;
    out.push(
        record(
            "two-segments",
            "namespace A",
            "shmat(A's shmid); read the first word",
            &format!("A reads {} after B wrote 2 to the segment of the same key", back.value),
            if back.value == 1 {
                "one key, two segments: each namespace has its own"
            } else {
                "UNEXPECTED: A sees B's write"
            },
        )
        .with(|r| {
            // A's own segment is still there, as A's: it holds A's value.
            r.exists = Some(back.value == 1);
            r.inside = Some(back.rows.clone());
        }),
    );

    let shmem_before = shmem_bytes();
    let started = Instant::now();
    a.finish()?;
    let mut fell = 0;
    let freed = crate::experiment::wait::until(FREE_LIMIT, Duration::from_millis(5), || {
        fell = shmem_before.saturating_sub(shmem_bytes());
        fell >= SEGMENT as u64 * 9 / 10
    })?;
    let waited = started.elapsed();
    // The pages go in batches: wait until the fall stops before saying how far.
    let mut last = fell;
    let _ = crate::experiment::wait::until(Duration::from_secs(1), Duration::from_millis(20), || {
        fell = shmem_before.saturating_sub(shmem_bytes());
        std::mem::replace(&mut last, fell) == fell
    })?;
    // Shmem is machine-wide: another program that allocates or frees shared
    // memory meanwhile can hide the fall. Nothing moving at all means the
    // kernel kept the segment; something else moving means we cannot tell.
    let moved = shmem_bytes() as i64 - shmem_before as i64;
    let quiet = moved.unsigned_abs() < SEGMENT as u64 / 4;
    // Our segment's fall is its size; more (or less) is someone else's too.
    let ours = (SEGMENT as u64 * 9 / 10..=SEGMENT as u64 * 11 / 10).contains(&moved.unsigned_abs()) && moved < 0;
    let (shows, lesson, exists) = if freed && ours {
        (
            format!("the namespace is gone; Shmem on the host fell by {} within {} ms", mib(fell), waited.as_millis()),
            "a namespace's segments are destroyed with it, removed or not, once nothing holds it: here its last \
             process; an open /proc/PID/ns/ipc, a bind mount of it or a process that joined it keeps it, and \
             them, alive (a Kubernetes pod's pause container holds the pod's IPC namespace across container \
             restarts)",
            Some(false),
        )
    } else if !freed && quiet {
        (
            format!("the namespace is gone, but Shmem on the host did not fall within {} s", FREE_LIMIT.as_secs()),
            "UNEXPECTED: Shmem did not fall by the segment's size after the namespace ended",
            Some(true),
        )
    } else {
        (
            format!(
                "the namespace is gone; Shmem on the host moved by {:+.1} MiB meanwhile, which other programs' \
                 shared memory explains as well as ours",
                moved as f64 / f64::from(1u32 << 20)
            ),
            "other programs allocated or freed shared memory at the same time, so the fall of this namespace's \
             64 MiB could not be seen: run it again on a quieter machine",
            None,
        )
    };
    out.push(
        record(
            "last-process-exits",
            "namespace A",
            "A's only process exits without IPC_RMID (the segment has nattch 0)",
            &shows,
            lesson,
        )
        .with(|r| {
            r.exists = exists;
            r.size = Some(SEGMENT as u64);
            r.outside = Some(rows_with_key(key));
        }),
    );
    Ok(out)
}

/// `no segment with the key`, `1 segment with the key`.
fn plural_rows(n: usize) -> String {
    match n {
        0 => "no segment with the key".into(),
        1 => "1 segment with the key".into(),
        n => format!("{n} segments with the key"),
    }
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

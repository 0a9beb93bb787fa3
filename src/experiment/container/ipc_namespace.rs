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
use crate::i18n::t;
use crate::model::{ContainerRecord, ContainerStep};
use crate::region::{private_dir, unique_name};
use crate::registry::{self, Entry};
use crate::sys::{Errno, Key, ShmId, posix_shm, xsi};
use crate::tr;

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
        ContainerRecord::new(STEP, id, &crate::model::ContainerRecord::place_named(place), who, call, shows, lesson)
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
        return Err(Error::unavailable(t("container-ftok-collisions")));
    };
    let ftok_call = format!("key = ftok(\"{}\", 'c')", key_path.display());
    let before = rows_with_key(key);
    out.push(
        record(
            "key",
            "container-place-host",
            &ftok_call,
            &tr!("container-key-shows", key = key, host = rows_on_host("has", before.len())),
            &t("container-key-lesson"),
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
            "container-place-namespace-a",
            &tr!("container-create-inside-call", flags = privilege.namespaces(true, true).describe()),
            &tr!("container-create-inside-shows", shmid = created.shmid, host = rows_on_host("lists", outside.len())),
            &t(if outside.is_empty() {
                "container-create-inside-lesson"
            } else {
                "container-create-inside-unexpected"
            }),
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
            "container-place-host",
            "shmget(key, 0, 0)",
            &match lookup {
                Ok(id) => tr!("container-found-shmid", shmid = id),
                Err(e) => errno_text(e),
            },
            &t(match lookup {
                Err(Errno::ENOENT) => "container-host-lookup-lesson",
                _ => "container-host-lookup-unexpected",
            }),
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
            "container-place-namespace-a",
            &format!("mount -t tmpfs -o size=16m tmpfs /dev/shm; shm_open(\"{name_a}\", O_CREAT|O_EXCL)"),
            &tr!("container-posix-own-shows", inside = yes(listed_inside), host = yes(seen_on_host)),
            &t(if listed_inside && !seen_on_host {
                "container-posix-own-lesson"
            } else {
                "container-posix-own-unexpected"
            }),
        )
        .with(|r| r.exists = Some(seen_on_host)),
    );

    let mut b = Sandbox::start(privilege.namespaces(true, false), |inside| namespace_b(inside, key, &name_b))?;
    let b_created: Created = b.next()?;
    let outside = rows_with_key(key);
    out.push(
        record(
            "same-key-other-namespace",
            "container-place-namespace-b",
            &tr!("container-same-key-call", flags = privilege.namespaces(true, false).describe()),
            &tr!("container-same-key-shows", shmid = b_created.shmid, host = rows_on_host("lists", outside.len())),
            &t("container-same-key-lesson"),
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
            "container-place-namespace-b",
            &tr!("container-posix-host-call", name = name_b),
            &tr!("container-posix-host-shows", host = yes(on_host)),
            &t(if on_host { "container-posix-host-lesson" } else { "container-posix-host-unexpected" }),
        )
        .with(|r| r.exists = Some(on_host)),
    );
    drop(host_name);
    b.finish()?;

    let back: ReadBack = a.next()?;
    out.push(
        record(
            "two-segments",
            "container-place-namespace-a",
            &t("container-two-segments-call"),
            &tr!("container-two-segments-shows", value = back.value),
            &t(if back.value == 1 { "container-two-segments-lesson" } else { "container-two-segments-unexpected" }),
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
            tr!(
                "container-namespace-gone",
                detail = tr!("container-shmem-fell", fell = mib(fell), ms = waited.as_millis())
            ),
            "container-last-process-lesson",
            Some(false),
        )
    } else if !freed && quiet {
        (
            tr!("container-shmem-did-not-fall", limit = FREE_LIMIT.as_secs()),
            "container-last-process-unexpected",
            Some(true),
        )
    } else {
        (
            tr!(
                "container-namespace-gone",
                detail = tr!("container-shmem-moved", moved = format!("{:+.1}", moved as f64 / f64::from(1u32 << 20)))
            ),
            "container-last-process-busy",
            None,
        )
    };
    out.push(
        record(
            "last-process-exits",
            "container-place-namespace-a",
            &t("container-last-process-call"),
            &shows,
            &t(lesson),
        )
        .with(|r| {
            r.exists = exists;
            r.size = Some(SEGMENT as u64);
            r.outside = Some(rows_with_key(key));
        }),
    );
    Ok(out)
}

/// `the host has no segment with the key`, `the host lists 1 segment with
/// the key` (`verb` is `has` or `lists`).
fn rows_on_host(verb: &str, n: usize) -> String {
    match n {
        0 => t(&format!("container-host-{verb}-none")),
        1 => t(&format!("container-host-{verb}-one")),
        n => tr!(&format!("container-host-{verb}-many"), n = n),
    }
}

fn yes(b: bool) -> String {
    t(if b { "container-yes" } else { "container-no" })
}

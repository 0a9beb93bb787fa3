//! `shmlab clean`: remove what a killed shmlab left behind, and only that.
//!
//! For each registry file whose owner is no longer running, check that the
//! object still is the one shmlab created (a SysV id must still have the
//! same key and creator pid, a semaphore set the same change time), then
//! remove it. An object whose owner still runs is in use and left alone.

use std::path::Path;

use super::entry::{Entry, Registered};
use super::store::{entries, start_time};
use crate::kernel::sysctl;
use crate::sys::{posix_shm, semaphore, sysv_sem, xsi};

/// What clean did (or would do) with one registered object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub object: String,
    pub outcome: String,
}

fn owner_running(r: &Registered) -> bool {
    start_time(r.owner_pid).is_some_and(|t| t == r.owner_start)
}

/// Cleans every registered leftover; with `dry_run`, only says what it would do.
pub fn clean(dry_run: bool) -> Vec<Action> {
    let mut actions = Vec::new();
    for (file, registered) in entries() {
        let object = registered.entry.describe();
        if owner_running(&registered) {
            actions.push(Action {
                object,
                outcome: format!("left alone: shmlab pid {} is using it", registered.owner_pid),
            });
            continue;
        }
        let outcome = if dry_run { would(&registered.entry) } else { remove(&registered.entry) };
        if !dry_run {
            let _ = std::fs::remove_file(&file);
        }
        actions.push(Action { object, outcome });
    }
    actions
}

fn exists(path: &str) -> bool {
    Path::new(path).exists()
}

fn devshm(name: &str) -> String {
    format!("/dev/shm/{}", name.trim_start_matches('/'))
}

fn sem_file(name: &str) -> String {
    format!("/dev/shm/sem.{}", name.trim_start_matches('/'))
}

/// Whether the id still names the object shmlab created.
fn still_ours(entry: &Entry) -> Result<bool, String> {
    Ok(match entry {
        Entry::XsiSegment { shmid, key, creator_pid } => match xsi::status(*shmid) {
            Ok(s) => s.creator_pid == *creator_pid && (s.key == *key || s.marked_for_removal()),
            Err(_) => return Err("already gone".into()),
        },
        Entry::SemaphoreSet { semid, ctime } => match sysv_sem::change_time(*semid) {
            Ok(t) => t == *ctime,
            Err(_) => return Err("already gone".into()),
        },
        Entry::PosixShm { name } => exists(&devshm(name)) || return Err("already gone".into()),
        Entry::NamedSemaphore { name } => exists(&sem_file(name)) || return Err("already gone".into()),
        Entry::TempDir { path } => {
            let shmlab_dir = Path::new(path).file_name().is_some_and(|n| n.to_string_lossy().starts_with("shmlab-"));
            (exists(path) && shmlab_dir) || return Err("already gone".into())
        }
        Entry::Setting { path, new, .. } => {
            let now = sysctl::read(Path::new(path)).unwrap_or_default();
            sysctl::selected(&now).unwrap_or(&now) == new
        }
    })
}

fn would(entry: &Entry) -> String {
    match still_ours(entry) {
        Ok(true) => match entry {
            Entry::Setting { old, .. } => format!("would restore it to {old}"),
            _ => "would remove it".into(),
        },
        Ok(false) => "would leave it: the id now names another object".into(),
        Err(why) => why,
    }
}

fn remove(entry: &Entry) -> String {
    match still_ours(entry) {
        Ok(true) => {}
        Ok(false) => return "left alone: the id now names an object shmlab did not create".into(),
        Err(why) => return why,
    }
    let result = match entry {
        Entry::XsiSegment { shmid, .. } => xsi::remove(*shmid).map_err(|e| e.desc().to_string()),
        Entry::SemaphoreSet { semid, .. } => sysv_sem::remove(*semid).map_err(|e| e.desc().to_string()),
        Entry::PosixShm { name } => posix_shm::unlink(name).map_err(|e| e.desc().to_string()),
        Entry::NamedSemaphore { name } => semaphore::unlink_named(name).map_err(|e| e.desc().to_string()),
        Entry::TempDir { path } => std::fs::remove_dir_all(path).map_err(|e| e.to_string()),
        Entry::Setting { path, old, .. } => std::fs::write(path, old).map_err(|e| e.to_string()),
    };
    match (result, entry) {
        (Ok(()), Entry::Setting { old, .. }) => format!("restored to {old}"),
        (Ok(()), _) => "removed".into(),
        (Err(e), _) => format!("could not remove it: {e}"),
    }
}

//! Is the object a record describes still the one shmlab created?
//!
//! Ids, keys and names are reused: by the kernel (shmids, semids), by other
//! programs (a name in /dev/shm), by a new process that gets a dead one's
//! pid. So nothing is removed on a name alone. Each kind is checked against
//! what only its creator can know: a SysV id with its key, creator pid and
//! creating user; a file with its device, inode and owner; an intent (a
//! record written just before the object existed) with its key or random
//! name, its creator and a creation time right after the record's. A
//! setting is put back only at a path shmlab changes, only to a value of
//! the right form, and only while it still holds what shmlab set.

use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;

use super::entry::{Entry, FileId, Registered};
use super::store::started_unix;
use crate::error::errno_text;
use crate::i18n::t;
use crate::kernel::{sysctl, sysvipc};
use crate::sys::sysv_msg::{self, MsqId};
use crate::sys::{Errno, Key, SemId, ShmId, mqueue, posix_shm, process, semaphore, sysv_sem, xsi};
use crate::tr;

/// An object created after an intent has a creation time at most this many
/// seconds after the intent's (creation follows the record within
/// milliseconds; the slack covers a slow machine, not a later run, and
/// keeps the window short enough that a reused pid cannot make a match).
const INTENT_WINDOW_SECS: u64 = 10;

/// What a record's object is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Still what shmlab created: this is how to remove it.
    Ours(Target),
    /// Nothing left to do, and why (already removed, never created).
    Gone(String),
    /// Something else has the id or the name now: it is left alone.
    NotOurs(String),
    /// It could not be checked (no permission, ...): it is left alone.
    Unknown(String),
}

/// How to remove (or restore) an object known to be ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Segments(Vec<ShmId>),
    SemaphoreSet(SemId),
    MessageQueue(MsqId),
    PosixQueue(String),
    PosixName(String),
    SemaphoreName(String),
    Directory(PathBuf),
    Cgroup(PathBuf),
    Restore { path: PathBuf, value: String },
}

/// Whether a record's object lives in the IPC namespace (SysV objects and
/// the kernel.shm* settings do), and so can only be judged from inside it.
fn in_ipc_namespace(entry: &Entry) -> bool {
    match entry {
        Entry::XsiSegment { .. }
        | Entry::SemaphoreSet { .. }
        | Entry::MessageQueue { .. }
        | Entry::PosixMessageQueue { .. } => true,
        Entry::Setting { path, .. } => path.starts_with("/proc/sys/kernel/shm"),
        _ => false,
    }
}

fn within_intent(created: u64, time: u64) -> bool {
    time + 1 >= created && time <= created + INTENT_WINDOW_SECS
}

/// Where a record's object stands now.
pub fn standing(r: &Registered) -> Standing {
    if in_ipc_namespace(&r.entry)
        && let Some(recorded) = &r.ipc_namespace
        && super::store::ipc_namespace().as_ref() != Some(recorded)
    {
        return Standing::Unknown(tr!("standing-other-namespace", namespace = recorded));
    }
    match &r.entry {
        Entry::XsiSegment { key, creator_pid, shmid: Some(shmid) } => segment_by_id(*shmid, *key, *creator_pid),
        Entry::XsiSegment { key, creator_pid, shmid: None } => segments_by_intent(*key, *creator_pid, r.created_unix),
        Entry::SemaphoreSet { semid: Some(semid), ctime, .. } => semaphore_by_id(*semid, *ctime),
        Entry::SemaphoreSet { key, semid: None, .. } => semaphore_by_intent(*key, r.created_unix),
        Entry::MessageQueue { key, msqid, ctime } => message_queue(*key, *msqid, *ctime, r.created_unix),
        Entry::PosixMessageQueue { name } => posix_queue(name, r.created_unix),
        Entry::PosixShm { name, file } => named_file(name, &posix_shm::object_path(name), *file, r.created_unix, false),
        Entry::NamedSemaphore { name, file } => {
            named_file(name, &posix_shm::semaphore_path(name), *file, r.created_unix, true)
        }
        Entry::TempDir { path, dir } => directory(path, *dir, r.created_unix),
        Entry::Cgroup { path, dir } => cgroup(path, *dir, r.created_unix),
        Entry::Setting { path, old, new } => setting(path, old, new),
        Entry::HugePagePool { path, old, new } => pool(path, *old, *new),
    }
}

fn segment_by_id(shmid: ShmId, key: Key, creator: i32) -> Standing {
    match xsi::status(shmid) {
        Ok(s)
            if s.creator_pid == creator
                && s.creator_uid == process::effective_uid()
                && (s.key == key || s.marked_for_removal()) =>
        {
            Standing::Ours(Target::Segments(vec![shmid]))
        }
        Ok(_) => Standing::NotOurs(t("standing-not-our-segment")),
        Err(Errno::EINVAL | Errno::EIDRM) => Standing::Gone(t("standing-already-gone")),
        // What shmlab makes is 0600 and its own: a set it may not look at is someone else's.
        Err(Errno::EACCES) => Standing::NotOurs(t("standing-another-user")),
        Err(e) => Standing::Unknown(tr!("standing-cannot-check", why = errno_text(e))),
    }
}

/// Segments with the intent's key, made by its creator, by this user,
/// attached by nobody, created right after the intent; a creator pid that
/// now belongs to a newer process only counts for segments older than it.
fn segments_by_intent(key: Key, creator: i32, created: u64) -> Standing {
    let reused_since = started_unix(creator);
    let found: Vec<ShmId> = sysvipc::segments()
        .into_iter()
        .filter(|s| {
            s.key == key
                && s.cpid == creator
                && s.cuid == process::effective_uid()
                && s.nattch == 0
                && within_intent(created, s.ctime)
                && reused_since.is_none_or(|t| s.ctime < t)
        })
        .map(|s| s.shmid)
        .collect();
    if found.is_empty() { Standing::Gone(t("standing-never-or-gone")) } else { Standing::Ours(Target::Segments(found)) }
}

fn semaphore_by_id(semid: SemId, ctime: Option<i64>) -> Standing {
    match sysv_sem::change_time(semid) {
        Ok(t) if ctime.is_none_or(|c| c == t) => Standing::Ours(Target::SemaphoreSet(semid)),
        Ok(_) => Standing::NotOurs(t("standing-another-set")),
        Err(Errno::EINVAL | Errno::EIDRM) => Standing::Gone(t("standing-already-gone")),
        // What shmlab makes is 0600 and its own: a set it may not look at is someone else's.
        Err(Errno::EACCES) => Standing::NotOurs(t("standing-another-user")),
        Err(e) => Standing::Unknown(tr!("standing-cannot-check", why = errno_text(e))),
    }
}

/// The set with the intent's random key, made by this user right after it.
fn semaphore_by_intent(key: Key, created: u64) -> Standing {
    if key.is_private() {
        return Standing::Gone(t("standing-never-created"));
    }
    let found = sysvipc::semaphore_sets()
        .into_iter()
        .find(|s| s.key == key && s.cuid == process::effective_uid() && within_intent(created, s.ctime.max(0) as u64));
    match found {
        Some(s) => Standing::Ours(Target::SemaphoreSet(s.semid)),
        None => Standing::Gone(t("standing-never-or-gone")),
    }
}

/// A message queue by id and change time, or (an intent) by its random key,
/// its creator and a creation right after the record.
fn message_queue(key: Key, msqid: Option<MsqId>, ctime: Option<i64>, created: u64) -> Standing {
    if key.is_private() {
        return Standing::Gone(t("standing-never-created"));
    }
    if let Some(id) = msqid {
        return match sysv_msg::status(id) {
            Ok(s)
                if s.key == key && s.creator_uid == process::effective_uid() && ctime.is_none_or(|c| c == s.ctime) =>
            {
                Standing::Ours(Target::MessageQueue(id))
            }
            Ok(_) => Standing::NotOurs(t("standing-another-queue")),
            Err(Errno::EINVAL | Errno::EIDRM) => Standing::Gone(t("standing-already-gone")),
            Err(Errno::EACCES) => Standing::NotOurs(t("standing-another-user")),
            Err(e) => Standing::Unknown(tr!("standing-cannot-check", why = errno_text(e))),
        };
    }
    let found = sysvipc::message_queues()
        .into_iter()
        .find(|q| q.key == key && q.cuid == process::effective_uid() && within_intent(created, q.ctime.max(0) as u64));
    match found {
        Some(q) => Standing::Ours(Target::MessageQueue(q.msqid)),
        None => Standing::Gone(t("standing-never-or-gone")),
    }
}

/// A POSIX message queue: shmlab unlinks its queues right after opening
/// them, so a record only outlives that moment if the run was killed in
/// it. Judged by its file under /dev/mqueue (owner, a change right after
/// the record); without the mqueue file system mounted it cannot be seen.
fn posix_queue(name: &str, created: u64) -> Standing {
    if !plausible_name(name) {
        return Standing::NotOurs(tr!("standing-not-our-name", name = format!("{name:?}")));
    }
    if !std::path::Path::new(mqueue::MQUEUE_DIR).is_dir() {
        return Standing::Unknown(tr!("standing-no-mqueue", dir = mqueue::MQUEUE_DIR));
    }
    let meta = match lstat(&mqueue::queue_path(name)) {
        Ok(m) => m,
        Err(standing) => return standing,
    };
    match same_file(&meta, None, created) {
        Some(why) => Standing::NotOurs(why),
        None => Standing::Ours(Target::PosixQueue(name.to_string())),
    }
}

/// A name shmlab makes: `/shmlab-` and then letters, digits and dashes.
fn plausible_name(name: &str) -> bool {
    name.strip_prefix("/shmlab-")
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

fn lstat(path: &str) -> Result<std::fs::Metadata, Standing> {
    std::fs::symlink_metadata(path).map_err(|e| match e.raw_os_error().map(Errno::from_raw) {
        Some(Errno::ENOENT) => Standing::Gone(t("standing-already-gone")),
        Some(errno) => Standing::Unknown(tr!("standing-cannot-check", why = errno_text(errno))),
        None => Standing::Unknown(tr!("standing-cannot-check", why = e)),
    })
}

/// A file or directory that is ours by identity, or (an intent: the run
/// died before it could record the inode) by owner and a last change right
/// after the record was written.
fn same_file(meta: &std::fs::Metadata, id: Option<FileId>, created: u64) -> Option<String> {
    if meta.file_type().is_symlink() || !meta.is_file() && !meta.is_dir() {
        return Some(t("standing-not-plain"));
    }
    if meta.uid() != process::effective_uid() {
        return Some(tr!("standing-other-uid", uid = meta.uid()));
    }
    match id {
        Some(id) if id != FileId::of(meta) => Some(t("standing-another-file")),
        None if !within_intent(created, meta.ctime().max(0) as u64) => Some(t("standing-other-time")),
        _ => None,
    }
}

fn named_file(name: &str, path: &str, id: Option<FileId>, created: u64, semaphore: bool) -> Standing {
    if !plausible_name(name) {
        return Standing::NotOurs(tr!("standing-not-our-name", name = format!("{name:?}")));
    }
    let meta = match lstat(path) {
        Ok(m) => m,
        Err(standing) => return standing,
    };
    if !meta.is_file() {
        return Standing::NotOurs(t("standing-not-regular"));
    }
    match same_file(&meta, id, created) {
        Some(why) => Standing::NotOurs(why),
        None if semaphore => Standing::Ours(Target::SemaphoreName(name.to_string())),
        None => Standing::Ours(Target::PosixName(name.to_string())),
    }
}

fn directory(path: &str, id: Option<FileId>, created: u64) -> Standing {
    let p = std::path::Path::new(path);
    let named_by_us = p.is_absolute()
        && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("shmlab-"))
        && !p.components().any(|c| matches!(c, std::path::Component::ParentDir));
    if !named_by_us {
        return Standing::NotOurs(tr!("standing-not-our-directory", path = path));
    }
    let meta = match lstat(path) {
        Ok(m) => m,
        Err(standing) => return standing,
    };
    if !meta.is_dir() {
        return Standing::NotOurs(t("standing-not-directory"));
    }
    match same_file(&meta, id, created) {
        Some(why) => Standing::NotOurs(why),
        None => Standing::Ours(Target::Directory(p.to_path_buf())),
    }
}

/// A cgroup shmlab made: named `shmlab-*`, on a cgroup file system (v1
/// or v2, wherever it is mounted), and the same directory (a cgroup made
/// again under the name is another one).
fn cgroup(path: &str, id: Option<FileId>, created: u64) -> Standing {
    let p = std::path::Path::new(path);
    let named_by_us = p.is_absolute()
        && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("shmlab-"))
        && !p.components().any(|c| matches!(c, std::path::Component::ParentDir));
    if !named_by_us {
        return Standing::NotOurs(tr!("standing-not-our-cgroup", path = path));
    }
    let Ok(mountinfo) = std::fs::read_to_string("/proc/self/mountinfo") else {
        return Standing::Unknown(t("standing-no-mountinfo"));
    };
    let on_cgroupfs =
        crate::kernel::cgroup::mount_of(p, &mountinfo).is_some_and(|m| m.fstype == "cgroup" || m.fstype == "cgroup2");
    if !on_cgroupfs {
        return Standing::NotOurs(tr!("standing-not-cgroupfs", path = path));
    }
    let meta = match lstat(path) {
        Ok(m) => m,
        Err(standing) => return standing,
    };
    match same_file(&meta, id, created) {
        Some(why) => Standing::NotOurs(why),
        None if meta.is_dir() => Standing::Ours(Target::Cgroup(p.to_path_buf())),
        None => Standing::NotOurs(t("standing-not-directory")),
    }
}

fn setting(path: &str, old: &str, new: &str) -> Standing {
    if !sysctl::restorable(std::path::Path::new(path), old) {
        return Standing::NotOurs(tr!("standing-not-our-setting", path = path, old = format!("{old:?}")));
    }
    let Some(text) = sysctl::read(std::path::Path::new(path)) else {
        return Standing::Unknown(tr!("standing-cannot-read", path = path));
    };
    let now = sysctl::selected(&text).unwrap_or(&text);
    if now == new {
        Standing::Ours(Target::Restore { path: PathBuf::from(path), value: old.to_string() })
    } else if now == old {
        Standing::Gone(tr!("standing-already-holds", old = old))
    } else {
        Standing::NotOurs(tr!("standing-changed-since", now = now, new = new))
    }
}

/// A pool gives back the pages its run added, `new − old`, if it still has
/// them (a later run may have raised it further and gives back its own).
fn pool(path: &str, old: u64, new: u64) -> Standing {
    if new <= old || !sysctl::restorable(std::path::Path::new(path), &new.to_string()) {
        return Standing::NotOurs(tr!("standing-not-our-pool", path = path));
    }
    let Some(now) = sysctl::read_u64(std::path::Path::new(path)) else {
        return Standing::Unknown(tr!("standing-cannot-read", path = path));
    };
    let added = new - old;
    if now == old {
        Standing::Gone(tr!("standing-already-holds", old = old))
    } else if now < added {
        Standing::NotOurs(tr!("standing-lowered", now = now, added = added))
    } else {
        Standing::Ours(Target::Restore { path: PathBuf::from(path), value: (now - added).to_string() })
    }
}

/// Removes (or restores) a target; the words say what was done.
pub fn remove(target: &Target) -> std::result::Result<String, String> {
    let errno = |e: Errno| errno_text(e);
    match target {
        Target::Segments(ids) => {
            for id in ids {
                xsi::remove(*id).map_err(errno)?;
            }
            Ok(t("clean-removed"))
        }
        Target::SemaphoreSet(id) => sysv_sem::remove(*id).map(|_| t("clean-removed")).map_err(errno),
        Target::MessageQueue(id) => sysv_msg::remove(*id).map(|_| t("clean-removed")).map_err(errno),
        Target::PosixQueue(name) => mqueue::unlink(name).map(|_| t("clean-removed")).map_err(errno),
        Target::PosixName(name) => posix_shm::unlink(name).map(|_| t("clean-removed")).map_err(errno),
        Target::SemaphoreName(name) => semaphore::unlink_named(name).map(|_| t("clean-removed")).map_err(errno),
        Target::Directory(path) => std::fs::remove_dir_all(path).map(|_| t("clean-removed")).map_err(|e| e.to_string()),
        // A cgroup directory goes with rmdir, control files and all; EBUSY
        // while a process is still in it.
        Target::Cgroup(path) => remove_cgroup(path).map(|_| t("clean-removed")).map_err(|e| match e.raw_os_error() {
            Some(code) if code == Errno::EBUSY as i32 => t("standing-cgroup-busy"),
            _ => e.to_string(),
        }),
        Target::Restore { path, value } => {
            sysctl::write(path, value).map(|_| tr!("clean-restored", value = value)).map_err(|e| e.to_string())
        }
    }
}

/// `rmdir` of a cgroup, retried for up to two seconds while it is busy: a
/// process killed a moment ago may still be exiting.
fn remove_cgroup(path: &std::path::Path) -> std::io::Result<()> {
    let mut tries = 0;
    loop {
        match std::fs::remove_dir(path) {
            Err(e) if e.raw_os_error() == Some(Errno::EBUSY as i32) && tries < 100 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// Removes the object of a record this process owns, if it still is ours.
pub fn remove_if_ours(r: &Registered) {
    if let Standing::Ours(target) = standing(r) {
        let _ = remove(&target);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(entry: Entry) -> Registered {
        Registered { owner_pid: 1, owner_start: 0, created_unix: 0, created_nanos: 0, ipc_namespace: None, entry }
    }

    #[test]
    fn only_a_shmlab_cgroup_under_the_cgroup_mount_is_ever_removed() {
        let cgroup = |path: &str| standing(&record(Entry::Cgroup { path: path.into(), dir: None }));
        for path in [
            "/sys/fs/cgroup/memory/user.slice",
            "/tmp/shmlab-1-a",
            "/sys/fs/cgroup/memory/../../../tmp/shmlab-1-a",
            "/sys/fs/cgroup/memory/shmlab-1-a/../user.slice",
        ] {
            assert!(matches!(cgroup(path), Standing::NotOurs(_)), "{path}: {:?}", cgroup(path));
        }
        // Not on a cgroup file system (here: not mounted at all, or the
        // test machine's /tmp): left alone, whatever the name.
        assert!(matches!(cgroup("/tmp/shmlab-1-0000-a"), Standing::NotOurs(_)));
    }
}

//! What the registry knows about one object, and how to recognise it again.
//!
//! Every entry is written *before* its object is created (an intent), then
//! rewritten with the object's identity once the kernel has made it (an id,
//! or the device and inode of a file). A run killed between the two still
//! leaves a record, and `clean` can find the object from what the intent
//! says (key and creator pid, or a random name) without ever mistaking
//! somebody else's object for it.

use std::os::unix::fs::MetadataExt;

use serde::{Deserialize, Serialize};

use crate::sys::sysv_msg::MsqId;
use crate::sys::{Key, SemId, ShmId, mqueue, posix_shm};
use crate::tr;

/// A file or directory as the kernel identifies it: device, inode, owner.
/// A name can be reused by anyone; this triple cannot be forged by another
/// user and changes when the file is deleted and made again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileId {
    pub dev: u64,
    pub ino: u64,
    pub uid: u32,
}

impl FileId {
    pub fn of(meta: &std::fs::Metadata) -> Self {
        Self { dev: meta.dev(), ino: meta.ino(), uid: meta.uid() }
    }
}

/// Records from before keys were typed may lack a semaphore set's key.
fn no_key() -> Key {
    Key::PRIVATE
}

/// One registered object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Entry {
    /// A SysV shared memory segment with `key` (0 for IPC_PRIVATE), created
    /// by process `creator_pid` (shmlab itself, or a child of it). `shmid`
    /// is absent while the segment is being created.
    XsiSegment {
        key: Key,
        creator_pid: i32,
        #[serde(default)]
        shmid: Option<ShmId>,
    },
    /// A SysV semaphore set with a random `key` chosen by shmlab; `semid`
    /// and its change time once it exists.
    SemaphoreSet {
        #[serde(default = "no_key")]
        key: Key,
        #[serde(default)]
        semid: Option<SemId>,
        #[serde(default)]
        ctime: Option<i64>,
    },
    /// A SysV message queue with a random `key` chosen by shmlab; `msqid`
    /// and its change time once it exists.
    MessageQueue {
        key: Key,
        #[serde(default)]
        msqid: Option<MsqId>,
        #[serde(default)]
        ctime: Option<i64>,
    },
    /// A POSIX message queue `/<name>` (`/dev/mqueue/<name>` where the
    /// mqueue file system is mounted).
    PosixMessageQueue { name: String },
    /// A POSIX shared memory object, `/dev/shm/<name without the slash>`.
    PosixShm {
        name: String,
        #[serde(default)]
        file: Option<FileId>,
    },
    /// A named POSIX semaphore, `/dev/shm/sem.<name without the slash>`.
    NamedSemaphore {
        name: String,
        #[serde(default)]
        file: Option<FileId>,
    },
    /// A private temporary directory (`$TMPDIR/shmlab-*`).
    TempDir {
        path: String,
        #[serde(default)]
        dir: Option<FileId>,
    },
    /// A memory cgroup made for a run (`<cgroup mount>/.../shmlab-*`): it
    /// goes with `rmdir` once its processes have ended.
    Cgroup {
        path: String,
        #[serde(default)]
        dir: Option<FileId>,
    },
    /// A kernel setting about to be changed, or changed, for a run: `old`
    /// is to be put back while it still holds `new`.
    Setting { path: String, old: String, new: String },
    /// A huge page pool raised for a run from `old` to `new` pages: the run
    /// added `new − old`, which is what is given back (the pool may have
    /// been raised further by a later run, which gives back its own).
    HugePagePool { path: String, old: u64, new: u64 },
}

impl Entry {
    /// How `list` and `clean` name it for people.
    pub fn describe(&self) -> String {
        match self {
            Entry::XsiSegment { shmid: Some(shmid), key, .. } => {
                tr!("entry-segment", shmid = shmid, key = format!("{key:#010x}"))
            }
            Entry::XsiSegment { shmid: None, key, creator_pid } => {
                tr!("entry-segment-intent", pid = creator_pid, key = format!("{key:#010x}"))
            }
            Entry::SemaphoreSet { semid: Some(semid), .. } => tr!("entry-semaphore-set", semid = semid),
            Entry::SemaphoreSet { semid: None, key, .. } => {
                tr!("entry-semaphore-set-intent", key = format!("{key:#010x}"))
            }
            Entry::MessageQueue { msqid: Some(id), key, .. } => tr!("entry-message-queue", msqid = id, key = key),
            Entry::MessageQueue { msqid: None, key, .. } => tr!("entry-message-queue-intent", key = key),
            Entry::PosixMessageQueue { name } => tr!("entry-posix-queue", path = mqueue::queue_path(name)),
            Entry::PosixShm { name, .. } => tr!("entry-posix-shm", path = posix_shm::object_path(name)),
            Entry::NamedSemaphore { name, .. } => tr!("entry-named-semaphore", path = posix_shm::semaphore_path(name)),
            Entry::TempDir { path, .. } => tr!("entry-directory", path = path),
            Entry::Cgroup { path, .. } => tr!("entry-cgroup", path = path),
            Entry::Setting { path, old, new } => tr!("entry-setting", path = path, old = old, new = new),
            Entry::HugePagePool { path, old, new } => tr!("entry-pool", path = path, old = old, new = new),
        }
    }
}

/// A registry file: the entry and the shmlab process that owns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registered {
    pub owner_pid: i32,
    /// The owner's start time (field 22 of /proc/PID/stat), so that a new
    /// process that reuses the pid is not taken for the owner.
    pub owner_start: u64,
    /// Seconds since the epoch when the record was first written, that is
    /// just before the object was created.
    pub created_unix: u64,
    /// The nanoseconds of that second, so that records of one second keep
    /// their order (settings are undone newest first).
    #[serde(default)]
    pub created_nanos: u32,
    /// The IPC namespace the run was in (`ipc:[4026531839]`): SysV objects
    /// and the kernel.shm* settings belong to it, and are judged only there.
    #[serde(default)]
    pub ipc_namespace: Option<String>,
    pub entry: Entry,
}

//! What the registry knows about one object.

use serde::{Deserialize, Serialize};

/// One registered object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Entry {
    /// A SysV shared memory segment; identified by id, key and creator pid.
    XsiSegment { shmid: i32, key: i32, creator_pid: i32 },
    /// A SysV semaphore set; identified by id and its change time.
    SemaphoreSet { semid: i32, ctime: i64 },
    /// A POSIX shared memory object, `/dev/shm/<name without the slash>`.
    PosixShm { name: String },
    /// A named POSIX semaphore, `/dev/shm/sem.<name without the slash>`.
    NamedSemaphore { name: String },
    /// A private temporary directory (`$TMPDIR/shmlab-*`).
    TempDir { path: String },
    /// A kernel setting changed for a run: `old` is to be put back.
    Setting { path: String, old: String, new: String },
}

impl Entry {
    /// A short, file-name-safe label.
    pub fn label(&self) -> String {
        match self {
            Entry::XsiSegment { shmid, .. } => format!("shm-{shmid}"),
            Entry::SemaphoreSet { semid, .. } => format!("sem-{semid}"),
            Entry::PosixShm { name } => format!("posix-{}", name.trim_start_matches('/')),
            Entry::NamedSemaphore { name } => format!("namedsem-{}", name.trim_start_matches('/')),
            Entry::TempDir { path } => {
                format!(
                    "tmp-{}",
                    std::path::Path::new(path).file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
                )
            }
            Entry::Setting { path, .. } => {
                format!("setting-{}-{}", path.trim_start_matches('/').replace('/', "."), crate::sys::process::own_pid())
            }
        }
    }

    /// How `list` and `clean` name it for people.
    pub fn describe(&self) -> String {
        match self {
            Entry::XsiSegment { shmid, key, .. } => format!("SysV segment shmid {shmid} (key {key:#010x})"),
            Entry::SemaphoreSet { semid, .. } => format!("SysV semaphore set semid {semid}"),
            Entry::PosixShm { name } => format!("POSIX shm /dev/shm{name}"),
            Entry::NamedSemaphore { name } => format!("named semaphore /dev/shm/sem.{}", name.trim_start_matches('/')),
            Entry::TempDir { path } => format!("directory {path}"),
            Entry::Setting { path, old, new } => format!("setting {path} (changed {old} -> {new})"),
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
    /// Seconds since the epoch.
    pub created_unix: u64,
    pub entry: Entry,
}

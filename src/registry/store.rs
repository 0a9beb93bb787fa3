//! Where registry files live and how they come and go.
//!
//! The directory is private to the user (mode 0700, owned by them, not a
//! symbolic link); shmlab refuses to run experiments when it is not, because
//! an object it cannot record is an object `clean` could never find. Each
//! record is written to a temporary file and renamed into place, so a kill
//! leaves either the old record or the new one, never half of one.
//!
//! Records are not fsynced. What they guard against is a killed process,
//! and a write is in the page cache, visible to `clean`, the moment it
//! returns, kill or no kill. A synced write only adds survival of a power
//! cut, after which every object a record names (SysV objects, /dev/shm,
//! sysctls, huge page pools) is gone anyway; and an fsync on a disk-backed
//! /run cost about 1 ms per record, twice per racing trial.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::entry::{Entry, Registered};
use crate::error::{Error, Result};
use crate::i18n::t;
use crate::sys::process;
use crate::tr;

/// A record file larger than this is not one of ours.
const MAX_RECORD_BYTES: u64 = 64 << 10;

/// `/run/shmlab` for root; otherwise `$XDG_RUNTIME_DIR/shmlab`, or
/// `/tmp/.shmlab-registry-<uid>`.
pub fn registry_dir() -> PathBuf {
    if process::is_root() {
        return PathBuf::from("/run/shmlab");
    }
    match std::env::var_os("XDG_RUNTIME_DIR") {
        Some(dir) if Path::new(&dir).is_dir() => PathBuf::from(dir).join("shmlab"),
        _ => PathBuf::from(format!("/tmp/.shmlab-registry-{}", process::real_uid())),
    }
}

/// The start time of process `pid` in clock ticks since boot, if it runs.
pub fn start_time(pid: i32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may contain spaces; fields after it are plain.
    let after = &stat[stat.rfind(')')? + 2..];
    after.split_whitespace().nth(19)?.parse().ok()
}

/// When process `pid` started, in seconds since the epoch, if it runs.
pub fn started_unix(pid: i32) -> Option<u64> {
    let boot: u64 = std::fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    Some(boot + start_time(pid)? / process::clock_ticks_per_second())
}

/// This process's IPC namespace, as /proc/self/ns/ipc names it.
pub fn ipc_namespace() -> Option<String> {
    std::fs::read_link("/proc/self/ns/ipc").ok().map(|p| p.to_string_lossy().to_string())
}

/// Whether the shmlab process that wrote a record still runs.
pub fn owner_running(r: &Registered) -> bool {
    start_time(r.owner_pid).is_some_and(|t| t == r.owner_start)
}

/// Why a registry directory cannot be trusted, if it cannot.
fn distrust(meta: &std::fs::Metadata) -> Option<String> {
    if meta.file_type().is_symlink() {
        return Some(t("registry-is-symlink"));
    }
    if !meta.is_dir() {
        return Some(t("registry-not-directory"));
    }
    if meta.uid() != process::effective_uid() {
        return Some(tr!("registry-other-owner", uid = meta.uid(), you = process::effective_uid()));
    }
    if meta.mode() & 0o077 != 0 {
        return Some(tr!("registry-open-mode", mode = format!("{:o}", meta.mode() & 0o7777)));
    }
    None
}

fn unsafe_registry(dir: &Path, why: &str) -> Error {
    let ours = std::fs::symlink_metadata(dir)
        .is_ok_and(|m| m.is_dir() && !m.file_type().is_symlink() && m.uid() == process::effective_uid());
    let fix = if ours {
        // Its records may be all that knows of a killed run's objects: keep them.
        tr!("registry-fix-private", dir = dir.display())
    } else if dir.starts_with("/tmp") {
        tr!("registry-fix-remove-tmp", dir = dir.display())
    } else {
        tr!("registry-fix-remove", dir = dir.display())
    };
    Error::usage(tr!("registry-unsafe", dir = dir.display(), why = why, fix = fix))
}

/// The registry directory, created (mode 0700) if it does not exist yet,
/// and checked: ours, private, a real directory.
pub fn usable_dir() -> Result<PathBuf> {
    let dir = registry_dir();
    match std::fs::symlink_metadata(&dir) {
        Ok(meta) => match distrust(&meta) {
            Some(why) => Err(unsafe_registry(&dir, &why)),
            None => Ok(dir),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
                // The umask may have taken bits away; 0700 exactly (only what we just made).
                Ok(()) => {
                    let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(unsafe_registry(&dir, &tr!("registry-cannot-create", error = e))),
            }
            let meta = std::fs::symlink_metadata(&dir).map_err(|e| unsafe_registry(&dir, &e.to_string()))?;
            match distrust(&meta) {
                Some(why) => Err(unsafe_registry(&dir, &why)),
                None => Ok(dir),
            }
        }
        Err(e) => Err(unsafe_registry(&dir, &tr!("registry-cannot-examine", error = e))),
    }
}

/// A random SysV key that is not IPC_PRIVATE, for objects nobody can
/// find in advance (callers create with IPC_EXCL and retry).
pub fn random_key() -> crate::sys::Key {
    crate::sys::Key((u32::from_str_radix(&random_hex()[..8], 16).unwrap_or(1) | 1) as i32)
}

/// A random lower-case hex word, for names nobody can predict.
pub fn random_hex() -> String {
    format!("{:016x}", getrandom::u64().unwrap_or_else(|_| u64::from(process::own_pid().as_raw().unsigned_abs())))
}

/// Writes `bytes` to `path` atomically: a fresh temporary file beside it
/// (O_EXCL, never a link), then renamed over `path` (not synced: see the
/// module note).
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".tmp-{}-{}", process::own_pid(), random_hex()));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&tmp)?;
        file.write_all(bytes)?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A registry file, deleted when this value drops (after the object it
/// describes has been removed).
#[derive(Debug)]
pub struct Record {
    path: PathBuf,
    registered: Registered,
}

/// Registers `entry` as owned by this process. Call it before creating the
/// object; an error means the object must not be created.
pub fn record(entry: Entry) -> Result<Record> {
    let pid = process::own_pid().as_raw();
    // Without its own start time a record would make a live run look dead.
    let owner_start = start_time(pid).ok_or_else(|| Error::usage(tr!("registry-no-proc", pid = pid)))?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let registered = Registered {
        owner_pid: pid,
        owner_start,
        created_unix: now.as_secs(),
        created_nanos: now.subsec_nanos(),
        ipc_namespace: ipc_namespace(),
        entry,
    };
    // Another run may remove the directory when it empties (see Drop): retry.
    let mut last = None;
    for _ in 0..3 {
        let dir = usable_dir()?;
        let record = Record { path: dir.join(format!("{pid}-{}.json", random_hex())), registered: registered.clone() };
        match record.write() {
            Ok(()) => return Ok(record),
            Err(e) => last = Some(e),
        }
    }
    let e = last.map(|e| e.to_string()).unwrap_or_default();
    Err(Error::usage(tr!("registry-cannot-write", dir = registry_dir().display(), error = e)))
}

impl Record {
    fn write(&self) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(&self.registered).map_err(std::io::Error::other)?;
        write_atomically(&self.path, &bytes)
    }

    /// Replaces the intent with what was really created (an id, a file's
    /// identity), atomically.
    pub fn update(&mut self, entry: Entry) -> Result<()> {
        self.registered.entry = entry;
        self.write().map_err(|e| Error::usage(tr!("registry-cannot-update", path = self.path.display(), error = e)))
    }

    pub fn registered(&self) -> &Registered {
        &self.registered
    }

    pub fn entry(&self) -> &Entry {
        &self.registered.entry
    }
}

impl Drop for Record {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        // An empty registry is not left behind; a concurrent run recreates it.
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// One file found in the registry directory.
#[derive(Debug)]
pub enum Listed {
    Record(PathBuf, Registered),
    /// A file that is not a valid record of ours, and why.
    Unreadable(PathBuf, String),
    /// A file of ours that is no record and may go: a half-written
    /// temporary file of a process that is gone, and what it is.
    Stale(PathBuf, String),
}

/// Every file in the registry. `Ok(empty)` when there is no registry yet;
/// an error when it exists but cannot be trusted or read.
pub fn entries() -> Result<Vec<Listed>> {
    let dir = registry_dir();
    match std::fs::symlink_metadata(&dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(unsafe_registry(&dir, &tr!("registry-cannot-examine", error = e))),
        Ok(meta) => {
            if let Some(why) = distrust(&meta) {
                return Err(unsafe_registry(&dir, &why));
            }
        }
    }
    let items = std::fs::read_dir(&dir).map_err(|e| unsafe_registry(&dir, &tr!("registry-cannot-read", error = e)))?;
    let mut out = Vec::new();
    for item in items.flatten() {
        let path = item.path();
        let name = item.file_name().to_string_lossy().to_string();
        if let Some(rest) = name.strip_prefix(".tmp-") {
            let writer: Option<i32> = rest.split('-').next().and_then(|p| p.parse().ok());
            if writer.is_some_and(|pid| start_time(pid).is_none()) {
                out.push(Listed::Stale(path, t("registry-stale-tmp")));
            }
            continue;
        }
        // shmlab before 0.2 kept its huge page claim here; it is an empty file.
        if name == "hugepages.lock" {
            out.push(Listed::Stale(path, t("registry-stale-lock")));
            continue;
        }
        if !name.ends_with(".json") {
            continue;
        }
        out.push(match read_record(&path) {
            Ok(r) => Listed::Record(path, r),
            Err(why) => Listed::Unreadable(path, why),
        });
    }
    // Newest first: settings are undone in the reverse order they were made.
    out.sort_by_key(|l| match l {
        Listed::Record(_, r) => std::cmp::Reverse((r.created_unix, r.created_nanos)),
        _ => std::cmp::Reverse((u64::MAX, 0)),
    });
    Ok(out)
}

/// Reads one record, trusting it only if it is a small regular file that
/// belongs to the user and that nobody else may write.
fn read_record(path: &Path) -> std::result::Result<Registered, String> {
    use std::io::Read;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| tr!("registry-record-cannot-open", error = e))?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err(t("registry-record-not-regular"));
    }
    if meta.uid() != process::effective_uid() {
        return Err(tr!("registry-record-other-owner", uid = meta.uid()));
    }
    if meta.mode() & 0o022 != 0 {
        return Err(tr!("registry-record-writable", mode = format!("{:o}", meta.mode() & 0o777)));
    }
    if meta.len() > MAX_RECORD_BYTES {
        return Err(tr!("registry-record-too-large", size = meta.len()));
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    serde_json::from_slice(&bytes).map_err(|e| tr!("registry-record-not-ours", error = e))
}

//! Where registry files live and how they come and go.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::entry::{Entry, Registered};
use crate::sys::process;

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

/// A registry file that is deleted when this value drops (after the object
/// it describes has been removed). Writing is best effort: an unwritable
/// registry only costs `clean` its knowledge, never the experiment.
#[derive(Debug)]
pub struct Record(Option<PathBuf>);

/// Registers `entry` as owned by this process.
pub fn record(entry: Entry) -> Record {
    let dir = registry_dir();
    let pid = process::own_pid().as_raw();
    let registered = Registered {
        owner_pid: pid,
        owner_start: start_time(pid).unwrap_or(0),
        created_unix: SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0),
        entry,
    };
    let path = dir.join(format!("{}.json", registered.entry.label()));
    if !usable(&dir) {
        return Record(None);
    }
    let written = serde_json::to_vec(&registered)
        .map_err(std::io::Error::other)
        .and_then(|bytes| crate::sys::fs::write_private(&path, &bytes));
    Record(written.ok().map(|_| path))
}

impl Drop for Record {
    fn drop(&mut self) {
        if let Some(path) = &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Creates the registry directory (mode 0700) if needed and says whether
/// it is safe to use: ours, and writable by nobody else. A directory that
/// another user prepared (in /tmp, say) is not trusted, neither for writing
/// records nor for `clean`.
fn usable(dir: &Path) -> bool {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt};
    let _ = std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir);
    match std::fs::symlink_metadata(dir) {
        Ok(m) => m.is_dir() && m.uid() == process::effective_uid() && m.mode() & 0o022 == 0,
        Err(_) => false,
    }
}

/// Every registry file, with its path (unreadable files are skipped).
pub fn entries() -> Vec<(PathBuf, Registered)> {
    let mut out = Vec::new();
    if !usable(&registry_dir()) {
        return out;
    }
    for item in std::fs::read_dir(registry_dir()).into_iter().flatten().flatten() {
        let path = item.path();
        if path.extension().is_some_and(|e| e == "json")
            && let Some(r) = std::fs::read(&path).ok().and_then(|b| serde_json::from_slice::<Registered>(&b).ok())
        {
            out.push((path, r));
        }
    }
    out.sort_by_key(|(_, r)| r.created_unix);
    out
}

/// An exclusive claim on something system-wide (the huge page pool), held
/// by one shmlab process at a time through an flock on a file in the
/// registry directory; released when dropped or when the process dies.
#[derive(Debug)]
pub struct Claim(#[allow(dead_code, reason = "held for its lock")] std::fs::File);

/// Claims `what`, or returns `None` if another shmlab process holds it.
/// Where the registry directory cannot be used, the claim is granted.
pub fn claim(what: &str) -> Option<Claim> {
    use std::os::fd::AsFd;
    let dir = registry_dir();
    if !usable(&dir) {
        return std::fs::File::open("/dev/null").ok().map(Claim);
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(format!("{what}.lock")))
        .ok()?;
    match crate::sys::file_lock::flock_try_exclusive(file.as_fd()) {
        Ok(true) => Some(Claim(file)),
        _ => None,
    }
}

//! A memory cgroup made for the cgroup-charge step: created under a place
//! that delegates the memory controller, limited, joined by the step's
//! children, read, and removed once they are gone.
//!
//! It is registered before it is made (like every object shmlab creates),
//! so that a shmlab killed mid-run leaves `shmlab clean` a record to find
//! it by; its children die with shmlab, so the group is then empty and
//! `rmdir` removes it. A group with charges left (shared memory still
//! there) can be removed as well: it disappears from the tree and lingers
//! in the kernel as a dying memory cgroup until its pages are freed (its
//! charges count in the parent's, as every child's do).

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::kernel::cgroup::Version;
use crate::kernel::memcg::{self, Reading};
use crate::registry::{self, Entry, FileId};

pub struct MemoryGroup {
    pub dir: PathBuf,
    pub version: Version,
    record: Option<registry::Record>,
}

impl MemoryGroup {
    /// Makes `shmlab-<pid>-<random>-<label>` under `parent`, with a hard
    /// limit and no swapping of its memory (memory.swappiness or
    /// memory.swap.max, whichever the group has), so that the limit is met
    /// with an OOM kill on a machine with swap as on one without.
    pub fn create(parent: &Path, version: Version, label: &str, limit: u64) -> Result<Self> {
        let dir = parent.join(format!("{}-{label}", crate::region::unique_name("")));
        let record = registry::record(Entry::Cgroup { path: dir.display().to_string(), dir: None })?;
        std::fs::create_dir(&dir).map_err(|e| {
            Error::unavailable(crate::tr!("container-cannot-make-cgroup", dir = dir.display(), error = e))
        })?;
        let mut group = Self { dir, version, record: Some(record) };
        let meta = std::fs::symlink_metadata(&group.dir)
            .map_err(|e| Error::failed(crate::tr!("container-cannot-stat", path = group.dir.display(), error = e)))?;
        if let Some(record) = group.record.as_mut() {
            record.update(Entry::Cgroup { path: group.dir.display().to_string(), dir: Some(FileId::of(&meta)) })?;
        }
        group.write(memcg::limit_file(version), &limit.to_string())?;
        let (file, value) = memcg::no_swap_setting(version);
        if group.dir.join(file).exists() {
            group.write(file, value)?;
        }
        Ok(group)
    }

    fn write(&self, file: &str, value: &str) -> Result<()> {
        let path = self.dir.join(file);
        std::fs::write(&path, value).map_err(|e| {
            Error::failed(crate::tr!("container-cannot-write", value = value, path = path.display(), error = e))
        })
    }

    /// In a child: moves the calling process into the group (writing its
    /// pid to cgroup.procs), so that what it touches from now on is
    /// charged here.
    pub fn join(&self) -> std::io::Result<()> {
        std::fs::write(self.dir.join("cgroup.procs"), crate::sys::process::own_pid().to_string())
    }

    /// The group's charge, shared memory and OOM kills now.
    pub fn read(&self) -> Reading {
        memcg::read(&self.dir, self.version, &|p| std::fs::read_to_string(p).ok()).unwrap_or_default()
    }

    /// How many processes are in the group now (cgroup.procs).
    pub fn processes(&self) -> usize {
        std::fs::read_to_string(self.dir.join("cgroup.procs")).map_or(0, |t| t.lines().count())
    }

    /// `mkdir` as the records say it.
    pub fn name(&self) -> String {
        self.dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

impl Drop for MemoryGroup {
    fn drop(&mut self) {
        // A process that has just been reaped can hold the group for a
        // moment more (its exit finishes asynchronously): EBUSY, retry.
        for _ in 0..100 {
            if std::fs::remove_dir(&self.dir).is_ok() || !self.dir.exists() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // Still there: keep the record, for `shmlab clean`, and say so.
        crate::notice::warn(crate::tr!("container-cgroup-left", dir = self.dir.display()));
        std::mem::forget(self.record.take());
    }
}

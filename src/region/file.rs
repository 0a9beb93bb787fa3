//! `MAP_SHARED` mapping of a regular file: the oldest way to share memory.
//! The file lives in a private temporary directory (mode 0700) made for this
//! region, is created with `O_EXCL`, and both go when the region drops.

use std::fs::OpenOptions;
use std::os::fd::AsFd;
use std::os::unix::fs::OpenOptionsExt;

use super::{Object, Region, RegionRequest, Reopen};
use crate::error::{Error, Result, SysContext};
use crate::registry::{self, Entry};
use crate::sys::mman::{MapOptions, Mapping};

/// A file in its own temporary directory; dropping it removes both.
#[derive(Debug)]
pub(super) struct TempFile(#[allow(dead_code, reason = "held for its Drop")] PrivateDir);

/// A private temporary directory (mode 0700), registered while it exists.
#[derive(Debug)]
pub(crate) struct PrivateDir {
    dir: tempfile::TempDir,
    // Last: the registry file goes after the directory is removed.
    _record: registry::Record,
}

impl PrivateDir {
    /// Creates `name` in the directory with O_EXCL and mode 0600, read-write.
    pub(crate) fn create_file(&self, name: &str) -> Result<(std::path::PathBuf, std::fs::File)> {
        let path = self.dir.path().join(name);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .map_err(|e| Error::usage(format!("cannot create {}: {e}", path.display())))?;
        Ok((path, file))
    }
}

/// A fresh private directory named `shmlab-*` under $TMPDIR (or /tmp).
pub(crate) fn private_dir() -> Result<PrivateDir> {
    let dir = tempfile::Builder::new().prefix("shmlab-").tempdir().map_err(|e| {
        Error::usage(format!(
            "cannot create a private directory in {}: {e}; set TMPDIR to a writable directory",
            std::env::temp_dir().display()
        ))
    })?;
    let record = registry::record(Entry::TempDir { path: dir.path().display().to_string() });
    Ok(PrivateDir { dir, _record: record })
}

pub(super) fn create(request: &RegionRequest) -> Result<Region> {
    if request.huge_page_bytes.is_some() {
        return Err(Error::usage(
            "mmap-file cannot use huge pages: a regular file is not on hugetlbfs; use mmap, xsi, xsi-private or memfd with --huge",
        ));
    }
    let dir = private_dir()?;
    let (path, file) = dir.create_file("region")?;
    file.set_len(request.size as u64).map_err(|e| {
        Error::usage(format!(
            "ftruncate of {} to {} bytes failed: {e}; is the file system full?",
            path.display(),
            request.size
        ))
    })?;

    let mapping = Mapping::shared_file(file.as_fd(), request.size, MapOptions::default()).sys(
        "mmap(MAP_SHARED)",
        || path.display().to_string(),
        "",
    )?;
    Ok(Region { mapping, object: Object::File(TempFile(dir)), reopen: Reopen::Inherited })
}

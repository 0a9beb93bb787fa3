//! `MAP_SHARED` mapping of a regular file: the oldest way to share memory.
//! The file lives in a private temporary directory made for this region,
//! is created with `O_EXCL`, and both go when the region drops.

use std::fs::OpenOptions;
use std::os::fd::AsFd;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::{Backing, Object, Region, RegionRequest, Reopen};
use crate::error::{Error, Result, SysContext};
use crate::registry::{self, Entry, FileId};
use crate::sys::mman::{MapOptions, Mapping};

/// Directory names tried before giving up.
const NAME_ATTEMPTS: usize = 8;

/// A file in its own temporary directory; dropping it removes both.
#[derive(Debug)]
pub(super) struct TempFile(PrivateDir);

impl TempFile {
    /// The directory the file is in.
    pub(super) fn dir(&self) -> &Path {
        &self.0.path
    }
}

/// A private temporary directory (mode 0700 whatever the umask, owned by
/// us, random name), registered while it exists and removed on drop.
#[derive(Debug)]
pub(crate) struct PrivateDir {
    path: PathBuf,
    record: registry::Record,
}

impl PrivateDir {
    /// Where it is.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Creates `name` in the directory with O_EXCL and mode 0600, read-write.
    pub(crate) fn create_file(&self, name: &str) -> Result<(PathBuf, std::fs::File)> {
        let path = self.path.join(name);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&path)
            .map_err(|e| Error::usage(crate::tr!("region-cannot-create", path = path.display(), error = e)))?;
        Ok((path, file))
    }
}

impl Drop for PrivateDir {
    fn drop(&mut self) {
        registry::remove_if_ours(self.record.registered());
    }
}

fn tmpdir_error(dir: &Path, what: &str) -> Error {
    Error::usage(crate::tr!("region-private-dir-failed", dir = dir.display(), why = what))
}

/// A fresh private directory named `shmlab-*` under $TMPDIR (or /tmp).
pub(crate) fn private_dir() -> Result<PrivateDir> {
    let parent = std::env::temp_dir();
    for _ in 0..NAME_ATTEMPTS {
        let path = parent.join(super::unique_name(""));
        let record = registry::record(Entry::TempDir { path: path.display().to_string(), dir: None })?;
        match std::fs::DirBuilder::new().mode(0o700).create(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(tmpdir_error(&parent, &e.to_string())),
        }
        let mut dir = PrivateDir { path, record };
        // mkdir's mode passes through the umask: make it exactly 0700, then check.
        std::fs::set_permissions(&dir.path, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| tmpdir_error(&parent, &e.to_string()))?;
        let meta = std::fs::symlink_metadata(&dir.path).map_err(|e| tmpdir_error(&parent, &e.to_string()))?;
        if !meta.is_dir() || meta.mode() & 0o7777 != 0o700 || meta.uid() != crate::sys::process::effective_uid() {
            return Err(tmpdir_error(&parent, &crate::tr!("region-not-private", path = dir.path.display())));
        }
        dir.record.update(Entry::TempDir { path: dir.path.display().to_string(), dir: Some(FileId::of(&meta)) })?;
        return Ok(dir);
    }
    Err(tmpdir_error(&parent, &crate::i18n::t("region-names-colliding")))
}

pub(super) fn create(request: &RegionRequest) -> Result<Region> {
    let dir = private_dir()?;
    let (path, file) = dir.create_file("region")?;
    file.set_len(request.size as u64).map_err(|e| {
        Error::usage(crate::tr!("region-ftruncate-failed", path = path.display(), size = request.size, error = e))
    })?;
    if request.backing == Backing::UpFront {
        crate::sys::posix_shm::allocate(&file, request.size).map_err(|e| {
            let hint = if e == crate::sys::Errno::ENOSPC { super::space_hint(&dir.path) } else { String::new() };
            Error::sys(
                "posix_fallocate",
                &crate::tr!("region-path-bytes", path = path.display(), size = request.size),
                e,
                &hint,
            )
        })?;
    }
    let mapping = Mapping::shared_file(file.as_fd(), request.size, MapOptions::default()).sys(
        "mmap(MAP_SHARED)",
        || path.display().to_string(),
        "",
    )?;
    Ok(Region { mapping, object: Object::File(TempFile(dir)), reopen: Reopen::Inherited })
}

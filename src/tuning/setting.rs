//! A kernel setting changed for a while (see the module above).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::kernel::sysctl::{read, selected, write};
use crate::registry::{self, Entry};

/// A knob changed for a while; the old value is written back on drop.
#[derive(Debug)]
pub struct Override {
    path: PathBuf,
    old: String,
    // Last: the registry file goes after Drop has put the old value back;
    // None once Drop has let go of it (kept on disk for `shmlab clean`).
    record: Option<registry::Record>,
}

impl Override {
    /// Writes `value` to `path`, remembering what was there. The registry
    /// hears of it first, so that a kill at any moment can be undone.
    pub fn set(path: &Path, value: &str) -> Result<Self> {
        let text = read(path).ok_or_else(|| Error::usage(crate::tr!("tuning-cannot-read", path = path.display())))?;
        let old = selected(&text).unwrap_or(&text).to_string();
        let record = registry::record(Entry::Setting {
            path: path.display().to_string(),
            old: old.clone(),
            new: value.to_string(),
        })?;
        write(path, value).map_err(|e| {
            let denied = e.kind() == std::io::ErrorKind::PermissionDenied;
            let id = if denied { "tuning-cannot-write-root" } else { "tuning-cannot-write" };
            let error = Error::usage(crate::tr!(id, value = value, path = path.display(), error = e));
            // Not root, or a read-only /proc/sys (a container): cannot be done here at all.
            if denied || e.raw_os_error() == Some(crate::sys::Errno::EROFS as i32) {
                error.unavailable_here()
            } else {
                error
            }
        })?;
        Ok(Self { path: path.to_path_buf(), old, record: Some(record) })
    }

    /// The value it will put back.
    pub fn old(&self) -> &str {
        &self.old
    }
}

impl Drop for Override {
    /// Puts the old value back, unless somebody else changed the knob since
    /// (then theirs stays).
    fn drop(&mut self) {
        let Some(text) = read(&self.path) else { return };
        if let Some(record) = &self.record
            && let Entry::Setting { new, .. } = record.entry()
            && selected(&text).unwrap_or(&text) != new
        {
            return;
        }
        if let Err(e) = write(&self.path, &self.old) {
            // The record stays on disk, so that `shmlab clean` can try again.
            std::mem::forget(self.record.take());
            crate::notice::warn(crate::tr!(
                "tuning-restore-failed",
                path = self.path.display(),
                old = self.old,
                error = e
            ));
        }
    }
}

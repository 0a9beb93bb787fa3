//! Kernel knobs in /proc/sys and /sys: read them, and change one for the
//! length of an experiment with a guard that puts the old value back when
//! it drops (on success, on error and after Ctrl-C alike, because shmlab's
//! interrupts unwind through ordinary returns).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::registry::{self, Entry};

/// The text of a knob, trimmed. For selection knobs such as
/// `shmem_enabled` ("always [never] advise") this is the whole line.
pub fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok().map(|s| s.trim().to_string())
}

/// A number from a knob.
pub fn read_u64(path: &Path) -> Option<u64> {
    read(path)?.split_whitespace().next()?.parse().ok()
}

/// The selected word of a selection knob: `always [never] advise` → `never`.
pub fn selected(text: &str) -> Option<&str> {
    let start = text.find('[')? + 1;
    let end = text[start..].find(']')? + start;
    Some(&text[start..end])
}

/// `/proc/sys/kernel/shmmax` for the name `kernel.shmmax`.
pub fn proc_path(name: &str) -> PathBuf {
    PathBuf::from("/proc/sys").join(name.replace('.', "/"))
}

fn write(path: &Path, value: &str) -> std::io::Result<()> {
    std::fs::write(path, value)
}

/// A knob changed for a while; the old value is written back on drop.
#[derive(Debug)]
pub struct Override {
    path: PathBuf,
    old: String,
    // Last: the registry file goes after Drop has put the old value back.
    _record: registry::Record,
}

impl Override {
    /// Writes `value` to `path`, remembering what was there.
    pub fn set(path: &Path, value: &str) -> Result<Self> {
        let text = read(path).ok_or_else(|| Error::usage(format!("cannot read {}", path.display())))?;
        let old = selected(&text).unwrap_or(&text).to_string();
        write(path, value).map_err(|e| {
            let denied = e.kind() == std::io::ErrorKind::PermissionDenied;
            let hint = if denied { "; this needs root" } else { "" };
            let error = Error::usage(format!("cannot write {value} to {}: {e}{hint}", path.display()));
            // Not root, or a read-only /proc/sys (a container): cannot be done here at all.
            if denied || e.raw_os_error() == Some(crate::sys::Errno::EROFS as i32) {
                error.unavailable_here()
            } else {
                error
            }
        })?;
        let record = registry::record(Entry::Setting {
            path: path.display().to_string(),
            old: old.clone(),
            new: value.to_string(),
        });
        Ok(Self { path: path.to_path_buf(), old, _record: record })
    }

    /// The value it will put back.
    pub fn old(&self) -> &str {
        &self.old
    }
}

impl Drop for Override {
    fn drop(&mut self) {
        if let Err(e) = write(&self.path, &self.old) {
            let _ = crate::output::stderr(&format!(
                "shmlab: warning: could not restore {} to {}: {e}; restore it by hand\n",
                self.path.display(),
                self.old
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_knobs() {
        assert_eq!(selected("always within_size advise [never] deny force"), Some("never"));
        assert_eq!(selected("4096"), None);
        assert_eq!(proc_path("kernel.shmmax"), PathBuf::from("/proc/sys/kernel/shmmax"));
    }
}

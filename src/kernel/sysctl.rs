//! Kernel knobs in /proc/sys and /sys: read them, and change one for the
//! length of an experiment with a guard that puts the old value back when
//! it drops (on success, on error and after Ctrl-C alike, because shmlab's
//! interrupts unwind through ordinary returns).

use std::path::{Path, PathBuf};

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

/// Writes `value` to a knob.
pub fn write(path: &Path, value: &str) -> std::io::Result<()> {
    std::fs::write(path, value)
}

/// The knobs shmlab ever changes; nothing else is written back by `clean`,
/// whatever a registry record says.
const CHANGED_KNOBS: [&str; 5] = [
    "/proc/sys/kernel/shmmax",
    "/proc/sys/kernel/shmall",
    "/proc/sys/kernel/shmmni",
    "/proc/sys/vm/nr_hugepages",
    "/sys/kernel/mm/transparent_hugepage/shmem_enabled",
];

/// The words `shmem_enabled` accepts.
const SHMEM_THP_WORDS: [&str; 6] = ["always", "within_size", "advise", "never", "deny", "force"];

/// Whether `value` may be written back to `path` by `clean`: a knob shmlab
/// changes (or a huge page pool's nr_hugepages), and a value of its form.
pub fn restorable(path: &Path, value: &str) -> bool {
    let text = path.to_string_lossy();
    let pool = text
        .strip_prefix("/sys/kernel/mm/hugepages/hugepages-")
        .and_then(|rest| rest.strip_suffix("kB/nr_hugepages"))
        .is_some_and(|size| !size.is_empty() && size.bytes().all(|b| b.is_ascii_digit()));
    if !pool && !CHANGED_KNOBS.contains(&text.as_ref()) {
        return false;
    }
    if text.ends_with("shmem_enabled") {
        SHMEM_THP_WORDS.contains(&value)
    } else {
        !value.is_empty() && value.len() <= 20 && value.bytes().all(|b| b.is_ascii_digit())
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

    #[test]
    fn only_the_knobs_shmlab_changes_are_restorable() {
        assert!(restorable(Path::new("/proc/sys/kernel/shmmax"), "18446744073692774399"));
        assert!(restorable(Path::new("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"), "0"));
        assert!(restorable(Path::new("/sys/kernel/mm/transparent_hugepage/shmem_enabled"), "never"));
        assert!(!restorable(Path::new("/proc/sys/kernel/shmmax"), "OVERWRITTEN"));
        assert!(!restorable(Path::new("/tmp/victim"), "1"));
        assert!(!restorable(Path::new("/proc/sys/kernel/core_pattern"), "1"));
        assert!(!restorable(Path::new("/sys/kernel/mm/hugepages/hugepages-../../x/nr_hugepages"), "1"));
        assert!(!restorable(Path::new("/sys/kernel/mm/transparent_hugepage/shmem_enabled"), "[never]"));
    }
}

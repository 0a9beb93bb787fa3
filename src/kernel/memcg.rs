//! The files of a memory cgroup that the container lab makes, limits and
//! reads, for either cgroup version.
//!
//! The two versions name the same things differently: the charge is
//! `memory.usage_in_bytes` (v1) or `memory.current` (v2), the hard limit
//! `memory.limit_in_bytes` or `memory.max`, the count of OOM kills the
//! `oom_kill` line of `memory.oom_control` (v1, since Linux 4.13) or of
//! `memory.events` (v2). Both have a `shmem` line in `memory.stat`, in
//! bytes: the part of the charge that is shared memory (tmpfs, /dev/shm,
//! SysV segments, MAP_SHARED|MAP_ANONYMOUS).
//!
//! Where a new group may go differs too. In v1 any group may have children
//! that use the controller. In v2 a child gets the memory controller only
//! if its parent lists `memory` in `cgroup.subtree_control`, and a group
//! that holds processes may not enable it for its children (the "no
//! internal processes" rule, Documentation/admin-guide/cgroup-v2.rst), so
//! the lab's groups go under our own group when it delegates memory (only
//! the root may, as it is exempt from the rule), else beside it in our
//! parent (a delegated unit whose processes moved to a leaf), else under
//! the hierarchy's root.
//!
//! Everything here is a function of file texts (a reader closure), so the
//! version this machine does not run is tested on recorded files.

use std::path::{Path, PathBuf};

use super::cgroup::{Location, Version};

/// The charge file: all memory charged to the group, shared memory included.
pub fn usage_file(version: Version) -> &'static str {
    match version {
        Version::V1 => "memory.usage_in_bytes",
        Version::V2 => "memory.current",
    }
}

/// The hard limit: past it the kernel reclaims, then OOM-kills in the group.
pub fn limit_file(version: Version) -> &'static str {
    match version {
        Version::V1 => "memory.limit_in_bytes",
        Version::V2 => "memory.max",
    }
}

/// The file with the `oom_kill` counter.
pub fn oom_file(version: Version) -> &'static str {
    match version {
        Version::V1 => "memory.oom_control",
        Version::V2 => "memory.events",
    }
}

/// The file that keeps the group's shared memory in RAM when the machine
/// has swap, and the value that does it: v2 forbids swap outright; v1 can
/// only tell reclaim to leave swap-backed pages alone.
pub fn no_swap_setting(version: Version) -> (&'static str, &'static str) {
    match version {
        Version::V1 => ("memory.swappiness", "0"),
        Version::V2 => ("memory.swap.max", "0"),
    }
}

/// The number on the `key N` line of a flat keyed file (memory.stat,
/// memory.events, memory.oom_control).
pub fn keyed(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(' ')?;
        (k == key).then(|| v.trim().parse().ok())?
    })
}

/// What the lab reads from one of its groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reading {
    /// Everything charged to the group, in bytes.
    pub charged: u64,
    /// The shared memory part of it (memory.stat `shmem`).
    pub shmem: u64,
    /// OOM kills in the group so far.
    pub oom_kills: u64,
}

/// Reads a group's charge, shared memory and OOM kills; `None` if its
/// files cannot be read (the group is gone, or this is not a memory cgroup).
pub fn read(dir: &Path, version: Version, read: &dyn Fn(&Path) -> Option<String>) -> Option<Reading> {
    let charged = read(&dir.join(usage_file(version)))?.trim().parse().ok()?;
    let shmem = keyed(&read(&dir.join("memory.stat"))?, "shmem")?;
    let oom_kills = keyed(&read(&dir.join(oom_file(version)))?, "oom_kill")?;
    Some(Reading { charged, shmem, oom_kills })
}

/// Where the lab may make its groups: a directory whose children get the
/// memory controller. `Err` says why there is none and what would give one.
/// `may_use_parent` says whether our parent may hold them (a normal user's
/// delegated subtree), when it delegates memory.
pub fn parent_for_groups(
    location: &Location,
    read: &dyn Fn(&Path) -> Option<String>,
    may_use_parent: &dyn Fn(&Path) -> bool,
) -> Result<PathBuf, String> {
    match location.version {
        Version::V1 => Ok(location.dir.clone()),
        Version::V2 => {
            let delegates = |dir: &Path| {
                read(&dir.join("cgroup.subtree_control")).is_some_and(|t| t.split_whitespace().any(|c| c == "memory"))
            };
            // Our own group, if it delegates memory (it cannot while it holds
            // processes, unless it is a delegated subtree's root); else beside
            // it, in our parent (a delegated unit whose processes moved to a
            // leaf); else the hierarchy's root (root only).
            let parent = location.dir.parent().filter(|p| p.starts_with(&location.mount.mount_point));
            if delegates(&location.dir) {
                Ok(location.dir.clone())
            } else if let Some(parent) = parent.filter(|p| may_use_parent(p) && delegates(p)) {
                Ok(parent.to_path_buf())
            } else if delegates(&location.mount.mount_point) {
                Ok(location.mount.mount_point.clone())
            } else {
                Err(crate::tr!(
                    "cgroup-no-delegation",
                    dir = location.dir.display(),
                    root = location.mount.mount_point.display()
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::cgroup::fixtures;
    use std::collections::HashMap;

    /// In the form this lab machine's cgroup v1 prints them (kernel 6.18,
    /// shortened), with the values `container cgroup-charge` measured after
    /// a child touched 64 MiB of a segment, and after an OOM kill.
    const V1_STAT: &str = "cache 67108864\nrss 0\nrss_huge 0\nshmem 67108864\nmapped_file 0\ndirty 0\n\
writeback 0\npgpgin 16453\npgpgout 69\npgfault 16533\npgmajfault 0\ninactive_anon 67108864\nactive_anon 0\n\
inactive_file 0\nactive_file 0\nunevictable 0\nhierarchical_memory_limit 100663296\ntotal_cache 67108864\n\
total_rss 0\ntotal_shmem 67108864\n";
    const V1_OOM: &str = "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n";
    /// The same in cgroup v2's form (Documentation/admin-guide/cgroup-v2.rst,
    /// the keys in kernel 6.8's order).
    const V2_STAT: &str = "anon 122880\nfile 67108864\nkernel 311296\nkernel_stack 16384\npagetables 45056\n\
sec_pagetables 0\npercpu 0\nsock 0\nvmalloc 0\nshmem 67108864\nzswap 0\nzswapped 0\nfile_mapped 0\n\
file_dirty 0\nfile_writeback 0\n";
    const V2_EVENTS: &str = "low 0\nhigh 0\nmax 41\noom 1\noom_kill 1\noom_group_kill 0\n";

    #[test]
    fn keyed_lines_are_found_by_their_whole_key() {
        assert_eq!(keyed(V1_STAT, "shmem"), Some(64 << 20));
        assert_eq!(keyed(V1_STAT, "total_shmem"), Some(64 << 20));
        assert_eq!(keyed(V2_EVENTS, "oom"), Some(1));
        assert_eq!(keyed(V2_EVENTS, "oom_kill"), Some(1));
        assert_eq!(keyed(V2_EVENTS, "oom_group"), None);
    }

    fn reader(files: HashMap<&'static str, String>) -> impl Fn(&Path) -> Option<String> {
        move |p: &Path| files.get(p.to_str()?).cloned()
    }

    #[test]
    fn both_versions_read_charge_shmem_and_oom_kills() {
        let v1 = reader(HashMap::from([
            ("/g/memory.usage_in_bytes", "67240960\n".to_string()),
            ("/g/memory.stat", V1_STAT.to_string()),
            ("/g/memory.oom_control", V1_OOM.to_string()),
        ]));
        let want = Reading { charged: 67_240_960, shmem: 64 << 20, oom_kills: 1 };
        assert_eq!(read(Path::new("/g"), Version::V1, &v1), Some(want));
        let v2 = reader(HashMap::from([
            ("/g/memory.current", "67588096\n".to_string()),
            ("/g/memory.stat", V2_STAT.to_string()),
            ("/g/memory.events", V2_EVENTS.to_string()),
        ]));
        let want = Reading { charged: 67_588_096, shmem: 64 << 20, oom_kills: 1 };
        assert_eq!(read(Path::new("/g"), Version::V2, &v2), Some(want));
        // The v1 names on a v2 group find nothing.
        assert_eq!(read(Path::new("/g"), Version::V1, &v2), None);
    }

    #[test]
    fn version_file_names() {
        assert_eq!(limit_file(Version::V1), "memory.limit_in_bytes");
        assert_eq!(limit_file(Version::V2), "memory.max");
        assert_eq!(no_swap_setting(Version::V2), ("memory.swap.max", "0"));
        assert_eq!(no_swap_setting(Version::V1), ("memory.swappiness", "0"));
    }

    #[test]
    fn v1_groups_go_under_our_own_group() {
        let m = fixtures::hybrid();
        let location = m.cgroup().unwrap().location;
        let read = |p: &Path| m.files.get(p.to_str()?).map(|t| t.to_string());
        assert_eq!(parent_for_groups(&location, &read, &|_| true).unwrap(), location.dir);
    }

    #[test]
    fn v2_groups_go_where_memory_is_delegated() {
        let mut m = fixtures::systemd_v2();
        let location = m.cgroup().unwrap().location;
        let own = "/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope/cgroup.subtree_control";
        let root = "/sys/fs/cgroup/cgroup.subtree_control";
        // Nothing delegates memory: refused, naming both places.
        fn read(m: &fixtures::Machine) -> impl Fn(&Path) -> Option<String> + '_ {
            move |p: &Path| m.files.get(p.to_str()?).map(|t| t.to_string())
        }
        let why = parent_for_groups(&location, &read(&m), &|_| true).unwrap_err();
        assert!(why.contains("session-2.scope") && why.contains("subtree_control"), "{why}");
        // The root delegates it (the usual systemd machine).
        m.files.insert(root, "cpu io memory pids\n");
        assert_eq!(parent_for_groups(&location, &read(&m), &|_| true).unwrap(), PathBuf::from("/sys/fs/cgroup"));
        // Our parent delegates it (a delegated unit, shmlab in a leaf below).
        let slice = "/sys/fs/cgroup/user.slice/user-1000.slice/cgroup.subtree_control";
        m.files.insert(slice, "memory pids\n");
        assert_eq!(
            parent_for_groups(&location, &read(&m), &|_| true).unwrap(),
            PathBuf::from("/sys/fs/cgroup/user.slice/user-1000.slice")
        );
        // ... but not when the parent is not ours to use (root, another
        // user's slice): then the hierarchy's root.
        assert_eq!(parent_for_groups(&location, &read(&m), &|_| false).unwrap(), PathBuf::from("/sys/fs/cgroup"));
        // Our own group delegates it (only possible for the root cgroup,
        // which is exempt from the no-internal-processes rule).
        m.files.insert(own, "memory\n");
        assert_eq!(parent_for_groups(&location, &read(&m), &|_| true).unwrap(), location.dir);
    }
}

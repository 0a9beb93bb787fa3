//! Which memory cgroup this process is in, and how much it may still charge.
//!
//! Why it matters: shared memory pages are charged to the memory cgroup of
//! the process that first touches them, and the charge stays while the
//! object exists (an XSI segment or a /dev/shm file outlives its creator).
//! When a touch would go past the limit, the kernel reclaims what it can
//! and then OOM-kills the toucher: exit 137, no message, and a keyed
//! segment plus its charge left behind. MemAvailable says nothing about
//! this: a machine with 20 GiB free can run shmlab in a cgroup of 256 MiB
//! (a container, a systemd `MemoryMax=`, a CI job). So the memory lab asks
//! the cgroup first.
//!
//! Both cgroup versions exist in the field. v1 (and "hybrid" machines, with
//! the v1 memory controller beside a v2 hierarchy that lacks it) name the
//! group on a `N:memory:/path` line of /proc/self/cgroup and keep
//! `memory.limit_in_bytes`/`memory.usage_in_bytes`; v2 has one `0::/path`
//! line and `memory.max`, `memory.high`, `memory.current`. A controller is
//! bound to one hierarchy only, so a v1 memory line, if there is one, wins.
//!
//! The path in /proc/self/cgroup is relative to the root of the cgroup
//! hierarchy (or of our cgroup namespace); where it is mounted, and which
//! part of the hierarchy the mount shows, is in /proc/self/mountinfo (its
//! "root" field). Inside a container the mount's root is often the
//! container's own cgroup, so the directory is the mount point itself, and
//! the ancestors above it cannot be seen (the container's limit is usually
//! on its own group, which is visible).
//!
//! Limits are hierarchical: every ancestor's limit applies too, and the room
//! left is the smallest `limit − usage` on the way up. Everything here is a
//! pure function of file texts (a reader closure supplies them), so that it
//! is unit-tested on recorded texts of each kind of machine.

use std::path::{Path, PathBuf};

/// v1 prints "no limit" as the largest page-aligned `i64` (9223372036854771712,
/// about 2^63); anything this large is no limit in practice.
const V1_UNLIMITED: u64 = 1 << 62;

/// Which cgroup version holds the memory controller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V1,
    V2,
}

impl Version {
    pub fn name(self) -> &'static str {
        match self {
            Version::V1 => "cgroup v1",
            Version::V2 => "cgroup v2",
        }
    }
}

/// The line of /proc/self/cgroup that names our memory cgroup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub version: Version,
    /// As the kernel prints it, e.g. `/user.slice/user-1000.slice/session-2.scope`.
    pub path: String,
}

/// Reads /proc/self/cgroup: the v1 line whose controller list has `memory`
/// (`4:memory:/x` or `3:cpu,memory:/x`) if there is one, else the v2 line
/// `0::/x`. `None` if neither is there (no cgroups at all).
pub fn membership(proc_self_cgroup: &str) -> Option<Membership> {
    let mut v2 = None;
    for line in proc_self_cgroup.lines() {
        let mut fields = line.splitn(3, ':');
        let (Some(id), Some(controllers), Some(path)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        if controllers.split(',').any(|c| c == "memory") {
            return Some(Membership { version: Version::V1, path: path.to_string() });
        }
        if id == "0" && controllers.is_empty() {
            v2 = Some(Membership { version: Version::V2, path: path.to_string() });
        }
    }
    v2
}

/// One line of /proc/self/mountinfo, the fields we need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// The part of the file system the mount shows (field 4): for a cgroup
    /// mount, the cgroup at the mount point.
    pub root: String,
    pub mount_point: PathBuf,
    pub fstype: String,
    /// The file system's own options (after the ` - fstype source` part),
    /// e.g. `rw,memory` for a v1 memory hierarchy.
    pub super_options: Vec<String>,
}

/// Parses /proc/self/mountinfo; lines it cannot read are left out.
pub fn mounts(mountinfo: &str) -> Vec<Mount> {
    let mut out = Vec::new();
    for line in mountinfo.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        // id parent major:minor root mount-point options [optional...] - fstype source super-options
        let Some(dash) = fields.iter().skip(6).position(|f| *f == "-").map(|p| p + 6) else { continue };
        let (Some(root), Some(point), Some(fstype)) = (fields.get(3), fields.get(4), fields.get(dash + 1)) else {
            continue;
        };
        let super_options =
            fields.get(dash + 3).map(|o| o.split(',').map(str::to_string).collect()).unwrap_or_default();
        out.push(Mount {
            root: unescape(root),
            mount_point: PathBuf::from(unescape(point)),
            fstype: fstype.to_string(),
            super_options,
        });
    }
    out
}

/// The mount that holds `path` (an absolute path without `..`): the one
/// with the longest mount point above it, the last mounted if several.
pub fn mount_of(path: &Path, mountinfo: &str) -> Option<Mount> {
    mounts(mountinfo)
        .into_iter()
        .filter(|m| path.starts_with(&m.mount_point))
        .max_by_key(|m| m.mount_point.components().count())
}

/// The file system type of the mount holding `path` (`tmpfs`, `ext4`,
/// `cgroup2`), as /proc/self/mountinfo names it.
pub fn fs_type_of(path: &Path) -> Option<String> {
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    let path = std::fs::canonicalize(path).ok()?;
    mount_of(&path, &mountinfo).map(|m| m.fstype)
}

/// mountinfo writes space, tab, newline and backslash as `\040`, `\011`,
/// `\012` and `\134`.
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\'
            && i + 3 < bytes.len()
            && let Some(code) =
                std::str::from_utf8(&bytes[i + 1..i + 4]).ok().and_then(|o| u8::from_str_radix(o, 8).ok())
        {
            out.push(code);
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `path` relative to a mount whose root is `root`: `Some("")` for the root
/// itself, `None` if the path is not below it (then that mount does not show
/// our cgroup).
fn below(path: &str, root: &str) -> Option<String> {
    let root = root.trim_end_matches('/');
    if root.is_empty() {
        return Some(path.trim_start_matches('/').to_string());
    }
    if path == root {
        return Some(String::new());
    }
    path.strip_prefix(root).and_then(|rest| rest.strip_prefix('/')).map(str::to_string)
}

/// Where our memory cgroup is in the file system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub version: Version,
    /// Our cgroup, as /proc/self/cgroup names it.
    pub path: String,
    /// Its directory, e.g. `/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope`.
    pub dir: PathBuf,
    /// The mount the directory is in; the walk up to ancestors stops here.
    pub mount: Mount,
}

impl Location {
    /// v2 only, kernel 6.6 and later: with the `memory_hugetlb_accounting`
    /// mount option hugetlb pages are charged to the memory controller too.
    pub fn hugetlb_accounted(&self) -> bool {
        self.version == Version::V2 && self.mount.super_options.iter().any(|o| o == "memory_hugetlb_accounting")
    }

    /// This cgroup and every visible ancestor, innermost first: (cgroup
    /// path as the kernel names it, directory).
    pub fn levels(&self) -> Vec<(String, PathBuf)> {
        let rel = below(&self.path, &self.mount.root).unwrap_or_default();
        let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
        let root = self.mount.root.trim_end_matches('/');
        (0..=parts.len())
            .rev()
            .map(|n| {
                let tail = parts[..n].join("/");
                let name = match (root.is_empty(), tail.is_empty()) {
                    (true, true) => "/".to_string(),
                    (true, false) => format!("/{tail}"),
                    (false, true) => root.to_string(),
                    (false, false) => format!("{root}/{tail}"),
                };
                let dir = parts[..n].iter().fold(self.mount.mount_point.clone(), |d, p| d.join(p));
                (name, dir)
            })
            .collect()
    }
}

/// Finds our memory cgroup's directory from the texts of /proc/self/cgroup
/// and /proc/self/mountinfo. For v2, `read` must show `memory` in the
/// hierarchy's cgroup.controllers (a hybrid machine's v2 hierarchy may hold
/// only other controllers). `None` when there is no memory controller.
pub fn locate(proc_self_cgroup: &str, mountinfo: &str, read: &dyn Fn(&Path) -> Option<String>) -> Option<Location> {
    let member = membership(proc_self_cgroup)?;
    let mut candidates: Vec<Mount> = mounts(mountinfo)
        .into_iter()
        .filter(|m| match member.version {
            Version::V1 => m.fstype == "cgroup" && m.super_options.iter().any(|o| o == "memory"),
            Version::V2 => m.fstype == "cgroup2",
        })
        .filter(|m| below(&member.path, &m.root).is_some())
        .collect();
    // Of several mounts (bind mounts), the one showing the deepest root.
    candidates.sort_by_key(|m| std::cmp::Reverse(m.root.len()));
    let mount = candidates.into_iter().next()?;
    if member.version == Version::V2 {
        let controllers = read(&mount.mount_point.join("cgroup.controllers"))?;
        if !controllers.split_whitespace().any(|c| c == "memory") {
            return None;
        }
    }
    let rel = below(&member.path, &mount.root)?;
    let dir = rel.split('/').filter(|p| !p.is_empty()).fold(mount.mount_point.clone(), |d, p| d.join(p));
    Some(Location { version: member.version, path: member.path, dir, mount })
}

/// A limit file's text as bytes: `None` for no limit (`max` in v2, about
/// 2^63 in v1) or a text that is not a number.
pub fn parse_limit(text: &str) -> Option<u64> {
    let t = text.trim();
    if t == "max" {
        return None;
    }
    t.parse::<u64>().ok().filter(|v| *v < V1_UNLIMITED)
}

/// One limit on the way up, with what is charged against it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    /// The cgroup it is set on, as the kernel names it.
    pub cgroup: String,
    pub dir: PathBuf,
    /// `memory.limit_in_bytes`, `memory.max` or `memory.high`.
    pub file: &'static str,
    pub limit: u64,
    /// `memory.usage_in_bytes` or `memory.current`.
    pub usage_file: &'static str,
    pub usage: u64,
    /// Of that usage, inactive file cache (memory.stat `inactive_file`, v1
    /// `total_inactive_file`): the kernel drops it before it refuses a
    /// charge, so it is room, not use (kubelet's "working set" counts the same way).
    pub reclaimable: u64,
}

impl Limit {
    /// Bytes that may still be charged before this limit is reached.
    pub fn room(&self) -> u64 {
        self.limit.saturating_sub(self.usage.saturating_sub(self.reclaimable))
    }
}

/// `inactive_file` (v2) or `total_inactive_file` (v1) from a memory.stat text.
fn inactive_file(stat: &str, version: Version) -> u64 {
    let key = match version {
        Version::V1 => "total_inactive_file",
        Version::V2 => "inactive_file",
    };
    stat.lines().find_map(|l| l.strip_prefix(key)?.strip_prefix(' ')?.trim().parse().ok()).unwrap_or(0)
}

/// Our memory cgroup and every limit that applies to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryCgroup {
    pub location: Location,
    /// Innermost first; levels without a limit are left out.
    pub limits: Vec<Limit>,
}

impl MemoryCgroup {
    /// This process's memory cgroup, read from /proc and /sys; `None` when
    /// there is no memory controller or its files cannot be read.
    pub fn read_own() -> Option<Self> {
        let proc_self_cgroup = std::fs::read_to_string("/proc/self/cgroup").ok()?;
        let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
        Self::from_texts(&proc_self_cgroup, &mountinfo, &|p| std::fs::read_to_string(p).ok())
    }

    /// The same from recorded texts: `read` returns a file's text (None if
    /// it does not exist).
    pub fn from_texts(proc_self_cgroup: &str, mountinfo: &str, read: &dyn Fn(&Path) -> Option<String>) -> Option<Self> {
        let location = locate(proc_self_cgroup, mountinfo, read)?;
        let mut limits = Vec::new();
        for (i, (cgroup, dir)) in location.levels().into_iter().enumerate() {
            let files: &[&'static str] = match location.version {
                // An ancestor limits us only if it is hierarchical (always
                // on since Linux 5.x; old kernels allowed use_hierarchy=0).
                Version::V1 if i > 0 && read(&dir.join("memory.use_hierarchy")).is_some_and(|t| t.trim() == "0") => &[],
                Version::V1 => &["memory.limit_in_bytes"],
                // memory.high is not a hard limit: past it the kernel
                // throttles and reclaims, and shared memory without swap
                // cannot be reclaimed, so the toucher crawls. Treat it as one.
                Version::V2 => &["memory.max", "memory.high"],
            };
            let usage_file = super::memcg::usage_file(location.version);
            for &file in files {
                let Some(limit) = read(&dir.join(file)).as_deref().and_then(parse_limit) else { continue };
                let usage = read(&dir.join(usage_file)).and_then(|t| t.trim().parse().ok()).unwrap_or(0);
                let reclaimable =
                    read(&dir.join("memory.stat")).map_or(0, |t| inactive_file(&t, location.version)).min(usage);
                limits.push(Limit {
                    cgroup: cgroup.clone(),
                    dir: dir.clone(),
                    file,
                    limit,
                    usage_file,
                    usage,
                    reclaimable,
                });
            }
        }
        Some(Self { location, limits })
    }

    /// The limit that leaves the least room, if any limit is set.
    pub fn tightest(&self) -> Option<&Limit> {
        self.limits.iter().min_by_key(|l| l.room())
    }
}

#[cfg(test)]
mod mount_tests {
    use super::*;

    #[test]
    fn a_path_belongs_to_its_deepest_mount() {
        let mountinfo = "22 1 253:0 / / rw shared:1 - ext4 /dev/root rw\n\
                         30 26 0:27 / /sys/fs/cgroup rw shared:4 - cgroup2 cgroup2 rw\n\
                         31 30 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n";
        let fstype = |p: &str| mount_of(Path::new(p), mountinfo).map(|m| m.fstype);
        assert_eq!(fstype("/sys/fs/cgroup/memory/shmlab-1-a").as_deref(), Some("cgroup"));
        assert_eq!(fstype("/sys/fs/cgroup/shmlab-1-a").as_deref(), Some("cgroup2"));
        assert_eq!(fstype("/sys/fs/cgroupx").as_deref(), Some("ext4"));
        assert_eq!(fstype("/tmp/x").as_deref(), Some("ext4"));
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! Recorded texts of four kinds of machine, for the tests here and in
    //! the memory lab.

    use std::collections::HashMap;
    use std::path::Path;

    use super::MemoryCgroup;

    pub struct Machine {
        pub proc_self_cgroup: &'static str,
        pub mountinfo: &'static str,
        pub files: HashMap<&'static str, &'static str>,
    }

    impl Machine {
        pub fn cgroup(&self) -> Option<MemoryCgroup> {
            let read = |p: &Path| self.files.get(p.to_str()?).map(|t| t.to_string());
            MemoryCgroup::from_texts(self.proc_self_cgroup, self.mountinfo, &read)
        }
    }

    /// A systemd machine on cgroup v2 (Fedora, Ubuntu 22.04+): a login
    /// session, with `MemoryMax=8G` on the user's slice.
    pub fn systemd_v2() -> Machine {
        Machine {
            proc_self_cgroup: "0::/user.slice/user-1000.slice/session-2.scope\n",
            mountinfo: "\
22 1 253:0 / / rw,relatime shared:1 - ext4 /dev/mapper/root rw
25 22 0:23 / /proc rw,nosuid,nodev,noexec,relatime shared:13 - proc proc rw
26 22 0:24 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw
30 26 0:27 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
28 27 0:25 / /dev/shm rw,nosuid,nodev shared:9 - tmpfs tmpfs rw,inode64
",
            files: HashMap::from([
                ("/sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n"),
                ("/sys/fs/cgroup/user.slice/memory.max", "max\n"),
                ("/sys/fs/cgroup/user.slice/memory.high", "max\n"),
                ("/sys/fs/cgroup/user.slice/memory.current", "3221225472\n"),
                ("/sys/fs/cgroup/user.slice/user-1000.slice/memory.max", "8589934592\n"),
                ("/sys/fs/cgroup/user.slice/user-1000.slice/memory.high", "max\n"),
                ("/sys/fs/cgroup/user.slice/user-1000.slice/memory.current", "2147483648\n"),
                ("/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope/memory.max", "max\n"),
                ("/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope/memory.high", "max\n"),
                ("/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope/memory.current", "123456789\n"),
            ]),
        }
    }

    /// A cgroup v1 machine (CentOS 7): memory on its own hierarchy, a
    /// limit of 4 GiB on user.slice.
    pub fn v1() -> Machine {
        Machine {
            proc_self_cgroup: "\
11:hugetlb:/
10:memory:/user.slice
9:cpuset:/
8:cpu,cpuacct:/user.slice
7:pids:/user.slice
1:name=systemd:/user.slice/user-1000.slice/session-1.scope
",
            mountinfo: "\
18 60 0:17 / /sys rw,nosuid,nodev,noexec,relatime shared:6 - sysfs sysfs rw,seclabel
24 18 0:20 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:7 - tmpfs tmpfs ro,seclabel,mode=755
25 24 0:21 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:8 - cgroup cgroup rw,seclabel,xattr,release_agent=/usr/lib/systemd/systemd-cgroups-agent,name=systemd
28 24 0:24 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,seclabel,cpuacct,cpu
29 24 0:25 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,seclabel,memory
33 24 0:29 / /sys/fs/cgroup/hugetlb rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,seclabel,hugetlb
",
            files: HashMap::from([
                ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n"),
                ("/sys/fs/cgroup/memory/memory.usage_in_bytes", "6442450944\n"),
                ("/sys/fs/cgroup/memory/memory.use_hierarchy", "1\n"),
                ("/sys/fs/cgroup/memory/user.slice/memory.limit_in_bytes", "4294967296\n"),
                ("/sys/fs/cgroup/memory/user.slice/memory.usage_in_bytes", "1073741824\n"),
                ("/sys/fs/cgroup/memory/user.slice/memory.use_hierarchy", "1\n"),
            ]),
        }
    }

    /// This lab machine: v1 controllers (memory at /sys/fs/cgroup/memory)
    /// beside a v2 hierarchy at /sys/fs/cgroup/unified that holds only
    /// hugetlb; a job's group with a 256 MiB limit.
    pub fn hybrid() -> Machine {
        Machine {
            proc_self_cgroup: "\
9:name=systemd:/
8:pids:/
4:memory:/process_api/4defb3c4
3:cpuset:/
1:cpu:/
0::/
",
            mountinfo: "\
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
",
            files: HashMap::from([
                ("/sys/fs/cgroup/unified/cgroup.controllers", "hugetlb\n"),
                ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n"),
                ("/sys/fs/cgroup/memory/memory.usage_in_bytes", "106397696\n"),
                ("/sys/fs/cgroup/memory/process_api/memory.limit_in_bytes", "9223372036854771712\n"),
                ("/sys/fs/cgroup/memory/process_api/memory.usage_in_bytes", "122580992\n"),
                ("/sys/fs/cgroup/memory/process_api/memory.use_hierarchy", "1\n"),
                ("/sys/fs/cgroup/memory/process_api/4defb3c4/memory.limit_in_bytes", "268435456\n"),
                ("/sys/fs/cgroup/memory/process_api/4defb3c4/memory.usage_in_bytes", "5050368\n"),
                ("/sys/fs/cgroup/memory/process_api/4defb3c4/memory.use_hierarchy", "1\n"),
            ]),
        }
    }

    /// A Docker container on a v1 host (`docker run -m 512m`, no cgroup
    /// namespace): the mount shows the container's own group as its root.
    pub fn container_v1() -> Machine {
        Machine {
            proc_self_cgroup: "\
12:memory:/docker/0123456789ab
11:cpu,cpuacct:/docker/0123456789ab
1:name=systemd:/docker/0123456789ab
",
            mountinfo: "\
611 609 0:62 / /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,mode=755
620 611 0:31 /docker/0123456789ab /sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime master:15 - cgroup cgroup rw,memory
622 611 0:33 /docker/0123456789ab /sys/fs/cgroup/cpu,cpuacct ro,nosuid,nodev,noexec,relatime master:17 - cgroup cgroup rw,cpu,cpuacct
",
            files: HashMap::from([
                ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "536870912\n"),
                ("/sys/fs/cgroup/memory/memory.usage_in_bytes", "41943040\n"),
            ]),
        }
    }

    /// A container on a v2 host without a cgroup namespace (Docker's
    /// `--cgroupns=host`, systemd-nspawn): the same, on v2, with
    /// `memory.high` set below `memory.max`.
    pub fn container_v2() -> Machine {
        Machine {
            proc_self_cgroup: "0::/system.slice/docker-0123456789ab.scope\n",
            mountinfo: "\
701 700 0:27 /system.slice/docker-0123456789ab.scope /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot,memory_hugetlb_accounting
",
            files: HashMap::from([
                ("/sys/fs/cgroup/cgroup.controllers", "cpu io memory pids\n"),
                ("/sys/fs/cgroup/memory.max", "1073741824\n"),
                ("/sys/fs/cgroup/memory.high", "805306368\n"),
                ("/sys/fs/cgroup/memory.current", "104857600\n"),
            ]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    #[test]
    fn inactive_file_cache_is_room_not_use() {
        let v2 = "anon 1000\nfile 9000\nactive_file 2000\ninactive_file 7000\n";
        assert_eq!(inactive_file(v2, Version::V2), 7000);
        let v1 = "cache 9000\ninactive_file 10\ntotal_inactive_file 7000\n";
        assert_eq!(inactive_file(v1, Version::V1), 7000);
        let l = Limit {
            cgroup: "/x".into(),
            dir: "/sys/fs/cgroup/x".into(),
            file: "memory.max",
            limit: 10_000,
            usage_file: "memory.current",
            usage: 9_500,
            reclaimable: 7_000,
        };
        assert_eq!(l.room(), 7_500);
    }

    #[test]
    fn memberships_of_both_versions() {
        assert_eq!(
            membership("0::/user.slice/user-1000.slice/session-2.scope\n"),
            Some(Membership { version: Version::V2, path: "/user.slice/user-1000.slice/session-2.scope".into() })
        );
        assert_eq!(membership("5:memory:/a\n0::/\n").map(|m| (m.version, m.path)), Some((Version::V1, "/a".into())));
        assert_eq!(membership("3:cpu,memory,hugetlb:/b/c\n").map(|m| m.path), Some("/b/c".into()));
        assert_eq!(membership("2:name=systemd:/x\n1:cpu:/y\n"), None, "no memory controller, no v2 line");
        assert_eq!(membership("4:memory:/with:colon\n").map(|m| m.path), Some("/with:colon".into()));
    }

    #[test]
    fn mountinfo_fields_and_escapes() {
        let m = mounts(
            "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime shared:5 master:1 - cgroup2 cgroup2 rw\n\
             50 22 0:40 /a\\040b /mnt/my\\040cgroup rw - cgroup cgroup rw,memory\nbroken line\n",
        );
        assert_eq!(m.len(), 2);
        assert_eq!((m[0].fstype.as_str(), m[0].mount_point.to_str()), ("cgroup2", Some("/sys/fs/cgroup/unified")));
        assert_eq!((m[1].root.as_str(), m[1].mount_point.to_str()), ("/a b", Some("/mnt/my cgroup")));
        assert_eq!(m[1].super_options, ["rw", "memory"]);
    }

    #[test]
    fn v1_limits_are_in_bytes_and_2_pow_63_is_none() {
        assert_eq!(parse_limit("268435456\n"), Some(256 << 20));
        assert_eq!(parse_limit("9223372036854771712\n"), None);
        assert_eq!(parse_limit("max\n"), None);
        assert_eq!(parse_limit("lots"), None);
    }

    #[test]
    fn a_systemd_v2_session_is_limited_by_its_user_slice() {
        let cg = systemd_v2().cgroup().unwrap();
        assert_eq!(cg.location.version, Version::V2);
        assert_eq!(cg.location.dir, Path::new("/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope"));
        let levels: Vec<String> = cg.location.levels().into_iter().map(|(name, _)| name).collect();
        assert_eq!(
            levels,
            ["/user.slice/user-1000.slice/session-2.scope", "/user.slice/user-1000.slice", "/user.slice", "/"]
        );
        let t = cg.tightest().unwrap();
        assert_eq!(
            (t.cgroup.as_str(), t.file, t.limit, t.usage),
            ("/user.slice/user-1000.slice", "memory.max", 8 << 30, 2 << 30)
        );
        assert_eq!(t.room(), 6 << 30);
        assert!(!cg.location.hugetlb_accounted());
    }

    #[test]
    fn a_v1_machine_reads_limit_in_bytes_up_to_the_root() {
        let cg = v1().cgroup().unwrap();
        assert_eq!(cg.location.version, Version::V1);
        assert_eq!(cg.location.dir, Path::new("/sys/fs/cgroup/memory/user.slice"));
        assert_eq!(cg.limits.len(), 1, "the root's 2^63 is no limit: {:?}", cg.limits);
        let t = cg.tightest().unwrap();
        assert_eq!((t.cgroup.as_str(), t.file, t.room()), ("/user.slice", "memory.limit_in_bytes", 3 << 30));
    }

    #[test]
    fn a_hybrid_machine_uses_the_v1_memory_controller() {
        let cg = hybrid().cgroup().unwrap();
        assert_eq!(cg.location.version, Version::V1, "the v2 hierarchy here has only hugetlb");
        assert_eq!(cg.location.dir, Path::new("/sys/fs/cgroup/memory/process_api/4defb3c4"));
        let t = cg.tightest().unwrap();
        assert_eq!((t.cgroup.as_str(), t.limit, t.usage), ("/process_api/4defb3c4", 256 << 20, 5050368));
        // Without the v1 memory line, the v2 hierarchy lacks memory: no controller at all.
        let m = hybrid();
        let v2_only =
            MemoryCgroup::from_texts("0::/\n", m.mountinfo, &|p| m.files.get(p.to_str()?).map(|t| t.to_string()));
        assert_eq!(v2_only, None);
    }

    #[test]
    fn a_container_sees_its_own_group_at_the_mount_point() {
        let cg = container_v1().cgroup().unwrap();
        assert_eq!(cg.location.dir, Path::new("/sys/fs/cgroup/memory"));
        assert_eq!(cg.location.levels().len(), 1, "the host's groups above are not visible");
        let t = cg.tightest().unwrap();
        assert_eq!((t.cgroup.as_str(), t.limit, t.room()), ("/docker/0123456789ab", 512 << 20, 472 << 20));

        let cg = container_v2().cgroup().unwrap();
        assert_eq!(cg.location.dir, Path::new("/sys/fs/cgroup"));
        let t = cg.tightest().unwrap();
        assert_eq!(
            (t.file, t.limit, t.usage_file),
            ("memory.high", 768 << 20, "memory.current"),
            "memory.high is lower"
        );
        assert!(cg.location.hugetlb_accounted(), "memory_hugetlb_accounting is a mount option");
    }

    #[test]
    fn a_path_outside_the_mount_root_is_not_guessed() {
        let m = container_v1();
        let read = |p: &Path| m.files.get(p.to_str()?).map(|t| t.to_string());
        assert_eq!(MemoryCgroup::from_texts("12:memory:/docker/other\n", m.mountinfo, &read), None);
        assert_eq!(below("/docker/0123456789abc", "/docker/0123456789ab"), None, "a prefix of a name is not a parent");
    }
}

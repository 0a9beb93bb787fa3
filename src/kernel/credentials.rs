//! Who this process is to the kernel's permission checks on SysV shared
//! memory: its uid and groups, its effective capabilities
//! (/proc/self/status `CapEff`), and whether it lives in the initial user
//! namespace (/proc/self/uid_map).
//!
//! Two checks need more than "is the uid 0". `SHM_HUGETLB` asks
//! `capable(CAP_IPC_LOCK)` (fs/hugetlbfs/inode.c `can_do_hugetlb_shm`),
//! which looks at the initial user namespace only, so root inside a user
//! namespace is refused; and `vm.hugetlb_shm_group` is a group id of the
//! initial namespace, so our groups must be translated through
//! /proc/self/gid_map before they are compared with it.

use crate::sys::process;

/// `CAP_IPC_LOCK` (linux/capability.h).
pub const CAP_IPC_LOCK: u32 = 14;
/// `CAP_IPC_OWNER`.
pub const CAP_IPC_OWNER: u32 = 15;
/// `CAP_SYS_ADMIN`.
pub const CAP_SYS_ADMIN: u32 = 21;

/// One line of /proc/self/uid_map or gid_map: `inside outside count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdRange {
    pub inside: u32,
    pub outside: u32,
    pub count: u32,
}

/// The credentials of this process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub euid: u32,
    /// The effective group first, then the supplementary groups.
    pub groups: Vec<u32>,
    /// The effective capability set, one bit per capability.
    pub cap_effective: u64,
    /// Whether this process is in the initial user namespace.
    pub initial_user_ns: bool,
    /// /proc/self/gid_map: how our group ids look one namespace up.
    pub gid_map: Vec<IdRange>,
    /// Whether our capabilities count in the user namespace that owns our
    /// IPC namespace (see `crate::sys::ns`).
    pub ipc_ns_ours: bool,
}

fn id_map(path: &str) -> Vec<IdRange> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let f: Vec<u32> = l.split_whitespace().filter_map(|v| v.parse().ok()).collect();
            (f.len() == 3).then(|| IdRange { inside: f[0], outside: f[1], count: f[2] })
        })
        .collect()
}

fn cap_effective() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
        .unwrap_or(0)
}

impl Credentials {
    pub fn read() -> Self {
        let mut groups = vec![process::effective_gid()];
        for g in process::supplementary_groups() {
            if !groups.contains(&g) {
                groups.push(g);
            }
        }
        // The initial namespace maps every id to itself: `0 0 4294967295`.
        let initial_user_ns = id_map("/proc/self/uid_map") == [IdRange { inside: 0, outside: 0, count: u32::MAX }];
        Credentials {
            euid: process::effective_uid(),
            groups,
            cap_effective: cap_effective(),
            initial_user_ns,
            gid_map: id_map("/proc/self/gid_map"),
            // Without the ioctls, assume the common case: our own namespace.
            ipc_ns_ours: crate::sys::ns::ipc_ns_within_own_user_ns().unwrap_or(true),
        }
    }

    /// The capability is in our effective set (it counts in our own user
    /// namespace and below).
    pub fn has(&self, cap: u32) -> bool {
        self.cap_effective & (1u64 << cap) != 0
    }

    /// `capable(cap)`: the capability in the initial user namespace.
    pub fn capable(&self, cap: u32) -> bool {
        self.initial_user_ns && self.has(cap)
    }

    /// `ns_capable(ipc_ns->user_ns, cap)`: the capability where our IPC
    /// namespace belongs.
    pub fn ipc_capable(&self, cap: u32) -> bool {
        self.ipc_ns_ours && self.has(cap)
    }

    /// Our groups as the initial user namespace numbers them. A group that
    /// our namespace does not map is left out (the kernel still knows it,
    /// but we cannot see which it is). Exact for the initial namespace and
    /// one level below it; deeper nesting maps only the first step.
    pub fn groups_outside(&self) -> Vec<u32> {
        if self.initial_user_ns {
            return self.groups.clone();
        }
        self.groups
            .iter()
            .filter_map(|&g| {
                self.gid_map
                    .iter()
                    .find(|r| g >= r.inside && g - r.inside < r.count)
                    .map(|r| r.outside + (g - r.inside))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_translated_through_the_gid_map() {
        let c = Credentials {
            euid: 0,
            groups: vec![0, 5, 65534],
            cap_effective: 1 << CAP_IPC_LOCK,
            initial_user_ns: false,
            gid_map: vec![
                IdRange { inside: 0, outside: 1000, count: 1 },
                IdRange { inside: 5, outside: 2005, count: 2 },
            ],
            ipc_ns_ours: true,
        };
        assert_eq!(c.groups_outside(), vec![1000, 2005]);
        assert!(c.has(CAP_IPC_LOCK) && !c.capable(CAP_IPC_LOCK), "root of a user namespace is not capable()");
        assert!(!c.ipc_capable(CAP_IPC_OWNER));
    }
}

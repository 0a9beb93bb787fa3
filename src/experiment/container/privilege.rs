//! What this user may do here, per step: make namespaces (as root, or in a
//! user namespace of its own), and make memory cgroups (root, or a group
//! delegated to it). Each refusal says which knob refuses and what turns it.

use std::path::{Path, PathBuf};

use crate::experiment::children::Children;
use crate::kernel::cgroup::{MemoryCgroup, Version};
use crate::kernel::{memcg, sysctl};
use crate::model::ContainerStep;
use crate::sys::mman::{MapOptions, Mapping};
use crate::sys::ns::{self, NewNamespaces};
use crate::sys::process::{self, Ended};
use crate::sys::{ChildStatus, Errno};

/// How the namespaces of a step are made, and where its cgroups go.
#[derive(Debug, Clone)]
pub struct Privilege {
    /// Make a user namespace first (shmlab is not root).
    pub user_namespace: bool,
    /// As the records say it: `root`, `uid 1000, root in a user namespace of its own`.
    pub words: String,
    /// cgroup-charge only: the version and the directory its groups go in.
    pub cgroups: Option<(Version, PathBuf)>,
}

impl Privilege {
    /// The namespaces a sandbox makes: `ipc` and `mount` as asked, plus a
    /// user namespace when shmlab is not root.
    pub fn namespaces(&self, ipc: bool, mount: bool) -> NewNamespaces {
        NewNamespaces { ipc, mount, user: self.user_namespace }
    }
}

/// What `step` may do here, or why it cannot run and what would make it.
pub fn for_step(step: ContainerStep, limit: u64) -> Result<Privilege, String> {
    let needs = match step {
        ContainerStep::IpcNamespace | ContainerStep::DevShmSize => {
            NewNamespaces { ipc: true, mount: true, user: false }
        }
        ContainerStep::RmidForced => NewNamespaces { ipc: true, mount: false, user: false },
        // The cgroup step makes no namespace: only the cgroups matter.
        ContainerStep::CgroupCharge => {
            let uid = process::effective_uid();
            let words = if process::is_root() { "root".to_string() } else { format!("uid {uid}") };
            let cgroups = cgroup_place(limit)?;
            return Ok(Privilege { user_namespace: false, words, cgroups: Some(cgroups) });
        }
    };
    namespaces(needs)
}

fn namespaces(own: NewNamespaces) -> Result<Privilege, String> {
    let uid = process::effective_uid();
    let in_user_namespace = || Privilege {
        user_namespace: true,
        words: format!("uid {uid}, root in a user namespace of its own"),
        cgroups: None,
    };
    if process::is_root() {
        let Some((call, errno)) = probe(own) else {
            return Ok(Privilege { user_namespace: false, words: "root".into(), cgroups: None });
        };
        // Root without CAP_SYS_ADMIN (the root of a container): a user
        // namespace may still be allowed, and gives the capability inside.
        if probe(NewNamespaces { user: true, ..own }).is_none() {
            return Ok(in_user_namespace());
        }
        let why = if call.starts_with("making the mounts private") {
            "a security module refuses mount here, as AppArmor's docker-default profile does (`docker run \
             --security-opt apparmor=unconfined`)"
        } else {
            "this root lacks CAP_SYS_ADMIN, as the root of a container does (`docker run --cap-add SYS_ADMIN`), \
             or a seccomp filter refuses unshare"
        };
        return Err(format!(
            "even as root, {call} failed with {}: {why}; a user namespace is refused too. Or run shmlab on the \
             host",
            errno.desc()
        ));
    }
    match probe(NewNamespaces { user: true, ..own }) {
        None => Ok(in_user_namespace()),
        Some((call, errno)) => Err(format!(
            "as uid {uid} the namespaces must be made in a user namespace, and {call} failed with {}: {}",
            errno.desc(),
            user_namespace_refusal(&|p| sysctl::read_u64(p))
        )),
    }
}

/// Tries, in a child, what a sandbox does with `new`; `Some((call, errno))`
/// if the kernel refuses.
fn probe(new: NewNamespaces) -> Option<(String, Errno)> {
    use std::sync::atomic::Ordering::SeqCst;
    const CALLS: [&str; 3] = ["unshare", "write /proc/self/", "mount"];
    let refused = || Some((format!("unshare({})", new.describe()), Errno::EPERM));
    let Ok(word) = Mapping::shared_anonymous(4096, MapOptions::default()) else { return refused() };
    let mut children = Children::new();
    let spawned = children.spawn(|| match ns::enter(new) {
        Ok(()) => ChildStatus::Done,
        Err(f) => {
            let which = CALLS.iter().position(|c| f.call.starts_with(c)).unwrap_or(0);
            word.words()[0].store(which as u64, SeqCst);
            ChildStatus::CallFailed(f.errno)
        }
    });
    if spawned.is_err() {
        return refused();
    }
    match children.wait_all(std::time::Duration::from_secs(10)) {
        Ok(reaped) if reaped.succeeded == 1 => None,
        Ok(reaped) => match reaped.failed.first() {
            Some(Ended::Reported(ChildStatus::CallFailed(errno))) => {
                let call = match word.words()[0].load(SeqCst) {
                    1 => "writing /proc/self/uid_map (mapping our uid to root)".to_string(),
                    2 => "making the mounts private in the new mount namespace".to_string(),
                    _ => format!("unshare({})", new.describe()),
                };
                Some((call, *errno))
            }
            _ => refused(),
        },
        Err(_) => refused(),
    }
}

/// Which of the knobs that refuse unprivileged user namespaces is set, and
/// how to turn it; `read` gives a /proc/sys value.
pub fn user_namespace_refusal(read: &dyn Fn(&Path) -> Option<u64>) -> String {
    let fix_root = "or run shmlab as root (sudo)";
    if read(Path::new("/proc/sys/user/max_user_namespaces")) == Some(0) {
        return format!(
            "user.max_user_namespaces is 0; `sysctl -w user.max_user_namespaces=10000` allows them, {fix_root}"
        );
    }
    if read(Path::new("/proc/sys/kernel/unprivileged_userns_clone")) == Some(0) {
        return format!(
            "kernel.unprivileged_userns_clone is 0 (a Debian kernel patch); `sysctl -w \
             kernel.unprivileged_userns_clone=1` allows them, {fix_root}"
        );
    }
    if read(Path::new("/proc/sys/kernel/apparmor_restrict_unprivileged_userns")) == Some(1) {
        return format!(
            "AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1, \
             Ubuntu 23.10 and later): give shmlab an AppArmor profile with `userns,`, or `sysctl -w \
             kernel.apparmor_restrict_unprivileged_userns=0`, {fix_root}"
        );
    }
    format!(
        "no sysctl here forbids user namespaces, so a seccomp filter (Docker's default profile refuses unshare) \
         or a kernel without CONFIG_USER_NS does; {fix_root}"
    )
}

/// Where cgroup-charge's groups go, or why it cannot make them here.
fn cgroup_place(limit: u64) -> Result<(Version, PathBuf), String> {
    let Some(own) = MemoryCgroup::read_own() else {
        return Err("this machine has no memory cgroup controller (no memory line in /proc/self/cgroup, or its \
                    files cannot be read)"
            .into());
    };
    let read = |p: &Path| std::fs::read_to_string(p).ok();
    let version = own.location.version;
    if crate::sys::fs::writable(&own.location.mount.mount_point) == Err(Errno::EROFS) {
        return Err(format!(
            "cannot make cgroups: {} is mounted read-only here, as in most containers: run this step on the host",
            own.location.mount.mount_point.display()
        ));
    }
    // A normal user may put the groups beside its own only under a parent it
    // owns (a delegated subtree); root never inside another unit's slice.
    let may_use_parent = |p: &Path| !process::is_root() && owned_by_us(p);
    let parent = memcg::parent_for_groups(&own.location, &read, &may_use_parent)?;
    if !process::is_root() && !owned_by_us(&parent) {
        return Err(format!(
            "making a memory cgroup needs root, or a cgroup delegated to you: {} belongs to another user. Run \
             `sudo shmlab container cgroup-charge`, or on cgroup v2 run shmlab in a child group of a delegated \
             unit (`systemd-run --user -p Delegate=yes --scope`, then move shmlab into a group of its own below \
             the scope and enable memory in the scope's cgroup.subtree_control)",
            parent.display()
        ));
    }
    match crate::sys::fs::writable(&parent) {
        Ok(()) => {}
        Err(Errno::EROFS) => {
            return Err(format!(
                "cannot make cgroups in {}: the cgroup file system is mounted read-only here, as in most \
                 containers: run this step on the host",
                parent.display()
            ));
        }
        Err(errno) => {
            return Err(format!(
                "cannot make cgroups in {}: {}; making a memory cgroup needs root, or a cgroup delegated to you",
                parent.display(),
                crate::error::errno_text(errno)
            ));
        }
    }
    // The groups are below ours or beside it: the limits of our ancestors
    // (ours too, when they are below it) apply to them.
    let need = limit * 2;
    if let Some(tight) = own.tightest()
        && tight.room() < need
    {
        return Err(format!(
            "the cgroup {} has {} of room under its {}, and this step charges up to {}: give it more, or use a \
             smaller {}",
            tight.cgroup,
            crate::size::human(tight.room()),
            tight.file,
            crate::size::human(need),
            crate::error::Param("limit")
        ));
    }
    Ok((version, parent))
}

fn owned_by_us(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).is_ok_and(|m| m.uid() == process::effective_uid())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn reader(values: &[(&'static str, u64)]) -> impl Fn(&Path) -> Option<u64> {
        let map: HashMap<&str, u64> = values.iter().copied().collect();
        move |p: &Path| map.get(p.to_str()?).copied()
    }

    #[test]
    fn each_knob_that_refuses_user_namespaces_is_named_with_its_fix() {
        let why = user_namespace_refusal(&reader(&[("/proc/sys/user/max_user_namespaces", 0)]));
        assert!(why.contains("user.max_user_namespaces is 0") && why.contains("sysctl -w"), "{why}");
        let why = user_namespace_refusal(&reader(&[
            ("/proc/sys/user/max_user_namespaces", 63000),
            ("/proc/sys/kernel/unprivileged_userns_clone", 0),
        ]));
        assert!(why.contains("unprivileged_userns_clone is 0"), "{why}");
        let why = user_namespace_refusal(&reader(&[
            ("/proc/sys/user/max_user_namespaces", 63000),
            ("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", 1),
        ]));
        assert!(why.contains("AppArmor") && why.contains("userns,"), "{why}");
        let why = user_namespace_refusal(&reader(&[("/proc/sys/user/max_user_namespaces", 63000)]));
        assert!(why.contains("seccomp"), "{why}");
        assert!(why.contains("root"), "{why}");
    }
}

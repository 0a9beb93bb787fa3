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
use crate::tr;

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
            let words = if process::is_root() {
                crate::i18n::t("container-who-root")
            } else {
                tr!("container-who-uid", uid = uid)
            };
            let cgroups = cgroup_place(limit)?;
            return Ok(Privilege { user_namespace: false, words, cgroups: Some(cgroups) });
        }
    };
    namespaces(needs)
}

fn namespaces(own: NewNamespaces) -> Result<Privilege, String> {
    let uid = process::effective_uid();
    let in_user_namespace =
        || Privilege { user_namespace: true, words: tr!("container-who-user-namespace", uid = uid), cgroups: None };
    if process::is_root() {
        let Some((call, errno, mounts)) = probe(own) else {
            return Ok(Privilege { user_namespace: false, words: crate::i18n::t("container-who-root"), cgroups: None });
        };
        // Root without CAP_SYS_ADMIN (the root of a container): a user
        // namespace may still be allowed, and gives the capability inside.
        if probe(NewNamespaces { user: true, ..own }).is_none() {
            return Ok(in_user_namespace());
        }
        let why = crate::i18n::t(if mounts { "container-mount-refused" } else { "container-no-sys-admin" });
        return Err(tr!("container-root-refused", call = call, error = errno.desc(), why = why));
    }
    match probe(NewNamespaces { user: true, ..own }) {
        None => Ok(in_user_namespace()),
        Some((call, errno, _)) => Err(tr!(
            "container-user-refused",
            uid = uid,
            call = call,
            error = errno.desc(),
            why = user_namespace_refusal(&|p| sysctl::read_u64(p))
        )),
    }
}

/// Tries, in a child, what a sandbox does with `new`; `Some((call, errno,
/// mounts))` if the kernel refuses, `mounts` when it was making the mounts
/// private that failed.
fn probe(new: NewNamespaces) -> Option<(String, Errno, bool)> {
    use std::sync::atomic::Ordering::SeqCst;
    const CALLS: [&str; 3] = ["unshare", "write /proc/self/", "mount"];
    let refused = || Some((format!("unshare({})", new.describe()), Errno::EPERM, false));
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
                let which = word.words()[0].load(SeqCst);
                let call = match which {
                    1 => crate::i18n::t("container-probe-uid-map"),
                    2 => crate::i18n::t("container-probe-private-mounts"),
                    _ => format!("unshare({})", new.describe()),
                };
                Some((call, *errno, which == 2))
            }
            _ => refused(),
        },
        Err(_) => refused(),
    }
}

/// Which of the knobs that refuse unprivileged user namespaces is set, and
/// how to turn it; `read` gives a /proc/sys value.
pub fn user_namespace_refusal(read: &dyn Fn(&Path) -> Option<u64>) -> String {
    let fix_root = crate::i18n::t("container-fix-root");
    if read(Path::new("/proc/sys/user/max_user_namespaces")) == Some(0) {
        return tr!("container-userns-max-zero", fix = fix_root);
    }
    if read(Path::new("/proc/sys/kernel/unprivileged_userns_clone")) == Some(0) {
        return tr!("container-userns-clone-zero", fix = fix_root);
    }
    if read(Path::new("/proc/sys/kernel/apparmor_restrict_unprivileged_userns")) == Some(1) {
        return tr!("container-userns-apparmor", fix = fix_root);
    }
    tr!("container-userns-seccomp", fix = fix_root)
}

/// Where cgroup-charge's groups go, or why it cannot make them here.
fn cgroup_place(limit: u64) -> Result<(Version, PathBuf), String> {
    let Some(own) = MemoryCgroup::read_own() else {
        return Err(crate::i18n::t("container-no-memory-controller"));
    };
    let read = |p: &Path| std::fs::read_to_string(p).ok();
    let version = own.location.version;
    if crate::sys::fs::writable(&own.location.mount.mount_point) == Err(Errno::EROFS) {
        return Err(tr!("container-cgroupfs-read-only", mount = own.location.mount.mount_point.display()));
    }
    // A normal user may put the groups beside its own only under a parent it
    // owns (a delegated subtree); root never inside another unit's slice.
    let may_use_parent = |p: &Path| !process::is_root() && owned_by_us(p);
    let parent = memcg::parent_for_groups(&own.location, &read, &may_use_parent)?;
    if !process::is_root() && !owned_by_us(&parent) {
        return Err(tr!("container-cgroup-not-ours", parent = parent.display()));
    }
    match crate::sys::fs::writable(&parent) {
        Ok(()) => {}
        Err(Errno::EROFS) => {
            return Err(tr!("container-cgroup-dir-read-only", parent = parent.display()));
        }
        Err(errno) => {
            return Err(tr!(
                "container-cgroup-dir-refused",
                parent = parent.display(),
                errno = crate::error::errno_text(errno)
            ));
        }
    }
    // The groups are below ours or beside it: the limits of our ancestors
    // (ours too, when they are below it) apply to them.
    let need = limit * 2;
    if let Some(tight) = own.tightest()
        && tight.room() < need
    {
        return Err(tr!(
            "container-cgroup-no-room",
            cgroup = tight.cgroup,
            room = crate::size::human(tight.room()),
            file = tight.file,
            need = crate::size::human(need),
            param = crate::error::Param("limit")
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

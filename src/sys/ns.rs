//! Namespaces: entering new ones, and whose capabilities count in ours.
//!
//! The kernel checks CAP_IPC_OWNER with `ns_capable(ns->user_ns, ...)`
//! (ipc/util.c `ipcperms`): against the user namespace that owns the IPC
//! namespace, not against the caller's own. A capability held in user
//! namespace U counts in U and in every namespace below it
//! (kernel/capability.c, security/commoncap.c `cap_capable`). So `limits
//! --check` needs to know whether the owner of our IPC namespace is our user
//! namespace or one of its descendants; the `NS_GET_USERNS` and
//! `NS_GET_PARENT` ioctls (ioctl_ns(2)) answer that.
//!
//! The container lab makes namespaces the way a container runtime does:
//! `unshare(2)` in a forked child, so shmlab itself never leaves the host's
//! namespaces and everything made inside dies with the child. As a normal
//! user the child first makes a user namespace in which it is root; the
//! IPC and mount namespaces it makes then belong to that user namespace,
//! and root there may mount a tmpfs and set its IPC namespace's kernel.shm*
//! values (ipc/ipc_sysctl.c `ipc_permissions` checks the namespace's own root on
//! current kernels, 6.18 here; older ones refused it)
//! without any power over the host.

use std::fs::File;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use nix::errno::Errno;

/// `ioctl(fd, request)` for the two namespace ioctls that return a new fd.
fn ns_ioctl(file: &File, request: libc::Ioctl) -> Result<File, Errno> {
    // SAFETY: NS_GET_USERNS and NS_GET_PARENT take no argument and return a
    // new descriptor (or -1); `file` is an open namespace file for the call.
    let fd = Errno::result(unsafe { libc::ioctl(file.as_raw_fd(), request) })?;
    // SAFETY: on success the kernel returned a fresh descriptor that nothing
    // else owns; OwnedFd closes it once.
    Ok(File::from(unsafe { OwnedFd::from_raw_fd(fd) }))
}

/// Whether the user namespace that owns this process's IPC namespace is the
/// process's own user namespace or a descendant of it, that is, whether the
/// process's effective capabilities count there. `None` if the kernel
/// cannot say (no /proc, or ioctls refused).
pub fn ipc_ns_within_own_user_ns() -> Option<bool> {
    let own = std::fs::metadata("/proc/self/ns/user").ok()?;
    let ipc = File::open("/proc/self/ns/ipc").ok()?;
    let mut owner = ns_ioctl(&ipc, libc::NS_GET_USERNS).ok()?;
    // User namespaces nest at most 32 deep (kernel/user_namespace.c).
    for _ in 0..40 {
        let meta = owner.metadata().ok()?;
        if meta.dev() == own.dev() && meta.ino() == own.ino() {
            return Some(true);
        }
        // EPERM: the parent lies outside our own user namespace, so the
        // owner is not below us.
        match ns_ioctl(&owner, libc::NS_GET_PARENT) {
            Ok(parent) => owner = parent,
            Err(_) => return Some(false),
        }
    }
    Some(false)
}

/// The namespaces a sandbox process makes for itself with `unshare(2)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NewNamespaces {
    /// `CLONE_NEWIPC`: its own SysV objects, keys and kernel.shm* settings.
    pub ipc: bool,
    /// `CLONE_NEWNS`: its own mount table, so it can mount a /dev/shm of its own.
    pub mount: bool,
    /// `CLONE_NEWUSER`: a user namespace in which the caller is root, so that
    /// an unprivileged user may make the other two (user_namespaces(7)).
    pub user: bool,
}

impl NewNamespaces {
    /// The flags as C spells them: `CLONE_NEWUSER|CLONE_NEWIPC`.
    pub fn describe(&self) -> String {
        let names: Vec<&str> = [(self.user, "CLONE_NEWUSER"), (self.ipc, "CLONE_NEWIPC"), (self.mount, "CLONE_NEWNS")]
            .into_iter()
            .filter_map(|(on, name)| on.then_some(name))
            .collect();
        names.join("|")
    }
}

/// A step of entering namespaces that failed: the call, as C writes it, and
/// the kernel's errno.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterFailure {
    pub call: String,
    pub errno: Errno,
}

/// Moves the calling process into new namespaces. With `user`, it writes
/// the one-line maps that make the caller's uid and gid root inside
/// (`setgroups` must be denied first for an unprivileged gid map). With
/// `mount`, every mount is made private at once, so that nothing mounted
/// afterwards (a tmpfs on /dev/shm) propagates back to the host's table.
pub fn enter(new: NewNamespaces) -> Result<(), EnterFailure> {
    use nix::sched::CloneFlags;
    let fail = |call: &str, errno| EnterFailure { call: call.to_string(), errno };
    let uid = nix::unistd::geteuid().as_raw();
    let gid = nix::unistd::getegid().as_raw();
    let mut flags = CloneFlags::empty();
    flags.set(CloneFlags::CLONE_NEWUSER, new.user);
    flags.set(CloneFlags::CLONE_NEWIPC, new.ipc);
    flags.set(CloneFlags::CLONE_NEWNS, new.mount);
    nix::sched::unshare(flags).map_err(|e| fail(&format!("unshare({})", new.describe()), e))?;
    if new.user {
        let write = |path: &str, text: String| {
            std::fs::write(path, text).map_err(|e| fail(&format!("write {path}"), super::errno_of(e)))
        };
        write("/proc/self/setgroups", "deny".into())?;
        write("/proc/self/uid_map", format!("0 {uid} 1"))?;
        write("/proc/self/gid_map", format!("0 {gid} 1"))?;
    }
    if new.mount {
        use nix::mount::MsFlags;
        nix::mount::mount(None::<&str>, "/", None::<&str>, MsFlags::MS_REC | MsFlags::MS_PRIVATE, None::<&str>)
            .map_err(|e| fail("mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL)", e))?;
    }
    Ok(())
}

/// The inode of this process's namespace of `kind` (`ipc`, `mnt`, ...):
/// two processes are in the same namespace exactly when these are equal.
pub fn namespace_inode(kind: &str) -> Option<u64> {
    std::fs::metadata(format!("/proc/self/ns/{kind}")).ok().map(|m| m.ino())
}

/// `mount("tmpfs", target, "tmpfs", MS_NOSUID|MS_NODEV, "size=N,mode=1777")`:
/// a fresh tmpfs of `size` bytes over `target`, as Docker mounts /dev/shm.
/// Call it only in a mount namespace of one's own (see [`enter`]).
pub fn mount_tmpfs(target: &Path, size: u64) -> Result<(), Errno> {
    use nix::mount::MsFlags;
    let data = format!("size={size},mode=1777");
    nix::mount::mount(Some("tmpfs"), target, Some("tmpfs"), MsFlags::MS_NOSUID | MsFlags::MS_NODEV, Some(data.as_str()))
}

/// `mount(NULL, target, NULL, MS_REMOUNT|MS_NOSUID|MS_NODEV, "size=N")`:
/// the same tmpfs, resized in place (what `mount -o remount,size=` does).
pub fn resize_tmpfs(target: &Path, size: u64) -> Result<(), Errno> {
    use nix::mount::MsFlags;
    let data = format!("size={size}");
    let flags = MsFlags::MS_REMOUNT | MsFlags::MS_NOSUID | MsFlags::MS_NODEV;
    nix::mount::mount(None::<&str>, target, None::<&str>, flags, Some(data.as_str()))
}

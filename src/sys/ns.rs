//! Namespaces: whose capabilities count for this process's IPC namespace.
//!
//! The kernel checks CAP_IPC_OWNER with `ns_capable(ns->user_ns, ...)`
//! (ipc/util.c `ipcperms`): against the user namespace that owns the IPC
//! namespace, not against the caller's own. A capability held in user
//! namespace U counts in U and in every namespace below it
//! (kernel/capability.c, security/commoncap.c `cap_capable`). So `limits
//! --check` needs to know whether the owner of our IPC namespace is our user
//! namespace or one of its descendants; the `NS_GET_USERNS` and
//! `NS_GET_PARENT` ioctls (ioctl_ns(2)) answer that.

use std::fs::File;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;

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

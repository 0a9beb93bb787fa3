//! A process in namespaces of its own, as a container runtime makes one:
//! shmlab forks it, it calls `unshare(2)` (with a user namespace first when
//! shmlab is not root), then runs the step's part inside and reports each
//! stage through a [`Mailbox`], waiting while shmlab looks at the host.
//!
//! shmlab itself never changes namespaces, so nothing it does afterwards is
//! confused by them; whatever the process makes inside (segments, a tmpfs,
//! kernel.shm* values) goes when it and its own children have ended, or
//! with shmlab, since every child of shmlab dies with its parent.

use std::path::Path;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::mailbox::Mailbox;
use crate::error::{Error, Result, errno_text};
use crate::experiment::children::Children;
use crate::sys::ns::{self, NewNamespaces};
use crate::sys::{ChildStatus, Pid};

/// How long shmlab waits for one stage inside (touching 128 MiB included).
const STAGE_LIMIT: Duration = Duration::from_secs(60);

/// What the process inside posts: a stage's findings, or why it stopped.
#[derive(Serialize, Deserialize)]
enum Envelope {
    Stage(serde_json::Value),
    Failed(String),
}

/// The inside's end of the mailbox, and what it may do to its mounts.
pub struct Inside<'a> {
    mailbox: &'a Mailbox,
    /// In a mount namespace of its own, with every mount private: only then
    /// may it mount anything (a mount anywhere else would be the host's).
    own_mounts: bool,
}

impl Inside<'_> {
    /// Mounts a tmpfs of `size` bytes on `target`, as a container runtime
    /// mounts /dev/shm; refused unless this process has its own mounts.
    pub fn mount_tmpfs(&self, target: &Path, size: u64) -> std::result::Result<(), String> {
        self.own_mounts()?;
        ns::mount_tmpfs(target, size)
            .map_err(|e| crate::tr!("container-mount-tmpfs-failed", target = target.display(), errno = errno_text(e)))
    }

    /// Resizes the tmpfs on `target` (`mount -o remount,size=`).
    pub fn resize_tmpfs(&self, target: &Path, size: u64) -> std::result::Result<(), String> {
        self.own_mounts()?;
        ns::resize_tmpfs(target, size)
            .map_err(|e| crate::tr!("container-remount-failed", target = target.display(), errno = errno_text(e)))
    }

    fn own_mounts(&self) -> std::result::Result<(), String> {
        if self.own_mounts { Ok(()) } else { Err(crate::i18n::t("container-refuse-mount")) }
    }

    /// Reports one stage and waits until shmlab has looked at the host.
    pub fn report<T: Serialize>(&self, stage: &T) -> std::result::Result<(), String> {
        let value = serde_json::to_value(stage).map_err(|e| e.to_string())?;
        if self.mailbox.post(&Envelope::Stage(value)) {
            Ok(())
        } else {
            Err(crate::i18n::t("container-report-not-taken"))
        }
    }
}

/// shmlab's end: the process inside, and its messages.
pub struct Sandbox {
    mailbox: Mailbox,
    children: Children,
    pid: Pid,
    /// The number of the message taken, while the process inside waits for
    /// its release.
    holding: Option<u64>,
}

impl Sandbox {
    /// Forks a process that enters `new` namespaces and runs `body` there.
    /// An `Err` from `body` (or from entering) reaches shmlab as the error
    /// of the next [`Sandbox::next`].
    pub fn start(new: NewNamespaces, body: impl FnOnce(&Inside) -> std::result::Result<(), String>) -> Result<Self> {
        let mailbox = Mailbox::new()?;
        let host_mounts = ns::namespace_inode("mnt");
        let mut children = Children::new();
        let pid = children.spawn(|| {
            crate::sys::signals::wait_for_own_children();
            let outcome = ns::enter(new)
                .map_err(|f| crate::tr!("container-call-failed", call = f.call, errno = errno_text(f.errno)))
                .and_then(|()| {
                    let moved = ns::namespace_inode("mnt").is_some_and(|now| Some(now) != host_mounts);
                    body(&Inside { mailbox: &mailbox, own_mounts: new.mount && moved })
                });
            match outcome {
                Ok(()) => ChildStatus::Done,
                Err(why) => {
                    mailbox.post(&Envelope::Failed(why));
                    ChildStatus::Failed
                }
            }
        })?;
        Ok(Self { mailbox, children, pid, holding: None })
    }

    /// Lets the process inside go on, and waits for its next stage.
    pub fn next<T: DeserializeOwned>(&mut self) -> Result<T> {
        if let Some(number) = self.holding.take() {
            self.mailbox.release(number);
        }
        let pid = self.pid;
        let children = &mut self.children;
        let mut ended = None;
        let taken: Option<(Envelope, u64)> = self.mailbox.take(STAGE_LIMIT, &mut || {
            let gone = crate::sys::process::has_ended(pid);
            if gone {
                ended = children.reap_one(pid);
            }
            gone
        })?;
        self.holding = taken.as_ref().map(|(_, number)| *number);
        match taken.map(|(message, _)| message) {
            Some(Envelope::Stage(value)) => serde_json::from_value(value)
                .map_err(|e| Error::failed(crate::tr!("container-report-unreadable", error = e))),
            Some(Envelope::Failed(why)) => Err(Error::failed(crate::tr!("container-inside-failed", why = why))),
            None => Err(Error::failed(crate::tr!(
                "container-ended-before-report",
                how = ended.map_or(crate::i18n::t("container-status-unknown"), |e| e.to_string())
            ))),
        }
    }

    /// Lets the process inside finish, and waits until it has ended.
    pub fn finish(mut self) -> Result<()> {
        if let Some(number) = self.holding.take() {
            self.mailbox.release(number);
        }
        let reaped = self.children.wait_all(STAGE_LIMIT)?;
        if reaped.succeeded == 1 {
            Ok(())
        } else {
            Err(Error::failed(crate::tr!(
                "container-ended-badly",
                how = reaped.failed.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", ")
            )))
        }
    }
}

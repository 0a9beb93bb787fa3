//! A process in namespaces of its own, as a container runtime makes one:
//! shmlab forks it, it calls `unshare(2)` (with a user namespace first when
//! shmlab is not root), then runs the step's part inside and reports each
//! stage through a [`Mailbox`], waiting while shmlab looks at the host.
//!
//! shmlab itself never changes namespaces, so nothing it does afterwards is
//! confused by them; whatever the process makes inside (segments, a tmpfs,
//! kernel.shm* values) goes when it and its own children have ended, or
//! with shmlab, since every child of shmlab dies with its parent.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::mailbox::Mailbox;
use crate::error::{Error, Result};
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

/// The inside's end of the mailbox.
pub struct Inside<'a> {
    mailbox: &'a Mailbox,
}

impl Inside<'_> {
    /// Reports one stage and waits until shmlab has looked at the host.
    pub fn report<T: Serialize>(&self, stage: &T) -> std::result::Result<(), String> {
        let value = serde_json::to_value(stage).map_err(|e| e.to_string())?;
        if self.mailbox.post(&Envelope::Stage(value)) {
            Ok(())
        } else {
            Err("shmlab did not take the report in time".into())
        }
    }
}

/// shmlab's end: the process inside, and its messages.
pub struct Sandbox {
    mailbox: Mailbox,
    children: Children,
    pid: Pid,
    /// A message has been taken and the process inside waits for release.
    holding: bool,
}

impl Sandbox {
    /// Forks a process that enters `new` namespaces and runs `body` there.
    /// An `Err` from `body` (or from entering) reaches shmlab as the error
    /// of the next [`Sandbox::next`].
    pub fn start(new: NewNamespaces, body: impl FnOnce(&Inside) -> std::result::Result<(), String>) -> Result<Self> {
        let mailbox = Mailbox::new()?;
        let mut children = Children::new();
        let pid = children.spawn(|| {
            crate::sys::signals::wait_for_own_children();
            let inside = Inside { mailbox: &mailbox };
            let outcome = ns::enter(new)
                .map_err(|f| format!("{} failed: {}", f.call, crate::error::errno_text(f.errno)))
                .and_then(|()| body(&inside));
            match outcome {
                Ok(()) => ChildStatus::Done,
                Err(why) => {
                    mailbox.post(&Envelope::Failed(why));
                    ChildStatus::Failed
                }
            }
        })?;
        Ok(Self { mailbox, children, pid, holding: false })
    }

    /// Lets the process inside go on, and waits for its next stage.
    pub fn next<T: DeserializeOwned>(&mut self) -> Result<T> {
        if self.holding {
            self.mailbox.release();
            self.holding = false;
        }
        let pid = self.pid;
        let children = &mut self.children;
        let mut ended = None;
        let message: Option<Envelope> = self.mailbox.take(STAGE_LIMIT, &mut || {
            let gone = crate::sys::process::has_ended(pid);
            if gone {
                ended = children.reap_one(pid);
            }
            gone
        })?;
        self.holding = message.is_some();
        match message {
            Some(Envelope::Stage(value)) => serde_json::from_value(value)
                .map_err(|e| Error::failed(format!("a report from the namespaces could not be read: {e}"))),
            Some(Envelope::Failed(why)) => Err(Error::failed(format!("inside the namespaces: {why}"))),
            None => Err(Error::failed(format!(
                "the process in the namespaces ended ({}) before it reported",
                ended.map_or("status unknown".to_string(), |e| e.to_string())
            ))),
        }
    }

    /// Lets the process inside finish, and waits until it has ended.
    pub fn finish(mut self) -> Result<()> {
        if self.holding {
            self.mailbox.release();
        }
        let reaped = self.children.wait_all(STAGE_LIMIT)?;
        if reaped.succeeded == 1 {
            Ok(())
        } else {
            Err(Error::failed(format!(
                "the process in the namespaces did not end well: {}",
                reaped.failed.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", ")
            )))
        }
    }
}

//! A brood of forked children: spawn, wait with a deadline, never leak one.
//!
//! [`Children`] keeps the pid of every child not yet reaped. Waiting stops
//! early on Ctrl-C or SIGTERM; a child still running at the deadline is
//! killed and reported. Whatever happens, dropping a `Children` kills and
//! reaps the rest, so no run leaves a zombie or a stray process behind.
//!
//! While children are being forked, their pids go to a [`PidLog`], memory
//! that fork does not copy, and move to the set only when the parent
//! starts waiting: a write to ordinary memory after each fork would cost a
//! page fault per child (see `crate::sys::pid_log`).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;

use crate::error::{Error, Param, Result, errno_text};
use crate::sys::pid_log::PidLog;
use crate::sys::process::{self, Ended};
use crate::sys::signals::{self, Event};
use crate::sys::{ChildStatus, Errno, Pid};

/// The children of one trial that have not been reaped yet.
#[derive(Debug, Default)]
pub struct Children {
    running: HashSet<Pid>,
    /// Forked since the last wait, not yet in `running`.
    forked: PidLog,
    /// The parameter that sets how many there are, for the hint when fork
    /// fails (`children` for racing, `waiters` for crash ...), if one does.
    count_parameter: Option<&'static str>,
}

/// How the children of a trial ended.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reaped {
    /// Children that exited with status 0.
    pub succeeded: usize,
    /// Children that exited non-zero or were killed by a signal we did not send.
    pub failed: Vec<Ended>,
    /// Children still running at the deadline, killed with SIGKILL.
    pub timed_out: usize,
}

impl Children {
    pub fn new() -> Self {
        Self::default()
    }

    /// A brood whose size is set by `parameter` (named in the fork error).
    pub fn counted_by(parameter: &'static str) -> Self {
        Self { running: HashSet::new(), forked: PidLog::new(), count_parameter: Some(parameter) }
    }

    /// Forks one child that runs `body` and exits with its return value.
    pub fn spawn(&mut self, body: impl FnOnce() -> ChildStatus) -> Result<Pid> {
        match process::fork_child(body) {
            Ok(pid) => {
                if self.forked.push(pid).is_err() {
                    self.running.insert(pid); // no memory for the log: the set will do
                }
                Ok(pid)
            }
            Err(errno) => Err(fork_error(errno, self.len(), self.count_parameter)),
        }
    }

    /// How many children have not been reaped yet.
    fn len(&self) -> usize {
        self.running.len() + self.forked.len()
    }

    /// Moves the pids forked since the last wait into the set.
    fn settle(&mut self) {
        self.running.extend(self.forked.drain());
    }

    /// Waits until every child has ended or `timeout` has passed; children
    /// left then are killed. Returns early with an interrupt error on Ctrl-C
    /// or SIGTERM (Drop then kills and reaps the rest).
    pub fn wait_all(&mut self, timeout: Duration) -> Result<Reaped> {
        self.wait(timeout, false)
    }

    /// Like [`Children::wait_all`], but the first child that fails ends the
    /// wait: the others are killed (for children that depend on each
    /// other, such as the two sides of a ping-pong, where one side's death
    /// leaves the other waiting forever).
    pub fn wait_all_or_first_failure(&mut self, timeout: Duration) -> Result<Reaped> {
        self.wait(timeout, true)
    }

    fn wait(&mut self, timeout: Duration, stop_at_failure: bool) -> Result<Reaped> {
        // A timeout too large to add to now means: no deadline.
        let deadline = Instant::now().checked_add(timeout);
        let mut reaped = Reaped::default();
        self.settle();
        loop {
            self.reap_ended(&mut reaped)?;
            if self.running.is_empty() {
                return Ok(reaped);
            }
            if stop_at_failure && !reaped.failed.is_empty() {
                self.kill_all();
                return Ok(reaped);
            }
            let left = deadline.map_or(Duration::from_secs(3600), |d| d.saturating_duration_since(Instant::now()));
            match signals::wait_for_child_or_stop(left) {
                Event::ChildEnded => continue,
                Event::Stop(sig) => return Err(Error::interrupted(sig.as_str())),
                Event::TimedOut if deadline.is_none() => continue,
                Event::TimedOut => {
                    reaped.timed_out = self.kill_all();
                    return Ok(reaped);
                }
            }
        }
    }

    fn reap_ended(&mut self, reaped: &mut Reaped) -> Result<()> {
        loop {
            match process::reap_any() {
                Ok(Some((pid, ended))) => {
                    if self.running.remove(&pid) {
                        if ended.succeeded() {
                            reaped.succeeded += 1;
                        } else {
                            reaped.failed.push(ended);
                        }
                    }
                }
                Ok(None) => return Ok(()),
                Err(Errno::ECHILD) => {
                    self.running.clear();
                    return Ok(());
                }
                Err(e) => {
                    return Err(
                        Error::failed(crate::tr!("children-waitpid-failed", errno = errno_text(e))).with_errno(e)
                    );
                }
            }
        }
    }

    /// Whether some child has ended (without reaping it).
    pub fn any_ended(&mut self) -> bool {
        self.settle();
        self.running.iter().any(|pid| process::has_ended(*pid))
    }

    /// Waits for one particular child (already signalled) and reaps it, so
    /// that the other children's exits stay for their own `wait_all`.
    pub fn reap_one(&mut self, pid: Pid) -> Option<Ended> {
        self.settle();
        self.running.remove(&pid).then(|| process::reap(pid).ok()).flatten()
    }

    /// Sends SIGKILL to every child still running and reaps them all.
    /// Returns how many there were.
    pub fn kill_all(&mut self) -> usize {
        self.settle();
        let count = self.running.len();
        for pid in &self.running {
            process::send(*pid, Signal::SIGKILL);
        }
        for pid in self.running.drain() {
            let _ = process::reap(pid);
        }
        count
    }
}

impl Drop for Children {
    fn drop(&mut self) {
        self.kill_all();
    }
}

fn fork_error(errno: Errno, forked: usize, parameter: Option<&'static str>) -> Error {
    if errno == Errno::EDEADLK {
        return Error::failed(crate::i18n::t("children-fork-threads")).with_errno(errno);
    }
    let limit = match process::process_limit() {
        Some(n) => crate::tr!("children-nproc-is", n = n),
        None => crate::i18n::t("children-nproc-unlimited"),
    };
    let mut message = crate::tr!("children-fork-failed", forked = forked, errno = errno_text(errno), limit = limit);
    if let Some(p) = parameter {
        message.push_str(&crate::i18n::t("clause-gap"));
        message.push_str(&crate::tr!("children-use-fewer", param = Param(p)));
    }
    Error::usage(message).with_errno(errno)
}

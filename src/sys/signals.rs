//! Ctrl-C, SIGTERM and child exits as events, without signal handlers.
//!
//! At start-up shmlab blocks SIGINT, SIGTERM, SIGHUP and SIGCHLD. They then
//! stay pending until the program asks for them with `sigtimedwait`, at
//! points where it can stop cleanly: while waiting for children, between
//! trials, between chunks of a long fill. So an interrupt never lands in the
//! middle of creating or removing an object, and the cleanup code is the
//! ordinary Drop code, not a handler. Children get the original mask back.
//!
//! Commands that create no kernel object and fork nothing (`report`,
//! `schema`, `list`, ...) have nothing to clean up and no safe points to
//! poll at, so they [`release`] the signals right after parsing: Ctrl-C
//! then stops them at once, even in the middle of a read. The few steps
//! that must not be cut short, such as renaming a finished file into place,
//! [`hold_stops`] for their duration.

use std::sync::OnceLock;
use std::time::Duration;

use nix::sys::signal::{SigSet, SigmaskHow, Signal};

static ORIGINAL_MASK: OnceLock<SigSet> = OnceLock::new();

const STOP_SIGNALS: [Signal; 3] = [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP];

fn set_of(signals: &[Signal]) -> SigSet {
    let mut set = SigSet::empty();
    for s in signals {
        set.add(*s);
    }
    set
}

/// Blocks the stop signals and SIGCHLD for the whole process. Call once,
/// first thing in `main`, before any thread or child exists.
pub fn take_over() {
    // An inherited SIG_IGN for SIGCHLD would make the kernel reap children
    // by itself and never queue the signal we wait for.
    // SAFETY: SIG_DFL installs no handler; no other thread exists yet.
    let _ = unsafe { nix::sys::signal::signal(Signal::SIGCHLD, nix::sys::signal::SigHandler::SigDfl) };
    let mut set = set_of(&STOP_SIGNALS);
    set.add(Signal::SIGCHLD);
    let mut old = SigSet::empty();
    if nix::sys::signal::sigprocmask(SigmaskHow::SIG_BLOCK, Some(&set), Some(&mut old)).is_ok() {
        let _ = ORIGINAL_MASK.set(old);
    }
}

/// In a forked child: back to the mask the program started with, so that
/// Ctrl-C and SIGTERM end the child the ordinary way.
pub(super) fn restore_in_child() {
    if let Some(mask) = ORIGINAL_MASK.get() {
        let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_SETMASK, Some(mask), None);
    }
}

/// In a forked child that forks and waits for children of its own (the
/// container lab's process in new namespaces): blocks SIGCHLD again, so
/// that its waits see its children end. The stop signals keep their
/// default effect there: Ctrl-C ends it, and its children with it.
pub fn wait_for_own_children() {
    let mut set = SigSet::empty();
    set.add(Signal::SIGCHLD);
    let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_BLOCK, Some(&set), None);
}

/// Back to the mask the program started with, for the whole process: the
/// stop signals act the default way again (a pending one acts now). For
/// commands that create no kernel object and fork nothing; call it before
/// their work starts.
pub fn release() {
    if let Some(mask) = ORIGINAL_MASK.get() {
        let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_SETMASK, Some(mask), None);
    }
}

/// The stop signals held back for as long as this value lives; dropping it
/// puts the mask back as it was, and a signal that came meanwhile acts then
/// (or stays pending for the next poll, where they are blocked anyway).
#[must_use = "the signals are held only while the value lives"]
pub struct StopsHeld(Option<SigSet>);

/// Holds Ctrl-C, SIGTERM and SIGHUP back until the returned value drops:
/// for a short step that must finish once begun.
pub fn hold_stops() -> StopsHeld {
    let mut old = SigSet::empty();
    match nix::sys::signal::sigprocmask(SigmaskHow::SIG_BLOCK, Some(&set_of(&STOP_SIGNALS)), Some(&mut old)) {
        Ok(()) => StopsHeld(Some(old)),
        Err(_) => StopsHeld(None),
    }
}

impl Drop for StopsHeld {
    fn drop(&mut self) {
        if let Some(old) = self.0.take() {
            let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_SETMASK, Some(&old), None);
        }
    }
}

/// What woke a wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A child changed state (SIGCHLD).
    ChildEnded,
    /// The user asked us to stop.
    Stop(Signal),
    /// The timeout passed.
    TimedOut,
}

fn timed_wait(set: &SigSet, timeout: Duration) -> Event {
    let ts = libc::timespec {
        tv_sec: timeout.as_secs().min(i64::MAX as u64) as libc::time_t,
        tv_nsec: timeout.subsec_nanos() as libc::c_long,
    };
    loop {
        // SAFETY: set and ts are valid for the call; info may be NULL.
        let signo = unsafe { libc::sigtimedwait(set.as_ref(), std::ptr::null_mut(), &ts) };
        if signo >= 0 {
            return match Signal::try_from(signo) {
                Ok(Signal::SIGCHLD) => Event::ChildEnded,
                Ok(sig) => Event::Stop(sig),
                Err(_) => Event::ChildEnded,
            };
        }
        match nix::errno::Errno::last() {
            nix::errno::Errno::EINTR => continue,
            _ => return Event::TimedOut, // EAGAIN: the timeout passed
        }
    }
}

/// Waits up to `timeout` for a child to end or a stop signal.
pub fn wait_for_child_or_stop(timeout: Duration) -> Event {
    let mut set = set_of(&STOP_SIGNALS);
    set.add(Signal::SIGCHLD);
    timed_wait(&set, timeout)
}

/// Waits up to `timeout` for a stop signal only (a `--hold`, a pause).
pub fn wait_for_stop(timeout: Duration) -> Option<Signal> {
    match timed_wait(&set_of(&STOP_SIGNALS), timeout) {
        Event::Stop(sig) => Some(sig),
        _ => None,
    }
}

/// A pending stop signal, if any, consumed. Does not block.
pub fn pending_stop() -> Option<Signal> {
    wait_for_stop(Duration::ZERO)
}

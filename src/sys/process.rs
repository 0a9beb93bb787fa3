//! Processes: fork a child that runs a closure and `_exit`s, signal and reap.

use std::time::Duration;

use nix::errno::Errno;
use nix::sys::signal::Signal;
use nix::sys::wait::{WaitPidFlag, WaitStatus};
use nix::unistd::{ForkResult, Pid};

use super::ChildStatus;

/// How a reaped child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// It exited with a status from shmlab's table (see `child_status`).
    Reported(ChildStatus),
    /// It exited with some other status (it was not one of shmlab's bodies).
    Exited(i32),
    Killed(Signal),
}

impl Ended {
    fn from_exit(code: i32) -> Self {
        ChildStatus::from_code(code).map_or(Ended::Exited(code), Ended::Reported)
    }

    /// It exited with [`ChildStatus::Done`].
    pub fn succeeded(self) -> bool {
        self == Ended::Reported(ChildStatus::Done)
    }
}

impl std::fmt::Display for Ended {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ended::Reported(status) => status.fmt(f),
            Ended::Exited(code) => f.write_str(&crate::tr!("child-exit-status", code = code)),
            Ended::Killed(sig) => f.write_str(&crate::tr!("child-killed-by", signal = sig.as_str())),
        }
    }
}

/// Ok if this process has exactly one thread, EDEADLK if it has more.
///
/// glibc keeps `__libc_single_threaded` true until the process first
/// creates a thread and never sets it back (glibc manual, "Single-Threaded
/// Processes"), so reading it answers in one load in the usual case, where
/// shmlab never started a thread. Once a thread has existed, the count is
/// read from procfs: /proc/self/task has one entry per thread, and procfs
/// gives the directory a link count of threads + 2, so one `stat`, about a
/// microsecond, instead of reading the directory or /proc/self/status.
pub fn require_single_thread() -> Result<(), Errno> {
    if never_had_a_thread() {
        return Ok(());
    }
    let links = nix::sys::stat::stat("/proc/self/task")?.st_nlink;
    if links == 3 { Ok(()) } else { Err(Errno::EDEADLK) }
}

#[cfg(target_env = "gnu")]
fn never_had_a_thread() -> bool {
    unsafe extern "C" {
        // glibc changes it when a thread starts: an atomic byte to Rust.
        static __libc_single_threaded: std::sync::atomic::AtomicU8;
    }
    // SAFETY: glibc (2.32 and later) defines this one-byte variable for
    // exactly this use, to be read without further synchronisation; an
    // AtomicU8 has the same size and layout as the C `char`.
    unsafe { __libc_single_threaded.load(std::sync::atomic::Ordering::Relaxed) != 0 }
}

#[cfg(not(target_env = "gnu"))]
fn never_had_a_thread() -> bool {
    false
}

/// Forks; the child arranges to be killed if shmlab dies, restores the
/// signal mask it was started with, runs
/// `body` and ends with `_exit(body())`. The parent gets the child's pid.
///
/// The child never returns into the caller, so it never runs a destructor of
/// the parent's objects (which would unmap or remove shared objects twice).
/// A panic in `body` ends the child with [`ChildStatus::Panicked`] instead
/// of unwinding.
///
/// `fork` in a process with several threads leaves the child with one
/// thread and every lock the others held (the allocator's among them), so
/// ordinary code in the child could deadlock or worse. This function is
/// safe because it checks first: with more than one thread it refuses with
/// EDEADLK instead of forking.
pub fn fork_child(body: impl FnOnce() -> ChildStatus) -> Result<Pid, Errno> {
    let parent = nix::unistd::getpid();
    require_single_thread()?;
    // SAFETY: the process has one thread (checked just above, and only
    // this thread could start another), so the child may run ordinary code;
    // it leaves only through _exit, never through the parent's stack.
    match unsafe { nix::unistd::fork() }? {
        ForkResult::Parent { child } => Ok(child),
        ForkResult::Child => {
            // If shmlab itself is killed (kill -9 cannot be caught), its
            // children die with it instead of running on as strays.
            let _ = nix::sys::prctl::set_pdeathsig(Signal::SIGKILL);
            if nix::unistd::getppid() != parent {
                exit_now(ChildStatus::Orphaned.code()); // the parent died before the line above took effect
            }
            super::signals::restore_in_child();
            let status = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)).unwrap_or(ChildStatus::Panicked);
            exit_now(status.code())
        }
    }
}

/// Forks a child meant to outlive its parent (the lifecycle lab's process B
/// under a process A that exits) and to be adopted by `adopter`, an
/// ancestor that made itself a subreaper (shmlab). The child first waits
/// (up to `patience`) until its parent has exited and `adopter` has adopted
/// it, then arms the parent-death signal against `adopter` and checks it
/// again, so that it dies with shmlab like every other child; if shmlab is
/// already gone, or never adopts it, it ends at once instead of running on.
pub fn fork_adoptee(adopter: Pid, patience: Duration, body: impl FnOnce() -> ChildStatus) -> Result<Pid, Errno> {
    let parent = nix::unistd::getpid();
    require_single_thread()?;
    // SAFETY: as in fork_child: single-threaded (checked), and the child
    // leaves through _exit only.
    match unsafe { nix::unistd::fork() }? {
        ForkResult::Parent { child } => Ok(child),
        ForkResult::Child => {
            let started = std::time::Instant::now();
            loop {
                let now = nix::unistd::getppid();
                if now == adopter {
                    break;
                }
                if now != parent || started.elapsed() > patience {
                    exit_now(ChildStatus::Orphaned.code()); // shmlab died and someone else adopted us, or A never exited
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            let _ = nix::sys::prctl::set_pdeathsig(Signal::SIGKILL);
            if nix::unistd::getppid() != adopter {
                exit_now(ChildStatus::Orphaned.code()); // shmlab died before the line above took effect
            }
            let status = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)).unwrap_or(ChildStatus::Panicked);
            exit_now(status.code())
        }
    }
}

/// No core dump for this process: for a child that is meant to die of
/// SIGBUS. RLIMIT_CORE 0 stops a core file; a `core_pattern` pipe
/// (systemd-coredump, apport) ignores that limit, so the process is also
/// made non-dumpable (PR_SET_DUMPABLE 0).
pub fn no_core_dumps() {
    let _ = nix::sys::resource::setrlimit(nix::sys::resource::Resource::RLIMIT_CORE, 0, 0);
    let _ = nix::sys::prctl::set_dumpable(false);
}

/// Makes this process adopt its orphaned descendants (PR_SET_CHILD_SUBREAPER),
/// so that it can reap a grandchild whose parent exited.
pub fn become_subreaper() {
    let _ = nix::sys::prctl::set_child_subreaper(true);
}

/// `_exit(code)`: ends this process at once, running no destructors and
/// flushing no buffers (the parent's buffers are not the child's to flush).
pub fn exit_now(code: i32) -> ! {
    // SAFETY: _exit is always safe to call; it does not return.
    unsafe { libc::_exit(code) }
}

/// Sends `signal` to `pid`; a process that is already gone is not an error.
pub fn send(pid: Pid, signal: Signal) {
    let _ = nix::sys::signal::kill(pid, signal);
}

/// Reaps one child that has ended, without blocking. `Ok(None)` when no child
/// has ended yet; `Err(ECHILD)` when there are no children at all.
pub fn reap_any() -> Result<Option<(Pid, Ended)>, Errno> {
    loop {
        match nix::sys::wait::waitpid(None, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(pid, code)) => return Ok(Some((pid, Ended::from_exit(code)))),
            Ok(WaitStatus::Signaled(pid, sig, _)) => return Ok(Some((pid, Ended::Killed(sig)))),
            Ok(WaitStatus::StillAlive) => return Ok(None),
            Ok(_) => continue, // stopped/continued: not an end
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Whether child `pid` has ended, leaving it for a later reap (`waitid`
/// with WNOWAIT).
pub fn has_ended(pid: Pid) -> bool {
    use nix::sys::wait::{Id, waitid};
    let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
    matches!(waitid(Id::Pid(pid), flags), Ok(status) if status != WaitStatus::StillAlive)
}

/// Waits for `pid` to end and reaps it.
pub fn reap(pid: Pid) -> Result<Ended, Errno> {
    loop {
        match nix::sys::wait::waitpid(pid, None) {
            Ok(WaitStatus::Exited(_, code)) => return Ok(Ended::from_exit(code)),
            Ok(WaitStatus::Signaled(_, sig, _)) => return Ok(Ended::Killed(sig)),
            Ok(_) | Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// This process's id.
pub fn own_pid() -> Pid {
    nix::unistd::getpid()
}

/// Sleeps (nanosleep; async-signal-safe, so fine in a forked child).
pub fn sleep(duration: Duration) {
    if !duration.is_zero() {
        std::thread::sleep(duration);
    }
}

/// The soft `RLIMIT_NPROC`, or `None` when unlimited.
pub fn process_limit() -> Option<u64> {
    use nix::sys::resource::{Resource, getrlimit};
    match getrlimit(Resource::RLIMIT_NPROC) {
        Ok((soft, _)) if soft != libc::RLIM_INFINITY => Some(soft),
        _ => None,
    }
}

/// `prctl(PR_SET_TIMERSLACK, ns)`: how late the kernel may wake this
/// process from a sleep so that it can batch wake-ups (1 ns or more; the
/// kernel reads 0 as "back to the default").
pub fn set_timer_slack(ns: u64) -> Result<(), Errno> {
    nix::sys::prctl::set_timerslack(ns)
}

/// `sched_setaffinity(0, {cpu})`: this process runs on `cpu` only.
pub fn pin_to_cpu(cpu: usize) -> Result<(), Errno> {
    let mut set = nix::sched::CpuSet::new();
    set.set(cpu)?;
    nix::sched::sched_setaffinity(Pid::from_raw(0), &set)
}

/// The CPUs this process may run on (`sched_getaffinity`), in order.
pub fn allowed_cpus() -> Vec<usize> {
    match nix::sched::sched_getaffinity(Pid::from_raw(0)) {
        Ok(set) => (0..nix::sched::CpuSet::count()).filter(|c| set.is_set(*c).unwrap_or(false)).collect(),
        Err(_) => Vec::new(),
    }
}

/// The CPU this process is running on right now (`sched_getcpu`).
pub fn current_cpu() -> Option<usize> {
    nix::sched::sched_getcpu().ok()
}

/// `sched_yield`: let another runnable process have this CPU.
pub fn yield_now() {
    let _ = nix::sched::sched_yield();
}

/// The soft `RLIMIT_MSGQUEUE` (bytes of POSIX message queues per user),
/// or `None` when unlimited.
pub fn message_queue_limit() -> Option<u64> {
    use nix::sys::resource::{Resource, getrlimit};
    match getrlimit(Resource::RLIMIT_MSGQUEUE) {
        Ok((soft, _)) if soft != libc::RLIM_INFINITY => Some(soft),
        _ => None,
    }
}

/// The base page size in bytes (`sysconf(_SC_PAGESIZE)`).
pub fn page_size() -> u64 {
    match nix::unistd::sysconf(nix::unistd::SysconfVar::PAGE_SIZE) {
        Ok(Some(n)) if n > 0 => n as u64,
        _ => 4096,
    }
}

/// Clock ticks per second (`sysconf(_SC_CLK_TCK)`), the unit of process
/// start times in /proc/PID/stat.
pub fn clock_ticks_per_second() -> u64 {
    match nix::unistd::sysconf(nix::unistd::SysconfVar::CLK_TCK) {
        Ok(Some(n)) if n > 0 => n as u64,
        _ => 100,
    }
}

/// Whether this process runs as root (effective uid 0).
pub fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// Minor page faults of this process so far (`getrusage`).
pub fn minor_faults() -> u64 {
    use nix::sys::resource::{UsageWho, getrusage};
    getrusage(UsageWho::RUSAGE_SELF).map(|u| u.minor_page_faults() as u64).unwrap_or(0)
}

/// The soft and hard `RLIMIT_MEMLOCK`, `None` meaning unlimited.
pub fn memlock_limit() -> (Option<u64>, Option<u64>) {
    use nix::sys::resource::{Resource, getrlimit};
    let finite = |v: u64| (v != libc::RLIM_INFINITY).then_some(v);
    match getrlimit(Resource::RLIMIT_MEMLOCK) {
        Ok((soft, hard)) => (finite(soft), finite(hard)),
        Err(_) => (None, None),
    }
}

/// The effective group id.
pub fn effective_gid() -> u32 {
    nix::unistd::getegid().as_raw()
}

/// The supplementary group ids (`getgroups`); empty if the call fails.
pub fn supplementary_groups() -> Vec<u32> {
    nix::unistd::getgroups().map(|g| g.into_iter().map(|g| g.as_raw()).collect()).unwrap_or_default()
}

/// The real user id.
pub fn real_uid() -> u32 {
    nix::unistd::getuid().as_raw()
}

/// The effective user id.
pub fn effective_uid() -> u32 {
    nix::unistd::geteuid().as_raw()
}

/// In a child: becomes user `uid` with group `gid` and no supplementary
/// groups (root only), so that it meets the kernel's permission checks as
/// that user would.
pub fn become_user(uid: u32, gid: u32) -> Result<(), Errno> {
    use nix::unistd::{Gid, Uid, setgroups, setresgid, setresuid};
    setgroups(&[])?;
    let gid = Gid::from_raw(gid);
    setresgid(gid, gid, gid)?;
    let uid = Uid::from_raw(uid);
    setresuid(uid, uid, uid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fork_is_refused_while_another_thread_runs() {
        let (stop, parked) = std::sync::mpsc::channel::<()>();
        let other = std::thread::spawn(move || {
            let _ = parked.recv();
        });
        assert_eq!(require_single_thread(), Err(Errno::EDEADLK));
        assert_eq!(fork_child(|| ChildStatus::Done), Err(Errno::EDEADLK));
        stop.send(()).unwrap();
        other.join().unwrap();
    }
}

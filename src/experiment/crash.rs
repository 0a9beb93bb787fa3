//! What happens when a lock holder dies: a child takes the lock, starts its
//! critical section and is killed with SIGKILL; other children are already
//! waiting for the lock. The outcome is observed, not assumed: did a waiter
//! get the lock (and how long after the kill), did the lock report that its
//! owner died, or did nobody get it within the patience window (stuck)?
//! Stuck waiters are killed and reaped, and every object is removed.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;

use crate::error::{Error, Kind, Result, check_interrupt};
use crate::experiment::bounds::Bound;
use crate::experiment::children::Children;
use crate::experiment::layout;
use crate::lock::{Entry, Exclusion, Lock, LockKind};
use crate::region::{Backend, Region, RegionRequest, XsiKey};
use crate::report::model::{CrashRecord, CrashVerdict};
use crate::sys::{clock, process};

/// How long the parent waits for the victim to take the lock.
const VICTIM_DEADLINE: Duration = Duration::from_secs(10);
/// How long the waiters get to block in the lock before the kill.
const SETTLE: Duration = Duration::from_millis(50);

/// Waiters behind the killed holder: enough to see who gets the lock,
/// few enough not to fork the machine full.
pub const WAITERS: Bound = Bound::new("waiters", 1, 1000);
pub const DEFAULT_WAITERS: u32 = 3;
/// How long the waiters get after the kill, ms.
pub const PATIENCE_MS: Bound = Bound::new("patience_ms", 1, u64::MAX);
pub const DEFAULT_PATIENCE_MS: u64 = 1000;

#[derive(Debug, Clone)]
pub struct CrashPlan {
    pub locks: Vec<LockKind>,
    pub backend: Backend,
    pub waiters: u32,
    /// How long the waiters may wait after the kill before we call it stuck.
    pub patience: Duration,
    pub xsi_key: XsiKey,
}

impl CrashPlan {
    /// The bounds every front end shares (see `bounds`); the error names the field.
    pub fn check(&self) -> std::result::Result<(), String> {
        if self.locks.is_empty() {
            return Err("field `locks` is empty".into());
        }
        if let Some(k) = self.locks.iter().find(|k| !k.can_be_held()) {
            return Err(format!(
                "lock {k} has nothing to hold, so there is no holder to kill; pick a lock such as mutex"
            ));
        }
        WAITERS.check(u64::from(self.waiters))?;
        PATIENCE_MS.check(u64::try_from(self.patience.as_millis()).unwrap_or(u64::MAX))
    }
}

pub fn run(plan: &CrashPlan, mut on_record: impl FnMut(&CrashRecord)) -> Result<Vec<CrashRecord>> {
    plan.check().map_err(Error::usage)?;
    let mut records = Vec::new();
    for &kind in &plan.locks {
        check_interrupt()?;
        let record = crash_one(kind, plan)?;
        on_record(&record);
        records.push(record);
    }
    Ok(records)
}

fn crash_one(kind: LockKind, plan: &CrashPlan) -> Result<CrashRecord> {
    let request = RegionRequest::small(layout::region_bytes(0), plan.xsi_key.clone());
    let region = Region::create(plan.backend, &request)?;
    let lock = Lock::prepare(kind, region.mapping(), layout::LOCK_OFFSET)?;
    let words = region.mapping().words();
    let mut victim = Children::counted_by("waiters");
    let mut waiters = Children::counted_by("waiters");

    // 1. The victim takes the lock, reads the counter, and never comes back.
    let victim_pid = victim.spawn(|| hold_forever(&region, &lock))?;
    wait_until(|| words[layout::HOLDING].load(Ordering::SeqCst) != 0, VICTIM_DEADLINE)
        .map_err(|e| deadline_or(e, format!("crash {kind}: the victim never took the lock within 10 s")))?;

    // 2. The waiters line up behind it.
    for _ in 0..plan.waiters {
        waiters.spawn(|| wait_and_increment(&region, &lock))?;
    }
    let waiters_count = u64::from(plan.waiters);
    wait_until(|| words[layout::READY].load(Ordering::SeqCst) >= waiters_count, VICTIM_DEADLINE)
        .map_err(|e| deadline_or(e, format!("crash {kind}: the waiters did not start within 10 s")))?;
    std::thread::sleep(SETTLE);
    let got_in_before_kill = words[layout::COUNTER].load(Ordering::SeqCst);

    // 3. Kill the holder.
    let killed_at = clock::monotonic_ns();
    process::send(victim_pid, Signal::SIGKILL);
    victim.reap_one(victim_pid);

    // 4. See what the waiters experience.
    let reaped = waiters.wait_all(plan.patience)?;
    let first = words[layout::FIRST_ACQUIRED_NS].load(Ordering::SeqCst);
    let owner_died = words[layout::OWNER_DIED].load(Ordering::SeqCst) != 0;
    let final_value = words[layout::COUNTER].load(Ordering::SeqCst);

    let verdict = if got_in_before_kill > 0 {
        CrashVerdict::NoExclusion
    } else if reaped.timed_out > 0 {
        CrashVerdict::Stuck
    } else if owner_died {
        CrashVerdict::OwnerDeadRepaired
    } else if kind == LockKind::SysvSem {
        CrashVerdict::Undone
    } else {
        CrashVerdict::Recovered
    };
    let recovered_after_ms =
        (first > killed_at && verdict != CrashVerdict::NoExclusion && verdict != CrashVerdict::Stuck)
            .then(|| (first - killed_at) as f64 / 1e6);
    Ok(CrashRecord::new(kind, plan, verdict, recovered_after_ms, final_value, reaped.timed_out as u32))
}

/// Keeps an interrupt as it is; turns a missed deadline into `message`.
fn deadline_or(e: Error, message: String) -> Error {
    if e.kind == Kind::Interrupted { e } else { Error::failed(message) }
}

fn wait_until(done: impl Fn() -> bool, limit: Duration) -> Result<()> {
    let deadline = Instant::now().checked_add(limit).unwrap_or_else(Instant::now);
    while !done() {
        check_interrupt()?;
        if Instant::now() > deadline {
            return Err(Error::failed("deadline passed"));
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    Ok(())
}

/// The victim: take the lock, start the critical section, wait to be killed.
fn hold_forever(region: &Region, lock: &Lock) -> i32 {
    let Ok(view) = region.open_in_child() else { return 3 };
    let Ok(mut guard) = lock.open_in_child(&view) else { return 4 };
    if guard.enter().is_err() {
        return 4;
    }
    let words = view.words();
    let _half_done = words[layout::COUNTER].load(Ordering::Relaxed);
    words[layout::HOLDING].store(1, Ordering::SeqCst);
    loop {
        process::sleep(Duration::from_secs(3600));
    }
}

/// A waiter: block in the lock, note when it got it and whether the lock
/// said its owner died, add one, release.
fn wait_and_increment(region: &Region, lock: &Lock) -> i32 {
    let Ok(view) = region.open_in_child() else { return 3 };
    let Ok(mut guard) = lock.open_in_child(&view) else { return 4 };
    let words = view.words();
    words[layout::READY].fetch_add(1, Ordering::SeqCst);
    let Ok(entry) = guard.enter() else { return 4 };
    let _ =
        words[layout::FIRST_ACQUIRED_NS].compare_exchange(0, clock::monotonic_ns(), Ordering::SeqCst, Ordering::SeqCst);
    if entry == Entry::RepairedAfterOwnerDied {
        words[layout::OWNER_DIED].store(1, Ordering::SeqCst);
    }
    let seen = words[layout::COUNTER].load(Ordering::Relaxed);
    words[layout::COUNTER].store(seen + 1, Ordering::Relaxed);
    if guard.leave().is_err() {
        return 4;
    }
    0
}

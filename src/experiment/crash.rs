//! What happens when a lock holder dies: a child takes the lock, starts its
//! critical section and is killed with SIGKILL; other children are already
//! waiting for the lock. The outcome is observed, not assumed: did a waiter
//! get the lock (and how long after the kill), did the lock report that its
//! owner died, or did nobody get it within the patience window (stuck)?
//! Stuck waiters are killed and reaped, and every object is removed.

use std::sync::atomic::Ordering;
use std::time::Duration;

use clap::ValueEnum;
use nix::sys::signal::Signal;
use serde::{Deserialize, Serialize};

use super::params::{Choice, choice_parser, default_proj_id, xsi_key};
use super::{Events, Lab, wait};
use crate::error::{Error, Result, check_interrupt};
use crate::experiment::bounds::Bound;
use crate::experiment::children::Children;
use crate::experiment::layout;
use crate::kernel::machine::Machine;
use crate::lock::{Entry, Exclusion, Lock, LockKind};
use crate::model::{CrashRecord, CrashVerdict};
use crate::region::{Backend, Region, RegionRequest, XsiKey};
use crate::sys::{Errno, clock, process};

/// How long the parent waits for the victim to take the lock, and for the
/// waiters to line up.
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

fn default_waiters() -> u32 {
    DEFAULT_WAITERS
}
fn default_patience_ms() -> u64 {
    DEFAULT_PATIENCE_MS
}
fn default_backend() -> Backend {
    Backend::Mmap
}

/// The crash lab's parameters, for `shmlab crash` and a suite's `"crash"` run.
#[derive(Debug, Clone, clap::Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Lock whose holder gets killed (repeatable; `all` for every lock that can be held) [default: all]
    #[arg(long = "lock", value_name = "LOCK", value_parser = choice_parser::<LockKind>(|k| k.can_be_held()))]
    #[serde(default)]
    pub locks: Vec<Choice<LockKind>>,

    /// Shared-memory backend that hosts the counter and in-memory locks
    #[arg(long, default_value = "mmap", value_name = "BACKEND")]
    #[serde(default = "default_backend")]
    pub backend: Backend,

    /// Children waiting for the lock when its holder is killed
    #[arg(long, default_value_t = DEFAULT_WAITERS)]
    #[serde(default = "default_waiters")]
    pub waiters: u32,

    /// Milliseconds the waiters get after the kill before the lock is called stuck
    #[arg(long, default_value_t = DEFAULT_PATIENCE_MS, value_name = "MS")]
    #[serde(default = "default_patience_ms")]
    pub patience_ms: u64,

    /// ftok project id for the xsi backend's key (low 8 bits, not 0; 1234 as in the racing lab)
    #[arg(long, default_value_t = super::params::DEFAULT_PROJ_ID, value_name = "N")]
    #[serde(default = "default_proj_id")]
    pub proj_id: i32,
}

#[derive(Debug, Clone)]
pub struct CrashPlan {
    pub locks: Vec<LockKind>,
    pub backend: Backend,
    pub waiters: u32,
    /// How long the waiters may wait after the kill before we call it stuck.
    pub patience: Duration,
    pub xsi_key: XsiKey,
}

/// The crash lab.
pub struct Crash;

impl Lab for Crash {
    const NAME: &'static str = "crash";
    type Params = Params;
    type Plan = CrashPlan;
    type Record = CrashRecord;

    fn validate(p: &Params, machine: &Machine) -> Result<CrashPlan> {
        // `all` means every lock that can be held; one that cannot is named.
        let holdable: Vec<LockKind> = LockKind::value_variants().iter().copied().filter(|k| k.can_be_held()).collect();
        let locks = Choice::expand(&p.locks, &holdable, &holdable);
        if let Some(k) = locks.iter().find(|k| !k.can_be_held()) {
            return Err(Error::param("lock", crate::tr!("crash-nothing-to-hold", lock = k)));
        }
        WAITERS.check(u64::from(p.waiters))?;
        PATIENCE_MS.check(p.patience_ms)?;
        super::bounds::process_count(machine, u64::from(p.waiters), "waiters")?;
        let xsi_key = if p.backend == Backend::Xsi {
            xsi_key(&super::params::default_key_path(), p.proj_id)?
        } else {
            XsiKey::default()
        };
        Ok(CrashPlan {
            locks,
            backend: p.backend,
            waiters: p.waiters,
            patience: Duration::from_millis(p.patience_ms),
            xsi_key,
        })
    }

    fn run(plan: &CrashPlan, events: &mut dyn Events) -> Result<Vec<CrashRecord>> {
        let mut records = Vec::new();
        for &kind in &plan.locks {
            check_interrupt()?;
            let record = crash_one(kind, plan)?;
            events.finished(&record.clone().into());
            records.push(record);
        }
        Ok(records)
    }
}

fn crash_one(kind: LockKind, plan: &CrashPlan) -> Result<CrashRecord> {
    let request = RegionRequest::small(layout::region_bytes(0), plan.xsi_key.clone());
    let region = Region::create(plan.backend, &request)?;
    let lock = Lock::prepare(kind, region.mapping(), layout::LOCK_OFFSET)?;
    let words = region.mapping().words();
    let mut victim = Children::counted_by("waiters");
    let mut waiters = Children::counted_by("waiters");

    // 1. The victim takes the lock, reads the counter, and never comes back.
    let victim_pid = victim.spawn(|| hold_forever(&region, &lock).into())?;
    if !wait::until(VICTIM_DEADLINE, Duration::from_micros(200), || words[layout::HOLDING].load(Ordering::SeqCst) != 0)?
    {
        return Err(Error::failed(crate::tr!(
            "crash-victim-no-lock",
            lock = kind,
            within = wait::words(VICTIM_DEADLINE)
        )));
    }

    // 2. The waiters line up behind it.
    for _ in 0..plan.waiters {
        waiters.spawn(|| wait_and_increment(&region, &lock).into())?;
    }
    let waiters_count = u64::from(plan.waiters);
    if !wait::until(VICTIM_DEADLINE, Duration::from_micros(200), || {
        words[layout::READY].load(Ordering::SeqCst) >= waiters_count
    })? {
        return Err(Error::failed(crate::tr!(
            "crash-waiters-late",
            lock = kind,
            within = wait::words(VICTIM_DEADLINE)
        )));
    }
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
    Ok(CrashRecord {
        lock: kind,
        backend: plan.backend,
        verdict,
        outcome: verdict.describe_in_english(kind),
        recovered_after_ms,
        waiters: plan.waiters,
        waiters_killed: reaped.timed_out as u32,
        patience_ms: plan.patience.as_millis() as u64,
        final_value,
        expected: u64::from(plan.waiters),
    })
}

/// The victim: take the lock, start the critical section, wait to be killed.
fn hold_forever(region: &Region, lock: &Lock) -> std::result::Result<(), Errno> {
    let view = region.open_in_child()?;
    let mut guard = lock.open_in_child(&view)?;
    guard.enter()?;
    let words = view.words();
    let _half_done = words[layout::COUNTER].load(Ordering::Relaxed);
    words[layout::HOLDING].store(1, Ordering::SeqCst);
    loop {
        process::sleep(Duration::from_secs(3600));
    }
}

/// A waiter: block in the lock, note when it got it and whether the lock
/// said its owner died, add one, release.
fn wait_and_increment(region: &Region, lock: &Lock) -> std::result::Result<(), Errno> {
    let view = region.open_in_child()?;
    let mut guard = lock.open_in_child(&view)?;
    let words = view.words();
    words[layout::READY].fetch_add(1, Ordering::SeqCst);
    let entry = guard.enter()?;
    let _ =
        words[layout::FIRST_ACQUIRED_NS].compare_exchange(0, clock::monotonic_ns(), Ordering::SeqCst, Ordering::SeqCst);
    if entry == Entry::RepairedAfterOwnerDied {
        words[layout::OWNER_DIED].store(1, Ordering::SeqCst);
    }
    let seen = words[layout::COUNTER].load(Ordering::Relaxed);
    words[layout::COUNTER].store(seen + 1, Ordering::Relaxed);
    guard.leave()
}

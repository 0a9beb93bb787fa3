//! The racing lab: N forked children each do a read–sleep–write on one
//! counter in shared memory, as the article's `racing_mmap` and
//! `racing_xsi_shm` programs do, and the final value shows how many updates
//! were lost. With `--lock`, the same critical section is protected, and
//! every correct protection must end exactly at `children × iterations`.
//!
//! The parent stays lean before it forks (one page of shared memory, nothing
//! big allocated) so that the cost of a trial is the kernel's fork/exit.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use clap::ValueEnum;
use serde::{Deserialize, Serialize};

use super::params::{Choice, any, choice_parser, default_key_path, default_proj_id, seconds, xsi_key};
use super::{Events, Lab};
use crate::error::{Param, Result, check_interrupt};
use crate::experiment::bounds::Bound;
use crate::experiment::children::Children;
use crate::experiment::layout;
use crate::kernel::machine::Machine;
use crate::lock::{Exclusion, Lock, LockKind, increment_atomically};
use crate::model::RacingRecord;
use crate::region::{Backend, Region, RegionRequest, XsiKey};
use crate::sys::{Errno, process};

/// Forked children per trial (the system's process limits are checked at run time).
pub const CHILDREN: Bound = Bound::new("children", 1, u32::MAX as u64);
pub const DEFAULT_CHILDREN: u32 = 100;
/// Trials per backend and lock.
pub const TRIALS: Bound = Bound::new("trials", 1, u32::MAX as u64);
pub const DEFAULT_TRIALS: u32 = 1;
/// Critical sections per child.
pub const ITERATIONS: Bound = Bound::new("iterations", 1, u32::MAX as u64);
pub const DEFAULT_ITERATIONS: u32 = 1;
/// Sleep inside the critical section, microseconds (0: none at all).
pub const DELAY_US: Bound = Bound::new("delay_us", 0, u64::MAX);
pub const DEFAULT_DELAY_US: u64 = 1;

fn default_children() -> u32 {
    DEFAULT_CHILDREN
}
fn default_trials() -> u32 {
    DEFAULT_TRIALS
}
fn default_iterations() -> u32 {
    DEFAULT_ITERATIONS
}
fn default_delay_us() -> u64 {
    DEFAULT_DELAY_US
}

/// The racing lab's parameters, as `shmlab racing` and a suite's
/// `"experiment": "racing"` run both take them.
#[derive(Debug, Clone, clap::Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Shared-memory backend to race on (repeatable; `all` for every one) [default: mmap]
    #[arg(long = "backend", value_name = "BACKEND", value_parser = choice_parser::<Backend>(any))]
    #[serde(default)]
    pub backends: Vec<Choice<Backend>>,

    /// Protection around the critical section (repeatable; `all` for every one) [default: none]
    #[arg(long = "lock", value_name = "LOCK", value_parser = choice_parser::<LockKind>(any))]
    #[serde(default)]
    pub locks: Vec<Choice<LockKind>>,

    /// Forked children per trial
    #[arg(long, default_value_t = DEFAULT_CHILDREN)]
    #[serde(default = "default_children")]
    pub children: u32,

    /// Trials per backend
    #[arg(long, default_value_t = DEFAULT_TRIALS)]
    #[serde(default = "default_trials")]
    pub trials: u32,

    /// Microseconds each child sleeps between reading and writing the counter
    #[arg(long, default_value_t = DEFAULT_DELAY_US, value_name = "MICROSECONDS")]
    #[serde(default = "default_delay_us")]
    pub delay_us: u64,

    /// Critical sections per child
    #[arg(long, default_value_t = DEFAULT_ITERATIONS)]
    #[serde(default = "default_iterations")]
    pub iterations: u32,

    /// File whose inode and device ftok turns into the xsi key
    #[arg(long, default_value = super::params::DEFAULT_KEY_PATH, value_name = "PATH")]
    #[serde(default = "default_key_path")]
    pub key_path: PathBuf,

    /// ftok project id for the xsi key (only its low 8 bits are used; they must not be 0)
    #[arg(long, default_value_t = super::params::DEFAULT_PROJ_ID, value_name = "N")]
    #[serde(default = "default_proj_id")]
    pub proj_id: i32,

    /// Seconds a trial's children may run before they are killed [default: 10 + 2 × children × iterations × (delay + 200 µs)]
    #[arg(long, value_name = "SECONDS")]
    #[serde(default)]
    pub timeout: Option<f64>,

    /// Show every trial's final, lost and wall time, not only their summary
    #[arg(long)]
    #[serde(skip)]
    pub long: bool,
}

/// A validated racing run.
#[derive(Debug, Clone)]
pub struct RacingPlan {
    pub backends: Vec<Backend>,
    pub locks: Vec<LockKind>,
    pub children: u32,
    pub trials: u32,
    pub delay: Duration,
    pub iterations: u32,
    pub xsi_key: XsiKey,
    /// How long a trial's children may take before they are killed.
    pub timeout: Duration,
}

impl RacingPlan {
    /// A generous default deadline: even fully serialized children finish.
    pub fn default_timeout(children: u32, iterations: u32, delay: Duration) -> Duration {
        let per_section = delay.saturating_add(Duration::from_micros(200));
        let sections = children.saturating_mul(iterations).saturating_mul(2);
        Duration::from_secs(10).saturating_add(per_section.saturating_mul(sections))
    }
}

/// The racing lab.
pub struct Racing;

impl Lab for Racing {
    const NAME: &'static str = "racing";
    type Params = Params;
    type Plan = RacingPlan;
    type Record = RacingRecord;

    fn validate(p: &Params, machine: &Machine) -> Result<RacingPlan> {
        CHILDREN.check(u64::from(p.children))?;
        TRIALS.check(u64::from(p.trials))?;
        ITERATIONS.check(u64::from(p.iterations))?;
        DELAY_US.check(p.delay_us)?;
        super::bounds::process_count(machine, u64::from(p.children), "children")?;
        let backends = Choice::expand(&p.backends, Backend::value_variants(), &[Backend::Mmap]);
        let locks = Choice::expand(&p.locks, LockKind::value_variants(), &[LockKind::None]);
        let xsi_key =
            if backends.contains(&Backend::Xsi) { xsi_key(&p.key_path, p.proj_id)? } else { XsiKey::default() };
        let delay = Duration::from_micros(p.delay_us);
        let timeout = match p.timeout {
            Some(s) => seconds("timeout", s, false)?,
            None => RacingPlan::default_timeout(p.children, p.iterations, delay),
        };
        Ok(RacingPlan {
            backends,
            locks,
            children: p.children,
            trials: p.trials,
            delay,
            iterations: p.iterations,
            xsi_key,
            timeout,
        })
    }

    /// Runs every backend × lock in turn.
    fn run(plan: &RacingPlan, events: &mut dyn Events) -> Result<Vec<RacingRecord>> {
        let mut records = Vec::new();
        for &backend in &plan.backends {
            for &lock in &plan.locks {
                let delay_us = plan.delay.as_micros() as u64;
                let mut record = RacingRecord::new(backend, lock, plan.children, plan.iterations, delay_us);
                for _ in 0..plan.trials {
                    check_interrupt()?;
                    let trial = run_trial(backend, lock, plan)?;
                    record.push_trial(trial.final_value, trial.wall_ms, trial.failed_children);
                }
                events.finished(&record.clone().into());
                records.push(record);
            }
        }
        Ok(records)
    }

    fn failure(records: &[RacingRecord]) -> Option<String> {
        problems(records)
    }
}

struct Trial {
    final_value: u64,
    wall_ms: f64,
    failed_children: u32,
}

fn run_trial(backend: Backend, kind: LockKind, plan: &RacingPlan) -> Result<Trial> {
    // Declaration order is drop order reversed: children are reaped first,
    // then the lock's objects go, then the region.
    let request = RegionRequest::small(layout::region_bytes(0), plan.xsi_key.clone());
    let region = Region::create(backend, &request)?;
    let lock = Lock::prepare(kind, region.mapping(), layout::LOCK_OFFSET)?;
    let mut children = Children::counted_by("children");
    let started = Instant::now();
    for i in 0..plan.children {
        if i % 64 == 63 {
            check_interrupt()?;
        }
        children.spawn(|| race(&region, &lock, plan.iterations, plan.delay).into())?;
    }
    let reaped = children.wait_all(plan.timeout)?;
    let wall_ms = started.elapsed().as_secs_f64() * 1e3;
    let final_value = region.counter().load(Ordering::SeqCst);
    let failed = reaped.failed.len() + reaped.timed_out;
    Ok(Trial { final_value, wall_ms, failed_children: failed as u32 })
}

/// A child's work: the article's critical section, `iterations` times,
/// inside the lock (if any).
fn race(region: &Region, lock: &Lock, iterations: u32, delay: Duration) -> std::result::Result<(), Errno> {
    let view = region.open_in_child()?;
    let mut guard = lock.open_in_child(&view)?;
    let counter = &view.words()[layout::COUNTER];
    for _ in 0..iterations {
        if lock.kind() == LockKind::Atomic {
            process::sleep(delay);
            increment_atomically(counter);
            continue;
        }
        guard.enter()?;
        let seen = counter.load(Ordering::Relaxed);
        process::sleep(delay);
        counter.store(seen + 1, Ordering::Relaxed);
        guard.leave()?;
    }
    Ok(())
}

/// Problems that make the run a failure: children that did not exit
/// cleanly, and a correct lock that lost updates anyway.
pub fn problems(records: &[RacingRecord]) -> Option<String> {
    let mut found = Vec::new();
    let failed: u32 = records.iter().flat_map(|r| r.failed_children.iter()).sum();
    if failed > 0 {
        found.push(format!(
            "{failed} child(ren) did not exit cleanly (crashed, killed, or still running at the {} and killed); \
             their updates are missing from the finals",
            Param("timeout")
        ));
    }
    for r in records.iter().filter(|r| r.lock.protects()) {
        if r.finals.iter().any(|f| *f != r.expected) && r.failed_children.iter().all(|f| *f == 0) {
            found.push(format!(
                "{} on {} lost updates although it should exclude: finals {:?} of {}",
                r.lock, r.backend, r.finals, r.expected
            ));
        }
    }
    (!found.is_empty()).then(|| found.join("; "))
}

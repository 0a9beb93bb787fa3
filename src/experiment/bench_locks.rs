//! `shmlab bench locks`: what one protected increment costs, per lock, with
//! one process and with several contending.
//!
//! Each process does `ops` times: enter; counter = counter + 1; leave. The
//! children start together (a "go" word in the shared page) and the parent
//! times from "go" to the last child reaped, as a minimal C loop would; the
//! figure is that wall time divided by the total number of operations. The
//! hot loop is generic over the lock type, so each lock gets its own
//! compiled loop with no dispatch in it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::ValueEnum;
use serde::{Deserialize, Serialize};

use super::params::{Choice, any, choice_parser};
use super::{Events, Lab, wait};
use crate::error::{Error, Param, Result, check_interrupt};
use crate::experiment::bounds::Bound;
use crate::experiment::children::Children;
use crate::experiment::layout;
use crate::kernel::machine::Machine;
use crate::lock::{ChildLock, Exclusion, Lock, LockKind, increment_atomically};
use crate::model::BenchRecord;
use crate::region::{Backend, Region, RegionRequest};
use crate::sys::Errno;

/// Contending processes in one measurement.
pub const PROCS: Bound = Bound::new("procs", 1, 4096);
/// Protected increments per process.
pub const OPS: Bound = Bound::new("ops", 1, 1_000_000_000);
pub const DEFAULT_OPS: u64 = 200_000;
/// Repeats per measurement; the median is reported.
pub const REPEATS: Bound = Bound::new("repeats", 1, 1000);
pub const DEFAULT_REPEATS: u32 = 5;

fn default_ops() -> u64 {
    DEFAULT_OPS
}
fn default_repeats() -> u32 {
    DEFAULT_REPEATS
}

/// The lock benchmark's parameters, for `shmlab bench locks` and a suite's
/// `"bench-locks"` run.
#[derive(Debug, Clone, clap::Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Lock to measure (repeatable; `all`) [default: every lock except the flock-inherited pitfall]
    #[arg(long = "lock", value_name = "LOCK", value_parser = choice_parser::<LockKind>(any))]
    #[serde(default)]
    pub locks: Vec<Choice<LockKind>>,

    /// Contending processes (repeatable) [default: 1 and the number of CPUs]
    #[arg(long = "procs", value_name = "P")]
    #[serde(default)]
    pub procs: Vec<u32>,

    /// Protected increments per process
    #[arg(long, default_value_t = DEFAULT_OPS)]
    #[serde(default = "default_ops")]
    pub ops: u64,

    /// Repeats per measurement; the median is reported
    #[arg(long, default_value_t = DEFAULT_REPEATS)]
    #[serde(default = "default_repeats")]
    pub repeats: u32,

    /// Show every repeat's ns/op, not only the median and spread
    #[arg(long)]
    #[serde(skip)]
    pub long: bool,
}

#[derive(Debug, Clone)]
pub struct BenchPlan {
    pub locks: Vec<LockKind>,
    pub procs: Vec<u32>,
    pub ops: u64,
    pub repeats: u32,
}

/// How long the processes may take to start and report ready.
const READY_DEADLINE: Duration = Duration::from_secs(10);

/// The lock benchmark.
pub struct BenchLocks;

impl Lab for BenchLocks {
    const NAME: &'static str = "bench-locks";
    type Params = Params;
    type Plan = BenchPlan;
    type Record = BenchRecord;

    fn validate(p: &Params, machine: &Machine) -> Result<BenchPlan> {
        let every: Vec<LockKind> =
            LockKind::value_variants().iter().copied().filter(|k| *k != LockKind::FlockInherited).collect();
        let mut locks = Choice::expand(&p.locks, LockKind::value_variants(), &every);
        // The unprotected loop is the baseline every other figure is read against.
        if !locks.contains(&LockKind::None) {
            locks.insert(0, LockKind::None);
        }
        // By default 1 and the number of CPUs.
        let cpus = machine.cpus.max(1) as u32;
        let wanted = if p.procs.is_empty() { vec![1, cpus] } else { p.procs.clone() };
        let mut procs = Vec::new();
        for n in wanted {
            PROCS.check(u64::from(n))?;
            if !procs.contains(&n) {
                procs.push(n);
            }
        }
        OPS.check(p.ops)?;
        REPEATS.check(u64::from(p.repeats))?;
        let most = procs.iter().copied().max().unwrap_or(1);
        super::bounds::process_count(machine, u64::from(most), "procs")?;
        Ok(BenchPlan { locks, procs, ops: p.ops, repeats: p.repeats })
    }

    fn run(plan: &BenchPlan, events: &mut dyn Events) -> Result<Vec<BenchRecord>> {
        let mut records = Vec::new();
        for &kind in &plan.locks {
            for &procs in &plan.procs {
                let mut runs = Vec::new();
                for _ in 0..plan.repeats {
                    check_interrupt()?;
                    runs.push(measure(kind, procs, plan.ops)?);
                }
                let record = summarize(kind, procs, plan, runs);
                events.finished(&record.clone().into());
                records.push(record);
            }
        }
        Ok(records)
    }
}

struct Measurement {
    ns_per_op: f64,
    acquisitions: (u64, u64),
    exact: bool,
}

fn summarize(lock: LockKind, procs: u32, plan: &BenchPlan, mut runs: Vec<Measurement>) -> BenchRecord {
    let ns_per_op_runs: Vec<f64> = runs.iter().map(|m| m.ns_per_op).collect();
    let exact = runs.iter().all(|m| m.exact);
    runs.sort_by(|a, b| a.ns_per_op.total_cmp(&b.ns_per_op));
    let median = &runs[(runs.len() - 1) / 2];
    BenchRecord {
        lock,
        procs,
        ops: plan.ops,
        repeats: plan.repeats,
        ns_per_op: median.ns_per_op,
        ns_per_op_runs,
        acquisitions_min: median.acquisitions.0,
        acquisitions_max: median.acquisitions.1,
        exact,
    }
}

fn measure(kind: LockKind, procs: u32, ops: u64) -> Result<Measurement> {
    let request = RegionRequest::small(layout::region_bytes(procs as usize), Default::default());
    let region = Region::create(Backend::Mmap, &request)?;
    let lock = Lock::prepare(kind, region.mapping(), layout::LOCK_OFFSET)?;
    let words = region.mapping().words();
    let mut children = Children::counted_by("procs");
    for slot in 0..procs as usize {
        children.spawn(|| hammer_in_child(&region, &lock, ops, slot).into())?;
    }
    let ready = wait::until(READY_DEADLINE, Duration::from_micros(100), || {
        words[layout::READY].load(Ordering::SeqCst) >= u64::from(procs) || children.any_ended()
    })?;
    if !ready || words[layout::READY].load(Ordering::SeqCst) < u64::from(procs) {
        return Err(Error::failed(crate::tr!(
            "bench-not-started",
            lock = kind,
            procs = procs,
            within = wait::words(READY_DEADLINE)
        )));
    }
    let started = Instant::now();
    words[layout::GO].store(1, Ordering::SeqCst);
    // Generous: 1 ms per operation (a hundred times a slow lock), at least 5 minutes.
    let operations = u32::try_from(u64::from(procs).saturating_mul(ops)).unwrap_or(u32::MAX);
    let timeout = Duration::from_secs(300).max(Duration::from_millis(1).saturating_mul(operations));
    let reaped = children.wait_all(timeout)?;
    let elapsed = started.elapsed();
    if reaped.timed_out > 0 {
        return Err(Error::failed(crate::tr!(
            "bench-not-finished",
            lock = kind,
            procs = procs,
            within = wait::words(timeout),
            ops = Param("ops")
        )));
    }
    if let Some(ended) = reaped.failed.first() {
        return Err(Error::failed(crate::tr!("bench-process-ended", lock = kind, procs = procs, ended = ended)));
    }
    let slots = &words[layout::SLOTS..layout::SLOTS + procs as usize];
    let counts: Vec<u64> = slots.iter().map(|w| w.load(Ordering::SeqCst)).collect();
    let total = u64::from(procs) * ops;
    Ok(Measurement {
        ns_per_op: elapsed.as_nanos() as f64 / total as f64,
        acquisitions: (counts.iter().copied().min().unwrap_or(0), counts.iter().copied().max().unwrap_or(0)),
        exact: words[layout::COUNTER].load(Ordering::SeqCst) == total,
    })
}

fn hammer_in_child(region: &Region, lock: &Lock, ops: u64, slot: usize) -> std::result::Result<(), Errno> {
    let view = region.open_in_child()?;
    let guard = lock.open_in_child(&view)?;
    let words = view.words();
    words[layout::READY].fetch_add(1, Ordering::SeqCst);
    while words[layout::GO].load(Ordering::Acquire) == 0 {
        std::thread::yield_now();
    }
    let shared = Shared { counter: &words[layout::COUNTER], first_done: &words[layout::FIRST_DONE] };
    let result = match guard {
        ChildLock::None => hammer(&mut NoLock, shared, ops),
        ChildLock::Atomic => hammer_atomic(shared, ops),
        ChildLock::Flock(mut l) => hammer(&mut l, shared, ops),
        ChildLock::FlockInherited(mut l) => hammer(&mut l, shared, ops),
        ChildLock::Fcntl(mut l) => hammer(&mut l, shared, ops),
        ChildLock::Ofd(mut l) => hammer(&mut l, shared, ops),
        ChildLock::PosixSem(mut l) => hammer(&mut l, shared, ops),
        ChildLock::NamedSem(mut l) => hammer(&mut l, shared, ops),
        ChildLock::SysvSem(mut l) => hammer(&mut l, shared, ops),
        ChildLock::Mutex(mut l) => hammer(&mut l, shared, ops),
    };
    let while_contended = result?;
    words[layout::SLOTS + slot].store(while_contended, Ordering::SeqCst);
    Ok(())
}

/// The words the hot loop touches.
#[derive(Clone, Copy)]
struct Shared<'a> {
    counter: &'a AtomicU64,
    first_done: &'a AtomicU64,
}

impl Shared<'_> {
    /// Called every CHUNK operations: once another process has finished, the
    /// count so far is this process's share of the contended period.
    fn note(&self, done: u64, share: &mut Option<u64>) {
        if share.is_none() && self.first_done.load(Ordering::Relaxed) != 0 {
            *share = Some(done);
        }
    }

    fn finish(&self, ops: u64, share: Option<u64>) -> u64 {
        self.first_done.store(1, Ordering::Relaxed);
        share.unwrap_or(ops)
    }
}

struct NoLock;

impl Exclusion for NoLock {
    fn enter(&mut self) -> std::result::Result<crate::lock::Entry, crate::sys::Errno> {
        Ok(crate::lock::Entry::Clean)
    }
    fn leave(&mut self) -> std::result::Result<(), crate::sys::Errno> {
        Ok(())
    }
}

/// The measured loop. Returns the acquisitions made while every process
/// was still running, or the errno of a lock call that failed.
/// Operations between two looks at the "first done" word: the inner loop
/// stays as bare as a C loop, with no test in it.
const CHUNK: u64 = 64;

#[inline(never)]
fn hammer<L: Exclusion>(lock: &mut L, shared: Shared<'_>, ops: u64) -> std::result::Result<u64, Errno> {
    let mut share = None;
    let mut done = 0;
    while done < ops {
        let chunk = CHUNK.min(ops - done);
        for _ in 0..chunk {
            lock.enter()?;
            let seen = shared.counter.load(Ordering::Relaxed);
            shared.counter.store(seen + 1, Ordering::Relaxed);
            lock.leave()?;
        }
        done += chunk;
        shared.note(done, &mut share);
    }
    Ok(shared.finish(ops, share))
}

#[inline(never)]
fn hammer_atomic(shared: Shared<'_>, ops: u64) -> std::result::Result<u64, Errno> {
    let mut share = None;
    let mut done = 0;
    while done < ops {
        let chunk = CHUNK.min(ops - done);
        for _ in 0..chunk {
            increment_atomically(shared.counter);
        }
        done += chunk;
        shared.note(done, &mut share);
    }
    Ok(shared.finish(ops, share))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_repeat_is_reported() {
        let plan = BenchPlan { locks: vec![], procs: vec![], ops: 10, repeats: 3 };
        let runs = [30.0, 10.0, 20.0]
            .into_iter()
            .map(|ns| Measurement { ns_per_op: ns, acquisitions: (ns as u64, ns as u64), exact: true })
            .collect();
        let r = summarize(LockKind::Mutex, 1, &plan, runs);
        assert_eq!((r.ns_per_op, r.acquisitions_min), (20.0, 20));
        assert_eq!(r.ns_per_op_runs, vec![30.0, 10.0, 20.0]);
    }
}

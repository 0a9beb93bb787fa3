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

use crate::error::{Error, Result, check_interrupt};
use crate::experiment::bounds::Bound;
use crate::experiment::children::Children;
use crate::experiment::layout;
use crate::lock::{ChildLock, Exclusion, Lock, LockKind, increment_atomically};
use crate::region::{Backend, Region, RegionRequest};
use crate::report::model::BenchRecord;

/// Contending processes in one measurement.
pub const PROCS: Bound = Bound::new("procs", 1, 4096);
/// Protected increments per process.
pub const OPS: Bound = Bound::new("ops", 1, 1_000_000_000);
pub const DEFAULT_OPS: u64 = 200_000;
/// Repeats per measurement; the median is reported.
pub const REPEATS: Bound = Bound::new("repeats", 1, 1000);
pub const DEFAULT_REPEATS: u32 = 5;

#[derive(Debug, Clone)]
pub struct BenchPlan {
    pub locks: Vec<LockKind>,
    pub procs: Vec<u32>,
    pub ops: u64,
    pub repeats: u32,
}

/// How long the processes may take to start and report ready.
const READY_DEADLINE: Duration = Duration::from_secs(10);

impl BenchPlan {
    /// The bounds every front end shares (see `bounds`); the error names the field.
    pub fn check(&self) -> std::result::Result<(), String> {
        if self.locks.is_empty() {
            return Err("field `locks` is empty".into());
        }
        if self.procs.is_empty() {
            return Err("field `procs` is empty".into());
        }
        for &procs in &self.procs {
            PROCS.check(u64::from(procs))?;
        }
        OPS.check(self.ops)?;
        REPEATS.check(u64::from(self.repeats))
    }
}

pub fn run(plan: &BenchPlan, mut on_record: impl FnMut(&BenchRecord)) -> Result<Vec<BenchRecord>> {
    plan.check().map_err(Error::usage)?;
    let most = plan.procs.iter().copied().max().unwrap_or(1);
    crate::experiment::racing::check_process_count(u64::from(most))?;
    let mut records = Vec::new();
    for &kind in &plan.locks {
        for &procs in &plan.procs {
            let mut runs = Vec::new();
            for _ in 0..plan.repeats {
                check_interrupt()?;
                runs.push(measure(kind, procs, plan.ops)?);
            }
            let record = summarize(kind, procs, plan, runs);
            on_record(&record);
            records.push(record);
        }
    }
    Ok(records)
}

struct Measurement {
    ns_per_op: f64,
    acquisitions: (u64, u64),
    exact: bool,
}

fn summarize(lock: LockKind, procs: u32, plan: &BenchPlan, mut runs: Vec<Measurement>) -> BenchRecord {
    let ns_per_op_runs: Vec<f64> = runs.iter().map(|m| (m.ns_per_op * 10.0).round() / 10.0).collect();
    let exact = runs.iter().all(|m| m.exact);
    runs.sort_by(|a, b| a.ns_per_op.total_cmp(&b.ns_per_op));
    let median = &runs[(runs.len() - 1) / 2];
    BenchRecord {
        lock,
        procs,
        ops: plan.ops,
        repeats: plan.repeats,
        ns_per_op: (median.ns_per_op * 10.0).round() / 10.0,
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
    let mut children = Children::new();
    for slot in 0..procs as usize {
        children.spawn(|| hammer_in_child(&region, &lock, ops, slot))?;
    }
    let ready_by = Instant::now() + READY_DEADLINE;
    while words[layout::READY].load(Ordering::SeqCst) < u64::from(procs) {
        check_interrupt()?;
        if Instant::now() > ready_by || children.any_ended() {
            return Err(Error::failed(format!(
                "bench {kind} with {procs} process(es): a process died or did not start within 10 s; nothing was measured"
            )));
        }
        std::thread::sleep(Duration::from_micros(100));
    }
    let started = Instant::now();
    words[layout::GO].store(1, Ordering::SeqCst);
    // Generous: 1 ms per operation (a hundred times a slow lock), at least 5 minutes.
    let operations = u32::try_from(u64::from(procs).saturating_mul(ops)).unwrap_or(u32::MAX);
    let timeout = Duration::from_secs(300).max(Duration::from_millis(1).saturating_mul(operations));
    let reaped = children.wait_all(timeout)?;
    let elapsed = started.elapsed();
    if reaped.timed_out > 0 {
        return Err(Error::failed(format!(
            "bench {kind} with {procs} process(es) did not finish within {} s; use a smaller --ops",
            timeout.as_secs()
        )));
    }
    if let Some(ended) = reaped.failed.first() {
        return Err(Error::failed(format!("bench {kind} with {procs} process(es): a process ended with {ended}")));
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

fn hammer_in_child(region: &Region, lock: &Lock, ops: u64, slot: usize) -> i32 {
    let Ok(view) = region.open_in_child() else { return 3 };
    let Ok(guard) = lock.open_in_child(&view) else { return 4 };
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
    let Some(while_contended) = result else { return 4 };
    words[layout::SLOTS + slot].store(while_contended, Ordering::SeqCst);
    0
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
/// was still running, or `None` if a lock call failed.
/// Operations between two looks at the "first done" word: the inner loop
/// stays as bare as a C loop, with no test in it.
const CHUNK: u64 = 64;

#[inline(never)]
fn hammer<L: Exclusion>(lock: &mut L, shared: Shared<'_>, ops: u64) -> Option<u64> {
    let mut share = None;
    let mut done = 0;
    while done < ops {
        let chunk = CHUNK.min(ops - done);
        for _ in 0..chunk {
            lock.enter().ok()?;
            let seen = shared.counter.load(Ordering::Relaxed);
            shared.counter.store(seen + 1, Ordering::Relaxed);
            lock.leave().ok()?;
        }
        done += chunk;
        shared.note(done, &mut share);
    }
    Some(shared.finish(ops, share))
}

#[inline(never)]
fn hammer_atomic(shared: Shared<'_>, ops: u64) -> Option<u64> {
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
    Some(shared.finish(ops, share))
}

/// The default process counts: 1 and the number of CPUs.
pub fn default_procs() -> Vec<u32> {
    let cpus = std::thread::available_parallelism().map(|n| n.get() as u32).unwrap_or(1);
    if cpus > 1 { vec![1, cpus] } else { vec![1] }
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

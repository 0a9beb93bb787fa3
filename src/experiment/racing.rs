//! The racing lab: N forked children each do an unprotected
//! read–sleep–write on one counter in shared memory, as the article's
//! `racing_mmap` and `racing_xsi_shm` programs do, and the final value shows
//! how many updates were lost.
//!
//! The parent stays lean before it forks (a small region, nothing big
//! allocated) so that the cost of a trial is the kernel's fork/exit, not ours.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::error::{Error, Result, check_interrupt};
use crate::experiment::children::Children;
use crate::region::{Backend, Region, RegionRequest, XsiKey};
use crate::report::model::RacingRecord;
use crate::sys::process;

/// Bytes of shared memory each racing region gets: one page.
pub const REGION_BYTES: usize = 4096;

/// Exit status of a child that could not reach the shared memory.
const CHILD_CANNOT_ATTACH: i32 = 3;

/// A validated racing run.
#[derive(Debug, Clone)]
pub struct RacingPlan {
    pub backends: Vec<Backend>,
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
        let per_section = delay + Duration::from_micros(200);
        Duration::from_secs(10) + per_section * children.saturating_mul(iterations).saturating_mul(2)
    }

    /// Checks what clap cannot: that the system allows this many processes.
    pub fn check_limits(&self) -> Result<()> {
        let children = u64::from(self.children);
        let pid_max = read_number("/proc/sys/kernel/pid_max");
        let threads_max = read_number("/proc/sys/kernel/threads-max");
        let nproc = process::process_limit();
        let limits =
            [("kernel.pid_max", pid_max), ("kernel.threads-max", threads_max), ("RLIMIT_NPROC (ulimit -u)", nproc)];
        for (name, limit) in limits {
            if let Some(limit) = limit
                && children >= limit
            {
                return Err(Error::usage(format!(
                    "--children {children} is more than the system allows ({name} is {limit}); use fewer children"
                )));
            }
        }
        Ok(())
    }
}

fn read_number(path: &str) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// Runs every backend in turn; `on_record` sees each record when it is done.
pub fn run(plan: &RacingPlan, mut on_record: impl FnMut(&RacingRecord)) -> Result<Vec<RacingRecord>> {
    plan.check_limits()?;
    let mut records = Vec::new();
    for &backend in &plan.backends {
        let delay_us = plan.delay.as_micros() as u64;
        let mut record = RacingRecord::new(backend, "none", plan.children, plan.iterations, delay_us);
        for _ in 0..plan.trials {
            check_interrupt()?;
            let trial = run_trial(backend, plan)?;
            record.push_trial(trial.final_value, trial.wall_ms, trial.failed_children);
        }
        on_record(&record);
        records.push(record);
    }
    Ok(records)
}

struct Trial {
    final_value: u64,
    wall_ms: f64,
    failed_children: u32,
}

fn run_trial(backend: Backend, plan: &RacingPlan) -> Result<Trial> {
    let request = RegionRequest::small(REGION_BYTES, plan.xsi_key.clone());
    let region = Region::create(backend, &request)?;
    let mut children = Children::new();
    let started = Instant::now();
    for i in 0..plan.children {
        if i % 64 == 63 {
            check_interrupt()?;
        }
        children.spawn(|| race(&region, plan.iterations, plan.delay))?;
    }
    let reaped = children.wait_all(plan.timeout)?;
    let wall_ms = started.elapsed().as_secs_f64() * 1e3;
    let final_value = region.counter().load(Ordering::SeqCst);
    let failed = reaped.failed.len() + reaped.timed_out;
    Ok(Trial { final_value, wall_ms, failed_children: failed as u32 })
}

/// A child's work: the article's critical section, `iterations` times.
fn race(region: &Region, iterations: u32, delay: Duration) -> i32 {
    let Ok(view) = region.open_in_child() else { return CHILD_CANNOT_ATTACH };
    let counter = &view.words()[0];
    for _ in 0..iterations {
        let seen = counter.load(Ordering::Relaxed);
        process::sleep(delay);
        counter.store(seen + 1, Ordering::Relaxed);
    }
    0
}

/// A one-line summary of children that did not exit cleanly, if any.
pub fn failures(records: &[RacingRecord]) -> Option<String> {
    let failed: u32 = records.iter().flat_map(|r| r.failed_children.iter()).sum();
    (failed > 0).then(|| {
        format!("{failed} child(ren) did not exit cleanly (crashed, killed, or still running at the --timeout and killed); their updates are missing from the finals")
    })
}

//! The racing lab: N forked children each do a read–sleep–write on one
//! counter in shared memory, as the article's `racing_mmap` and
//! `racing_xsi_shm` programs do, and the final value shows how many updates
//! were lost. With `--lock`, the same critical section is protected, and
//! every correct protection must end exactly at `children × iterations`.
//!
//! The parent stays lean before it forks (one page of shared memory, nothing
//! big allocated) so that the cost of a trial is the kernel's fork/exit.
//!
//! `--trace` makes every child record its read and its write (time, value,
//! CPU) in its own slot of the shared region (`trace_slots`), and the
//! record explains each final value from them (`crate::model::account`).
//! `--schedule` replays a chosen interleaving step by step instead
//! (`schedule`, `replay`); `--sweep` repeats the run over values of one
//! parameter.

use std::path::PathBuf;
use std::sync::atomic::{Ordering, fence};
use std::time::{Duration, Instant};

use clap::ValueEnum;
use serde::{Deserialize, Serialize};

use super::params::{Choice, any, choice_parser, default_key_path, default_proj_id, seconds, xsi_key};
use super::{Events, Lab};
use crate::error::{Param, Result, check_interrupt};
use crate::experiment::bounds::Bound;
use crate::experiment::children::Children;
use crate::experiment::layout;
use crate::experiment::schedule::Schedule;
use crate::experiment::trace_slots::{self, TraceSlots};
use crate::kernel::machine::Machine;
use crate::lock::{Exclusion, Lock, LockKind, increment_atomically};
use crate::model::{RacingRecord, TrialTrace, account};
use crate::region::{Backend, Region, RegionRequest, XsiKey};
use crate::sys::{Errno, clock, process};

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
/// Traced trials per backend and lock (`--trace-trials`).
pub const TRACE_TRIALS: Bound = Bound::new("trace_trials", 1, u32::MAX as u64);
/// PR_SET_TIMERSLACK in each child, ns (the kernel reads 0 as "default").
pub const TIMER_SLACK: Bound = Bound::new("timer_slack", 1, u32::MAX as u64);

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

    /// Record every child's read and write (time, value, CPU) and explain the final value from them
    #[arg(long)]
    #[serde(default)]
    pub trace: bool,

    /// With --trace: trace only the first N trials of each backend [default: all]
    #[arg(long, value_name = "N", requires = "trace")]
    #[serde(default)]
    pub trace_trials: Option<u32>,

    /// Timer slack each child sets before the race (PR_SET_TIMERSLACK), in ns [default: inherited, 50000]
    #[arg(long, value_name = "NS")]
    #[serde(default)]
    pub timer_slack: Option<u64>,

    /// Replay an interleaving: steps such as "A.read B.read A.write B.write", or lost-one, serial, lost-two, late-write, locked
    #[arg(long, value_name = "STEPS", conflicts_with_all = ["children", "iterations", "trace", "sweep", "timer_slack"])]
    #[serde(default)]
    pub schedule: Option<String>,

    /// Repeat the run for each value of one parameter: delay-us=0,1,10,100,1000 (also timer-slack=, children=)
    #[arg(long, value_name = "PARAM=V1,V2,...")]
    #[serde(default)]
    pub sweep: Option<String>,

    /// Show every trial's final, lost and wall time, not only their summary
    #[arg(long)]
    #[serde(skip)]
    pub long: bool,
}

/// One setting of the parameters a sweep can vary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    pub children: u32,
    pub delay: Duration,
    pub timer_slack: Option<u64>,
}

/// Reads `--sweep PARAM=V1,V2,...` into the points it asks for.
fn sweep_points(spec: &str, base: Point) -> Result<Vec<Point>> {
    let bad = |why: &str| {
        crate::error::Error::usage(crate::tr!("racing-sweep-bad", param = Param("sweep"), spec = spec, why = why))
    };
    let (name, values) = spec.split_once('=').ok_or_else(|| bad(&crate::tr!("racing-sweep-no-equals")))?;
    let values: Vec<u64> = values
        .split(',')
        .map(|v| v.trim().parse::<u64>())
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| bad(&crate::tr!("racing-sweep-not-number")))?;
    if values.is_empty() || values.len() > 20 {
        return Err(bad(&crate::tr!("racing-sweep-count")));
    }
    values
        .iter()
        .map(|&v| {
            Ok(match name.trim().replace('_', "-").as_str() {
                "delay-us" => {
                    DELAY_US.check(v)?;
                    Point { delay: Duration::from_micros(v), ..base }
                }
                "timer-slack" => {
                    TIMER_SLACK.check(v)?;
                    Point { timer_slack: Some(v), ..base }
                }
                "children" => {
                    CHILDREN.check(v)?;
                    Point { children: v as u32, ..base }
                }
                _ => return Err(bad(&crate::tr!("racing-sweep-unknown"))),
            })
        })
        .collect()
}

/// A validated racing run.
#[derive(Debug, Clone)]
pub struct RacingPlan {
    pub backends: Vec<Backend>,
    pub locks: Vec<LockKind>,
    /// The settings to run, in order: one, or one per value of a sweep.
    pub points: Vec<Point>,
    pub trials: u32,
    pub iterations: u32,
    /// Trials traced per backend and lock (0: none).
    pub traced_trials: u32,
    /// A replayed interleaving instead of a free race.
    pub schedule: Option<Schedule>,
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
        if let Some(ns) = p.timer_slack {
            TIMER_SLACK.check(ns)?;
        }
        let base = Point { children: p.children, delay: Duration::from_micros(p.delay_us), timer_slack: p.timer_slack };
        let points = match &p.sweep {
            Some(spec) => sweep_points(spec, base)?,
            None => vec![base],
        };
        let most = points.iter().map(|pt| pt.children).max().unwrap_or(p.children);
        super::bounds::process_count(machine, u64::from(most), "children")?;
        let backends = Choice::expand(&p.backends, Backend::value_variants(), &[Backend::Mmap]);
        let schedule = p.schedule.as_deref().map(Schedule::parse).transpose()?;
        if schedule.is_some() {
            // The command line refuses these through clap; a suite gets here.
            let clash = [
                (p.trace, "trace"),
                (p.sweep.is_some(), "sweep"),
                (p.timer_slack.is_some(), "timer_slack"),
                (p.children != DEFAULT_CHILDREN, "children"),
                (p.iterations != DEFAULT_ITERATIONS, "iterations"),
            ];
            if let Some((_, name)) = clash.iter().find(|(given, _)| *given) {
                return Err(crate::error::Error::usage(crate::tr!(
                    "racing-schedule-clash",
                    schedule = Param("schedule"),
                    param = Param(name)
                )));
            }
        }
        let default_lock = match &schedule {
            Some(s) if s.uses_lock() => LockKind::Mutex,
            _ => LockKind::None,
        };
        let locks = Choice::expand(&p.locks, LockKind::value_variants(), &[default_lock]);
        if let Some(s) = &schedule {
            super::replay::check_locks(s, &locks)?;
        }
        if p.trace_trials.is_some() && !p.trace {
            return Err(crate::error::Error::usage(crate::tr!(
                "racing-trace-trials-alone",
                trace_trials = Param("trace_trials"),
                trace = Param("trace")
            )));
        }
        let traced_trials = match (p.trace, p.trace_trials) {
            (false, _) => 0,
            (true, None) => p.trials,
            (true, Some(n)) => {
                TRACE_TRIALS.check(u64::from(n))?;
                n.min(p.trials)
            }
        };
        if traced_trials > 0 {
            let sections = u64::from(most) * u64::from(p.iterations);
            if sections > trace_slots::MAX_SECTIONS {
                return Err(crate::error::Error::usage(crate::tr!(
                    "racing-trace-too-many",
                    trace = Param("trace"),
                    sections = sections,
                    children = Param("children"),
                    iterations = Param("iterations"),
                    most = trace_slots::MAX_SECTIONS
                )));
            }
        }
        let xsi_key =
            if backends.contains(&Backend::Xsi) { xsi_key(&p.key_path, p.proj_id)? } else { XsiKey::default() };
        let longest = points.iter().map(|pt| pt.delay).max().unwrap_or_default();
        let timeout = match p.timeout {
            Some(s) => seconds("timeout", s, false)?,
            None => RacingPlan::default_timeout(most, p.iterations, longest),
        };
        Ok(RacingPlan {
            backends,
            locks,
            points,
            trials: p.trials,
            iterations: p.iterations,
            traced_trials,
            schedule,
            xsi_key,
            timeout,
        })
    }

    /// Runs every setting × backend × lock in turn.
    fn run(plan: &RacingPlan, events: &mut dyn Events) -> Result<Vec<RacingRecord>> {
        let mut records = Vec::new();
        for point in &plan.points {
            for &backend in &plan.backends {
                for &lock in &plan.locks {
                    let record = match &plan.schedule {
                        Some(schedule) => super::replay::run(schedule, backend, lock, plan)?,
                        None => run_point(point, backend, lock, plan)?,
                    };
                    events.finished(&record.clone().into());
                    records.push(record);
                }
            }
        }
        Ok(records)
    }

    fn failure(records: &[RacingRecord]) -> Option<String> {
        problems(records)
    }
}

/// Every trial of one setting, backend and lock.
fn run_point(point: &Point, backend: Backend, lock: LockKind, plan: &RacingPlan) -> Result<RacingRecord> {
    let delay_us = point.delay.as_micros() as u64;
    let mut record = RacingRecord::new(backend, lock, point.children, plan.iterations, delay_us);
    record.timer_slack_ns = point.timer_slack;
    for t in 0..plan.trials {
        check_interrupt()?;
        let trial = run_trial(backend, lock, point, plan, t < plan.traced_trials)?;
        record.push_trial(trial.final_value, trial.wall_ms, trial.failed_children);
        if let Some(trace) = trial.trace {
            record.trace.get_or_insert_with(Vec::new).push(trace);
        }
    }
    Ok(record)
}

struct Trial {
    final_value: u64,
    wall_ms: f64,
    failed_children: u32,
    trace: Option<TrialTrace>,
}

/// What a child needs to know about its trial.
struct Race<'a> {
    region: &'a Region,
    lock: &'a Lock,
    iterations: u32,
    delay: Duration,
    timer_slack: Option<u64>,
    traced: bool,
}

fn run_trial(backend: Backend, kind: LockKind, point: &Point, plan: &RacingPlan, traced: bool) -> Result<Trial> {
    // Declaration order is drop order reversed: children are reaped first,
    // then the lock's objects go, then the region.
    let bytes = if traced {
        trace_slots::region_bytes(point.children as usize * plan.iterations as usize)
    } else {
        layout::region_bytes(0)
    };
    let request = RegionRequest::small(bytes, plan.xsi_key.clone());
    let region = Region::create(backend, &request)?;
    if traced {
        // Touch every page now, so that no child's first write to its slot
        // has to allocate one (and the children's timing stays their own).
        region.mapping().words().iter().step_by(512).for_each(|w| w.store(0, Ordering::Relaxed));
    }
    let lock = Lock::prepare(kind, region.mapping(), layout::LOCK_OFFSET)?;
    let race = Race {
        region: &region,
        lock: &lock,
        iterations: plan.iterations,
        delay: point.delay,
        timer_slack: point.timer_slack,
        traced,
    };
    let slots = TraceSlots::new(region.mapping().words(), plan.iterations);
    let mut children = Children::counted_by("children");
    let t0 = clock::monotonic_ns();
    let started = Instant::now();
    for i in 0..point.children {
        if i % 64 == 63 {
            check_interrupt()?;
        }
        if traced {
            slots.forking(i, clock::monotonic_ns());
        }
        children.spawn(|| race_in_child(&race, i).into())?;
    }
    let reaped = children.wait_all(plan.timeout)?;
    let wall_ms = started.elapsed().as_secs_f64() * 1e3;
    let final_value = region.counter().load(Ordering::SeqCst);
    let failed = reaped.failed.len() + reaped.timed_out;
    let trace = traced.then(|| {
        let mut entries = slots.collect(point.children, t0);
        account(&mut entries, final_value);
        TrialTrace { entries }
    });
    Ok(Trial { final_value, wall_ms, failed_children: failed as u32, trace })
}

/// A child's work: the article's critical section, `iterations` times,
/// inside the lock (if any); traced, it also writes down when it read and
/// wrote and what.
fn race_in_child(race: &Race, child: u32) -> std::result::Result<(), Errno> {
    let view = race.region.open_in_child()?;
    let slots = race.traced.then(|| TraceSlots::new(view.words(), race.iterations));
    if let Some(slots) = &slots {
        slots.started(child, clock::monotonic_ns());
    }
    if let Some(ns) = race.timer_slack {
        process::set_timer_slack(ns)?;
    }
    let mut guard = race.lock.open_in_child(&view)?;
    let counter = &view.words()[layout::COUNTER];
    for k in 0..race.iterations {
        if race.lock.kind() == LockKind::Atomic {
            process::sleep(race.delay);
            // The read and the write are one instruction: its times are
            // taken on either side of it, each across a full fence.
            let before = slots.as_ref().map(|_| clock::monotonic_ns());
            fence(Ordering::SeqCst);
            let seen = increment_atomically(counter);
            fence(Ordering::SeqCst);
            if let (Some(slots), Some(before)) = (&slots, before) {
                slots.section(child, k, (before, seen), (clock::monotonic_ns(), seen + 1), cpu());
            }
            continue;
        }
        guard.enter()?;
        match &slots {
            None => {
                let seen = counter.load(Ordering::Relaxed);
                process::sleep(race.delay);
                counter.store(seen + 1, Ordering::Relaxed);
            }
            Some(slots) => {
                // The read's time is taken after the load and the write's
                // before the store, each across a full fence, so that a
                // write that a read saw always has the earlier time.
                let seen = counter.load(Ordering::SeqCst);
                fence(Ordering::SeqCst);
                let read_ns = clock::monotonic_ns();
                let read_cpu = cpu();
                process::sleep(race.delay);
                let write_ns = clock::monotonic_ns();
                fence(Ordering::SeqCst);
                counter.store(seen + 1, Ordering::SeqCst);
                slots.section(child, k, (read_ns, seen), (write_ns, seen + 1), read_cpu);
            }
        }
        guard.leave()?;
    }
    Ok(())
}

fn cpu() -> u32 {
    process::current_cpu().map_or(u32::MAX - 1, |c| c as u32)
}

/// Problems that make the run a failure: children that did not exit
/// cleanly, and a correct lock that lost updates anyway.
pub fn problems(records: &[RacingRecord]) -> Option<String> {
    let mut found = Vec::new();
    let failed: u32 = records.iter().flat_map(|r| r.failed_children.iter()).sum();
    if failed > 0 {
        found.push(crate::tr!("racing-children-failed", failed = failed, timeout = Param("timeout")));
    }
    for r in records.iter().filter(|r| r.lock.protects()) {
        if r.finals.iter().any(|f| *f != r.expected) && r.failed_children.iter().all(|f| *f == 0) {
            found.push(crate::tr!(
                "racing-lock-lost",
                lock = r.lock,
                backend = r.backend,
                finals = format!("{:?}", r.finals),
                expected = r.expected
            ));
        }
    }
    (!found.is_empty()).then(|| found.join(&crate::i18n::t("clause-gap")))
}

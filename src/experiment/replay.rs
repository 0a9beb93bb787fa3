//! Runs a `--schedule` for real: 2–4 forked children whose steps are
//! released one at a time, in exactly the order written.
//!
//! Each child has its own turn word in the shared region and sleeps on it
//! (futex) before each of its steps; the parent hands out the turns. A
//! step that should run at once is waited for until the child reports it
//! done. A lock step that should wait (the lock is held) is waited for
//! until the child is seen asleep in the kernel inside the lock call; then
//! the next step goes out, and the waiting step finishes by itself when the
//! holder unlocks. So the order is the schedule's, the values each read
//! and write really saw are recorded, and the result can be compared with
//! what `schedule` predicted.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::children::Children;
use super::racing::RacingPlan;
use super::schedule::{Action, Schedule, letter};
use crate::error::{Error, Param, Result, check_interrupt};
use crate::experiment::layout;
use crate::lock::{Exclusion, Lock, LockKind};
use crate::model::{RacingRecord, ScheduleRun, ScheduledStep};
use crate::region::{Backend, Region, RegionRequest};
use crate::sys::{Errno, Pid, futex};

/// Words of a child's control line: its turn, the step it began, the step
/// it finished.
const TURN: usize = 0;
const BEGUN: usize = 1;
const DONE: usize = 2;
/// Word index of child `c`'s control line (one cache line each).
fn control(c: u8) -> usize {
    layout::SLOTS + usize::from(c) * 8
}
/// Word index of what step `n` (from 1) read or wrote.
fn value_word(n: usize) -> usize {
    layout::SLOTS + 32 + n
}
/// The most steps a schedule may have (one word each after the controls).
pub const MAX_STEPS: usize = 64;

/// How long one step may take before the replay gives up.
const STEP_LIMIT: Duration = Duration::from_secs(5);

/// Refuses a lock that cannot take part in `schedule`: lock steps need a
/// lock that can be held and that excludes.
pub fn check_locks(schedule: &Schedule, locks: &[LockKind]) -> Result<()> {
    if schedule.steps.len() > MAX_STEPS {
        return Err(Error::usage(crate::tr!(
            "replay-too-many-steps",
            param = Param("schedule"),
            steps = schedule.steps.len(),
            most = MAX_STEPS
        )));
    }
    if !schedule.uses_lock() {
        return Ok(());
    }
    match locks.iter().find(|l| !l.can_be_held() || !l.protects()) {
        Some(bad) => Err(Error::usage(crate::tr!(
            "replay-lock-cannot-hold",
            schedule = Param("schedule"),
            lock = Param("lock"),
            bad = bad
        ))),
        None => Ok(()),
    }
}

/// Replays `schedule` `plan.trials` times on `backend` with `lock`.
pub fn run(schedule: &Schedule, backend: Backend, lock: LockKind, plan: &RacingPlan) -> Result<RacingRecord> {
    let mut record = RacingRecord::new(backend, lock, u32::from(schedule.children), 1, 0);
    record.expected = schedule.writes();
    let mut steps: Vec<ScheduledStep> = schedule
        .steps
        .iter()
        .zip(&schedule.outcomes)
        .map(|(step, o)| ScheduledStep {
            step: step.to_string(),
            predicted: o.value,
            waits_until: o.waits_until,
            erases: o.erases.clone(),
            measured: Vec::new(),
            waited: Vec::new(),
        })
        .collect();
    for _ in 0..plan.trials {
        check_interrupt()?;
        let started = Instant::now();
        let (final_value, measured, waited) = replay_once(schedule, backend, lock, plan)?;
        record.push_trial(final_value, started.elapsed().as_secs_f64() * 1e3, 0);
        for (i, s) in steps.iter_mut().enumerate() {
            s.measured.push(measured[i]);
            s.waited.push(waited[i]);
        }
    }
    record.schedule = Some(ScheduleRun {
        text: schedule.text.clone(),
        name: schedule.name.map(str::to_string),
        predicted_final: schedule.predicted_final,
        steps,
    });
    Ok(record)
}

type Observed = (u64, Vec<Option<u64>>, Vec<bool>);

fn replay_once(schedule: &Schedule, backend: Backend, kind: LockKind, plan: &RacingPlan) -> Result<Observed> {
    let bytes = layout::region_bytes(32 + MAX_STEPS + 1);
    let region = Region::create(backend, &RegionRequest::small(bytes, plan.xsi_key.clone()))?;
    let lock = Lock::prepare(kind, region.mapping(), layout::LOCK_OFFSET)?;
    let words = region.mapping().words();
    let mut children = Children::new();
    let mut pids: Vec<Pid> = Vec::new();
    for c in 0..schedule.children {
        let mine: Vec<(usize, Action)> =
            schedule.steps.iter().enumerate().filter(|(_, s)| s.child == c).map(|(i, s)| (i + 1, s.action)).collect();
        let (region, lock) = (&region, &lock);
        pids.push(children.spawn(move || follow_turns(region, lock, c, &mine).into())?);
    }
    let mut waited = vec![false; schedule.steps.len()];
    for (i, step) in schedule.steps.iter().enumerate() {
        let n = i + 1;
        let line = control(step.child);
        words[line + TURN].store(n as u64, Ordering::SeqCst);
        futex::wake(&words[line + TURN]).map_err(|e| Error::sys("futex", &crate::tr!("replay-turn-word"), e, ""))?;
        let who = letter(step.child);
        if schedule.outcomes[i].waits_until.is_some() {
            // It should block in the lock: wait until it has begun the step
            // and sleeps in the kernel (or, against the prediction, is done).
            let pid = pids[usize::from(step.child)];
            let blocked = || {
                words[line + DONE].load(Ordering::SeqCst) == n as u64
                    || (words[line + BEGUN].load(Ordering::SeqCst) == n as u64
                        && crate::kernel::process_state(pid) == Some('S'))
            };
            await_step(pid, &crate::tr!("replay-await-ask", who = who, n = n), blocked)?;
            waited[i] = words[line + DONE].load(Ordering::SeqCst) != n as u64;
        } else {
            let done = || words[line + DONE].load(Ordering::SeqCst) == n as u64;
            await_step(pids[usize::from(step.child)], &crate::tr!("replay-await-step", n = n, step = step), done)?;
        }
        // An unlock lets the waiting child through: let it finish taking
        // the lock before the next step, so that the order stays written.
        if let Some(at) = schedule.outcomes.iter().position(|o| o.waits_until == Some(n)) {
            let waiter = control(schedule.steps[at].child);
            let through = || words[waiter + DONE].load(Ordering::SeqCst) >= (at + 1) as u64;
            let pid = pids[usize::from(schedule.steps[at].child)];
            await_step(pid, &crate::tr!("replay-await-through", step = at + 1, n = n), through)?;
        }
    }
    let reaped = children.wait_all(STEP_LIMIT)?;
    if reaped.succeeded != usize::from(schedule.children) {
        let how: Vec<String> = reaped.failed.iter().map(|e| e.to_string()).collect();
        return Err(Error::failed(crate::tr!("replay-child-failed", how = how.join(&crate::i18n::t("clause-gap")))));
    }
    let measured = (1..=schedule.steps.len())
        .map(|n| match schedule.steps[n - 1].action {
            Action::Read | Action::Write => Some(words[value_word(n)].load(Ordering::SeqCst)),
            Action::Lock | Action::Unlock => None,
        })
        .collect();
    Ok((region.counter().load(Ordering::SeqCst), measured, waited))
}

/// Waits (polling every 20 µs) until `reached()`, failing when `child`,
/// whose step it is, ends first or the step takes longer than [`STEP_LIMIT`].
fn await_step(child: Pid, what: &str, mut reached: impl FnMut() -> bool) -> Result<()> {
    let limit = Instant::now() + STEP_LIMIT;
    loop {
        if reached() {
            return Ok(());
        }
        check_interrupt()?;
        if matches!(crate::kernel::process_state(child), None | Some('Z')) && !reached() {
            return Err(Error::failed(crate::tr!("replay-child-ended", what = what)));
        }
        if Instant::now() > limit {
            return Err(Error::failed(crate::tr!("replay-stuck", seconds = STEP_LIMIT.as_secs(), what = what)));
        }
        std::thread::sleep(Duration::from_micros(20));
    }
}

/// A child's side: for each of its steps, sleep until it is this step's
/// turn, do it, say so.
fn follow_turns(region: &Region, lock: &Lock, c: u8, mine: &[(usize, Action)]) -> std::result::Result<(), Errno> {
    let view = region.open_in_child()?;
    let mut guard = lock.open_in_child(&view)?;
    let words = view.words();
    let line = control(c);
    let counter = &words[layout::COUNTER];
    let mut seen = 0;
    for &(n, action) in mine {
        wait_for_turn(&words[line + TURN], n as u64)?;
        words[line + BEGUN].store(n as u64, Ordering::SeqCst);
        match action {
            Action::Read => {
                seen = counter.load(Ordering::SeqCst);
                words[value_word(n)].store(seen, Ordering::SeqCst);
            }
            Action::Write => {
                counter.store(seen + 1, Ordering::SeqCst);
                words[value_word(n)].store(seen + 1, Ordering::SeqCst);
            }
            Action::Lock => {
                guard.enter()?;
            }
            Action::Unlock => guard.leave()?,
        }
        words[line + DONE].store(n as u64, Ordering::SeqCst);
    }
    Ok(())
}

fn wait_for_turn(turn: &AtomicU64, n: u64) -> std::result::Result<(), Errno> {
    loop {
        let now = turn.load(Ordering::SeqCst);
        if now == n {
            return Ok(());
        }
        futex::wait(turn, now as u32)?;
    }
}

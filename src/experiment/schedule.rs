//! `racing --schedule`: an interleaving written out step by step, checked
//! and predicted before anything runs.
//!
//! The syntax is the one OSTEP's `x86.py -P` made familiar, with names:
//! children are letters A–D, and each step is `A.read`, `A.write`, and with
//! a lock `A.lock`, `A.unlock`: `"A.read B.read A.write B.write"`. A read
//! takes the counter's value, a write stores what that child read plus one
//! (the article's critical section, cut at the sleep). This module
//! parses a schedule, refuses one that cannot run as written (a write
//! before a read, a deadlock, more than four children), and predicts, step
//! by step, what each read sees, what each write stores, which write
//! erases which update, and which lock step has to wait. `crate::experiment::replay`
//! then runs it for real and compares.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Param, Result};

/// The most children a schedule may name (A, B, C, D).
pub const MAX_CHILDREN: u8 = 4;

/// Named schedules, for `--schedule NAME`: (name, steps, what it shows).
pub const EXAMPLES: [(&str, &str, &str); 5] = [
    ("lost-one", "A.read B.read A.write B.write", "both read 0 before either writes: one update is lost"),
    ("serial", "A.read A.write B.read B.write", "one after the other: nothing is lost"),
    ("lost-two", "A.read B.read C.read A.write B.write C.write", "three read 0 together: two updates are lost"),
    ("late-write", "A.read B.read B.write C.read C.write A.write", "A's late write erases B's and C's updates"),
    (
        "locked",
        "A.lock B.lock A.read A.write A.unlock B.read B.write B.unlock",
        "B asks for the lock while A holds it and waits until A unlocks",
    ),
];

/// What one step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Read,
    Write,
    Lock,
    Unlock,
}

impl Action {
    fn parse(word: &str) -> Option<Self> {
        match word {
            "read" => Some(Action::Read),
            "write" => Some(Action::Write),
            "lock" => Some(Action::Lock),
            "unlock" => Some(Action::Unlock),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Write => "write",
            Action::Lock => "lock",
            Action::Unlock => "unlock",
        }
    }
}

/// One step: which child, doing what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// 0 for A, 1 for B ...
    pub child: u8,
    pub action: Action,
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", letter(self.child), self.action.name())
    }
}

/// A child's letter.
pub fn letter(child: u8) -> char {
    char::from(b'A' + child)
}

/// What a step is predicted to do.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// The value a read sees or a write stores (`None` for lock steps).
    pub value: Option<u64>,
    /// A lock step that cannot take the lock at once: the number (from 1)
    /// of the unlock step that lets it through.
    pub waits_until: Option<usize>,
    /// The steps (numbers from 1) whose updates this write erases.
    pub erases: Vec<usize>,
}

/// A checked schedule and what it will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// The steps as written (a named example is expanded).
    pub text: String,
    /// The example's name, when one was used.
    pub name: Option<&'static str>,
    pub steps: Vec<Step>,
    pub children: u8,
    pub outcomes: Vec<Outcome>,
    pub predicted_final: u64,
}

impl Schedule {
    /// Whether any step takes or releases the lock.
    pub fn uses_lock(&self) -> bool {
        self.steps.iter().any(|s| matches!(s.action, Action::Lock | Action::Unlock))
    }

    /// Writes the schedule makes: the final value if nothing were lost.
    pub fn writes(&self) -> u64 {
        self.steps.iter().filter(|s| s.action == Action::Write).count() as u64
    }

    /// Parses `given` (a named example or steps), checks it can run as
    /// written, and predicts every step.
    pub fn parse(given: &str) -> Result<Self> {
        let trimmed = given.trim();
        let (name, text) = match EXAMPLES.iter().find(|(n, _, _)| *n == trimmed) {
            Some((n, steps, _)) => (Some(*n), steps.to_string()),
            None => (None, trimmed.split_whitespace().collect::<Vec<_>>().join(" ")),
        };
        let steps = text.split([' ', ',']).filter(|w| !w.is_empty()).map(parse_step).collect::<Result<Vec<_>>>()?;
        if steps.is_empty() {
            return Err(refused(crate::tr!("schedule-empty", names = names())));
        }
        let children = steps.iter().map(|s| s.child).max().unwrap_or(0) + 1;
        if let Some(missing) = (0..children).find(|c| !steps.iter().any(|s| s.child == *c)) {
            return Err(refused(crate::tr!(
                "schedule-missing-child",
                last = letter(children - 1),
                missing = letter(missing)
            )));
        }
        let (outcomes, predicted_final) = predict(&steps)?;
        Ok(Self { text, name, steps, children, outcomes, predicted_final })
    }
}

fn names() -> String {
    EXAMPLES.iter().map(|(n, _, _)| *n).collect::<Vec<_>>().join(", ")
}

fn refused(why: String) -> Error {
    Error::usage(crate::tr!("schedule-refused", param = Param("schedule"), why = why))
}

fn parse_step(word: &str) -> Result<Step> {
    let bad = || refused(crate::tr!("schedule-not-a-step", word = word, names = names()));
    let (who, what) = word.split_once('.').ok_or_else(bad)?;
    let action = Action::parse(&what.to_ascii_lowercase()).ok_or_else(bad)?;
    let mut chars = who.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else { return Err(bad()) };
    let c = c.to_ascii_uppercase();
    if !c.is_ascii_uppercase() {
        return Err(bad());
    }
    let child = c as u8 - b'A';
    if child >= MAX_CHILDREN {
        return Err(refused(crate::tr!("schedule-too-many-children", word = word, most = MAX_CHILDREN)));
    }
    Ok(Step { child, action })
}

/// Runs the schedule on paper: the value of every read and write, which
/// writes erase which updates, which lock steps wait, and the final value;
/// or the reason it cannot run as written.
fn predict(steps: &[Step]) -> Result<(Vec<Outcome>, u64)> {
    let mut counter = 0u64;
    let mut seen: [Option<(u64, usize)>; MAX_CHILDREN as usize] = [None; MAX_CHILDREN as usize];
    let mut holder: Option<u8> = None;
    let mut waiting: Option<(u8, usize)> = None;
    let mut outcomes = vec![Outcome::default(); steps.len()];
    for (i, step) in steps.iter().enumerate() {
        let n = i + 1;
        let who = letter(step.child);
        if let Some((w, at)) = waiting
            && w == step.child
        {
            let h = holder.map_or('?', letter);
            return Err(refused(crate::tr!(
                "schedule-step-while-waiting",
                n = n,
                step = step,
                who = who,
                at = at + 1,
                holder = h
            )));
        }
        let slot = &mut seen[step.child as usize];
        match step.action {
            Action::Read => {
                if let Some((_, at)) = slot {
                    return Err(refused(crate::tr!("schedule-read-twice", who = who, first = *at + 1, n = n)));
                }
                *slot = Some((counter, i));
                outcomes[i].value = Some(counter);
            }
            Action::Write => {
                let Some((read, read_at)) = slot.take() else {
                    return Err(refused(crate::tr!("schedule-write-before-read", who = who, n = n)));
                };
                // Every write since this child's read is erased, unless it
                // was this child's own.
                outcomes[i].erases = (read_at + 1..i)
                    .filter(|&j| steps[j].action == Action::Write && steps[j].child != step.child)
                    .map(|j| j + 1)
                    .collect();
                counter = read + 1;
                outcomes[i].value = Some(counter);
            }
            Action::Lock => match holder {
                None => holder = Some(step.child),
                Some(h) if h == step.child => {
                    return Err(refused(crate::tr!("schedule-lock-twice", who = who, n = n)));
                }
                Some(h) => {
                    if let Some((w, _)) = waiting {
                        return Err(refused(crate::tr!(
                            "schedule-two-waiters",
                            who = who,
                            n = n,
                            waiter = letter(w),
                            holder = letter(h)
                        )));
                    }
                    waiting = Some((step.child, i));
                }
            },
            Action::Unlock => {
                if holder != Some(step.child) {
                    return Err(refused(crate::tr!("schedule-unlock-not-held", who = who, n = n)));
                }
                holder = None;
                if let Some((w, at)) = waiting.take() {
                    holder = Some(w);
                    outcomes[at].waits_until = Some(n);
                }
            }
        }
    }
    if let Some((w, at)) = waiting {
        return Err(refused(crate::tr!(
            "schedule-never-unlocked",
            waiter = letter(w),
            at = at + 1,
            holder = holder.map_or('?', letter)
        )));
    }
    if let Some(h) = holder {
        return Err(refused(crate::tr!("schedule-ends-held", holder = letter(h))));
    }
    if let Some((c, (_, at))) = seen.iter().enumerate().find_map(|(c, s)| s.map(|s| (c, s))) {
        let who = letter(c as u8);
        return Err(refused(crate::tr!("schedule-never-writes", who = who, at = at + 1)));
    }
    // A write erases the updates written after its read only if they were
    // not erased already: keep the first eraser of each.
    let mut erased = vec![false; steps.len()];
    for o in outcomes.iter_mut() {
        o.erases.retain(|&s| !std::mem::replace(&mut erased[s - 1], true));
    }
    Ok((outcomes, counter))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_parses_and_predicts_what_it_says() {
        let finals: Vec<(&str, u64, u64)> = EXAMPLES
            .iter()
            .map(|(n, _, _)| {
                let s = Schedule::parse(n).unwrap();
                (*n, s.predicted_final, s.writes())
            })
            .collect();
        assert_eq!(
            finals,
            vec![("lost-one", 1, 2), ("serial", 2, 2), ("lost-two", 1, 3), ("late-write", 1, 3), ("locked", 2, 2)]
        );
    }

    #[test]
    fn the_lost_update_is_charged_to_the_step_that_erased_it() {
        let s = Schedule::parse("A.read B.read A.write B.write").unwrap();
        assert_eq!(s.outcomes[2].erases, Vec::<usize>::new());
        assert_eq!(s.outcomes[3].erases, vec![3]);
        let late = Schedule::parse("late-write").unwrap();
        assert_eq!(late.outcomes[5].erases, vec![3, 5]);
        let locked = Schedule::parse("locked").unwrap();
        assert_eq!(locked.outcomes[1].waits_until, Some(5));
    }

    #[test]
    fn schedules_that_cannot_run_are_refused_with_the_reason() {
        for (bad, why) in [
            ("A.write A.read", "before it read"),
            ("A.read E.read A.write E.write", "at most 4"),
            ("A.read A.jump", "not a step"),
            ("A.read C.read A.write C.write", "gives B no step"),
            ("A.lock B.lock B.read B.write B.unlock A.unlock", "deadlocks"),
            ("A.lock B.lock A.read A.write", "deadlocks"),
            ("A.lock A.lock", "deadlocks"),
            ("A.lock B.lock C.lock A.unlock B.unlock C.unlock", "two waiters"),
            ("A.read", "never write"),
            ("A.unlock", "does not hold"),
            ("", "empty"),
        ] {
            let e = Schedule::parse(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad}");
            assert!(e.message.contains(why), "{bad}: {}", e.message);
        }
    }
}

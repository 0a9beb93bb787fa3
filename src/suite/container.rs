//! Verdicts on the container lab's observations: each claim names one
//! observation (`dev-shm-size/touch`) and what it must show. Pure functions
//! of the records, like every verdict.

use super::spec::Expectation;
use super::verdict::{skipped, verdict, verdict_with};
use crate::model::{AnyRecord, ContainerRecord, Status, Verdict};
use crate::tr;

/// What a `container-shows` rule asks of an observation.
pub struct Shown<'a> {
    pub signal: &'a Option<String>,
    pub errno: &'a Option<String>,
    pub exists: Option<bool>,
    pub reached_pct: Option<f64>,
}

/// What a `container-charged` rule asks of a cgroup-charge observation.
pub struct Charged<'a> {
    pub group: &'a str,
    pub min_pct: Option<f64>,
    pub max_pct: Option<f64>,
    pub oom_kills: Option<u64>,
}

/// The observation `step/id` among the records, or the verdict to give
/// instead: skipped with the step's reason, or differs when it is missing.
fn find<'a>(
    run: &str,
    e: &Expectation,
    records: &'a [AnyRecord],
    path: &str,
) -> Result<&'a ContainerRecord, Box<Verdict>> {
    let ours: Vec<&ContainerRecord> =
        records.iter().filter_map(|r| if let AnyRecord::Container(x) = r { Some(x) } else { None }).collect();
    let step = path.split('/').next().unwrap_or_default();
    if let Some(why) = ours.iter().find(|r| r.step.name() == step).and_then(|r| r.skipped.as_ref()) {
        return Err(Box::new(skipped(run, e, why)));
    }
    ours.into_iter()
        .find(|r| r.path() == path)
        .ok_or_else(|| Box::new(verdict(run, e, "-".into(), false, tr!("verdict-no-observation", path = path))))
}

/// `none` for nothing, else the name.
fn matches(wanted: &Option<String>, got: &Option<String>) -> bool {
    match wanted.as_deref() {
        None => true,
        Some("none") => got.is_none(),
        Some(name) => got.as_deref() == Some(name),
    }
}

pub fn shows(run: &str, e: &Expectation, records: &[AnyRecord], path: &str, wanted: &Shown) -> Verdict {
    let r = match find(run, e, records, path) {
        Ok(r) => r,
        Err(v) => return *v,
    };
    let reached_pct = match (r.reached, r.size) {
        (Some(reached), Some(size)) if size > 0 => Some(reached as f64 * 100.0 / size as f64),
        _ => None,
    };
    let reached_ok = wanted.reached_pct.is_none_or(|want| reached_pct.is_some_and(|got| (got - want).abs() <= 1.0));
    // An observation that could not see whether the object is there (a
    // machine-wide counter moved by other programs) cannot be judged.
    if wanted.exists.is_some() && r.exists.is_none() {
        return verdict_with(run, e, r.kernel_shows.clone(), Status::Inconclusive, r.lesson.clone());
    }
    let ok = matches(wanted.signal, &r.signal)
        && matches(wanted.errno, &r.errno)
        && wanted.exists.is_none_or(|want| r.exists == Some(want))
        && reached_ok;
    verdict(run, e, r.kernel_shows.clone(), ok, r.lesson.clone())
}

pub fn charged(run: &str, e: &Expectation, records: &[AnyRecord], path: &str, wanted: &Charged) -> Verdict {
    let r = match find(run, e, records, path) {
        Ok(r) => r,
        Err(v) => return *v,
    };
    let (Some(charge), Some(size)) = (r.charge, r.size.filter(|s| *s > 0)) else {
        return verdict(run, e, "-".into(), false, tr!("verdict-no-charge", path = path));
    };
    let shmem = if wanted.group == "b" { charge.b_shmem } else { charge.a_shmem };
    let pct = shmem as f64 * 100.0 / size as f64;
    let ok = wanted.min_pct.is_none_or(|m| pct >= m)
        && wanted.max_pct.is_none_or(|m| pct <= m)
        && wanted.oom_kills.is_none_or(|m| charge.a_oom_kills >= m);
    let ours = tr!(
        "verdict-charged-ours",
        group = wanted.group.to_uppercase(),
        shmem = crate::size::human(shmem),
        pct = format!("{pct:.0}"),
        size = crate::size::human(size),
        kills = match charge.a_oom_kills {
            0 => crate::i18n::t("verdict-no-oom-kill"),
            1 => crate::i18n::t("verdict-one-oom-kill"),
            n => tr!("verdict-oom-kills", n = n),
        }
    );
    verdict(run, e, ours, ok, r.lesson.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Charge, ContainerStep};
    use crate::suite::spec::Rule;

    fn expectation() -> Expectation {
        Expectation {
            claim: "c".into(),
            claim_zh: String::new(),
            article: String::new(),
            article_zh: String::new(),
            rule: Rule::ShmFasterThanPipe,
        }
    }

    fn touch(signal: Option<&str>, reached: u64) -> AnyRecord {
        ContainerRecord::new(ContainerStep::DevShmSize, "touch", "container", "root", "-", "shown", "lesson")
            .with(|r| {
                r.signal = signal.map(str::to_string);
                r.reached = Some(reached);
                r.size = Some(128 << 20);
            })
            .into()
    }

    #[test]
    fn a_signal_and_where_it_came_are_both_checked() {
        let sigbus = Some("SIGBUS".to_string());
        let want = Shown { signal: &sigbus, errno: &None, exists: None, reached_pct: Some(50.0) };
        let judge = |r: AnyRecord| shows("x", &expectation(), &[r], "dev-shm-size/touch", &want).status;
        assert_eq!(judge(touch(Some("SIGBUS"), 64 << 20)), Status::Reproduced);
        assert_eq!(judge(touch(Some("SIGBUS"), 100 << 20)), Status::Differs);
        assert_eq!(judge(touch(None, 128 << 20)), Status::Differs);
        let none = Some("none".to_string());
        let clean = Shown { signal: &none, errno: &None, exists: None, reached_pct: None };
        assert_eq!(
            shows("x", &expectation(), &[touch(None, 128 << 20)], "dev-shm-size/touch", &clean).status,
            Status::Reproduced
        );
        // A missing observation is no evidence.
        assert_eq!(shows("x", &expectation(), &[touch(None, 0)], "dev-shm-size/xsi", &clean).status, Status::Differs);
    }

    #[test]
    fn an_unseen_outcome_is_inconclusive_not_a_pass_or_a_failure() {
        let r: AnyRecord = ContainerRecord::new(
            ContainerStep::IpcNamespace,
            "last-process-exits",
            "namespace A",
            "root",
            "-",
            "-",
            "-",
        )
        .into();
        let want = Shown { signal: &None, errno: &None, exists: Some(false), reached_pct: None };
        let v = shows("x", &expectation(), &[r], "ipc-namespace/last-process-exits", &want);
        assert_eq!(v.status, Status::Inconclusive);
    }

    #[test]
    fn a_skipped_step_skips_its_claims() {
        let r: AnyRecord = ContainerRecord::skipped(ContainerStep::CgroupCharge, "needs root".into()).into();
        let want = Charged { group: "a", min_pct: Some(90.0), max_pct: None, oom_kills: None };
        let v = charged("x", &expectation(), &[r], "cgroup-charge/touched", &want);
        assert_eq!(v.status, Status::Skipped);
        assert_eq!(v.note, "needs root");
    }

    #[test]
    fn charges_are_judged_as_a_share_of_the_object() {
        let record = |a_shmem: u64, b_shmem: u64, oom: u64| -> AnyRecord {
            ContainerRecord::new(ContainerStep::CgroupCharge, "touched", "cgroup A", "root", "-", "-", "-")
                .with(|r| {
                    r.size = Some(64 << 20);
                    r.charge =
                        Some(Charge { a_charged: a_shmem, a_shmem, b_charged: b_shmem, b_shmem, a_oom_kills: oom })
                })
                .into()
        };
        let at_least = Charged { group: "a", min_pct: Some(90.0), max_pct: None, oom_kills: None };
        let judge = |r: AnyRecord, w: &Charged| charged("x", &expectation(), &[r], "cgroup-charge/touched", w).status;
        assert_eq!(judge(record(64 << 20, 0, 0), &at_least), Status::Reproduced);
        assert_eq!(judge(record(32 << 20, 0, 0), &at_least), Status::Differs);
        let b_free = Charged { group: "b", min_pct: None, max_pct: Some(10.0), oom_kills: None };
        assert_eq!(judge(record(64 << 20, 1 << 20, 0), &b_free), Status::Reproduced);
        assert_eq!(judge(record(64 << 20, 64 << 20, 0), &b_free), Status::Differs);
        let killed = Charged { group: "a", min_pct: None, max_pct: None, oom_kills: Some(1) };
        assert_eq!(judge(record(0, 0, 0), &killed), Status::Differs);
        assert_eq!(judge(record(0, 0, 1), &killed), Status::Reproduced);
    }
}

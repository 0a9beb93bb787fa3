//! Verdicts: does a run's records reproduce the article's claim?
//!
//! Pure functions of the records (no I/O), so they are unit-tested on
//! recorded inputs. Each verdict carries our figure in words and, where
//! today's kernel or procps differs from the article's, a one-line note.

use super::spec::{Expectation, Rule};
use crate::i18n::t;
use crate::lock::LockKind;
use crate::model::{AnyRecord, CrashVerdict, Phase, RacingRecord, Status, Verdict, min_median_max};
use crate::tr;

/// Between the parts of a verdict's figure (`; ` in English, `；` in Chinese).
fn gap() -> String {
    t("clause-gap")
}

/// The claim and the article's figure of `e` in the language shmlab speaks.
fn texts(e: &Expectation) -> (String, String) {
    let lang = crate::i18n::current();
    (e.claim_in(lang).to_string(), e.article_in(lang).to_string())
}

pub(super) fn verdict(run: &str, e: &Expectation, ours: String, ok: bool, note: String) -> Verdict {
    verdict_with(run, e, ours, if ok { Status::Reproduced } else { Status::Differs }, note)
}

pub(super) fn verdict_with(run: &str, e: &Expectation, ours: String, status: Status, note: String) -> Verdict {
    let (claim, article) = texts(e);
    Verdict { run: run.to_string(), claim, article, ours, status, note }
}

/// A verdict for a claim whose run could not run.
pub fn skipped(run: &str, e: &Expectation, why: &str) -> Verdict {
    verdict_with(run, e, "-".to_string(), Status::Skipped, why.to_string())
}

/// A verdict for a claim whose run failed: no evidence is not a pass.
pub fn failed(run: &str, e: &Expectation, why: &str) -> Verdict {
    verdict_with(run, e, "-".to_string(), Status::Differs, tr!("verdict-run-failed", why = why))
}

/// Judges one expectation against the records of its run.
pub fn judge(run: &str, e: &Expectation, records: &[AnyRecord]) -> Verdict {
    let racing: Vec<&RacingRecord> =
        records.iter().filter_map(|r| if let AnyRecord::Racing(x) = r { Some(x) } else { None }).collect();
    match &e.rule {
        Rule::UnprotectedLosesUpdates => unprotected_loses(run, e, &racing),
        Rule::ProtectedIsExact => protected_exact(run, e, &racing),
        Rule::ShmemGrowsBySize { tolerance_pct } => shmem_grows(run, e, records, *tolerance_pct),
        Rule::FreeSharedGrowsUsedFlat { tolerance_pct } => shared_grows_used_flat(run, e, records, *tolerance_pct),
        Rule::HugePagesConsumedBySize => huge_consumed(run, e, records),
        Rule::HugePagesNotInShared { tolerance_mib } => huge_not_shared(run, e, records, *tolerance_mib),
        Rule::LimitsAllow => limits_allow(run, e, records),
        Rule::CrashOutcomesAsDocumented => crash_outcomes(run, e, records),
        Rule::FutexCheaperThanSyscalls { factor } => futex_cheaper(run, e, records, *factor),
        Rule::ShmFasterThanPipe => shm_faster_than_pipe(run, e, records),
        Rule::ShmDescriptorPollable => descriptor_pollable(run, e, records),
        Rule::HugePagesReadFaster { min_ratio } => super::tlb::huge_pages_read_faster(run, e, records, *min_ratio),
        Rule::ContainerShows { observation, signal, errno, exists, reached_pct } => {
            let wanted = super::container::Shown { signal, errno, exists: *exists, reached_pct: *reached_pct };
            super::container::shows(run, e, records, observation, &wanted)
        }
        Rule::ContainerCharged { observation, group, min_pct, max_pct, oom_kills } => {
            let wanted =
                super::container::Charged { group, min_pct: *min_pct, max_pct: *max_pct, oom_kills: *oom_kills };
            super::container::charged(run, e, records, observation, &wanted)
        }
    }
}

fn shm_faster_than_pipe(run: &str, e: &Expectation, records: &[AnyRecord]) -> Verdict {
    use crate::ipc::{Transport, Wake};
    use crate::model::IpcMode;
    let ipc: Vec<_> =
        records.iter().filter_map(|r| if let AnyRecord::BenchIpc(x) = r { Some(x) } else { None }).collect();
    let best = |pick: &dyn Fn(&&crate::model::IpcRecord) -> bool,
                value: &dyn Fn(&crate::model::IpcRecord) -> Option<f64>| {
        ipc.iter()
            .filter(|r| r.skipped.is_none() && pick(r))
            .filter_map(|r| value(r))
            .fold(None, |acc: Option<f64>, v| Some(acc.map_or(v, |a| a.max(v))))
    };
    let thr = |r: &crate::model::IpcRecord| r.bytes_per_s;
    let lat = |r: &crate::model::IpcRecord| r.one_way_ns.map(|s| -s.median);
    let at = |size: u64, mode: IpcMode| move |r: &&crate::model::IpcRecord| r.size == size && r.mode == mode;
    let shm_thr = best(&|r| at(64 << 10, IpcMode::Throughput)(r) && r.transport == Transport::Shm, &thr);
    let pipe_thr = best(&|r| at(64 << 10, IpcMode::Throughput)(r) && r.transport == Transport::Pipe, &thr);
    let spin_lat = best(&|r| at(64, IpcMode::Latency)(r) && r.wake == Some(Wake::Spin), &lat).map(|v| -v);
    let pipe_lat = best(&|r| at(64, IpcMode::Latency)(r) && r.transport == Transport::Pipe, &lat).map(|v| -v);
    let (Some(st), Some(pt), Some(sl), Some(pl)) = (shm_thr, pipe_thr, spin_lat, pipe_lat) else {
        return none_found(run, e, &t("verdict-what-ipc"));
    };
    let gib = |b: f64| b / f64::from(1u32 << 30);
    let ours = tr!(
        "verdict-ipc-ours",
        shm = format!("{:.2}", gib(st)),
        pipe = format!("{:.2}", gib(pt)),
        spin_ns = format!("{sl:.0}"),
        pipe_ns = format!("{pl:.0}"),
    );
    let ok = st > pt && sl < pl;
    let note = if ok { t("verdict-ipc-note") } else { t("verdict-ipc-lost") };
    verdict(run, e, ours, ok, note)
}

fn descriptor_pollable(run: &str, e: &Expectation, records: &[AnyRecord]) -> Verdict {
    let steps: Vec<_> =
        records.iter().filter_map(|r| if let AnyRecord::Posix(x) = r { Some(x) } else { None }).collect();
    let find = |id: &str| steps.iter().find(|s| s.step == id);
    let (Some(poll), Some(epoll)) = (find("poll"), find("epoll")) else {
        return none_found(run, e, &t("verdict-what-posix"));
    };
    let epoll_ok = epoll.errno.is_none();
    let ours = tr!(
        "verdict-posix-ours",
        poll = poll.kernel_shows,
        epoll = epoll.errno.as_deref().map_or(t("verdict-epoll-accepted"), |e| tr!("verdict-epoll-failed", errno = e))
    );
    let note = if epoll_ok { t("verdict-posix-note-ok") } else { t("verdict-posix-note") };
    verdict(run, e, ours, epoll_ok, note)
}

fn none_found(run: &str, e: &Expectation, what: &str) -> Verdict {
    verdict(run, e, "-".into(), false, tr!("verdict-none-found", what = what))
}

fn unprotected_loses(run: &str, e: &Expectation, racing: &[&RacingRecord]) -> Verdict {
    let unprotected: Vec<_> = racing.iter().filter(|r| !r.protected).collect();
    if unprotected.is_empty() {
        return none_found(run, e, &t("verdict-what-unprotected"));
    }
    let mut parts = Vec::new();
    let mut ok = true;
    for r in &unprotected {
        let (lo, med, hi) = min_median_max(&r.finals).unwrap_or_default();
        let losing = r.lost.iter().filter(|l| **l > 0).count();
        ok &= med.0 < r.expected as f64;
        let label = if r.lock == LockKind::None { r.backend.to_string() } else { format!("{}/{}", r.backend, r.lock) };
        parts.push(tr!(
            "verdict-race-ours",
            label = label,
            lo = lo,
            hi = hi,
            median = med,
            expected = r.expected,
            losing = losing,
            trials = r.finals.len()
        ));
    }
    let note = if ok { t("verdict-race-note") } else { t("verdict-race-no-loss") };
    verdict(run, e, parts.join(&gap()), ok, note)
}

fn protected_exact(run: &str, e: &Expectation, racing: &[&RacingRecord]) -> Verdict {
    let protected: Vec<_> = racing.iter().filter(|r| r.protected).collect();
    if protected.is_empty() {
        return none_found(run, e, &t("verdict-what-protected"));
    }
    let wrong: Vec<String> = protected
        .iter()
        .filter(|r| r.finals.iter().any(|f| *f != r.expected))
        .map(|r| format!("{}/{} {:?}", r.backend, r.lock, r.finals))
        .collect();
    let trials: usize = protected.iter().map(|r| r.finals.len()).sum();
    if wrong.is_empty() {
        verdict(run, e, tr!("verdict-protected-ours", pairs = protected.len(), trials = trials), true, String::new())
    } else {
        verdict(run, e, tr!("verdict-protected-lost", which = wrong.join(", ")), false, t("verdict-protected-bug"))
    }
}

fn memory_records(records: &[AnyRecord]) -> Vec<&crate::model::MemoryRecord> {
    records.iter().filter_map(|r| if let AnyRecord::Memory(m) = r { Some(m) } else { None }).collect()
}

fn phase(r: &crate::model::MemoryRecord, name: Phase) -> Option<&crate::model::MemoryPhase> {
    r.phases.iter().find(|p| p.name == name)
}

fn within(value: i64, target: i64, pct: f64) -> bool {
    (value - target).abs() as f64 <= target.abs() as f64 * pct / 100.0
}

/// MiB for people, rounded as the tables round it.
fn mib(kib: i64) -> i64 {
    (kib as f64 / 1024.0).round() as i64
}

/// How one memory record stands against a claim about a machine-wide
/// counter: the object's own pages decide whether the claim holds; the
/// machine-wide figure only confirms it (other processes move it too).
enum Judged {
    Holds,
    /// The object is right, the machine-wide figure moved for other reasons.
    Noisy(String),
    Fails,
}

fn combine(judged: &[Judged]) -> (Status, String) {
    if judged.iter().any(|j| matches!(j, Judged::Fails)) {
        return (Status::Differs, String::new());
    }
    let noise: Vec<&str> =
        judged.iter().filter_map(|j| if let Judged::Noisy(n) = j { Some(n.as_str()) } else { None }).collect();
    if noise.is_empty() {
        (Status::Reproduced, String::new())
    } else {
        (Status::Inconclusive, tr!("verdict-rerun-quiet", noise = noise.join(&gap())))
    }
}

/// The object's own growth, if the record has it (records before schema 1's
/// `object_kib` do not).
fn own_pages(r: &crate::model::MemoryRecord) -> Option<i64> {
    r.phases.iter().any(|p| p.object_kib != 0).then(|| phase(r, Phase::Touched).map_or(0, |p| p.object_kib))
}

fn shmem_grows(run: &str, e: &Expectation, records: &[AnyRecord], pct: f64) -> Verdict {
    let mem = memory_records(records);
    if mem.is_empty() {
        return none_found(run, e, &t("verdict-what-memory"));
    }
    let mut judged = Vec::new();
    let mut parts = Vec::new();
    for r in mem {
        let size_kib = (r.size_bytes / 1024) as i64;
        let shmem = phase(r, Phase::Touched).map_or(0, |p| p.counters.shmem);
        let own = own_pages(r);
        judged.push(match own {
            Some(own) if !within(own, size_kib, pct) => Judged::Fails,
            Some(own) if !within(shmem, size_kib, pct) => Judged::Noisy(tr!(
                "verdict-shmem-noisy",
                backend = r.backend,
                moved = format!("{:+}", mib(shmem - own)),
                own = mib(own)
            )),
            None if !within(shmem, size_kib, pct) => Judged::Fails,
            _ => Judged::Holds,
        });
        parts.push(match own {
            Some(o) => tr!(
                "verdict-shmem-ours-own",
                backend = r.backend,
                shmem = format!("{:+}", mib(shmem)),
                size = mib(size_kib),
                own = format!("{:+}", mib(o))
            ),
            None => tr!(
                "verdict-shmem-ours",
                backend = r.backend,
                shmem = format!("{:+}", mib(shmem)),
                size = mib(size_kib)
            ),
        });
    }
    let (status, note) = combine(&judged);
    verdict_with(run, e, parts.join(&gap()), status, note)
}

fn shared_grows_used_flat(run: &str, e: &Expectation, records: &[AnyRecord], pct: f64) -> Verdict {
    let mem = memory_records(records);
    if mem.is_empty() {
        return none_found(run, e, &t("verdict-what-memory"));
    }
    let mut judged = Vec::new();
    let mut parts = Vec::new();
    let mut today_used = Vec::new();
    for r in mem {
        let size_kib = (r.size_bytes / 1024) as i64;
        let Some(t) = phase(r, Phase::Touched) else { continue };
        let shared_ok = within(t.free.shared, size_kib, pct);
        let flat = (t.free.used_procps3.abs() as f64) <= size_kib as f64 * pct / 100.0;
        let own = own_pages(r);
        judged.push(match own {
            Some(own) if !within(own, size_kib, pct) => Judged::Fails,
            Some(_) if shared_ok && flat => Judged::Holds,
            Some(_) => Judged::Noisy(tr!(
                "verdict-used-noisy",
                backend = r.backend,
                memfree = format!("{:+}", mib(t.free.free + size_kib)),
                used = format!("{:+}", mib(t.free.used_procps3))
            )),
            None if shared_ok && flat => Judged::Holds,
            None => Judged::Fails,
        });
        parts.push(tr!(
            "verdict-free-ours",
            backend = r.backend,
            shared = format!("{:+}", mib(t.free.shared)),
            cache = format!("{:+}", mib(t.free.buff_cache)),
            used = format!("{:+}", mib(t.free.used_procps3))
        ));
        today_used.push(format!("{:+} MiB", mib(t.free.used)));
    }
    let (status, noise) = combine(&judged);
    let mut note = tr!("verdict-free-note", used = today_used.join(" / "));
    if !noise.is_empty() {
        note = tr!("verdict-noise-then", noise = noise, note = note);
    }
    verdict_with(run, e, parts.join(&gap()), status, note)
}

fn huge_consumed(run: &str, e: &Expectation, records: &[AnyRecord]) -> Verdict {
    let mem: Vec<_> = memory_records(records).into_iter().filter(|r| r.huge.0.is_some()).collect();
    if mem.is_empty() {
        return none_found(run, e, &t("verdict-what-huge"));
    }
    let mut ok = true;
    let mut parts = Vec::new();
    for r in mem {
        let page: u64 = r.huge.page_bytes().unwrap_or(2 << 20);
        let pages = r.size_bytes.div_ceil(page) as i64;
        let rsvd = phase(r, Phase::Created).map_or(0, |p| p.counters.hugepages_rsvd);
        let free = phase(r, Phase::Touched).map_or(0, |p| p.counters.hugepages_free);
        ok &= rsvd == pages && free == -pages;
        parts.push(tr!(
            "verdict-huge-ours",
            backend = r.backend,
            rsvd = format!("{rsvd:+}"),
            free = format!("{free:+}"),
            pages = pages
        ));
    }
    verdict(run, e, parts.join(&gap()), ok, t("verdict-huge-note"))
}

fn huge_not_shared(run: &str, e: &Expectation, records: &[AnyRecord], tolerance_mib: i64) -> Verdict {
    let mem: Vec<_> = memory_records(records).into_iter().filter(|r| r.huge.0.is_some()).collect();
    if mem.is_empty() {
        return none_found(run, e, &t("verdict-what-huge"));
    }
    let mut ok = true;
    let mut parts = Vec::new();
    let mut note = String::new();
    for r in mem {
        let shared = phase(r, Phase::Touched).map_or(0, |p| p.free.shared / 1024);
        ok &= shared.abs() <= tolerance_mib;
        parts.push(tr!("verdict-huge-shared-ours", backend = r.backend, shared = format!("{shared:+}")));
        if let Some(pool) = &r.pool_reservation {
            note = tr!("verdict-pool-note", pages = pool.pages_added, used = format!("{:+}", pool.free.used / 1024));
        }
    }
    verdict(run, e, parts.join(&gap()), ok, note)
}

fn limits_allow(run: &str, e: &Expectation, records: &[AnyRecord]) -> Verdict {
    let Some(l) = records.iter().find_map(|r| if let AnyRecord::Limits(l) = r { Some(l) } else { None }) else {
        return none_found(run, e, &t("verdict-what-limits"));
    };
    let Some(check) = &l.check else {
        return verdict(run, e, t("verdict-limits-unchecked"), false, t("verdict-limits-add-check"));
    };
    let ours = tr!(
        "verdict-limits-ours",
        shmmax = l.limits.shmmax,
        shmall = l.limits.shmall_pages,
        shmmni = l.limits.shmmni,
        answer = if check.fits { t("verdict-limits-fits") } else { t("verdict-limits-blocked") }
    );
    let note = if check.fits { t("verdict-limits-note") } else { check.explanation.clone() };
    verdict(run, e, ours, check.fits, note)
}

/// What the kernel does when a holder of `lock` dies.
pub fn documented_crash_verdict(lock: LockKind) -> Option<CrashVerdict> {
    Some(match lock {
        LockKind::Flock | LockKind::Fcntl | LockKind::Ofd => CrashVerdict::Recovered,
        LockKind::SysvSem => CrashVerdict::Undone,
        LockKind::Mutex => CrashVerdict::OwnerDeadRepaired,
        LockKind::PosixSem | LockKind::NamedSem | LockKind::MutexNonrobust => CrashVerdict::Stuck,
        LockKind::FlockInherited => CrashVerdict::NoExclusion,
        LockKind::None | LockKind::Atomic => return None,
    })
}

fn crash_outcomes(run: &str, e: &Expectation, records: &[AnyRecord]) -> Verdict {
    let crashes: Vec<_> =
        records.iter().filter_map(|r| if let AnyRecord::Crash(c) = r { Some(c) } else { None }).collect();
    if crashes.is_empty() {
        return none_found(run, e, &t("verdict-what-crash"));
    }
    let ok = crashes.iter().all(|c| documented_crash_verdict(c.lock) == Some(c.verdict));
    let ours = crashes
        .iter()
        .map(|c| tr!("verdict-crash-lock", lock = c.lock, verdict = t(&format!("crash-verdict-{}", c.verdict.name()))))
        .collect::<Vec<_>>()
        .join(&t("list-gap"));
    verdict(run, e, ours, ok, String::new())
}

fn futex_cheaper(run: &str, e: &Expectation, records: &[AnyRecord], factor: f64) -> Verdict {
    let single: Vec<_> = records
        .iter()
        .filter_map(|r| if let AnyRecord::BenchLocks(b) = r { Some(b) } else { None })
        .filter(|b| b.procs == 1)
        .collect();
    let futex = [LockKind::Atomic, LockKind::Mutex, LockKind::MutexNonrobust, LockKind::PosixSem, LockKind::NamedSem];
    let syscall = [LockKind::Flock, LockKind::Fcntl, LockKind::Ofd, LockKind::SysvSem];
    let slowest_futex =
        single.iter().filter(|b| futex.contains(&b.lock)).max_by(|a, b| a.ns_per_op.total_cmp(&b.ns_per_op));
    let fastest_syscall =
        single.iter().filter(|b| syscall.contains(&b.lock)).min_by(|a, b| a.ns_per_op.total_cmp(&b.ns_per_op));
    match (slowest_futex, fastest_syscall) {
        (Some(f), Some(s)) => {
            let ratio = s.ns_per_op / f.ns_per_op;
            let ours = tr!(
                "verdict-futex-ours",
                futex = f.lock,
                futex_ns = format!("{:.1}", f.ns_per_op),
                syscall = s.lock,
                syscall_ns = format!("{:.1}", s.ns_per_op),
                ratio = format!("{ratio:.0}")
            );
            verdict(run, e, ours, ratio >= factor, String::new())
        }
        _ => none_found(run, e, &t("verdict-what-bench")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::Backend;

    fn expect(rule: Rule) -> Expectation {
        Expectation { claim: "c".into(), claim_zh: String::new(), article: "a".into(), article_zh: String::new(), rule }
    }

    fn racing(lock: LockKind, finals: &[u64]) -> AnyRecord {
        let mut r = RacingRecord::new(Backend::Mmap, lock, 100, 1, 1);
        for f in finals {
            r.push_trial(*f, 10.0, 0);
        }
        AnyRecord::Racing(r)
    }

    #[test]
    fn the_articles_racing_figures_reproduce() {
        // The article's own racing_mmap finals.
        let v = judge("r", &expect(Rule::UnprotectedLosesUpdates), &[racing(LockKind::None, &[20, 17, 14, 15])]);
        assert_eq!(v.status, Status::Reproduced, "{v:?}");
        assert!(v.ours.contains("median 16"), "{}", v.ours); // 15 and 17 in the middle
    }

    #[test]
    fn a_run_that_never_lost_differs() {
        let v = judge("r", &expect(Rule::UnprotectedLosesUpdates), &[racing(LockKind::None, &[100, 100, 99])]);
        assert_eq!(v.status, Status::Differs);
    }

    #[test]
    fn protected_runs_must_be_exact() {
        let exact = [racing(LockKind::Flock, &[100, 100]), racing(LockKind::None, &[12])];
        assert_eq!(judge("r", &expect(Rule::ProtectedIsExact), &exact).status, Status::Reproduced);
        let lossy = [racing(LockKind::SysvSem, &[100, 99])];
        assert_eq!(judge("r", &expect(Rule::ProtectedIsExact), &lossy).status, Status::Differs);
    }

    #[test]
    fn no_records_is_not_a_pass() {
        assert_eq!(judge("r", &expect(Rule::ShmemGrowsBySize { tolerance_pct: 2.0 }), &[]).status, Status::Differs);
    }

    #[test]
    fn documented_crash_outcomes() {
        assert_eq!(documented_crash_verdict(LockKind::PosixSem), Some(CrashVerdict::Stuck));
        assert_eq!(documented_crash_verdict(LockKind::Mutex), Some(CrashVerdict::OwnerDeadRepaired));
        assert_eq!(documented_crash_verdict(LockKind::Atomic), None);
    }

    /// The reference run's memory-4k records, as a run on a busy machine
    /// would have recorded them: the segments' own pages all there, the
    /// machine-wide counters moved by `shmem_noise` and `memfree_noise` KiB.
    fn busy_memory_run(own_kib: i64, shmem_noise: i64, memfree_noise: i64) -> Vec<AnyRecord> {
        use crate::model::SuiteDocument;
        let doc: SuiteDocument = serde_json::from_str(include_str!("../../results/reference/results.json")).unwrap();
        doc.records
            .iter()
            .filter(|r| r.run == "memory-4k")
            .map(|r| {
                let mut record = r.record.clone();
                if let AnyRecord::Memory(m) = &mut record {
                    for p in m.phases.iter_mut().filter(|p| p.name == Phase::Touched) {
                        p.object_kib = own_kib;
                        p.counters.shmem += shmem_noise;
                        p.free.free += memfree_noise;
                        p.free.used_procps3 -= memfree_noise;
                    }
                    if let Some(p) = m.phases.iter_mut().find(|p| p.name == Phase::Created) {
                        p.object_kib = 1; // the object was there (its record has the field)
                    }
                }
                record
            })
            .collect()
    }

    #[test]
    fn a_busy_machine_makes_a_memory_claim_inconclusive_not_different() {
        let size_kib = 2046 << 10;
        let shmem = expect(Rule::ShmemGrowsBySize { tolerance_pct: 2.0 });
        // Another process freed 42 MiB of shared memory while ours was touched.
        let v = judge("memory-4k", &shmem, &busy_memory_run(size_kib, -42 << 10, 0));
        assert_eq!(v.status, Status::Inconclusive, "{v:?}");
        assert!(v.note.contains("other processes") && v.note.contains("rerun on a quiet machine"), "{}", v.note);
        assert!(v.ours.contains("its own pages +2046 MiB"), "{}", v.ours);
        // The same noise, but the segment itself was short: that is a real difference.
        let v = judge("memory-4k", &shmem, &busy_memory_run(size_kib / 2, -42 << 10, 0));
        assert_eq!(v.status, Status::Differs, "{v:?}");
        // MemFree moved by 400 MiB on its own: the article's `used` cannot be judged.
        let flat = expect(Rule::FreeSharedGrowsUsedFlat { tolerance_pct: 5.0 });
        let v = judge("memory-4k", &flat, &busy_memory_run(size_kib, 0, 400 << 10));
        assert_eq!(v.status, Status::Inconclusive, "{v:?}");
        assert!(v.note.contains("MemFree moved"), "{}", v.note);
        // A quiet run of the same: reproduced.
        let v = judge("memory-4k", &shmem, &busy_memory_run(size_kib, 0, 0));
        assert_eq!(v.status, Status::Reproduced, "{v:?}");
    }

    /// The README's example verdict is the reference run's, word for word.
    #[test]
    fn the_readme_quotes_the_reference_run() {
        use crate::model::SuiteDocument;
        let doc: SuiteDocument = serde_json::from_str(include_str!("../../results/reference/results.json")).unwrap();
        let readme = include_str!("../../README.md");
        let racing = doc.verdicts.iter().find(|v| v.run == "racing-mmap").unwrap();
        assert!(readme.contains(&format!("ours:    {}\n", racing.ours)), "README quotes: {}", racing.ours);
    }

    #[test]
    fn the_reference_run_is_judged_as_it_was_recorded() {
        use crate::model::SuiteDocument;
        use crate::suite::spec::Suite;
        let doc: SuiteDocument = serde_json::from_str(include_str!("../../results/reference/results.json")).unwrap();
        let suite = Suite::parse(include_str!("../../experiments/article.json"), "article.json").unwrap();
        let mut judged = 0;
        for run in &suite.runs {
            let records: Vec<AnyRecord> =
                doc.records.iter().filter(|r| r.run == run.id).map(|r| r.record.clone()).collect();
            for e in &run.expect {
                let recorded = doc.verdicts.iter().find(|v| v.run == run.id && v.claim == e.claim).unwrap();
                assert_eq!(judge(&run.id, e, &records), *recorded, "{}", run.id);
                judged += 1;
            }
        }
        assert_eq!(judged, doc.verdicts.len());
        // Every claim reproduces, except the one that is wrong on Linux: a
        // POSIX shm descriptor does not work with epoll (EPERM).
        for v in &doc.verdicts {
            let expected = if v.run == "posix-descriptor" { Status::Differs } else { Status::Reproduced };
            assert_eq!(v.status, expected, "{}: {}", v.run, v.note);
        }
    }
}

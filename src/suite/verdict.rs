//! Verdicts: does a run's records reproduce the article's claim?
//!
//! Pure functions of the records (no I/O), so they are unit-tested on
//! recorded inputs. Each verdict carries our figure in words and, where
//! today's kernel or procps differs from the article's, a one-line note.

use super::spec::{Expectation, Rule};
use crate::lock::LockKind;
use crate::model::{AnyRecord, CrashVerdict, Phase, RacingRecord, Status, Verdict, min_median_max};

pub(super) fn verdict(run: &str, e: &Expectation, ours: String, ok: bool, note: String) -> Verdict {
    verdict_with(run, e, ours, if ok { Status::Reproduced } else { Status::Differs }, note)
}

pub(super) fn verdict_with(run: &str, e: &Expectation, ours: String, status: Status, note: String) -> Verdict {
    Verdict { run: run.to_string(), claim: e.claim.clone(), article: e.article.clone(), ours, status, note }
}

/// A verdict for a claim whose run could not run.
pub fn skipped(run: &str, e: &Expectation, why: &str) -> Verdict {
    Verdict {
        run: run.to_string(),
        claim: e.claim.clone(),
        article: e.article.clone(),
        ours: "-".to_string(),
        status: Status::Skipped,
        note: why.to_string(),
    }
}

/// A verdict for a claim whose run failed: no evidence is not a pass.
pub fn failed(run: &str, e: &Expectation, why: &str) -> Verdict {
    Verdict {
        run: run.to_string(),
        claim: e.claim.clone(),
        article: e.article.clone(),
        ours: "-".to_string(),
        status: Status::Differs,
        note: format!("the run failed: {why}"),
    }
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
        return none_found(
            run,
            e,
            "bench-ipc records at 64 B (latency, spin and pipe) and 64 KiB (throughput, shm and pipe)",
        );
    };
    let gib = |b: f64| b / f64::from(1u32 << 30);
    let ours = format!(
        "64 KiB: shm {:.2} GiB/s, pipe {:.2} GiB/s; 64 B one-way: shm/spin {sl:.0} ns, pipe {pl:.0} ns",
        gib(st),
        gib(pt)
    );
    let ok = st > pt && sl < pl;
    let note = if ok {
        "shared memory saves the two copies and the system calls; a sleeping reader still costs a wake-up (futex, eventfd)".into()
    } else {
        "shared memory did not win here: see the bench-ipc table (a busy machine hurts the spinning ring most)".into()
    };
    verdict(run, e, ours, ok, note)
}

fn descriptor_pollable(run: &str, e: &Expectation, records: &[AnyRecord]) -> Verdict {
    let steps: Vec<_> =
        records.iter().filter_map(|r| if let AnyRecord::Posix(x) = r { Some(x) } else { None }).collect();
    let find = |id: &str| steps.iter().find(|s| s.step == id);
    let (Some(poll), Some(epoll)) = (find("poll"), find("epoll")) else {
        return none_found(run, e, "posix poll and epoll");
    };
    let epoll_ok = epoll.errno.is_none();
    let ours = format!(
        "poll: {}; epoll_ctl: {}",
        poll.kernel_shows,
        epoll.errno.as_deref().map_or("accepted".to_string(), |e| format!("failed with {e}"))
    );
    let note = if epoll_ok {
        "epoll accepted the descriptor on this kernel".to_string()
    } else {
        "poll and select call a tmpfs file ready at once, whatever the memory holds, and epoll refuses it: \
         readiness needs an eventfd (or a futex) beside the shared memory"
            .to_string()
    };
    verdict(run, e, ours, epoll_ok, note)
}

fn none_found(run: &str, e: &Expectation, what: &str) -> Verdict {
    verdict(run, e, "-".into(), false, format!("this run produced no {what} records to judge"))
}

fn unprotected_loses(run: &str, e: &Expectation, racing: &[&RacingRecord]) -> Verdict {
    let unprotected: Vec<_> = racing.iter().filter(|r| !r.protected).collect();
    if unprotected.is_empty() {
        return none_found(run, e, "unprotected racing");
    }
    let mut parts = Vec::new();
    let mut ok = true;
    for r in &unprotected {
        let (lo, med, hi) = min_median_max(&r.finals).unwrap_or_default();
        let losing = r.lost.iter().filter(|l| **l > 0).count();
        ok &= med.0 < r.expected as f64;
        let label = if r.lock == LockKind::None { r.backend.to_string() } else { format!("{}/{}", r.backend, r.lock) };
        parts.push(format!(
            "{label}: finals {lo}..{hi}, median {med} of {} ({losing}/{} trials lost)",
            r.expected,
            r.finals.len()
        ));
    }
    let note = if ok {
        "the exact values depend on the machine (CPUs, fork speed, timer slack); the race itself reproduces".into()
    } else {
        "some runs lost no updates: the children did not overlap here; raise children or delay_us".into()
    };
    verdict(run, e, parts.join("; "), ok, note)
}

fn protected_exact(run: &str, e: &Expectation, racing: &[&RacingRecord]) -> Verdict {
    let protected: Vec<_> = racing.iter().filter(|r| r.protected).collect();
    if protected.is_empty() {
        return none_found(run, e, "protected racing");
    }
    let wrong: Vec<String> = protected
        .iter()
        .filter(|r| r.finals.iter().any(|f| *f != r.expected))
        .map(|r| format!("{}/{} {:?}", r.backend, r.lock, r.finals))
        .collect();
    let trials: usize = protected.iter().map(|r| r.finals.len()).sum();
    if wrong.is_empty() {
        verdict(
            run,
            e,
            format!("{} backend/lock pairs, {trials} trials, every final exact", protected.len()),
            true,
            String::new(),
        )
    } else {
        verdict(
            run,
            e,
            format!("lost updates under a lock: {}", wrong.join(", ")),
            false,
            "a correct lock lost updates: a bug".into(),
        )
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
        (Status::Inconclusive, format!("{}; rerun on a quiet machine", noise.join("; ")))
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
        return none_found(run, e, "memory");
    }
    let mut judged = Vec::new();
    let mut parts = Vec::new();
    for r in mem {
        let size_kib = (r.size_bytes / 1024) as i64;
        let shmem = phase(r, Phase::Touched).map_or(0, |p| p.counters.shmem);
        let own = own_pages(r);
        judged.push(match own {
            Some(own) if !within(own, size_kib, pct) => Judged::Fails,
            Some(own) if !within(shmem, size_kib, pct) => Judged::Noisy(format!(
                "{}: the machine's Shmem moved by {:+} MiB more than the segment's own pages (+{} MiB): other \
                 processes changed their shared memory during the run",
                r.backend,
                mib(shmem - own),
                mib(own)
            )),
            None if !within(shmem, size_kib, pct) => Judged::Fails,
            _ => Judged::Holds,
        });
        let own_text = own.map(|o| format!(", its own pages {:+} MiB", mib(o))).unwrap_or_default();
        parts.push(format!("{}: Shmem {:+} MiB for {} MiB{own_text}", r.backend, mib(shmem), mib(size_kib)));
    }
    let (status, note) = combine(&judged);
    verdict_with(run, e, parts.join("; "), status, note)
}

fn shared_grows_used_flat(run: &str, e: &Expectation, records: &[AnyRecord], pct: f64) -> Verdict {
    let mem = memory_records(records);
    if mem.is_empty() {
        return none_found(run, e, "memory");
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
            Some(_) => Judged::Noisy(format!(
                "{}: the segment's own pages are all there, but MemFree moved by {:+} MiB on its own (other \
                 processes, reclaim), so the article's `used` (total − free − buffers − cache) moved by {:+} MiB \
                 for no reason of the segment's",
                r.backend,
                mib(t.free.free + size_kib),
                mib(t.free.used_procps3)
            )),
            None if shared_ok && flat => Judged::Holds,
            None => Judged::Fails,
        });
        parts.push(format!(
            "{}: shared {:+} MiB, buff/cache {:+} MiB, used (procps 3.3) {:+} MiB",
            r.backend,
            mib(t.free.shared),
            mib(t.free.buff_cache),
            mib(t.free.used_procps3)
        ));
        today_used.push(format!("{:+} MiB", mib(t.free.used)));
    }
    let (status, noise) = combine(&judged);
    let mut note = format!(
        "today's free (procps-ng >= 4.0.1) computes used = total - available and shows used {} (shmem cannot be \
         reclaimed); the article's procps 3.3 counted these pages as cache",
        today_used.join(" / ")
    );
    if !noise.is_empty() {
        note = format!("{noise}. {note}");
    }
    verdict_with(run, e, parts.join("; "), status, note)
}

fn huge_consumed(run: &str, e: &Expectation, records: &[AnyRecord]) -> Verdict {
    let mem: Vec<_> = memory_records(records).into_iter().filter(|r| r.huge.0.is_some()).collect();
    if mem.is_empty() {
        return none_found(run, e, "huge-page memory");
    }
    let mut ok = true;
    let mut parts = Vec::new();
    for r in mem {
        let page: u64 = r.huge.page_bytes().unwrap_or(2 << 20);
        let pages = r.size_bytes.div_ceil(page) as i64;
        let rsvd = phase(r, Phase::Created).map_or(0, |p| p.counters.hugepages_rsvd);
        let free = phase(r, Phase::Touched).map_or(0, |p| p.counters.hugepages_free);
        ok &= rsvd == pages && free == -pages;
        parts.push(format!(
            "{}: HugePages_Rsvd {rsvd:+} at create, HugePages_Free {free:+} at touch ({pages} pages)",
            r.backend
        ));
    }
    verdict(run, e, parts.join("; "), ok, "pages are reserved at creation and consumed at first touch".into())
}

fn huge_not_shared(run: &str, e: &Expectation, records: &[AnyRecord], tolerance_mib: i64) -> Verdict {
    let mem: Vec<_> = memory_records(records).into_iter().filter(|r| r.huge.0.is_some()).collect();
    if mem.is_empty() {
        return none_found(run, e, "huge-page memory");
    }
    let mut ok = true;
    let mut parts = Vec::new();
    let mut note = String::new();
    for r in mem {
        let shared = phase(r, Phase::Touched).map_or(0, |p| p.free.shared / 1024);
        ok &= shared.abs() <= tolerance_mib;
        parts.push(format!("{}: shared {shared:+} MiB at touch", r.backend));
        if let Some(pool) = &r.pool_reservation {
            note = format!(
                "raising vm.nr_hugepages by {} pages before the run moved used by {:+} MiB: huge pages count as used \
                 from the moment they are in the pool (the article's pool was reserved beforehand)",
                pool.pages_added,
                pool.free.used / 1024
            );
        }
    }
    verdict(run, e, parts.join("; "), ok, note)
}

fn limits_allow(run: &str, e: &Expectation, records: &[AnyRecord]) -> Verdict {
    let Some(l) = records.iter().find_map(|r| if let AnyRecord::Limits(l) = r { Some(l) } else { None }) else {
        return none_found(run, e, "limits");
    };
    let Some(check) = &l.check else {
        return verdict(run, e, "no size was checked".into(), false, "add `check` to the run".into());
    };
    let ours = format!(
        "shmmax {}, shmall {} pages, shmmni {}: {}",
        l.limits.shmmax,
        l.limits.shmall_pages,
        l.limits.shmmni,
        if check.fits { "fits" } else { "blocked" }
    );
    let note = if check.fits {
        "since Linux 3.16 shmmax and shmall default to nearly 2^64: the SysV limits no longer stop such a segment, memory does".into()
    } else {
        check.explanation.clone()
    };
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
        return none_found(run, e, "crash");
    }
    let ok = crashes.iter().all(|c| documented_crash_verdict(c.lock) == Some(c.verdict));
    let ours = crashes
        .iter()
        .map(|c| {
            let v =
                serde_json::to_value(c.verdict).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            format!("{} {v}", c.lock)
        })
        .collect::<Vec<_>>()
        .join(", ");
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
            let ours = format!(
                "slowest futex lock {} {:.1} ns, fastest syscall lock {} {:.1} ns: {ratio:.0}x",
                f.lock, f.ns_per_op, s.lock, s.ns_per_op
            );
            verdict(run, e, ours, ratio >= factor, String::new())
        }
        _ => none_found(run, e, "single-process bench"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::Backend;

    fn expect(rule: Rule) -> Expectation {
        Expectation { claim: "c".into(), article: "a".into(), rule }
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

//! The locks lab, the crash experiment and the lock benchmark, through the
//! real binary and the real kernel.

mod common;

use std::time::{Duration, Instant};

use common::*;

const CORRECT: [&str; 9] =
    ["atomic", "flock", "fcntl", "ofd", "posix-sem", "named-sem", "sysv-sem", "mutex", "mutex-nonrobust"];

#[test]
fn every_correct_lock_is_exact_on_every_backend() {
    let _serial = serial();
    let before = snapshot();
    let path = json_path("locks-all");
    // 30 children with a 300 µs window: unprotected, such a run loses updates.
    let out = shmlab(&[
        "racing",
        "--backend",
        "all",
        "--lock",
        "all",
        "--children",
        "30",
        "--delay-us",
        "300",
        "--proj-id",
        "21",
        "--json",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = read_json(&path);
    let recs = doc["records"].as_array().unwrap();
    assert_eq!(recs.len(), 6 * 11, "every backend x every lock");
    for r in recs {
        let lock = r["lock"].as_str().unwrap();
        let protected = r["protected"].as_bool().unwrap();
        if CORRECT.contains(&lock) {
            assert!(protected, "{lock} is reported as a protection");
            assert!(
                r["finals"].as_array().unwrap().iter().all(|f| f == &r["expected"]),
                "{} / {lock} lost updates: {}",
                r["backend"],
                r["finals"]
            );
        } else {
            assert!(["none", "flock-inherited"].contains(&lock), "unexpected lock {lock}");
            assert!(!protected, "{lock} must be reported as unprotected");
        }
    }
    let table = stdout(&out);
    assert!(table.contains("flock-inherited") && table.contains("open file description"), "the pitfall is explained");
    assert_eq!(snapshot(), before, "locks left objects behind");
}

fn crash_records(args: &[&str]) -> Vec<serde_json::Value> {
    let path = json_path(&format!("crash-{}", args.join("-").replace('/', "_")));
    let mut all = vec!["crash", "--patience-ms", "500", "--json", path.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = shmlab(&all);
    assert!(out.status.success(), "{}", stderr(&out));
    read_json(&path)["records"].as_array().unwrap().clone()
}

fn verdict_of<'a>(recs: &'a [serde_json::Value], lock: &str) -> &'a serde_json::Value {
    recs.iter().find(|r| r["lock"] == lock).unwrap_or_else(|| panic!("no crash record for {lock}"))
}

#[test]
fn crash_outcomes_are_the_kernels() {
    let _serial = serial();
    let before = snapshot();
    let started = Instant::now();
    let recs = crash_records(&["--lock", "all"]);
    let expect = [
        ("flock", "recovered"),
        ("fcntl", "recovered"),
        ("ofd", "recovered"),
        ("sysv-sem", "undone"),
        ("mutex", "owner-dead-repaired"),
        ("posix-sem", "stuck"),
        ("named-sem", "stuck"),
        ("mutex-nonrobust", "stuck"),
        ("flock-inherited", "no-exclusion"),
    ];
    for (lock, verdict) in expect {
        let r = verdict_of(&recs, lock);
        assert_eq!(r["verdict"], verdict, "{lock}: {}", r["outcome"]);
        if verdict == "stuck" {
            assert_eq!(r["final"], 0, "{lock}: no waiter got through");
            assert_eq!(r["waiters_killed"], r["expected"], "{lock}: stuck waiters are killed");
            assert!(r["recovered_after_ms"].is_null());
        } else {
            assert_eq!(r["final"], r["expected"], "{lock}: every waiter got through");
        }
        if ["recovered", "undone", "owner-dead-repaired"].contains(&verdict) {
            assert!(r["recovered_after_ms"].as_f64().is_some_and(|ms| ms >= 0.0), "{lock}: recovery time");
        }
    }
    assert!(started.elapsed() < Duration::from_secs(60));
    assert!(shmlab_processes().is_empty(), "stuck children were not reaped");
    assert_eq!(snapshot(), before, "crash left objects behind");
}

#[test]
fn a_robust_mutex_recovers_in_every_kind_of_segment() {
    let _serial = serial();
    for backend in ["xsi-private", "posix", "memfd"] {
        let recs = crash_records(&["--lock", "mutex", "--backend", backend]);
        assert_eq!(recs[0]["verdict"], "owner-dead-repaired", "{backend}");
    }
}

#[test]
fn bench_locks_measures_every_lock_exactly() {
    let _serial = serial();
    let before = snapshot();
    let path = json_path("bench-locks");
    let out = shmlab(&[
        "bench",
        "locks",
        "--ops",
        "2000",
        "--repeats",
        "2",
        "--procs",
        "1",
        "--procs",
        "2",
        "--json",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = read_json(&path);
    let recs = doc["records"].as_array().unwrap();
    for lock in CORRECT {
        for procs in [1, 2] {
            let r = recs
                .iter()
                .find(|r| r["lock"] == lock && r["procs"] == procs)
                .unwrap_or_else(|| panic!("no bench record for {lock} x {procs}"));
            assert_eq!(r["exact"], true, "{lock} x {procs} lost increments");
            assert!(r["ns_per_op"].as_f64().unwrap() > 0.0);
            assert_eq!((r["ops"].as_u64(), r["repeats"].as_u64()), (Some(2000), Some(2)));
            assert!(r["acquisitions_min"].as_u64().unwrap() <= r["acquisitions_max"].as_u64().unwrap());
        }
    }
    assert!(recs.iter().any(|r| r["lock"] == "none"), "the unprotected baseline is measured in the same run");
    assert_eq!(snapshot(), before);
}

#[test]
fn interrupted_locked_run_leaves_no_semaphores() {
    let _serial = serial();
    let before = snapshot();
    let args = ["racing", "--lock", "sysv-sem", "--lock", "named-sem", "--lock", "flock", "--children", "20"];
    let child = start_with_children(&[&args[..], &["--delay-us", "100000", "--trials", "3"]].concat(), 3);
    assert!(snapshot() != before, "the run created its lock objects");
    send_signal(child.id(), libc::SIGINT);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert_eq!(snapshot(), before, "semaphores or lock files left behind");
}

#[test]
fn bad_lock_input_is_one_line_exit_2() {
    let _serial = serial();
    let before = snapshot();
    assert_usage_error(&shmlab(&["racing", "--lock", "spinlock"]), "possible values");
    assert_usage_error(&shmlab(&["bench", "locks", "--ops", "0"]), "--ops");
    assert_usage_error(&shmlab(&["crash", "--lock", "none"]), "nothing to hold");
    assert_usage_error(&shmlab(&["crash", "--lock", "atomic"]), "nothing to hold");
    assert_usage_error(&shmlab(&["crash", "--waiters", "0"]), "--waiters");
    assert_eq!(snapshot(), before);
}

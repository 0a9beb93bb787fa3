//! `racing --trace` and `racing --schedule` through the real binary: the
//! trace must explain every final value the kernel's counter ends with,
//! and a schedule must give its predicted final every time.

mod common;

use common::*;

/// Replays a trace the way an outside tool would: writes in time order
/// give the counter's history; each read must see the value then current.
fn replay(entries: &[serde_json::Value]) -> (u64, usize, usize) {
    let mut events: Vec<(u64, u8, &serde_json::Value)> = Vec::new();
    for e in entries {
        events.push((e["read_ns"].as_u64().unwrap(), 0, e));
        events.push((e["write_ns"].as_u64().unwrap(), 1, e));
    }
    events.sort_by_key(|(t, kind, _)| (*t, *kind));
    let (mut counter, mut consistent, mut reads) = (0, 0, 0);
    for (_, kind, e) in events {
        if kind == 0 {
            reads += 1;
            consistent += usize::from(e["read"].as_u64() == Some(counter));
        } else {
            counter = e["wrote"].as_u64().unwrap();
        }
    }
    (counter, consistent, reads)
}

#[test]
fn the_trace_explains_every_final_and_every_lost_update() {
    let _serial = serial();
    let before = snapshot();
    let path = json_path("race-trace");
    let out = shmlab(&[
        "racing",
        "--backend",
        "mmap",
        "--backend",
        "xsi",
        "--backend",
        "posix",
        "--lock",
        "none",
        "--lock",
        "mutex",
        "--trials",
        "4",
        "--proj-id",
        "21",
        "--trace",
        "--json",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = read_json(&path);
    let records = doc["records"].as_array().unwrap();
    assert_eq!(records.len(), 6);
    let (mut consistent, mut reads) = (0, 0);
    // Trials whose replay does not end on the counter's final value. A
    // child stamps its write with the clock just before its store; when it
    // is preempted between the two (seen on this busy 2-vCPU VM: once in
    // five full test runs), its store lands after a write stamped later,
    // and the replay ends on the wrong one. One such trial of the 24 is allowed, as in the acceptance
    // check; two would mean the trace does not explain the counter.
    let mut misordered = Vec::new();
    for r in records {
        let traces = r["trace"].as_array().expect("a trace per record");
        let finals = r["finals"].as_array().unwrap();
        assert_eq!(traces.len(), finals.len(), "every trial traced");
        let expected = r["expected"].as_u64().unwrap();
        for (t, f) in traces.iter().zip(finals) {
            let entries = t["entries"].as_array().unwrap();
            assert_eq!(entries.len() as u64, expected, "one entry per critical section");
            let final_value = f.as_u64().unwrap();
            let (replayed, c, n) = replay(entries);
            if replayed != final_value {
                misordered.push(format!("{} {}: replayed {replayed}, counter {final_value}", r["backend"], r["lock"]));
            }
            let lost = entries.iter().filter(|e| !e["lost_to"].is_null()).count() as u64;
            assert_eq!(lost, expected - final_value, "every lost update is charged to a write");
            for e in entries {
                assert_eq!(e["wrote"].as_u64(), e["read"].as_u64().map(|v| v + 1));
                assert!(e["read_ns"].as_u64() <= e["write_ns"].as_u64());
                assert!(e["forked_ns"].as_u64() <= e["start_ns"].as_u64());
            }
            consistent += c;
            reads += n;
        }
        if r["lock"] == "mutex" {
            assert!(r["finals"].as_array().unwrap().iter().all(|f| f.as_u64() == Some(expected)));
        }
    }
    assert!(misordered.len() <= 1, "the replayed history does not end where the counter did: {misordered:?}");
    assert!(consistent * 100 >= reads * 95, "{consistent} of {reads} reads consistent with the time order");
    assert!(stdout(&out).contains("the reconstruction gives exactly the final value"), "{}", stdout(&out));
    assert_eq!(snapshot(), before);
}

#[test]
fn only_the_asked_trials_are_traced_and_untraced_runs_carry_no_trace() {
    let _serial = serial();
    let path = json_path("race-trace-first");
    let out = shmlab(&["racing", "--trials", "3", "--trace", "--trace-trials", "1", "--json", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(read_json(&path)["records"][0]["trace"].as_array().unwrap().len(), 1);
    let plain = json_path("race-untraced");
    assert!(shmlab(&["racing", "--json", plain.to_str().unwrap()]).status.success());
    assert!(read_json(&plain)["records"][0].get("trace").is_none());
}

fn final_of(args: &[&str]) -> Vec<u64> {
    let path = json_path("race-schedule");
    let mut all = vec!["racing"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--json", path.to_str().unwrap()]);
    let out = shmlab(&all);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    let r = &read_json(&path)["records"][0];
    r["finals"].as_array().unwrap().iter().map(|f| f.as_u64().unwrap()).collect()
}

#[test]
fn every_schedule_example_gives_its_predicted_final_every_time() {
    let _serial = serial();
    let before = snapshot();
    for (schedule, want) in [("lost-one", 1), ("serial", 2), ("lost-two", 1), ("late-write", 1), ("locked", 2)] {
        let finals = final_of(&["--schedule", schedule, "--trials", "20"]);
        assert_eq!(finals, vec![want; 20], "{schedule}");
    }
    let written = final_of(&["--schedule", "A.read B.read A.write B.write", "--backend", "xsi", "--proj-id", "22"]);
    assert_eq!(written, vec![1]);
    for lock in ["posix-sem", "sysv-sem", "flock", "fcntl"] {
        assert_eq!(final_of(&["--schedule", "locked", "--lock", lock, "--trials", "3"]), vec![2; 3], "{lock}");
    }
    assert_eq!(snapshot(), before);
}

#[test]
fn a_waiting_lock_step_is_seen_waiting() {
    let _serial = serial();
    let path = json_path("race-locked");
    let out = shmlab(&["racing", "--schedule", "locked", "--trials", "5", "--json", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let steps = read_json(&path)["records"][0]["schedule"]["steps"].clone();
    assert_eq!(steps[1]["step"], "B.lock");
    assert_eq!(steps[1]["waits_until"], 5);
    assert!(steps[1]["waited"].as_array().unwrap().iter().all(|w| w == true), "{steps}");
    assert!(stdout(&out).contains("B asks for the lock while it is held"), "{}", stdout(&out));
}

#[test]
fn bad_schedules_and_sweeps_are_one_line_exit_2_and_leave_nothing() {
    let _serial = serial();
    let before = snapshot();
    for (schedule, needle) in [
        ("A.write A.read", "before it read"),
        ("A.read B.read C.read D.read E.read A.write B.write C.write D.write E.write", "at most 4"),
        ("A.read A.fly", "not a step"),
        ("A.lock B.lock B.read B.write B.unlock A.unlock", "deadlocks"),
        ("A.lock B.lock A.read A.write", "deadlocks"),
    ] {
        assert_usage_error(&shmlab(&["racing", "--schedule", schedule]), needle);
    }
    assert_usage_error(&shmlab(&["racing", "--schedule", "locked", "--lock", "none"]), "real lock");
    assert_usage_error(&shmlab(&["racing", "--sweep", "delay-us"]), "--sweep");
    assert_usage_error(&shmlab(&["racing", "--sweep", "colour=1,2"]), "unknown parameter");
    assert_usage_error(&shmlab(&["racing", "--timer-slack", "0"]), "--timer-slack");
    assert_usage_error(&shmlab(&["racing", "--trace", "--children", "1000", "--iterations", "300"]), "at most");
    assert_eq!(snapshot(), before);
}

#[test]
fn a_sweep_gives_one_record_per_value() {
    let _serial = serial();
    let path = json_path("race-sweep");
    let out = shmlab(&["racing", "--sweep", "delay-us=0,100", "--children", "20", "--json", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let recs = read_json(&path)["records"].as_array().unwrap().clone();
    let delays: Vec<u64> = recs.iter().map(|r| r["delay_us"].as_u64().unwrap()).collect();
    assert_eq!(delays, [0, 100]);
    assert!(stdout(&out).contains("delay µs"), "the swept setting is a column: {}", stdout(&out));
    let slack = json_path("race-slack");
    let out = shmlab(&["racing", "--timer-slack", "1", "--children", "5", "--json", slack.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(read_json(&slack)["records"][0]["timer_slack_ns"], 1);
}

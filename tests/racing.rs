//! The racing lab through the real binary and the real kernel.

mod common;

use std::time::{Duration, Instant};

use common::*;

const BACKENDS: [&str; 6] = ["mmap", "mmap-file", "xsi", "xsi-private", "posix", "memfd"];

fn records(path: &std::path::PathBuf) -> Vec<serde_json::Value> {
    let doc = read_json(path);
    assert_eq!(doc["schema_version"], 2, "schema 2: unrounded values, params");
    assert_eq!(doc["experiment"], "racing");
    assert!(doc["machine"]["kernel"].as_str().is_some_and(|k| !k.is_empty()), "machine.kernel");
    assert!(doc["machine"]["cpus"].as_u64().is_some_and(|c| c >= 1), "machine.cpus");
    doc["records"].as_array().expect("records").clone()
}

#[test]
fn every_backend_races_and_finals_stay_in_range() {
    let _serial = serial();
    let before = snapshot();
    let path = json_path("racing-all");
    let out =
        shmlab(&["racing", "--backend", "all", "--trials", "2", "--proj-id", "11", "--json", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let recs = records(&path);
    let got: Vec<&str> = recs.iter().map(|r| r["backend"].as_str().unwrap()).collect();
    assert_eq!(got, BACKENDS);
    for r in &recs {
        for field in ["backend", "lock", "children", "iterations", "delay_us", "expected", "finals", "lost", "wall_ms"]
        {
            assert!(!r[field].is_null(), "field {field} missing in {r}");
        }
        assert_eq!(r["lock"], "none");
        let expected = r["expected"].as_u64().unwrap();
        assert_eq!(expected, r["children"].as_u64().unwrap() * r["iterations"].as_u64().unwrap());
        let finals = r["finals"].as_array().unwrap();
        let lost = r["lost"].as_array().unwrap();
        assert_eq!((finals.len(), lost.len(), r["wall_ms"].as_array().unwrap().len()), (2, 2, 2));
        for (f, l) in finals.iter().zip(lost) {
            let (f, l) = (f.as_u64().unwrap(), l.as_u64().unwrap());
            assert!((1..=expected).contains(&f), "{} final {f} outside [1, {expected}]", r["backend"]);
            assert_eq!(l, expected - f);
        }
    }
    // The JSON keeps wall times as measured, not rounded to microseconds:
    // twelve nanosecond-resolution times that all end in whole microseconds
    // would be a one-in-10^36 coincidence.
    let walls: Vec<f64> =
        recs.iter().flat_map(|r| r["wall_ms"].as_array().unwrap().clone()).map(|w| w.as_f64().unwrap()).collect();
    assert!(
        walls.iter().any(|w| ((w * 1e3) - (w * 1e3).round()).abs() > 1e-6),
        "wall_ms rounded to three decimals: {walls:?}"
    );
    let table = stdout(&out);
    for b in BACKENDS {
        assert!(table.contains(b), "table lacks {b}");
    }
    assert!(table.contains("lost update"), "the reading under the table explains lost updates");
    assert_eq!(snapshot(), before, "a normal run left objects behind");
}

#[test]
fn one_child_never_loses_an_update() {
    let _serial = serial();
    let path = json_path("racing-one");
    let out = shmlab(&[
        "racing",
        "--backend",
        "all",
        "--children",
        "1",
        "--iterations",
        "5",
        "--trials",
        "3",
        "--proj-id",
        "12",
        "--json",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    for r in records(&path) {
        assert_eq!(r["expected"], 5);
        assert!(r["finals"].as_array().unwrap().iter().all(|f| f == 5), "{}: {}", r["backend"], r["finals"]);
        assert!(r["lost"].as_array().unwrap().iter().all(|l| l == 0));
    }
}

#[test]
fn json_to_stdout_is_pure_json_and_the_table_goes_to_stderr() {
    let _serial = serial();
    let out = shmlab(&["racing", "--backend", "memfd", "--children", "10", "--json", "-"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(doc["records"][0]["backend"], "memfd");
    assert!(stderr(&out).contains("│ final") && stderr(&out).contains("How to read this"), "the table and its reading");
}

fn interrupted_run_leaves_nothing(signal: i32, name: &str) {
    let _serial = serial();
    let before = snapshot();
    let child = start_with_children(
        &[
            "racing",
            "--backend",
            "xsi",
            "--backend",
            "posix",
            "--backend",
            "mmap-file",
            "--children",
            "50",
            "--delay-us",
            "300000",
            "--trials",
            "3",
            "--proj-id",
            "13",
        ],
        3,
    );
    send_signal(child.id(), signal);
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(130), "exit code after {name}; {}", stderr(&out));
    assert!(stderr(&out).contains(name), "{}", stderr(&out));
    assert!(shmlab_processes().is_empty(), "children survive the {name}: {:?}", shmlab_processes());
    assert_eq!(snapshot(), before, "objects left after {name}");
}

#[test]
fn ctrl_c_in_the_middle_leaves_nothing() {
    interrupted_run_leaves_nothing(libc::SIGINT, "SIGINT");
}

#[test]
fn sigterm_in_the_middle_leaves_nothing() {
    interrupted_run_leaves_nothing(libc::SIGTERM, "SIGTERM");
}

#[test]
fn a_child_killed_mid_run_is_reported_and_nothing_leaks() {
    let _serial = serial();
    let before = snapshot();
    let child = start_with_children(&["racing", "--backend", "posix", "--children", "5", "--delay-us", "400000"], 3);
    let victim = children_of(child.id())[0];
    send_signal(victim, libc::SIGKILL);
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1), "a dead child fails the experiment; {}", stderr(&out));
    assert!(stderr(&out).contains("did not exit cleanly"), "{}", stderr(&out));
    assert_eq!(snapshot(), before);
}

#[test]
fn children_past_the_timeout_are_killed_and_reported() {
    let _serial = serial();
    let before = snapshot();
    let started = Instant::now();
    let out = shmlab(&[
        "racing",
        "--backend",
        "xsi-private",
        "--children",
        "3",
        "--delay-us",
        "20000000",
        "--timeout",
        "0.5",
    ]);
    assert!(started.elapsed() < Duration::from_secs(10), "the timeout did not stop the children");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("timeout"), "{}", stderr(&out));
    assert!(stdout(&out).contains("3 child(ren)") || stderr(&out).contains("3 child(ren)"), "{}", stderr(&out));
    assert!(shmlab_processes().is_empty());
    assert_eq!(snapshot(), before);
}

#[test]
fn bad_input_is_one_line_exit_2_and_leaves_nothing() {
    let _serial = serial();
    let before = snapshot();
    assert_usage_error(&shmlab(&["racing", "--children", "0"]), "--children");
    assert_usage_error(&shmlab(&["racing", "--children", "4000000000"]), "more than the system allows");
    assert_usage_error(&shmlab(&["racing", "--backend", "nonsense"]), "possible values");
    assert_usage_error(&shmlab(&["racing", "--backend", "xsi", "--key-path", "/no/such/file"]), "/no/such/file");
    assert_usage_error(&shmlab(&["racing", "--backend", "xsi", "--proj-id", "256"]), "low 8 bits");
    assert_usage_error(&shmlab(&["racing", "--timeout=0"]), "--timeout");
    assert_eq!(snapshot(), before);
}

#[test]
fn a_key_that_has_a_foreign_segment_is_refused_and_left_alone() {
    let _serial = serial();
    let path = std::ffi::CString::new("/etc/passwd").unwrap();
    // SAFETY: plain libc calls on values we own.
    let key = unsafe { libc::ftok(path.as_ptr(), 77) };
    let foreign = ForeignSegment::create(key, libc::IPC_CREAT | libc::IPC_EXCL);
    let out = shmlab(&["racing", "--backend", "xsi", "--proj-id", "77"]);
    let exists = std::fs::read_to_string("/proc/sysvipc/shm")
        .unwrap()
        .lines()
        .skip(1)
        .any(|l| l.split_whitespace().nth(1) == Some(&foreign.0.to_string()));
    drop(foreign);
    assert_usage_error(&out, &format!("{key:#010x}"));
    assert!(stderr(&out).contains("ipcrm"), "says how to remove it");
    assert!(exists, "shmlab removed a segment it did not create");
}

#[test]
fn help_has_examples() {
    // Serial too: other tests count running shmlab processes.
    let _serial = serial();
    for args in [vec!["--help"], vec!["racing", "--help"]] {
        let out = shmlab(&args);
        assert!(out.status.success());
        assert!(stdout(&out).contains("Examples:"), "{args:?}");
    }
}

/// Every shared library adds mappings that each of the racing lab's forks
/// copies and each child's exit tears down, so shmlab is linked statically
/// (tools/link-static). Where the C compiler has no static C library the
/// build stays dynamic, and the test says so instead of failing.
#[test]
fn the_binary_needs_no_shared_library() {
    let out = match std::process::Command::new("readelf").args(["-d", BIN]).output() {
        Ok(o) if o.status.success() => o,
        _ => {
            eprintln!("SKIPPED the_binary_needs_no_shared_library: readelf (binutils) is not installed");
            return;
        }
    };
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let needed: Vec<&str> = text.lines().filter(|l| l.contains("(NEEDED)")).collect();
    let static_libc = std::process::Command::new("cc")
        .arg("-print-file-name=libc.a")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"/"));
    if static_libc {
        assert!(needed.is_empty(), "the binary is dynamically linked: {needed:?}; see tools/link-static");
    } else {
        eprintln!("SKIPPED the_binary_needs_no_shared_library: cc has no libc.a (libc6-dev), so the build is dynamic");
    }
}

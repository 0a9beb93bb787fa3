//! `shmlab report DIR` on a directory someone else prepared, through the
//! real binary: planted links are not written through, devices, FIFOs and
//! huge files are refused at once, absurd numbers are refused with their
//! path, and text from results.json cannot inject Markdown or HTML.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// The smallest suite with a racing and a lock-cost chart.
const TINY_SUITE: &str = r#"{"suite": "tiny", "runs": [
  {"experiment": "racing", "id": "r", "backends": ["mmap"], "children": 5},
  {"experiment": "bench-locks", "id": "b", "locks": ["atomic"], "procs": [1], "ops": 2000}
]}"#;

/// Longer than any of these commands may take; reaching it means a hang.
const HANG: Duration = Duration::from_secs(10);

/// A fresh directory for one test (pid in the name).
fn run_dir(name: &str) -> PathBuf {
    let dir = scratch().join(format!("report-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the tiny suite under `out` and returns its run directory. The
/// caller holds the serial lock (the suite creates kernel objects).
fn fixture(out: &Path) -> PathBuf {
    let suite = out.join("suite.json");
    std::fs::write(&suite, TINY_SUITE).unwrap();
    let runs = out.join("runs");
    let result = shmlab(&["run", suite.to_str().unwrap(), "--out", runs.to_str().unwrap()]);
    assert!(result.status.success(), "the tiny suite runs: {}", stderr(&result));
    let dirs: Vec<PathBuf> = std::fs::read_dir(&runs).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(dirs.len(), 1, "one run directory: {dirs:?}");
    dirs[0].clone()
}

/// Runs `command`, killing it and failing the test if it is still running
/// after [`HANG`]: a regression then fails instead of hanging forever.
fn within_hang_limit(mut command: Command) -> Output {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start shmlab");
    let deadline = Instant::now() + HANG;
    while child.try_wait().expect("wait for shmlab").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} still ran after {HANG:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("collect shmlab's output")
}

fn report(dir: &Path) -> Output {
    let mut command = shmlab_command();
    command.args(["report", dir.to_str().unwrap()]);
    within_hang_limit(command)
}

fn edit_results(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join("results.json");
    let mut doc = read_json(&path);
    edit(&mut doc);
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
}

/// The index in `records` of the first record of `experiment`.
fn record_index(doc: &serde_json::Value, experiment: &str) -> usize {
    doc["records"].as_array().unwrap().iter().position(|r| r["experiment"] == experiment).unwrap()
}

#[test]
fn planted_links_at_the_outputs_are_replaced_not_written_through() {
    let _serial = serial();
    let out = run_dir("links");
    let dir = fixture(&out);
    let victim = out.join("victim");
    let hard_victim = out.join("hard-victim");
    std::fs::write(&victim, "keep").unwrap();
    std::fs::write(&hard_victim, "keep too").unwrap();
    std::fs::remove_file(dir.join("report.md")).unwrap();
    std::os::unix::fs::symlink(&victim, dir.join("report.md")).unwrap();
    std::fs::remove_file(dir.join("lock-cost.svg")).unwrap();
    std::fs::hard_link(&hard_victim, dir.join("lock-cost.svg")).unwrap();
    std::fs::remove_file(dir.join("racing-finals.svg")).unwrap();
    std::os::unix::fs::symlink(out.join("nowhere"), dir.join("racing-finals.svg")).unwrap();

    let result = report(&dir);
    assert!(result.status.success(), "{}", stderr(&result));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep", "the symlink's target is untouched");
    assert_eq!(std::fs::read_to_string(&hard_victim).unwrap(), "keep too", "the hard link's file is untouched");
    assert!(!out.join("nowhere").exists(), "a dangling link's target is not created");
    for name in ["report.md", "lock-cost.svg", "racing-finals.svg"] {
        let meta = std::fs::symlink_metadata(dir.join(name)).unwrap();
        assert!(meta.file_type().is_file(), "{name} is a regular file now");
    }
    assert!(std::fs::read_to_string(dir.join("report.md")).unwrap().starts_with("# shmlab"));
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "no temporary file is left: {left:?}");
}

#[test]
fn a_results_json_linked_to_dev_zero_is_refused_at_once() {
    let _serial = serial();
    let dir = run_dir("dev-zero");
    std::os::unix::fs::symlink("/dev/zero", dir.join("results.json")).unwrap();
    // A memory limit as well, so that a regression fails on an allocation
    // instead of filling the machine's memory before the hang limit.
    let mut command = Command::new("sh");
    command.args(["-c", "ulimit -v 2000000 && exec \"$0\" report \"$1\"", BIN, dir.to_str().unwrap()]);
    let result = within_hang_limit(command);
    assert_usage_error(&result, "is a character device, not a results file");
    assert!(stderr(&result).contains("results.json"), "{}", stderr(&result));
}

#[test]
fn a_fifo_as_results_json_is_refused_without_blocking() {
    let _serial = serial();
    let dir = run_dir("fifo");
    let fifo = dir.join("results.json");
    assert!(Command::new("mkfifo").arg(&fifo).status().expect("run mkfifo").success());
    assert_usage_error(&report(&dir), "is a FIFO (named pipe), not a results file");
}

#[test]
fn directories_and_oversized_files_are_refused() {
    let _serial = serial();
    let dir = run_dir("sizes");
    std::fs::create_dir(dir.join("results.json")).unwrap();
    assert_usage_error(&report(&dir), "is a directory, not a results file");
    std::fs::remove_dir(dir.join("results.json")).unwrap();
    // Sparse: 64 MiB and one byte cost no disk space.
    std::fs::File::create(dir.join("results.json")).unwrap().set_len((64 << 20) + 1).unwrap();
    let result = report(&dir);
    assert_usage_error(&result, "more than the 64 MiB a results file may be");
}

#[test]
fn implausible_numbers_are_refused_with_their_path() {
    let _serial = serial();
    let out = run_dir("numbers");
    let dir = fixture(&out);
    let bench = record_index(&read_json(&dir.join("results.json")), "bench-locks");
    edit_results(&dir, |doc| doc["records"][bench]["ns_per_op"] = serde_json::json!(5e-324));
    let result = report(&dir);
    assert_usage_error(&result, &format!("records[{bench}].ns_per_op = 5e-324 is not a plausible measurement"));
    assert!(stderr(&result).contains("results.json"), "names the file: {}", stderr(&result));
    assert!(!stderr(&result).contains("panicked"));

    edit_results(&dir, |doc| {
        doc["records"][bench]["ns_per_op"] = serde_json::json!(12.5);
        doc["records"][bench]["ns_per_op_runs"][0] = serde_json::json!(1e308);
    });
    let result = report(&dir);
    assert_usage_error(&result, &format!("records[{bench}].ns_per_op_runs[0] = 1e308 is not a plausible"));

    edit_results(&dir, |doc| doc["records"][bench]["ns_per_op_runs"][0] = serde_json::json!(1e15));
    let result = report(&dir);
    assert!(result.status.success(), "the largest plausible value is drawn: {}", stderr(&result));
    let svg = std::fs::read_to_string(dir.join("lock-cost.svg")).unwrap();
    assert!(!svg.contains(">inf") && !svg.contains("NaN"), "no tick at infinity");
}

#[test]
fn text_from_results_json_cannot_inject_markdown_or_html() {
    let _serial = serial();
    let out = run_dir("inject");
    let dir = fixture(&out);
    let evil = "<script>alert(1)</script> | x |\n```\n# heading";
    edit_results(&dir, |doc| {
        doc["suite"] = evil.into();
        doc["description"] = evil.into();
        for run in doc["runs"].as_array_mut().unwrap() {
            run["title"] = evil.into();
        }
        // A crash run whose stored outcome text holds a fence and HTML.
        doc["runs"].as_array_mut().unwrap().push(serde_json::json!({
            "id": "c", "title": evil, "experiment": "crash", "duration_ms": 1.0, "skipped": null
        }));
        doc["records"].as_array_mut().unwrap().push(serde_json::json!({
            "run": "c", "experiment": "crash", "lock": "flock", "backend": "mmap", "verdict": "recovered",
            "outcome": format!("{evil}\n<img src=x onerror=alert(2)>"), "recovered_after_ms": 1.5,
            "waiters": 2, "waiters_killed": 0, "patience_ms": 100, "final": 2, "expected": 2
        }));
    });
    let result = report(&dir);
    assert!(result.status.success(), "{}", stderr(&result));
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\| x \\| \\`\\`\\` \\# heading"), "{md}");

    // Outside code blocks: no raw HTML, table rows keep their cells; every
    // block is closed by its own fence, so the outcome's ``` stays inside.
    let mut fence: Option<String> = None;
    let mut blocks = 0;
    for line in md.lines() {
        match &fence {
            Some(open) if line == open.as_str() => fence = None,
            Some(_) => {}
            None if line.starts_with("```") => {
                fence = Some(line.trim_end_matches("text").to_string());
                blocks += 1;
            }
            None => {
                assert!(!line.contains('<'), "raw HTML outside a code block: {line}");
                assert!(!line.starts_with("# heading"), "an injected heading: {line}");
                if line.starts_with('|') {
                    let bars = line.replace("\\|", "").matches('|').count();
                    assert!(bars == 3 || bars == 5, "a machine or steps row keeps its cells: {line}");
                }
            }
        }
    }
    assert_eq!(fence, None, "every fenced block is closed");
    assert_eq!(blocks, 3, "one block per run with records");
    // The crash table says what happened from the verdict, in the report's
    // language, so the stored outcome's text does not reach the report.
    assert!(!md.contains("onerror"), "the stored outcome is not copied into the report");
    assert!(md.contains("recovered"), "the crash block shows the verdict");
}

#[test]
fn ctrl_c_stops_a_command_that_creates_nothing_at_once() {
    let _serial = serial();
    // `schema` writes 30 KiB into a pipe nobody reads, shrunk to one page:
    // it blocks in write(2), where no safe point polls for signals.
    let (reader, writer) = std::io::pipe().expect("a pipe");
    // SAFETY: fcntl on a descriptor this test owns; F_SETPIPE_SZ takes an int.
    let rc = unsafe { libc::fcntl(std::os::fd::AsRawFd::as_raw_fd(&writer), libc::F_SETPIPE_SZ, 4096) };
    assert!(rc >= 0, "F_SETPIPE_SZ");
    let mut command = shmlab_command();
    command.arg("schema").stdout(writer);
    // A test run started in the background (nohup, `&` in a script) has
    // SIGINT ignored, and shmlab rightly keeps an ignored signal ignored:
    // its child gets the default disposition, as from a terminal.
    // SAFETY: between fork and exec only signal(2), which is async-signal-safe.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut command, || {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = command.stderr(Stdio::null()).spawn().expect("start shmlab");
    // Signalled once the pipe is full: shmlab is then past its start (where
    // Ctrl-C is still only noted) and blocked in write(2). A fixed sleep
    // was not always long enough on a loaded machine.
    let started = Instant::now();
    loop {
        let mut queued: libc::c_int = 0;
        // SAFETY: FIONREAD on a descriptor this test owns writes one int.
        let rc = unsafe { libc::ioctl(std::os::fd::AsRawFd::as_raw_fd(&reader), libc::FIONREAD, &mut queued) };
        assert!(rc >= 0, "FIONREAD");
        if queued >= 4096 {
            break;
        }
        assert!(started.elapsed() < HANG, "shmlab schema never filled the pipe");
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(50));
    send_signal(child.id(), libc::SIGINT);
    let deadline = Instant::now() + HANG;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("shmlab schema ignored Ctrl-C for {HANG:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(reader);
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(libc::SIGINT), "ended by the SIGINT: {status:?}");
}

/// A run written before results.json kept its claims (the reference run)
/// re-renders in Chinese around the verdicts it recorded, word for word,
/// and back in English as it was; results.json is not rewritten.
#[test]
fn an_old_run_re_renders_in_either_language_around_its_recorded_verdicts() {
    let dir = run_dir("old-run-lang");
    let results = std::fs::read("results/reference/results.json").unwrap();
    std::fs::write(dir.join("results.json"), &results).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&results).unwrap();
    let ours = doc["verdicts"][0]["ours"].as_str().unwrap().to_string();
    let mut command = shmlab_command();
    command.args(["report", "--lang", "zh", dir.to_str().unwrap()]);
    let zh = within_hang_limit(command);
    assert!(zh.status.success(), "{}", stderr(&zh));
    assert!(stdout(&zh).contains("已写出"), "{}", stdout(&zh));
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("## 判定") && md.contains("**重现**") && md.contains("## 机器"), "{md}");
    assert!(md.contains(&ours.replace('|', "\\|")), "the recorded figure stays: {ours}");
    let en = report(&dir);
    assert!(en.status.success(), "{}", stderr(&en));
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    let reference = std::fs::read_to_string("results/reference/report.md").unwrap();
    let verdicts = |text: &str| text.split("## Machine").next().unwrap().to_string();
    assert_eq!(verdicts(&md), verdicts(&reference), "English as recorded");
    assert_eq!(std::fs::read(dir.join("results.json")).unwrap(), results);
    let _ = std::fs::remove_dir_all(&dir);
}

//! `shmlab container`: every step through the real binary, against the
//! real kernel: what each one must show, and that nothing is left behind
//! (objects, cgroups, mounts). The cgroup step runs on this machine's
//! cgroup version; the other version's file names and parsing are unit
//! tests in src/kernel/memcg.rs.

mod common;

use common::*;

/// The mounts on /dev/shm this process sees: a step's private tmpfs must
/// never show up here (only what a step could leak is looked at; other
/// programs' mounts elsewhere are none of this test's business).
fn dev_shm_mounts() -> usize {
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    mountinfo.lines().filter(|l| l.split(' ').nth(4) == Some("/dev/shm")).count()
}

/// The cgroups a run says it made (`cgroups A and B made under DIR`).
fn cgroups_made(stderr: &str) -> Vec<std::path::PathBuf> {
    let Some(line) = stderr.lines().find(|l| l.contains("cgroups ") && l.contains(" made under ")) else {
        return Vec::new();
    };
    let (names, dir) = line.split_once(" made under ").unwrap();
    let names = names.rsplit("cgroups ").next().unwrap_or_default();
    names.split(" and ").map(|n| std::path::Path::new(dir.trim()).join(n.trim())).collect()
}

/// Runs one step with --json; its records.
fn run_step(step: &str) -> Vec<serde_json::Value> {
    let json = json_path(&format!("container-{step}"));
    let mounts = dev_shm_mounts();
    let out = shmlab(&["container", step, "--json", json.to_str().unwrap()]);
    assert!(out.status.success(), "container {step}: {}\n{}", stderr(&out), stdout(&out));
    assert_eq!(dev_shm_mounts(), mounts, "container {step} left a mount on /dev/shm");
    for group in cgroups_made(&stderr(&out)) {
        assert!(!group.exists(), "container {step} left the cgroup {}", group.display());
    }
    let doc = read_json(&json);
    let _ = std::fs::remove_file(&json);
    doc["records"].as_array().expect("records").clone()
}

fn observation<'a>(records: &'a [serde_json::Value], id: &str) -> &'a serde_json::Value {
    records.iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("no observation {id} in {records:?}"))
}

/// The step's records, or None (with the reason said) when it cannot run.
fn runnable(test: &str, step: &str) -> bool {
    let probe = shmlab(&["container", step, "--help"]);
    assert!(probe.status.success());
    if !is_root() {
        // As a normal user the namespace steps need user namespaces.
        let out = shmlab(&["container", "--all"]);
        if !out.status.success() {
            skip(test, &format!("container --all cannot run here: {}", stderr(&out).trim()));
            return false;
        }
        if step == "cgroup-charge" {
            skip(test, "the cgroup step needs root (or a delegated cgroup); CI runs it as root");
            return false;
        }
    }
    true
}

#[test]
fn ipc_namespace_separates_sysv_but_posix_follows_dev_shm() {
    let _serial = serial();
    if !runnable("ipc_namespace_separates_sysv_but_posix_follows_dev_shm", "ipc-namespace") {
        return;
    }
    let before = snapshot();
    let records = run_step("ipc-namespace");
    assert_eq!(observation(&records, "host-lookup")["errno"], "ENOENT");
    let inside = observation(&records, "create-inside");
    assert_eq!(inside["inside"].as_array().map(Vec::len), Some(1), "{inside}");
    assert_eq!(inside["outside"].as_array().map(Vec::len), Some(0), "{inside}");
    let second = observation(&records, "same-key-other-namespace");
    assert_eq!(second["errno"], serde_json::Value::Null);
    // Both namespaces list a segment with the same key.
    let key = |r: &serde_json::Value| r["inside"][0].as_str().unwrap().split_whitespace().nth(1).unwrap().to_string();
    assert_eq!(key(inside), key(second));
    assert_eq!(observation(&records, "posix-own-tmpfs")["exists"], false);
    assert_eq!(observation(&records, "posix-host-mount")["exists"], true);
    assert!(observation(&records, "two-segments")["kernel_shows"].as_str().unwrap().contains("reads 1"));
    // Shmem is machine-wide: under other programs' shared memory traffic the
    // end cannot be seen, and the step says so (null) instead of guessing.
    let end = observation(&records, "last-process-exits");
    if end["exists"].is_null() {
        skip(
            "ipc_namespace_separates_sysv_but_posix_follows_dev_shm",
            &format!("busy machine: {}", end["kernel_shows"]),
        );
    } else {
        assert_eq!(end["exists"], false, "{end}");
    }
    assert_eq!(snapshot(), before, "the step left something behind");
}

#[test]
fn a_small_dev_shm_means_sigbus_on_touch_and_enospc_up_front() {
    let _serial = serial();
    if !runnable("a_small_dev_shm_means_sigbus_on_touch_and_enospc_up_front", "dev-shm-size") {
        return;
    }
    let before = snapshot();
    let records = run_step("dev-shm-size");
    let touch = observation(&records, "touch");
    assert_eq!(touch["signal"], "SIGBUS", "{touch}");
    assert_eq!(touch["reached"], 64u64 << 20, "SIGBUS exactly at the tmpfs size: {touch}");
    assert_eq!(touch["size"], 128u64 << 20);
    assert_eq!(observation(&records, "fallocate")["errno"], "ENOSPC");
    let xsi = observation(&records, "xsi");
    assert_eq!(xsi["signal"], serde_json::Value::Null, "{xsi}");
    assert_eq!(xsi["reached"], 128u64 << 20);
    for fix in ["bigger-tmpfs", "file-fallback"] {
        assert_eq!(observation(&records, fix)["signal"], serde_json::Value::Null, "{fix}");
    }
    assert!(observation(&records, "host-dev-shm")["lesson"].as_str().unwrap().contains("its own mount namespace"));
    assert_eq!(snapshot(), before, "the step left something behind");
}

#[test]
fn a_smaller_dev_shm_moves_the_sigbus_with_it() {
    let _serial = serial();
    if !runnable("a_smaller_dev_shm_moves_the_sigbus_with_it", "dev-shm-size") {
        return;
    }
    let json = json_path("container-small");
    let out = shmlab(&["container", "dev-shm-size", "--shm-size", "8MiB", "--json", json.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let records = read_json(&json)["records"].as_array().unwrap().clone();
    let _ = std::fs::remove_file(&json);
    assert_eq!(observation(&records, "touch")["reached"], 8u64 << 20);
}

#[test]
fn shared_memory_is_charged_to_its_first_toucher_until_removed() {
    let _serial = serial();
    if !runnable("shared_memory_is_charged_to_its_first_toucher_until_removed", "cgroup-charge") {
        return;
    }
    let before = snapshot();
    let records = run_step("cgroup-charge");
    assert!(observation(&records, "groups")["call"].as_str().unwrap().contains("shmlab-"));
    let mib = |r: &serde_json::Value, field: &str| r["charge"][field].as_u64().unwrap() >> 20;
    assert_eq!(mib(observation(&records, "created"), "a_shmem"), 0);
    let touched = observation(&records, "touched");
    assert!(mib(touched, "a_shmem") >= 60, "{touched}");
    assert!(mib(observation(&records, "toucher-exited"), "a_shmem") >= 60);
    let read = observation(&records, "read-from-b");
    assert!(mib(read, "b_shmem") < 6 && mib(read, "a_shmem") >= 60, "{read}");
    assert!(mib(observation(&records, "removed"), "a_shmem") < 6);
    let past = observation(&records, "past-limit");
    assert_eq!(past["signal"], "SIGKILL", "{past}");
    assert!(past["charge"]["a_oom_kills"].as_u64().unwrap() >= 1, "{past}");
    assert!(past["reached"].as_u64().unwrap() < 96 << 20, "killed before the limit's worth: {past}");
    assert!(mib(observation(&records, "oom-removed"), "a_shmem") < 6);
    assert_eq!(snapshot(), before, "the step left something behind");
}

#[test]
fn rmid_forced_is_set_in_a_namespace_and_never_on_the_host() {
    let _serial = serial();
    if !runnable("rmid_forced_is_set_in_a_namespace_and_never_on_the_host", "rmid-forced") {
        return;
    }
    let host = read_knob("/proc/sys/kernel/shm_rmid_forced");
    let before = snapshot();
    let records = run_step("rmid-forced");
    assert_eq!(observation(&records, "off-creator-exits")["exists"], true);
    assert_eq!(observation(&records, "off-last-detach")["exists"], true);
    assert_eq!(observation(&records, "turn-on")["exists"], false);
    assert_eq!(observation(&records, "on-creator-exits")["exists"], false);
    assert_eq!(observation(&records, "on-last-detach")["exists"], false);
    assert_eq!(read_knob("/proc/sys/kernel/shm_rmid_forced"), host);
    assert_eq!(snapshot(), before);
}

#[test]
fn a_normal_user_runs_the_namespace_steps_in_a_user_namespace_or_is_told_why() {
    let _serial = serial();
    let Some(out) = shmlab_as_nobody(&["container", "ipc-namespace"]) else {
        skip("a_normal_user_runs_the_namespace_steps_in_a_user_namespace", "needs root and setpriv to become nobody");
        return;
    };
    match out.status.code() {
        Some(0) => assert!(stdout(&out).contains("root in a user namespace"), "{}", stdout(&out)),
        Some(2) => {
            assert!(stderr(&out).contains("user namespace"), "{}", stderr(&out));
            skip("a_normal_user_runs_the_namespace_steps_in_a_user_namespace", "no user namespaces here");
            return;
        }
        other => panic!("as nobody: exit {other:?}: {}", stderr(&out)),
    }
    // The other namespace steps show the same as for root.
    for (step, shown) in [
        ("dev-shm-size", "was killed by SIGBUS after touching 64 MiB of 128 MiB"),
        ("rmid-forced", "right after the detach, its creator still running: gone"),
    ] {
        let out = shmlab_as_nobody(&["container", step]).unwrap();
        assert!(out.status.success(), "as nobody, {step}: {}", stderr(&out));
        assert!(stdout(&out).contains("CLONE_NEWUSER") && stdout(&out).contains(shown), "{}", stdout(&out));
    }
    // The cgroup step says what it needs, as an error when asked for ...
    let out = shmlab_as_nobody(&["container", "cgroup-charge"]).unwrap();
    assert_usage_error(&out, "cgroup-charge cannot run here");
    assert!(stderr(&out).contains("root"), "{}", stderr(&out));
    // ... and as a skipped step under --all.
    let out = shmlab_as_nobody(&["container", "--all"]).unwrap();
    if out.status.success() {
        assert!(stdout(&out).contains("cgroup-charge: skipped: "), "{}", stdout(&out));
    }
}

#[test]
fn bad_container_input_is_refused_with_a_reason() {
    assert_usage_error(&shmlab(&["container", "--shm-size", "3MiB", "dev-shm-size"]), "shm-size");
    assert_usage_error(&shmlab(&["container", "--limit", "100MB", "cgroup-charge"]), "limit");
    assert_eq!(shmlab(&["container"]).status.code(), Some(2));
    assert_eq!(shmlab(&["container", "no-such-step"]).status.code(), Some(2));
    assert_eq!(shmlab(&["container", "--all", "rmid-forced"]).status.code(), Some(2));
}

#[test]
fn a_killed_cgroup_step_is_listed_and_cleaned() {
    let _serial = serial();
    if !runnable("a_killed_cgroup_step_is_listed_and_cleaned", "cgroup-charge") {
        return;
    }
    let available_mib = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:")?.trim().strip_suffix(" kB")?.trim().parse::<u64>().ok())
        .unwrap_or(0)
        >> 10;
    if available_mib < 1536 {
        return skip(
            "a_killed_cgroup_step_is_listed_and_cleaned",
            &format!("needs 1.5 GiB available, has {available_mib} MiB"),
        );
    }
    let before = snapshot();
    // A large limit keeps the step busy long enough to be killed mid-way.
    let mut child = shmlab_command()
        .args(["container", "cgroup-charge", "--limit", "512MiB"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn shmlab");
    let note = wait_for_stderr_line(&mut child, " made under ");
    let groups = cgroups_made(&note);
    assert_eq!(groups.len(), 2, "{note}");
    send_signal(child.id(), libc::SIGKILL);
    let _ = child.wait();
    let listed = stdout(&shmlab(&["list", "--json", "-"]));
    let items: serde_json::Value = serde_json::from_str(&listed).expect("list JSON");
    assert!(groups.iter().any(|g| g.exists()), "the kill came before the groups were removed");
    for group in &groups {
        let item = items["records"].as_array().unwrap().iter().find(|i| i["name"] == group.display().to_string());
        assert!(item.is_some_and(|i| i["kind"] == "cgroup" && i["left_behind"] == true), "{listed}");
    }
    let cleaned = shmlab(&["clean"]);
    assert!(cleaned.status.success(), "{}", stderr(&cleaned));
    for group in &groups {
        assert!(!group.exists(), "clean left {}", group.display());
    }
    assert_eq!(snapshot(), before);
}

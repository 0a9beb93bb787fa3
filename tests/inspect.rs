//! inspect, lifecycle, list and clean, and the command-line conveniences,
//! through the real binary.

mod common;

use common::*;

fn json_records(args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--json", "-"]);
    let out = shmlab(&all);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    doc["records"].as_array().unwrap().clone()
}

#[test]
fn inspect_shows_each_backend_as_the_kernel_names_it() {
    let _serial = serial();
    let before = snapshot();
    let recs = json_records(&["inspect", "--all", "--proj-id", "41"]);
    let by = |b: &str| recs.iter().find(|r| r["backend"] == b).unwrap_or_else(|| panic!("no {b}")).clone();
    // The key is ftok's: from /etc/passwd's inode and device on this machine.
    let passwd = std::ffi::CString::new("/etc/passwd").unwrap();
    // SAFETY: a valid C string for the call's duration.
    let key = unsafe { libc::ftok(passwd.as_ptr(), 41) };
    let sysv = format!("/SYSV{:08x} (deleted)", key as u32);
    let expect = [
        ("mmap", "/dev/zero (deleted)"),
        ("xsi", sysv.as_str()),
        ("xsi-private", "/SYSV00000000 (deleted)"),
        ("posix", "/dev/shm/shmlab-"),
        ("memfd", "/memfd:shmlab-"),
        ("mmap-file", "/shmlab-"),
    ];
    for (backend, pattern) in expect {
        let r = by(backend);
        let path = r["mapping"]["path"].as_str().unwrap();
        assert!(path.contains(pattern), "{backend}: maps path {path:?} lacks {pattern:?}");
        assert_eq!(r["mapping"]["smaps"]["Rss"], 1024, "{backend}: the touched 1 MiB is resident");
        assert_eq!(r["mapping"]["smaps"]["KernelPageSize"], 4, "{backend}: 4 kB pages");
    }
    for backend in ["xsi", "xsi-private"] {
        let r = by(backend);
        let row = r["sysvipc_row"].as_str().expect("a /proc/sysvipc/shm row");
        assert!(row.contains(&format!("shmid {}", r["mapping"]["inode"])), "the SYSV file's inode is the shmid: {row}");
    }
    let memfd = by("memfd");
    assert!(memfd["descriptors"][0].as_str().unwrap().contains("/proc/self/fd/"), "memfd has a descriptor");
    let internal = by("mmap")["mapping"]["device"].clone();
    for backend in ["xsi", "xsi-private", "memfd"] {
        assert_eq!(by(backend)["mapping"]["device"], internal, "{backend} lives on the same internal shmem mount");
    }
    assert_ne!(by("posix")["mapping"]["device"], internal, "/dev/shm is a tmpfs of its own");
    assert_eq!(snapshot(), before);
}

#[test]
fn inspect_with_huge_pages_needs_a_page_or_says_how() {
    let _serial = serial();
    let free: u64 = read_knob("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages").parse().unwrap_or(0);
    if free == 0 {
        assert_usage_error(&shmlab(&["inspect", "--backend", "memfd", "--huge", "2M"]), "nr_hugepages");
    }
    assert_usage_error(&shmlab(&["inspect", "--backend", "posix", "--huge", "2M"]), "huge pages");
}

fn steps(backend: &str) -> Vec<serde_json::Value> {
    json_records(&["lifecycle", "--backend", backend, "--proj-id", "42"])
}

#[test]
fn xsi_lifecycle_happens_in_the_order_claimed() {
    let _serial = serial();
    let before = snapshot();
    let s = steps("xsi");
    let state = |i: usize| {
        (s[i]["exists"].as_bool().unwrap(), s[i]["attached"].as_u64(), s[i]["marked_for_removal"].as_bool().unwrap())
    };
    assert_eq!(s.len(), 7);
    assert_eq!(state(0), (true, Some(0), false), "A exited: the segment exists, nobody attached");
    assert_eq!(state(1), (true, Some(1), false), "B attached");
    assert!(s[1]["action"].as_str().unwrap().ends_with("read 42"), "B read A's value: {}", s[1]["action"]);
    assert_eq!(state(2), (true, Some(0), false), "B detached, the segment stays");
    assert_eq!(state(3), (true, Some(1), false), "B attached again");
    assert_eq!(state(4), (true, Some(1), true), "IPC_RMID while attached: marked for removal");
    assert!(s[4]["kernel_shows"].as_str().unwrap().contains("key 0x00000000"), "{}", s[4]["kernel_shows"]);
    assert!(s[4]["kernel_shows"].as_str().unwrap().contains("dest"));
    // By its key it is gone; by its shmid it still answers, and even attaches.
    let by_id = s[5]["action"].as_str().unwrap();
    assert!(by_id.contains("ENOENT") && by_id.contains("SHM_DEST set") && by_id.contains("read 42"), "{by_id}");
    assert_eq!(state(5), (true, Some(1), true), "shmlab's own attach went again: B's is the one left");
    assert_eq!(state(6), (false, None, false), "the last detach destroyed it");
    assert!(shmlab_processes().is_empty());
    assert_eq!(snapshot(), before);
}

#[test]
fn posix_and_mmap_lifecycles_end_with_nothing_left() {
    let _serial = serial();
    let before = snapshot();
    let s = steps("posix");
    assert!(s[0]["exists"].as_bool().unwrap() && s[2]["exists"].as_bool().unwrap(), "the name outlives A and munmap");
    assert!(
        s[4]["marked_for_removal"].as_bool().unwrap() && !s[4]["exists"].as_bool().unwrap(),
        "unlinked while mapped"
    );
    assert!(s[4]["kernel_shows"].as_str().unwrap().contains("(deleted)"));
    let m = steps("mmap");
    assert!(m[1]["kernel_shows"].as_str().unwrap().contains("/dev/zero (deleted)"), "{}", m[1]["kernel_shows"]);
    assert!(!m[2]["exists"].as_bool().unwrap());
    assert!(shmlab_processes().is_empty(), "B was reaped");
    assert_eq!(snapshot(), before);
}

#[test]
fn clean_removes_exactly_what_a_killed_shmlab_left() {
    let _serial = serial();
    let before = snapshot();
    // A segment that is not shmlab's: clean must leave it alone.
    let foreign = ForeignSegment::create(libc::IPC_PRIVATE, 0);
    let with_foreign = snapshot();
    // Become the subreaper of shmlab's children, so that when shmlab is
    // killed they are reparented to this test, which reaps them, instead of
    // to a pid 1 that may leave them as zombies.
    // SAFETY: prctl with plain integer arguments.
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    let mut child = start_with_children(
        &[
            "racing",
            "--backend",
            "xsi",
            "--backend",
            "mmap-file",
            "--lock",
            "sysv-sem",
            "--lock",
            "named-sem",
            "--children",
            "5",
            "--delay-us",
            "2000000",
            "--proj-id",
            "43",
        ],
        5,
    );
    let grandchildren = children_of(child.id());
    let listed = shmlab(&["list"]);
    assert!(stdout(&listed).contains(&format!("yes (pid {})", child.id())), "list marks shmlab's: {}", stdout(&listed));
    send_signal(child.id(), libc::SIGKILL);
    let _ = child.wait();
    for pid in grandchildren {
        // SAFETY: waits for a process this test adopted; blocks until it ends.
        unsafe { libc::waitpid(pid as i32, std::ptr::null_mut(), 0) };
    }
    assert!(shmlab_processes().is_empty(), "the children died with their parent");
    let left = snapshot();
    assert!(left.iter().any(|l| l.starts_with("shm ")) && left.iter().any(|l| l.starts_with("sem ")), "{left:?}");

    let dry = shmlab(&["clean", "--dry-run"]);
    assert!(stdout(&dry).contains("would remove"), "{}", stdout(&dry));
    assert_eq!(snapshot(), left, "--dry-run removes nothing");
    let cleaned = shmlab(&["clean"]);
    assert!(cleaned.status.success(), "{}", stderr(&cleaned));
    let after = snapshot();
    drop(foreign);
    assert_eq!(after, with_foreign, "clean removed exactly shmlab's leftovers: {}", stdout(&cleaned));
    // Nothing of the killed run is left to clean (another shmlab of this
    // user may be running beside the tests: its objects are its own).
    let again = stdout(&shmlab(&["clean"]));
    assert!(
        again.contains("Nothing to clean") || again.lines().all(|l| l.contains("left alone: shmlab pid")),
        "{again}"
    );
    assert_eq!(snapshot(), before);
}

#[test]
fn every_subcommand_has_examples_and_completions_and_man_exist() {
    // Serial too: other tests count running shmlab processes.
    let _serial = serial();
    for args in [
        vec!["racing"],
        vec!["crash"],
        vec!["bench", "locks"],
        vec!["memory"],
        vec!["limits"],
        vec!["reproduce"],
        vec!["run"],
        vec!["report"],
        vec!["schema"],
        vec!["inspect"],
        vec!["lifecycle"],
        vec!["list"],
        vec!["clean"],
        vec!["completions"],
        vec!["man"],
    ] {
        let mut all = args.clone();
        all.push("--help");
        let out = shmlab(&all);
        assert!(out.status.success(), "{args:?}");
        assert!(stdout(&out).contains("Example"), "{args:?} --help has no example section");
    }
    let bash = shmlab(&["completions", "bash"]);
    assert!(bash.status.success() && stdout(&bash).contains("_shmlab"), "bash completion");
    let man = shmlab(&["man"]);
    assert!(stdout(&man).contains(".TH shmlab 1") && stdout(&man).contains("lifecycle"), "man page");
    assert_usage_error(&shmlab(&["lifecycle", "--backend", "memfd"]), "possible values");
}

/// `man --dir` writes one page per command, every page the main one names
/// exists, and the examples stay as written (a verbatim block).
#[test]
fn man_pages_exist_for_every_subcommand_with_verbatim_examples() {
    let dir = scratch().join(format!("man-{}", std::process::id()));
    let out = shmlab(&["man", "--dir", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let main = std::fs::read_to_string(dir.join("shmlab.1")).unwrap();
    for name in main.split(|c: char| c.is_whitespace() || c == '\\').filter(|w| w.starts_with("shmlab-")) {
        let page = name.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()).trim_end_matches("(1");
        let page = page.split('(').next().unwrap();
        assert!(dir.join(format!("{page}.1")).exists(), "shmlab.1 names {page}(1), which was not written");
    }
    let crash = std::fs::read_to_string(dir.join("shmlab-crash.1")).unwrap();
    let examples = crash.split(".SH EXAMPLES").nth(1).expect("an EXAMPLES section");
    assert!(examples.starts_with("\n.nf\n"), "examples are a verbatim block: {examples}");
    assert!(examples.contains("shmlab crash \\-\\-lock mutex \\-\\-lock posix\\-sem\n"), "{examples}");
    let _ = std::fs::remove_dir_all(&dir);
}

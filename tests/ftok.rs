//! `shmlab ftok` through the real binary: its keys are the C library's own
//! `ftok` keys, hard links, symbolic links and renames keep a key, two
//! different files with the same low 16 inode bits share one and
//! `shmget(IPC_CREAT|IPC_EXCL)` then says EEXIST, and the run leaves no
//! segment and no directory behind.

mod common;

use std::ffi::CString;

use common::*;

fn libc_ftok(path: &str, proj_id: i32) -> i32 {
    let c = CString::new(path).unwrap();
    // SAFETY: c is a valid NUL-terminated path for the call.
    unsafe { libc::ftok(c.as_ptr(), proj_id) }
}

fn step<'a>(records: &'a [serde_json::Value], name: &str) -> Vec<&'a serde_json::Value> {
    records.iter().filter(|r| r["step"] == name).collect()
}

fn leftover_dirs() -> Vec<String> {
    let mine = format!("shmlab-{}-", std::process::id());
    let mut dirs: Vec<String> = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("shmlab-") && !n.starts_with(&mine))
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn keys_are_the_libraries_and_the_demonstration_shows_each_claim() {
    let _serial = serial();
    let before = (snapshot(), leftover_dirs());
    let json = json_path("ftok");
    let out = shmlab(&["ftok", "/etc/passwd", "--proj-id", "1234", "--json", json.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = read_json(&json);
    let records = doc["records"].as_array().unwrap();

    let passwd = step(records, "path")[0];
    assert_eq!(passwd["key"], libc_ftok("/etc/passwd", 1234), "{passwd}");
    assert_eq!(passwd["key_hex"], passwd["key_from_parts"], "glibc builds the key from its parts: {passwd}");
    for r in records {
        assert_eq!(r["key_hex"], r["key_from_parts"], "{r}");
    }
    for same in ["hard-link", "symlink", "rename"] {
        let r = step(records, same)[0];
        assert_eq!(r["same_key"], true, "{same}: {r}");
    }
    // Delete and recreate: the key follows the inode, reused or not.
    let recreate = step(records, "recreate")[0];
    let rename = step(records, "rename")[0];
    assert_eq!(recreate["same_key"], recreate["inode"] == rename["inode"], "{recreate}");
    // A collision of two different files, unless this file system never hands one out.
    let pair = step(records, "collision");
    if pair.len() == 2 {
        assert_ne!(pair[0]["inode"], pair[1]["inode"]);
        assert_eq!(pair[0]["key"], pair[1]["key"]);
        assert_eq!(pair[1]["same_key"], true);
        let exclusive = step(records, "exclusive-create")[0];
        let outcome = exclusive["outcome"].as_str().unwrap();
        assert!(outcome.contains("EEXIST") || outcome.contains("not tried"), "{exclusive}");
        if outcome.contains("EEXIST") {
            let lookup = step(records, "lookup")[0];
            assert!(lookup["outcome"].as_str().unwrap().contains("the first file's segment"), "{lookup}");
        }
    } else {
        skip("ftok collision part", &format!("no collision on this file system: {}", pair[0]["outcome"]));
    }
    assert_eq!((snapshot(), leftover_dirs()), before, "no segment, no directory left");
}

#[test]
fn bad_input_is_a_usage_error() {
    assert_usage_error(&shmlab(&["ftok", "/nonexistent/shmlab-ftok"]), "/nonexistent/shmlab-ftok");
    assert_usage_error(&shmlab(&["ftok", "--no-demo"]), "--no-demo");
    assert_usage_error(&shmlab(&["ftok", "/etc/passwd", "--proj-id", "x"]), "--proj-id");
}

//! Every hint names only flags the command it suggests really has.
//!
//! Each case drives one path that ends in an error or a note with advice;
//! every `--flag` in what shmlab printed must be an option of the
//! subcommand that was run, or of the `shmlab ...` command a hint spells
//! out in backticks. Flags of other programs (`docker run --shm-size`,
//! `sysctl -w`) are recognised by the command word in their backticks.

mod common;

use std::collections::BTreeSet;

use common::*;

/// The long options of `shmlab <subcommand...>`, from its --help.
fn options_of(subcommand: &[&str]) -> BTreeSet<String> {
    let mut args = subcommand.to_vec();
    args.push("--help");
    let help = stdout(&shmlab(&args));
    let mut flags: BTreeSet<String> = BTreeSet::new();
    for word in help.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        if word.starts_with("--") && word.len() > 2 {
            flags.insert(word.to_string());
        }
    }
    flags.insert("--help".into());
    flags
}

/// The subcommand part of an argument list (`["bench", "locks"]`, `["racing"]`).
fn subcommand<'a>(args: &[&'a str]) -> Vec<&'a str> {
    match args {
        ["bench", sub, ..] => vec!["bench", sub],
        [first, ..] => vec![first],
        [] => vec![],
    }
}

/// Every flag in `text` paired with the subcommand it must belong to.
fn flags_in<'a>(text: &'a str, current: &[&'a str]) -> Vec<(Vec<&'a str>, String)> {
    let mut found = Vec::new();
    for (i, part) in text.split('`').enumerate() {
        let quoted = i % 2 == 1;
        let words: Vec<&str> = part.split_whitespace().collect();
        let owner: Option<Vec<&str>> = if !quoted {
            Some(current.to_vec())
        } else if words.first().is_some_and(|w| *w == "shmlab" || w.ends_with("/shmlab")) {
            Some(subcommand(&words[1..]))
        } else if words.first().is_some_and(|w| w.starts_with("--")) {
            Some(current.to_vec())
        } else {
            None // another program's command line
        };
        let Some(owner) = owner else { continue };
        for word in part.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
            if word.starts_with("--") && word.len() > 2 && word.chars().nth(2).is_some_and(|c| c.is_ascii_lowercase()) {
                found.push((owner.clone(), word.to_string()));
            }
        }
    }
    found
}

fn check(args: &[&str], output: &str, problems: &mut Vec<String>) {
    for (owner, flag) in flags_in(output, &subcommand(args)) {
        if !options_of(&owner).contains(&flag) {
            problems.push(format!(
                "`shmlab {}` said {flag}, which `shmlab {}` does not have: {output}",
                args.join(" "),
                owner.join(" ")
            ));
        }
    }
}

#[test]
fn every_hint_names_flags_the_suggested_command_has() {
    let _serial = serial();
    let before = snapshot();
    let cases: &[&[&str]] = &[
        &["limits", "--check", "3GiB", "--huge", "2M"],
        &["limits", "--check", "0"],
        &["limits", "--check", "1TiB"],
        &["limits", "--demo"],
        &["inspect", "--backend", "memfd", "--huge", "2M"],
        &["inspect", "--backend", "posix", "--huge", "2M"],
        &["memory", "--huge", "2M", "--size", "4MiB"],
        &["memory", "--size", "1TiB"],
        &["memory", "--size", "0"],
        &["memory", "--hold", "-1"],
        &["memory", "--backend", "posix", "--huge", "2M"],
        &["racing", "--proj-id", "256", "--backend", "xsi"],
        &["racing", "--key-path", "/nonexistent", "--backend", "xsi"],
        &["racing", "--timeout", "0"],
        &["racing", "--json", "/nonexistent/x.json"],
        &["lifecycle", "--key-path", "/nonexistent"],
        &["crash", "--lock", "none"],
        &["bench", "locks", "--ops", "0"],
        &["report", "/nonexistent"],
        &["run", "/nonexistent.json"],
    ];
    let mut problems = Vec::new();
    for args in cases {
        let out = shmlab(args);
        check(args, &format!("{}{}", stdout(&out), stderr(&out)), &mut problems);
    }
    // A key taken by somebody else's segment, for the commands that use one.
    let path = std::ffi::CString::new("/etc/passwd").unwrap();
    // SAFETY: a valid C string for the call's duration.
    let key = unsafe { libc::ftok(path.as_ptr(), 93) };
    let foreign = ForeignSegment::create(key, libc::IPC_CREAT | libc::IPC_EXCL);
    for args in [
        &["racing", "--backend", "xsi", "--proj-id", "93", "--children", "2"][..],
        &["crash", "--backend", "xsi", "--proj-id", "93", "--lock", "flock"],
        &["memory", "--backend", "xsi", "--proj-id", "93", "--size", "4MiB"],
        &["lifecycle", "--proj-id", "93"],
    ] {
        let out = shmlab(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        check(args, &stderr(&out), &mut problems);
    }
    drop(foreign);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(snapshot(), before);
}

/// The checker itself: a flag of another program is not taken for ours,
/// and a flag that does not exist is caught.
#[test]
fn the_flag_checker_tells_ours_from_other_programs() {
    let text = "use a smaller --size, or `docker run --shm-size=1g`, or `shmlab memory --reserve-hugepages`";
    let found = flags_in(text, &["limits"]);
    assert_eq!(
        found,
        vec![(vec!["limits"], "--size".to_string()), (vec!["memory"], "--reserve-hugepages".to_string())]
    );
    let mut problems = Vec::new();
    check(&["limits"], "pass --reserve-hugepages", &mut problems);
    assert_eq!(problems.len(), 1, "limits has no --reserve-hugepages");
}

//! Every line a main command prints fits the terminal it is printed in,
//! down to 80 columns; without a terminal, 100 columns.

mod common;

use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::Stdio;

use common::*;

/// The main commands a class meets first, as the acceptance check runs them.
const COMMANDS: &[&[&str]] = &[
    &["racing"],
    &["racing", "--backend", "all", "--trials", "20"],
    &["racing", "--lock", "all", "--children", "20"],
    &["memory", "--size", "64MiB"],
    &["memory", "--size", "64MiB", "--compare-pages"],
    &["memory", "--size", "64MiB", "--compare-pages", "--access", "random"],
    &["ftok", "/etc/passwd", "/etc/group", "--no-demo"],
    &["compare", "results/reference", "tests/data/compare/2026-12-01-v1"],
    &["limits"],
    &["limits", "--check", "1GiB", "--try"],
    &["crash"],
    &["inspect", "--all"],
    &["lifecycle"],
    &["lifecycle", "--backend", "posix"],
    &["list"],
    &["bench", "locks", "--procs", "1", "--ops", "20000"],
    &["container", "--all"],
    &["container", "--help"],
    &["racing", "--help"],
    &["racing", "--children", "0"],
];

/// Display columns of a line, escape sequences removed (a wide character
/// counts two).
fn columns(line: &str) -> usize {
    let mut plain = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ ... final byte in @..~
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            continue;
        }
        plain.push(c);
    }
    unicode_width::UnicodeWidthStr::width(plain.as_str())
}

/// Runs shmlab with stdin, stdout and stderr on a pseudo-terminal of `cols`
/// columns and returns everything it printed.
fn in_terminal(cols: u16, args: &[&str]) -> String {
    in_terminal_with(cols, args, &[])
}

/// [`in_terminal`] with these environment variables set.
fn in_terminal_with(cols: u16, args: &[&str], env: &[(&str, &str)]) -> String {
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize { ws_row: 50, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: openpty writes two descriptors; the name buffer and termios may be NULL.
    let rc = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), &size) };
    assert_eq!(rc, 0, "openpty");
    // SAFETY: both descriptors were just opened and are owned here alone.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut child = shmlab_command()
        .args(args)
        .env_remove("COLUMNS")
        .env("TERM", "xterm-256color")
        .envs(env.iter().copied())
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave))
        .spawn()
        .expect("run shmlab in a pseudo-terminal");
    let mut out = Vec::new();
    let mut reader = std::fs::File::from(master);
    // Reading ends with EIO once the child has closed the last slave descriptor.
    let _ = reader.read_to_end(&mut out);
    let _ = child.wait();
    String::from_utf8_lossy(&out).replace('\r', "")
}

fn widest(text: &str) -> (usize, String) {
    text.lines().map(|l| (columns(l), l.to_string())).max_by_key(|(w, _)| *w).unwrap_or_default()
}

#[test]
fn every_main_command_fits_an_80_column_terminal() {
    let _serial = serial();
    let before = snapshot();
    for args in COMMANDS {
        let text = in_terminal(80, args);
        let (width, line) = widest(&text);
        assert!(width <= 80, "`shmlab {}` printed a line of {width} columns:\n{line}", args.join(" "));
        assert!(!text.trim().is_empty(), "`shmlab {}` printed nothing", args.join(" "));
    }
    assert_eq!(snapshot(), before);
}

#[test]
fn without_a_terminal_lines_fit_100_columns() {
    let _serial = serial();
    for args in [&["racing", "--backend", "all", "--trials", "20"][..], &["limits"], &["inspect", "--all"]] {
        let out = shmlab_command().args(args).env_remove("COLUMNS").output().unwrap();
        let text = format!("{}{}", stdout(&out), stderr(&out));
        let (width, line) = widest(&text);
        assert!(width <= 100, "`shmlab {}` piped: {width} columns:\n{line}", args.join(" "));
    }
    // $COLUMNS, when set, is the width.
    let out = shmlab_command().args(["racing"]).env("COLUMNS", "60").output().unwrap();
    let (width, line) = widest(&stdout(&out));
    assert!(width <= 60, "COLUMNS=60: {width} columns:\n{line}");
}

#[test]
fn report_md_text_blocks_fit_100_columns() {
    let _serial = serial();
    let dir = scratch().join(format!("widths-report-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy("results/reference/results.json", dir.join("results.json")).unwrap();
    let out = shmlab(&["report", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = std::fs::read_to_string(dir.join("report.md")).unwrap();
    let mut fenced = false;
    for line in report.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        assert!(!fenced || columns(line) <= 100, "a text block line of {} columns:\n{line}", columns(line));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The same in Chinese: a CJK character takes two columns, and the rule
/// still holds.
#[test]
fn every_main_command_fits_an_80_column_terminal_in_chinese() {
    let _serial = serial();
    let before = snapshot();
    for args in COMMANDS {
        let args: Vec<&str> = args.iter().copied().chain(["--lang", "zh"]).collect();
        let text = in_terminal(80, &args);
        let (width, line) = widest(&text);
        assert!(width <= 80, "`shmlab {}` printed a line of {width} columns:\n{line}", args.join(" "));
        let han = text.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count();
        assert!(han >= 4, "`shmlab {}` is not in Chinese ({han} Chinese characters):\n{text}", args.join(" "));
    }
    for args in [&["--help"][..], &["-h"], &["limits", "-h"], &["memory", "--help"], &["bench", "ipc", "--help"]] {
        let args: Vec<&str> = args.iter().copied().chain(["--lang", "zh"]).collect();
        let text = in_terminal(80, &args);
        let (width, line) = widest(&text);
        assert!(width <= 80, "`shmlab {}` printed a line of {width} columns:\n{line}", args.join(" "));
        assert!(
            text.contains("用法") || text.contains("选项"),
            "`shmlab {}` is not in Chinese:\n{text}",
            args.join(" ")
        );
    }
    // The locale alone chooses Chinese, in a terminal as anywhere.
    let text = in_terminal_with(80, &["racing", "--lock", "all"], &[("LANG", "zh_CN.UTF-8")]);
    let (width, line) = widest(&text);
    assert!(width <= 80, "LANG=zh_CN.UTF-8 racing --lock all printed a line of {width} columns:\n{line}");
    assert!(text.contains("丢失更新"), "LANG=zh_CN.UTF-8 racing is not in Chinese:\n{text}");
    assert_eq!(snapshot(), before);
}

//! Helpers shared by the integration tests: run the real binary, take
//! snapshots of the kernel objects a run could leave behind, and serialize
//! the tests that create such objects (cargo runs tests in parallel, and a
//! leak check must not see another test's objects).

#![allow(dead_code)]

use std::fs::File;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::PathBuf;
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_shmlab");

/// A directory of this user's own for the tests' files: the target
/// directory's tmp if this user may write there (the usual case), else a
/// private `.shmlab-tests-<uid>` in the system's temporary directory (a
/// target directory built by someone else, as when root builds and a
/// normal user runs the tests).
pub fn scratch() -> PathBuf {
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let probe = target.join(format!(".probe-{}", std::process::id()));
    if File::create(&probe).is_ok() {
        let _ = std::fs::remove_file(&probe);
        return target;
    }
    // SAFETY: geteuid has no preconditions.
    let uid = unsafe { libc::geteuid() };
    let dir = std::env::temp_dir().join(format!(".shmlab-tests-{uid}"));
    let _ = std::fs::DirBuilder::new().mode(0o700).create(&dir);
    let meta = std::fs::symlink_metadata(&dir).expect("the tests' scratch directory");
    assert!(
        meta.is_dir() && meta.uid() == uid && meta.mode() & 0o077 == 0,
        "{} is not a private directory of uid {uid}: remove it",
        dir.display()
    );
    dir
}

/// Holds an exclusive lock for as long as it lives; every test that creates
/// kernel objects or counts processes takes it first. The lock is this
/// user's (in `scratch()`): another user's tests do not wait for ours, and
/// ours look only at this user's objects (see `snapshot`).
pub struct Serial(File);

pub fn serial() -> Serial {
    let path = scratch().join("serial.lock");
    let file = File::options().create(true).truncate(false).write(true).open(&path).expect("open the test lock file");
    // SAFETY: flock on a descriptor we own; blocks until no other test holds it.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
    assert_eq!(rc, 0, "flock on the test lock file");
    // Orphans of the shmlab runs this test starts stay this process's
    // descendants, where `shmlab_processes` looks.
    adopt_orphans();
    Serial(file)
}

fn effective_uid() -> u32 {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() }
}

/// The objects a run of this user could leave behind: SysV segments and
/// semaphore sets this user created, this user's shmlab names in /dev/shm
/// and private temporary directories, and the huge page pool. Other users'
/// objects (another student's shmlab, a database) are none of a test's
/// business, so they are not looked at.
pub fn snapshot() -> Vec<String> {
    let uid = effective_uid().to_string();
    let mut items = Vec::new();
    for (kind, path, cuid) in
        [("shm", "/proc/sysvipc/shm", 9), ("sem", "/proc/sysvipc/sem", 6), ("msg", "/proc/sysvipc/msg", 9)]
    {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.get(cuid) == Some(&uid.as_str()) {
                items.push(format!("{kind} key={} id={}", f[0], f[1]));
            }
        }
    }
    let ours = |entry: &std::fs::DirEntry, prefixes: &[&str]| {
        let name = entry.file_name().to_string_lossy().to_string();
        let mine = entry.metadata().is_ok_and(|m| m.uid() == effective_uid());
        (mine && prefixes.iter().any(|p| name.starts_with(p))).then_some(name)
    };
    for entry in std::fs::read_dir("/dev/shm").into_iter().flatten().flatten() {
        if let Some(name) = ours(&entry, &["shmlab-", "sem.shmlab-"]) {
            items.push(format!("devshm {name}"));
        }
    }
    for entry in std::fs::read_dir("/dev/mqueue").into_iter().flatten().flatten() {
        if let Some(name) = ours(&entry, &["shmlab-"]) {
            items.push(format!("mqueue {name}"));
        }
    }
    for entry in std::fs::read_dir(std::env::temp_dir()).into_iter().flatten().flatten() {
        if let Some(name) = ours(&entry, &["shmlab-"]) {
            items.push(format!("tmp {name}"));
        }
    }
    let huge = std::fs::read_to_string("/proc/sys/vm/nr_hugepages").unwrap_or_default();
    items.push(format!("nr_hugepages {}", huge.trim()));
    items.sort();
    items
}

/// The locale variables shmlab takes its language from: tests expect the
/// English texts unless they set one of these themselves (tests/lang.rs).
pub const LOCALE_VARS: [&str; 4] = ["LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"];

/// shmlab as a test runs it: in English whatever the tester's locale.
pub fn shmlab_command() -> Command {
    let mut c = Command::new(BIN);
    for var in LOCALE_VARS {
        c.env_remove(var);
    }
    c
}

pub fn shmlab(args: &[&str]) -> Output {
    shmlab_command().args(args).output().expect("run shmlab")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Asserts a usage error: exit status 2 and exactly one line on stderr.
pub fn assert_usage_error(o: &Output, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "exit code for {needle:?}; stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line expected, got: {err}");
    assert!(err.contains(needle), "{needle:?} not in: {err}");
}

/// A fresh path for a JSON file in this user's scratch directory.
pub fn json_path(name: &str) -> PathBuf {
    scratch().join(format!("{name}-{}.json", std::process::id()))
}

pub fn read_json(path: &PathBuf) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("JSON file written");
    serde_json::from_str(&text).expect("JSON parses")
}

/// Pids of the direct children of `pid` (from /proc).
pub fn children_of(pid: u32) -> Vec<u32> {
    let path = format!("/proc/{pid}/task/{pid}/children");
    std::fs::read_to_string(path).unwrap_or_default().split_whitespace().filter_map(|p| p.parse().ok()).collect()
}

/// This test process's own shmlab processes still running: descendants
/// of it (children, their children ...) named shmlab, zombies left out (a
/// zombie holds nothing but a pid). Other shmlab runs on the machine are not
/// looked at. Call `adopt_orphans` first where shmlab may exit or be killed
/// before its children, so that they stay descendants.
pub fn shmlab_processes() -> Vec<u32> {
    let mut found = Vec::new();
    let mut todo = vec![std::process::id()];
    while let Some(pid) = todo.pop() {
        for task in std::fs::read_dir(format!("/proc/{pid}/task")).into_iter().flatten().flatten() {
            let children = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
            for child in children.split_whitespace().filter_map(|p| p.parse::<u32>().ok()) {
                let stat = std::fs::read_to_string(format!("/proc/{child}/stat")).unwrap_or_default();
                let state = stat.rsplit_once(") ").and_then(|(_, rest)| rest.chars().next());
                if stat.contains("(shmlab)") && state != Some('Z') {
                    found.push(child);
                }
                todo.push(child);
            }
        }
    }
    found
}

/// Makes this test process adopt the orphans of the processes it starts
/// (PR_SET_CHILD_SUBREAPER), so that `shmlab_processes` still sees a child
/// of shmlab that outlived it.
pub fn adopt_orphans() {
    // SAFETY: prctl with plain integer arguments.
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
}

pub fn send_signal(pid: u32, signal: i32) {
    // SAFETY: kill with a pid of a process this test started.
    unsafe { libc::kill(pid as i32, signal) };
}

pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// An exclusive claim on the 2 MiB huge page pool, taken the way shmlab
/// takes it (an flock on the pool's nr_hugepages file in sysfs), for a
/// test that changes the pool by itself: no shmlab run changes it meanwhile.
pub struct HugePoolClaim(#[allow(dead_code)] File);

pub fn claim_huge_pool() -> HugePoolClaim {
    let file = File::open("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages").expect("open the pool file");
    // SAFETY: flock on a descriptor we own; blocks until the claim is free.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
    assert_eq!(rc, 0, "flock on the huge page pool");
    HugePoolClaim(file)
}

/// Says why a test did not run. Written straight to standard error, past
/// the test harness's output capture, so that a skipped test is visible in
/// every `cargo test` run instead of passing silently.
pub fn skip(test: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// Runs `script` with `sh -c` in private IPC, mount and PID namespaces: its
/// own SysV IPC, its own tmpfs on /dev/shm and /run (so its own shmlab
/// registry), `TMPDIR=/run/tmp`, and a fresh /proc in which only its own
/// processes exist. `$SHMLAB` is the binary under test. As root the
/// namespaces are made directly; as a normal user inside a user namespace
/// that maps the user to root (where the kernel allows it). `Err` says why
/// no such sandbox can be made here.
pub fn in_private_namespaces(script: &str) -> Result<Output, String> {
    let prologue = "set -e; mount -t tmpfs -o mode=1777 shmlab-test /dev/shm; \
                    mount -t tmpfs -o mode=755 shmlab-test /run; mkdir -m 1777 /run/tmp; \
                    export TMPDIR=/run/tmp; unset XDG_RUNTIME_DIR; set +e; ";
    let mut command = sandbox_command()?;
    command.arg(format!("{prologue}{script}")).env("SHMLAB", BIN);
    for var in LOCALE_VARS {
        command.env_remove(var);
    }
    command.output().map_err(|e| format!("cannot run unshare: {e}"))
}

/// `unshare ... sh -c`, with a user namespace when not root; checked once.
fn sandbox_command() -> Result<Command, String> {
    static USABLE: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    let build = || {
        let mut c = Command::new("unshare");
        if !is_root() {
            c.args(["--user", "--map-root-user"]);
        }
        c.args(["--ipc", "--mount", "--pid", "--fork", "--mount-proc", "--propagation", "private", "sh", "-c"]);
        c
    };
    USABLE
        .get_or_init(|| match build().arg("mount -t tmpfs probe /dev/shm").output() {
            Ok(o) if o.status.success() => Ok(()),
            Ok(o) => Err(format!(
                "cannot make private namespaces here (unshare: {}); as a normal user this needs unprivileged \
                 user namespaces (kernel.unprivileged_userns_clone, user.max_user_namespaces)",
                String::from_utf8_lossy(&o.stderr).trim()
            )),
            Err(e) => Err(format!("cannot run unshare (util-linux): {e}")),
        })
        .clone()
        .map(|()| build())
}

pub fn read_knob(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default().trim().to_string()
}

/// Runs shmlab as user nobody (setpriv), to see what a non-root user sees.
/// `None` when that is not possible here (not root, or no setpriv).
pub fn shmlab_as_nobody(args: &[&str]) -> Option<Output> {
    if !is_root() || !std::path::Path::new("/usr/bin/setpriv").exists() {
        return None;
    }
    let mut c = Command::new("/usr/bin/setpriv");
    for var in LOCALE_VARS {
        c.env_remove(var);
    }
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN]).args(args).output().ok()
}

/// Starts shmlab with `args` (stderr piped) and waits until it has forked
/// at least `children` children, so that a signal hits it mid-run.
pub fn start_with_children(args: &[&str], children: usize) -> std::process::Child {
    let child = shmlab_command()
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn shmlab");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while children_of(child.id()).len() < children {
        assert!(std::time::Instant::now() < deadline, "shmlab {args:?} never forked {children} children");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child
}

/// Reads the child's stderr until a line contains `needle` (and returns it).
pub fn wait_for_stderr_line(child: &mut std::process::Child, needle: &str) -> String {
    use std::io::BufRead;
    let mut reader = std::io::BufReader::new(child.stderr.take().expect("stderr piped"));
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap_or(0) > 0 {
        if line.contains(needle) {
            return line;
        }
        line.clear();
    }
    panic!("shmlab ended without printing {needle:?}");
}

/// A SysV segment that is not shmlab's (created by the test itself with
/// `shmget(key, 4096, flags)`); removed when dropped, even if the test fails.
pub struct ForeignSegment(pub i32);

impl ForeignSegment {
    pub fn create(key: libc::key_t, flags: i32) -> Self {
        // SAFETY: plain libc call with integer arguments.
        let id = unsafe { libc::shmget(key, 4096, flags | 0o600) };
        assert!(id >= 0, "could not create a foreign segment (key {key:#x})");
        Self(id)
    }
}

impl Drop for ForeignSegment {
    fn drop(&mut self) {
        // SAFETY: removes the segment this test created.
        unsafe { libc::shmctl(self.0, libc::IPC_RMID, std::ptr::null_mut()) };
    }
}

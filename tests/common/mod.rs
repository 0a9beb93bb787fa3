//! Helpers shared by the integration tests: run the real binary, take
//! snapshots of the kernel objects a run could leave behind, and serialize
//! the tests that create such objects (cargo runs tests in parallel, and a
//! leak check must not see another test's objects).

#![allow(dead_code)]

use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_shmlab");

/// Holds an exclusive lock for as long as it lives; every test that creates
/// kernel objects or counts processes takes it first.
pub struct Serial(File);

pub fn serial() -> Serial {
    // flock needs only a read descriptor, so a normal user can share the
    // lock file that root created (mode 0644) with root's test runs.
    let path = "/tmp/.shmlab-tests.lock";
    let file = File::open(path)
        .or_else(|_| File::options().create(true).truncate(false).write(true).open(path))
        .expect("open the test lock file");
    // SAFETY: flock on a descriptor we own; blocks until no other test holds it.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
    assert_eq!(rc, 0, "flock on the test lock file");
    Serial(file)
}

/// The objects a run could leave behind: SysV segments and semaphore sets,
/// /dev/shm entries, shmlab's private temporary directories, huge pages.
pub fn snapshot() -> Vec<String> {
    let mut items = Vec::new();
    for (kind, path) in [("shm", "/proc/sysvipc/shm"), ("sem", "/proc/sysvipc/sem")] {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split_whitespace().collect();
            items.push(format!("{kind} key={} id={}", f[0], f[1]));
        }
    }
    for entry in std::fs::read_dir("/dev/shm").into_iter().flatten().flatten() {
        items.push(format!("devshm {}", entry.file_name().to_string_lossy()));
    }
    for entry in std::fs::read_dir(std::env::temp_dir()).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with("shmlab-") {
            items.push(format!("tmp {name}"));
        }
    }
    let huge = std::fs::read_to_string("/proc/sys/vm/nr_hugepages").unwrap_or_default();
    items.push(format!("nr_hugepages {}", huge.trim()));
    items.sort();
    items
}

pub fn shmlab(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("run shmlab")
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

/// A fresh path for a JSON file under the target directory.
pub fn json_path(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    dir.join(format!("{name}-{}.json", std::process::id()))
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

/// Processes named shmlab that are still running. Zombies are left out: a
/// child orphaned by a killed shmlab is reparented to pid 1, and in a
/// container whose pid 1 does not reap, its zombie stays; it holds nothing
/// but a pid.
pub fn shmlab_processes() -> Vec<u32> {
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let state = stat.rsplit_once(") ").and_then(|(_, rest)| rest.chars().next());
        if stat.contains("(shmlab)") && state != Some('Z') {
            pids.push(pid);
        }
    }
    pids
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
    Command::new("/usr/bin/setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN])
        .args(args)
        .output()
        .ok()
}

/// Starts shmlab with `args` (stderr piped) and waits until it has forked
/// at least `children` children, so that a signal hits it mid-run.
pub fn start_with_children(args: &[&str], children: usize) -> std::process::Child {
    let child = Command::new(BIN)
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

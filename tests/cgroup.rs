//! The memory lab inside a memory cgroup with a small limit, through the
//! real binary: a size that cannot be charged is refused before anything is
//! created (instead of an OOM kill that leaves the segment behind), and a
//! size that fits runs. As root only: the test makes its own cgroup (v1 or
//! v2, whichever holds the memory controller here) and removes it however
//! the test ends. No other cgroup is written to, except to move a process
//! the test started back where it came from.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::*;

const LIMIT: u64 = 256 << 20;

/// Where the memory controller is mounted, and which version it is.
struct Controller {
    mount_point: PathBuf,
    /// The mount's root field: the cgroup the mount point shows.
    root: String,
    v2: bool,
}

/// The memory controller's mount, if there is a usable one: v1 `cgroup`
/// with the `memory` option, else a `cgroup2` that offers memory to its
/// children (in the root's cgroup.subtree_control, which is not ours to change).
fn memory_controller() -> Option<Controller> {
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    let mut v2 = None;
    for line in mountinfo.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        let Some(dash) = f.iter().position(|x| *x == "-") else { continue };
        let (fstype, options) = (f.get(dash + 1).copied()?, f.get(dash + 3).copied().unwrap_or(""));
        let controller =
            Controller { mount_point: PathBuf::from(f[4]), root: f[3].to_string(), v2: fstype == "cgroup2" };
        if fstype == "cgroup" && options.split(',').any(|o| o == "memory") {
            return Some(controller);
        }
        if fstype == "cgroup2" {
            let offers =
                std::fs::read_to_string(controller.mount_point.join("cgroup.subtree_control")).unwrap_or_default();
            if offers.split_whitespace().any(|c| c == "memory") {
                v2 = Some(controller);
            }
        }
    }
    v2
}

/// A memory cgroup made by this test; on drop, every process still in it
/// goes back to the group it came from and the directory is removed.
struct TestCgroup {
    dir: PathBuf,
    name: String,
    v2: bool,
    /// The test process's own group: where the processes it starts come from.
    origin: Option<PathBuf>,
}

impl TestCgroup {
    fn create(controller: &Controller) -> Self {
        let name = format!("shmlab-test-{}", std::process::id());
        let dir = controller.mount_point.join(&name);
        std::fs::create_dir(&dir).unwrap_or_else(|e| panic!("mkdir {}: {e}", dir.display()));
        let origin = own_group(controller);
        let group = Self { dir, name, v2: controller.v2, origin };
        let file = group.dir.join(group.limit_file());
        std::fs::write(&file, LIMIT.to_string()).unwrap_or_else(|e| panic!("write {}: {e}", file.display()));
        group
    }

    fn limit_file(&self) -> &'static str {
        if self.v2 { "memory.max" } else { "memory.limit_in_bytes" }
    }

    /// The most this group was ever charged (v1 max_usage_in_bytes, v2 memory.peak).
    fn peak(&self) -> Option<u64> {
        let file = if self.v2 { "memory.peak" } else { "memory.max_usage_in_bytes" };
        std::fs::read_to_string(self.dir.join(file)).ok()?.trim().parse().ok()
    }

    /// Runs shmlab with `args` as a process that joins this group first.
    fn shmlab(&self, args: &[&str]) -> Output {
        let procs = self.dir.join("cgroup.procs");
        let script = format!("echo $$ > '{}' && exec \"$SHMLAB\" \"$@\"", procs.display());
        let mut c = Command::new("sh");
        for var in LOCALE_VARS {
            c.env_remove(var);
        }
        c.arg("-c").arg(script).arg("sh").args(args).env("SHMLAB", BIN).output().expect("run sh")
    }

    fn pids(&self) -> Vec<u32> {
        let text = std::fs::read_to_string(self.dir.join("cgroup.procs")).unwrap_or_default();
        text.split_whitespace().filter_map(|p| p.parse().ok()).collect()
    }
}

impl Drop for TestCgroup {
    fn drop(&mut self) {
        for pid in self.pids() {
            let moved =
                self.origin.as_ref().is_some_and(|o| std::fs::write(o.join("cgroup.procs"), pid.to_string()).is_ok());
            if !moved {
                // Only processes this test started can be in the group it made.
                send_signal(pid, libc::SIGKILL);
            }
        }
        for _ in 0..50 {
            if std::fs::remove_dir(&self.dir).is_ok() || !self.dir.exists() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        eprintln!("warning: could not remove {}; remove it with rmdir", self.dir.display());
    }
}

/// The directory of the test process's own memory cgroup (mount root `/`
/// or the mount's root as a prefix), if it can be found.
fn own_group(controller: &Controller) -> Option<PathBuf> {
    let text = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let path = text.lines().find_map(|line| {
        let mut f = line.splitn(3, ':');
        let (id, controllers, path) = (f.next()?, f.next()?, f.next()?);
        let wanted = if controller.v2 {
            id == "0" && controllers.is_empty()
        } else {
            controllers.split(',').any(|c| c == "memory")
        };
        wanted.then(|| path.to_string())
    })?;
    let root = controller.root.trim_end_matches('/');
    let rel = path.strip_prefix(root)?.trim_start_matches('/');
    let dir = if rel.is_empty() { controller.mount_point.clone() } else { controller.mount_point.join(rel) };
    dir.join("cgroup.procs").exists().then_some(dir)
}

#[test]
fn a_size_past_the_memory_cgroup_limit_is_refused_and_one_that_fits_runs() {
    let test = "a_size_past_the_memory_cgroup_limit_is_refused_and_one_that_fits_runs";
    if !is_root() {
        return skip(test, "needs root to create a memory cgroup");
    }
    let Some(controller) = memory_controller() else {
        return skip(test, "no memory cgroup controller here (no v1 memory hierarchy, no v2 offering memory)");
    };
    let _serial = serial();
    let before = snapshot();
    let group = TestCgroup::create(&controller);
    assert!(group.dir.join(group.limit_file()).exists());

    // 1 GiB cannot be charged to a 256 MiB group: refused before anything
    // exists (the old code was OOM-killed, exit 137, and left the segment).
    let out = group.shmlab(&["memory", "--backend", "xsi-private", "--size", "1GiB"]);
    assert_usage_error(&out, &group.name);
    let err = stderr(&out);
    assert!(err.contains(group.limit_file()) && err.contains("256 MiB"), "names the limit and its value: {err}");
    assert!(err.contains("use a smaller --size"), "says the fix: {err}");
    assert_eq!(snapshot(), before, "nothing left behind");

    // 32 MiB fits, runs inside the group, and is charged there.
    let out = group.shmlab(&["memory", "--backend", "xsi-private", "--size", "32MiB"]);
    assert!(out.status.success(), "32 MiB in a 256 MiB group: {}", stderr(&out));
    if let Some(peak) = group.peak() {
        assert!(peak >= 32 << 20, "the run was charged to the test's group: peak {peak}");
    }
    assert_eq!(snapshot(), before);
}

//! The machine a run happened on, recorded with every result: numbers from
//! a 2-core VM and a 64-core server are not comparable, and readers must be
//! able to tell which they are looking at.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What we record about the machine.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Machine {
    /// `uname -r`, e.g. `6.18.44`.
    pub kernel: String,
    /// The architecture shmlab was built for, e.g. `x86_64` (what `uname -m` says on it).
    pub arch: String,
    /// CPUs this process may run on.
    pub cpus: usize,
    /// MemTotal from /proc/meminfo, in KiB.
    pub mem_total_kib: u64,
    /// SwapTotal from /proc/meminfo, in KiB.
    #[serde(default)]
    pub swap_total_kib: u64,
    /// Base page size in bytes.
    pub page_size: u64,
    /// The line `free -V` prints (e.g. `free from procps-ng 4.0.2`), recorded with suites: its `used`
    /// column changed meaning in 4.0.1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub procps: Option<String>,
    /// The kernel settings that shape the results (kernel.shm*, vm.nr_hugepages,
    /// shmem THP ...), recorded with suites.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sysctls: BTreeMap<String, String>,
    /// How many processes this user may have: what a lab that forks checks
    /// its plan against. Not recorded (the settings above are).
    #[serde(skip)]
    #[schemars(skip)]
    pub process_limits: ProcessLimits,
}

/// The limits on how many processes can exist, each absent if unlimited
/// or unreadable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProcessLimits {
    /// `kernel.pid_max`: the largest pid, so at most that many processes.
    pub pid_max: Option<u64>,
    /// `kernel.threads-max`: every process is at least one thread.
    pub threads_max: Option<u64>,
    /// `RLIMIT_NPROC` (`ulimit -u`): this user's processes.
    pub nproc: Option<u64>,
}

impl ProcessLimits {
    pub fn read() -> Self {
        use super::sysctl::{proc_path, read_u64};
        Self {
            pid_max: read_u64(&proc_path("kernel.pid_max")),
            threads_max: read_u64(&proc_path("kernel.threads-max")),
            nproc: crate::sys::process::process_limit(),
        }
    }

    /// Each limit with the name a person looks it up by.
    pub fn named(&self) -> [(&'static str, Option<u64>); 3] {
        [
            ("kernel.pid_max", self.pid_max),
            ("kernel.threads-max", self.threads_max),
            ("RLIMIT_NPROC (ulimit -u)", self.nproc),
        ]
    }
}

/// The settings recorded by [`Machine::describe_fully`].
const SETTINGS: [&str; 8] = [
    "/proc/sys/kernel/shmmax",
    "/proc/sys/kernel/shmall",
    "/proc/sys/kernel/shmmni",
    "/proc/sys/kernel/shm_rmid_forced",
    "/proc/sys/kernel/sem",
    "/proc/sys/vm/nr_hugepages",
    "/proc/sys/vm/hugetlb_shm_group",
    "/sys/kernel/mm/transparent_hugepage/shmem_enabled",
];

fn read_trimmed(path: &str) -> String {
    std::fs::read_to_string(path).map(|s| s.trim().to_string()).unwrap_or_default()
}

impl Machine {
    /// Reads the machine's description from /proc (cheap: a few small files).
    pub fn describe() -> Self {
        let meminfo = super::meminfo::Meminfo::read().unwrap_or_default();
        let kib = |key: &str| meminfo.get(key).max(0) as u64;
        Self {
            kernel: read_trimmed("/proc/sys/kernel/osrelease"),
            arch: std::env::consts::ARCH.to_string(),
            cpus: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            mem_total_kib: kib("MemTotal"),
            swap_total_kib: kib("SwapTotal"),
            page_size: crate::sys::process::page_size(),
            procps: None,
            sysctls: BTreeMap::new(),
            process_limits: ProcessLimits::read(),
        }
    }

    /// The description plus the procps version and the kernel settings
    /// (spawns `free -V` once: for suites, not for every lab run).
    pub fn describe_fully() -> Self {
        let mut machine = Self::describe();
        machine.procps = std::process::Command::new("free")
            .arg("-V")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .filter(|v| !v.is_empty());
        for path in SETTINGS {
            let name = path.trim_start_matches("/proc/sys/").trim_start_matches("/sys/kernel/mm/").replace('/', ".");
            machine.sysctls.insert(name, read_trimmed(path));
        }
        machine
    }
}

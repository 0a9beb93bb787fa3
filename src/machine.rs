//! The machine a run happened on, recorded with every result: numbers from
//! a 2-core VM and a 64-core server are not comparable, and readers must be
//! able to tell which they are looking at.

use serde::{Deserialize, Serialize};

/// What we record about the machine.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// `uname -r`, e.g. `6.18.44`.
    pub kernel: String,
    /// `uname -m`, e.g. `x86_64`.
    pub arch: String,
    /// CPUs this process may run on.
    pub cpus: usize,
    /// MemTotal from /proc/meminfo, in KiB.
    pub mem_total_kib: u64,
    /// Base page size in bytes.
    pub page_size: u64,
}

fn read_trimmed(path: &str) -> String {
    std::fs::read_to_string(path).map(|s| s.trim().to_string()).unwrap_or_default()
}

/// The value of `key` in /proc/meminfo, in KiB (or pages for HugePages_*).
pub fn meminfo_value(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        let (name, rest) = line.split_once(':')?;
        if name != key {
            return None;
        }
        rest.split_whitespace().next()?.parse().ok()
    })
}

impl Machine {
    /// Reads the machine's description from /proc (cheap: a few small files).
    pub fn describe() -> Self {
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        Self {
            kernel: read_trimmed("/proc/sys/kernel/osrelease"),
            arch: std::env::consts::ARCH.to_string(),
            cpus: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            mem_total_kib: meminfo_value(&meminfo, "MemTotal").unwrap_or(0),
            page_size: 4096,
        }
    }
}

//! Huge page pools (/sys/kernel/mm/hugepages/hugepages-<size>kB) and a
//! reservation that raises a pool for one run and restores it afterwards.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::sysctl::{self, Override};
use crate::error::{Error, Result};

/// The huge page sizes x86-64 offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema, clap::ValueEnum)]
pub enum HugePageSize {
    /// 2 MiB pages (the default pool, vm.nr_hugepages)
    #[value(name = "2M")]
    #[serde(rename = "2M")]
    M2,
    /// 1 GiB pages
    #[value(name = "1G")]
    #[serde(rename = "1G")]
    G1,
}

impl HugePageSize {
    pub fn bytes(self) -> u64 {
        match self {
            HugePageSize::M2 => 2 << 20,
            HugePageSize::G1 => 1 << 30,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            HugePageSize::M2 => "2M",
            HugePageSize::G1 => "1G",
        }
    }

    /// The size named `2M` or `1G` (as records store it); `None` otherwise.
    pub fn from_name(name: &str) -> Option<Self> {
        [HugePageSize::M2, HugePageSize::G1].into_iter().find(|h| h.name() == name)
    }

    fn dir(self) -> PathBuf {
        PathBuf::from(format!("/sys/kernel/mm/hugepages/hugepages-{}kB", self.bytes() / 1024))
    }

    /// The command that sets this pool to `pages` pages (the 2 MiB pool is
    /// vm.nr_hugepages; other sizes have only their sysfs file).
    pub fn pool_command(self, pages: u64) -> String {
        match self {
            HugePageSize::M2 => format!("sysctl vm.nr_hugepages={pages}"),
            HugePageSize::G1 => format!("echo {pages} > {}/nr_hugepages", self.dir().display()),
        }
    }

    /// Pages of this size needed for `bytes` (rounded up, as the kernel does).
    pub fn pages_for(self, bytes: u64) -> u64 {
        bytes.div_ceil(self.bytes())
    }

    /// `bytes` rounded up to whole pages of this size.
    pub fn round_up(self, bytes: u64) -> u64 {
        self.pages_for(bytes).saturating_mul(self.bytes())
    }
}

/// One pool's counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Pool {
    pub page_bytes: u64,
    pub nr: u64,
    pub free: u64,
    pub reserved: u64,
    pub surplus: u64,
}

impl Pool {
    /// Pages that a new mapping can still reserve.
    pub fn unreserved(&self) -> u64 {
        self.free.saturating_sub(self.reserved)
    }
}

/// Reads the pool of `size`, or says that the kernel has no such pool.
pub fn pool(size: HugePageSize) -> Result<Pool> {
    let dir = size.dir();
    if !dir.exists() {
        return Err(Error::unavailable(format!(
            "this kernel has no {} huge pages ({} does not exist); use --huge 2M or none",
            size.name(),
            dir.display()
        )));
    }
    let get = |name: &str| sysctl::read_u64(&dir.join(name)).unwrap_or(0);
    Ok(Pool {
        page_bytes: size.bytes(),
        nr: get("nr_hugepages"),
        free: get("free_hugepages"),
        reserved: get("resv_hugepages"),
        surplus: get("surplus_hugepages"),
    })
}

/// `nr_overcommit_hugepages` of the pool of `size`: how many surplus pages
/// the kernel may add on demand beyond `nr_hugepages` (0 if unknown).
pub fn overcommit(size: HugePageSize) -> u64 {
    sysctl::read_u64(&size.dir().join("nr_overcommit_hugepages")).unwrap_or(0)
}

/// Every pool the kernel offers, by page size in bytes.
pub fn pools() -> Vec<Pool> {
    let mut out = Vec::new();
    for size in [HugePageSize::M2, HugePageSize::G1] {
        if let Ok(p) = pool(size) {
            out.push(p);
        }
    }
    out
}

/// A raised pool; the old `nr_hugepages` is written back on drop.
#[derive(Debug)]
pub struct Reservation {
    _guard: Option<Override>,
    // After the guard: the claim is released once the old value is back.
    _claim: Option<crate::registry::Claim>,
}

/// Makes sure `pages` pages of `size` are free and unreserved, raising the
/// pool if needed (root only). The pool is restored when the result drops.
pub fn reserve(size: HugePageSize, pages: u64) -> Result<Reservation> {
    let before = pool(size)?;
    if before.unreserved() >= pages {
        return Ok(Reservation { _guard: None, _claim: None });
    }
    if !crate::sys::process::is_root() {
        return Err(Error::unavailable(format!(
            "--reserve-hugepages needs root to raise the huge page pool; run as root, or ask root for `{}`",
            size.pool_command(before.nr.saturating_add(pages - before.unreserved()))
        )));
    }
    // Two runs that raise and restore the pool at once would restore in the
    // wrong order; one at a time.
    let claim = crate::registry::claim("hugepages").ok_or_else(|| {
        Error::usage("another shmlab run is changing the huge page pool right now; wait for it to finish and run again")
    })?;
    let before = pool(size)?;
    let wanted = before.nr.saturating_add(pages.saturating_sub(before.unreserved()));
    let path = size.dir().join("nr_hugepages");
    let guard = Override::set(&path, &wanted.to_string())?;
    let after = pool(size)?;
    if after.unreserved() < pages {
        return Err(Error::usage(format!(
            "asked the kernel for {wanted} huge pages of {} but it found only {} (memory is fragmented or short); \
             try a smaller --size, or `sync; echo 3 > /proc/sys/vm/drop_caches` first",
            size.name(),
            after.nr
        )));
    }
    Ok(Reservation { _guard: Some(guard), _claim: Some(claim) })
}

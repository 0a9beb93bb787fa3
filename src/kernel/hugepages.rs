//! Huge page pools (/sys/kernel/mm/hugepages/hugepages-<size>kB) and a
//! reservation that raises a pool for one run and restores it afterwards.

use std::path::PathBuf;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::sysctl;
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

/// A page size: `none` (the base pages), `2M` or `1G` huge pages. In a
/// suite file also `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Huge(pub Option<HugePageSize>);

impl Huge {
    pub fn name(self) -> &'static str {
        self.0.map_or("none", HugePageSize::name)
    }

    /// The huge page size in bytes, `None` for base pages.
    pub fn page_bytes(self) -> Option<u64> {
        self.0.map(HugePageSize::bytes)
    }
}

impl std::str::FromStr for Huge {
    type Err = String;
    fn from_str(text: &str) -> std::result::Result<Self, String> {
        match text {
            "none" => Ok(Huge(None)),
            other => HugePageSize::from_name(other)
                .map(|h| Huge(Some(h)))
                .ok_or_else(|| crate::tr!("memory-not-a-page-size", text = format!("{other:?}"))),
        }
    }
}

impl Serialize for Huge {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Huge {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(Huge(None)),
            Some(name) => name.parse().map_err(serde::de::Error::custom),
        }
    }
}

impl std::fmt::Display for Huge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl schemars::JsonSchema for Huge {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Huge".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "enum": ["none", "2M", "1G"]})
    }
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

    /// The size whose pool file is `path` (`…/hugepages-2048kB/nr_hugepages`).
    pub fn from_pool_path(path: &std::path::Path) -> Option<Self> {
        [HugePageSize::M2, HugePageSize::G1].into_iter().find(|h| h.dir().join("nr_hugepages") == path)
    }

    pub fn dir(self) -> PathBuf {
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
        return Err(Error::unavailable(crate::tr!("memory-no-huge-size", huge = size.name(), dir = dir.display())));
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

/// A claim on one huge page pool for the length of a run: an `flock` on
/// the pool's own `nr_hugepages` file in sysfs. Every process on the machine
/// sees that file as the same inode, whatever mount namespace it is in (a
/// lock file under /run is per mount namespace, and two runs in two
/// namespaces would both raise and both restore the pool). A run that
/// raises the pool holds it exclusively; a run that only uses free pages
/// holds it shared, so that neither can take the other's pages. The kernel
/// drops the claim when the process dies.
#[derive(Debug)]
pub struct PoolClaim(#[allow(dead_code, reason = "held for its lock")] std::fs::File);

/// Claims the pool of `size`: exclusively to change it, shared to use it.
pub fn claim(size: HugePageSize, exclusive: bool) -> Result<PoolClaim> {
    use std::os::fd::AsFd;
    let path = size.dir().join("nr_hugepages");
    let file = std::fs::File::open(&path)
        .map_err(|e| Error::unavailable(crate::tr!("memory-cannot-open", path = path.display(), error = e)))?;
    let got = if exclusive {
        crate::sys::file_lock::flock_try_exclusive(file.as_fd())
    } else {
        crate::sys::file_lock::flock_try_shared(file.as_fd())
    };
    match got {
        Ok(true) => Ok(PoolClaim(file)),
        Ok(false) => {
            let holder = lock_holder(&file).map(|pid| crate::tr!("memory-pool-holder", pid = pid)).unwrap_or_default();
            let id = if exclusive { "memory-pool-busy-exclusive" } else { "memory-pool-busy-shared" };
            Err(Error::usage(crate::tr!(id, holder = holder, huge = size.name())))
        }
        Err(e) => Err(Error::sys("flock", &path.display().to_string(), e, "")),
    }
}

/// The pid that holds an flock on `file`, from /proc/locks.
fn lock_holder(file: &std::fs::File) -> Option<i32> {
    use std::os::unix::fs::MetadataExt;
    let meta = file.metadata().ok()?;
    let dev = meta.dev();
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
    let id = format!("{major:02x}:{minor:02x}:{}", meta.ino());
    let locks = std::fs::read_to_string("/proc/locks").ok()?;
    locks
        .lines()
        .filter(|l| l.contains("FLOCK") && l.contains(&id))
        .find_map(|l| l.split_whitespace().nth(4)?.parse().ok().filter(|pid: &i32| *pid > 0))
}

//! The limits lab's records: the limits as read, a request checked against
//! them (and what the kernel said), and the kernel's refusals of `--demo`.

use serde::{Deserialize, Serialize};

use crate::kernel::hugepages::{Huge, HugePageSize, Pool};
use crate::sys::xsi::{self, GetFlags, Key};

/// Everything `shmlab limits` shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Limits {
    /// kernel.shmmax: the largest segment, bytes.
    pub shmmax: u64,
    /// kernel.shmall: all segments together, in pages of `page_size`.
    pub shmall_pages: u64,
    /// shmall × page size, bytes (saturating).
    pub shmall_bytes: u64,
    pub page_size: u64,
    /// kernel.shmmni: how many segments may exist.
    pub shmmni: u64,
    /// Segments that exist now (/proc/sysvipc/shm).
    pub segments_now: u64,
    /// Pages those segments take against shmall.
    pub shm_pages_in_use: u64,
    /// vm.nr_hugepages (the default 2 MiB pool).
    pub nr_hugepages: u64,
    /// Every huge page pool.
    pub hugepage_pools: Vec<Pool>,
    /// vm.hugetlb_shm_group: the group allowed SHM_HUGETLB without CAP_IPC_LOCK.
    pub hugetlb_shm_group: u64,
    /// kernel.shm_rmid_forced: 1 = segments are removed when their last user exits.
    pub shm_rmid_forced: u64,
    /// /dev/shm (POSIX shared memory) size and use, bytes.
    pub dev_shm_size_bytes: u64,
    pub dev_shm_used_bytes: u64,
    /// RLIMIT_MEMLOCK soft and hard, bytes (null = unlimited).
    pub memlock_soft: Option<u64>,
    pub memlock_hard: Option<u64>,
    /// kernel.sem: SEMMSL, SEMMNS, SEMOPM, SEMMNI.
    pub sem_per_set: u64,
    pub sem_total: u64,
    pub sem_ops_per_call: u64,
    pub sem_sets_max: u64,
    /// Semaphore sets that exist now.
    pub sem_sets_now: u64,
}

/// What `shmlab limits --json` writes as its one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LimitsRecord {
    pub limits: Limits,
    // Boxed: a Check is large, and records of every kind share one enum.
    pub check: Option<Box<Check>>,
    pub demo: Vec<Demo>,
    /// With `--demo`: refusals anyone can cause, each with the errno the
    /// kernel really returned. Absent in files before this field existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refusals: Vec<Refusal>,
}

/// One refusal caused for real: what was called, what the kernel said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Refusal {
    /// What the case shows, e.g. `EEXIST after a killed IPC_EXCL run`.
    pub case: String,
    /// The call, as C code writes it.
    pub call: String,
    /// The errno the case is about.
    pub expected_errno: String,
    /// What the kernel returned (`ok` if the call succeeded).
    pub kernel_said: String,
    /// Why the kernel said it, in its own terms (the check in ipc/ or mm/).
    pub explanation: String,
}

/// What one `shmget` call would do now (and, with `--try`, what it did).
/// Fields added after the first version carry `#[serde(default)]`, so
/// older results.json files still load; their checks were all the plain
/// request `shmget(IPC_PRIVATE, size, IPC_CREAT[|SHM_HUGETLB]|0600)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Check {
    pub size_bytes: u64,
    pub huge: Huge,
    /// Whether shmget would succeed (create a segment, or return an existing one).
    pub fits: bool,
    /// The limit or rule that stops it (e.g. `kernel.shmmax`), if any.
    pub blocked_by: Option<String>,
    /// The errno shmget would return (the prediction); null if it would succeed.
    pub errno: Option<String>,
    pub explanation: String,
    /// The key asked for: `IPC_PRIVATE`, or the key as ipcs prints it (`0x00001234`).
    #[serde(default = "private_key")]
    pub key: String,
    /// The call's shmflg, as C writes it: `IPC_CREAT|IPC_EXCL|0600`. Null in
    /// older files (`IPC_CREAT|0600`, plus `SHM_HUGETLB` with huge pages).
    #[serde(default)]
    pub flags: Option<String>,
    /// With --try: what the real shmget returned, `ok` or an errno name.
    #[serde(default)]
    pub kernel_said: Option<String>,
    /// With --try: whether the kernel said what was predicted.
    #[serde(default)]
    pub agrees: Option<bool>,
    /// With --try: the id shmget returned when it succeeded.
    #[serde(default)]
    pub kernel_shmid: Option<xsi::ShmId>,
    /// With --try, when it succeeded: true if the call created the segment
    /// (shmlab removed it at once), false if it returned one that existed.
    #[serde(default)]
    pub created: Option<bool>,
}

fn private_key() -> String {
    "IPC_PRIVATE".into()
}

impl Check {
    /// `ok` or the predicted errno.
    pub fn predicted(&self) -> &str {
        self.errno.as_deref().unwrap_or("ok")
    }

    /// The one-line error for a `--try` whose result was not the prediction.
    pub fn disagreement(&self) -> Option<String> {
        let said = self.kernel_said.as_deref()?;
        (self.agrees == Some(false))
            .then(|| crate::tr!("limits-disagreement", said = said, predicted = self.predicted()))
    }
}

/// One `shmget(key, size, shmflg)` call, as `limits --check` asks about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub size: u64,
    pub huge: Option<HugePageSize>,
    /// `IPC_PRIVATE` (0) or a key.
    pub key: Key,
    /// Where the key came from, for messages (`ftok(/etc/passwd, 7)`), if not typed as a number.
    pub key_origin: Option<String>,
    pub create: bool,
    pub exclusive: bool,
    /// Permission bits: of a new segment, and asked of an existing one.
    pub mode: u32,
}

impl Request {
    /// The request of the first `--check`: a new private segment, as `ipcmk` makes one.
    pub fn new_private(size: u64, huge: Option<HugePageSize>) -> Self {
        Request { size, huge, key: xsi::IPC_PRIVATE, key_origin: None, create: true, exclusive: false, mode: 0o600 }
    }

    pub fn flags(&self) -> GetFlags {
        GetFlags {
            create: self.create,
            exclusive: self.exclusive,
            huge_page_bytes: self.huge.map(|h| h.bytes()),
            no_reserve: false,
            mode: self.mode,
        }
    }

    /// `IPC_PRIVATE` or `0x00001234`, as ipcs prints keys.
    pub fn key_label(&self) -> String {
        key_label(self.key)
    }

    /// The key for a sentence: `key 0x00001234 (ftok(/etc/passwd, 7))`.
    pub fn key_words(&self) -> String {
        match &self.key_origin {
            Some(origin) => crate::tr!("limits-key-words-origin", key = self.key_label(), origin = origin),
            None => crate::tr!("limits-key-words", key = self.key_label()),
        }
    }
}

pub fn key_label(key: Key) -> String {
    if key == xsi::IPC_PRIVATE { "IPC_PRIVATE".into() } else { key.to_string() }
}

/// One real refusal by the kernel, with a limit lowered for the moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Demo {
    pub limit: String,
    pub was: String,
    pub lowered_to: String,
    pub request_bytes: u64,
    pub expected_errno: String,
    /// What shmget really returned (`ok` if it succeeded).
    pub kernel_said: String,
    pub restored: bool,
}

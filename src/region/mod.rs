//! Shared-memory regions: one file per way Linux lets processes share memory.
//!
//! A [`Region`] is created by one process (the parent of an experiment),
//! owns its mapping and its kernel object, and removes that object exactly
//! once when it drops. Children reach the same memory either by inheriting
//! the mapping across `fork` or by looking the object up again (by XSI key or
//! POSIX name), as the article's programs do; see [`Region::open_in_child`].

mod anon;
pub(crate) mod file;
mod memfd;
mod posix;
mod xsi;

use std::sync::atomic::AtomicU64;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::sys::Errno;
use crate::sys::mman::Mapping;

pub(crate) use file::{PrivateDir, private_dir};
pub use xsi::{OwnedSegment, XsiKey, key_taken as xsi_key_taken};

/// The ways to get shared memory, as named on the command line and in JSON.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
    clap::ValueEnum,
    strum::IntoStaticStr,
    strum::Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Backend {
    /// mmap(MAP_SHARED|MAP_ANONYMOUS) before fork; children inherit it.
    Mmap,
    /// MAP_SHARED mapping of a fresh regular file in a private temporary dir.
    MmapFile,
    /// shmget with a key from ftok; each child looks the key up and attaches.
    Xsi,
    /// shmget(IPC_PRIVATE), attached before fork.
    XsiPrivate,
    /// shm_open of a unique name in /dev/shm; each child opens it by name.
    Posix,
    /// memfd_create, inherited by the children.
    Memfd,
}

impl Backend {
    /// Every backend, in the order `all` runs them.
    pub const ALL: [Backend; 6] =
        [Backend::Mmap, Backend::MmapFile, Backend::Xsi, Backend::XsiPrivate, Backend::Posix, Backend::Memfd];

    /// The name used on the command line and in JSON (clap's and serde's
    /// kebab-case, the one spelling; a test checks they agree).
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// Whether it can be backed by huge pages: a file in /dev/shm (tmpfs)
    /// or TMPDIR is not on hugetlbfs.
    pub fn supports_huge_pages(self) -> bool {
        !matches!(self, Backend::MmapFile | Backend::Posix)
    }

    /// Refuses huge pages for any backend of `backends` that cannot have them.
    pub fn refuse_huge_pages(backends: &[Backend]) -> Result<()> {
        match backends.iter().find(|b| !b.supports_huge_pages()) {
            Some(b) => Err(Self::no_huge_pages(*b)),
            None => Ok(()),
        }
    }

    /// The error for huge pages asked of a backend that cannot have them.
    pub fn no_huge_pages(b: Backend) -> crate::error::Error {
        crate::error::Error::param("backends", crate::tr!("region-no-huge-pages", backend = b))
    }
}

/// What to create.
#[derive(Debug, Clone)]
pub struct RegionRequest {
    pub size: usize,
    /// Huge page size in bytes, or `None` for ordinary pages.
    pub huge_page_bytes: Option<usize>,
    /// Where the `xsi` backend takes its key from.
    pub xsi_key: XsiKey,
    /// When the file-backed backends (posix, mmap-file) get their blocks.
    pub backing: Backing,
}

/// When a file-backed region's blocks are allocated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backing {
    /// `posix_fallocate` at creation: a full file system is an ENOSPC error
    /// then, never a SIGBUS later. For the small regions of the labs.
    UpFront,
    /// At first touch, as the article's programs do, so the memory lab can
    /// show when pages really appear; its touch checks for room page by
    /// page instead (see `Mapping::populate_write`).
    OnTouch,
}

impl RegionRequest {
    /// A request of `size` bytes with ordinary pages and the article's key.
    pub fn small(size: usize, xsi_key: XsiKey) -> Self {
        Self { size, huge_page_bytes: None, xsi_key, backing: Backing::UpFront }
    }
}

/// The kernel object behind a region, removed once when it drops.
#[derive(Debug)]
#[allow(dead_code, reason = "each variant holds its guard for the guard's Drop")]
enum Object {
    /// Anonymous memory: it goes with the last mapping.
    Anonymous,
    File(file::TempFile),
    Xsi(xsi::Segment),
    Posix(posix::ShmObject),
    Memfd(memfd::Memfd),
}

/// How a child process reaches the region's memory.
#[derive(Debug, Clone)]
enum Reopen {
    /// The mapping made before fork is inherited.
    Inherited,
    /// `shmget(key, 0, 0)` then `shmat`.
    XsiKey(crate::sys::xsi::Key),
    /// `shm_open(name, O_RDWR)` then `mmap`.
    PosixName(String),
}

/// A shared mapping plus the kernel object behind it.
#[derive(Debug)]
pub struct Region {
    // Field order matters: the mapping is released before the object.
    mapping: Mapping,
    #[allow(dead_code, reason = "held for its Drop, which removes the kernel object")]
    object: Object,
    reopen: Reopen,
}

/// A child's view of a region: the inherited mapping or its own attachment.
pub enum ChildView<'a> {
    Inherited(&'a Mapping),
    Own(Mapping),
}

impl std::ops::Deref for ChildView<'_> {
    type Target = Mapping;
    fn deref(&self) -> &Mapping {
        match self {
            ChildView::Inherited(m) => m,
            ChildView::Own(m) => m,
        }
    }
}

impl Region {
    /// Creates the kernel object and maps it in this process.
    pub fn create(backend: Backend, request: &RegionRequest) -> Result<Self> {
        if request.huge_page_bytes.is_some() {
            Backend::refuse_huge_pages(&[backend])?;
        }
        match backend {
            Backend::Mmap => anon::create(request),
            Backend::MmapFile => file::create(request),
            Backend::Xsi => xsi::create_keyed(request),
            Backend::XsiPrivate => xsi::create_private(request),
            Backend::Posix => posix::create(request),
            Backend::Memfd => memfd::create(request),
        }
    }

    /// The mapping in the creating process.
    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    /// The directory whose file system holds this region's blocks, for the
    /// backends whose file system can fill up (posix, mmap-file).
    pub fn backing_dir(&self) -> Option<&std::path::Path> {
        match &self.object {
            Object::Posix(_) => Some(std::path::Path::new(crate::sys::posix_shm::SHM_DIR)),
            Object::File(file) => Some(file.dir()),
            _ => None,
        }
    }

    /// The shared counter of the racing lab: the first 8 bytes.
    pub fn counter(&self) -> &AtomicU64 {
        &self.mapping.words()[0]
    }

    /// Called in a forked child: the same memory, reached the way this
    /// backend's programs reach it. Never removes anything.
    pub fn open_in_child(&self) -> std::result::Result<ChildView<'_>, Errno> {
        match &self.reopen {
            Reopen::Inherited => Ok(ChildView::Inherited(&self.mapping)),
            Reopen::XsiKey(key) => xsi::reattach(*key, self.mapping.len()).map(ChildView::Own),
            Reopen::PosixName(name) => posix::reopen(name, self.mapping.len()).map(ChildView::Own),
        }
    }
}

/// A name nobody can guess in advance: `shmlab-<pid>-<64 random bits>`.
/// (A predictable name can be created first by anyone, to make a run fail
/// or to slip it a file; callers still create with O_EXCL and retry.)
pub(crate) fn unique_name(prefix: &str) -> String {
    format!("{prefix}shmlab-{}-{}", crate::sys::process::own_pid(), crate::registry::random_hex())
}

/// The error for a failed `shm_open`/`sem_open` of `name` in /dev/shm,
/// with what the errno means there.
pub(crate) fn devshm_error(call: &str, name: &str, errno: Errno) -> crate::error::Error {
    let hint = match errno {
        Errno::ENOENT => crate::i18n::t("region-devshm-not-mounted"),
        Errno::EACCES | Errno::EPERM | Errno::EROFS => crate::i18n::t("region-devshm-not-allowed"),
        Errno::ENOSPC => space_hint(std::path::Path::new(crate::sys::posix_shm::SHM_DIR)),
        Errno::EEXIST => crate::i18n::t("region-devshm-name-taken"),
        _ => String::new(),
    };
    crate::error::Error::sys(call, &crate::sys::posix_shm::object_path(name), errno, &hint)
}

/// What is full, how big it is, and what to do: for ENOSPC on a tmpfs or
/// on the file system of TMPDIR.
pub(crate) fn space_hint(dir: &std::path::Path) -> String {
    let (free, total) = crate::sys::fs::space(dir).unwrap_or((0, 0));
    crate::tr!(
        if dir.starts_with("/dev/shm") { "region-full-dev-shm" } else { "region-full-tmpdir" },
        dir = dir.display(),
        free = crate::size::human(free),
        total = crate::size::human(total)
    )
}

/// A huge page mapping that fails with ENOMEM (no pages in the pool) or
/// EPERM (not allowed) cannot be made on this machine as it is: that is
/// `Unavailable` (a suite skips it), not bad input.
pub(crate) fn huge_unavailable(error: crate::error::Error, huge_page_bytes: Option<usize>) -> crate::error::Error {
    match (huge_page_bytes, error.errno) {
        (Some(_), Some(Errno::ENOMEM | Errno::EPERM)) => error.unavailable_here(),
        _ => error,
    }
}

/// What to tell the user when a mapping or segment cannot be created.
pub(crate) fn hint_for_mapping(huge_page_bytes: Option<usize>) -> String {
    match huge_page_bytes {
        Some(_) => crate::i18n::t("region-reserve-huge-pages"),
        None => crate::i18n::t("region-see-limits"),
    }
}

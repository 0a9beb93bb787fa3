//! System V ("XSI") shared memory: a segment named by a numeric key, which
//! outlives every process until it is removed with `IPC_RMID`.
//!
//! `xsi` derives its key with `ftok(path, proj_id)` and creates the segment
//! with `IPC_CREAT|IPC_EXCL|0600`, as the article does; each child looks the
//! key up again and attaches. `xsi-private` uses `IPC_PRIVATE` and is
//! inherited. A key that already has a segment is never touched: shmlab only
//! removes what it created.

use std::path::PathBuf;

use super::{Object, Region, RegionRequest, Reopen};
use crate::error::{Error, Result, SysContext};
use crate::registry::{self, Entry};
use crate::sys::Errno;
use crate::sys::mman::Mapping;
use crate::sys::xsi::{self, CreateFlags, Key, ShmId};
use crate::tr;

/// The file and project id that `ftok` turns into a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XsiKey {
    pub path: PathBuf,
    pub proj_id: i32,
}

impl Default for XsiKey {
    /// The article's choice: `ftok("/etc/passwd", 1234)`.
    fn default() -> Self {
        Self { path: PathBuf::from("/etc/passwd"), proj_id: 1234 }
    }
}

impl XsiKey {
    /// `ftok(path, proj_id)`, with a clear error for a missing path.
    pub fn resolve(&self) -> Result<Key> {
        xsi::ftok(&self.path, self.proj_id).map_err(|errno| match errno {
            Errno::ENOENT => Error::usage(tr!(
                "region-key-path-missing",
                param = crate::error::Param("key_path"),
                path = self.path.display()
            )),
            other => Error::sys(
                "ftok",
                &self.path.display().to_string(),
                other,
                &tr!("region-key-path-readable", param = crate::error::Param("key_path")),
            ),
        })
    }
}

/// A segment made with exactly the caller's `shmget` flags and not attached:
/// recorded in the registry before the call (so a kill leaves `shmlab clean`
/// a record) and removed on drop if it still is the one this process made.
#[derive(Debug)]
pub struct OwnedSegment {
    pub shmid: ShmId,
    record: registry::Record,
}

impl OwnedSegment {
    /// `shmget(key, size, flags)` with `IPC_CREAT`, and `IPC_EXCL` for any
    /// key but IPC_PRIVATE (and whatever else `flags` asks). The outer error is the registry's; the inner one is the
    /// kernel's errno, for callers that show it (EEXIST, EPERM, ENOMEM).
    pub fn create(key: Key, size: usize, flags: xsi::GetFlags) -> Result<std::result::Result<Self, Errno>> {
        let creator_pid = crate::sys::process::own_pid().as_raw();
        let record = registry::record(Entry::XsiSegment { key, creator_pid, shmid: None })?;
        // A keyed segment is always a new one (IPC_EXCL): never someone else's under our record.
        let exclusive = flags.exclusive || key != xsi::IPC_PRIVATE;
        let shmid = match xsi::get(key, size, xsi::GetFlags { create: true, exclusive, ..flags }) {
            Ok(id) => id,
            Err(errno) => return Ok(Err(errno)),
        };
        // From here the segment is removed on drop, whatever fails next.
        let mut segment = Self { shmid, record };
        segment.record.update(Entry::XsiSegment { key, creator_pid, shmid: Some(shmid) })?;
        Ok(Ok(segment))
    }
}

impl Drop for OwnedSegment {
    fn drop(&mut self) {
        registry::remove_if_ours(self.record.registered());
    }
}

/// A segment this process created; removed (IPC_RMID) once on drop.
#[derive(Debug)]
pub(super) struct Segment {
    id: ShmId,
    key: Key,
    // Last: the registry file goes after Drop has removed the segment.
    record: registry::Record,
}

impl Segment {
    pub(super) fn describe(&self) -> String {
        if self.key == xsi::IPC_PRIVATE {
            tr!("region-segment-private", shmid = self.id)
        } else {
            tr!("region-segment-keyed", key = format!("{:#010x}", self.key), shmid = self.id)
        }
    }
}

impl Drop for Segment {
    fn drop(&mut self) {
        let _ = xsi::remove(self.id);
    }
}

fn create(key: Key, request: &RegionRequest, key_text: &str) -> Result<Region> {
    let flags = CreateFlags { exclusive: true, huge_page_bytes: request.huge_page_bytes, no_reserve: false };
    let creator_pid = crate::sys::process::own_pid().as_raw();
    // The intent first: a kill between shmget and the update still leaves a record.
    let record = registry::record(Entry::XsiSegment { key, creator_pid, shmid: None })?;
    let id = xsi::create(key, request.size, flags).map_err(|errno| create_error(errno, key, key_text, request))?;
    // From here the segment is removed on drop, whatever fails next.
    let mut segment = Segment { id, key, record };
    segment.record.update(Entry::XsiSegment { key, creator_pid, shmid: Some(id) })?;
    let mapping = xsi::attach(id).sys("shmat", || segment.describe(), "")?;
    let reopen = if key == xsi::IPC_PRIVATE { Reopen::Inherited } else { Reopen::XsiKey(key) };
    Ok(Region { mapping, object: Object::Xsi(segment), reopen })
}

fn create_error(errno: Errno, key: Key, key_text: &str, request: &RegionRequest) -> Error {
    let object = tr!("region-segment-object", key = key_text, size = request.size);
    match errno {
        Errno::EEXIST => key_taken(key, key_text),
        Errno::EINVAL => Error::sys("shmget", &object, errno, &crate::i18n::t("region-shm-size-hint")),
        Errno::ENOSPC => Error::sys("shmget", &object, errno, &crate::i18n::t("region-shm-exhausted-hint")),
        Errno::ENOMEM if request.huge_page_bytes.is_some() => {
            Error::sys("shmget(SHM_HUGETLB)", &object, errno, &crate::i18n::t("region-no-huge-pages-reserved"))
                .unavailable_here()
        }
        Errno::EPERM if request.huge_page_bytes.is_some() => {
            Error::sys("shmget(SHM_HUGETLB)", &object, errno, &crate::i18n::t("region-hugetlb-group-hint"))
                .unavailable_here()
        }
        other => Error::sys("shmget", &object, other, ""),
    }
}

/// The error for a key that already has a segment: another shmlab run's
/// (then wait, or use another key: never remove a live run's object), or
/// somebody else's (then look at it first).
pub fn key_taken(key: Key, key_text: &str) -> Error {
    if let Some(pid) = live_shmlab_creator(key) {
        return Error::usage(tr!("region-key-in-use", key = format!("{key:#010x}"), ftok = key_text, pid = pid))
            .with_errno(Errno::EEXIST);
    }
    Error::usage(tr!("region-key-taken", key = format!("{key:#010x}"), ftok = key_text)).with_errno(Errno::EEXIST)
}

/// The pid of the running shmlab process (or its child) that made the
/// segment with `key`, if one did: its creator still runs under the name
/// shmlab, or this user's registry lists it with a live owner.
fn live_shmlab_creator(key: Key) -> Option<i32> {
    let shmid = xsi::lookup(key).ok()?;
    let creator = xsi::status(shmid).ok()?.creator_pid;
    let comm = std::fs::read_to_string(format!("/proc/{creator}/comm")).unwrap_or_default();
    if comm.trim() == "shmlab" {
        return Some(creator);
    }
    registry::entries().ok()?.into_iter().find_map(|listed| match listed {
        registry::Listed::Record(_, r)
            if registry::owner_running(&r)
                && matches!(r.entry, Entry::XsiSegment { shmid: Some(id), .. } if id == shmid) =>
        {
            Some(r.owner_pid)
        }
        _ => None,
    })
}

pub(super) fn create_keyed(request: &RegionRequest) -> Result<Region> {
    let key = request.xsi_key.resolve()?;
    let text = format!("ftok({}, {})", request.xsi_key.path.display(), request.xsi_key.proj_id);
    create(key, request, &text)
}

pub(super) fn create_private(request: &RegionRequest) -> Result<Region> {
    create(xsi::IPC_PRIVATE, request, "IPC_PRIVATE")
}

/// In a child: find the segment by key again and attach it. A segment
/// smaller than the parent's (the key now names somebody else's) is
/// refused with EINVAL, as `shmget` itself refuses a size larger than the
/// segment it finds.
pub(super) fn reattach(key: Key, len: usize) -> std::result::Result<Mapping, Errno> {
    let mapping = xsi::attach(xsi::lookup(key)?)?;
    if mapping.len() < len {
        return Err(Errno::EINVAL);
    }
    Ok(mapping)
}

//! System V ("XSI") shared memory: `ftok`, `shmget`, `shmat`, `shmctl`.
//!
//! `nix` has no SysV IPC, so these wrap `libc` directly. A segment id is a
//! plain integer; the type that removes it exactly once lives in
//! `crate::region::xsi`.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::ptr::NonNull;

use nix::errno::Errno;

use super::mman::Mapping;

pub use super::ipc_id::{Key, ShmId};

/// `IPC_PRIVATE`: a key that always creates a new, unnamed segment.
pub const IPC_PRIVATE: Key = Key::PRIVATE;

/// `ftok(path, proj_id)`: a key from the file's inode and device numbers and
/// the low 8 bits of `proj_id` (the file's name plays no part).
pub fn ftok(path: &Path, proj_id: i32) -> Result<Key, Errno> {
    let c_path = CString::new(path.as_os_str().as_bytes()).map_err(|_| Errno::EINVAL)?;
    // SAFETY: c_path is a valid NUL-terminated string for the call's duration.
    let key = unsafe { libc::ftok(c_path.as_ptr(), proj_id) };
    if key == -1 { Err(Errno::last()) } else { Ok(Key(key)) }
}

/// Flags for creating a segment.
#[derive(Debug, Clone, Copy, Default)]
pub struct CreateFlags {
    /// `IPC_EXCL`: fail with EEXIST if the key already has a segment.
    pub exclusive: bool,
    /// `SHM_HUGETLB` with this page size in bytes.
    pub huge_page_bytes: Option<usize>,
    /// `SHM_NORESERVE`.
    pub no_reserve: bool,
}

/// `shmget(key, size, IPC_CREAT [| IPC_EXCL] [| SHM_HUGETLB...] | 0600)`.
pub fn create(key: Key, size: usize, flags: CreateFlags) -> Result<ShmId, Errno> {
    let flags = GetFlags {
        create: true,
        exclusive: flags.exclusive,
        huge_page_bytes: flags.huge_page_bytes.map(|b| b as u64),
        no_reserve: flags.no_reserve,
        mode: 0o600,
    };
    get(key, size, flags)
}

/// Everything a `shmget` call can ask for, as its `shmflg` argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetFlags {
    /// `IPC_CREAT`: make a segment if the key has none.
    pub create: bool,
    /// `IPC_EXCL`: with `IPC_CREAT`, fail with EEXIST if the key has one.
    pub exclusive: bool,
    /// `SHM_HUGETLB` with this page size in bytes.
    pub huge_page_bytes: Option<u64>,
    /// `SHM_NORESERVE`.
    pub no_reserve: bool,
    /// Permission bits (at most 0o777): a new segment gets them, and an
    /// existing one must grant them to the caller.
    pub mode: u32,
}

impl GetFlags {
    /// The `shmflg` integer.
    pub fn bits(&self) -> libc::c_int {
        let mut shmflg = (self.mode & 0o777) as libc::c_int;
        if self.create {
            shmflg |= libc::IPC_CREAT;
        }
        if self.exclusive {
            shmflg |= libc::IPC_EXCL;
        }
        if let Some(bytes) = self.huge_page_bytes {
            // SHM_HUGE_SHIFT is 26, the same encoding as MAP_HUGE_SHIFT.
            shmflg |= libc::SHM_HUGETLB | ((bytes.trailing_zeros() as libc::c_int) << libc::MAP_HUGE_SHIFT);
        }
        if self.no_reserve {
            shmflg |= libc::SHM_NORESERVE;
        }
        shmflg
    }

    /// The flags as a C programmer writes them: `IPC_CREAT|IPC_EXCL|0600`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.create {
            parts.push("IPC_CREAT".into());
        }
        if self.exclusive {
            parts.push("IPC_EXCL".into());
        }
        if let Some(bytes) = self.huge_page_bytes {
            parts.push("SHM_HUGETLB".into());
            parts.push(match bytes {
                b if b >= 1 << 30 => format!("SHM_HUGE_{}GB", b >> 30),
                b if b >= 1 << 20 => format!("SHM_HUGE_{}MB", b >> 20),
                b => format!("SHM_HUGE_{}KB", b >> 10),
            });
        }
        if self.no_reserve {
            parts.push("SHM_NORESERVE".into());
        }
        parts.push(format!("{:04o}", self.mode & 0o777));
        parts.join("|")
    }
}

/// `shmget(key, size, flags)`: the id of the segment it found or made.
pub fn get(key: Key, size: usize, flags: GetFlags) -> Result<ShmId, Errno> {
    // SAFETY: shmget takes plain integers.
    let id = unsafe { libc::shmget(key.0, size, flags.bits()) };
    Errno::result(id).map(ShmId)
}

/// `shmget(key, 0, 0)`: the id of the segment that has `key` now.
pub fn lookup(key: Key) -> Result<ShmId, Errno> {
    // SAFETY: shmget takes plain integers.
    Errno::result(unsafe { libc::shmget(key.0, 0, 0) }).map(ShmId)
}

/// `shmat(shmid, NULL, 0)`: attaches the whole segment.
///
/// The length of the returned mapping is the size the kernel reports for
/// the segment (`IPC_STAT`), never a caller's guess: a segment found by key
/// may be smaller than expected (somebody else's), and a view longer than
/// the attachment would read past it. A segment's size never changes after
/// `shmget`, so the size read before `shmat` is the size attached.
pub fn attach(shmid: ShmId) -> Result<Mapping, Errno> {
    let len = status(shmid)?.size;
    // SAFETY: a NULL address lets the kernel choose a free range, so the
    // attachment cannot alias any Rust object.
    let addr = unsafe { libc::shmat(shmid.0, std::ptr::null(), 0) };
    if addr as isize == -1 {
        return Err(Errno::last());
    }
    let addr = NonNull::new(addr).ok_or(Errno::EFAULT)?;
    Ok(Mapping::from_shmat(addr, len, shmid))
}

/// `shmctl(shmid, IPC_RMID, NULL)`: marks the segment for removal. It goes
/// when the last process detaches; its key is free at once.
pub fn remove(shmid: ShmId) -> Result<(), Errno> {
    // SAFETY: IPC_RMID reads no buffer.
    Errno::result(unsafe { libc::shmctl(shmid.0, libc::IPC_RMID, std::ptr::null_mut()) }).map(drop)
}

/// The `dest` bit in a segment's mode (linux/shm.h; `libc` lacks it).
const SHM_DEST: u32 = 0o1000;

/// What `shmctl(IPC_STAT)` says about a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentStatus {
    pub key: Key,
    pub size: usize,
    pub attached: u64,
    pub mode: u32,
    pub creator_pid: i32,
    pub owner_uid: u32,
    /// The user who created it (`cuid`; the owner can be changed, this cannot).
    pub creator_uid: u32,
}

impl SegmentStatus {
    /// The segment was removed (IPC_RMID) while processes still had it attached.
    pub fn marked_for_removal(&self) -> bool {
        self.mode & SHM_DEST != 0
    }
}

/// `shmctl(shmid, IPC_STAT)`.
pub fn status(shmid: ShmId) -> Result<SegmentStatus, Errno> {
    let mut ds = std::mem::MaybeUninit::<libc::shmid_ds>::zeroed();
    // SAFETY: ds is a writable shmid_ds buffer of the right size.
    Errno::result(unsafe { libc::shmctl(shmid.0, libc::IPC_STAT, ds.as_mut_ptr()) })?;
    // SAFETY: IPC_STAT succeeded, so the kernel filled the whole struct.
    let ds = unsafe { ds.assume_init() };
    Ok(SegmentStatus {
        key: Key(ds.shm_perm.__key),
        size: ds.shm_segsz,
        attached: ds.shm_nattch,
        mode: ds.shm_perm.mode as u32,
        creator_pid: ds.shm_cpid,
        owner_uid: ds.shm_perm.uid,
        creator_uid: ds.shm_perm.cuid,
    })
}

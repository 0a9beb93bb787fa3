//! Shared mappings: `mmap(MAP_SHARED)` and `shmat`, owned by one type.
//!
//! A [`Mapping`] is an address range shared with other processes. It is
//! unmapped (`munmap`) or detached (`shmdt`) exactly once, when it drops.
//! Its contents are only ever seen as atomics ([`Mapping::words`]), because
//! other processes write to the same memory at the same time.

use std::num::NonZeroUsize;
use std::os::fd::BorrowedFd;
use std::ptr::NonNull;
use std::sync::atomic::AtomicU64;

use nix::errno::Errno;
use nix::sys::mman::{MapFlags, ProtFlags};

/// How a [`Mapping`] gives its address range back to the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Release {
    Munmap,
    Shmdt,
}

/// A shared address range that this process owns until it drops.
#[derive(Debug)]
pub struct Mapping {
    addr: NonNull<libc::c_void>,
    len: usize,
    release: Release,
    object: ObjectId,
}

/// Which shared memory object a [`Mapping`] shows. Two mappings with the
/// same id show the same bytes, in this process or in another one: that is
/// what lets a lock initialised through one mapping be used through
/// another (see `crate::sys::placed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectId {
    /// An anonymous shared mapping, reachable only by inheriting it across
    /// `fork`: the process that made it and a serial number in that process.
    Anonymous { creator_pid: i32, serial: u64 },
    /// A file (tmpfs, memfd, a disk file): its device and inode.
    File { dev: u64, ino: u64 },
    /// A SysV segment, by id (an attached segment's id is not reused).
    Segment(super::ShmId),
}

impl ObjectId {
    fn new_anonymous() -> Self {
        static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let serial = SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        ObjectId::Anonymous { creator_pid: std::process::id() as i32, serial }
    }

    fn of_file(fd: BorrowedFd<'_>) -> Result<Self, Errno> {
        let st = nix::sys::stat::fstat(fd)?;
        Ok(ObjectId::File { dev: st.st_dev, ino: st.st_ino })
    }
}

/// Extra `mmap` flags a caller may ask for (huge pages, no reservation).
#[derive(Debug, Clone, Copy, Default)]
pub struct MapOptions {
    /// `MAP_HUGETLB` with this page size in bytes (2 MiB or 1 GiB).
    pub huge_page_bytes: Option<usize>,
    /// `MAP_NORESERVE`: do not reserve huge pages or swap at map time.
    pub no_reserve: bool,
}

impl MapOptions {
    fn flags(&self) -> MapFlags {
        let mut flags = MapFlags::MAP_SHARED;
        if let Some(bytes) = self.huge_page_bytes {
            flags |= MapFlags::MAP_HUGETLB;
            // The page size goes in bits 26..31 as its log2 (MAP_HUGE_SHIFT).
            let log2 = bytes.trailing_zeros() as libc::c_int;
            flags |= MapFlags::from_bits_retain(log2 << libc::MAP_HUGE_SHIFT);
        }
        if self.no_reserve {
            flags |= MapFlags::MAP_NORESERVE;
        }
        flags
    }
}

fn nonzero(len: usize) -> Result<NonZeroUsize, Errno> {
    NonZeroUsize::new(len).ok_or(Errno::EINVAL)
}

impl Mapping {
    /// `mmap(NULL, len, READ|WRITE, MAP_SHARED|MAP_ANONYMOUS|extra, -1, 0)`.
    pub fn shared_anonymous(len: usize, options: MapOptions) -> Result<Self, Errno> {
        let len_nz = nonzero(len)?;
        let prot = ProtFlags::PROT_READ | ProtFlags::PROT_WRITE;
        // SAFETY: a new mapping at an address the kernel chooses cannot alias
        // any Rust object; we own it until Drop unmaps it.
        let addr = unsafe { nix::sys::mman::mmap_anonymous(None, len_nz, prot, options.flags()) }?;
        Ok(Self { addr, len, release: Release::Munmap, object: ObjectId::new_anonymous() })
    }

    /// `mmap(NULL, len, READ|WRITE, MAP_SHARED|extra, fd, 0)`.
    pub fn shared_file(fd: BorrowedFd<'_>, len: usize, options: MapOptions) -> Result<Self, Errno> {
        let len_nz = nonzero(len)?;
        let object = ObjectId::of_file(fd)?;
        let prot = ProtFlags::PROT_READ | ProtFlags::PROT_WRITE;
        // SAFETY: as above; the file is only ever accessed through atomics, so
        // writes by other processes to the same pages are not data races.
        let addr = unsafe { nix::sys::mman::mmap(None, len_nz, prot, options.flags(), fd, 0) }?;
        Ok(Self { addr, len, release: Release::Munmap, object })
    }

    /// Wraps an address returned by `shmat`; dropping it calls `shmdt`.
    pub(super) fn from_shmat(addr: NonNull<libc::c_void>, len: usize, shmid: super::ShmId) -> Self {
        Self { addr, len, release: Release::Shmdt, object: ObjectId::Segment(shmid) }
    }

    /// The shared object this mapping shows.
    pub fn object(&self) -> ObjectId {
        self.object
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Start address, as printed in `/proc/self/maps`.
    pub fn address(&self) -> usize {
        self.addr.as_ptr() as usize
    }

    /// Writes `byte` to every byte of `range`: the first touch that makes
    /// the kernel allocate each page (the article's zero-fill).
    pub fn fill(&self, range: std::ops::Range<usize>, byte: u8) {
        assert!(range.start <= range.end && range.end <= self.len, "fill out of range");
        // SAFETY: the range is in bounds (checked). No Rust reference to
        // these bytes is alive while we write them: words() hands out atomics
        // over the same memory, but the memory lab never holds any while it
        // fills, and other processes do not touch the memory lab's region.
        unsafe {
            std::ptr::write_bytes(self.addr.as_ptr().cast::<u8>().add(range.start), byte, range.end - range.start)
        };
    }

    /// `madvise(MADV_POPULATE_WRITE)` over `range`: fault the pages in for
    /// writing now. Where a write would die of SIGBUS (a full tmpfs, a full
    /// disk under a file mapping) this returns EFAULT instead, and ENOMEM
    /// when memory runs out; EINVAL on kernels before 5.14, which lack it.
    pub fn populate_write(&self, range: std::ops::Range<usize>) -> Result<(), Errno> {
        assert!(range.start <= range.end && range.end <= self.len, "populate out of range");
        let page = super::process::page_size() as usize;
        let start = range.start - range.start % page;
        // SAFETY: the range lies inside our mapping (checked; start rounded
        // down to its page, which is still ours: the mapping is page
        // aligned); populating changes no contents.
        let rc = unsafe {
            libc::madvise(
                self.addr.as_ptr().cast::<u8>().add(start).cast(),
                range.end - start,
                libc::MADV_POPULATE_WRITE,
            )
        };
        Errno::result(rc).map(drop)
    }

    /// `madvise(MADV_NOHUGEPAGE)`: no transparent huge pages here, whatever
    /// `shmem_enabled` says (except `force`), so 4 KiB pages stay 4 KiB.
    pub fn refuse_huge_pages(&self) -> Result<(), Errno> {
        // SAFETY: the range is exactly our mapping; advice does not change
        // its contents.
        unsafe { nix::sys::mman::madvise(self.addr, self.len, nix::sys::mman::MmapAdvise::MADV_NOHUGEPAGE) }
    }

    /// `madvise(MADV_HUGEPAGE)`: ask for transparent huge pages here.
    pub fn advise_huge_pages(&self) -> Result<(), Errno> {
        // SAFETY: the range is exactly our mapping; advice does not change
        // its contents.
        unsafe { nix::sys::mman::madvise(self.addr, self.len, nix::sys::mman::MmapAdvise::MADV_HUGEPAGE) }
    }

    /// The mapping as 64-bit words. Word 0 is the racing counter.
    pub fn words(&self) -> &[AtomicU64] {
        // SAFETY: the mapping is page aligned (so 8-byte aligned), `len` bytes
        // long and valid until `self` drops, which the borrow guarantees.
        // AtomicU64 has the size and alignment of u64 and permits shared
        // mutation, including by other processes.
        unsafe { std::slice::from_raw_parts(self.addr.as_ptr().cast::<AtomicU64>(), self.len / 8) }
    }

    /// Raw address of byte `offset`, for process-shared primitives
    /// (pthread mutexes, semaphores) placed in the mapping. Panics if the
    /// range is out of bounds or not 8-byte aligned (a layout bug).
    pub(super) fn byte_ptr(&self, offset: usize, size: usize) -> *mut u8 {
        assert!(
            offset.checked_add(size).is_some_and(|end| end <= self.len) && offset.is_multiple_of(8),
            "layout bug: {offset}+{size} in {}",
            self.len
        );
        // SAFETY: in bounds, checked above.
        unsafe { self.addr.as_ptr().cast::<u8>().add(offset) }
    }
}

/// A shared file mapping this process may only read (`PROT_READ`): what a
/// receiver maps when the sender sealed the file against writes.
#[derive(Debug)]
pub struct ReadOnlyMapping {
    addr: NonNull<libc::c_void>,
    len: usize,
}

impl ReadOnlyMapping {
    /// `mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0)`.
    pub fn of_file(fd: BorrowedFd<'_>, len: usize) -> Result<Self, Errno> {
        let len_nz = nonzero(len)?;
        // SAFETY: a new mapping at an address the kernel chooses aliases no
        // Rust object; it is only read, through atomics, until Drop unmaps it.
        let addr = unsafe { nix::sys::mman::mmap(None, len_nz, ProtFlags::PROT_READ, MapFlags::MAP_SHARED, fd, 0) }?;
        Ok(Self { addr, len })
    }

    /// Word `i` (a relaxed atomic load: other processes may write the file).
    /// Panics if out of bounds. Past the end of a file that shrank after
    /// the mapping was made, the load is a SIGBUS, as in C.
    pub fn word(&self, i: usize) -> u64 {
        assert!(i < self.len / 8, "read out of range");
        // SAFETY: in bounds (checked), 8-byte aligned (page aligned base),
        // valid until Drop; AtomicU64 permits concurrent writers elsewhere.
        // The memory is read-only: only a Relaxed load of at most 8 bytes,
        // which std allows on read-only memory, is ever made through it
        // (never a read-modify-write or a stronger ordering).
        let word = unsafe { &*self.addr.as_ptr().cast::<AtomicU64>().add(i) };
        word.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Drop for ReadOnlyMapping {
    fn drop(&mut self) {
        // SAFETY: we mapped exactly this range, and nothing borrows it.
        let _ = unsafe { nix::sys::mman::munmap(self.addr, self.len) };
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // Errors are ignored: Drop must not panic, and both calls only fail
        // for an address range we never had.
        match self.release {
            Release::Munmap => {
                // SAFETY: we mapped exactly this range and nothing borrows it
                // any more (words() borrows self).
                let _ = unsafe { nix::sys::mman::munmap(self.addr, self.len) };
            }
            Release::Shmdt => {
                // SAFETY: the address came from shmat and is detached once.
                let _ = unsafe { libc::shmdt(self.addr.as_ptr()) };
            }
        }
    }
}

//! `shmlab inspect`: create one object per backend and show what the kernel
//! itself says about it (maps, smaps, /proc/sysvipc/shm, /proc/self/fd),
//! not what shmlab believes. Every kind turns out to be a file: in the
//! kernel's internal shmem (tmpfs) mount, in /dev/shm, on hugetlbfs, or a
//! real file for mmap-file.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::kernel::hugepages::HugePageSize;
use crate::kernel::maps::{self, MappingView};
use crate::kernel::sysvipc;
use crate::region::{Backend, Region, RegionRequest, XsiKey};
use crate::size::human;

/// One backend, as the kernel shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectRecord {
    pub backend: Backend,
    pub huge: String,
    pub size_bytes: u64,
    pub mapping: MappingView,
    /// The /proc/sysvipc/shm row, for the XSI backends.
    pub sysvipc_row: Option<String>,
    /// `/proc/self/fd/N -> target` for descriptors that reach the object.
    pub descriptors: Vec<String>,
    /// What the path says about where the memory lives.
    pub lives_in: String,
}

/// Inspects each backend in turn (each object is removed before the next).
pub fn run(
    backends: &[Backend],
    huge: Option<HugePageSize>,
    xsi_key: &XsiKey,
    mut on_record: impl FnMut(&InspectRecord),
) -> Result<Vec<InspectRecord>> {
    let size = huge.map_or(1 << 20, |h| h.bytes());
    // Using pool pages: hold the pool shared so no other shmlab run changes it meanwhile.
    let _using = huge.map(|h| crate::kernel::hugepages::claim(h, false)).transpose()?;
    if let Some(h) = huge {
        let pool = crate::kernel::hugepages::pool(h)?;
        if pool.unreserved() < 1 {
            return Err(Error::unavailable(format!(
                "--huge {} needs one free huge page; run `{}` (as root) first",
                h.name(),
                h.pool_command(pool.nr + 1)
            )));
        }
    }
    let mut out = Vec::new();
    for &backend in backends {
        crate::error::check_interrupt()?;
        let request = RegionRequest {
            size: size as usize,
            huge_page_bytes: huge.map(|h| h.bytes() as usize),
            xsi_key: xsi_key.clone(),
            backing: crate::region::Backing::UpFront,
        };
        let region = Region::create(backend, &request)?;
        // Touch every page so that Rss and Shared_Dirty have something to show.
        crate::experiment::memory::touch(&region, size as usize)?;
        let mapping = maps::find("self", region.mapping().address()).unwrap_or_default();
        let sysvipc_row = sysvipc::segments()
            .into_iter()
            .find(|s| mapping.inode == s.shmid as u64 && mapping.path.contains("SYSV"))
            .map(|s| {
                format!(
                    "key {:#010x} shmid {} perms {:o} size {} nattch {} cpid {}",
                    s.key, s.shmid, s.perms, s.size, s.nattch, s.cpid
                )
            });
        let base = mapping.path.trim_end_matches(" (deleted)").to_string();
        let descriptors =
            maps::descriptors(|t| !base.is_empty() && (t == base || t.trim_end_matches(" (deleted)") == base));
        let record = InspectRecord {
            backend,
            huge: huge.map_or("none", |h| h.name()).to_string(),
            size_bytes: size,
            lives_in: lives_in(&mapping.path, huge.is_some()),
            mapping,
            sysvipc_row,
            descriptors,
        };
        on_record(&record);
        out.push(record);
    }
    Ok(out)
}

fn lives_in(path: &str, huge: bool) -> String {
    let place = if huge {
        "a file on the kernel's internal hugetlbfs mount: memory from the huge page pool"
    } else if path.starts_with("/dev/zero") {
        "a file named dev/zero on the kernel's internal shmem (tmpfs) mount: anonymous shared memory is shmem too"
    } else if path.starts_with("/SYSV") {
        "a file named SYSV<key in hex> on the internal shmem mount; the inode number is the shmid"
    } else if path.starts_with("/dev/shm/") {
        "a real file in /dev/shm, a tmpfs (shmem) that anyone can mount and list"
    } else if path.starts_with("/memfd:") {
        "a file named memfd:<name> on the internal shmem mount, reachable only through its descriptor"
    } else {
        "a regular file: its pages are page cache of that file system (shmem only if it is a tmpfs)"
    };
    place.to_string()
}

/// A short plain explanation under the table.
pub fn explanation(records: &[InspectRecord]) -> String {
    let sizes = records.first().map(|r| human(r.size_bytes)).unwrap_or_default();
    format!(
        "Each object above was created, {sizes} of it touched, and looked up in /proc/self/maps and smaps. \
         All of them are files: the kernel backs MAP_SHARED|MAP_ANONYMOUS, SysV segments and memfds with files on \
         its internal shmem (tmpfs) mount, which is never mounted anywhere you can see (the paths end in \
         \"(deleted)\" because those files have no name in any directory), and POSIX shm objects with files on \
         the tmpfs at /dev/shm. That is why every kind but mmap-file counts as Shmem and as buff/cache in `free`: \
         their pages are page cache of a tmpfs (mmap-file's are page cache of its own file system, Shmem only if \
         that is a tmpfs). Each object is removed before the next is created, so the kernel often hands out the \
         same address range again: equal addresses above are not the same memory. Huge page variants live on \
         the internal hugetlbfs mount instead (another device, KernelPageSize 2048 kB), are counted in HugePages_* \
         and, in smaps, under Hugetlb rather than Rss. \
         Shared_Dirty is 0 and Private_Dirty holds the touched pages because smaps counts a page as shared only \
         while more than one process maps it; here only shmlab does, MAP_SHARED or not."
    )
}

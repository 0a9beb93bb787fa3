//! `memfd_create`: an anonymous shmem file with a descriptor. It has no path
//! (`/memfd:<name> (deleted)` in /proc/PID/maps), goes when its last
//! descriptor and mapping go, and is shared by inheriting it across fork.

use std::os::fd::{AsFd, OwnedFd};

use super::{Object, Region, RegionRequest, Reopen};
use crate::error::{Result, SysContext};
use crate::sys::mman::{MapOptions, Mapping};
use crate::sys::posix_shm;

/// The memfd's descriptor; the memory goes with it and the last mapping.
#[derive(Debug)]
pub(super) struct Memfd(#[allow(dead_code, reason = "held for its Drop")] OwnedFd);

pub(super) fn create(request: &RegionRequest) -> Result<Region> {
    let name = super::unique_name("");
    let huge = request.huge_page_bytes;
    let fd = posix_shm::memfd(&name, huge).sys("memfd_create", || name.clone(), &super::hint_for_mapping(huge))?;
    posix_shm::set_len(&fd, request.size).sys(
        "ftruncate",
        || crate::tr!("region-path-to-bytes", path = format!("memfd {name}"), size = request.size),
        &super::hint_for_mapping(huge),
    )?;
    let mapping = Mapping::shared_file(fd.as_fd(), request.size, MapOptions::default())
        .sys("mmap(MAP_SHARED)", || format!("memfd {name}"), &super::hint_for_mapping(huge))
        .map_err(|e| super::huge_unavailable(e, huge))?;
    Ok(Region { mapping, object: Object::Memfd(Memfd(fd)), reopen: Reopen::Inherited })
}

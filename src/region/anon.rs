//! `mmap(MAP_SHARED|MAP_ANONYMOUS)`: shared memory with no name at all.
//! Only processes forked after the call can share it. Inside the kernel it
//! is still a shmem file (`/dev/zero (deleted)` in /proc/PID/maps).

use super::{Object, Region, RegionRequest, Reopen};
use crate::error::{Result, SysContext};
use crate::sys::mman::{MapOptions, Mapping};

pub(super) fn create(request: &RegionRequest) -> Result<Region> {
    let options = MapOptions { huge_page_bytes: request.huge_page_bytes, no_reserve: false };
    let mapping = Mapping::shared_anonymous(request.size, options)
        .sys(
            "mmap(MAP_SHARED|MAP_ANONYMOUS)",
            || crate::tr!("region-bytes", size = request.size),
            &crate::region::hint_for_mapping(request.huge_page_bytes),
        )
        .map_err(|e| crate::region::huge_unavailable(e, request.huge_page_bytes))?;
    Ok(Region { mapping, object: Object::Anonymous, reopen: Reopen::Inherited })
}

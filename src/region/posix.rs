//! POSIX shared memory: `shm_open` names a file in /dev/shm (a tmpfs). Any
//! process that knows the name can open it; it lasts until `shm_unlink`.

use std::os::fd::AsFd;

use super::{Object, Region, RegionRequest, Reopen};
use crate::error::{Error, Result, SysContext};
use crate::registry::{self, Entry};
use crate::sys::Errno;
use crate::sys::mman::{MapOptions, Mapping};
use crate::sys::posix_shm;

/// A name in /dev/shm that this process created; unlinked once on drop.
#[derive(Debug)]
pub(super) struct ShmObject {
    name: String,
    // Last: the registry file goes after Drop has unlinked the name.
    _record: registry::Record,
}

impl Drop for ShmObject {
    fn drop(&mut self) {
        let _ = posix_shm::unlink(&self.name);
    }
}

pub(super) fn create(request: &RegionRequest) -> Result<Region> {
    if request.huge_page_bytes.is_some() {
        return Err(Error::usage(
            "posix cannot use huge pages: /dev/shm is tmpfs, not hugetlbfs; use mmap, xsi, xsi-private or memfd with --huge",
        ));
    }
    let name = super::unique_name("/");
    let fd = posix_shm::create_exclusive(&name).sys(
        "shm_open(O_CREAT|O_EXCL)",
        || name.clone(),
        "is /dev/shm mounted and writable?",
    )?;
    let record = registry::record(Entry::PosixShm { name: name.clone() });
    let object = ShmObject { name, _record: record };
    posix_shm::set_len(&fd, request.size).sys(
        "ftruncate",
        || format!("/dev/shm{} to {} bytes", object.name, request.size),
        "",
    )?;
    let mapping = Mapping::shared_file(fd.as_fd(), request.size, MapOptions::default()).sys(
        "mmap(MAP_SHARED)",
        || format!("/dev/shm{}", object.name),
        "",
    )?;
    let reopen = Reopen::PosixName(object.name.clone());
    Ok(Region { mapping, object: Object::Posix(object), reopen })
}

/// In a child: open the object by name again and map it.
pub(super) fn reopen(name: &str, len: usize) -> std::result::Result<Mapping, Errno> {
    let fd = posix_shm::open_existing(name)?;
    Mapping::shared_file(fd.as_fd(), len, MapOptions::default())
}

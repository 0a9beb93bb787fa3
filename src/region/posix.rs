//! POSIX shared memory: `shm_open` names a file in /dev/shm (a tmpfs). Any
//! process that knows the name can open it; it lasts until `shm_unlink`.
//!
//! The name is random and made with O_EXCL; the registry hears of it before
//! the file exists and learns its device and inode right after, so neither
//! this run's Drop nor `clean` can ever unlink a file somebody else made.

use std::os::fd::{AsFd, OwnedFd};

use super::{Backing, Object, Region, RegionRequest, Reopen};
use crate::error::{Error, Result};
use crate::registry::{self, Entry, FileId};
use crate::sys::Errno;
use crate::sys::mman::{MapOptions, Mapping};
use crate::sys::posix_shm;

/// Random names tried before giving up.
const NAME_ATTEMPTS: usize = 8;

/// A name in /dev/shm that this process created; unlinked once on drop.
#[derive(Debug)]
pub(super) struct ShmObject {
    name: String,
    record: registry::Record,
}

impl Drop for ShmObject {
    fn drop(&mut self) {
        registry::remove_if_ours(self.record.registered());
    }
}

/// Creates a new object under a fresh random name, registered with its
/// identity.
fn create_object() -> Result<(ShmObject, OwnedFd)> {
    for _ in 0..NAME_ATTEMPTS {
        let name = super::unique_name("/");
        let record = registry::record(Entry::PosixShm { name: name.clone(), file: None })?;
        let fd = match posix_shm::create_exclusive(&name) {
            Ok(fd) => fd,
            Err(Errno::EEXIST) => continue,
            Err(errno) => return Err(super::devshm_error("shm_open(O_CREAT|O_EXCL)", &name, errno)),
        };
        let mut object = ShmObject { name, record };
        let file = std::fs::File::from(fd);
        let id = file.metadata().ok().map(|m| FileId::of(&m));
        object.record.update(Entry::PosixShm { name: object.name.clone(), file: id })?;
        return Ok((object, OwnedFd::from(file)));
    }
    Err(Error::usage(crate::tr!("region-devshm-names-exist", attempts = NAME_ATTEMPTS)))
}

pub(super) fn create(request: &RegionRequest) -> Result<Region> {
    let (object, fd) = create_object()?;
    let path = posix_shm::object_path(&object.name);
    posix_shm::set_len(&fd, request.size).map_err(|e| {
        Error::sys("ftruncate", &crate::tr!("region-path-to-bytes", path = &path, size = request.size), e, "")
    })?;
    if request.backing == Backing::UpFront {
        posix_shm::allocate(&fd, request.size).map_err(|e| {
            let hint = if e == Errno::ENOSPC {
                super::space_hint(std::path::Path::new(posix_shm::SHM_DIR))
            } else {
                String::new()
            };
            Error::sys("posix_fallocate", &crate::tr!("region-path-bytes", path = &path, size = request.size), e, &hint)
        })?;
    }
    let mapping = Mapping::shared_file(fd.as_fd(), request.size, MapOptions::default())
        .map_err(|e| Error::sys("mmap(MAP_SHARED)", &path, e, ""))?;
    let reopen = Reopen::PosixName(object.name.clone());
    Ok(Region { mapping, object: Object::Posix(object), reopen })
}

/// In a child: open the object by name again and map it.
pub(super) fn reopen(name: &str, len: usize) -> std::result::Result<Mapping, Errno> {
    let fd = posix_shm::open_existing(name)?;
    Mapping::shared_file(fd.as_fd(), len, MapOptions::default())
}

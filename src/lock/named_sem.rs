//! `named-sem`: a named POSIX semaphore, `sem_open("/shmlab-…", O_CREAT|O_EXCL)`.
//! glibc keeps it in a small file `/dev/shm/sem.shmlab-…` that every opener
//! maps; the children inherit the parent's mapping. The creator unlinks the
//! name at the end. Like the unnamed kind, a dead holder keeps it forever.

use super::{Entry, Exclusion};
use crate::error::{Result, SysContext};
use crate::registry;
use crate::sys::Errno;
use crate::sys::semaphore::{self, NamedSemaphore};

/// The semaphore and its name; closed and unlinked once on drop.
pub struct Named {
    name: String,
    semaphore: NamedSemaphore,
    // Last: the registry file goes after Drop has unlinked the name.
    _record: registry::Record,
}

impl Named {
    pub fn create() -> Result<Self> {
        let name = crate::region::unique_name("/");
        let semaphore = NamedSemaphore::create_exclusive(&name, 1).sys(
            "sem_open(O_CREAT|O_EXCL)",
            || name.clone(),
            "is /dev/shm mounted and writable?",
        )?;
        let record = registry::record(registry::Entry::NamedSemaphore { name: name.clone() });
        Ok(Self { name, semaphore, _record: record })
    }

    pub fn handle(&self) -> Handle<'_> {
        Handle(&self.semaphore)
    }
}

impl Drop for Named {
    fn drop(&mut self) {
        let _ = semaphore::unlink_named(&self.name);
    }
}

pub struct Handle<'a>(&'a NamedSemaphore);

impl Exclusion for Handle<'_> {
    fn enter(&mut self) -> std::result::Result<Entry, Errno> {
        self.0.wait().map(|_| Entry::Clean)
    }
    fn leave(&mut self) -> std::result::Result<(), Errno> {
        self.0.post()
    }
}

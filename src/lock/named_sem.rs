//! `named-sem`: a named POSIX semaphore, `sem_open("/shmlab-…", O_CREAT|O_EXCL)`.
//! glibc keeps it in a small file `/dev/shm/sem.shmlab-…` that every opener
//! maps; the children inherit the parent's mapping. The creator unlinks the
//! name at the end. Like the unnamed kind, a dead holder keeps it forever.

use super::{Entry, Exclusion};
use crate::error::{Error, Result};
use crate::registry::{self, FileId};
use crate::sys::Errno;
use crate::sys::semaphore::NamedSemaphore;

/// Names tried before giving up (a collision means someone made that name).
const NAME_ATTEMPTS: usize = 8;

/// The semaphore and its name; closed and unlinked once on drop.
pub struct Named {
    name: String,
    semaphore: NamedSemaphore,
    // Last: the registry file goes after Drop has unlinked the name.
    record: registry::Record,
}

impl Named {
    pub fn create() -> Result<Self> {
        for _ in 0..NAME_ATTEMPTS {
            let name = crate::region::unique_name("/");
            let record = registry::record(registry::Entry::NamedSemaphore { name: name.clone(), file: None })?;
            let semaphore = match NamedSemaphore::create_exclusive(&name, 1) {
                Ok(s) => s,
                Err(Errno::EEXIST) => continue,
                Err(errno) => return Err(crate::region::devshm_error("sem_open(O_CREAT|O_EXCL)", &name, errno)),
            };
            let mut named = Self { name, semaphore, record };
            let file = std::fs::symlink_metadata(crate::sys::posix_shm::semaphore_path(&named.name))
                .map(|m| FileId::of(&m))
                .ok();
            named.record.update(registry::Entry::NamedSemaphore { name: named.name.clone(), file })?;
            return Ok(named);
        }
        Err(Error::usage(crate::tr!("lock-named-sem-names-taken", attempts = NAME_ATTEMPTS)))
    }

    pub fn handle(&self) -> Handle<'_> {
        Handle(&self.semaphore)
    }
}

impl Drop for Named {
    fn drop(&mut self) {
        // Only the file this run created: another may have taken the name.
        registry::remove_if_ours(self.record.registered());
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

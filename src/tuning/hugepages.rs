//! The huge page pool raised for one run (see the module above).

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::kernel::hugepages::{HugePageSize, PoolClaim, claim, pool};
use crate::kernel::sysctl;

/// A pool raised for one run. On drop it gives back exactly what this run
/// added (if someone else changed the pool meanwhile, their change stays).
#[derive(Debug)]
pub struct Reservation {
    _raised: Option<Raised>,
    // After `raised`: the claim is released once the pool is back.
    _claim: PoolClaim,
}

#[derive(Debug)]
struct Raised {
    path: PathBuf,
    added: u64,
    // Last: the registry file goes after Drop has lowered the pool again.
    record: crate::registry::Record,
}

impl Drop for Raised {
    fn drop(&mut self) {
        let now = sysctl::read_u64(&self.path).unwrap_or(0);
        let _ = sysctl::write(&self.path, &now.saturating_sub(self.added).to_string());
    }
}

/// Makes sure `pages` pages of `size` are free and unreserved for this run,
/// raising the pool if needed (root only). Holds the pool exclusively until
/// the result drops, then gives back what it added.
pub fn reserve(size: HugePageSize, pages: u64) -> Result<Reservation> {
    let claim = claim(size, true)?;
    // Read again under the claim: only now is the pool ours to judge.
    let before = pool(size)?;
    if before.unreserved() >= pages {
        return Ok(Reservation { _raised: None, _claim: claim });
    }
    let wanted = before.nr.saturating_add(pages - before.unreserved());
    if !crate::sys::process::is_root() {
        return Err(Error::unavailable(crate::tr!("tuning-reserve-needs-root", command = size.pool_command(wanted))));
    }
    let path = size.dir().join("nr_hugepages");
    let entry =
        |new: u64| crate::registry::Entry::HugePagePool { path: path.display().to_string(), old: before.nr, new };
    let record = crate::registry::record(entry(wanted))?;
    sysctl::write(&path, &wanted.to_string()).map_err(|e| {
        Error::usage(crate::tr!("tuning-cannot-write", value = wanted, path = path.display(), error = e))
    })?;
    let mut raised = Raised { path: path.clone(), added: wanted - before.nr, record };
    let after = pool(size)?;
    // The kernel may find fewer pages than asked: count (and record) what it really added.
    raised.added = after.nr.saturating_sub(before.nr);
    raised.record.update(entry(after.nr))?;
    if after.unreserved() < pages {
        return Err(Error::usage(crate::tr!(
            "tuning-pool-short",
            wanted = wanted,
            huge = size.name(),
            found = after.nr
        )));
    }
    Ok(Reservation { _raised: Some(raised), _claim: claim })
}

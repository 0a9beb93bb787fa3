//! A list of child pids kept in memory that `fork` does not copy.
//!
//! Why: after every `fork`, the kernel write-protects each private page the
//! parent has, so that parent and child can share it until one of them
//! writes (copy on write). The parent's next write to such a page is a page
//! fault, even when the child has already gone. A parent that forks 1,000
//! children and writes each pid into a `Vec` or a `HashSet` takes one to
//! two of those faults per child (counted with `perf record -e
//! page-faults`: 1.4 per fork for the `HashSet` the racing lab used). A
//! mapping marked `MADV_DONTFORK` is not given to the child at all, so it is
//! never write-protected and writing to it after a fork costs nothing.
//!
//! The child has no such mapping; it must never look at the log (the
//! closures `fork_child` runs do not).

use std::num::NonZeroUsize;
use std::ptr::NonNull;

use nix::errno::Errno;
use nix::sys::mman::{MRemapFlags, MapFlags, MmapAdvise, ProtFlags};

use super::Pid;

/// Pids of forked children, in the order they were forked, kept in a
/// private mapping that children do not inherit.
#[derive(Debug)]
pub struct PidLog {
    /// Start of the mapping; `None` until the first push.
    base: Option<NonNull<libc::c_void>>,
    /// Bytes mapped.
    capacity: usize,
    /// Pids stored.
    len: usize,
}

const PAGE: usize = 4096;
const PID_BYTES: usize = std::mem::size_of::<libc::pid_t>();

impl PidLog {
    /// An empty log; nothing is mapped until the first pid arrives.
    pub const fn new() -> Self {
        Self { base: None, capacity: 0, len: 0 }
    }

    /// Adds one pid. Fails only if the kernel refuses memory for the log.
    pub fn push(&mut self, pid: Pid) -> Result<(), Errno> {
        if (self.len + 1) * PID_BYTES > self.capacity {
            self.grow()?;
        }
        let base = self.base.expect("grow maps the log");
        // SAFETY: `base` maps `capacity` bytes, readable and writable, owned
        // by this log alone; slot `len` is inside it (checked just above) and
        // aligned, since the mapping is page-aligned and slots are pid-sized.
        unsafe { base.cast::<libc::pid_t>().add(self.len).write(pid.as_raw()) };
        self.len += 1;
        Ok(())
    }

    /// Takes every pid out, leaving the log empty (its memory stays mapped).
    pub fn drain(&mut self) -> Vec<Pid> {
        let Some(base) = self.base else { return Vec::new() };
        // SAFETY: the first `len` slots were written by `push`, the mapping
        // outlives this borrow, and nothing else writes to it meanwhile.
        let pids = unsafe { std::slice::from_raw_parts(base.cast::<libc::pid_t>().as_ptr(), self.len) };
        let out = pids.iter().map(|&raw| Pid::from_raw(raw)).collect();
        self.len = 0;
        out
    }

    /// How many pids are stored.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Maps the first page, or doubles the mapping (`mremap` keeps the
    /// contents and the `MADV_DONTFORK` mark).
    fn grow(&mut self) -> Result<(), Errno> {
        let new_capacity = (self.capacity * 2).max(PAGE);
        let len = NonZeroUsize::new(new_capacity).expect("at least a page");
        let base = match self.base {
            None => {
                // SAFETY: a new private anonymous mapping at an address the
                // kernel chooses; it overlaps nothing Rust owns.
                let base = unsafe {
                    nix::sys::mman::mmap_anonymous(
                        None,
                        len,
                        ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
                        MapFlags::MAP_PRIVATE,
                    )
                }?;
                // SAFETY: the range is the mapping just made, owned here.
                if let Err(e) = unsafe { nix::sys::mman::madvise(base, new_capacity, MmapAdvise::MADV_DONTFORK) } {
                    // SAFETY: as above; nothing refers to it yet.
                    let _ = unsafe { nix::sys::mman::munmap(base, new_capacity) };
                    return Err(e);
                }
                base
            }
            Some(old) => {
                // SAFETY: `old` maps `capacity` bytes owned by this log; no
                // reference into it is alive (`drain` copies out), so moving
                // it is sound.
                unsafe { nix::sys::mman::mremap(old, self.capacity, new_capacity, MRemapFlags::MREMAP_MAYMOVE, None) }?
            }
        };
        self.base = Some(base);
        self.capacity = new_capacity;
        Ok(())
    }
}

impl Default for PidLog {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for PidLog {
    fn drop(&mut self) {
        if let Some(base) = self.base.take() {
            // SAFETY: the mapping is this log's own and nothing refers to it.
            let _ = unsafe { nix::sys::mman::munmap(base, self.capacity) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pids_come_back_in_order_across_growth() {
        let mut log = PidLog::new();
        assert!(log.drain().is_empty());
        for raw in 1..=5000 {
            log.push(Pid::from_raw(raw)).unwrap();
        }
        assert_eq!(log.len(), 5000);
        let pids = log.drain();
        assert_eq!(pids.len(), 5000);
        assert!(pids.iter().enumerate().all(|(i, p)| p.as_raw() == i as i32 + 1));
        assert_eq!(log.len(), 0);
        log.push(Pid::from_raw(7)).unwrap();
        assert_eq!(log.drain(), vec![Pid::from_raw(7)]);
    }

    #[test]
    fn the_log_is_not_given_to_children() {
        let mut log = PidLog::new();
        log.push(Pid::from_raw(42)).unwrap();
        let base = log.base.unwrap().as_ptr() as usize;
        let maps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        // smaps lists the VMA's flags; `dc` is VM_DONTCOPY (MADV_DONTFORK).
        let mut lines = maps.lines().skip_while(|l| !l.starts_with(&format!("{base:x}-")));
        assert!(lines.next().is_some(), "the log's mapping is in /proc/self/smaps");
        let flags = lines.find(|l| l.starts_with("VmFlags:")).unwrap();
        assert!(flags.split_whitespace().any(|f| f == "dc"), "{flags}");
    }
}

//! A hardware event counter of this process through `perf_event_open(2)`:
//! here the data TLB's load misses, counted in user mode only, so that a
//! measurement can say how many address translations missed the TLB.
//!
//! Many machines cannot count it: virtual machines often expose no
//! hardware performance counters at all (no `cpu` event source under
//! /sys/bus/event_source/devices, and the call fails with ENOENT);
//! Debian's and Ubuntu's kernels add `kernel.perf_event_paranoid` 3 and 4,
//! which refuse unprivileged users (EACCES; upstream stops at 2, which still
//! lets a user count its own processes); and a container's seccomp profile
//! often refuses the call itself (EPERM). [`DtlbMisses::open`] then says which, and the measurement goes
//! on without the counter. The struct and constants come from the
//! `perf-event-open-sys` crate (bindings of linux/perf_event.h).

use std::fs::File;
use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd};

use nix::errno::Errno;
use perf_event_open_sys as perf;

/// An open, stopped counter of data-TLB load misses in user mode.
pub struct DtlbMisses {
    file: File,
}

impl DtlbMisses {
    /// Opens the counter for this process on any CPU, disabled.
    pub fn open() -> Result<Self, Errno> {
        let mut attr = perf::bindings::perf_event_attr {
            size: std::mem::size_of::<perf::bindings::perf_event_attr>() as u32,
            type_: perf::bindings::PERF_TYPE_HW_CACHE,
            config: u64::from(perf::bindings::PERF_COUNT_HW_CACHE_DTLB)
                | u64::from(perf::bindings::PERF_COUNT_HW_CACHE_OP_READ) << 8
                | u64::from(perf::bindings::PERF_COUNT_HW_CACHE_RESULT_MISS) << 16,
            ..Default::default()
        };
        attr.set_disabled(1);
        attr.set_exclude_kernel(1);
        attr.set_exclude_hv(1);
        // SAFETY: attr is a valid, initialised perf_event_attr that lives for the call;
        // pid 0 / cpu -1 count this process on every CPU, with no group and no flags.
        let fd = unsafe {
            perf::perf_event_open(&mut attr, 0, -1, -1, perf::bindings::PERF_FLAG_FD_CLOEXEC as libc::c_ulong)
        };
        if fd < 0 {
            return Err(Errno::last());
        }
        // SAFETY: fd was just returned by perf_event_open and is owned by nobody else.
        Ok(Self { file: unsafe { File::from_raw_fd(fd) } })
    }

    /// Counts misses while `work` runs and returns them with its result.
    pub fn count<T>(&mut self, work: impl FnOnce() -> T) -> Result<(T, u64), Errno> {
        let fd = self.file.as_raw_fd();
        // SAFETY: fd is our open perf event; RESET and ENABLE take an integer argument.
        if unsafe { perf::ioctls::RESET(fd, 0) } < 0 || unsafe { perf::ioctls::ENABLE(fd, 0) } < 0 {
            return Err(Errno::last());
        }
        let result = work();
        // SAFETY: as above; DISABLE stops the counter before it is read.
        if unsafe { perf::ioctls::DISABLE(fd, 0) } < 0 {
            return Err(Errno::last());
        }
        let mut value = [0u8; 8];
        self.file.read_exact(&mut value).map_err(|e| Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO)))?;
        Ok((result, u64::from_ne_bytes(value)))
    }
}

/// Why the counter cannot be opened, in words for a person.
pub fn why_not(errno: Errno) -> String {
    match errno {
        Errno::ENOENT | Errno::EOPNOTSUPP | Errno::ENODEV => crate::tr!("perf-no-event"),
        Errno::EACCES | Errno::EPERM => {
            let level = std::fs::read_to_string("/proc/sys/kernel/perf_event_paranoid").unwrap_or_default();
            crate::tr!("perf-refused", errno = errno, level = level.trim())
        }
        other => crate::tr!("perf-failed", errno = other),
    }
}

//! `futex(2)` on a word of shared memory: sleep until another process
//! changes it, and wake such a sleeper. What pthread mutexes and POSIX
//! semaphores use underneath, used bare by the IPC benchmark's ring.

use std::sync::atomic::AtomicU64;

use super::Errno;

/// The futex word is the low half of a 64-bit counter: the kernel compares
/// and sleeps on 32 bits at the counter's own address, which on a
/// little-endian machine holds its low half.
#[cfg(not(target_endian = "little"))]
compile_error!("the futex word is the low half of a u64 only on little-endian machines");

fn call(word: &AtomicU64, op: libc::c_int, value: u32) -> libc::c_long {
    // SAFETY: the address is that of a live, 8-byte aligned AtomicU64 (so
    // 4-byte aligned, as futex requires) for the call's duration; FUTEX_WAIT
    // only reads it and FUTEX_WAKE does not touch it; no timeout pointer.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr().cast::<u32>(),
            op,
            value,
            std::ptr::null::<libc::timespec>(),
            std::ptr::null::<u32>(),
            0u32,
        )
    }
}

/// `FUTEX_WAIT`: sleeps while the low 32 bits of `word` equal `expected`.
/// Returns at once (EAGAIN, reported as Ok) if they already differ; a
/// signal or a spurious wake-up also returns Ok: callers re-check.
pub fn wait(word: &AtomicU64, expected: u32) -> Result<(), Errno> {
    match call(word, libc::FUTEX_WAIT, expected) {
        -1 => match Errno::last() {
            Errno::EAGAIN | Errno::EINTR => Ok(()),
            other => Err(other),
        },
        _ => Ok(()),
    }
}

/// `FUTEX_WAKE`: wakes one process sleeping on `word`.
pub fn wake(word: &AtomicU64) -> Result<(), Errno> {
    match call(word, libc::FUTEX_WAKE, 1) {
        -1 => Err(Errno::last()),
        _ => Ok(()),
    }
}

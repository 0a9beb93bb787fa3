//! CLOCK_MONOTONIC as plain nanoseconds, so that different processes can
//! compare times they write into shared memory (an `Instant` cannot cross a
//! process boundary).

/// Nanoseconds on CLOCK_MONOTONIC (the same clock in every process).
pub fn monotonic_ns() -> u64 {
    match nix::time::clock_gettime(nix::time::ClockId::CLOCK_MONOTONIC) {
        Ok(ts) => ts.tv_sec() as u64 * 1_000_000_000 + ts.tv_nsec() as u64,
        Err(_) => 0,
    }
}

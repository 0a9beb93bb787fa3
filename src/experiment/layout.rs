//! Where things live in the shared page of the racing, crash and bench
//! experiments. Each group has its own 64-byte cache line so that the
//! counter, the control words and the lock do not slow each other down by
//! false sharing.

/// Word index of the shared counter (bytes 0..8).
pub const COUNTER: usize = 0;

/// Control words, in the second cache line (bytes 64..128).
/// Children that are ready to start (bench, crash).
pub const READY: usize = 8;
/// Set by the parent to start every child at once (bench).
pub const GO: usize = 9;
/// Set by the crash victim once it holds the lock.
pub const HOLDING: usize = 10;
/// Set by a child whose lock reported that its previous owner died.
pub const OWNER_DIED: usize = 11;
/// CLOCK_MONOTONIC ns at which the first waiter got the lock (crash).
pub const FIRST_ACQUIRED_NS: usize = 12;
/// Set by the first bench child to finish its operations.
pub const FIRST_DONE: usize = 13;

/// Byte offset of an in-memory lock (mutex or unnamed semaphore).
pub const LOCK_OFFSET: usize = 256;

/// Word index of the first per-process slot (bench acquisition counts).
pub const SLOTS: usize = 128;

/// Bytes of shared memory for an experiment with `processes` slots.
pub fn region_bytes(processes: usize) -> usize {
    let bytes = (SLOTS + processes) * 8;
    bytes.div_ceil(4096) * 4096
}

//! `atomic`: no lock at all. The read-modify-write becomes one indivisible
//! instruction (`lock xadd` on x86), so no update can be lost; the price is
//! that nothing else can happen "inside" the increment.

use std::sync::atomic::{AtomicU64, Ordering};

/// The whole critical section as one atomic instruction; returns the value
/// it replaced.
pub fn increment_atomically(counter: &AtomicU64) -> u64 {
    counter.fetch_add(1, Ordering::SeqCst)
}

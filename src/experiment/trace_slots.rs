//! Where `racing --trace` writes: one 64-byte slot per critical section in
//! the shared region, after the first page.
//!
//! Each child writes only its own slots, so the children never share a
//! cache line of the trace with each other (or with the counter, which is
//! what they race on), and recording does not change who wins. The parent
//! fills in when it forked each child before the fork, and reads every
//! slot back after the children are reaped.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::model::TraceEntry;

/// Byte offset of the first slot: the first page holds the counter, the
/// control words and the lock.
const FIRST_SLOT_BYTES: usize = 4096;
/// Words per slot: one cache line.
const SLOT_WORDS: usize = 8;
const FORKED: usize = 0;
const STARTED: usize = 1;
const READ_NS: usize = 2;
const READ: usize = 3;
const WRITE_NS: usize = 4;
const WROTE: usize = 5;
/// The CPU plus one: 0 means the section was never recorded.
const CPU: usize = 6;

/// The most critical sections a traced trial may have (64 bytes each:
/// 12.5 MiB of shared memory at most).
pub const MAX_SECTIONS: u64 = 200_000;

/// Bytes of shared memory for a trial of `sections` critical sections.
pub fn region_bytes(sections: usize) -> usize {
    (FIRST_SLOT_BYTES + sections * SLOT_WORDS * 8).div_ceil(4096) * 4096
}

/// The slots of one trial, over the words of its shared region.
pub struct TraceSlots<'a> {
    words: &'a [AtomicU64],
    iterations: usize,
}

impl<'a> TraceSlots<'a> {
    pub fn new(words: &'a [AtomicU64], iterations: u32) -> Self {
        Self { words, iterations: iterations as usize }
    }

    fn word(&self, child: u32, iteration: u32, field: usize) -> &AtomicU64 {
        let slot = child as usize * self.iterations + iteration as usize;
        &self.words[FIRST_SLOT_BYTES / 8 + slot * SLOT_WORDS + field]
    }

    /// The parent, just before it forks `child`.
    pub fn forking(&self, child: u32, now_ns: u64) {
        self.word(child, 0, FORKED).store(now_ns, Ordering::Relaxed);
    }

    /// The child, as its own code begins.
    pub fn started(&self, child: u32, now_ns: u64) {
        self.word(child, 0, STARTED).store(now_ns, Ordering::Relaxed);
    }

    /// The child, after one critical section.
    pub fn section(&self, child: u32, iteration: u32, read: (u64, u64), write: (u64, u64), cpu: u32) {
        self.word(child, iteration, READ_NS).store(read.0, Ordering::Relaxed);
        self.word(child, iteration, READ).store(read.1, Ordering::Relaxed);
        self.word(child, iteration, WRITE_NS).store(write.0, Ordering::Relaxed);
        self.word(child, iteration, WROTE).store(write.1, Ordering::Relaxed);
        self.word(child, iteration, CPU).store(u64::from(cpu) + 1, Ordering::Relaxed);
    }

    /// The parent, after reaping: every recorded section, times made
    /// relative to `t0_ns` (sections a failed child never finished are left
    /// out).
    pub fn collect(&self, children: u32, t0_ns: u64) -> Vec<TraceEntry> {
        let mut entries = Vec::with_capacity(children as usize * self.iterations);
        for child in 0..children {
            let forked_ns = self.word(child, 0, FORKED).load(Ordering::Relaxed).saturating_sub(t0_ns);
            let start_ns = self.word(child, 0, STARTED).load(Ordering::Relaxed).saturating_sub(t0_ns);
            for iteration in 0..self.iterations as u32 {
                let get = |field| self.word(child, iteration, field).load(Ordering::Relaxed);
                let cpu = get(CPU);
                if cpu == 0 {
                    continue;
                }
                entries.push(TraceEntry {
                    child,
                    iteration,
                    cpu: (cpu - 1) as u32,
                    forked_ns,
                    start_ns,
                    read_ns: get(READ_NS).saturating_sub(t0_ns),
                    read: get(READ),
                    write_ns: get(WRITE_NS).saturating_sub(t0_ns),
                    wrote: get(WROTE),
                    lost_to: None,
                });
            }
        }
        entries
    }
}

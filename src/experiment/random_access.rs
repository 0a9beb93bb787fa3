//! Random reads over a touched mapping: what address translation costs
//! with each page size.
//!
//! The article says huge pages make translation cheaper (one TLB entry
//! covers 2 MiB instead of 4 KiB, and the page tables are 512 times
//! smaller) without a figure. This measures it: 8-byte reads at random
//! offsets, each offset depending on the value the read before returned,
//! so the CPU cannot overlap them and the time per read is its latency,
//! TLB miss and page walk included. A working set small enough for the
//! TLB to cover with either page size shows no difference (the cross-over);
//! one far beyond the 4 KiB pages' reach shows the walk. Where the machine
//! lets us, the data TLB's load misses are counted too (`sys::perf`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::model::RandomAccess;
use crate::sys::mman::Mapping;
use crate::sys::perf::{self, DtlbMisses};

/// Working sets below the mapping's own size: one the 4 KiB pages' first
/// level TLB covers (64 entries × 4 KiB), one within a typical second level
/// (1536 × 4 KiB = 6 MiB), and one far beyond it but within 2 MiB pages' reach.
const SMALL_SETS: [u64; 3] = [256 << 10, 4 << 20, 64 << 20];

/// Reads timed per working set, after a quarter as many untimed to warm
/// the caches and the TLB.
pub const ACCESSES: u64 = 1 << 21;

/// Where the timed reads and the warm-up start: different, so that the
/// warm-up does not pre-load the very addresses the timed reads visit.
const SEED: u64 = 0x9E37_79B9_7F4A_7C15;
const WARM_SEED: u64 = 0xD1B5_4A32_D192_ED03;

/// Random reads over each working set up to `size` (the largest power of
/// two that fits), and why dTLB misses were not counted, if they were not.
pub fn sweep(mapping: &Mapping, size: u64) -> (Vec<RandomAccess>, Option<String>) {
    let largest = 1u64 << (63 - size.leading_zeros());
    let mut sets: Vec<u64> = SMALL_SETS.iter().copied().filter(|s| *s < largest).collect();
    sets.push(largest);
    let mut counter = DtlbMisses::open().map_err(perf::why_not);
    let words = mapping.words();
    let mut out = Vec::new();
    for set in sets {
        let words = &words[..(set / 8) as usize];
        chase(words, ACCESSES / 4, WARM_SEED);
        let started = Instant::now();
        let misses = match &mut counter {
            Ok(c) => match c.count(|| chase(words, ACCESSES, SEED)) {
                Ok((_, m)) => Some(m),
                Err(errno) => {
                    counter = Err(crate::tr!("pages-counter-failed", errno = errno));
                    None
                }
            },
            Err(_) => {
                chase(words, ACCESSES, SEED);
                None
            }
        };
        let elapsed = started.elapsed();
        out.push(RandomAccess {
            working_set_bytes: set,
            accesses: ACCESSES,
            ns_per_access: elapsed.as_nanos() as f64 / ACCESSES as f64,
            dtlb_misses_per_access: misses.map(|m| m as f64 / ACCESSES as f64),
        });
    }
    (out, counter.err())
}

/// `n` dependent reads at pseudo-random word offsets of `words` (whose
/// length is a power of two); returns their sum so that none is optimised away.
fn chase(words: &[AtomicU64], n: u64, seed: u64) -> u64 {
    let mask = words.len() - 1;
    let mut x: u64 = seed;
    let mut sum: u64 = 0;
    for _ in 0..n {
        // xorshift64: cheap, and no pattern a prefetcher could follow.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        // The value read feeds the next address: reads cannot overlap.
        let at = (x ^ sum) as usize & mask;
        sum = sum.wrapping_add(words[at].load(Ordering::Relaxed));
    }
    std::hint::black_box(sum)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::mman::MapOptions;

    #[test]
    fn every_working_set_up_to_the_largest_power_of_two() {
        let size = (1 << 20) + 4096;
        let mapping = Mapping::shared_anonymous(size as usize, MapOptions::default()).unwrap();
        let (points, _) = sweep(&mapping, size);
        let sets: Vec<u64> = points.iter().map(|p| p.working_set_bytes).collect();
        assert_eq!(sets, [256 << 10, 1 << 20]);
        assert!(points.iter().all(|p| p.ns_per_access > 0.0 && p.accesses == ACCESSES));
    }

    #[test]
    fn reads_stay_inside_the_working_set() {
        // A 4-word set: every offset is masked into it (an out-of-bounds
        // index would panic).
        let words: Vec<AtomicU64> = (0..4).map(AtomicU64::new).collect();
        assert!(chase(&words, 1000, SEED) > 0);
    }
}

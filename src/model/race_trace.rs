//! What `racing --trace` recorded, and the accounting that explains a
//! trial's final value from it.
//!
//! Every critical section leaves one [`TraceEntry`]: when the child read the
//! counter and what it saw, when it wrote and what. From those alone the
//! counter's history can be rebuilt: each write stored `read + 1`, so the
//! value the counter ends with was written by the last write, which built
//! on the write whose value it had read, and so on back to 0. That chain is
//! the updates that survived; every other write was erased, and
//! [`account`] names the write that erased it. The chain's length must be
//! the final value the counter really holds; if it is not, the trace is
//! wrong ([`Replay::explains`]), and the tests check that it always is.

use serde::{Deserialize, Serialize};

/// One critical section of one child, times in ns since the trial started
/// (the parent's clock just before its first fork, CLOCK_MONOTONIC).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TraceEntry {
    /// The child, numbered from 0 in the order it was forked.
    pub child: u32,
    /// Which of the child's critical sections (0 unless `iterations` > 1).
    pub iteration: u32,
    /// The CPU the child read the counter on (getcpu).
    pub cpu: u32,
    /// When the parent called fork for this child.
    pub forked_ns: u64,
    /// When the child's own code began to run.
    pub start_ns: u64,
    /// When the child read the counter, and the value it read.
    pub read_ns: u64,
    pub read: u64,
    /// When the child wrote the counter, and the value it wrote.
    pub write_ns: u64,
    pub wrote: u64,
    /// The child whose write erased this update (`null`: it survived).
    pub lost_to: Option<u32>,
}

/// The trace of one trial.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TrialTrace {
    /// One entry per critical section, in the order the children were forked.
    pub entries: Vec<TraceEntry>,
}

/// The history rebuilt from a trial's trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replay {
    /// The value of the last write in time: what the time order says the
    /// counter ends with.
    pub final_value: u64,
    /// Writes that are on the chain to the counter's real final value.
    pub survived: u64,
    /// Writes that are not: each has `lost_to` set.
    pub lost: u64,
    /// Reads that saw exactly what the replay says the counter held then.
    pub consistent_reads: u64,
    pub reads: u64,
}

impl Replay {
    /// Whether the trace explains a counter that really ended at
    /// `final_value`: the last write in time stored it, and the writes form
    /// an unbroken chain from 0 to it, each one built on a write of the
    /// value it read.
    pub fn explains(&self, final_value: u64) -> bool {
        self.final_value == final_value && self.survived == final_value
    }
}

/// Rebuilds the counter's history from `entries`, for a trial whose
/// counter ended at `final_value`: sets every erased update's `lost_to`,
/// and says how well the trace holds together.
///
/// The chain of survivors starts at the last write of `final_value` and
/// follows, from each write, the write whose value it had read: the last
/// write of that value at or before the read, or, for a read whose clock
/// reading came out ahead of the write it saw (a few nanoseconds, two
/// atomic increments at once), the first write of that value after it.
/// The time order itself is checked separately: `final_value` of the
/// result is what the last write by time stored, and `consistent_reads`
/// counts the reads that saw what the time order says the counter held.
pub fn account(entries: &mut [TraceEntry], final_value: u64) -> Replay {
    let n = entries.len();
    // Writes in the order they happened; `rank` is each section's place.
    let mut by_write: Vec<usize> = (0..n).collect();
    by_write.sort_by_key(|&i| (entries[i].write_ns, i));
    let mut rank = vec![0; n];
    for (r, &i) in by_write.iter().enumerate() {
        rank[i] = r;
    }
    // The ranks of the writes of each value, in time order.
    let mut writes_of: std::collections::HashMap<u64, Vec<usize>> = std::collections::HashMap::new();
    for (r, &i) in by_write.iter().enumerate() {
        writes_of.entry(entries[i].wrote).or_default().push(r);
    }
    let parent: Vec<Option<usize>> = (0..n)
        .map(|i| {
            let e = &entries[i];
            let ranks = writes_of.get(&e.read)?;
            let up_to_read = ranks.partition_point(|&r| entries[by_write[r]].write_ns <= e.read_ns);
            let seen = up_to_read.checked_sub(1).or((up_to_read < ranks.len()).then_some(up_to_read))?;
            Some(by_write[ranks[seen]])
        })
        .collect();
    let mut consistent_reads = 0;
    for e in entries.iter() {
        let before = by_write.partition_point(|&w| entries[w].write_ns < e.read_ns);
        let current = before.checked_sub(1).map_or(0, |w| entries[by_write[w]].wrote);
        consistent_reads += u64::from(current == e.read);
    }
    // The chain of survivors, from the last write of the final value back.
    let mut survivor = vec![false; n];
    let mut survived = 0;
    let mut at = writes_of.get(&final_value).and_then(|r| r.last()).map(|&r| by_write[r]);
    while let Some(i) = at {
        if survivor[i] {
            break; // a cycle can only come from a corrupt trace
        }
        survivor[i] = true;
        survived += 1;
        at = parent[i];
    }
    // Each other write was erased by the first later write that does not
    // build on it. That is the first later write whose own source came
    // before it: any write in between that read something later descends
    // from a write in between, and so, by induction, from it.
    let source_rank: Vec<i64> = by_write.iter().map(|&i| parent[i].map_or(-1, |p| rank[p] as i64)).collect();
    let first_below = FirstBelow::new(&source_rank);
    let mut lost = 0;
    for i in 0..n {
        entries[i].lost_to = None;
        if survivor[i] {
            continue;
        }
        lost += 1;
        let eraser = first_below.find(rank[i] + 1, rank[i] as i64);
        entries[i].lost_to = eraser.map(|r| entries[by_write[r]].child);
    }
    let last_by_time = by_write.last().map_or(0, |&i| entries[i].wrote);
    Replay { final_value: last_by_time, survived, lost, consistent_reads, reads: n as u64 }
}

/// "The first position at or after `from` whose value is below `limit`",
/// answered in O(log n) by a tree of minimums over the values.
struct FirstBelow {
    size: usize,
    min: Vec<i64>,
}

impl FirstBelow {
    fn new(values: &[i64]) -> Self {
        let size = values.len().next_power_of_two().max(1);
        let mut min = vec![i64::MAX; 2 * size];
        min[size..size + values.len()].copy_from_slice(values);
        for node in (1..size).rev() {
            min[node] = min[2 * node].min(min[2 * node + 1]);
        }
        Self { size, min }
    }

    fn find(&self, from: usize, limit: i64) -> Option<usize> {
        self.descend(1, 0, self.size, from, limit)
    }

    fn descend(&self, node: usize, lo: usize, hi: usize, from: usize, limit: i64) -> Option<usize> {
        if hi <= from || self.min[node] >= limit {
            return None;
        }
        if hi - lo == 1 {
            return Some(lo);
        }
        let mid = (lo + hi) / 2;
        self.descend(2 * node, lo, mid, from, limit).or_else(|| self.descend(2 * node + 1, mid, hi, from, limit))
    }
}

/// The section whose write erased `victim`'s update: by the child named in
/// `lost_to`, written after `victim` wrote, read before (so it did not see
/// the update). `None` for an update that survived.
/// `entries` are in fork order, as recorded, so that child's sections are
/// found by binary search.
pub fn eraser_of<'a>(entries: &'a [TraceEntry], victim: &TraceEntry) -> Option<&'a TraceEntry> {
    let child = victim.lost_to?;
    let from = entries.partition_point(|e| e.child < child);
    let to = entries.partition_point(|e| e.child <= child).max(from);
    entries[from..to]
        .iter()
        .filter(|e| e.child == child && e.write_ns > victim.write_ns && e.read_ns < victim.write_ns)
        .min_by_key(|e| e.write_ns)
}

/// Why the count is what it is: the figures the reading under the table
/// puts together, in ns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TraceStats {
    /// Median time from read to write (the requested sleep, the timer
    /// slack and the wake-up).
    pub window_ns: f64,
    /// Median time between two forks: how far apart the children start.
    pub fork_spacing_ns: f64,
    /// Median time from fork to the child's first instruction of its own.
    pub start_delay_ns: f64,
    /// Mean and largest number of other children between their read and
    /// their write when a child read the counter.
    pub overlap_mean: f64,
    pub overlap_max: u64,
}

/// The figures of one trial's trace; `None` for an empty trace.
pub fn stats(entries: &[TraceEntry]) -> Option<TraceStats> {
    if entries.is_empty() {
        return None;
    }
    let window = median(entries.iter().map(|e| e.write_ns.saturating_sub(e.read_ns) as f64).collect());
    let mut forks: Vec<u64> = entries.iter().filter(|e| e.iteration == 0).map(|e| e.forked_ns).collect();
    forks.sort_unstable();
    let spacing = median(forks.windows(2).map(|w| (w[1] - w[0]) as f64).collect());
    let start = median(
        entries.iter().filter(|e| e.iteration == 0).map(|e| e.start_ns.saturating_sub(e.forked_ns) as f64).collect(),
    );
    // Overlap at each read: windows open then (read before it, write after).
    let mut reads: Vec<u64> = entries.iter().map(|e| e.read_ns).collect();
    let mut writes: Vec<u64> = entries.iter().map(|e| e.write_ns).collect();
    reads.sort_unstable();
    writes.sort_unstable();
    let overlaps: Vec<u64> = entries
        .iter()
        .map(|e| {
            let opened = reads.partition_point(|&r| r < e.read_ns) as u64;
            let closed = writes.partition_point(|&w| w <= e.read_ns) as u64;
            opened.saturating_sub(closed)
        })
        .collect();
    let overlap_mean = overlaps.iter().sum::<u64>() as f64 / overlaps.len() as f64;
    let overlap_max = overlaps.iter().copied().max().unwrap_or(0);
    Some(TraceStats { window_ns: window, fork_spacing_ns: spacing, start_delay_ns: start, overlap_mean, overlap_max })
}

fn median(values: Vec<f64>) -> f64 {
    super::spread(&values).map_or(0.0, |(_, m, _)| m)
}

/// A section for tests: child `child` read `read` at `read_ns` and wrote
/// `read + 1` at `write_ns`, forked at `child × 10` ns, started 5 ns later.
#[cfg(test)]
pub fn test_entry(child: u32, read_ns: u64, read: u64, write_ns: u64) -> TraceEntry {
    TraceEntry {
        child,
        iteration: 0,
        cpu: 0,
        forked_ns: u64::from(child) * 10,
        start_ns: u64::from(child) * 10 + 5,
        read_ns,
        read,
        write_ns,
        wrote: read + 1,
        lost_to: None,
    }
}

#[cfg(test)]
mod tests {
    use super::test_entry as entry;
    use super::*;

    #[test]
    fn the_article_interleaving_loses_one_update_to_the_second_writer() {
        // 0 reads 0, 1 reads 0, 0 writes 1, 1 writes 1.
        let mut t = vec![entry(0, 10, 0, 30), entry(1, 20, 0, 40)];
        let replay = account(&mut t, 1);
        assert_eq!(replay, Replay { final_value: 1, survived: 1, lost: 1, consistent_reads: 2, reads: 2 });
        assert!(replay.explains(1));
        assert_eq!((t[0].lost_to, t[1].lost_to), (Some(1), None));
    }

    #[test]
    fn serial_children_lose_nothing_and_a_wrong_final_is_not_explained() {
        let mut t = vec![entry(0, 10, 0, 20), entry(1, 30, 1, 40), entry(2, 50, 2, 60)];
        let replay = account(&mut t, 3);
        assert!(replay.explains(3) && !replay.explains(2));
        assert_eq!(replay.lost, 0);
        assert!(t.iter().all(|e| e.lost_to.is_none()));
    }

    #[test]
    fn a_lost_branch_is_charged_to_the_write_that_did_not_build_on_it() {
        // 0 reads 0 and writes 1 late; 1 reads 0, writes 1; 2 reads 1 (from
        // 1), writes 2; then 0's late write of 1 erases 2's update.
        let mut t = vec![entry(0, 10, 0, 100), entry(1, 20, 0, 30), entry(2, 40, 1, 50)];
        let replay = account(&mut t, 1);
        assert_eq!((replay.final_value, replay.survived, replay.lost), (1, 1, 2));
        assert_eq!(t[0].lost_to, None); // the last write survives
        assert_eq!(t[1].lost_to, Some(0));
        assert_eq!(t[2].lost_to, Some(0));
    }

    /// The first later write that does not descend from `i`, the slow way.
    fn eraser_by_search(t: &[TraceEntry], i: usize) -> Option<u32> {
        let source = |w: usize| {
            (0..t.len())
                .filter(|&p| t[p].wrote == t[w].read && t[p].write_ns < t[w].read_ns)
                .max_by_key(|&p| t[p].write_ns)
        };
        let descends = |mut w: usize| loop {
            match source(w) {
                Some(p) if p == i => return true,
                Some(p) => w = p,
                None => return false,
            }
        };
        let mut later: Vec<usize> = (0..t.len()).filter(|&w| t[w].write_ns > t[i].write_ns).collect();
        later.sort_by_key(|&w| t[w].write_ns);
        later.into_iter().find(|&w| !descends(w)).map(|w| t[w].child)
    }

    #[test]
    fn erasers_agree_with_a_plain_search_on_simulated_races() {
        // Children with pseudo-random windows; each read sees the last
        // write before it, as the hardware would make it.
        let mut seed = 12345u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            seed >> 33
        };
        for _ in 0..50 {
            let mut t: Vec<TraceEntry> = (0..40u32)
                .map(|c| {
                    // Distinct times: the child's number in the low digits.
                    let read_at = u64::from(c) * 100 + next() % 50;
                    let write_at = read_at + 1 + next() % 600;
                    entry(c, read_at * 1000 + u64::from(c) * 2, 0, write_at * 1000 + u64::from(c) * 2 + 1)
                })
                .collect();
            let mut writes: Vec<usize> = (0..t.len()).collect();
            writes.sort_by_key(|&w| t[w].write_ns);
            for w in writes {
                let read_ns = t[w].read_ns;
                let current =
                    t.iter().filter(|p| p.write_ns < read_ns).max_by_key(|p| p.write_ns).map_or(0, |p| p.wrote);
                t[w].read = current;
                t[w].wrote = current + 1;
            }
            let final_value = t.iter().max_by_key(|p| p.write_ns).unwrap().wrote;
            let replay = account(&mut t, final_value);
            assert!(replay.explains(final_value), "{replay:?}");
            assert_eq!(replay.consistent_reads, replay.reads);
            for i in 0..t.len() {
                if t[i].lost_to.is_some() {
                    assert_eq!(t[i].lost_to, eraser_by_search(&t, i), "section {i}");
                }
            }
        }
    }

    #[test]
    fn a_late_write_over_a_long_serial_chain_is_accounted_in_one_pass() {
        // Child 0 reads 0 first and writes last; 199,999 others run one
        // after another in between. Every one of them is erased by child 0.
        let n = 200_000u32;
        let mut t = vec![entry(0, 0, 0, u64::from(n) * 10 + 5)];
        t.extend((1..n).map(|c| entry(c, u64::from(c) * 10, u64::from(c) - 1, u64::from(c) * 10 + 5)));
        let replay = account(&mut t, 1);
        assert!(replay.explains(1));
        assert_eq!(replay.lost, u64::from(n) - 1);
        assert!(t[1..].iter().all(|e| e.lost_to == Some(0)));
    }

    #[test]
    fn out_of_order_clock_readings_still_chain_by_value() {
        // Two atomic increments whose clocks came out the other way round.
        let mut t = vec![entry(0, 20, 0, 20), entry(1, 10, 1, 10)];
        let replay = account(&mut t, 2);
        assert_eq!(replay.survived, 2);
        assert!(t.iter().all(|e| e.lost_to.is_none()));
    }

    #[test]
    fn overlap_counts_the_windows_open_at_each_read() {
        let t = vec![entry(0, 10, 0, 100), entry(1, 20, 0, 110), entry(2, 30, 0, 120), entry(3, 200, 3, 210)];
        let s = stats(&t).unwrap();
        assert_eq!(s.overlap_max, 2);
        assert!((s.overlap_mean - 0.75).abs() < 1e-9, "{s:?}");
        assert_eq!(s.fork_spacing_ns, 10.0);
        assert_eq!(s.start_delay_ns, 5.0);
        assert_eq!(s.window_ns, 90.0);
    }
}

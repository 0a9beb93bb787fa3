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
    /// The value of the last write in time: what the trace says the
    /// counter ends with.
    pub final_value: u64,
    /// Writes that are on the chain to the final value.
    pub survived: u64,
    /// Writes that are not: each has `lost_to` set.
    pub lost: u64,
    /// Reads that saw exactly what the replay says the counter held then.
    pub consistent_reads: u64,
    pub reads: u64,
}

impl Replay {
    /// Whether the trace explains a counter that really ended at `final_value`.
    pub fn explains(&self, final_value: u64) -> bool {
        self.final_value == final_value && self.survived == final_value
    }
}

/// Rebuilds the counter's history from `entries`, sets every erased
/// update's `lost_to`, and says how well the trace holds together.
pub fn account(entries: &mut [TraceEntry]) -> Replay {
    // Writes in the order they happened.
    let mut by_write: Vec<usize> = (0..entries.len()).collect();
    by_write.sort_by_key(|&i| (entries[i].write_ns, i));
    let mut rank = vec![0; entries.len()];
    for (r, &i) in by_write.iter().enumerate() {
        rank[i] = r;
    }
    // The write each read saw: the last write of that value before the
    // read. `None` for a read of the initial 0.
    let parent: Vec<Option<usize>> = (0..entries.len())
        .map(|i| {
            let e = &entries[i];
            let before = by_write.partition_point(|&w| entries[w].write_ns < e.read_ns);
            by_write[..before].iter().rev().copied().find(|&w| w != i && entries[w].wrote == e.read)
        })
        .collect();
    let mut reads = 0;
    let mut consistent_reads = 0;
    for e in entries.iter() {
        let before = by_write.partition_point(|&w| entries[w].write_ns < e.read_ns);
        let current = before.checked_sub(1).map_or(0, |w| entries[by_write[w]].wrote);
        reads += 1;
        consistent_reads += u64::from(current == e.read);
    }
    let final_value = by_write.last().map_or(0, |&i| entries[i].wrote);
    // The chain of survivors, from the last write back to the first.
    let mut survivor = vec![false; entries.len()];
    let mut survived = 0;
    let mut at = by_write.last().copied();
    while let Some(i) = at {
        if survivor[i] {
            break; // a cycle can only come from a corrupt trace
        }
        survivor[i] = true;
        survived += 1;
        at = parent[i];
    }
    // Each other write was erased by the first later write that does not
    // build on it: that one stored a value from before it.
    let descends_from = |mut node: usize, ancestor: usize| loop {
        match parent[node] {
            Some(p) if p == ancestor => return true,
            Some(p) if rank[p] > rank[ancestor] => node = p,
            _ => return false,
        }
    };
    let mut lost = 0;
    for i in 0..entries.len() {
        entries[i].lost_to = None;
        if survivor[i] {
            continue;
        }
        lost += 1;
        let eraser = by_write[rank[i] + 1..].iter().copied().find(|&w| !descends_from(w, i));
        entries[i].lost_to = eraser.map(|w| entries[w].child);
    }
    Replay { final_value, survived, lost, consistent_reads, reads }
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

fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    values[(values.len() - 1) / 2]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(child: u32, read_ns: u64, read: u64, write_ns: u64) -> TraceEntry {
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

    #[test]
    fn the_article_interleaving_loses_one_update_to_the_second_writer() {
        // 0 reads 0, 1 reads 0, 0 writes 1, 1 writes 1.
        let mut t = vec![entry(0, 10, 0, 30), entry(1, 20, 0, 40)];
        let replay = account(&mut t);
        assert_eq!(replay, Replay { final_value: 1, survived: 1, lost: 1, consistent_reads: 2, reads: 2 });
        assert!(replay.explains(1));
        assert_eq!((t[0].lost_to, t[1].lost_to), (Some(1), None));
    }

    #[test]
    fn serial_children_lose_nothing_and_a_wrong_final_is_not_explained() {
        let mut t = vec![entry(0, 10, 0, 20), entry(1, 30, 1, 40), entry(2, 50, 2, 60)];
        let replay = account(&mut t);
        assert!(replay.explains(3) && !replay.explains(2));
        assert_eq!(replay.lost, 0);
        assert!(t.iter().all(|e| e.lost_to.is_none()));
    }

    #[test]
    fn a_lost_branch_is_charged_to_the_write_that_did_not_build_on_it() {
        // 0 reads 0 and writes 1 late; 1 reads 0, writes 1; 2 reads 1 (from
        // 1), writes 2; then 0's late write of 1 erases 2's update.
        let mut t = vec![entry(0, 10, 0, 100), entry(1, 20, 0, 30), entry(2, 40, 1, 50)];
        let replay = account(&mut t);
        assert_eq!((replay.final_value, replay.survived, replay.lost), (1, 1, 2));
        assert_eq!(t[0].lost_to, None); // the last write survives
        assert_eq!(t[1].lost_to, Some(0));
        assert_eq!(t[2].lost_to, Some(0));
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

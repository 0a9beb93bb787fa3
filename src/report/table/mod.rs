//! What each kind of record shows people: its tables and the reading under
//! them, laid out for a given width (see `crate::report::grid`), as its
//! `Render` implementation. One file per lab, sharing the helpers here.
//! Every function returns the whole text; nothing here prints.

mod bench;
mod container;
mod crash;
mod ftok;
mod inspect;
mod ipc;
mod lifecycle;
mod limits;
mod memory;
mod posix;
mod race_trace;
mod racing;
mod random_access;
mod schedule;
mod verdicts;

pub use ipc::transport_label;
pub use verdicts::verdicts;

/// How text is to be laid out: how wide it may be, and whether per-trial
/// lists are shown in full (`--long`) or summarised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub width: usize,
    pub long: bool,
}

impl Layout {
    /// Where there is no terminal to ask, and in report.md: 100 columns.
    pub const PLAIN_WIDTH: usize = 100;

    /// report.md: text blocks of at most 100 columns, every list in full.
    pub const REPORT: Layout = Layout { width: Self::PLAIN_WIDTH, long: true };

    pub fn new(width: usize, long: bool) -> Self {
        Self { width, long }
    }

    /// Wraps prose to this width.
    pub fn wrap(&self, text: &str) -> String {
        crate::report::text::wrap(text, self.width)
    }
}

fn join<T: std::fmt::Display>(values: &[T]) -> String {
    values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" ")
}

/// A small histogram of `values` in one line of block characters (eight
/// bins between the smallest and the largest), for a distribution that
/// would take a whole line of numbers.
fn histogram(values: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let (Some(&lo), Some(&hi)) = (values.iter().min(), values.iter().max()) else { return String::new() };
    if lo == hi {
        return "█".to_string();
    }
    let bins = 8.min((hi - lo + 1) as usize);
    let mut counts = vec![0usize; bins];
    for v in values {
        let b = ((v - lo) as u128 * bins as u128 / (hi - lo + 1) as u128) as usize;
        counts[b.min(bins - 1)] += 1;
    }
    let most = counts.iter().copied().max().unwrap_or(1).max(1);
    counts.iter().map(|&c| if c == 0 { ' ' } else { BARS[(c * 7).div_ceil(most).min(7)] }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_shows_where_values_cluster() {
        assert_eq!(histogram(&[5]), "█");
        let h = histogram(&[1, 2, 2, 2, 8]);
        assert_eq!(h.chars().count(), 8);
        assert!(h.starts_with('▂') || h.chars().nth(1) == Some('█'), "{h}");
        assert_eq!(histogram(&[]), "");
    }
}

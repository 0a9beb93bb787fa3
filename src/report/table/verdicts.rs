//! The verdicts of a suite, as a list a terminal can show without a wide
//! table: the status first, then the article's figure and ours.

use super::Layout;
use crate::model::{Verdict, tally};

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub fn verdicts(verdicts: &[Verdict], layout: Layout) -> String {
    let mut text = String::new();
    for v in verdicts {
        text.push_str(&format!("{:<11} {}: {}\n", v.status.name(), v.run, v.claim));
        if !v.article.is_empty() {
            text.push_str(&format!("{:<11}   article: {}\n", "", v.article));
        }
        text.push_str(&format!("{:<11}   ours:    {}\n", "", v.ours));
        if !v.note.is_empty() {
            text.push_str(&format!("{:<11}   note:    {}\n", "", v.note));
        }
    }
    text.push_str(&format!("\n{} claim{}: {}.\n", verdicts.len(), plural(verdicts.len()), tally(verdicts)));
    layout.wrap(&text)
}

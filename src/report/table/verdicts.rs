//! The verdicts of a suite, as a list a terminal can show without a wide
//! table: the status first, then the article's figure and ours.

use super::Layout;
use crate::i18n::t;
use crate::model::{Verdict, tally};
use crate::report::text::width_of;
use crate::tr;

/// `text` padded with spaces to `width` display columns.
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(width_of(text))))
}

pub fn verdicts(verdicts: &[Verdict], layout: Layout) -> String {
    let mut text = String::new();
    let blank = pad("", 11);
    for v in verdicts {
        text.push_str(&format!("{} {}{}{}\n", pad(&v.status.label(), 11), v.run, t("label-colon"), v.claim));
        if !v.article.is_empty() {
            text.push_str(&format!("{blank}   {}{}\n", t("report-line-article"), v.article));
        }
        text.push_str(&format!("{blank}   {}{}\n", t("report-line-ours"), v.ours));
        if !v.note.is_empty() {
            text.push_str(&format!("{blank}   {}{}\n", t("report-line-note"), v.note));
        }
    }
    let id = if verdicts.len() == 1 { "report-claims-one" } else { "report-claims" };
    text.push_str(&format!("\n{}\n", tr!(id, n = verdicts.len(), tally = tally(verdicts))));
    layout.wrap(&text)
}

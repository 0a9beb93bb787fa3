//! `report.md` of a suite run: verdicts, the machine, how long each step
//! took, every run's table, and the charts. Bytes only; the caller writes.
//!
//! Every text in it that comes from `results.json` (suite name and
//! description, run ids and titles, verdicts, notes, machine facts) is
//! untrusted: `shmlab report DIR` renders whatever file it is given, and a
//! title such as `<script>` or `| x |` must come out as those characters,
//! not as HTML or a broken table. Such text goes through [`escape`]; the
//! run tables go into fenced blocks that no line of theirs can close
//! ([`fenced`]).

use std::fmt::Write;

use super::table::Layout;
use crate::i18n::t;
use crate::model::{AnyRecord, SuiteDocument};
use crate::size::human;
use crate::tr;

/// `text` as literal Markdown inline text, safe in a heading, a paragraph
/// or a table cell: on one line (line breaks and other control characters
/// become spaces, the ends are trimmed); `<`, `>` and `&` as HTML entities;
/// the characters Markdown gives a meaning (`\` `` ` `` `*` `_` `[` `]` `|`
/// `#` `~` `$`) behind a backslash, except `_` inside a word; and a
/// leading `-`, `+`, `=` or `1.` escaped so the text cannot start a list.
/// Ordinary titles stay as they are.
pub fn escape(text: &str) -> String {
    let flat: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let flat = flat.trim();
    let mut out = String::with_capacity(flat.len() + 8);
    // A leading list marker or rule: "- x", "+ x", "---", "===", "12. x",
    // "3) x" (a number needs a space or the end after it: "6.18" is fine).
    let digits = flat.chars().take_while(char::is_ascii_digit).count();
    let after = flat.chars().nth(digits + 1);
    let marker = match flat.chars().nth(digits) {
        Some('.' | ')') if digits > 0 && after.is_none_or(|c| c == ' ') => Some(digits),
        Some('-' | '+' | '=') if digits == 0 => Some(0),
        _ => None,
    };
    let chars: Vec<char> = flat.chars().collect();
    let alphanumeric = |i: Option<usize>| i.and_then(|i| chars.get(i)).is_some_and(|c| c.is_alphanumeric());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // Inside a word (HugePages_Free) `_` cannot start or end emphasis.
            '_' if alphanumeric(i.checked_sub(1)) && alphanumeric(Some(i + 1)) => out.push(c),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            _ if marker == Some(i) => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// The longest run of backticks in `text`.
fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// `text` as a fenced block with info string `info`. The fence is longer
/// than any run of backticks in `text`, so no line of it can close the
/// block early; control characters other than line breaks and tabs become
/// U+FFFD, so the file holds no terminal escapes.
pub fn fenced(info: &str, text: &str) -> String {
    let clean: String =
        text.chars().map(|c| if c.is_control() && c != '\n' && c != '\t' { '\u{FFFD}' } else { c }).collect();
    let fence = "`".repeat(longest_backtick_run(&clean).max(2) + 1);
    format!("{fence}{info}\n{clean}\n{fence}\n")
}

/// The report; `charts` are the SVG file names written beside it, with a title each.
pub fn report(doc: &SuiteDocument, charts: &[(String, String)]) -> String {
    let mut md = String::new();
    let lang = crate::i18n::current();
    let _ = writeln!(
        md,
        "{}\n",
        tr!("report-title", suite = format!("*{}*", escape(&doc.suite)), started = escape(&doc.started_utc))
    );
    let description = escape(doc.description_in(lang));
    if !description.is_empty() {
        let _ = writeln!(md, "{description}\n");
    }
    verdicts(&mut md, doc);
    machine(&mut md, doc);
    steps(&mut md, doc);
    if !charts.is_empty() {
        let _ = writeln!(md, "## {}\n", t("report-charts"));
        for (file, title) in charts {
            let _ = writeln!(md, "### {title}\n\n![{title}]({file})\n");
        }
    }
    runs(&mut md, doc);
    md
}

fn verdicts(md: &mut String, doc: &SuiteDocument) {
    if doc.verdicts.is_empty() {
        return;
    }
    let _ = writeln!(
        md,
        "## {}\n\n{}\n\n| {} |\n|---|---|---|---|---|---|",
        t("report-verdicts"),
        tr!("report-tally", tally = crate::model::tally(&doc.verdicts)),
        t("report-verdicts-header")
    );
    for v in &doc.verdicts {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | **{}** | {} |",
            escape(&v.run),
            escape(&v.claim),
            escape(&v.article),
            escape(&v.ours),
            v.status.label(),
            escape(&v.note)
        );
    }
    md.push('\n');
}

fn machine(md: &mut String, doc: &SuiteDocument) {
    let m = &doc.machine;
    let procps = m.procps.clone().unwrap_or_else(|| t("report-procps-unknown"));
    let _ = writeln!(
        md,
        "## {}\n\n{}\n",
        t("report-machine"),
        tr!(
            "report-machine-is",
            kernel = escape(&m.kernel),
            arch = escape(&m.arch),
            cpus = m.cpus,
            memory = human(m.mem_total_kib.saturating_mul(1024)),
            procps = escape(&procps)
        )
    );
    if !m.sysctls.is_empty() {
        let _ = writeln!(md, "| {} |\n|---|---|", t("report-settings-header"));
        for (k, v) in &m.sysctls {
            let _ = writeln!(md, "| {} | {} |", escape(k), escape(v));
        }
        md.push('\n');
    }
}

fn steps(md: &mut String, doc: &SuiteDocument) {
    let total: f64 = doc.runs.iter().map(|r| r.duration_ms).sum();
    let _ = writeln!(md, "## {}\n\n| {} |\n|---|---|---|---|", t("report-steps"), t("report-steps-header"));
    for r in &doc.runs {
        let note = match (r.failure(), r.skip_reason()) {
            (Some(why), _) => tr!("report-step-failed", why = escape(why)),
            (None, Some(why)) => tr!("report-step-skipped", why = escape(why)),
            (None, None) => String::new(),
        };
        let _ =
            writeln!(md, "| {} | {} | {:.1} s | {note} |", escape(&r.id), escape(&r.experiment), r.duration_ms / 1e3);
    }
    let _ = writeln!(md, "| **{}** | | **{:.1} s** | |\n", t("report-total"), total / 1e3);
}

fn runs(md: &mut String, doc: &SuiteDocument) {
    // Grouped once: filtering every record for every run was quadratic.
    let mut by_run: std::collections::HashMap<&str, Vec<&AnyRecord>> = std::collections::HashMap::new();
    for r in &doc.records {
        by_run.entry(r.run.as_str()).or_default().push(&r.record);
    }
    for run in &doc.runs {
        let Some(records) = by_run.get(run.id.as_str()) else { continue };
        let title = run.title_in(crate::i18n::current());
        let title = if title.trim().is_empty() { &run.id } else { title };
        let _ = writeln!(
            md,
            "{}\n\n{}",
            tr!("report-run-heading", id = escape(&run.id), title = escape(title)),
            fenced(
                "text",
                &crate::error::for_suite(&super::text_of(
                    &records.iter().map(|r| (*r).clone()).collect::<Vec<_>>(),
                    Layout::REPORT,
                )),
            )
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_titles_stay_as_they_are() {
        for title in
            ["racing-mmap", "unprotected children lose updates with mmap", "2046 MiB, 20 trials (100 children)"]
        {
            assert_eq!(escape(title), title);
        }
    }

    #[test]
    fn markup_comes_out_as_characters() {
        assert_eq!(escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(escape("| x |"), "\\| x \\|");
        assert_eq!(escape("```"), "\\`\\`\\`");
        assert_eq!(escape("[click](http://x) ![i](y)"), "\\[click\\](http://x) !\\[i\\](y)");
        assert_eq!(escape("*bold* _it_ ~~s~~ $x$ a\\b"), "\\*bold\\* \\_it\\_ \\~\\~s\\~\\~ \\$x\\$ a\\\\b");
        assert_eq!(escape("&amp;"), "&amp;amp;");
        assert_eq!(escape("# not a heading ##"), "\\# not a heading \\#\\#");
        assert_eq!(escape("one\nline\r\n\tonly\u{1b}[31m"), "one line   only \\[31m");
        assert_eq!(escape("  - not a list"), "\\- not a list");
        assert_eq!(escape("12. not a list"), "12\\. not a list");
        assert_eq!(escape("+ x"), "\\+ x");
        assert_eq!(escape("3 - 2"), "3 - 2");
        assert_eq!(escape("6.18.44 (x86_64), HugePages_Free"), "6.18.44 (x86_64), HugePages_Free");
        assert_eq!(escape("_x_ a_ _b"), "\\_x\\_ a\\_ \\_b");
        assert_eq!(escape("7)"), "7\\)");
    }

    #[test]
    fn no_line_of_a_fenced_block_can_close_it() {
        let block = fenced("text", "a\n```\n````\n<b>x</b>\u{1b}[2J");
        let lines: Vec<&str> = block.lines().collect();
        assert_eq!(lines.first(), Some(&"`````text"));
        assert_eq!(lines.last(), Some(&"`````"));
        assert!(lines[1..lines.len() - 1].iter().all(|l| !l.starts_with("`````")), "{block}");
        assert!(!block.contains('\u{1b}'));
        assert_eq!(fenced("text", "plain"), "```text\nplain\n```\n");
    }

    /// A document whose every text is hostile: the report has no raw HTML
    /// outside code, and every fenced block is closed by its own fence.
    #[test]
    fn a_hostile_document_renders_as_plain_text() {
        let reference = include_str!("../../results/reference/results.json");
        let mut doc: SuiteDocument = serde_json::from_str(reference).unwrap();
        let evil = "<script>alert(1)</script> | x |\n```\n# h\n[l](j:x)";
        doc.suite = evil.into();
        doc.description = evil.into();
        doc.machine.kernel = evil.into();
        doc.machine.sysctls.insert(evil.into(), evil.into());
        for run in &mut doc.runs {
            run.title = evil.into();
            run.skipped = Some(evil.into());
        }
        for v in &mut doc.verdicts {
            (v.claim, v.article, v.ours, v.note) = (evil.into(), evil.into(), evil.into(), evil.into());
        }
        for r in &mut doc.records {
            if let AnyRecord::Crash(c) = &mut r.record {
                c.outcome = evil.into();
            }
        }
        let md = report(&doc, &[]);
        let mut fence: Option<String> = None;
        for line in md.lines() {
            match &fence {
                Some(open) if line == open.as_str() => fence = None,
                Some(_) => {}
                None if line.starts_with("```") => fence = Some(line.trim_end_matches("text").to_string()),
                None => {
                    assert!(!line.contains('<'), "raw HTML outside a code block: {line}");
                    assert!(!line.replace("\\]", "").contains("]("), "a link: {line}");
                    if line.starts_with('|') {
                        let cells = line.replace("\\|", "").matches('|').count();
                        assert!(cells == 7 || cells == 5 || cells == 3, "a table row keeps its cells: {line}");
                    }
                }
            }
        }
        assert_eq!(fence, None, "every fenced block is closed");
        assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\| x \\| \\`\\`\\` \\# h"), "escaped, not dropped");
    }
}

//! Prose for a given width: every line wrapped at spaces and between
//! Chinese characters (never before a closing mark such as ， or after an
//! opening one such as （), keeping its indentation; a word longer than the
//! line is cut to fit. Lines are measured in display columns, so a wide
//! character counts two.

/// Display columns of `text` (escape sequences count nothing).
pub fn width_of(text: &str) -> usize {
    textwrap::core::display_width(text)
}

/// The widest line of `text`, in display columns.
pub fn widest_line(text: &str) -> usize {
    text.lines().map(width_of).max().unwrap_or(0)
}

/// Where the continuation of `line` should start: under its text, or for a
/// line laid out in columns (`  name       what it is`), under the second
/// column, so that a wrapped item stays readable as a list.
fn hanging_indent(line: &str) -> usize {
    let leading = line.len() - line.trim_start().len();
    let rest = &line[leading..];
    // A gap of two or more spaces after the first word, early in the line.
    if let Some(word_end) = rest.find(' ')
        && word_end < 32
    {
        let after = &rest[word_end..];
        let gap = after.len() - after.trim_start().len();
        let word_columns = width_of(&rest[..word_end]);
        if gap >= 2 && word_columns + gap < 40 {
            return leading + word_columns + gap;
        }
    }
    leading
}

/// Punctuation that may not begin a line in Chinese (and must not be cut
/// from the character before it).
const CLOSING: &str = "，。、；：！？）」』”’》〉】";

/// Punctuation that may not end a line in Chinese (it stays with the
/// character after it).
const OPENING: &str = "（「『“‘《〈【";

/// Where a line may break: after a run of spaces, and before and after
/// every wide (CJK) character, as Chinese text has no spaces between words.
/// Each piece keeps its trailing spaces, which `Word::from` sets apart.
fn spaces_and_cjk(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let wide = |c: char| textwrap::core::display_width(c.encode_utf8(&mut [0; 4])) == 2;
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let end = i + c.len_utf8();
        let ends_here = match next {
            None => true,
            Some(n) if c == ' ' => n != ' ',
            // A wide character is a word; so is a run up to one, unless
            // spaces follow (they belong to the piece).
            // A closing mark (，。) stays on the line of the character before
            // it, an opening mark (（“) on the line of the one after it.
            Some(n) => n != ' ' && (wide(c) || wide(n)) && !CLOSING.contains(n) && !OPENING.contains(c),
        };
        if ends_here {
            pieces.push(textwrap::core::Word::from(&line[start..end]));
            start = end;
        }
    }
    Box::new(pieces.into_iter())
}

/// Wraps every line of `text` to `width` columns, keeping each line's own
/// indentation (and a hanging indent for column-like lines). Empty lines
/// and lines that already fit are kept as they are.
pub fn wrap(text: &str, width: usize) -> String {
    let width = width.max(20);
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split('\n') {
        if width_of(line) <= width {
            out.push_str(line);
        } else {
            let indent = " ".repeat(hanging_indent(line).min(width / 2));
            let leading = &line[..line.len() - line.trim_start().len()];
            // Breaks at spaces and between CJK characters, never inside
            // "/dev/shm", "--shm-size" or "procps-ng" (a word longer than the
            // line is still cut to fit).
            let options = textwrap::Options::new(width)
                .initial_indent(leading)
                .subsequent_indent(&indent)
                .word_separator(textwrap::WordSeparator::Custom(spaces_and_cjk))
                .word_splitter(textwrap::WordSplitter::NoHyphenation)
                // First fit never lets a line run past the width (optimal fit may).
                .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit)
                .break_words(true);
            out.push_str(&textwrap::fill(line.trim_start(), &options));
        }
        out.push('\n');
    }
    out.pop(); // the split added one line too many
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_words_and_keeps_indentation() {
        let text = "How to read this: each of the 100 children read the shared counter, slept 1 µs, then wrote back.";
        let wrapped = wrap(text, 40);
        assert!(wrapped.lines().all(|l| width_of(l) <= 40), "{wrapped}");
        assert!(wrapped.lines().all(|l| !l.ends_with("leav")), "no word cut: {wrapped}");
        assert_eq!(wrapped.split_whitespace().collect::<Vec<_>>(), text.split_whitespace().collect::<Vec<_>>());
        let item = "  flock            every trial exact: flock on a descriptor each child opened itself";
        let wrapped = wrap(item, 50);
        let second = wrapped.lines().nth(1).unwrap();
        assert!(second.starts_with(&" ".repeat(19)) && !second.starts_with(&" ".repeat(20)), "{wrapped}");
    }

    #[test]
    fn chinese_breaks_between_characters_not_at_the_edge_of_the_line() {
        let text = "怎么读这张表：100 个子进程中的每一个读取共享计数器，睡眠 1 微秒，再把读到的值加一写回。";
        let wrapped = wrap(text, 30);
        let widths: Vec<usize> = wrapped.lines().map(width_of).collect();
        assert!(widths.iter().all(|w| *w <= 30), "{wrapped}");
        assert!(wrapped.lines().all(|l| !l.starts_with(['，', '。'])), "no line starts with a closing mark: {wrapped}");
        for width in 20..40 {
            let text = "共享内存环形缓冲区（shm）把消息拷进共享映射，再拷出来（0-copy：就地写入）。";
            let wrapped = wrap(text, width);
            assert!(wrapped.lines().all(|l| !l.ends_with(['（', '“'])), "a line ends with an opening mark: {wrapped}");
        }
        assert!(widths[..widths.len() - 1].iter().all(|w| *w >= 28), "lines filled, not broken at spaces: {wrapped}");
        let squeeze = |t: &str| t.split_whitespace().collect::<String>();
        assert_eq!(squeeze(&wrapped), squeeze(text), "nothing lost but the spaces a line ended at");
    }

    #[test]
    fn counts_wide_characters_twice() {
        let text = "共享内存段在进程退出后仍然存在，直到有人删除它或者系统重新启动为止。";
        let wrapped = wrap(text, 20);
        assert!(wrapped.lines().count() > 1 && wrapped.lines().all(|l| width_of(l) <= 20), "{wrapped}");
    }

    #[test]
    fn paths_options_and_names_are_not_broken_inside() {
        let text = "a tmpfs (the kernel's internal one, /dev/shm for POSIX objects); give it --shm-size or procps-ng 4";
        for width in 30..60 {
            let wrapped = wrap(text, width);
            for word in ["/dev/shm", "--shm-size", "procps-ng"] {
                assert!(wrapped.contains(word), "{word} broken at {width}: {wrapped}");
            }
        }
    }

    #[test]
    fn no_line_runs_past_the_width_to_avoid_a_ragged_one() {
        let line = "shmlab: cgroups shmlab-9309-3b95a43205b9f42d-a and shmlab-9309-c215f479413f06f8-b made under /sys/fs/cgroup/memory";
        let wrapped = wrap(line, 80);
        assert!(wrapped.lines().all(|l| width_of(l) <= 80), "{wrapped}");
    }

    #[test]
    fn short_lines_stay_as_they_are() {
        assert_eq!(wrap("a\n\n  b", 80), "a\n\n  b");
    }
}

//! The command line in the reader's language.
//!
//! clap's texts are static English (doc comments, `about`, `after_help`);
//! for Chinese the built command is walked and every text replaced from the
//! help catalog (i18n/*/help.ftl), by ids made from the command's path and
//! the argument's id, with the English kept where an id is missing:
//!   help-<path>-about, help-<path>-long-about    a command (path `top`, `racing`, `bench-locks`)
//!   help-<path>-<arg>, help-<path>-<arg>-detail  an argument's help and long help
//!   help-arg-<arg>[-detail]                      the same for every command that has no own id
//!   help-value-<arg>-<value>                     a possible value's help (`--backend mmap`)
//!   help-<path>-ex-<n>, help-<path>-note-<n>     the n-th example line and prose paragraph of after_help
//! The words clap itself prints (Usage, Options, [default: ...]) are replaced
//! in the rendered help ([`finish_help`]), which is then wrapped counting a
//! CJK character as two columns and breaking between CJK characters.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::i18n::Lang;

/// What `--lang` on this command line asks for, read before clap parses it
/// (so that the help and clap's errors are in that language): the last
/// `--lang zh` / `--lang=zh` before a `--`; None if absent or not a language
/// (clap then reports it, in the locale's language).
pub fn lang_in_args(args: &[std::ffi::OsString]) -> Option<Lang> {
    let parse = |v: &std::ffi::OsStr| match v.to_str() {
        Some("en") => Some(Lang::En),
        Some("zh") => Some(Lang::Zh),
        _ => None,
    };
    let mut found = None;
    let mut rest = args.iter().skip(1);
    while let Some(arg) = rest.next() {
        let Some(text) = arg.to_str() else { continue };
        if text == "--" {
            break;
        }
        if text == "--lang" {
            found = rest.next().and_then(|v| parse(v));
        } else if let Some(v) = text.strip_prefix("--lang=") {
            found = parse(std::ffi::OsStr::new(v));
        }
    }
    found
}

/// The whole command line, built, in `lang`; `help_subcommand: false`
/// leaves out clap's `help` subcommand (for the manual pages).
pub fn command(lang: Lang, help_subcommand: bool) -> clap::Command {
    let mut command = Cli::command();
    if !help_subcommand {
        command = command.disable_help_subcommand(true);
    }
    if lang == Lang::En {
        // As clap builds it, lazily: only the subcommand that runs.
        return command;
    }
    // Every subcommand built, so that their generated arguments (help,
    // version) are there to be given their Chinese texts.
    command.build();
    localize(command, "top")
}

/// The catalog's text for `id`, if it has one.
fn catalog(id: &str) -> Option<String> {
    let text = crate::i18n::t(id);
    (text != id).then_some(text)
}

/// The catalog's text for the first of `ids` it has.
fn first_of(ids: &[String]) -> Option<String> {
    ids.iter().find_map(|id| catalog(id))
}

/// A name as a part of a message id: `delay_us` → `delay-us`.
fn id_part(name: &str) -> String {
    name.replace('_', "-").to_lowercase()
}

/// The path of a subcommand in message ids: `racing`, `bench-locks`.
fn sub_path(parent: &str, name: &str) -> String {
    if parent == "top" { id_part(name) } else { format!("{parent}-{}", id_part(name)) }
}

fn localize(mut command: clap::Command, path: &str) -> clap::Command {
    let is_help = command.get_name() == "help" && path.ends_with("help");
    if is_help {
        if let Some(about) = catalog("help-help-about") {
            command = command.about(about);
        }
    } else {
        if command.get_about().is_some()
            && let Some(about) = catalog(&format!("help-{path}-about"))
        {
            command = command.about(about);
        }
        if command.get_long_about().is_some()
            && let Some(about) = catalog(&format!("help-{path}-long-about"))
        {
            command = command.long_about(about);
        }
        if let Some(after) = command.get_after_help() {
            let after = after_help(path, &after.to_string());
            command = command.after_help(after);
        }
    }
    command = command.mut_args(|arg| localize_arg(arg, path));
    // The help subcommand's children mirror the real commands: they take
    // the real commands' paths.
    let parent =
        if is_help { path.trim_end_matches("help").trim_end_matches('-').to_string() } else { path.to_string() };
    let parent = if parent.is_empty() { "top".to_string() } else { parent };
    command = command.mut_subcommands(|sub| {
        let path = sub_path(&parent, sub.get_name());
        localize(sub, &path)
    });
    // No wrapping by clap: it measures a CJK character as one column and
    // breaks only at spaces; `finish_help` wraps.
    command.term_width(0)
}

fn localize_arg(mut arg: clap::Arg, path: &str) -> clap::Arg {
    let id = id_part(arg.get_id().as_str());
    if id == "help" || id == "version" {
        let pick = |english: Option<&clap::builder::StyledStr>| {
            english.and_then(|e| match e.to_string().as_str() {
                "Print help" => catalog("help-print-help"),
                "Print help (see more with '--help')" => catalog("help-print-help-more"),
                "Print help (see a summary with '-h')" => catalog("help-print-help-summary"),
                "Print version" => catalog("help-print-version"),
                "Print help for the subcommand(s)" => catalog("help-print-help-for"),
                _ => None,
            })
        };
        if let Some(help) = pick(arg.get_help()) {
            arg = arg.help(help);
        }
        if let Some(help) = pick(arg.get_long_help()) {
            arg = arg.long_help(help);
        }
        return arg;
    }
    if arg.get_help().is_some()
        && let Some(help) = first_of(&[format!("help-{path}-{id}"), format!("help-arg-{id}")])
    {
        arg = arg.help(help);
    }
    if arg.get_long_help().is_some()
        && let Some(help) = first_of(&[format!("help-{path}-{id}-detail"), format!("help-arg-{id}-detail")])
    {
        arg = arg.long_help(help);
    }
    // Possible values with help: clap prints their help under an English
    // heading and cannot be given other texts without the value's type, so
    // the list is written into the long help here and clap's is hidden.
    let values: Vec<clap::builder::PossibleValue> =
        arg.get_possible_values().into_iter().filter(|v| !v.is_hide_set()).collect();
    if values.iter().any(|v| v.get_help().is_some()) {
        let longest = values.iter().map(|v| v.get_name().len()).max().unwrap_or(0);
        let mut list = vec![crate::i18n::t("help-possible-values-heading")];
        for v in &values {
            let name = v.get_name();
            let help = first_of(&[
                format!("help-{path}-{id}-{}", id_part(name)),
                format!("help-value-{id}-{}", id_part(name)),
            ])
            .or_else(|| v.get_help().map(ToString::to_string));
            match help {
                Some(help) => list.push(format!("- {name}: {:pad$}{help}", "", pad = longest - name.len())),
                None => list.push(format!("- {name}")),
            }
        }
        let short = arg.get_help().map(ToString::to_string).unwrap_or_default();
        let long = arg.get_long_help().map(ToString::to_string).unwrap_or_else(|| short.clone());
        let names = values.iter().map(|v| v.get_name()).collect::<Vec<_>>().join(", ");
        arg = arg
            .hide_possible_values(true)
            .help(format!("{short} [possible values: {names}]"))
            .long_help(format!("{long}\n\n{}", list.join("\n")));
    }
    arg
}

/// after_help in the catalog's words: `Examples:` headings, each example
/// line (the command stays, the comment is translated) and each paragraph.
fn after_help(path: &str, english: &str) -> String {
    let lines: Vec<String> = after_help_parts(path, english)
        .into_iter()
        .map(|part| match part {
            AfterHelpPart::Blank => String::new(),
            AfterHelpPart::Heading(id) => crate::i18n::t(id),
            AfterHelpPart::Example { indent, id, english } => {
                format!("{indent}{}", catalog(&id).unwrap_or(english))
            }
            AfterHelpPart::Note { id, english } => catalog(&id).unwrap_or(english),
        })
        .collect();
    lines.join("\n")
}

/// One piece of an `after_help` text, with the id of its translation.
enum AfterHelpPart {
    Blank,
    /// `Examples:` or `Example:`.
    Heading(&'static str),
    /// An indented line: a command with its comment (`help-<path>-ex-<n>`).
    Example {
        indent: String,
        id: String,
        english: String,
    },
    /// A paragraph: a line and the ones that follow it up to a blank or an
    /// indented one, joined (`help-<path>-note-<n>`).
    Note {
        id: String,
        english: String,
    },
}

/// `english` cut into its pieces, numbered as the catalog numbers them.
fn after_help_parts(path: &str, english: &str) -> Vec<AfterHelpPart> {
    let mut out = Vec::new();
    let (mut example, mut note) = (0, 0);
    let mut lines = english.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim().is_empty() {
            out.push(AfterHelpPart::Blank);
        } else if line == "Examples:" || line == "Example:" {
            out.push(AfterHelpPart::Heading(if line == "Examples:" { "help-examples" } else { "help-example" }));
        } else if line.starts_with(' ') {
            example += 1;
            let indent = line[..line.len() - line.trim_start().len()].to_string();
            let english = line.trim_start().to_string();
            out.push(AfterHelpPart::Example { indent, id: format!("help-{path}-ex-{example}"), english });
        } else {
            note += 1;
            let mut paragraph = line.to_string();
            while let Some(next) = lines.peek()
                && !next.trim().is_empty()
                && !next.starts_with(' ')
            {
                paragraph.push(' ');
                paragraph.push_str(next);
                lines.next();
            }
            out.push(AfterHelpPart::Note { id: format!("help-{path}-note-{note}"), english: paragraph });
        }
    }
    out
}

/// The width help is wrapped to, as clap chooses it: the terminal's, else
/// `$COLUMNS`, at most 100.
pub fn help_width() -> usize {
    let width = terminal_size::terminal_size()
        .map(|(w, _)| usize::from(w.0))
        .or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse().ok()))
        .unwrap_or(100);
    width.clamp(20, 100)
}

/// Help rendered by clap from a localized command, finished in Chinese:
/// clap's own words replaced, then wrapped to `width` display columns.
pub fn finish_help(rendered: &str, width: usize) -> String {
    let mut out = Vec::new();
    for line in rendered.split('\n') {
        let line = words_of_clap(line);
        out.push(wrap_line(&line, width));
    }
    out.join("\n")
}

/// The text of `line` without escape sequences.
fn plain(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// Replaces `[tag: ...]` by the catalog message `id` with `$values`.
fn bracket(line: &str, tag: &str, id: &str) -> String {
    let mut line = line.to_string();
    let open = format!("[{tag}: ");
    let mut from = 0;
    while let Some(start) = line[from..].find(&open).map(|i| i + from) {
        let Some(len) = line[start..].find(']') else { break };
        let values = line[start + open.len()..start + len].to_string();
        let words = crate::tr!(id, values = values);
        line.replace_range(start..=start + len, &words);
        from = start + words.len();
    }
    line
}

/// The words clap writes itself, in the catalog's language.
fn words_of_clap(line: &str) -> String {
    let text = plain(line);
    let mut line = line.to_string();
    for (english, id) in [
        ("Options:", "help-heading-options"),
        ("Arguments:", "help-heading-arguments"),
        ("Commands:", "help-heading-commands"),
    ] {
        if text == english {
            return line.replacen(english, &crate::i18n::t(id), 1);
        }
    }
    if text.starts_with("Usage: ") {
        // "Usage: shmlab": the space after the heading goes with it.
        let heading = crate::i18n::t("help-heading-usage");
        let mut rest = line.replacen("Usage:", &heading, 1);
        if let Some(at) = rest.find(&heading) {
            let after = at + heading.len();
            if let Some(space) = rest[after..].find(' ') {
                rest.remove(after + space);
            }
        }
        line = rest
            .replace("[OPTIONS]", &crate::i18n::t("help-usage-options"))
            .replace("<COMMAND>", &crate::i18n::t("help-usage-command"));
    }
    if text.trim_start() == "Possible values:" {
        return line.replacen("Possible values:", &crate::i18n::t("help-possible-values-heading"), 1);
    }
    line = bracket(&line, "default", "help-default");
    line = bracket(&line, "possible values", "help-possible-values");
    no_space_before_paren(&line)
}

/// "子进程数 （默认：1）" → "子进程数（默认：1）": clap puts a space between
/// the help and what it adds, which Chinese does not want before `（`.
fn no_space_before_paren(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    for (i, &c) in chars.iter().enumerate() {
        let squeeze = c == ' ' && i > 0 && chars[i - 1] != ' ' && chars.get(i + 1) == Some(&'（');
        if !squeeze {
            out.push(c);
        }
    }
    out
}

/// Where the continuation of a too long help line starts: under the help
/// of an option or a command (`  --lang <LANG>  ...`), under the text of a
/// possible value (`- mmap: ...`), else under the line's own text.
fn hanging_indent(plain: &str) -> usize {
    let leading = plain.len() - plain.trim_start().len();
    let rest = &plain[leading..];
    let columns = |s: &str| textwrap::core::display_width(s);
    if rest.starts_with("- ")
        && let Some(colon) = rest.find(": ")
    {
        let after = &rest[colon + 1..];
        return leading + columns(&rest[..colon + 1]) + (after.len() - after.trim_start().len());
    }
    if let Some(gap) = rest.find("  ") {
        let after = &rest[gap..];
        let column = leading + columns(&rest[..gap]) + (after.len() - after.trim_start().len());
        if column < 48 {
            return column;
        }
    }
    leading
}

/// Punctuation that may not begin a line.
const CLOSING: &str = "，。、；：！？）」』”’》〉】)]";

/// Wraps one line of help to `width` columns at spaces and between CJK
/// characters, the continuation under [`hanging_indent`].
pub fn wrap_line(line: &str, width: usize) -> String {
    let columns = |s: &str| textwrap::core::display_width(s);
    if columns(line) <= width {
        return line.to_string();
    }
    let text = plain(line);
    let leading = text.len() - text.trim_start().len();
    // An example whose comment starts too far right for it to wrap under
    // itself: the comment goes below the command, indented.
    if hanging_indent(&text) == leading
        && let Some(gap) = line[leading..].find("  ").map(|g| g + leading)
        && columns(&line[..gap]) <= width
    {
        let comment = format!("{}{}", " ".repeat(leading + 4), line[gap..].trim_start());
        return format!("{}\n{}", line[..gap].trim_end(), wrap_line(&comment, width));
    }
    let indent = hanging_indent(&text).min(width / 2);
    let wide = |c: char| columns(c.encode_utf8(&mut [0; 4])) == 2;
    let mut lines = Vec::new();
    let mut current = String::new();
    // The byte offset in `current` where it may be cut, the text before it
    // being wider than the indent.
    let mut cut: Option<usize> = None;
    let mut previous: Option<char> = None;
    let mut in_escape = false;
    for c in line.chars() {
        if c == '\u{1b}' {
            in_escape = true;
        }
        if !in_escape && let Some(p) = previous {
            let breaks = (p == ' ' && c != ' ')
                || (p != ' '
                    && c != ' '
                    && (wide(p) || wide(c))
                    && !CLOSING.contains(c)
                    && !"（「『“‘《〈【(".contains(p));
            if breaks && columns(&current) > indent {
                cut = Some(current.len());
            }
        }
        current.push(c);
        if in_escape {
            if ('@'..='~').contains(&c) && c != '[' {
                in_escape = false;
            }
            continue;
        }
        previous = Some(c);
        if columns(&current) > width
            && let Some(at) = cut
        {
            let rest = current.split_off(at);
            lines.push(current.trim_end().to_string());
            current = format!("{}{}", " ".repeat(indent), rest.trim_start());
            cut = None;
        }
    }
    lines.push(current);
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use clap::Parser;

    use super::*;

    /// Every text of the command line that the help catalog holds, as
    /// (message id, English text), in the order of the help.
    fn english_texts() -> Vec<(String, String)> {
        // Built, as the Chinese command is before it is localized.
        let mut command = super::command(Lang::En, true);
        command.build();
        let mut texts = Vec::new();
        // Arguments and possible values shared by several commands get one
        // id for the text most of them have.
        let mut args: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
        walk(&command, "top", &mut texts, &mut args);
        let mut shared = Vec::new();
        for (generic, uses) in &args {
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for (_, _, text) in uses {
                *counts.entry(text).or_default() += 1;
            }
            let (common, n) = counts.iter().max_by_key(|(_, n)| **n).map(|(t, n)| (*t, *n)).unwrap();
            if n >= 2 {
                shared.push((generic.clone(), common.to_string()));
            }
            for (position, specific, text) in uses {
                if n < 2 || text != common {
                    texts.push((position.clone(), format!("{specific}\u{0}{text}")));
                }
            }
        }
        // Keep the order of the walk, each specific id after its command's texts.
        let mut out: Vec<(String, String)> = Vec::new();
        let mut positioned: Vec<(String, String, String)> = texts
            .into_iter()
            .map(|(position, text)| match text.split_once('\u{0}') {
                Some((id, text)) => (position, id.to_string(), text.to_string()),
                None => (position.clone(), position, text),
            })
            .collect();
        positioned.sort_by(|a, b| a.0.cmp(&b.0));
        out.extend(shared);
        out.extend(positioned.into_iter().map(|(_, id, text)| (id, text)));
        out
    }

    fn walk(
        command: &clap::Command,
        path: &str,
        texts: &mut Vec<(String, String)>,
        args: &mut BTreeMap<String, Vec<(String, String, String)>>,
    ) {
        let order = |n: usize| format!("{path}\u{1}{n:04}");
        let mut n = 0;
        let mut push = |texts: &mut Vec<(String, String)>, id: String, text: String| {
            n += 1;
            texts.push((order(n), format!("{id}\u{0}{text}")));
        };
        if command.get_name() == "help" {
            return;
        }
        if let Some(about) = command.get_about() {
            push(texts, format!("help-{path}-about"), about.to_string());
        }
        if let Some(about) = command.get_long_about() {
            push(texts, format!("help-{path}-long-about"), about.to_string());
        }
        if let Some(after) = command.get_after_help() {
            for part in super::after_help_parts(path, &after.to_string()) {
                match part {
                    super::AfterHelpPart::Example { id, english, .. } | super::AfterHelpPart::Note { id, english } => {
                        push(texts, id, english)
                    }
                    super::AfterHelpPart::Blank | super::AfterHelpPart::Heading(_) => {}
                }
            }
        }
        for arg in command.get_arguments().filter(|a| !a.is_hide_set()) {
            let id = id_part(arg.get_id().as_str());
            if id == "help" || id == "version" {
                continue;
            }
            n += 1;
            let position = order(n);
            if let Some(help) = arg.get_help() {
                args.entry(format!("help-arg-{id}")).or_default().push((
                    position.clone(),
                    format!("help-{path}-{id}"),
                    help.to_string(),
                ));
            }
            if let Some(help) = arg.get_long_help() {
                args.entry(format!("help-arg-{id}-detail")).or_default().push((
                    position.clone(),
                    format!("help-{path}-{id}-detail"),
                    help.to_string(),
                ));
            }
            for value in arg.get_possible_values().iter().filter(|v| !v.is_hide_set()) {
                if let Some(help) = value.get_help() {
                    let name = id_part(value.get_name());
                    args.entry(format!("help-value-{id}-{name}")).or_default().push((
                        position.clone(),
                        format!("help-{path}-{id}-{name}"),
                        help.to_string(),
                    ));
                }
            }
        }
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, &sub_path(path, sub.get_name()), texts, args);
        }
    }

    /// The English catalog's text of `id` (None if it has none).
    fn english(id: &str) -> Option<String> {
        use fluent_bundle::{FluentBundle, FluentResource};
        thread_local! {
            static BUNDLE: FluentBundle<FluentResource> = {
                let mut b = FluentBundle::new(vec!["en".parse().unwrap()]);
                b.set_use_isolating(false);
                let source = include_str!("../i18n/en/help.ftl").to_string();
                b.add_resource(FluentResource::try_new(source).expect("en/help.ftl parses")).unwrap();
                b
            };
        }
        BUNDLE.with(|b| {
            let pattern = b.get_message(id)?.value()?;
            Some(b.format_pattern(pattern, None, &mut Vec::new()).into_owned())
        })
    }

    #[test]
    fn the_english_catalog_is_clap_s_english_and_covers_every_text() {
        let mut missing = Vec::new();
        for (id, text) in english_texts() {
            match english(&id) {
                Some(catalog) if catalog == text => {}
                Some(catalog) => missing.push(format!("{id}: the catalog says {catalog:?}, clap {text:?}")),
                None => missing.push(format!("{id} = {text}")),
            }
        }
        assert!(
            missing.is_empty(),
            "i18n/en/help.ftl is out of step with the command line (regenerate with print_help_catalog):\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn lang_is_read_before_parsing_as_clap_reads_it() {
        let args = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(lang_in_args(&args(&["shmlab", "racing", "--lang", "zh"])), Some(Lang::Zh));
        assert_eq!(lang_in_args(&args(&["shmlab", "--lang=en", "racing"])), Some(Lang::En));
        assert_eq!(lang_in_args(&args(&["shmlab", "racing", "--lang", "fr"])), None);
        assert_eq!(lang_in_args(&args(&["shmlab", "racing"])), None);
        assert_eq!(lang_in_args(&args(&["shmlab", "ftok", "--", "--lang", "zh"])), None);
        for argv in [&["shmlab", "racing", "--lang", "zh"][..], &["shmlab", "--lang=en", "limits"]] {
            let cli = Cli::try_parse_from(argv.iter()).unwrap();
            assert_eq!(cli.lang, lang_in_args(&args(argv)));
        }
    }

    #[test]
    fn help_lines_wrap_at_display_width_under_their_column() {
        let line =
            "      --check <SIZE>     说明现在能否创建这么大的段，以及是什么阻止了它，再加上一些文字让它超过宽度";
        let wrapped = wrap_line(line, 60);
        let lines: Vec<&str> = wrapped.lines().collect();
        assert!(lines.len() >= 2, "{wrapped}");
        assert!(lines.iter().all(|l| textwrap::core::display_width(l) <= 60), "{wrapped}");
        assert!(lines[1].starts_with(&" ".repeat(25)) && !lines[1].starts_with(&" ".repeat(26)), "{wrapped}");
        assert!(!lines[1].trim_start().starts_with(['，', '。']), "{wrapped}");
        let words = crate::i18n::in_language(Lang::Zh, || {
            words_of_clap("      --children <N>  每轮 fork 的子进程数 [default: 100]")
        });
        assert!(words.ends_with("子进程数（默认：100）"), "{words}");
    }

    /// Prints i18n/en/help.ftl's messages of the command line, generated
    /// from clap's English (`cargo test --bin shmlab print_help_catalog -- --ignored --nocapture`).
    #[test]
    #[ignore]
    fn print_help_catalog() {
        for (id, text) in english_texts() {
            println!("{id} = {}", text.replace('{', "{ \"{\" }"));
        }
    }
}

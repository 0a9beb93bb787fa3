//! The language of what shmlab says to people: English or Chinese.
//!
//! The texts live in one Fluent catalog per language, i18n/en/ and i18n/zh/,
//! each split into the same files by area (common, racing, memory, ...) so
//! that a lab's texts sit together, and are looked up by message id with
//! named arguments ([`text`], [`tr!`]). build.rs indexes them into the
//! binary, and a run parses only the messages it shows. Numbers are
//! formatted by the caller, so both languages show the same figures. The
//! language comes from `--lang`, else from the locale (`LC_ALL`,
//! `LC_MESSAGES`, `LANG`, the first that is set: `zh...` means Chinese),
//! else English. Tests keep the two catalogs in step (the same files, ids
//! and arguments). JSON field names and enum values never change with the
//! language; its free-text notes are in the run's language (`lang`).

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Mutex, OnceLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use serde::{Deserialize, Serialize};

/// Message `id` in the chosen language, its arguments named as in the
/// catalogs and given as anything that displays:
/// `tr!("racing-times", n = iterations)`.
#[macro_export]
macro_rules! tr {
    ($id:expr $(,)?) => {
        $crate::i18n::text($id, &[])
    };
    ($id:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::text($id, &[$((stringify!($name), ($value).to_string())),+])
    };
}

/// A language shmlab speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

/// The language of this process: 0 English, 1 Chinese.
static CHOSEN: AtomicU8 = AtomicU8::new(0);
/// What `--lang` said: 0 nothing, else 1 + the language (then a report is
/// re-rendered in it).
static FLAG: AtomicU8 = AtomicU8::new(0);

/// Fixes the language for this process: `flag` if given, else the locale's.
pub fn choose(flag: Option<Lang>) -> Lang {
    let lang = flag.unwrap_or_else(locale);
    FLAG.store(flag.map_or(0, |l| 1 + l as u8), Ordering::Relaxed);
    set(lang);
    lang
}

/// The locale's language (`--lang` aside).
pub fn locale() -> Lang {
    from_locale(|name| std::env::var(name).ok())
}

/// Speaks `lang` from now on: `shmlab report` renders a run in the
/// language it was made in unless `--lang` says otherwise.
pub fn set(lang: Lang) {
    CHOSEN.store(lang as u8, Ordering::Relaxed);
}

/// The language `--lang` asked for, if it did.
pub fn flag() -> Option<Lang> {
    match FLAG.load(Ordering::Relaxed) {
        0 => None,
        1 => Some(Lang::En),
        _ => Some(Lang::Zh),
    }
}

thread_local! {
    /// A language for this thread only, while [`in_language`] runs.
    static FOR_THIS_THREAD: std::cell::Cell<Option<Lang>> = const { std::cell::Cell::new(None) };
}

/// The language chosen (English until [`choose`] ran).
pub fn current() -> Lang {
    if let Some(lang) = FOR_THIS_THREAD.with(std::cell::Cell::get) {
        return lang;
    }
    if CHOSEN.load(Ordering::Relaxed) == Lang::Zh as u8 { Lang::Zh } else { Lang::En }
}

/// `make()` with its texts in `lang`, whatever this process speaks: the
/// English a JSON field keeps, or a unit test's Chinese (the override is
/// this thread's only, so tests running beside it are not affected).
pub fn in_language<T>(lang: Lang, make: impl FnOnce() -> T) -> T {
    /// Puts the thread's language back, also when `make` panics.
    struct Restore(Option<Lang>);
    impl Drop for Restore {
        fn drop(&mut self) {
            FOR_THIS_THREAD.with(|l| l.set(self.0));
        }
    }
    let _restore = Restore(FOR_THIS_THREAD.with(|l| l.replace(Some(lang))));
    make()
}

/// The locale's language, as the C library picks the messages category:
/// the first of LC_ALL, LC_MESSAGES, LANG that is set and not empty.
fn from_locale(var: impl Fn(&str) -> Option<String>) -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| var(name).filter(|v| !v.is_empty()))
        .map_or(Lang::En, |v| if v.starts_with("zh") { Lang::Zh } else { Lang::En })
}

/// Every message id of each language with its source, sorted by id: made
/// by build.rs from the catalogs, so that a run parses only the messages
/// it shows ([`bundle`]).
mod index {
    include!(concat!(env!("OUT_DIR"), "/catalog_index.rs"));
}

/// The source of message `id` in `lang`'s catalogs.
fn source_of(lang: Lang, id: &str) -> Option<&'static str> {
    let table = if lang == Lang::En { index::EN } else { index::ZH };
    table.binary_search_by(|(name, _)| (*name).cmp(id)).ok().map(|at| table[at].1)
}

/// `lang`'s bundle of the messages shown so far, each added from its own
/// source the first time it is needed.
fn bundle(lang: Lang) -> &'static Mutex<FluentBundle<FluentResource>> {
    static BUNDLES: [OnceLock<Mutex<FluentBundle<FluentResource>>>; 2] = [const { OnceLock::new() }; 2];
    BUNDLES[lang as usize].get_or_init(|| {
        let tag = if lang == Lang::En { "en" } else { "zh-CN" };
        let id: unic_langid::LanguageIdentifier = tag.parse().expect("a valid language tag");
        let mut b = FluentBundle::new_concurrent(vec![id]);
        // No Unicode isolation marks around arguments: they would count in
        // widths and show up in pipes.
        b.set_use_isolating(false);
        Mutex::new(b)
    })
}

/// Message `id` in the chosen language with its `args`; English where the
/// Chinese catalog lacks it, the id itself where both do (a test prevents that).
pub fn text(id: &str, args: &[(&str, String)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    for lang in [current(), Lang::En] {
        let Some(source) = source_of(lang, id) else { continue };
        let mut b = bundle(lang).lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if !b.has_message(id) {
            // A source that does not parse is not added (it would be parsed
            // and added again at every call); a test parses every message.
            if let Ok(resource) = FluentResource::try_new(source.to_string()) {
                let _ = b.add_resource(resource);
            }
        }
        if let Some(pattern) = b.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = b.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned();
            // A variable the message uses and the caller did not give.
            debug_assert!(errors.is_empty(), "{id}: {errors:?}");
            return text;
        }
    }
    id.to_string()
}

/// Whether the catalogs have message `id`.
pub fn has_message(id: &str) -> bool {
    source_of(Lang::En, id).is_some()
}

/// Whether `text` begins with message `id` in either language: how a mark
/// stored in a record (`UNEXPECTED`, `意外`) is recognised whatever
/// language the run and the reader speak.
pub fn begins_with_message(text: &str, id: &str) -> bool {
    [Lang::En, Lang::Zh].into_iter().any(|lang| in_language(lang, || text.starts_with(&t(id))))
}

/// `words` ready to stand between two Chinese words of a message written
/// without spaces around it: a space on each side that begins or ends with
/// a letter, digit or mark rather than a Chinese character (`对 key 0x1 调用`,
/// but `对轮次字调用`). In English, `words` as they are.
pub fn spaced_in_prose(words: &str) -> String {
    spaced_in(current(), words)
}

fn spaced_in(lang: Lang, words: &str) -> String {
    if lang == Lang::En {
        return words.to_string();
    }
    let wide = |c: Option<char>| c.is_some_and(|c| textwrap::core::display_width(c.encode_utf8(&mut [0; 4])) == 2);
    let before = if wide(words.chars().next()) { "" } else { " " };
    let after = if wide(words.chars().last()) { "" } else { " " };
    format!("{before}{words}{after}")
}

/// [`text`] with no arguments.
pub fn t(id: &str) -> String {
    text(id, &[])
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast;

    use super::*;

    /// Declares the catalog files, the same names under i18n/en/ and i18n/zh/
    /// (a test checks that every file there is listed).
    macro_rules! catalogs {
        ($($area:literal),* $(,)?) => {
            /// Every catalog file: its area, the English and the Chinese text.
            const CATALOGS: &[(&str, &str, &str)] = &[
                $(($area,
                   include_str!(concat!("../../i18n/en/", $area, ".ftl")),
                   include_str!(concat!("../../i18n/zh/", $area, ".ftl"))),)*
            ];
        };
    }

    // The files one by one, as the tests read them (the program reads the
    // index build.rs makes of them all).
    catalogs!["common", "racing", "labs", "memory", "objects", "container", "suite", "chart", "help"];

    /// Every message id of a catalog with the variables its value uses.
    fn messages(source: &str) -> BTreeMap<String, BTreeSet<String>> {
        let resource = fluent_syntax::parser::parse(source).unwrap_or_else(|(_, e)| panic!("catalog errors: {e:?}"));
        let mut out = BTreeMap::new();
        for entry in resource.body {
            if let ast::Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(value) = &m.value {
                    collect(value, &mut vars);
                }
                let id = m.id.name.to_string();
                assert!(out.insert(id.clone(), vars).is_none(), "{id} is defined twice (the first one wins)");
            }
        }
        out
    }

    fn collect(pattern: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expression_vars(expression, vars);
            }
        }
    }

    fn expression_vars(e: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
        match e {
            ast::Expression::Inline(ast::InlineExpression::VariableReference { id }) => {
                vars.insert(id.name.to_string());
            }
            ast::Expression::Select { selector, variants } => {
                if let ast::InlineExpression::VariableReference { id } = selector {
                    vars.insert(id.name.to_string());
                }
                for v in variants {
                    collect(&v.value, vars);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn both_catalogs_have_the_same_messages_and_arguments() {
        let mut everywhere = BTreeMap::new();
        for (area, en, zh) in CATALOGS {
            let (en, zh) = (messages(en), messages(zh));
            for (id, vars) in &en {
                assert_eq!(zh.get(id), Some(vars), "zh/{area}.ftl: {id} missing or with other arguments than in en/");
            }
            for id in zh.keys() {
                assert!(en.contains_key(id), "en/{area}.ftl lacks {id}, which zh/{area}.ftl has");
            }
            for id in en.keys() {
                if let Some(other) = everywhere.insert(id.clone(), *area) {
                    panic!("{id} is in both {other}.ftl and {area}.ftl (the first one wins)");
                }
            }
        }
        assert!(everywhere.len() > 10);
    }

    #[test]
    fn each_message_read_alone_is_the_message_of_its_file() {
        let shown = |source: &str, id: &str| {
            let mut b = FluentBundle::new_concurrent(vec!["en".parse().unwrap()]);
            b.set_use_isolating(false);
            b.add_resource(FluentResource::try_new(source.to_string()).expect("parses")).unwrap();
            let pattern = b.get_message(id).and_then(|m| m.value()).expect("has a value");
            b.format_pattern(pattern, None, &mut Vec::new()).into_owned()
        };
        let mut count = 0;
        for (_, en, zh) in CATALOGS {
            for (lang, file) in [(Lang::En, en), (Lang::Zh, zh)] {
                for id in messages(file).keys() {
                    let alone = source_of(lang, id).unwrap_or_else(|| panic!("{id} not indexed"));
                    assert_eq!(shown(alone, id), shown(file, id), "{id} ({lang:?})");
                    count += 1;
                }
            }
        }
        assert_eq!(index::EN.len() + index::ZH.len(), count, "an id indexed that is no message");
    }

    #[test]
    fn every_catalog_file_is_embedded() {
        for lang in ["en", "zh"] {
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/i18n/");
            for entry in std::fs::read_dir(format!("{dir}{lang}")).unwrap() {
                let name = entry.unwrap().file_name().into_string().unwrap();
                let area = name.strip_suffix(".ftl").unwrap_or_else(|| panic!("i18n/{lang}/{name}: not a catalog"));
                assert!(CATALOGS.iter().any(|c| c.0 == area), "i18n/{lang}/{name} is not in catalogs![...]");
            }
        }
    }

    #[test]
    fn chinese_words_need_no_spaces_latin_ones_do() {
        assert_eq!(spaced_in(Lang::Zh, "key 0x1"), " key 0x1 ");
        assert_eq!(spaced_in(Lang::Zh, "轮次字"), "轮次字");
        assert_eq!(spaced_in(Lang::Zh, "段 7"), "段 7 ");
        assert_eq!(spaced_in(Lang::En, "key 0x1"), "key 0x1");
    }

    #[test]
    fn a_stored_mark_is_recognised_in_either_language() {
        assert!(begins_with_message("UNEXPECTED: the host changed", "container-unexpected-mark"));
        assert!(begins_with_message("意外：宿主机变了", "container-unexpected-mark"));
        assert!(!begins_with_message("as expected", "container-unexpected-mark"));
    }

    #[test]
    fn the_macro_names_its_arguments() {
        assert_eq!(crate::tr!("racing-times", n = 7), text("racing-times", &[("n", "7".into())]));
    }

    #[test]
    fn the_locale_picks_the_language() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
        };
        assert_eq!(from_locale(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(from_locale(env(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "C")])), Lang::En);
        assert_eq!(from_locale(env(&[("LC_MESSAGES", "zh_TW.UTF-8"), ("LANG", "en_US")])), Lang::Zh);
        assert_eq!(from_locale(env(&[("LC_ALL", ""), ("LANG", "zh_CN")])), Lang::Zh);
        assert_eq!(from_locale(env(&[])), Lang::En);
    }

    #[test]
    fn arguments_are_filled_in_without_isolation_marks() {
        let s = text("racing-times", &[("n", "7".into())]);
        assert!(s.contains('7') && !s.contains('\u{2068}'), "{s}");
    }
}

//! The language of what shmlab says to people: English or Chinese.
//!
//! The texts live in one Fluent catalog per language (i18n/en.ftl and
//! i18n/zh.ftl, embedded in the binary), looked up by message id with named
//! arguments; numbers are formatted by the caller, so both languages show
//! the same figures. The language comes from `--lang`, else from the locale
//! (`LC_ALL`, `LC_MESSAGES`, `LANG`, the first that is set: `zh...` means
//! Chinese), else English. A message not yet in the catalogs stays in the
//! code in English: the catalogs grow lab by lab, and a test keeps the two
//! of them in step (the same ids, the same arguments). JSON never changes
//! with the language.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use serde::{Deserialize, Serialize};

const EN: &str = include_str!("../../i18n/en.ftl");
const ZH: &str = include_str!("../../i18n/zh.ftl");

/// A language shmlab speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Zh,
}

static CHOSEN: OnceLock<Lang> = OnceLock::new();

/// Fixes the language for this process: `flag` if given, else the locale's.
pub fn choose(flag: Option<Lang>) -> Lang {
    let lang = flag.unwrap_or_else(|| from_locale(|name| std::env::var(name).ok()));
    *CHOSEN.get_or_init(|| lang)
}

/// The language chosen (English until [`choose`] ran).
pub fn current() -> Lang {
    CHOSEN.get().copied().unwrap_or(Lang::En)
}

/// The locale's language, as the C library picks the messages category:
/// the first of LC_ALL, LC_MESSAGES, LANG that is set and not empty.
fn from_locale(var: impl Fn(&str) -> Option<String>) -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| var(name).filter(|v| !v.is_empty()))
        .map_or(Lang::En, |v| if v.starts_with("zh") { Lang::Zh } else { Lang::En })
}

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
    let make = |tag: &str, source: &str| {
        let id: unic_langid::LanguageIdentifier = tag.parse().expect("a valid language tag");
        let mut b = FluentBundle::new_concurrent(vec![id]);
        // No Unicode isolation marks around arguments: they would count in
        // widths and show up in pipes.
        b.set_use_isolating(false);
        let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r);
        let _ = b.add_resource(resource);
        b
    };
    let bundles = BUNDLES.get_or_init(|| [make("en", EN), make("zh-CN", ZH)]);
    &bundles[lang as usize]
}

/// Message `id` in the chosen language with its `args`; English where the
/// Chinese catalog lacks it, the id itself where both do (a test prevents that).
pub fn text(id: &str, args: &[(&str, String)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    for lang in [current(), Lang::En] {
        let b = bundle(lang);
        if let Some(pattern) = b.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            return b.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned();
        }
    }
    id.to_string()
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
        let (en, zh) = (messages(EN), messages(ZH));
        assert!(!en.is_empty());
        for (id, vars) in &en {
            assert_eq!(zh.get(id), Some(vars), "zh.ftl: {id} missing or with other arguments than en.ftl");
        }
        for id in zh.keys() {
            assert!(en.contains_key(id), "en.ftl lacks {id}, which zh.ftl has");
        }
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

//! The language of the output: `--lang zh` and a Chinese locale give the
//! catalog's Chinese (so far the racing lab's table and reading; texts not
//! yet in the catalogs stay English), `--lang en` wins over the locale, and
//! the JSON is the same in both languages.

mod common;

use std::process::Command;

use common::*;

fn cjk(text: &str) -> usize {
    text.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count()
}

fn racing(lang_env: Option<&str>, args: &[&str]) -> std::process::Output {
    let mut c = shmlab_command();
    c.arg("racing").args(["--children", "5"]).args(args).env_remove("LC_ALL").env_remove("LC_MESSAGES");
    match lang_env {
        Some(l) => c.env("LANG", l),
        None => c.env_remove("LANG"),
    };
    c.output().unwrap()
}

#[test]
fn the_flag_or_the_locale_chooses_and_json_does_not_change() {
    let _serial = serial();
    let zh = racing(None, &["--lang", "zh"]);
    assert!(zh.status.success() && cjk(&stdout(&zh)) >= 20, "{}", stdout(&zh));
    let locale = racing(Some("zh_CN.UTF-8"), &[]);
    assert!(cjk(&stdout(&locale)) >= 20, "{}", stdout(&locale));
    let en = racing(Some("zh_CN.UTF-8"), &["--lang", "en"]);
    assert_eq!(cjk(&stdout(&en)), 0, "{}", stdout(&en));
    let key_names = |out: &std::process::Output| {
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let record = doc["records"][0].as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        (doc.as_object().unwrap().keys().cloned().collect::<Vec<_>>(), record, doc["records"][0]["backend"].clone())
    };
    let json_zh = racing(None, &["--lang", "zh", "--json", "-"]);
    let json_en = racing(None, &["--lang", "en", "--json", "-"]);
    assert_eq!(key_names(&json_zh), key_names(&json_en));
    assert_usage_error(&racing(None, &["--lang", "fr"]), "--lang");
}

//! The language of the output: `--lang zh` and a Chinese locale give the
//! catalog's Chinese (the labs' tables and readings, --help, clap's usage
//! errors, the man pages), `--lang en` wins over the locale, and the JSON
//! is the same in both languages.

mod common;

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

/// shmlab with `args`, the locale variables removed and `LANG` set to `lang_env` if given.
fn run(lang_env: Option<&str>, args: &[&str]) -> std::process::Output {
    let mut c = shmlab_command();
    c.args(args);
    if let Some(l) = lang_env {
        c.env("LANG", l);
    }
    c.output().unwrap()
}

#[test]
fn help_is_in_the_language_asked_for() {
    for args in [&["--help"][..], &["racing", "--help"], &["-h"], &["racing", "-h"], &["help", "racing"]] {
        let zh = run(None, &[&["--lang", "zh"], args].concat());
        let text = stdout(&zh);
        assert!(zh.status.success(), "{args:?}: {}", stderr(&zh));
        assert!(cjk(&text) >= 30, "{args:?} --lang zh:\n{text}");
        assert!(text.contains("用法：shmlab") && text.contains("选项："), "{args:?} --lang zh:\n{text}");
        assert!(!text.contains("Usage:") && !text.contains("Options:") && !text.contains("Print help"), "{text}");
        // Technical names stay as they are.
        assert!(text.contains("--lang") && text.contains("shmlab racing"), "{text}");
        let en = run(Some("zh_CN.UTF-8"), &[&["--lang", "en"], args].concat());
        let text = stdout(&en);
        assert_eq!(cjk(&text), 0, "{args:?} --lang en:\n{text}");
        assert!(text.contains("Usage: shmlab"), "{text}");
    }
    // The locale alone chooses Chinese, --lang=en overrides it.
    assert!(stdout(&run(Some("zh_CN.UTF-8"), &["racing", "--help"])).contains("每轮 fork 的子进程数"));
    assert_eq!(cjk(&stdout(&run(Some("zh_CN.UTF-8"), &["--lang=en", "--help"]))), 0);
    // Examples: the commands stay, their comments are translated.
    let racing = stdout(&run(None, &["racing", "--help", "--lang", "zh"]));
    assert!(racing.contains("示例：") && racing.contains("shmlab racing --backend xsi"), "{racing}");
    assert!(!racing.contains("the article's racing_xsi_shm"), "{racing}");
}

#[test]
fn the_man_page_follows_the_language() {
    let zh = stdout(&run(None, &["--lang", "zh", "man"]));
    assert!(zh.contains(".SH 名称") && zh.contains(".SH 选项") && cjk(&zh) >= 30, "{zh}");
    let en = stdout(&run(Some("zh_CN.UTF-8"), &["--lang", "en", "man"]));
    assert!(en.contains(".SH NAME") && cjk(&en) == 0, "{en}");
}

#[test]
fn errors_are_in_chinese_on_one_line() {
    let _serial = serial();
    // shmlab's own check.
    let out = run(None, &["racing", "--children", "0", "--lang", "zh"]);
    assert_usage_error(&out, "--children");
    assert!(stderr(&out).starts_with("shmlab：错误：") && cjk(&stderr(&out)) >= 4, "{}", stderr(&out));
    // clap's usage errors, built from their kind in the catalog's words.
    for (args, needle) in [
        (&["racing", "--bogus"][..], "--bogus"),
        (&["racing", "--backend", "foo"], "mmap-file"),
        (&["racing", "--children"], "--children"),
        (&["racing", "--children", "abc"], "abc"),
        (&["nosuch"], "nosuch"),
        (&["compare"], "<DIR>"),
    ] {
        let out = run(None, &[args, &["--lang", "zh"]].concat());
        assert_usage_error(&out, needle);
        let err = stderr(&out);
        assert!(
            err.starts_with("shmlab：错误：") && cjk(&err) >= 4 && err.contains("shmlab --help"),
            "{args:?}: {err}"
        );
        let out = run(Some("zh_CN.UTF-8"), args);
        assert!(stderr(&out).starts_with("shmlab：错误："), "the locale: {}", stderr(&out));
        let out = run(Some("zh_CN.UTF-8"), &[args, &["--lang", "en"]].concat());
        assert_usage_error(&out, needle);
        assert!(stderr(&out).starts_with("shmlab: error: ") && cjk(&stderr(&out)) == 0, "{}", stderr(&out));
    }
}

#[test]
fn the_main_commands_speak_chinese() {
    let _serial = serial();
    let before = snapshot();
    for args in [
        &["racing", "--children", "5"][..],
        &["crash"],
        &["limits"],
        &["inspect", "--all"],
        &["memory", "--size", "64MiB"],
    ] {
        let zh = run(None, &[args, &["--lang", "zh"]].concat());
        let text = format!("{}{}", stdout(&zh), stderr(&zh));
        assert!(zh.status.success(), "{args:?}: {text}");
        assert!(cjk(&text) >= 50, "{args:?} --lang zh:\n{text}");
        let locale = run(Some("zh_CN.UTF-8"), args);
        assert!(cjk(&stdout(&locale)) >= 50, "{args:?} with LANG=zh_CN.UTF-8:\n{}", stdout(&locale));
    }
    assert_eq!(snapshot(), before);
}

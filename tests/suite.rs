//! Suites, reports and the schema, through the real binary.

mod common;

use std::path::{Path, PathBuf};

use common::*;

const SMALL_SUITE: &str = r#"{
  "suite": "small",
  "description": "a quick end-to-end suite for the tests",
  "runs": [
    {"experiment": "racing", "id": "race", "backends": ["mmap", "posix"], "locks": ["none", "flock"],
     "children": 20, "trials": 2, "delay_us": 100,
     "expect": [{"claim": "a lock makes it exact", "rule": {"check": "protected-is-exact"}}]},
    {"experiment": "memory", "id": "mem", "backends": ["mmap"], "size": "16MiB",
     "expect": [{"claim": "Shmem grows by the size", "article": "+2 GiB", "rule": {"check": "shmem-grows-by-size", "tolerance_pct": 10}}]},
    {"experiment": "bench-locks", "id": "cost", "locks": ["atomic", "flock"], "procs": [1], "ops": 500, "repeats": 1},
    {"experiment": "limits", "id": "lim", "check": "1MiB"}
  ]
}"#;

fn out_dir(name: &str) -> PathBuf {
    let dir = scratch().join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_suite(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("suite.json");
    std::fs::write(&path, text).unwrap();
    path
}

/// The one run directory a suite made under `out`.
fn run_dir(out: &Path) -> PathBuf {
    let dirs: Vec<PathBuf> =
        std::fs::read_dir(out).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    assert_eq!(dirs.len(), 1, "one run directory: {dirs:?}");
    dirs[0].clone()
}

#[test]
fn a_small_suite_runs_end_to_end_and_validates_against_the_schema() {
    let _serial = serial();
    let before = snapshot();
    let out = out_dir("suite-small");
    let suite = write_suite(&out, SMALL_SUITE);
    let result = shmlab(&["run", suite.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(result.status.success(), "{}", stderr(&result));
    let dir = run_dir(&out);
    assert!(dir.file_name().unwrap().to_string_lossy().starts_with("small-"), "{}", dir.display());

    let doc = read_json(&dir.join("results.json"));
    assert_eq!(doc["schema_version"], 2);
    assert_eq!(doc["suite"], "small");
    assert!(doc["machine"]["kernel"].is_string() && doc["machine"]["sysctls"].is_object());
    let kinds: Vec<&str> =
        doc["records"].as_array().unwrap().iter().map(|r| r["experiment"].as_str().unwrap()).collect();
    for kind in ["racing", "memory", "bench-locks", "limits"] {
        assert!(kinds.contains(&kind), "no {kind} record in {kinds:?}");
    }
    let verdicts = doc["verdicts"].as_array().unwrap();
    assert_eq!(verdicts.len(), 2);
    assert!(verdicts.iter().all(|v| v["status"] == "reproduced"), "{verdicts:?}");

    let schema_out = shmlab(&["schema"]);
    assert!(schema_out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&schema_out.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "results.json does not match the schema: {errors:?}");

    let report = std::fs::read_to_string(dir.join("report.md")).expect("report.md");
    assert!(report.contains("## Verdicts") && report.contains("## Steps"), "report sections");
    let svgs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "svg"))
        .collect();
    assert!(svgs.len() >= 3, "racing, memory and lock-cost charts: {svgs:?}");
    for svg in &svgs {
        let text = std::fs::read_to_string(svg).unwrap();
        let parsed = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{} is not XML: {e}", svg.display()));
        assert_eq!(parsed.root_element().tag_name().name(), "svg");
        let name = svg.file_name().unwrap().to_string_lossy().to_string();
        assert!(report.contains(&name), "report.md embeds {name}");
    }
    assert_eq!(snapshot(), before);
}

#[test]
fn report_re_renders_from_results_json() {
    let _serial = serial();
    let out = out_dir("suite-report");
    let suite = write_suite(&out, SMALL_SUITE);
    assert!(shmlab(&["run", suite.to_str().unwrap(), "--out", out.to_str().unwrap()]).status.success());
    let dir = run_dir(&out);
    std::fs::remove_file(dir.join("report.md")).unwrap();
    std::fs::remove_file(dir.join("racing-finals.svg")).unwrap();
    let again = shmlab(&["report", dir.to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(dir.join("report.md").exists() && dir.join("racing-finals.svg").exists());
    assert_usage_error(&shmlab(&["report", out.join("nowhere").to_str().unwrap()]), "results.json");
}

#[test]
fn broken_suites_are_refused_with_the_file_and_field_named() {
    // Serial too: other tests count running shmlab processes.
    let _serial = serial();
    let out = out_dir("suite-broken");
    let cases = [
        (
            r#"{"suite": "x", "runs": [{"experiment": "racing", "id": "a", "backends": ["mmap"], "childern": 3}]}"#,
            "childern",
        ),
        (r#"{"suite": "x", "runs": [{"experiment": "juggling", "id": "a"}]}"#, "juggling"),
        (
            r#"{"suite": "x", "runs": [{"experiment": "memory", "id": "m", "backends": ["mmap"], "size": "big"}]}"#,
            "size",
        ),
        (r#"{"suite": "x", "runs": "#, "suite.json"),
    ];
    for (text, needle) in cases {
        let path = write_suite(&out, text);
        let result = shmlab(&["run", path.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        assert_usage_error(&result, needle);
        assert!(stderr(&result).contains("suite.json"), "names the file: {}", stderr(&result));
    }
    assert_usage_error(&shmlab(&["run", "/no/such/suite.json"]), "/no/such/suite.json");
    let made: Vec<_> = std::fs::read_dir(&out).unwrap().flatten().filter(|e| e.path().is_dir()).collect();
    assert!(made.is_empty(), "a refused suite creates no run directory");
}

#[test]
fn an_interrupted_suite_keeps_the_runs_it_finished() {
    let _serial = serial();
    let before = snapshot();
    let out = out_dir("suite-interrupted");
    let suite = write_suite(
        &out,
        r#"{"suite": "stop", "runs": [
            {"experiment": "limits", "id": "first"},
            {"experiment": "racing", "id": "slow", "backends": ["xsi-private"], "children": 20, "delay_us": 500000, "trials": 5}
        ]}"#,
    );
    let child = start_with_children(&["run", suite.to_str().unwrap(), "--out", out.to_str().unwrap()], 3);
    send_signal(child.id(), libc::SIGINT);
    let result = child.wait_with_output().unwrap();
    assert_eq!(result.status.code(), Some(130), "{}", stderr(&result));
    let doc = read_json(&run_dir(&out).join("results.json"));
    assert_eq!(doc["runs"].as_array().unwrap().len(), 1, "the finished run is kept");
    assert_eq!(doc["records"][0]["run"], "first");
    assert!(run_dir(&out).join("report.md").exists(), "the report shows what finished");
    assert_eq!(snapshot(), before);
}

#[test]
fn a_suite_gets_the_command_lines_bounds_at_load() {
    // Serial too: other tests count running shmlab processes.
    let _serial = serial();
    let out = out_dir("suite-bounds");
    let cases = [
        (
            r#"{"suite": "x", "runs": [{"experiment": "bench-locks", "id": "b", "locks": ["atomic"], "procs": [0]}]}"#,
            r#"run "b": procs 0 is out of range 1..=4096"#,
        ),
        (
            r#"{"suite": "x", "runs": [{"experiment": "crash", "id": "c", "locks": ["mutex"], "waiters": 100000}]}"#,
            r#"run "c": waiters 100000 is out of range 1..=1000"#,
        ),
        (
            r#"{"suite": "x", "runs": [{"experiment": "memory", "id": "m", "backends": ["mmap"], "size": "0"}]}"#,
            r#"run "m": size 0"#,
        ),
        (
            r#"{"suite": "x", "runs": [{"experiment": "memory", "id": "m", "backends": ["mmap"], "size": "100TiB"}]}"#,
            r#"run "m": size 100 TiB is more than 16 times this machine's memory and swap (MemTotal + SwapTotal"#,
        ),
        (r#"{"suite": "x", "runs": [{"experiment": "compare-pages", "id": "p", "size": "0"}]}"#, r#"run "p": size 0"#),
    ];
    for (text, needle) in cases {
        let path = write_suite(&out, text);
        let result = shmlab(&["run", path.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        assert_usage_error(&result, needle);
        assert!(stderr(&result).contains("suite.json"), "names the file: {}", stderr(&result));
    }
    // The command line refuses the same values with the same bounds.
    assert_usage_error(&shmlab(&["bench", "locks", "--procs", "0"]), "1..=4096");
    assert_usage_error(&shmlab(&["crash", "--waiters", "100000"]), "1..=1000");
    let made: Vec<_> = std::fs::read_dir(&out).unwrap().flatten().filter(|e| e.path().is_dir()).collect();
    assert!(made.is_empty(), "a refused suite creates no run directory");
}

#[test]
fn a_run_that_fails_at_run_time_is_marked_failed_and_the_suite_exits_1() {
    let _serial = serial();
    // The suite's xsi key is the article's ftok("/etc/passwd", 1234); a
    // segment of the test's own takes it, so the racing run cannot create its own.
    let path = std::ffi::CString::new("/etc/passwd").unwrap();
    // SAFETY: plain libc call on a string we own.
    let key = unsafe { libc::ftok(path.as_ptr(), 1234) };
    let foreign = ForeignSegment::create(key, libc::IPC_CREAT | libc::IPC_EXCL);
    let before = snapshot();
    let out = out_dir("suite-failed");
    let suite = write_suite(
        &out,
        r#"{"suite": "fails", "runs": [
            {"experiment": "racing", "id": "taken", "backends": ["xsi"], "children": 2,
             "expect": [{"claim": "unprotected children lose updates", "rule": {"check": "unprotected-loses-updates"}}]},
            {"experiment": "limits", "id": "after"}
        ]}"#,
    );
    let result = shmlab(&["run", suite.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    let after = snapshot();
    drop(foreign);
    assert_eq!(result.status.code(), Some(1), "a failed run fails the suite: {}", stderr(&result));
    assert!(stderr(&result).contains("taken"), "names the failed run: {}", stderr(&result));
    let dir = run_dir(&out);
    let doc = read_json(&dir.join("results.json"));
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "the suite went on after the failed run");
    assert!(runs[0]["skipped"].is_null(), "a failed run is not a skipped one: {}", runs[0]);
    let why = runs[0]["failed"].as_str().expect("runs[0].failed is the reason");
    assert!(why.contains(&format!("{key:#010x}")) && why.contains("already has a segment"), "{why}");
    assert!(runs[1].get("failed").is_none() && runs[1]["skipped"].is_null(), "{}", runs[1]);
    assert_eq!(doc["verdicts"][0]["status"], "differs", "no evidence is not a pass");
    assert!(dir.join("report.md").exists(), "the report is written too");
    assert!(std::fs::read_to_string(dir.join("report.md")).unwrap().contains("**failed**"));
    assert_eq!(after, before, "the foreign segment is left alone and nothing else remains");
}

#[test]
fn a_run_this_machine_cannot_do_is_skipped_with_its_reason() {
    let _serial = serial();
    if read_knob("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages") != "0" {
        return skip("a_run_this_machine_cannot_do_is_skipped_with_its_reason", "this machine has free huge pages");
    }
    let out = out_dir("suite-skipped");
    let suite = write_suite(
        &out,
        r#"{"suite": "skips", "runs": [
            {"experiment": "memory", "id": "huge", "backends": ["mmap"], "size": "4MiB", "huge": "2M"}
        ]}"#,
    );
    let result = shmlab(&["run", suite.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(result.status.success(), "a skip is not a failure: {}", stderr(&result));
    let doc = read_json(&run_dir(&out).join("results.json"));
    assert!(doc["runs"][0]["skipped"].as_str().unwrap().contains("huge pages"), "{}", doc["runs"][0]);
    assert!(doc["runs"][0].get("failed").is_none());
}

#[test]
fn a_suite_of_2000_short_runs_finishes() {
    let _serial = serial();
    let out = out_dir("suite-many");
    let runs: Vec<String> = (0..2000).map(|i| format!(r#"{{"experiment": "limits", "id": "l{i}"}}"#)).collect();
    let suite = write_suite(&out, &format!(r#"{{"suite": "many", "runs": [{}]}}"#, runs.join(",")));
    let result = shmlab(&["run", suite.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(result.status.success(), "{}", stderr(&result));
    let doc = read_json(&run_dir(&out).join("results.json"));
    assert_eq!(doc["runs"].as_array().unwrap().len(), 2000, "every run is in the final save");
    assert_eq!(doc["records"].as_array().unwrap().len(), 2000);
}

/// SMALL_SUITE with Chinese companions of its texts.
const BILINGUAL_SUITE: &str = r#"{
  "suite": "bilingual",
  "description": "a quick suite in two languages",
  "description_zh": "一个两种语言的小套件",
  "runs": [
    {"experiment": "racing", "id": "race", "title": "a race", "title_zh": "一场竞争",
     "backends": ["mmap"], "locks": ["none", "flock"], "children": 20, "trials": 2, "delay_us": 100,
     "expect": [{"claim": "a lock makes it exact", "claim_zh": "有锁就不会丢失更新", "article": "exact", "article_zh": "每次都正确",
                 "rule": {"check": "protected-is-exact"}}]},
    {"experiment": "memory", "id": "mem", "backends": ["mmap"], "size": "16MiB",
     "expect": [{"claim": "Shmem grows by the size", "claim_zh": "Shmem 增长了段的大小",
                 "rule": {"check": "shmem-grows-by-size", "tolerance_pct": 10}}]},
    {"experiment": "limits", "id": "lim", "check": "1MiB",
     "expect": [{"claim": "the limits allow 1 MiB", "rule": {"check": "limits-allow"}}]}
  ]
}"#;

fn cjk(text: &str) -> usize {
    text.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count()
}

/// Every key path of a JSON document (array elements as `[]`).
fn key_paths(v: &serde_json::Value, at: &str, out: &mut std::collections::BTreeSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let path = format!("{at}.{k}");
                out.insert(path.clone());
                key_paths(v, &path, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| key_paths(v, &format!("{at}[]"), out)),
        _ => {}
    }
}

/// Runs BILINGUAL_SUITE with `--lang lang` and returns its run directory.
fn bilingual_run(name: &str, lang: &str) -> PathBuf {
    let out = out_dir(name);
    let suite = write_suite(&out, BILINGUAL_SUITE);
    let result = shmlab(&["run", suite.to_str().unwrap(), "--lang", lang, "--out", out.to_str().unwrap()]);
    assert!(result.status.success(), "{}", stderr(&result));
    run_dir(&out)
}

#[test]
fn a_chinese_run_reports_in_chinese_and_re_renders_in_english() {
    let _serial = serial();
    let before = snapshot();
    let zh = bilingual_run("suite-zh", "zh");
    let report = std::fs::read_to_string(zh.join("report.md")).unwrap();
    assert!(report.contains("## 判定") && report.contains("## 各步骤"), "{report}");
    assert!(report.contains("有锁就不会丢失更新") && report.contains("一个两种语言的小套件"), "{report}");
    assert!(report.contains("**重现**") && report.contains("一场竞争"), "{report}");
    assert!(cjk(&report) >= 100, "{} CJK characters: {report}", cjk(&report));
    let results = std::fs::read(zh.join("results.json")).unwrap();

    // Re-rendered in English: the verdicts are judged again, in English.
    let en = shmlab(&["report", "--lang", "en", zh.to_str().unwrap()]);
    assert!(en.status.success(), "{}", stderr(&en));
    assert_eq!(cjk(&stdout(&en)), 0, "{}", stdout(&en));
    let report = std::fs::read_to_string(zh.join("report.md")).unwrap();
    assert!(report.contains("## Verdicts") && report.contains("## Steps") && report.contains("## race: a race"));
    let verdicts: Vec<&str> =
        report.lines().skip_while(|l| *l != "## Verdicts").take_while(|l| *l != "## Machine").collect();
    assert!(verdicts.iter().any(|l| l.contains("a lock makes it exact") && l.contains("**reproduced**")), "{report}");
    assert!(verdicts.iter().all(|l| cjk(l) == 0), "English verdicts: {verdicts:?}");
    assert_eq!(std::fs::read(zh.join("results.json")).unwrap(), results, "report leaves results.json alone");

    // Without --lang, in the run's language again.
    assert!(shmlab(&["report", zh.to_str().unwrap()]).status.success());
    assert!(std::fs::read_to_string(zh.join("report.md")).unwrap().contains("## 判定"));

    // The same keys in a run made in English; the verdicts' statuses and the
    // claims' English stay language-neutral.
    let en = bilingual_run("suite-en", "en");
    assert_eq!(cjk(std::fs::read_to_string(en.join("report.md")).unwrap().split("## Machine").next().unwrap()), 0);
    let (zh_doc, en_doc) = (read_json(&zh.join("results.json")), read_json(&en.join("results.json")));
    let (mut zh_keys, mut en_keys) = (Default::default(), Default::default());
    key_paths(&zh_doc, "", &mut zh_keys);
    key_paths(&en_doc, "", &mut en_keys);
    assert_eq!(zh_keys, en_keys);
    assert_eq!((zh_doc["lang"].as_str(), en_doc["lang"].as_str()), (Some("zh"), Some("en")));
    for doc in [&zh_doc, &en_doc] {
        let statuses: Vec<&str> =
            doc["verdicts"].as_array().unwrap().iter().map(|v| v["status"].as_str().unwrap()).collect();
        assert!(
            statuses.iter().all(|s| ["reproduced", "differs", "inconclusive", "skipped"].contains(s)),
            "{statuses:?}"
        );
        assert_eq!(doc["runs"][0]["expect"][0]["claim"], "a lock makes it exact");
    }
    assert_eq!(snapshot(), before);
}

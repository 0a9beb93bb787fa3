//! `shmlab compare` on recorded runs: the committed reference run (schema
//! 2) and an older run of the same suite written with schema 1
//! (tests/data/compare/, the reference of 2026-12-01 12:21 UTC).

mod common;

use common::*;

const REFERENCE: &str = "results/reference";
const OLD: &str = "tests/data/compare/2026-12-01-v1";

fn figures_named<'a>(doc: &'a serde_json::Value, group: &str) -> Vec<&'a serde_json::Value> {
    doc["figures"].as_array().unwrap().iter().filter(|f| f["group"] == group).collect()
}

#[test]
fn runs_of_two_schema_versions_line_up() {
    let json = json_path("compare-versions");
    let out = shmlab(&["compare", REFERENCE, OLD, "--json", json.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = read_json(&json);
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[1]["schema_version"], 1, "the old run keeps its version: {}", runs[1]);
    assert_eq!(runs[1]["label"], "2026-12-01-v1");
    // The racing figure of both runs, under the same name.
    let racing = figures_named(&doc, "racing");
    let mmap = racing.iter().find(|f| f["figure"].as_str().unwrap().starts_with("racing-mmap")).unwrap();
    assert_eq!(mmap["values"].as_array().unwrap().len(), 2, "{mmap}");
    let (min, median, max) =
        (mmap["min"].as_f64().unwrap(), mmap["median"].as_f64().unwrap(), mmap["max"].as_f64().unwrap());
    assert!(min <= median && median <= max && min > 0.0 && max < 100.0, "{mmap}");
    // A segment's Shmem is its size in both runs.
    let memory = figures_named(&doc, "memory");
    let shmem = memory.iter().find(|f| f["figure"].as_str().unwrap().contains("mmap 2046 MiB, Shmem")).unwrap();
    assert!(
        shmem["values"].as_array().unwrap().iter().all(|v| (v["value"].as_f64().unwrap() - 2046.0).abs() <= 2.0),
        "{shmem}"
    );
    // Lock costs from both.
    assert!(figures_named(&doc, "locks").iter().any(|f| f["values"].as_array().unwrap().len() == 2));
    let text = stdout(&out);
    assert!(text.contains("2 run(s) compared") && text.contains("Locks:"), "{text}");
}

#[test]
fn the_same_run_twice_agrees_with_itself() {
    let out = shmlab(&["compare", REFERENCE, REFERENCE, "--json", "-"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let labels: Vec<&str> = doc["runs"].as_array().unwrap().iter().map(|r| r["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["reference", "reference#2"]);
    for f in doc["figures"].as_array().unwrap() {
        assert_eq!(f["min"], f["max"], "one run twice cannot vary: {f}");
    }
    for c in doc["claims"].as_array().unwrap() {
        let s = c["statuses"].as_array().unwrap();
        assert!(s.len() == 2 && s[0]["status"] == s[1]["status"], "{c}");
    }
    assert!(stderr(&out).contains("0 not."), "the text goes to stderr: {}", stderr(&out));
}

#[test]
fn bad_input_is_a_usage_error() {
    assert_usage_error(&shmlab(&["compare"]), "DIR");
    let missing = scratch().join(format!("compare-missing-{}", std::process::id()));
    assert_usage_error(&shmlab(&["compare", REFERENCE, missing.to_str().unwrap()]), "results.json");
}

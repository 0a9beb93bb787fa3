//! The class handouts (docs/labs/): every lab has a student and a teacher
//! sheet in both languages, a student sheet gives no answers away, and the
//! C programs the sheets show are the very files `make labs-code` builds
//! and runs (docs/labs/code/), byte for byte.

use std::path::{Path, PathBuf};

const LABS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/labs");

fn sheets(dir: &Path, kind: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().ends_with(&format!(".{kind}.md")))
        .collect();
    found.sort();
    found
}

fn lab_of(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().split('.').next().unwrap().to_string()
}

#[test]
fn every_lab_has_both_sheets_in_both_languages() {
    let en = Path::new(LABS);
    let zh = en.join("zh");
    let labs: Vec<String> = sheets(en, "teacher").iter().map(|p| lab_of(p)).collect();
    assert!(labs.len() >= 9, "labs: {labs:?}");
    for lab in &labs {
        for dir in [en, zh.as_path()] {
            for kind in ["student", "teacher"] {
                let sheet = dir.join(format!("{lab}.{kind}.md"));
                assert!(sheet.is_file(), "{} is missing", sheet.display());
            }
        }
    }
}

#[test]
fn student_sheets_give_no_answers_away() {
    for dir in [PathBuf::from(LABS), Path::new(LABS).join("zh")] {
        for sheet in sheets(&dir, "student") {
            let text = std::fs::read_to_string(&sheet).unwrap();
            for heading in ["## Answers", "## 答案", "## A measured output", "## 本机实测输出"] {
                assert!(!text.contains(heading), "{} has {heading:?}", sheet.display());
            }
            assert!(!text.contains(".teacher.md"), "{} links a teacher sheet", sheet.display());
        }
    }
}

#[test]
fn the_code_shown_is_the_code_that_runs() {
    let code = Path::new(LABS).join("code");
    let mut programs: Vec<PathBuf> = std::fs::read_dir(&code)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "c"))
        .collect();
    programs.sort();
    assert!(programs.len() >= 5, "{programs:?}");
    let all_sheets: Vec<(PathBuf, String)> = [PathBuf::from(LABS), Path::new(LABS).join("zh")]
        .iter()
        .flat_map(|d| sheets(d, "student").into_iter().chain(sheets(d, "teacher")))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect();
    for program in &programs {
        let source = std::fs::read_to_string(program).unwrap();
        let name = program.file_name().unwrap().to_string_lossy().to_string();
        let showing: Vec<&PathBuf> =
            all_sheets.iter().filter(|(_, t)| t.contains(&format!("code/{name}"))).map(|(p, _)| p).collect();
        assert!(showing.len() >= 4, "{name} is shown by a student and a teacher sheet in both languages: {showing:?}");
        for (path, text) in all_sheets.iter().filter(|(p, _)| showing.contains(&p)) {
            assert!(
                text.contains(source.trim_end()),
                "{} shows another {name} than docs/labs/code/{name}",
                path.display()
            );
        }
    }
}

//! The ftok keys: a table of each file's key and its three parts, then the
//! demonstration as a story, one step per paragraph.

use super::Layout;
use crate::i18n::t;
use crate::model::FtokRecord;
use crate::report::grid::Grid;
use crate::tr;

impl crate::report::Render for FtokRecord {
    fn text(records: &[Self], layout: Layout) -> String {
        ftok(records, layout)
    }
}

fn ftok(records: &[FtokRecord], layout: Layout) -> String {
    // The hand-built key gets a column only where it differs from ftok's.
    let built_apart = records.iter().any(|r| r.key_hex != r.key_from_parts);
    let mut headers = vec![
        t("ftok-step"),
        t("ftok-file"),
        "proj_id".to_string(),
        "dev".to_string(),
        "inode".to_string(),
        t("ftok-key"),
    ];
    if built_apart {
        headers.push(t("ftok-from-parts"));
    }
    headers.push(t("ftok-same-key"));
    let mut grid = Grid::new(headers).prose(1);
    for r in records {
        let mut row = vec![
            r.step.clone(),
            short(&r.path),
            format!("{:#04x}", r.proj_id & 0xff),
            format!("{:#04x}", r.dev & 0xff),
            format!("{} ({:#06x})", r.inode, r.inode & 0xffff),
            r.key_hex.clone(),
        ];
        if built_apart {
            row.push(r.key_from_parts.clone());
        }
        row.push(match r.same_key {
            Some(true) => t("ftok-yes"),
            Some(false) => t("ftok-no"),
            None => String::new(),
        });
        grid.row(row);
    }
    let formula = "key = (proj_id & 0xff) << 24 | (st_dev & 0xff) << 16 | (st_ino & 0xffff)";
    let check = if built_apart { t("ftok-check-apart") } else { t("ftok-check-same") };
    let mut text = format!(
        "{}
{}
",
        layout.wrap(&format!("{formula}\n{check}")),
        grid.render(layout.width)
    );
    let mut story = String::new();
    for r in records {
        let head = match r.compared_with.as_deref() {
            Some(c) => tr!("ftok-story-against", step = &r.step, against = short(c), outcome = &r.outcome),
            None => tr!("ftok-story", step = &r.step, outcome = &r.outcome),
        };
        story.push_str(&format!("{head}\n  {}\n", tr!("ftok-story-lesson", lesson = &r.lesson)));
    }
    text.push('\n');
    text.push_str(&layout.wrap(&story));
    text
}

/// A demonstration file by its name in the private directory; other paths as given.
fn short(path: &str) -> String {
    match path.rsplit_once('/') {
        Some((dir, name)) if dir.rsplit('/').next().is_some_and(|d| d.starts_with("shmlab-")) => {
            format!("…/{name}")
        }
        _ => path.to_string(),
    }
}

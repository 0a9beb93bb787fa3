//! The ftok keys: a table of each file's key and its three parts, then the
//! demonstration as a story, one step per paragraph.

use super::Layout;
use crate::model::FtokRecord;
use crate::report::grid::Grid;

impl crate::report::Render for FtokRecord {
    fn text(records: &[Self], layout: Layout) -> String {
        ftok(records, layout)
    }
}

fn ftok(records: &[FtokRecord], layout: Layout) -> String {
    // The hand-built key gets a column only where it differs from ftok's.
    let built_apart = records.iter().any(|r| r.key_hex != r.key_from_parts);
    let mut headers = vec!["step", "file", "proj_id", "dev", "inode", "key (ftok)"];
    if built_apart {
        headers.push("from the parts");
    }
    headers.push("same key");
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
            Some(true) => "yes".into(),
            Some(false) => "no".into(),
            None => String::new(),
        });
        grid.row(row);
    }
    let formula = "key = (proj_id & 0xff) << 24 | (st_dev & 0xff) << 16 | (st_ino & 0xffff)";
    let check = if built_apart {
        "Some keys differ from the parts: this C library builds keys another way than glibc and musl do."
    } else {
        "Every key below is ftok's own, and equal to the formula applied by hand."
    };
    let mut text = format!(
        "{}
{}
",
        layout.wrap(&format!("{formula}\n{check}")),
        grid.render(layout.width)
    );
    let mut story = String::new();
    for r in records {
        let against = r.compared_with.as_deref().map(|c| format!(" (against {})", short(c))).unwrap_or_default();
        story.push_str(&format!("{}{against}: {}\n  → {}\n", r.step, r.outcome, r.lesson));
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

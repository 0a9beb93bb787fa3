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
    let mut grid =
        Grid::new(["step", "file", "proj_id", "dev", "inode", "key (ftok)", "from the parts", "same key"]).prose(1);
    for r in records {
        grid.row([
            r.step.clone(),
            short(&r.path),
            format!("{:#04x}", r.proj_id & 0xff),
            format!("{:#04x}", r.dev & 0xff),
            format!("{} ({:#06x})", r.inode, r.inode & 0xffff),
            r.key_hex.clone(),
            r.key_from_parts.clone(),
            match r.same_key {
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
                None => String::new(),
            },
        ]);
    }
    let mut text = format!(
        "key = (proj_id & 0xff) << 24 | (st_dev & 0xff) << 16 | (st_ino & 0xffff)\n{}\n",
        grid.render(layout.width)
    );
    let mut story = String::new();
    for r in records {
        let against = r.compared_with.as_deref().map(|c| format!(" (against {})", short(c))).unwrap_or_default();
        story.push_str(&format!("{}{against}: {}\n  → {}\n", r.step, r.outcome, r.lesson));
    }
    if records.iter().any(|r| r.key_hex != r.key_from_parts) {
        story.push_str(
            "\nSome keys differ from the parts: this C library builds keys another way than glibc and musl do.\n",
        );
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

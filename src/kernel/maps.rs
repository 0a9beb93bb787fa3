//! A mapping as the kernel describes it: its line in /proc/PID/maps and its
//! block in /proc/PID/smaps.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The kernel's view of one mapping of this process.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MappingView {
    /// The whole /proc/self/maps line.
    pub maps_line: String,
    /// The path column: `/dev/zero (deleted)`, `/SYSV000004d2 (deleted)`, ...
    pub path: String,
    /// `major:minor` of the file system the backing file lives on.
    pub device: String,
    pub inode: u64,
    /// The smaps fields of this mapping (kB values, as the kernel prints them).
    pub smaps: BTreeMap<String, u64>,
}

/// The mapping of `pid` ("self" for us) that starts at `address`.
pub fn find(pid: &str, address: usize) -> Option<MappingView> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps")).ok()?;
    let start = format!("{address:x}-");
    let mut lines = text.lines().skip_while(|l| !l.starts_with(&start));
    let header = lines.next()?.to_string();
    let fields: Vec<&str> = header.split_whitespace().collect();
    let mut smaps = BTreeMap::new();
    for line in lines {
        // The next mapping's header starts with an address range.
        if line.split_whitespace().next().is_some_and(|w| w.contains('-') && !w.ends_with(':')) {
            break;
        }
        if let Some((key, rest)) = line.split_once(':')
            && let Some(v) = rest.split_whitespace().next().and_then(|v| v.parse().ok())
        {
            smaps.insert(key.trim().to_string(), v);
        }
    }
    Some(MappingView {
        path: fields.get(5..).map(|p| p.join(" ")).unwrap_or_default(),
        device: fields.get(3).map(|d| d.to_string()).unwrap_or_default(),
        inode: fields.get(4).and_then(|i| i.parse().ok()).unwrap_or(0),
        maps_line: header,
        smaps,
    })
}

/// The targets of this process's open descriptors that match `pred`
/// (`/proc/self/fd/N -> target`).
pub fn descriptors(pred: impl Fn(&str) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc/self/fd").into_iter().flatten().flatten() {
        if let Ok(target) = std::fs::read_link(entry.path()) {
            let target = target.to_string_lossy().to_string();
            if pred(&target) {
                out.push(format!("/proc/self/fd/{} -> {target}", entry.file_name().to_string_lossy()));
            }
        }
    }
    out
}

//! The crash table: what waiters experience when a holder dies.

use super::Layout;
use crate::model::CrashRecord;
use crate::report::grid::Grid;

impl crate::report::Render for CrashRecord {
    fn text(records: &[Self], layout: Layout) -> String {
        crash(records, layout)
    }
}

/// The crash table (one row per lock), what happened to each, and why.
fn crash(records: &[CrashRecord], layout: Layout) -> String {
    let mut grid = Grid::new(["lock", "verdict", "back after", "final", "killed"]);
    for r in records {
        let after = r.recovered_after_ms.map(|ms| format!("{ms:.2} ms")).unwrap_or_else(|| "-".to_string());
        grid.row([
            r.lock.name().to_string(),
            serde_json::to_value(r.verdict).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
            after,
            format!("{} / {}", r.final_value, r.expected),
            r.waiters_killed.to_string(),
        ]);
    }
    let mut text = grid.render(layout.width);
    text.push_str("\n\nWhat happened:");
    for r in records {
        text.push_str(&format!("\n  {:<16} {}", r.lock.name(), r.outcome));
    }
    text.push_str(
        "\n\nback after: from the SIGKILL of the holder to the first waiter holding the lock. final: the counter \
         against what it would be if every waiter got the lock (each adds one; the killed holder never adds its \
         one). killed: waiters still stuck at the end of the patience window, killed by shmlab. A lock \
         the kernel knows about (file locks, SysV semaphores with SEM_UNDO, the robust mutex's list) is cleaned up \
         when its holder dies. A semaphore or plain mutex is only a word in shared memory: nothing records who \
         holds it, so nobody can release it for a dead holder.",
    );
    layout.wrap(&text)
}

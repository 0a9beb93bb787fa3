//! The crash table: what waiters experience when a holder dies.

use tabled::builder::Builder;

use super::render;
use crate::report::model::CrashRecord;

/// The crash table: one row per lock.
pub fn crash(records: &[CrashRecord]) -> String {
    let mut b = Builder::default();
    b.push_record(["lock", "verdict", "recovered after", "final / expected", "waiters killed"]);
    for r in records {
        let after = r.recovered_after_ms.map(|ms| format!("{ms:.2} ms")).unwrap_or_else(|| "-".to_string());
        b.push_record([
            r.lock.name().to_string(),
            serde_json::to_value(r.verdict).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
            after,
            format!("{} / {}", r.final_value, r.expected),
            r.waiters_killed.to_string(),
        ]);
    }
    let mut text = render(b);
    text.push_str("\n\nWhat happened:");
    for r in records {
        text.push_str(&format!("\n  {:<16} {}", r.lock.name(), r.outcome));
    }
    text.push_str(
        "\n\nfinal / expected: each waiter adds one to the counter when it gets the lock; the killed holder never \
         adds its one. A lock the kernel knows about (file locks, SysV semaphores with SEM_UNDO, the robust mutex's list) \
         is cleaned up when its holder dies. A semaphore or plain mutex is only a word in shared memory: \
         nothing records who holds it, so nobody can release it for a dead holder.",
    );
    text
}

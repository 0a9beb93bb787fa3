//! Waiting for another process to get somewhere, with a deadline: one
//! helper for every such wait, so that each checks for Ctrl-C the same way
//! and each message can say how long it waited.

use std::time::{Duration, Instant};

use crate::error::{Result, check_interrupt};

/// Waits until `done()` holds, looking every `poll` and checking for Ctrl-C
/// between looks. `Ok(true)` when it held, `Ok(false)` when `limit` passed
/// first; an interrupt is an error.
pub fn until(limit: Duration, poll: Duration, mut done: impl FnMut() -> bool) -> Result<bool> {
    let deadline = Instant::now().checked_add(limit);
    loop {
        if done() {
            return Ok(true);
        }
        check_interrupt()?;
        if deadline.is_some_and(|d| Instant::now() > d) {
            return Ok(false);
        }
        std::thread::sleep(poll);
    }
}

/// `10 s`, `500 ms`: a limit as a message says it.
pub fn words(limit: Duration) -> String {
    if limit.as_millis().is_multiple_of(1000) {
        format!("{} s", limit.as_secs())
    } else {
        format!("{} ms", limit.as_millis())
    }
}

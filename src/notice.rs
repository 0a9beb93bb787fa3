//! Warnings from code that has no caller to return them to.
//!
//! A destructor that puts a kernel setting back cannot return an error, and
//! the layers below the front end do not print (only `main` and the
//! commands write to the terminal). So such code leaves a notice here, and
//! `main` prints every notice once the command has ended, after its
//! output and before the exit code.

use std::sync::Mutex;

static NOTICES: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Leaves one line (without `shmlab: warning:`) for the front end.
pub fn warn(text: impl Into<String>) {
    if let Ok(mut notices) = NOTICES.lock() {
        notices.push(text.into());
    }
}

/// Every notice left so far, oldest first; the queue is empty afterwards.
pub fn take_all() -> Vec<String> {
    NOTICES.lock().map(|mut notices| std::mem::take(&mut *notices)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn notices_come_out_once_in_order() {
        super::warn("first");
        super::warn("second");
        let all = super::take_all();
        assert!(all.ends_with(&["first".to_string(), "second".to_string()]), "{all:?}");
        assert!(super::take_all().is_empty());
    }
}

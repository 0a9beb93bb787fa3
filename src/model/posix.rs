//! The posix lab's record: one step, what was called and what the kernel
//! answered.

use serde::{Deserialize, Serialize};

/// One step of the posix lab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PosixStep {
    /// Short id: `open`, `grow`, `touch`, `fchmod`, `shrink`, `poll`,
    /// `select`, `epoll`, `eventfd`, `scm-rights`, `unrelated-file`,
    /// `unsealed-shrink`, `sealed-shrink`.
    pub step: String,
    /// The calls made, as C writes them.
    pub call: String,
    /// What the kernel answered or showed (fstat fields, revents, an errno).
    pub kernel_shows: String,
    /// The errno of the call that failed, if the point of the step is that
    /// it fails (`EPERM`).
    pub errno: Option<String>,
    /// The signal that ended the child, if one did (`SIGBUS`).
    pub signal: Option<String>,
    /// What it means.
    pub lesson: String,
}

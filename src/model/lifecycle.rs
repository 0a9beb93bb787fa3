//! The lifecycle lab's record: one step of an object's life.

use serde::{Deserialize, Serialize};

/// One step: who did what, and what the kernel showed afterwards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Step {
    pub step: u32,
    pub actor: String,
    pub action: String,
    /// What /proc showed right after, in the kernel's terms.
    pub kernel_shows: String,
    /// The object can still be found (by key, id or name).
    pub exists: bool,
    /// Processes attached (XSI nattch), where the kernel counts them.
    pub attached: Option<u64>,
    /// Removed but still in use: `dest` (XSI) or `(deleted)` in maps.
    pub marked_for_removal: bool,
    pub lesson: String,
}

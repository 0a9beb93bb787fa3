//! The inspect lab's record: one backend's object as the kernel shows it.

use serde::{Deserialize, Serialize};

use crate::kernel::maps::MappingView;
use crate::region::Backend;

/// One backend, as the kernel shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InspectRecord {
    pub backend: Backend,
    pub huge: String,
    pub size_bytes: u64,
    pub mapping: MappingView,
    /// The /proc/sysvipc/shm row, for the XSI backends.
    pub sysvipc_row: Option<String>,
    /// `/proc/self/fd/N -> target` for descriptors that reach the object.
    pub descriptors: Vec<String>,
    /// What the path says about where the memory lives.
    pub lives_in: String,
}

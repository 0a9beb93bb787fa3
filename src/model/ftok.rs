//! The ftok lab's record: one file's key, or one step of the demonstration.

use serde::{Deserialize, Serialize};

/// One `ftok` call and what it shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FtokRecord {
    /// `path` for a file named on the command line, else the demonstration
    /// step: `create`, `hard-link`, `symlink`, `rename`, `recreate`,
    /// `collision`, `exclusive-create`, `lookup`.
    pub step: String,
    pub path: String,
    /// `st_dev` and `st_ino` of the file (`stat`, which follows symbolic links, as ftok does).
    pub dev: u64,
    pub inode: u64,
    pub proj_id: i32,
    /// The key `ftok` returned, as the C `key_t` (a signed 32-bit number).
    pub key: i32,
    /// The same key in hex, as `ipcs` prints it.
    pub key_hex: String,
    /// The key built by hand from its three parts: `(proj_id & 0xff) << 24 |
    /// (st_dev & 0xff) << 16 | (st_ino & 0xffff)`, in hex. Equal to `key_hex`
    /// wherever the C library builds keys the way glibc and musl do.
    pub key_from_parts: String,
    /// The file this step is compared with, if any.
    pub compared_with: Option<String>,
    /// Whether this step's key equals the compared file's.
    pub same_key: Option<bool>,
    /// What happened, in the kernel's and the library's terms.
    pub outcome: String,
    pub lesson: String,
}

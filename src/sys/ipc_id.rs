//! Names for System V IPC objects as distinct types.
//!
//! A key, a segment id and a semaphore-set id are all `int` in C, and
//! nothing stops C code from passing a key where an id belongs (or a
//! segment id to `semctl`). Here each is its own type, as nix and rustix do
//! for descriptors and pids: the compiler catches the mix-up. They serialise
//! as the bare integer, so the registry and results files read as before.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A SysV IPC key (`key_t`), from `ftok` or chosen; [`Key::PRIVATE`] is 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Key(pub libc::key_t);

impl Key {
    /// `IPC_PRIVATE`: a key that always creates a new, unnamed object.
    pub const PRIVATE: Key = Key(libc::IPC_PRIVATE);

    /// Whether this is `IPC_PRIVATE`.
    pub fn is_private(self) -> bool {
        self == Self::PRIVATE
    }
}

/// Keys print the way `ipcs` prints them: `0x1234abcd`.
impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:#010x}", self.0)
    }
}

impl std::fmt::LowerHex for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::LowerHex::fmt(&self.0, f)
    }
}

/// The id `shmget` returns (`shmid`), what `ipcs -m` lists in its second column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct ShmId(pub i32);

/// The id `semget` returns (`semid`), what `ipcs -s` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct SemId(pub i32);

impl std::fmt::Display for ShmId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Display for SemId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

//! How a forked child ends, one table for every lab.
//!
//! A child can tell its parent only eight bits: its exit status. Before this
//! table, each lab gave 3, 4 and 5 its own meaning ("could not attach" in
//! one, "gave up waiting" in another), and the parent printed "exit status
//! 4". Now a child returns a [`ChildStatus`]; a failed system call exits
//! with its errno itself (every Linux errno is below 134), so the parent
//! can say which errno ended the child, and the few other outcomes have
//! codes above any errno.

use super::Errno;

/// What a child's body reports when it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildStatus {
    /// It did its part (exit status 0).
    Done,
    /// A system call failed with this errno (exit status: the errno).
    CallFailed(Errno),
    /// Something it checked was wrong, with no errno to say why.
    Failed,
    /// It waited for its parent or a peer past its deadline and gave up.
    GaveUp,
    /// Its parent (shmlab) died before it could run; it ended at once.
    Orphaned,
    /// Its body panicked.
    Panicked,
}

const FAILED: i32 = 250;
const GAVE_UP: i32 = 251;
const ORPHANED: i32 = 252;
const PANICKED: i32 = 253;
/// Errnos are 1..=133 on Linux; anything up to here is read as one.
const LAST_ERRNO: i32 = 249;

impl ChildStatus {
    /// The exit status that carries it.
    pub fn code(self) -> i32 {
        match self {
            ChildStatus::Done => 0,
            ChildStatus::CallFailed(errno) if (1..=LAST_ERRNO).contains(&(errno as i32)) => errno as i32,
            ChildStatus::CallFailed(_) | ChildStatus::Failed => FAILED,
            ChildStatus::GaveUp => GAVE_UP,
            ChildStatus::Orphaned => ORPHANED,
            ChildStatus::Panicked => PANICKED,
        }
    }

    /// The status an exit code carries, if it is one of this table's.
    pub fn from_code(code: i32) -> Option<Self> {
        Some(match code {
            0 => ChildStatus::Done,
            1..=LAST_ERRNO => ChildStatus::CallFailed(Errno::from_raw(code)),
            FAILED => ChildStatus::Failed,
            GAVE_UP => ChildStatus::GaveUp,
            ORPHANED => ChildStatus::Orphaned,
            PANICKED => ChildStatus::Panicked,
            _ => return None,
        })
    }
}

/// A body written with `?` on its system calls reports their errno.
impl From<Result<(), Errno>> for ChildStatus {
    fn from(result: Result<(), Errno>) -> Self {
        match result {
            Ok(()) => ChildStatus::Done,
            Err(errno) => ChildStatus::CallFailed(errno),
        }
    }
}

impl std::fmt::Display for ChildStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChildStatus::Done => f.write_str(&crate::i18n::t("child-done")),
            ChildStatus::CallFailed(errno) => {
                f.write_str(&crate::tr!("child-call-failed", errno = format!("{errno:?} ({})", errno.desc())))
            }
            ChildStatus::Failed => f.write_str(&crate::i18n::t("child-failed")),
            ChildStatus::GaveUp => f.write_str(&crate::i18n::t("child-gave-up")),
            ChildStatus::Orphaned => f.write_str(&crate::i18n::t("child-orphaned")),
            ChildStatus::Panicked => f.write_str(&crate::i18n::t("child-panicked")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_survives_the_exit_code() {
        for status in [
            ChildStatus::Done,
            ChildStatus::CallFailed(Errno::EIDRM),
            ChildStatus::CallFailed(Errno::EPERM),
            ChildStatus::CallFailed(Errno::EHWPOISON),
            ChildStatus::Failed,
            ChildStatus::GaveUp,
            ChildStatus::Orphaned,
            ChildStatus::Panicked,
        ] {
            assert_eq!(ChildStatus::from_code(status.code()), Some(status), "{status}");
        }
        assert_eq!(ChildStatus::from_code(254), None);
        assert_eq!(ChildStatus::CallFailed(Errno::UnknownErrno).code(), FAILED);
    }
}

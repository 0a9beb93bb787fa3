//! One error type for the whole program, and the exit codes it maps to.
//!
//! Every message is one line that names the cause and, where there is one,
//! the fix. Exit codes: 2 for bad input and for an environment that cannot
//! run the experiment, 1 for an experiment that ran and failed, 130 for an
//! interrupt (after everything was cleaned up). A failed system call keeps
//! its errno, so that callers can branch on it instead of on the text.

use std::fmt;

use crate::sys::Errno;

/// Why shmlab stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Bad arguments, or a machine in a state that stops this run (a full
    /// file system, a key already taken): exit 2.
    Usage,
    /// This machine or this user cannot run it at all (needs root, huge
    /// pages, a kernel feature): exit 2, and a suite skips the run with the
    /// reason instead of failing.
    Unavailable,
    /// The experiment ran and went wrong (exit 1).
    Failed,
    /// Ctrl-C or SIGTERM (exit 130).
    Interrupted,
}

/// An error with a one-line message for the user.
#[derive(Debug)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    /// The errno of the failed system call behind it, if there was one.
    pub errno: Option<Errno>,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn usage(message: impl Into<String>) -> Self {
        Self { kind: Kind::Usage, message: message.into(), errno: None }
    }

    /// A bad value of one parameter: `⟨children⟩ 0 is out of range 1..`.
    pub fn param(param: &'static str, detail: impl fmt::Display) -> Self {
        Self::usage(format!("{} {detail}", Param(param)))
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self { kind: Kind::Unavailable, message: message.into(), errno: None }
    }

    pub fn failed(message: impl Into<String>) -> Self {
        Self { kind: Kind::Failed, message: message.into(), errno: None }
    }

    pub fn interrupted(signal: &str) -> Self {
        Self { kind: Kind::Interrupted, message: crate::tr!("interrupted", signal = signal), errno: None }
    }

    /// The same message as [`Kind::Unavailable`]: for a system call whose
    /// failure means this machine or user cannot do it at all (EPERM for
    /// huge pages without CAP_IPC_LOCK, ENOMEM with no huge page pool).
    pub fn unavailable_here(mut self) -> Self {
        self.kind = Kind::Unavailable;
        self
    }

    /// The same message with another kind, where the caller knows better
    /// than the errno what a failure means (EFAULT from
    /// MADV_POPULATE_WRITE is a full file system, not a bad address).
    pub fn with_kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
    }

    /// The same error, remembering the errno behind it.
    pub fn with_errno(mut self, errno: Errno) -> Self {
        self.errno = Some(errno);
        self
    }

    /// A failed system call: `call` on `object` gave `errno`; `hint` says what
    /// to do about it (may be empty). Its kind follows from the errno (see
    /// [`kind_of`]): a limit, a permission or a full file system is a machine
    /// that cannot run this (2), anything else is a run that went wrong (1).
    pub fn sys(call: &str, object: &str, errno: Errno, hint: &str) -> Self {
        let object = crate::i18n::spaced_in_prose(object);
        let mut message = crate::tr!("sys-failed", call = call, object = object, errno = errno_text(errno));
        if !hint.is_empty() {
            message.push_str(&crate::i18n::t("clause-gap"));
            message.push_str(hint);
        }
        Self { kind: kind_of(errno), message, errno: Some(errno) }
    }

    pub fn exit_code(&self) -> i32 {
        match self.kind {
            Kind::Usage | Kind::Unavailable => 2,
            Kind::Failed => 1,
            Kind::Interrupted => 130,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// A parameter named in a message, neutrally: the front end that shows the
/// message spells it its own way, `--delay-us` on the command line and
/// `delay_us` in a suite file (see [`for_command_line`], [`for_suite`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param(pub &'static str);

/// The marks around a parameter's name in a message, until a front end
/// spells it.
const OPEN: char = '⟨';
const CLOSE: char = '⟩';

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{OPEN}{}{CLOSE}", self.0)
    }
}

fn spell(text: &str, how: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len_utf8()..];
        let Some(end) = after.find(CLOSE) else { break };
        out.push_str(&rest[..start]);
        out.push_str(&how(&after[..end]));
        rest = &after[end + CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// A message as the command line shows it: `⟨delay_us⟩` becomes
/// `--delay-us`, and the lists a suite names in the plural are the
/// repeatable flags of the command line (`⟨backends⟩` is `--backend`).
pub fn for_command_line(text: &str) -> String {
    spell(text, |name| {
        let flag = match name {
            "backends" => "backend",
            "locks" => "lock",
            other => other,
        };
        format!("--{}", flag.replace('_', "-"))
    })
}

/// A message as a suite shows it: `⟨delay_us⟩` becomes `delay_us`.
pub fn for_suite(text: &str) -> String {
    spell(text, str::to_string)
}

/// What a failed system call says about the run. The errnos of limits,
/// permissions, names and full file systems mean this machine, as it is
/// configured now, cannot run the experiment: [`Kind::Usage`], exit 2, and
/// the message says what to change. Every other errno (EIDRM: the object
/// was removed under us, EFAULT, EBADF, EIO, EDEADLK ...) means the
/// experiment started and broke: [`Kind::Failed`], exit 1.
pub fn kind_of(errno: Errno) -> Kind {
    match errno {
        Errno::EPERM
        | Errno::EACCES
        | Errno::ENOENT
        | Errno::EEXIST
        | Errno::ENOSPC
        | Errno::EDQUOT
        | Errno::ENOMEM
        | Errno::EAGAIN
        | Errno::EMFILE
        | Errno::ENFILE
        | Errno::EROFS
        | Errno::EINVAL
        | Errno::E2BIG
        | Errno::EFBIG
        | Errno::ENAMETOOLONG
        | Errno::ENOTDIR
        | Errno::EISDIR
        | Errno::ELOOP
        | Errno::EBUSY
        | Errno::EXDEV
        | Errno::ENODEV
        | Errno::ENOSYS
        | Errno::EOPNOTSUPP => Kind::Usage,
        _ => Kind::Failed,
    }
}

/// An errno as people read it: `EAGAIN (Resource temporarily unavailable)`.
pub fn errno_text(errno: Errno) -> String {
    format!("{errno:?} ({})", errno.desc())
}

/// Turns an `Errno` into an [`Error`] naming the call and the object.
pub trait SysContext<T> {
    fn sys(self, call: &str, object: impl FnOnce() -> String, hint: &str) -> Result<T>;
}

impl<T> SysContext<T> for std::result::Result<T, Errno> {
    fn sys(self, call: &str, object: impl FnOnce() -> String, hint: &str) -> Result<T> {
        self.map_err(|errno| Error::sys(call, &object(), errno, hint))
    }
}

/// Stops with [`Kind::Interrupted`] if Ctrl-C or SIGTERM arrived.
pub fn check_interrupt() -> Result<()> {
    match crate::sys::signals::pending_stop() {
        Some(sig) => Err(Error::interrupted(sig.as_str())),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_front_end_spells_parameters_its_own_way() {
        let message = format!("{} 0 is out of range 1..; or raise {}", Param("children"), Param("delay_us"));
        assert_eq!(for_command_line(&message), "--children 0 is out of range 1..; or raise --delay-us");
        assert_eq!(for_suite(&message), "children 0 is out of range 1..; or raise delay_us");
        assert_eq!(for_command_line("no marks ⟨ here"), "no marks ⟨ here");
    }

    #[test]
    fn a_system_call_error_keeps_its_errno_and_its_kind_follows_it() {
        let full = Error::sys("shmget", "key 0x1", Errno::ENOSPC, "see `shmlab limits`");
        assert_eq!((full.kind, full.errno, full.exit_code()), (Kind::Usage, Some(Errno::ENOSPC), 2));
        let removed = Error::sys("semop", "set 7", Errno::EIDRM, "");
        assert_eq!((removed.kind, removed.errno, removed.exit_code()), (Kind::Failed, Some(Errno::EIDRM), 1));
        assert!(removed.message.starts_with("semop on set 7 failed: EIDRM"), "{}", removed.message);
    }
}

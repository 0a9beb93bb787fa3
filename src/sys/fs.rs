//! File-system facts and file operations `std` does not offer as such.
//!
//! Two of them exist because shmlab writes into and reads from directories
//! that someone else may have prepared (a run directory passed to
//! `shmlab report`, a results directory shared between users), often as
//! root:
//!
//! - [`replace_file`] never writes through what is already at the final
//!   name. A symlink planted at `report.md` would otherwise make root
//!   overwrite whatever it points to, and a hard link would have the same
//!   effect through `O_TRUNC`. The bytes go to a new file with an
//!   unpredictable name, created with `O_CREAT|O_EXCL|O_NOFOLLOW`, which is
//!   then renamed over the final name: the rename replaces the directory
//!   entry (symlink or not), never the file it pointed to.
//! - [`read_regular_file`] refuses anything but a regular file of bounded
//!   size. A symlink to `/dev/zero` would otherwise be read until the OOM
//!   killer stops us, and a FIFO would block the open forever.

use std::fs::FileType;
use std::io::{Read, Write};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

use nix::errno::Errno;

/// `mkfifo(path, 0600)`: a named pipe.
pub fn make_fifo(path: &Path) -> Result<(), Errno> {
    nix::unistd::mkfifo(path, nix::sys::stat::Mode::S_IRUSR | nix::sys::stat::Mode::S_IWUSR)
}

/// Ok if this process may create entries in directory `path`
/// (`access(path, W_OK|X_OK)`), else the errno that says why not (EROFS
/// for a read-only mount, EACCES).
pub fn writable(path: &Path) -> Result<(), Errno> {
    nix::unistd::access(path, nix::unistd::AccessFlags::W_OK | nix::unistd::AccessFlags::X_OK)
}

/// Free and total bytes of the file system holding `path` (`statvfs`).
pub fn space(path: &Path) -> Result<(u64, u64), Errno> {
    let st = nix::sys::statvfs::statvfs(path)?;
    let block = st.fragment_size();
    Ok((st.blocks_available() * block, st.blocks() * block))
}

/// Inodes an unprivileged user may still create on the file system of
/// `path` (`f_favail`); file systems without a fixed number report 0 total.
pub fn free_inodes(path: &Path) -> Result<(u64, u64), Errno> {
    let st = nix::sys::statvfs::statvfs(path)?;
    Ok((st.files_available(), st.files()))
}

/// Puts a new regular file holding `bytes` at `path`, with `mode` (less
/// the umask), in place of whatever was there, atomically: a reader sees
/// the old file or the whole new one.
///
/// The bytes are written to a temporary file beside `path` (same
/// directory, so the rename stays within one file system), named
/// `.NAME.XXXXXX.tmp` with random characters and created with
/// `O_CREAT|O_EXCL|O_NOFOLLOW`, so nothing planted can be written through;
/// then it is renamed over `path`. A symlink or hard link at `path` is
/// replaced itself; what it pointed to is left alone.
///
/// Ctrl-C, SIGTERM and SIGHUP are held back while this runs (see
/// [`super::signals::hold_stops`]): a command that lets them act at once
/// still never leaves a temporary file behind; it stops right after.
pub fn replace_file(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| std::io::Error::other("the path names no file"))?;
    let prefix = format!(".{}.", name.to_string_lossy());
    // Declared first, so dropped last: after a failed write's temporary
    // file is removed.
    let _held = super::signals::hold_stops();
    let mut temporary = tempfile::Builder::new().prefix(&prefix).suffix(".tmp").make_in(dir, |candidate| {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true) // O_CREAT|O_EXCL: a name that exists, even a dangling symlink, is refused
            .mode(mode)
            .custom_flags(libc::O_NOFOLLOW)
            .open(candidate)
    })?;
    temporary.as_file_mut().write_all(bytes)?;
    temporary.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Why [`read_regular_file`] did not return the contents.
#[derive(Debug)]
pub enum ReadRefusal {
    /// Not a regular file; says what it is ("a character device").
    NotRegular(&'static str),
    /// Larger than the limit; at least this many bytes.
    TooLarge(u64),
    /// The file could not be opened or read.
    Io(std::io::Error),
}

/// What a file of this type is, in words: "a directory", "a FIFO (named pipe)".
fn kind_of(file_type: FileType) -> &'static str {
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_char_device() {
        "a character device"
    } else if file_type.is_block_device() {
        "a block device"
    } else if file_type.is_fifo() {
        "a FIFO (named pipe)"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

/// The contents of `path` (symlinks followed) if it is a regular file of
/// at most `limit` bytes.
///
/// The type is checked before the open, so a device is never even opened
/// (opening some has effects: a watchdog starts counting, a tape rewinds);
/// the open itself is `O_NONBLOCK|O_NOCTTY`, so a FIFO swapped in after
/// the check cannot block it; and the type and size are checked again on
/// the open descriptor (`fstat`), which is the file actually read. At most
/// `limit + 1` bytes are read, so a file that grows meanwhile is refused
/// too.
pub fn read_regular_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadRefusal> {
    let check = |metadata: &std::fs::Metadata| {
        if !metadata.file_type().is_file() {
            Err(ReadRefusal::NotRegular(kind_of(metadata.file_type())))
        } else if metadata.len() > limit {
            Err(ReadRefusal::TooLarge(metadata.len()))
        } else {
            Ok(metadata.len())
        }
    };
    check(&std::fs::metadata(path).map_err(ReadRefusal::Io)?)?;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(ReadRefusal::Io)?;
    let size = check(&file.metadata().map_err(ReadRefusal::Io)?)?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(ReadRefusal::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadRefusal::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch() -> tempfile::TempDir {
        tempfile::Builder::new().prefix("shmlab-fs-test-").tempdir().expect("a scratch directory")
    }

    #[test]
    fn replace_file_does_not_write_through_a_symlink_or_hard_link() {
        let dir = scratch();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let linked = dir.path().join("report.md");
        std::os::unix::fs::symlink(&victim, &linked).unwrap();
        replace_file(&linked, b"new", 0o644).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert!(std::fs::symlink_metadata(&linked).unwrap().file_type().is_file());
        assert_eq!(std::fs::read_to_string(&linked).unwrap(), "new");

        let hard = dir.path().join("chart.svg");
        std::fs::hard_link(&victim, &hard).unwrap();
        replace_file(&hard, b"svg", 0o644).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert_eq!(std::fs::read_to_string(&hard).unwrap(), "svg");
    }

    #[test]
    fn replace_file_leaves_no_temporary_file_and_sets_the_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch();
        let path = dir.path().join("results.json");
        replace_file(&path, b"{}", 0o600).unwrap();
        replace_file(&path, b"{} ", 0o600).unwrap();
        let names: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into()).collect();
        assert_eq!(names, ["results.json"]);
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        // A directory at the name is not replaced, and nothing is left behind.
        std::fs::create_dir(dir.path().join("report.md")).unwrap();
        assert!(replace_file(&dir.path().join("report.md"), b"x", 0o644).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn read_regular_file_refuses_devices_fifos_directories_and_big_files() {
        let dir = scratch();
        assert!(matches!(
            read_regular_file(Path::new("/dev/zero"), 1024),
            Err(ReadRefusal::NotRegular("a character device"))
        ));
        assert!(matches!(read_regular_file(dir.path(), 1024), Err(ReadRefusal::NotRegular("a directory"))));
        let fifo = dir.path().join("fifo");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
        assert!(matches!(read_regular_file(&fifo, 1024), Err(ReadRefusal::NotRegular("a FIFO (named pipe)"))));
        let big = dir.path().join("big");
        std::fs::File::create(&big).unwrap().set_len(2048).unwrap();
        assert!(matches!(read_regular_file(&big, 1024), Err(ReadRefusal::TooLarge(2048))));
        assert_eq!(read_regular_file(&big, 2048).unwrap().len(), 2048);
        assert!(matches!(read_regular_file(&dir.path().join("none"), 1), Err(ReadRefusal::Io(_))));
    }
}

//! Where results go: standard output, standard error or a file.
//! A closed pipe (`shmlab ... | head`) is not an error.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Writes `text` to standard output; a broken pipe is silently fine.
pub fn stdout(text: &str) -> Result<()> {
    write_ignoring_broken_pipe(&mut std::io::stdout().lock(), text.as_bytes())
}

/// Writes `text` to standard error.
pub fn stderr(text: &str) -> Result<()> {
    write_ignoring_broken_pipe(&mut std::io::stderr().lock(), text.as_bytes())
}

fn write_ignoring_broken_pipe(out: &mut impl Write, bytes: &[u8]) -> Result<()> {
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::usage(crate::tr!("output-cannot-write", error = e)))
        }
        _ => Ok(()),
    }
}

/// A message for standard error: one line, wrapped (with an indent) only
/// when a person reads it in a terminal narrower than the line.
pub fn line_for_stderr(line: &str) -> String {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() {
        let options = textwrap::Options::new(width(true).max(20))
            .subsequent_indent("  ")
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            // First fit never lets a line run past the width (optimal fit may, by a column or two).
            .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
        format!("{}\n", textwrap::fill(line, &options))
    } else {
        format!("{line}\n")
    }
}

/// Writes `bytes` to `path`, or to standard output when `path` is `-`.
pub fn to_file_or_stdout(path: &Path, bytes: &[u8]) -> Result<()> {
    if path == Path::new("-") {
        return write_ignoring_broken_pipe(&mut std::io::stdout().lock(), bytes);
    }
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let cannot =
        |e: std::io::Error| Error::usage(crate::tr!("output-cannot-write-path", path = path.display(), error = e));
    match std::fs::metadata(path) {
        // A file (or none yet): replaced whole, never half-written; in place
        // if only the file, not its directory, may be written.
        Ok(meta) if meta.is_file() => {
            crate::sys::fs::replace_file(path, bytes, 0o644).or_else(|_| std::fs::write(path, bytes)).map_err(cannot)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            crate::sys::fs::replace_file(path, bytes, 0o644).map_err(cannot)
        }
        // A FIFO nobody reads would block this process (and its Ctrl-C) for ever.
        Ok(meta) if meta.file_type().is_fifo() => {
            std::fs::OpenOptions::new().write(true).custom_flags(libc::O_NONBLOCK).open(path).map_err(|e| {
                if e.raw_os_error() == Some(libc::ENXIO) {
                    Error::usage(crate::tr!("output-fifo-no-reader", path = path.display()))
                } else {
                    cannot(e)
                }
            })?;
            // A reader is there: an ordinary open no longer blocks.
            let mut file = std::fs::OpenOptions::new().write(true).open(path).map_err(cannot)?;
            write_ignoring_broken_pipe(&mut file, bytes)
        }
        // /dev/stdout, /dev/null and the like.
        _ => std::fs::write(path, bytes).map_err(cannot),
    }
}

/// Refuses, before anything runs, a `--json` path that cannot be written:
/// a directory, a file without write permission, a missing or read-only
/// parent. (Finding out after a long experiment would throw its results away.)
pub fn check_writable(json: Option<&Path>) -> Result<()> {
    let Some(path) = json.filter(|p| *p != Path::new("-")) else { return Ok(()) };
    let refuse = |why: String| Err(Error::usage(crate::tr!("output-json-refused", path = path.display(), why = why)));
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => refuse(crate::i18n::t("output-is-directory")),
        // A FIFO or device is checked when it is written to (opening a FIFO could block).
        Ok(meta) if !meta.is_file() => Ok(()),
        Ok(_) => match std::fs::OpenOptions::new().append(true).open(path) {
            Ok(_) => Ok(()),
            Err(e) => refuse(crate::tr!("output-cannot-be-written", error = e)),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            match std::fs::metadata(parent) {
                Ok(meta) if meta.is_dir() => {
                    // The only sure test: create a file there (and remove it at once).
                    let probe = parent.join(format!(".shmlab-probe-{}", std::process::id()));
                    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
                        Ok(_) => {
                            let _ = std::fs::remove_file(&probe);
                            Ok(())
                        }
                        Err(e) => {
                            refuse(crate::tr!("output-directory-not-writable", dir = parent.display(), error = e))
                        }
                    }
                }
                Ok(_) => refuse(crate::tr!("output-not-a-directory", dir = parent.display())),
                Err(e) => refuse(crate::tr!("output-directory-missing", dir = parent.display(), error = e)),
            }
        }
        Err(e) => refuse(crate::tr!("output-cannot-examine", error = e)),
    }
}

/// How many columns text for standard output (or, with `to_stderr`,
/// standard error) may take: the terminal's width when it is a terminal;
/// otherwise `$COLUMNS` if set; otherwise 100.
pub fn width(to_stderr: bool) -> usize {
    let size = if to_stderr {
        terminal_size::terminal_size_of(std::io::stderr())
    } else {
        terminal_size::terminal_size_of(std::io::stdout())
    };
    if let Some((terminal_size::Width(w), _)) = size
        && w > 0
    {
        return usize::from(w);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|w: &usize| *w >= 20)
        .unwrap_or(crate::report::table::Layout::PLAIN_WIDTH)
}

/// The command line of this run, as the user can type it again (the
/// program as they called it, then the arguments, quoted for a shell).
pub fn rerun_command() -> String {
    let quote = |a: String| {
        if !a.is_empty() && a.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,@".contains(c)) {
            a
        } else {
            format!("'{}'", a.replace('\'', "'\\''"))
        }
    };
    std::env::args().map(quote).collect::<Vec<_>>().join(" ")
}

/// Whether results JSON goes to standard output (then tables go to stderr).
pub fn json_on_stdout(json: Option<&Path>) -> bool {
    json == Some(Path::new("-"))
}

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
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::usage(format!("cannot write output: {e}"))),
        _ => Ok(()),
    }
}

/// Writes `bytes` to `path`, or to standard output when `path` is `-`.
pub fn to_file_or_stdout(path: &Path, bytes: &[u8]) -> Result<()> {
    if path == Path::new("-") {
        return write_ignoring_broken_pipe(&mut std::io::stdout().lock(), bytes);
    }
    std::fs::write(path, bytes)
        .map_err(|e| Error::usage(format!("cannot write {}: {e}; choose a writable path for --json", path.display())))
}

/// Whether results JSON goes to standard output (then tables go to stderr).
pub fn json_on_stdout(json: Option<&Path>) -> bool {
    json == Some(Path::new("-"))
}

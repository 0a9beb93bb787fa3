//! `shmlab man`: the manual pages, one per command, from the command-line
//! definitions themselves (clap_mangen), so they always match the program.
//!
//! clap_mangen reflows the examples of `after_help` like prose, which turns
//! a list of commands into nonsense; so the sections it renders well are
//! taken from it, and the examples are written here as a verbatim block.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Escapes text for roff: backslashes, and a leading `.` or `'` that would
/// start a request.
fn roff_text(line: &str) -> String {
    let escaped = line.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with('.') || escaped.starts_with('\'') { format!("\\&{escaped}") } else { escaped }
}

/// The page of one command (`shmlab`, `shmlab-racing`, `shmlab-bench-locks`).
fn page(command: &clap::Command) -> std::io::Result<Vec<u8>> {
    let man = clap_mangen::Man::new(command.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    if command.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out)?;
    }
    if command.has_subcommands() {
        man.render_subcommands_section(&mut out)?;
    }
    if let Some(after) = command.get_after_help() {
        writeln!(out, ".SH EXAMPLES\n.nf")?;
        for line in after.to_string().lines().filter(|l| !l.trim_end().ends_with(':') || l.starts_with(' ')) {
            writeln!(out, "{}", roff_text(line))?;
        }
        writeln!(out, ".fi")?;
    }
    if command.get_version().is_some() {
        man.render_version_section(&mut out)?;
    }
    Ok(out)
}

/// Every command with its page's file name, the top one first.
fn pages(command: &clap::Command, out: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    let name = command.get_display_name().unwrap_or_else(|| command.get_name()).to_string();
    out.push((format!("{name}.1"), page(command)?));
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages(sub, out)?;
    }
    Ok(())
}

/// All pages of `shmlab`: (file name, roff bytes).
pub fn all() -> Result<Vec<(String, Vec<u8>)>> {
    let mut command = <crate::cli::Cli as clap::CommandFactory>::command().disable_help_subcommand(true);
    command.build();
    let mut out = Vec::new();
    pages(&command, &mut out).map_err(|e| Error::usage(format!("cannot render the man pages: {e}")))?;
    Ok(out)
}

/// Writes every page into `dir` (created if needed); returns their paths.
pub fn write_all(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::usage(format!("cannot create {}: {e}; pass a writable --dir", dir.display())))?;
    let mut written = Vec::new();
    for (name, bytes) in all()? {
        let path = dir.join(name);
        crate::sys::fs::replace_file(&path, &bytes, 0o644)
            .map_err(|e| Error::usage(format!("cannot write {}: {e}; pass a writable --dir", path.display())))?;
        written.push(path);
    }
    Ok(written)
}

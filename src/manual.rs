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
    let chinese = crate::i18n::current() == crate::i18n::Lang::Zh;
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
        let heading = |l: &str| l.trim_end().ends_with([':', '：']) && !l.starts_with(' ');
        for line in after.to_string().lines().filter(|l| !heading(l)) {
            // No filling in .nf: a Chinese paragraph (one line in the
            // catalog) is broken here.
            let line = if chinese { crate::localized_cli::wrap_line(line, 72) } else { line.to_string() };
            for line in line.split('\n') {
                writeln!(out, "{}", roff_text(line))?;
            }
        }
        writeln!(out, ".fi")?;
    }
    if command.get_version().is_some() {
        man.render_version_section(&mut out)?;
    }
    Ok(if chinese { in_chinese(&out) } else { out })
}

/// The words clap_mangen writes itself (section names, `[default: ...]`),
/// in the catalog's Chinese.
fn in_chinese(roff: &[u8]) -> Vec<u8> {
    let sections = [
        ("NAME", "help-man-name"),
        ("SYNOPSIS", "help-man-synopsis"),
        ("DESCRIPTION", "help-man-description"),
        ("OPTIONS", "help-man-options"),
        ("SUBCOMMANDS", "help-man-subcommands"),
        ("EXAMPLES", "help-man-examples"),
        ("VERSION", "help-man-version"),
    ];
    let mut out = String::new();
    let values_heading = crate::i18n::t("help-possible-values-heading");
    let mut in_values = false;
    for line in String::from_utf8_lossy(roff).lines() {
        // The list of possible values written into the help: one per line.
        if in_values && line.starts_with("\\- ") {
            out.push_str(".br\n");
        } else {
            in_values = line == values_heading;
        }
        let mut line = line.to_string();
        if let Some(name) = line.strip_prefix(".SH ")
            && let Some((_, id)) = sections.iter().find(|(english, _)| *english == name)
        {
            line = format!(".SH {}", crate::i18n::t(id));
        }
        let mut from = 0;
        while let Some(start) = line[from..].find("[default: ").map(|i| i + from) {
            let Some(len) = line[start..].find(']') else { break };
            let values = line[start + "[default: ".len()..start + len].to_string();
            let words = crate::tr!("help-default", values = values);
            line.replace_range(start..=start + len, &words);
            from = start + words.len();
        }
        out.push_str(&line.replace("\\fIPossible values:\\fR", &format!("\\fI{values_heading}\\fR")));
        out.push('\n');
    }
    out.into_bytes()
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
    // Built, so that each subcommand has its full name (`shmlab-crash`).
    let mut command = crate::localized_cli::command(crate::i18n::current(), false);
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

//! shmlab: a lab for Linux shared memory.
//!
//! `main` parses the command line, dispatches to one command, and turns the
//! outcome into an exit code: 0 success, 1 a failed experiment, 2 bad input
//! or an unsuitable machine, 130 interrupted.

mod cli;
mod commands;
mod compare;
mod error;
mod experiment;
mod i18n;
mod inventory;
mod ipc;
mod kernel;
mod localized_cli;
mod lock;
mod manual;
mod model;
mod notice;
mod output;
mod region;
mod registry;
mod report;
mod size;
mod suite;
mod sys;
mod tuning;

use std::io::IsTerminal;

use clap::FromArgMatches;
use clap::error::{ContextKind, ContextValue, ErrorKind};

fn main() {
    // First, before anything else: Ctrl-C and SIGTERM become events we poll,
    // so that every exit path runs the ordinary cleanup code.
    sys::signals::take_over();
    // The language is known before clap parses, so that --help and clap's
    // errors speak it: `--lang` as written on the command line, else the
    // locale; the parsed `cli.lang` then says the same.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = i18n::choose(localized_cli::lang_in_args(&args));
    let parse = |lang| {
        localized_cli::command(lang, true).try_get_matches_from(&args).and_then(|mut matches| {
            cli::Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut localized_cli::command(lang, true)))
        })
    };
    // The command line is parsed with clap's own (English) definitions,
    // built lazily; only help and errors need the Chinese texts, and
    // localizing every command costs about 40 ms, so a Chinese run pays
    // for it only when clap has something to say.
    let parsed = match parse(i18n::Lang::En) {
        Err(_) if lang == i18n::Lang::Zh => parse(lang),
        parsed => parsed,
    };
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => std::process::exit(report_usage_error(e)),
    };
    i18n::choose(cli.lang);
    let code = match commands::dispatch(cli.command) {
        Ok(()) => 0,
        Err(e) => {
            let id = if e.kind == error::Kind::Interrupted { "cli-stopped" } else { "cli-error" };
            let _ = output::stderr(&output::line_for_stderr(&crate::tr!(
                id,
                message = error::for_command_line(&e.message)
            )));
            e.exit_code()
        }
    };
    for warning in notice::take_all() {
        let _ = output::stderr(&output::line_for_stderr(&crate::tr!(
            "cli-warning",
            message = error::for_command_line(&warning)
        )));
    }
    std::process::exit(code);
}

/// Help and version go out as clap renders them; usage errors become one
/// line (clap's first line plus the accepted values) and exit code 2.
fn report_usage_error(e: clap::Error) -> i32 {
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        // Written by us, not by clap (which ignores write errors): help that
        // cannot be written (`--help > /dev/full`) is an error.
        let styled = e.render();
        let mut text = if std::io::stdout().is_terminal() { styled.ansi().to_string() } else { styled.to_string() };
        if i18n::current() == i18n::Lang::Zh {
            text = localized_cli::finish_help(&text, localized_cli::help_width());
        }
        if let Err(failure) = output::stdout(&text) {
            let _ = output::stderr(&format!("shmlab: error: {failure}\n"));
            return 2;
        }
        return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand { 2 } else { 0 };
    }
    if i18n::current() == i18n::Lang::Zh
        && let Some(message) = usage_error_in_words(&e)
    {
        let line = crate::tr!("cli-error", message = crate::tr!("help-error-see-help", message = message));
        let _ = output::stderr(&output::line_for_stderr(&line));
        return 2;
    }
    let rendered = e.render().to_string();
    let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut first = lines.next().unwrap_or("invalid arguments").trim_start_matches("error: ").to_string();
    // "the following required arguments were not provided:" names them on the next line.
    if first.ends_with(':')
        && let Some(next) = lines.next()
    {
        first = format!("{first} {next}");
    }
    let values = lines.find(|l| l.starts_with("[possible values:")).map(|v| format!(" {v}")).unwrap_or_default();
    let _ = output::stderr(&output::line_for_stderr(&format!("shmlab: error: {first}{values}; see `shmlab --help`")));
    2
}

/// A clap usage error in the catalog's words, from its kind and context
/// (None for a kind without a message there: clap's English is used).
fn usage_error_in_words(e: &clap::Error) -> Option<String> {
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let list = |kind| match e.get(kind) {
        Some(ContextValue::Strings(v)) if !v.is_empty() => Some(v.join(", ")),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg).unwrap_or_default();
    let similar = |message: String, id: &str, kind| match text(kind) {
        Some(s) if !s.is_empty() => crate::tr!(id, message = message, suggestion = s),
        _ => message,
    };
    let with_values = |message: String| match list(ContextKind::ValidValue) {
        Some(values) => crate::tr!("help-error-possible-values", message = message, values = values),
        None => message,
    };
    let message = match e.kind() {
        ErrorKind::UnknownArgument => similar(
            crate::tr!("help-error-unknown-argument", arg = arg),
            "help-error-similar-argument",
            ContextKind::SuggestedArg,
        ),
        ErrorKind::InvalidValue => {
            let value = text(ContextKind::InvalidValue).unwrap_or_default();
            if value.is_empty() {
                with_values(crate::tr!("help-error-missing-value", arg = arg))
            } else {
                with_values(crate::tr!("help-error-invalid-value", arg = arg, value = value))
            }
        }
        ErrorKind::ValueValidation => {
            let value = text(ContextKind::InvalidValue).unwrap_or_default();
            match std::error::Error::source(e) {
                Some(reason) => {
                    let reason = reason.to_string();
                    // The standard library's words for a number that does not parse.
                    let reason = match reason.as_str() {
                        "invalid digit found in string" => i18n::t("help-error-not-a-number"),
                        "cannot parse integer from empty string" => i18n::t("help-error-empty-number"),
                        "number too large to fit in target type" => i18n::t("help-error-number-too-large"),
                        "number too small to fit in target type" => i18n::t("help-error-number-too-small"),
                        _ => reason,
                    };
                    crate::tr!("help-error-invalid-value-because", arg = arg, value = value, reason = reason)
                }
                None => crate::tr!("help-error-invalid-value", arg = arg, value = value),
            }
        }
        ErrorKind::NoEquals => crate::tr!("help-error-no-equals", arg = arg),
        ErrorKind::InvalidSubcommand => similar(
            crate::tr!("help-error-unknown-subcommand", name = text(ContextKind::InvalidSubcommand)?),
            "help-error-similar-subcommand",
            ContextKind::SuggestedSubcommand,
        ),
        ErrorKind::MissingRequiredArgument => crate::tr!("help-error-missing-arguments", args = arg),
        ErrorKind::MissingSubcommand => {
            crate::tr!("help-error-missing-subcommand", name = text(ContextKind::InvalidSubcommand)?)
        }
        ErrorKind::ArgumentConflict => match text(ContextKind::PriorArg) {
            Some(other) if other != arg => crate::tr!("help-error-conflict", arg = arg, other = other),
            _ => crate::tr!("help-error-repeated", arg = arg),
        },
        ErrorKind::TooManyValues => {
            crate::tr!("help-error-too-many-values", arg = arg, value = text(ContextKind::InvalidValue)?)
        }
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => crate::tr!(
            "help-error-wrong-number",
            arg = arg,
            expected = text(ContextKind::ExpectedNumValues)?,
            actual = text(ContextKind::ActualNumValues)?
        ),
        ErrorKind::InvalidUtf8 => i18n::t("help-error-invalid-utf8"),
        _ => return None,
    };
    Some(message)
}

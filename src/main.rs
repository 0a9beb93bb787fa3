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

use clap::Parser;
use clap::error::ErrorKind;

fn main() {
    // First, before anything else: Ctrl-C and SIGTERM become events we poll,
    // so that every exit path runs the ordinary cleanup code.
    sys::signals::take_over();
    let cli = match cli::Cli::try_parse() {
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
        let text = if std::io::stdout().is_terminal() { styled.ansi().to_string() } else { styled.to_string() };
        if let Err(failure) = output::stdout(&text) {
            let _ = output::stderr(&format!("shmlab: error: {failure}\n"));
            return 2;
        }
        return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand { 2 } else { 0 };
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

//! One function per subcommand: turn parsed arguments into a validated plan,
//! run it, and send its results to the terminal and to JSON.

use std::time::Duration;

use crate::cli::{Command, RacingArgs};
use crate::error::{Error, Result};
use crate::experiment::racing::{self, RacingPlan};
use crate::output;
use crate::region::{Backend, XsiKey};
use crate::report::{json, model::Document, table};

pub fn dispatch(command: Command) -> Result<()> {
    match command {
        Command::Racing(args) => racing(args),
    }
}

/// Flattens repeated `--backend` values (each may be `all`), keeping the
/// first occurrence of each; `default` when none was given.
fn unique<T: Copy + PartialEq>(groups: Vec<Vec<T>>, default: T) -> Vec<T> {
    let mut out = Vec::new();
    for item in groups.into_iter().flatten() {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    if out.is_empty() {
        out.push(default);
    }
    out
}

fn xsi_key(path: std::path::PathBuf, proj_id: i32) -> Result<XsiKey> {
    if proj_id & 0xff == 0 {
        return Err(Error::usage(format!(
            "--proj-id {proj_id}: ftok uses only the low 8 bits, which are 0 here; pick a value whose low byte is not 0 (1..255)"
        )));
    }
    let key = XsiKey { path, proj_id };
    key.resolve()?; // a missing --key-path is bad input: refuse it before anything runs
    Ok(key)
}

fn seconds(value: f64, flag: &str) -> Result<Duration> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| Error::usage(format!("{flag} {value}: give a positive number of seconds")))
}

fn racing(args: RacingArgs) -> Result<()> {
    let backends = unique(args.backends, Backend::Mmap);
    let delay = Duration::from_micros(args.delay_us);
    let xsi_key =
        if backends.contains(&Backend::Xsi) { xsi_key(args.key_path, args.proj_id)? } else { XsiKey::default() };
    let timeout = match args.timeout {
        Some(s) => seconds(s, "--timeout")?,
        None => RacingPlan::default_timeout(args.children, args.iterations, delay),
    };
    let plan = RacingPlan {
        backends,
        children: args.children,
        trials: args.trials,
        delay,
        iterations: args.iterations,
        xsi_key,
        timeout,
    };
    let records = racing::run(&plan, |_| {})?;
    let text = format!("{}\n{}\n", table::racing(&records), table::racing_reading(&records));
    if output::json_on_stdout(args.json.as_deref()) {
        output::stderr(&text)?;
    } else {
        output::stdout(&text)?;
    }
    if let Some(path) = &args.json {
        output::to_file_or_stdout(path, &json::to_bytes(&Document::new("racing", records.clone())))?;
    }
    match racing::failures(&records) {
        Some(problem) => Err(Error::failed(problem)),
        None => Ok(()),
    }
}

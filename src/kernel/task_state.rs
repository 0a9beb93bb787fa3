//! A process's scheduler state, as `ps` shows it in its STAT column: the
//! third field of /proc/PID/stat (`R` running, `S` asleep and waiting for
//! something, `D` asleep and not interruptible, `Z` ended, ...).

/// The state letter of `pid`, or `None` if it cannot be read (gone).
pub fn process_state(pid: nix::unistd::Pid) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name in parentheses may itself contain spaces and ')'.
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().next()?.chars().next()
}

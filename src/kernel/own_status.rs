//! This process's memory figures from /proc/self/status (`VmSize`,
//! `VmPTE`, ...): the kernel's own count of what the process has mapped
//! and what its page tables take, in KiB.

/// The `field` line of /proc/self/status in KiB (`VmPTE:  2052 kB`), if
/// the kernel has it.
pub fn kib(field: &str) -> Option<i64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse(&status, field)
}

fn parse(status: &str, field: &str) -> Option<i64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_field_in_kib() {
        let status = "Name:\tshmlab\nVmSize:\t  123456 kB\nVmPTE:\t    2052 kB\n";
        assert_eq!(parse(status, "VmPTE"), Some(2052));
        assert_eq!(parse(status, "VmSize"), Some(123456));
        assert_eq!(parse(status, "VmSwap"), None);
        assert!(kib("VmSize").is_some_and(|k| k > 0));
    }
}

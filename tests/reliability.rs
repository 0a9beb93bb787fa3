//! shmlab's promises under hostile and busy conditions: it removes exactly
//! what it created, a killed run leaves nothing `shmlab clean` cannot find,
//! and bad conditions give one clear line. Most cases run in private
//! namespaces (see `common::in_private_namespaces`) so that they can plant
//! foreign objects, fill a small /dev/shm or forge registry records without
//! touching the machine's own.

mod common;

use common::*;

/// The sandbox itself: a fresh /dev/shm, /run and SysV IPC, and a /proc
/// with only the sandbox's processes.
#[test]
fn the_private_sandbox_sees_nothing_of_the_machine() {
    let out = match in_private_namespaces(
        "ls -A /dev/shm | wc -l; ls -A /run | wc -l; awk 'NR>1' /proc/sysvipc/shm | wc -l; ls /proc | grep -c '^[0-9]'",
    ) {
        Ok(out) => out,
        Err(why) => return skip("the_private_sandbox_sees_nothing_of_the_machine", &why),
    };
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let counts: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(counts[..3], ["0", "1", "0"], "empty /dev/shm, only tmp in /run, no segments: {counts:?}");
    let processes: u32 = counts[3].parse().unwrap();
    assert!(processes <= 4, "only the sandbox's own processes in its /proc: {processes}");
}

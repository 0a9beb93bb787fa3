//! /proc/sysvipc/shm and /proc/sysvipc/sem, parsed by hand: the kernel
//! prints `perms` in octal and ids and uids as plain decimals (a general
//! parser that reads perms as decimal, or uids as 16-bit, gets them wrong).

use crate::sys::sysv_msg::MsqId;
use crate::sys::{Key, SemId, ShmId};

/// One row of /proc/sysvipc/shm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShmRow {
    pub key: Key,
    pub shmid: ShmId,
    /// Mode bits, octal in the file (e.g. 1600: 0600 plus the `dest` bit).
    pub perms: u32,
    pub size: u64,
    pub cpid: i32,
    pub lpid: i32,
    pub nattch: u64,
    /// Owner and group (changeable with IPC_SET), and creator and its group.
    pub uid: u32,
    pub gid: u32,
    /// The creating user and group (the owner can be changed, these cannot).
    pub cuid: u32,
    pub cgid: u32,
    /// Last change (creation, IPC_SET, IPC_RMID), seconds since the epoch.
    pub ctime: u64,
}

impl ShmRow {
    /// Marked for removal (IPC_RMID) while still attached: `dest` in ipcs.
    pub fn marked_for_removal(&self) -> bool {
        self.perms & 0o1000 != 0
    }
}

/// One row of /proc/sysvipc/sem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SemRow {
    pub key: Key,
    pub semid: SemId,
    pub perms: u32,
    pub nsems: u32,
    pub uid: u32,
    pub cuid: u32,
    pub ctime: i64,
}

fn rows(path: &str) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

fn num<T: std::str::FromStr + Default>(row: &[String], i: usize) -> T {
    row.get(i).and_then(|v| v.parse().ok()).unwrap_or_default()
}

fn octal(row: &[String], i: usize) -> u32 {
    row.get(i).and_then(|v| u32::from_str_radix(v, 8).ok()).unwrap_or(0)
}

/// Every SysV shared memory segment.
pub fn segments() -> Vec<ShmRow> {
    parse_segments(&rows("/proc/sysvipc/shm"))
}

fn parse_segments(rows: &[Vec<String>]) -> Vec<ShmRow> {
    rows.iter()
        .filter(|r| r.len() >= 8)
        .map(|r| ShmRow {
            key: Key(num(r, 0)),
            shmid: ShmId(num(r, 1)),
            perms: octal(r, 2),
            size: num(r, 3),
            cpid: num(r, 4),
            lpid: num(r, 5),
            nattch: num(r, 6),
            uid: num(r, 7),
            gid: num(r, 8),
            cuid: num(r, 9),
            cgid: num(r, 10),
            ctime: num(r, 13),
        })
        .collect()
}

/// One row of /proc/sysvipc/msg.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MsgRow {
    pub key: Key,
    pub msqid: MsqId,
    pub perms: u32,
    /// Bytes and messages queued now.
    pub cbytes: u64,
    pub qnum: u64,
    pub uid: u32,
    pub cuid: u32,
    pub ctime: i64,
}

/// Every SysV message queue.
pub fn message_queues() -> Vec<MsgRow> {
    // key msqid perms cbytes qnum lspid lrpid uid gid cuid cgid stime rtime ctime
    rows("/proc/sysvipc/msg")
        .iter()
        .filter(|r| r.len() >= 14)
        .map(|r| MsgRow {
            key: Key(num(r, 0)),
            msqid: MsqId(num(r, 1)),
            perms: octal(r, 2),
            cbytes: num(r, 3),
            qnum: num(r, 4),
            uid: num(r, 7),
            cuid: num(r, 9),
            ctime: num(r, 13),
        })
        .collect()
}

/// Every SysV semaphore set.
pub fn semaphore_sets() -> Vec<SemRow> {
    rows("/proc/sysvipc/sem")
        .iter()
        .filter(|r| r.len() >= 10)
        .map(|r| SemRow {
            key: Key(num(r, 0)),
            semid: SemId(num(r, 1)),
            perms: octal(r, 2),
            nsems: num(r, 3),
            uid: num(r, 4),
            cuid: num(r, 6),
            ctime: num(r, 9),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perms_are_octal_and_uids_wide() {
        let line = "1234 7 1600 4096 4242 4243 1 100000 100001 100002 100003 0 0 0 4096 0";
        let row: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        let s = &parse_segments(&[row])[0];
        assert_eq!((s.key, s.shmid, s.perms, s.uid), (Key(1234), ShmId(7), 0o1600, 100000));
        assert_eq!((s.gid, s.cuid, s.cgid), (100001, 100002, 100003));
        assert_eq!(s.ctime, 0);
        assert!(s.marked_for_removal());
    }
}

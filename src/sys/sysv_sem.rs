//! System V semaphores: `semget`, `semctl(SETVAL)`, `semop`, `IPC_RMID`.
//! `nix` has none of these; `libc` has no `union semun`, so SETVAL passes
//! the value as a plain `c_int` (what the union holds on Linux).

use nix::errno::Errno;

pub use super::ipc_id::{Key, SemId};

/// `semget(key, 1, IPC_CREAT|IPC_EXCL|0600)`: a new set of one semaphore
/// under `key`, or EEXIST if the key is taken.
pub fn create_exclusive(key: Key) -> Result<SemId, Errno> {
    // SAFETY: semget takes plain integers.
    Errno::result(unsafe { libc::semget(key.0, 1, libc::IPC_CREAT | libc::IPC_EXCL | 0o600) }).map(SemId)
}

/// `semctl(id, 0, SETVAL, value)`.
pub fn set_value(id: SemId, value: i32) -> Result<(), Errno> {
    // SAFETY: SETVAL reads its fourth argument as an int (union semun.val).
    Errno::result(unsafe { libc::semctl(id.0, 0, libc::SETVAL, value) }).map(drop)
}

/// `semop(id, {0, delta, SEM_UNDO?}, 1)`, retried on EINTR. With `undo`,
/// the kernel reverses this process's adjustment when it exits, however it
/// exits: that is what frees a semaphore whose holder was killed.
pub fn adjust(id: SemId, delta: i16, undo: bool) -> Result<(), Errno> {
    let mut op = libc::sembuf { sem_num: 0, sem_op: delta, sem_flg: if undo { libc::SEM_UNDO as i16 } else { 0 } };
    loop {
        // SAFETY: op is one valid sembuf for the call's duration.
        match Errno::result(unsafe { libc::semop(id.0, &mut op, 1) }) {
            Err(Errno::EINTR) => continue,
            other => return other.map(drop),
        }
    }
}

/// `semctl(id, 0, IPC_RMID)`: removes the set at once; waiters get EIDRM.
pub fn remove(id: SemId) -> Result<(), Errno> {
    // SAFETY: IPC_RMID takes no fourth argument.
    Errno::result(unsafe { libc::semctl(id.0, 0, libc::IPC_RMID) }).map(drop)
}

/// `semctl(id, 0, IPC_STAT)`: the set's last change time (seconds since
/// the epoch), which with the id identifies one set across id reuse.
pub fn change_time(id: SemId) -> Result<i64, Errno> {
    let mut ds = std::mem::MaybeUninit::<libc::semid_ds>::zeroed();
    // SAFETY: IPC_STAT writes one semid_ds into the buffer we pass.
    Errno::result(unsafe { libc::semctl(id.0, 0, libc::IPC_STAT, ds.as_mut_ptr()) })?;
    // SAFETY: the call succeeded, so the kernel filled the struct.
    Ok(unsafe { ds.assume_init() }.sem_ctime)
}

/// `semctl(id, 0, GETNCNT)`: how many processes are asleep in `semop`
/// waiting for semaphore 0 to grow.
pub fn waiting(id: SemId) -> Result<u32, Errno> {
    // SAFETY: GETNCNT takes no fourth argument and returns a count.
    Errno::result(unsafe { libc::semctl(id.0, 0, libc::GETNCNT) }).map(|n| n as u32)
}

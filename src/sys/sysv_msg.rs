//! System V message queues: `msgget`, `msgsnd`, `msgrcv`, `IPC_RMID`.
//! `nix` has none of these. A message is a `long` type followed by the
//! bytes; the queue outlives every process until it is removed.

use super::Errno;
pub use super::ipc_id::Key;

/// A message queue id (`msqid`), what `ipcs -q` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct MsqId(pub i32);

impl std::fmt::Display for MsqId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// `msgget(key, IPC_CREAT|IPC_EXCL|0600)`: a new queue, or EEXIST.
pub fn create_exclusive(key: Key) -> Result<MsqId, Errno> {
    // SAFETY: msgget takes plain integers.
    Errno::result(unsafe { libc::msgget(key.0, libc::IPC_CREAT | libc::IPC_EXCL | 0o600) }).map(MsqId)
}

/// `msgctl(id, IPC_RMID)`: removes the queue at once; waiters get EIDRM.
pub fn remove(id: MsqId) -> Result<(), Errno> {
    // SAFETY: IPC_RMID reads no buffer.
    Errno::result(unsafe { libc::msgctl(id.0, libc::IPC_RMID, std::ptr::null_mut()) }).map(drop)
}

/// What `msgctl(IPC_STAT)` tells apart one queue from a later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueStatus {
    pub key: Key,
    pub creator_uid: u32,
    /// Last change (creation, IPC_SET), seconds since the epoch.
    pub ctime: i64,
    /// Bytes a queue may hold (`msg_qbytes`, at most kernel.msgmnb).
    pub max_bytes: u64,
}

/// `msgctl(id, IPC_STAT)`.
pub fn status(id: MsqId) -> Result<QueueStatus, Errno> {
    let mut ds = std::mem::MaybeUninit::<libc::msqid_ds>::zeroed();
    // SAFETY: ds is a writable msqid_ds of the right size.
    Errno::result(unsafe { libc::msgctl(id.0, libc::IPC_STAT, ds.as_mut_ptr()) })?;
    // SAFETY: IPC_STAT succeeded, so the kernel filled the struct.
    let ds = unsafe { ds.assume_init() };
    Ok(QueueStatus {
        key: Key(ds.msg_perm.__key),
        creator_uid: ds.msg_perm.cuid,
        ctime: ds.msg_ctime,
        max_bytes: ds.msg_qbytes,
    })
}

/// The bytes of one message with its type in front, as msgsnd and msgrcv
/// take them (`struct msgbuf { long mtype; char mtext[]; }`).
#[derive(Debug)]
pub struct MessageBuffer {
    words: Vec<libc::c_long>,
    text_bytes: usize,
}

const TYPE_BYTES: usize = std::mem::size_of::<libc::c_long>();

impl MessageBuffer {
    /// Room for messages of up to `text_bytes` bytes.
    pub fn new(text_bytes: usize) -> Self {
        Self { words: vec![0; 1 + text_bytes.div_ceil(TYPE_BYTES)], text_bytes }
    }

    /// The message text.
    pub fn text(&self) -> &[u8] {
        let bytes: &[u8] = bytemuck_cast(&self.words);
        &bytes[TYPE_BYTES..TYPE_BYTES + self.text_bytes]
    }

    /// The message text, to fill in before sending.
    pub fn text_mut(&mut self) -> &mut [u8] {
        let n = self.text_bytes;
        let bytes: &mut [u8] = bytemuck_cast_mut(&mut self.words);
        &mut bytes[TYPE_BYTES..TYPE_BYTES + n]
    }
}

fn bytemuck_cast(words: &[libc::c_long]) -> &[u8] {
    // SAFETY: any initialised c_long is valid as bytes; the length is the
    // same memory in bytes, and the borrow keeps it alive.
    unsafe { std::slice::from_raw_parts(words.as_ptr().cast::<u8>(), std::mem::size_of_val(words)) }
}

fn bytemuck_cast_mut(words: &mut [libc::c_long]) -> &mut [u8] {
    // SAFETY: as above, and every byte pattern is a valid c_long, so writes
    // through the byte view cannot make the words invalid.
    unsafe { std::slice::from_raw_parts_mut(words.as_mut_ptr().cast::<u8>(), std::mem::size_of_val(words)) }
}

/// `msgsnd(id, {mtype, text}, len, 0)`, retried on EINTR.
pub fn send(id: MsqId, mtype: libc::c_long, message: &mut MessageBuffer) -> Result<(), Errno> {
    message.words[0] = mtype;
    loop {
        // SAFETY: the buffer holds a long and then text_bytes bytes.
        let rc = unsafe { libc::msgsnd(id.0, message.words.as_ptr().cast(), message.text_bytes, 0) };
        match Errno::result(rc) {
            Err(Errno::EINTR) => continue,
            other => return other.map(drop),
        }
    }
}

/// `msgrcv(id, buf, len, mtype, 0)`: the next message of `mtype`, retried
/// on EINTR; its length.
pub fn receive(id: MsqId, mtype: libc::c_long, message: &mut MessageBuffer) -> Result<usize, Errno> {
    loop {
        // SAFETY: the buffer holds a long and then text_bytes writable bytes,
        // and the kernel writes at most that many.
        let rc = unsafe { libc::msgrcv(id.0, message.words.as_mut_ptr().cast(), message.text_bytes, mtype, 0) };
        match Errno::result(rc) {
            Err(Errno::EINTR) => continue,
            other => return other.map(|n| n as usize),
        }
    }
}

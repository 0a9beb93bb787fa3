//! `sysv-mq`: one System V message queue, message type 1 from A to B and
//! 2 from B to A. It has a random key and is recorded in the registry
//! before it exists, like every SysV object shmlab makes, because it
//! outlives a killed run until someone removes it.

use super::{Endpoint, Side, pattern};
use crate::error::{Error, Result, SysContext};
use crate::registry::{self, Entry};
use crate::sys::Errno;
use crate::sys::sysv_msg::{self, MessageBuffer, MsqId};

/// Random keys tried before giving up (each taken one means EEXIST).
const KEY_ATTEMPTS: usize = 16;

pub struct QueueChannel {
    id: MsqId,
    size: usize,
    // Last: the registry file goes after Drop has removed the queue.
    record: registry::Record,
}

impl QueueChannel {
    pub fn open(size: usize) -> Result<Self> {
        let limit = |name: &str, default| {
            crate::kernel::sysctl::read_u64(&crate::kernel::sysctl::proc_path(name)).unwrap_or(default)
        };
        // A message must fit both one message (msgmax) and the queue's bytes (msgmnb).
        let (msgmax, msgmnb) = (limit("kernel.msgmax", 8192), limit("kernel.msgmnb", 16384));
        if size as u64 > msgmax.min(msgmnb) {
            return Err(Error::unavailable(crate::tr!(
                "ipc-sysv-mq-too-big",
                size = size,
                msgmax = msgmax,
                msgmnb = msgmnb
            )));
        }
        for _ in 0..KEY_ATTEMPTS {
            let key = registry::random_key();
            let record = registry::record(Entry::MessageQueue { key, msqid: None, ctime: None })?;
            let id = match sysv_msg::create_exclusive(key) {
                Ok(id) => id,
                Err(Errno::EEXIST) => continue,
                Err(errno) => {
                    return Err(Error::sys(
                        "msgget",
                        &crate::tr!("ipc-sysv-mq-object", key = key),
                        errno,
                        &crate::i18n::t("ipc-sysv-mq-hint"),
                    ));
                }
            };
            let mut channel = Self { id, size, record };
            let ctime =
                sysv_msg::status(id).sys("msgctl(IPC_STAT)", || crate::tr!("ipc-sysv-mq-id", id = id), "")?.ctime;
            channel.record.update(Entry::MessageQueue { key, msqid: Some(id), ctime: Some(ctime) })?;
            return Ok(channel);
        }
        Err(Error::usage(crate::tr!("ipc-sysv-mq-keys-taken", attempts = KEY_ATTEMPTS)))
    }

    pub fn endpoint(&self, side: Side) -> QueueEnd {
        let (out_type, in_type) = if side == Side::A { (1, 2) } else { (2, 1) };
        QueueEnd { id: self.id, out_type, in_type, buf: MessageBuffer::new(self.size), size: self.size }
    }
}

impl Drop for QueueChannel {
    fn drop(&mut self) {
        let _ = sysv_msg::remove(self.id);
    }
}

pub struct QueueEnd {
    id: MsqId,
    out_type: libc::c_long,
    in_type: libc::c_long,
    buf: MessageBuffer,
    size: usize,
}

impl Endpoint for QueueEnd {
    fn send(&mut self, seq: u64) -> std::result::Result<(), Errno> {
        pattern::fill(self.buf.text_mut(), seq);
        sysv_msg::send(self.id, self.out_type, &mut self.buf)
    }

    fn receive(&mut self, seq: u64) -> std::result::Result<bool, Errno> {
        let n = sysv_msg::receive(self.id, self.in_type, &mut self.buf)?;
        Ok(n == self.size && pattern::check(self.buf.text(), seq))
    }
}

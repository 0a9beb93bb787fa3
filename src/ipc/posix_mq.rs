//! `posix-mq`: two POSIX message queues (one per direction). The parent
//! unlinks each right after `mq_open`, before the sides are forked (they
//! inherit the open descriptors), so that nothing is left in /dev/mqueue
//! even if the run is killed; the registry covers the moment between
//! `mq_open` and `mq_unlink`.

use super::{Endpoint, Side, pattern};
use crate::error::{Error, Result};
use crate::registry::{self, Entry};
use crate::sys::Errno;
use crate::sys::mqueue::{self, Queue};

pub struct QueuePair {
    a_to_b: Queue,
    b_to_a: Queue,
    size: usize,
}

/// Bytes of queued messages one queue may hold; two of them stay below the
/// default RLIMIT_MSGQUEUE (819,200 bytes per user).
const QUEUE_BUDGET: usize = 300 << 10;

fn open_one(size: usize) -> Result<Queue> {
    let max_messages = (QUEUE_BUDGET / size.max(1)).clamp(1, 10) as i64;
    for _ in 0..8 {
        let name = crate::region::unique_name("/");
        let record = registry::record(Entry::PosixMessageQueue { name: name.clone() })?;
        match Queue::create_exclusive(&name, max_messages, size as i64) {
            Ok(queue) => {
                let _ = mqueue::unlink(&name);
                drop(record);
                return Ok(queue);
            }
            Err(Errno::EEXIST) => continue,
            Err(errno) => return Err(refusal(errno, size)),
        }
    }
    Err(Error::usage(crate::i18n::t("ipc-mq-names-collide")))
}

fn refusal(errno: Errno, size: usize) -> Error {
    let limit = |path: &str| crate::kernel::sysctl::read_u64(std::path::Path::new(path)).unwrap_or(0);
    let why = match errno {
        Errno::EINVAL => crate::tr!(
            "ipc-mq-msgsize",
            size = size,
            msgsize_max = limit("/proc/sys/fs/mqueue/msgsize_max"),
            messages = (QUEUE_BUDGET / size.max(1)).clamp(1, 10),
            msg_max = limit("/proc/sys/fs/mqueue/msg_max")
        ),
        Errno::EMFILE | Errno::ENOMEM => crate::tr!(
            "ipc-mq-rlimit",
            size = size,
            limit = crate::sys::process::message_queue_limit()
                .map_or_else(|| crate::i18n::t("ipc-unlimited"), |n| n.to_string())
        ),
        Errno::ENOSPC => crate::i18n::t("ipc-mq-queues-max"),
        _ => crate::i18n::t("ipc-mq-see-man"),
    };
    Error::unavailable(crate::tr!("ipc-mq-open-failed", errno = crate::error::errno_text(errno), why = why))
        .with_errno(errno)
}

impl QueuePair {
    pub fn open(size: usize) -> Result<Self> {
        Ok(Self { a_to_b: open_one(size)?, b_to_a: open_one(size)?, size })
    }

    pub fn endpoint(&self, side: Side) -> QueueEnd<'_> {
        let (out, into) = if side == Side::A { (&self.a_to_b, &self.b_to_a) } else { (&self.b_to_a, &self.a_to_b) };
        QueueEnd { out, into, send_buf: vec![0; self.size], receive_buf: vec![0; self.size] }
    }
}

pub struct QueueEnd<'a> {
    out: &'a Queue,
    into: &'a Queue,
    send_buf: Vec<u8>,
    receive_buf: Vec<u8>,
}

impl Endpoint for QueueEnd<'_> {
    fn send(&mut self, seq: u64) -> std::result::Result<(), Errno> {
        pattern::fill(&mut self.send_buf, seq);
        self.out.send(&self.send_buf)
    }

    fn receive(&mut self, seq: u64) -> std::result::Result<bool, Errno> {
        let n = self.into.receive(&mut self.receive_buf)?;
        Ok(n == self.send_buf.len() && pattern::check(&self.receive_buf, seq))
    }
}

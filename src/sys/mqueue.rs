//! POSIX message queues (`mq_open`, `mq_send`, `mq_receive`): a named queue
//! of whole messages in the kernel, listed under /dev/mqueue when the
//! mqueue file system is mounted there.

use nix::mqueue::{MQ_OFlag, MqAttr, MqdT};
use nix::sys::stat::Mode;

use super::Errno;

/// Where the mqueue file system is conventionally mounted.
pub const MQUEUE_DIR: &str = "/dev/mqueue";

/// `/dev/mqueue/NAME` for the queue `/NAME`.
pub fn queue_path(name: &str) -> String {
    format!("{MQUEUE_DIR}/{}", name.trim_start_matches('/'))
}

/// An open queue descriptor; closed when it drops.
#[derive(Debug)]
pub struct Queue(Option<MqdT>);

impl Queue {
    /// `mq_open(name, O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC, 0600, {maxmsg, msgsize})`.
    pub fn create_exclusive(name: &str, max_messages: i64, message_bytes: i64) -> Result<Self, Errno> {
        let attr = MqAttr::new(0, max_messages, message_bytes, 0);
        let flags = MQ_OFlag::O_RDWR | MQ_OFlag::O_CREAT | MQ_OFlag::O_EXCL | MQ_OFlag::O_CLOEXEC;
        nix::mqueue::mq_open(name, flags, Mode::S_IRUSR | Mode::S_IWUSR, Some(&attr)).map(|q| Self(Some(q)))
    }

    /// `mq_send` with priority 0, retried on EINTR.
    pub fn send(&self, message: &[u8]) -> Result<(), Errno> {
        let Some(q) = &self.0 else { return Err(Errno::EBADF) };
        loop {
            match nix::mqueue::mq_send(q, message, 0) {
                Err(Errno::EINTR) => continue,
                other => return other,
            }
        }
    }

    /// `mq_receive` into `buf` (at least the queue's message size), retried
    /// on EINTR; the message's length.
    pub fn receive(&self, buf: &mut [u8]) -> Result<usize, Errno> {
        let Some(q) = &self.0 else { return Err(Errno::EBADF) };
        let mut priority = 0;
        loop {
            match nix::mqueue::mq_receive(q, buf, &mut priority) {
                Err(Errno::EINTR) => continue,
                other => return other,
            }
        }
    }
}

impl Drop for Queue {
    fn drop(&mut self) {
        if let Some(q) = self.0.take() {
            let _ = nix::mqueue::mq_close(q);
        }
    }
}

/// `mq_unlink(name)`: removes the name; the queue goes with its last descriptor.
pub fn unlink(name: &str) -> Result<(), Errno> {
    nix::mqueue::mq_unlink(name)
}

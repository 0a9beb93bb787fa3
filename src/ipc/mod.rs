//! Ways for two processes to pass messages, one file per kind, for the IPC
//! benchmark (`shmlab bench ipc`).
//!
//! Every transport is opened as a [`Channel`] in the parent, before the two
//! sides are forked, and each side then takes its [`Endpoint`]. A message
//! is `size` bytes of a pattern derived from its sequence number
//! ([`pattern`]); the receiver checks every byte, so no transport can win
//! by not moving the data. Whatever a channel creates in the kernel (a
//! queue, a FIFO, a shared region) is recorded in the registry before it
//! exists and gone when the channel drops.

pub mod dgram;
pub mod pattern;
pub mod posix_mq;
pub mod ring;
pub mod stream;
pub mod sysv_mq;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::region::Backend;
use crate::sys::Errno;

/// A way to pass messages, as `--transport` and the JSON name it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
    clap::ValueEnum,
    strum::IntoStaticStr,
    strum::Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Transport {
    /// pipe(2): two copies and two system calls per message
    Pipe,
    /// A named pipe (mkfifo) in a private directory: a pipe found by path
    Fifo,
    /// socketpair(AF_UNIX, SOCK_STREAM)
    UnixStream,
    /// socketpair(AF_UNIX, SOCK_DGRAM): one message per datagram
    UnixDgram,
    /// TCP over the loopback interface (127.0.0.1), TCP_NODELAY
    Tcp,
    /// POSIX message queue (mq_open)
    PosixMq,
    /// System V message queue (msgget)
    SysvMq,
    /// A single-producer single-consumer ring in shared memory (see --wake)
    Shm,
    /// Not a transport: memcpy within one process, the ceiling for throughput
    #[value(skip)]
    Memcpy,
}

impl Transport {
    /// Every transport `all` means, in the order the table shows them.
    pub const ALL: [Transport; 8] = [
        Transport::Pipe,
        Transport::Fifo,
        Transport::UnixStream,
        Transport::UnixDgram,
        Transport::Tcp,
        Transport::PosixMq,
        Transport::SysvMq,
        Transport::Shm,
    ];

    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// How the shared-memory ring wakes the other side.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
    clap::ValueEnum,
    strum::IntoStaticStr,
    strum::Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Wake {
    /// Busy-wait on the ring's index: no system call, one CPU kept busy
    Spin,
    /// FUTEX_WAIT / FUTEX_WAKE on the index: a system call and a wake-up
    Futex,
    /// An eventfd beside the ring: the pollable way, a system call each side
    Eventfd,
}

impl Wake {
    pub const ALL: [Wake; 3] = [Wake::Spin, Wake::Futex, Wake::Eventfd];

    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// Which of the two processes an endpoint belongs to: A sends first (the
/// ping, or the stream), B answers (the pong, or the final acknowledgement).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    A,
    B,
}

/// One process's end of a channel.
pub trait Endpoint {
    /// Sends message number `seq` (its pattern, `size` bytes).
    fn send(&mut self, seq: u64) -> std::result::Result<(), Errno>;
    /// Receives the next message; Ok(true) if it is message `seq`, every
    /// byte as sent.
    fn receive(&mut self, seq: u64) -> std::result::Result<bool, Errno>;
    /// System calls this endpoint made so far, for those that count them
    /// (the ring, the byte streams); datagrams and queues make one per send
    /// and one per receive by design.
    fn system_calls(&self) -> Option<u64> {
        None
    }
}

/// What a channel is asked to carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelSpec {
    pub transport: Transport,
    /// For [`Transport::Shm`].
    pub wake: Wake,
    pub backend: Backend,
    /// Message size in bytes.
    pub size: usize,
    /// For [`Transport::Shm`]: the sender writes in place and the receiver
    /// checks in place, no copy at all.
    pub zero_copy: bool,
    /// For [`Transport::Shm`] in a ping-pong: one slot for both directions
    /// (one message is in flight at a time; see `ring`).
    pub mailbox: bool,
}

/// Both directions of one transport, opened before the fork.
pub enum Channel {
    Stream(stream::StreamPair),
    Dgram(dgram::DgramPair),
    PosixMq(posix_mq::QueuePair),
    SysvMq(sysv_mq::QueueChannel),
    Ring(ring::RingPair),
}

impl Channel {
    /// Opens the transport for messages of `spec.size` bytes; an error if
    /// this machine cannot carry them (a datagram or message too large for
    /// its limits), naming the limit.
    pub fn open(spec: &ChannelSpec) -> Result<Self> {
        Ok(match spec.transport {
            Transport::Pipe | Transport::Fifo | Transport::UnixStream | Transport::Tcp => {
                Channel::Stream(stream::StreamPair::open(spec.transport, spec.size)?)
            }
            Transport::UnixDgram => Channel::Dgram(dgram::DgramPair::open(spec.size)?),
            Transport::PosixMq => Channel::PosixMq(posix_mq::QueuePair::open(spec.size)?),
            Transport::SysvMq => Channel::SysvMq(sysv_mq::QueueChannel::open(spec.size)?),
            Transport::Shm => Channel::Ring(ring::RingPair::open(spec)?),
            Transport::Memcpy => return Err(crate::error::Error::usage(crate::i18n::t("ipc-memcpy-measurement"))),
        })
    }

    /// One side's endpoint (in the forked child of that side).
    pub fn endpoint(&self, side: Side) -> std::result::Result<Box<dyn Endpoint + '_>, Errno> {
        Ok(match self {
            Channel::Stream(s) => Box::new(s.endpoint(side)?),
            Channel::Dgram(d) => Box::new(d.endpoint(side)),
            Channel::PosixMq(q) => Box::new(q.endpoint(side)),
            Channel::SysvMq(q) => Box::new(q.endpoint(side)),
            Channel::Ring(r) => Box::new(r.endpoint(side)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum;

    /// clap, serde and strum each derive a name from the variant; the
    /// command line, the JSON and the tables must all say the same one.
    fn one_spelling<T>(values: &[T])
    where
        T: ValueEnum + serde::Serialize + std::fmt::Display + Copy + Into<&'static str>,
    {
        for v in values {
            let clap = v.to_possible_value().map(|p| p.get_name().to_string());
            let serde = serde_json::to_value(v).ok().and_then(|j| j.as_str().map(str::to_string));
            let strum: &'static str = (*v).into();
            assert_eq!(clap.as_deref(), Some(strum), "clap vs strum");
            assert_eq!(serde.as_deref(), Some(strum), "serde vs strum");
            assert_eq!(v.to_string(), strum, "Display vs strum");
        }
    }

    #[test]
    fn backends_locks_transports_and_wakes_have_one_spelling() {
        one_spelling(crate::region::Backend::value_variants());
        one_spelling(crate::lock::LockKind::value_variants());
        one_spelling(super::Transport::value_variants());
        one_spelling(super::Wake::value_variants());
    }
}

//! The IPC benchmark's record: one transport, one message size, one mode.

use serde::{Deserialize, Serialize};

use crate::ipc::{Transport, Wake};

/// What was measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum IpcMode {
    /// Ping-pong: A sends, B answers with a message of the same size.
    Latency,
    /// A stream from A to B, then one acknowledgement back.
    Throughput,
}

/// The middle and the tail of a distribution.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Spread {
    pub median: f64,
    pub p99: f64,
}

/// One point of the IPC benchmark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IpcRecord {
    /// `pipe`, `fifo`, `unix-stream`, `unix-dgram`, `tcp`, `posix-mq`,
    /// `sysv-mq`, `shm` (the shared-memory ring), or `memcpy` (the copy
    /// ceiling, one process, no transport).
    pub transport: Transport,
    /// For `shm`: how the ring wakes the other side.
    pub wake: Option<Wake>,
    /// For `shm`: the sender writes the message in place and the receiver
    /// checks it in place (no copy into or out of the ring).
    #[serde(default)]
    pub zero_copy: bool,
    /// Message size in bytes.
    pub size: u64,
    pub mode: IpcMode,
    /// Messages timed (after the warm-up).
    pub messages: u64,
    /// Latency: one-way time in ns (half a round trip), median and 99th
    /// percentile over batches of round trips (see `batch`).
    pub one_way_ns: Option<Spread>,
    /// Latency: round trips per timed batch (1 for slow transports; more
    /// for fast ones, so that reading the clock does not dominate).
    pub batch: Option<u64>,
    /// Throughput: messages per second.
    pub msgs_per_s: Option<f64>,
    /// Throughput: bytes per second (message bytes only).
    pub bytes_per_s: Option<f64>,
    /// System calls per message on both sides together, during the timed
    /// messages: counted by the ring for `shm` and by the byte streams
    /// (`pipe`, `fifo`, `unix-stream`, `tcp`: a large message takes several
    /// reads and writes); 2 by design for datagrams and message queues
    /// (one send, one receive).
    pub syscalls_per_msg: Option<f64>,
    /// The CPUs sides A and B ran on at the end of the point.
    pub cpus: [Option<u32>; 2],
    /// Whether the sides were pinned (`--cpus`).
    pub pinned: bool,
    /// Why this point did not run, if it did not (a message too large for
    /// the transport's limits, spinning on one CPU).
    pub skipped: Option<String>,
}

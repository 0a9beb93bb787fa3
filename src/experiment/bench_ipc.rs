//! `shmlab bench ipc`: why shared memory. Two processes pass messages over
//! every way Linux offers, and over a shared-memory ring; latency (a
//! ping-pong) and throughput (a stream), per message size.
//!
//! Each point forks side A and side B. A warms up, sizes the run from what
//! the warm-up took (`--duration`) or takes `--messages`, tells B how many
//! messages there will be through a shared control page, and times. B
//! checks every byte of every message ([`crate::ipc::pattern`]). The
//! parent only sets up the channel, waits, and reads the control page.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::ValueEnum;
use serde::{Deserialize, Serialize};

use super::params::{Choice, Size, any, choice_parser, seconds};
use super::{Events, Lab};
use crate::error::{Error, Kind, Result, check_interrupt};
use crate::experiment::bounds::Bound;
use crate::experiment::children::Children;
use crate::ipc::{Channel, ChannelSpec, Endpoint, Side, Transport, Wake, ring};
use crate::kernel::machine::Machine;
use crate::model::{IpcMode, IpcRecord, Spread};
use crate::region::Backend;
use crate::sys::mman::{MapOptions, Mapping};
use crate::sys::process::Ended;
use crate::sys::{ChildStatus, Errno, clock, process};

/// Messages per point when `--messages` is given.
pub const MESSAGES: Bound = Bound::new("messages", 1, 100_000_000);
pub const DEFAULT_DURATION_S: f64 = 0.2;
/// The sizes a point may have: a byte up to what the ring holds.
pub const SIZE: Bound = Bound::new("sizes", 1, ring::MAX_MESSAGE as u64);

fn default_sizes() -> Vec<Size> {
    [64, 4 << 10, 64 << 10, 1 << 20].into_iter().map(Size).collect()
}
fn default_backend() -> Backend {
    Backend::Memfd
}
fn default_duration() -> f64 {
    DEFAULT_DURATION_S
}

/// The two CPUs of `--cpus A,B`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuPair(pub u32, pub u32);

impl std::str::FromStr for CpuPair {
    type Err = String;
    fn from_str(text: &str) -> std::result::Result<Self, String> {
        let bad = || crate::tr!("ipc-cpus-bad", text = format!("{text:?}"));
        let (a, b) = text.split_once(',').ok_or_else(bad)?;
        Ok(CpuPair(a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?))
    }
}

impl Serialize for CpuPair {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{},{}", self.0, self.1))
    }
}

impl<'de> Deserialize<'de> for CpuPair {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

/// The IPC benchmark's parameters, for `shmlab bench ipc` and a suite's
/// `"bench-ipc"` run.
#[derive(Debug, Clone, clap::Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Transport to measure (repeatable; `all`) [default: all]
    #[arg(long = "transport", value_name = "T", value_parser = choice_parser::<Transport>(any))]
    #[serde(default)]
    pub transports: Vec<Choice<Transport>>,

    /// How the shared-memory ring wakes the other side (repeatable; `all`) [default: all]
    #[arg(long = "wake", value_name = "W", value_parser = choice_parser::<Wake>(any))]
    #[serde(default)]
    pub wakes: Vec<Choice<Wake>>,

    /// The shared memory behind the ring: any backend of the racing lab
    #[arg(long, value_enum, default_value_t = Backend::Memfd)]
    #[serde(default = "default_backend")]
    pub backend: Backend,

    /// Message sizes, comma-separated (64, 4KiB, 1MiB ...)
    #[arg(long, value_name = "SIZES", value_delimiter = ',', default_values_t = default_sizes())]
    #[serde(default = "default_sizes")]
    pub sizes: Vec<Size>,

    /// What to measure (repeatable) [default: latency and throughput]
    #[arg(long = "mode", value_name = "MODE", value_enum)]
    #[serde(default)]
    pub modes: Vec<IpcMode>,

    /// Seconds per point, after the warm-up
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_DURATION_S)]
    #[serde(default = "default_duration")]
    pub duration: f64,

    /// Messages per point instead of a duration (a round trip is two)
    #[arg(long, value_name = "N")]
    #[serde(default)]
    pub messages: Option<u64>,

    /// Pin side A and side B to these CPUs, e.g. 0,1 [default: not pinned]
    #[arg(long, value_name = "A,B")]
    #[serde(default)]
    pub cpus: Option<CpuPair>,
}

#[derive(Debug, Clone)]
pub struct IpcPlan {
    pub points: Vec<(ChannelSpec, IpcMode)>,
    pub duration: Duration,
    pub messages: Option<u64>,
    pub cpus: Option<CpuPair>,
    /// Why spinning cannot be measured here, if it cannot.
    pub no_spin: Option<String>,
}

/// Sizes from this one up also get a zero-copy ring.
const ZERO_COPY_FROM: usize = 64 << 10;

pub struct BenchIpc;

impl Lab for BenchIpc {
    const NAME: &'static str = "bench-ipc";
    type Params = Params;
    type Plan = IpcPlan;
    type Record = IpcRecord;

    fn validate(p: &Params, _: &Machine) -> Result<IpcPlan> {
        let transports = Choice::expand(&p.transports, &Transport::ALL, &Transport::ALL);
        if transports.contains(&Transport::Memcpy) {
            return Err(Error::param("transports", crate::i18n::t("ipc-memcpy-not-transport")));
        }
        let wakes = Choice::expand(&p.wakes, Wake::value_variants(), &Wake::ALL);
        if p.sizes.is_empty() {
            return Err(Error::param("sizes", crate::i18n::t("ipc-sizes-empty")));
        }
        for s in &p.sizes {
            SIZE.check(s.0).map_err(|e| {
                if s.0 > SIZE.max {
                    Error::param("sizes", crate::tr!("ipc-size-too-large", size = s, most = Size(SIZE.max)))
                } else {
                    e
                }
            })?;
        }
        let duration = seconds("duration", p.duration, false)?;
        if let Some(n) = p.messages {
            MESSAGES.check(n)?;
        }
        let allowed = process::allowed_cpus();
        if let Some(CpuPair(a, b)) = p.cpus {
            for cpu in [a, b] {
                if !allowed.contains(&(cpu as usize)) {
                    return Err(Error::param(
                        "cpus",
                        crate::tr!(
                            "ipc-cpu-not-allowed",
                            a = a,
                            b = b,
                            cpu = cpu,
                            allowed = allowed.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
            }
        }
        let no_spin = match p.cpus {
            Some(CpuPair(a, b)) if a == b => Some(crate::tr!("ipc-same-cpu", cpu = a)),
            _ if allowed.len() < 2 => Some(crate::tr!("ipc-one-cpu", n = allowed.len())),
            _ => None,
        }
        .map(|why| crate::tr!("ipc-no-spin", why = why));
        let modes = if p.modes.is_empty() { vec![IpcMode::Latency, IpcMode::Throughput] } else { p.modes.clone() };
        let mut points = Vec::new();
        for &mode in &modes {
            for size in &p.sizes {
                let size = size.0 as usize;
                for &transport in &transports {
                    let mailbox = mode == IpcMode::Latency;
                    let spec =
                        |wake, zero_copy| ChannelSpec { transport, wake, backend: p.backend, size, zero_copy, mailbox };
                    if transport == Transport::Shm {
                        for &wake in &wakes {
                            points.push((spec(wake, false), mode));
                            if size >= ZERO_COPY_FROM {
                                points.push((spec(wake, true), mode));
                            }
                        }
                    } else {
                        points.push((spec(Wake::Spin, false), mode));
                    }
                }
                if mode == IpcMode::Throughput {
                    let memcpy = ChannelSpec {
                        transport: Transport::Memcpy,
                        wake: Wake::Spin,
                        backend: p.backend,
                        size,
                        zero_copy: false,
                        mailbox: false,
                    };
                    points.push((memcpy, mode));
                }
            }
        }
        Ok(IpcPlan { points, duration, messages: p.messages, cpus: p.cpus, no_spin })
    }

    fn run(plan: &IpcPlan, events: &mut dyn Events) -> Result<Vec<IpcRecord>> {
        let mut records = Vec::new();
        for (spec, mode) in &plan.points {
            check_interrupt()?;
            let record = point(spec, *mode, plan)?;
            events.finished(&record.clone().into());
            records.push(record);
        }
        Ok(records)
    }
}

/// Words of the control page.
mod control {
    /// Messages from A (u64::MAX until A has sized the run).
    pub const TOTAL: usize = 0;
    /// The message after which B acknowledges the warm-up (throughput).
    pub const WARM_END: usize = 1;
    /// CPU + 1 of side A and side B at the end.
    pub const CPU: usize = 2;
    /// Messages that arrived corrupt (either side adds).
    pub const CORRUPT: usize = 4;
    /// Results from A: f64 bits of the median and p99 one-way ns, the batch,
    /// messages timed, and the timed ns of a stream.
    pub const MEDIAN: usize = 5;
    pub const P99: usize = 6;
    pub const BATCH: usize = 7;
    pub const TIMED: usize = 8;
    pub const ELAPSED_NS: usize = 9;
    /// System calls counted by side A and side B at the end, and when the
    /// timed part began (the difference is what the timed messages cost).
    pub const CALLS: usize = 10;
    pub const CALLS_AT_START: usize = 12;
}

fn blank(spec: &ChannelSpec, mode: IpcMode, plan: &IpcPlan) -> IpcRecord {
    IpcRecord {
        transport: spec.transport,
        wake: (spec.transport == Transport::Shm).then_some(spec.wake),
        zero_copy: spec.zero_copy,
        size: spec.size as u64,
        mode,
        messages: 0,
        one_way_ns: None,
        batch: None,
        msgs_per_s: None,
        bytes_per_s: None,
        syscalls_per_msg: None,
        cpus: [None, None],
        pinned: plan.cpus.is_some(),
        skipped: None,
    }
}

/// How long a point's sides may take before they are killed.
fn deadline(plan: &IpcPlan) -> Duration {
    Duration::from_secs(60) + plan.duration * 20
}

fn point(spec: &ChannelSpec, mode: IpcMode, plan: &IpcPlan) -> Result<IpcRecord> {
    let mut record = blank(spec, mode, plan);
    if spec.transport == Transport::Memcpy {
        return Ok(memcpy_ceiling(record, plan.duration));
    }
    if spec.transport == Transport::Shm
        && spec.wake == Wake::Spin
        && let Some(why) = &plan.no_spin
    {
        record.skipped = Some(why.clone());
        return Ok(record);
    }
    let channel = match Channel::open(spec) {
        Ok(c) => c,
        Err(e) if e.kind == Kind::Unavailable => {
            record.skipped = Some(e.message);
            return Ok(record);
        }
        Err(e) => return Err(e),
    };
    let page = Mapping::shared_anonymous(4096, MapOptions::default())
        .map_err(|e| Error::sys("mmap", &crate::i18n::t("ipc-control-page"), e, ""))?;
    let words = page.words();
    words[control::TOTAL].store(u64::MAX, Ordering::SeqCst);
    words[control::WARM_END].store(u64::MAX, Ordering::SeqCst);
    let mut children = Children::new();
    let cpus = plan.cpus.map(|CpuPair(a, b)| (a as usize, b as usize));
    let (duration, messages) = (plan.duration, plan.messages);
    children.spawn(|| {
        side(&channel, &page, Side::A, cpus.map(|c| c.0), |ep, w| match mode {
            IpcMode::Latency => ping(ep, w, duration, messages),
            IpcMode::Throughput => stream(ep, w, duration, messages),
        })
        .into()
    })?;
    children.spawn(|| {
        side(&channel, &page, Side::B, cpus.map(|c| c.1), |ep, w| match mode {
            IpcMode::Latency => pong(ep, w),
            IpcMode::Throughput => sink(ep, w),
        })
        .into()
    })?;
    let reaped = children.wait_all_or_first_failure(deadline(plan))?;
    let label = describe(spec, mode);
    if let Some(ended) = reaped.failed.first() {
        let error = Error::failed(crate::tr!("ipc-side-ended", label = &label, ended = ended));
        return Err(match ended {
            Ended::Reported(ChildStatus::CallFailed(errno)) => error.with_errno(*errno),
            _ => error,
        });
    }
    if reaped.timed_out > 0 {
        return Err(Error::failed(crate::tr!(
            "ipc-not-finished",
            label = &label,
            within = super::wait::words(deadline(plan)),
            messages = crate::error::Param("messages"),
            duration = crate::error::Param("duration")
        )));
    }
    let corrupt = words[control::CORRUPT].load(Ordering::SeqCst);
    if corrupt > 0 {
        return Err(Error::failed(crate::tr!("ipc-corrupt", label = &label, corrupt = corrupt)));
    }
    let timed = words[control::TIMED].load(Ordering::SeqCst);
    let f = |i: usize| f64::from_bits(words[i].load(Ordering::SeqCst));
    record.messages = timed;
    record.cpus = [0, 1].map(|i| words[control::CPU + i].load(Ordering::SeqCst).checked_sub(1).map(|c| c as u32));
    match mode {
        IpcMode::Latency => {
            record.one_way_ns = Some(Spread { median: f(control::MEDIAN), p99: f(control::P99) });
            record.batch = Some(words[control::BATCH].load(Ordering::SeqCst));
        }
        IpcMode::Throughput => {
            let seconds = words[control::ELAPSED_NS].load(Ordering::SeqCst) as f64 / 1e9;
            let rate = timed as f64 / seconds.max(1e-9);
            record.msgs_per_s = Some(rate);
            record.bytes_per_s = Some(rate * spec.size as f64);
        }
    }
    let counted = |i: usize| {
        words[control::CALLS + i]
            .load(Ordering::SeqCst)
            .saturating_sub(words[control::CALLS_AT_START + i].load(Ordering::SeqCst))
    };
    record.syscalls_per_msg = Some(match spec.transport {
        // Counted by the endpoints: the ring's wake-ups, a stream's reads and writes.
        Transport::Shm | Transport::Pipe | Transport::Fifo | Transport::UnixStream | Transport::Tcp => {
            (counted(0) + counted(1)) as f64 / timed.max(1) as f64
        }
        // One send and one receive per whole message, by design.
        _ => 2.0,
    });
    Ok(record)
}

/// `pipe 64 B latency`, `shm/futex zero-copy 1 MiB throughput`.
pub fn describe(spec: &ChannelSpec, mode: IpcMode) -> String {
    let how = match spec.transport {
        Transport::Shm => format!("shm/{}{}", spec.wake, if spec.zero_copy { " 0-copy" } else { "" }),
        other => other.to_string(),
    };
    let mode = crate::i18n::t(match mode {
        IpcMode::Latency => "ipc-mode-latency",
        IpcMode::Throughput => "ipc-mode-throughput",
    });
    format!("{how} {} {mode}", crate::size::human(spec.size as u64))
}

/// One side's body: pin, take the endpoint, run, record the CPU and the
/// system calls counted.
fn side(
    channel: &Channel,
    page: &Mapping,
    which: Side,
    cpu: Option<usize>,
    body: impl FnOnce(&mut dyn Endpoint, &[AtomicU64]) -> std::result::Result<(), Errno>,
) -> std::result::Result<(), Errno> {
    if let Some(cpu) = cpu {
        process::pin_to_cpu(cpu)?;
    }
    let words = page.words();
    let mut endpoint = channel.endpoint(which)?;
    body(endpoint.as_mut(), words)?;
    let i = if which == Side::A { 0 } else { 1 };
    if let Some(cpu) = process::current_cpu() {
        words[control::CPU + i].store(cpu as u64 + 1, Ordering::SeqCst);
    }
    words[control::CALLS + i].store(endpoint.system_calls().unwrap_or(0), Ordering::SeqCst);
    Ok(())
}

fn note_corrupt(words: &[AtomicU64], intact: bool) {
    if !intact {
        words[control::CORRUPT].fetch_add(1, Ordering::SeqCst);
    }
}

/// Round trips of the warm-up, at most.
const WARM_UP: u64 = 2000;
/// A timed batch of round trips lasts at least this long.
const BATCH_NS: f64 = 20_000.0;

/// Side A of the latency mode.
fn ping(
    ep: &mut dyn Endpoint,
    words: &[AtomicU64],
    duration: Duration,
    messages: Option<u64>,
) -> std::result::Result<(), Errno> {
    let mut seq = 0;
    let started = Instant::now();
    let warm_until = started + duration / 10;
    while seq < WARM_UP && (seq < 10 || Instant::now() < warm_until) {
        ep.send(seq)?;
        note_corrupt(words, ep.receive(seq)?);
        seq += 1;
    }
    let round_trip_ns = (started.elapsed().as_nanos() as f64 / seq as f64).max(1.0);
    let round_trips = match messages {
        Some(n) => n.div_ceil(2),
        None => ((duration.as_nanos() as f64 / round_trip_ns) as u64).clamp(20, 50_000_000),
    };
    let batch = ((BATCH_NS / round_trip_ns).ceil() as u64).clamp(1, 1000).min(round_trips);
    // At most a million timed batches (8 MB of samples in this child).
    let batches = (round_trips / batch).clamp(1, 1 << 20);
    words[control::TOTAL].store(seq + batches * batch, Ordering::SeqCst);
    words[control::CALLS_AT_START].store(ep.system_calls().unwrap_or(0), Ordering::SeqCst);
    let mut samples = Vec::with_capacity(batches as usize);
    for _ in 0..batches {
        let start = clock::monotonic_ns();
        for _ in 0..batch {
            ep.send(seq)?;
            note_corrupt(words, ep.receive(seq)?);
            seq += 1;
        }
        samples.push((clock::monotonic_ns() - start) as f64 / (2 * batch) as f64);
    }
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    words[control::MEDIAN].store(at(0.5).to_bits(), Ordering::SeqCst);
    words[control::P99].store(at(0.99).to_bits(), Ordering::SeqCst);
    words[control::BATCH].store(batch, Ordering::SeqCst);
    words[control::TIMED].store(2 * batches * batch, Ordering::SeqCst);
    Ok(())
}

/// Side B of the latency mode: answer every message with the same one.
fn pong(ep: &mut dyn Endpoint, words: &[AtomicU64]) -> std::result::Result<(), Errno> {
    let mut seq = 0;
    let mut timed = false;
    while seq < words[control::TOTAL].load(Ordering::SeqCst) {
        note_timing_start(ep, words, &mut timed);
        note_corrupt(words, ep.receive(seq)?);
        ep.send(seq)?;
        seq += 1;
    }
    Ok(())
}

/// On side B: once A has sized the run (TOTAL is set), the count of system
/// calls so far, so that only the timed messages' calls are reported.
fn note_timing_start(ep: &dyn Endpoint, words: &[AtomicU64], timed: &mut bool) {
    if !*timed && words[control::TOTAL].load(Ordering::SeqCst) != u64::MAX {
        *timed = true;
        words[control::CALLS_AT_START + 1].store(ep.system_calls().unwrap_or(0), Ordering::SeqCst);
    }
}

/// Side A of the throughput mode: a warm-up stream until B acknowledges
/// it, then the timed stream until B acknowledges its last message.
fn stream(
    ep: &mut dyn Endpoint,
    words: &[AtomicU64],
    duration: Duration,
    messages: Option<u64>,
) -> std::result::Result<(), Errno> {
    let started = Instant::now();
    let warm_until = started + duration / 10;
    let mut seq = 0;
    loop {
        let last = seq + 1 >= WARM_UP || (seq >= 10 && Instant::now() >= warm_until);
        if last {
            words[control::WARM_END].store(seq + 1, Ordering::SeqCst);
        }
        ep.send(seq)?;
        seq += 1;
        if last {
            break;
        }
    }
    note_corrupt(words, ep.receive(0)?);
    let per_message_ns = (started.elapsed().as_nanos() as f64 / seq as f64).max(1.0);
    let count = match messages {
        Some(n) => n,
        None => ((duration.as_nanos() as f64 / per_message_ns) as u64).clamp(20, 100_000_000),
    };
    words[control::TOTAL].store(seq + count, Ordering::SeqCst);
    words[control::CALLS_AT_START].store(ep.system_calls().unwrap_or(0), Ordering::SeqCst);
    let start = clock::monotonic_ns();
    for _ in 0..count {
        ep.send(seq)?;
        seq += 1;
    }
    note_corrupt(words, ep.receive(1)?);
    words[control::ELAPSED_NS].store(clock::monotonic_ns() - start, Ordering::SeqCst);
    words[control::TIMED].store(count, Ordering::SeqCst);
    Ok(())
}

/// Side B of the throughput mode: check every message, acknowledge the end
/// of the warm-up and the end of the stream.
fn sink(ep: &mut dyn Endpoint, words: &[AtomicU64]) -> std::result::Result<(), Errno> {
    let mut seq = 0;
    let mut acks = 0;
    let mut timed = false;
    while seq < words[control::TOTAL].load(Ordering::SeqCst) {
        note_timing_start(ep, words, &mut timed);
        note_corrupt(words, ep.receive(seq)?);
        seq += 1;
        if seq == words[control::WARM_END].load(Ordering::SeqCst) || seq == words[control::TOTAL].load(Ordering::SeqCst)
        {
            ep.send(acks)?;
            acks += 1;
        }
    }
    Ok(())
}

/// The copy ceiling: memcpy of `size` bytes within this process, as often
/// as fits in `duration`.
fn memcpy_ceiling(mut record: IpcRecord, duration: Duration) -> IpcRecord {
    let size = record.size as usize;
    let from = vec![0x5au8; size];
    let mut to = vec![0u8; size];
    let started = Instant::now();
    let mut copies = 0u64;
    while copies < 10 || started.elapsed() < duration {
        to.copy_from_slice(std::hint::black_box(&from));
        std::hint::black_box(&mut to);
        copies += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    record.messages = copies;
    record.msgs_per_s = Some(copies as f64 / seconds);
    record.bytes_per_s = Some(copies as f64 * size as f64 / seconds);
    record.cpus = [process::current_cpu().map(|c| c as u32), None];
    record.syscalls_per_msg = Some(0.0);
    record
}

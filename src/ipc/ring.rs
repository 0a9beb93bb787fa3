//! `shm`: a single-producer single-consumer ring in a shared mapping, one
//! per direction.
//!
//! Each slot starts with a header word, the number (plus one) of the
//! message it holds, and the message's words follow; a slot is 128-byte
//! aligned, so a small message and its header share the cache lines the
//! consumer pulls over when it sees the header change. The producer writes
//! the words, then the header (release); the consumer waits for the header
//! (acquire), reads, and advances its tail, which the producer only looks
//! at when the ring may be full. Waiting is the `--wake` choice: spin on
//! the header, sleep on it with FUTEX_WAIT, or block on an eventfd. A
//! sleeper first raises a "waiting" flag, so the other side makes a wake-up
//! call only when somebody sleeps.
//!
//! A ping-pong has one message in flight at a time, so the latency mode
//! (`mailbox`) passes both directions through one slot, as a request and
//! its reply do in a real protocol: the slot's cache line then moves
//! between the two CPUs once per message, as a C ping-pong on one word
//! does. Two rings, one per direction, would move two lines per round trip
//! plus the line of every new slot (measured on the 2-core VM: 130 ns one
//! way against 65 ns for one shared line).
//!
//! Words are read and written as relaxed atomics (plain moves on x86-64):
//! the other process writes the same memory, and atomics are what makes
//! that defined.

use std::sync::atomic::{AtomicU64, Ordering};

use super::{ChannelSpec, Endpoint, Side, Wake, pattern};
use crate::error::{Error, Result, SysContext};
use crate::region::{ChildView, Region, RegionRequest, XsiKey};
use crate::sys::eventfd::EventFd;
use crate::sys::{Errno, futex, process};

/// The bytes of one direction's slots: the ring a message must fit in.
pub const RING_BYTES: usize = 8 << 20;
/// The largest message: two slots must fit in the ring.
pub const MAX_MESSAGE: usize = RING_BYTES / 2;
/// Most slots a ring has (small messages).
const MAX_SLOTS: usize = 256;
/// A slot's alignment, in words (128 bytes: an adjacent cache-line pair).
const SLOT_ALIGN_WORDS: usize = 16;
/// Words of the control block of one direction: four cache lines.
const CONTROL_WORDS: usize = 32;
/// Spins before a waiting spinner gives its CPU away once (sched_yield).
const SPINS_BEFORE_YIELD: u32 = 1 << 16;
/// Spins before a waiting spinner starts to PAUSE between looks.
const SPINS_BEFORE_PAUSE: u32 = 1 << 12;

/// Word offsets within one direction's control block.
const TAIL: usize = 0;
const CONSUMER_WAITING: usize = 8;
const PRODUCER_WAITING: usize = 16;

/// The shape of both rings.
#[derive(Debug, Clone, Copy)]
struct Shape {
    /// Words of a message (its bytes rounded up to whole words).
    message_words: usize,
    /// Words from one slot to the next.
    stride: usize,
    slots: usize,
}

impl Shape {
    fn for_size(size: usize) -> Self {
        let message_words = size.div_ceil(8);
        let stride = (1 + message_words).div_ceil(SLOT_ALIGN_WORDS) * SLOT_ALIGN_WORDS;
        let slots = (RING_BYTES / 8 / stride).clamp(2, MAX_SLOTS);
        Self { message_words, stride, slots }
    }

    fn direction_words(&self) -> usize {
        CONTROL_WORDS + self.slots * self.stride
    }

    fn total_bytes(&self) -> usize {
        2 * self.direction_words() * 8
    }
}

/// Both rings in one region, and the eventfds if the wake is `eventfd`.
pub struct RingPair {
    region: Region,
    shape: Shape,
    wake: Wake,
    zero_copy: bool,
    mailbox: bool,
    /// Per direction: (data ready, space free).
    events: Option<[(EventFd, EventFd); 2]>,
}

impl RingPair {
    pub fn open(spec: &ChannelSpec) -> Result<Self> {
        if spec.size > MAX_MESSAGE {
            return Err(Error::param("sizes", crate::tr!("ipc-ring-too-large", size = spec.size, most = MAX_MESSAGE)));
        }
        let shape = Shape::for_size(spec.size);
        let region = Region::create(spec.backend, &RegionRequest::small(shape.total_bytes(), XsiKey::default()))?;
        let events = match spec.wake {
            Wake::Eventfd => {
                let new = || EventFd::new().sys("eventfd", || crate::i18n::t("ipc-ring-wakeup"), "");
                Some([(new()?, new()?), (new()?, new()?)])
            }
            _ => None,
        };
        Ok(Self { region, shape, wake: spec.wake, zero_copy: spec.zero_copy, mailbox: spec.mailbox, events })
    }

    pub fn endpoint(&self, side: Side) -> std::result::Result<RingEnd<'_>, Errno> {
        let view = self.region.open_in_child()?;
        let (out_dir, in_dir) = if side == Side::A { (0, 1) } else { (1, 0) };
        let events = |d: usize| self.events.as_ref().map(|e| (&e[d].0, &e[d].1));
        Ok(RingEnd {
            view,
            shape: self.shape,
            wake: self.wake,
            zero_copy: self.zero_copy,
            mailbox: self.mailbox,
            out_dir,
            in_dir,
            out_events: events(out_dir),
            in_events: events(in_dir),
            sent: 0,
            received: 0,
            cached_tail: 0,
            local: vec![0; self.shape.message_words],
            system_calls: 0,
            // A sleeper's flag and the index it sleeps on need one total
            // order (SeqCst); a spinner needs only release/acquire.
            publish: if self.wake == Wake::Spin { Ordering::Release } else { Ordering::SeqCst },
        })
    }
}

/// One side: producer on its out ring, consumer on its in ring.
pub struct RingEnd<'a> {
    view: ChildView<'a>,
    shape: Shape,
    wake: Wake,
    zero_copy: bool,
    /// One slot for both directions, strictly alternating (latency mode).
    mailbox: bool,
    out_dir: usize,
    in_dir: usize,
    out_events: Option<(&'a EventFd, &'a EventFd)>,
    in_events: Option<(&'a EventFd, &'a EventFd)>,
    /// Messages produced on the out ring and consumed from the in ring.
    sent: u64,
    received: u64,
    /// The out ring's consumer tail as last read.
    cached_tail: u64,
    /// The message outside shared memory (copy mode).
    local: Vec<u64>,
    system_calls: u64,
    /// The ordering of the stores that publish a message or free a slot.
    publish: Ordering,
}

impl RingEnd<'_> {
    fn base(&self, dir: usize) -> usize {
        dir * self.shape.direction_words()
    }

    fn slot(&self, dir: usize, n: u64) -> usize {
        if self.mailbox {
            return CONTROL_WORDS;
        }
        self.base(dir) + CONTROL_WORDS + (n as usize % self.shape.slots) * self.shape.stride
    }

    /// The number of the next message this side sends or receives: in a
    /// mailbox one count for both directions, else one per ring.
    fn next(&self, sending: bool) -> u64 {
        match (self.mailbox, sending) {
            (true, _) => self.sent + self.received,
            (false, true) => self.sent,
            (false, false) => self.received,
        }
    }

    /// Waits until `ready()` holds, by the wake strategy; `word` is what a
    /// futex sleeps on, `waiting` the flag a sleeper raises, `event` the
    /// eventfd a sleeper blocks on.
    fn wait(
        wake: Wake,
        words: &[AtomicU64],
        word: usize,
        waiting: usize,
        event: Option<&EventFd>,
        calls: &mut u64,
        ready: impl Fn(&[AtomicU64]) -> bool,
    ) -> std::result::Result<(), Errno> {
        let mut spins = 0u32;
        while !ready(words) {
            match wake {
                Wake::Spin => {
                    // No PAUSE at first: it costs up to ~140 cycles on recent
                    // x86 (and can exit a VM to its hypervisor), which is
                    // most of a cache-line transfer. Only a long wait pauses.
                    if spins > SPINS_BEFORE_PAUSE {
                        std::hint::spin_loop();
                    }
                    spins += 1;
                    if spins == SPINS_BEFORE_YIELD {
                        spins = 0;
                        process::yield_now();
                        *calls += 1;
                    }
                }
                Wake::Futex | Wake::Eventfd => {
                    let seen = words[word].load(Ordering::SeqCst);
                    words[waiting].store(1, Ordering::SeqCst);
                    // The flag must be visible before the re-check reads the
                    // index (the other side stores the index, then reads the
                    // flag): a full fence, whatever ordering `ready` loads with.
                    std::sync::atomic::fence(Ordering::SeqCst);
                    if !ready(words) {
                        *calls += 1;
                        match event {
                            Some(e) => {
                                e.wait()?;
                            }
                            None => futex::wait(&words[word], seen as u32)?,
                        }
                    }
                    words[waiting].store(0, Ordering::SeqCst);
                }
            }
        }
        Ok(())
    }

    /// Wakes the other side if it raised its `waiting` flag.
    fn notify(
        wake: Wake,
        words: &[AtomicU64],
        word: usize,
        waiting: usize,
        event: Option<&EventFd>,
        calls: &mut u64,
    ) -> std::result::Result<(), Errno> {
        if wake == Wake::Spin || words[waiting].load(Ordering::SeqCst) == 0 {
            return Ok(());
        }
        *calls += 1;
        match event {
            Some(e) => e.signal(1),
            None => futex::wake(&words[word]),
        }
    }
}

impl Endpoint for RingEnd<'_> {
    fn send(&mut self, seq: u64) -> std::result::Result<(), Errno> {
        let n = self.next(true);
        let control = self.base(self.out_dir);
        let slots = self.shape.slots as u64;
        let words = self.view.words();
        // In a mailbox the slot is free once the other side's message was received.
        if !self.mailbox && n - self.cached_tail >= slots {
            let (wake, space) = (self.wake, self.out_events.map(|e| e.1));
            Self::wait(wake, words, control + TAIL, control + PRODUCER_WAITING, space, &mut self.system_calls, |w| {
                n - w[control + TAIL].load(Ordering::Acquire) < slots
            })?;
            self.cached_tail = words[control + TAIL].load(Ordering::Acquire);
        }
        let slot = self.slot(self.out_dir, n);
        let data = &words[slot + 1..slot + 1 + self.shape.message_words];
        if self.zero_copy {
            for (i, w) in data.iter().enumerate() {
                w.store(pattern::word(seq, i), Ordering::Relaxed);
            }
        } else {
            for (i, w) in self.local.iter_mut().enumerate() {
                *w = pattern::word(seq, i);
            }
            for (w, v) in data.iter().zip(&self.local) {
                w.store(*v, Ordering::Relaxed);
            }
        }
        words[slot].store(n + 1, self.publish);
        self.sent += 1;
        let ready = self.out_events.map(|e| e.0);
        Self::notify(self.wake, words, slot, control + CONSUMER_WAITING, ready, &mut self.system_calls)
    }

    fn receive(&mut self, seq: u64) -> std::result::Result<bool, Errno> {
        let n = self.next(false);
        let control = self.base(self.in_dir);
        let slot = self.slot(self.in_dir, n);
        let words = self.view.words();
        let (wake, ready) = (self.wake, self.in_events.map(|e| e.0));
        Self::wait(wake, words, slot, control + CONSUMER_WAITING, ready, &mut self.system_calls, |w| {
            w[slot].load(Ordering::Acquire) == n + 1
        })?;
        let data = &words[slot + 1..slot + 1 + self.shape.message_words];
        let intact = if self.zero_copy {
            data.iter().enumerate().fold(true, |ok, (i, w)| ok & (w.load(Ordering::Relaxed) == pattern::word(seq, i)))
        } else {
            for (v, w) in self.local.iter_mut().zip(data) {
                *v = w.load(Ordering::Relaxed);
            }
            self.local.iter().enumerate().fold(true, |ok, (i, v)| ok & (*v == pattern::word(seq, i)))
        };
        self.received += 1;
        if self.mailbox {
            return Ok(intact);
        }
        words[control + TAIL].store(self.received, self.publish);
        let space = self.in_events.map(|e| e.1);
        Self::notify(self.wake, words, control + TAIL, control + PRODUCER_WAITING, space, &mut self.system_calls)?;
        Ok(intact)
    }

    fn system_calls(&self) -> Option<u64> {
        Some(self.system_calls)
    }
}

//! A mailbox between shmlab and a process it put in new namespaces.
//!
//! The point of the namespaces is that the process inside cannot be found
//! by the host's keys and names. But memory mapped `MAP_SHARED|MAP_ANONYMOUS`
//! before the fork is shared by both whatever namespaces either makes
//! afterwards (namespaces separate names, not pages), so that is how they
//! talk: one JSON message at a time, packed eight bytes to a word, with a
//! counter of messages posted and one of messages taken. The process inside
//! posts and waits until shmlab has taken it, so each message is also a
//! checkpoint at which shmlab looks at the host's side.

use std::sync::atomic::Ordering::SeqCst;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result, SysContext};
use crate::sys::mman::{MapOptions, Mapping};

const POSTED: usize = 0;
const TAKEN: usize = 1;
const LENGTH: usize = 2;
const HEADER_WORDS: usize = 4;
const BYTES: usize = 1 << 20;
/// How long the process inside waits for shmlab to take a message. shmlab
/// looks at once, and a shmlab that dies takes the process with it (the
/// parent-death signal), so this only bounds a shmlab that hangs; it is
/// longer than any step, since a namespace may wait while another runs.
const PATIENCE: Duration = Duration::from_secs(600);

pub struct Mailbox {
    page: Mapping,
}

impl Mailbox {
    pub fn new() -> Result<Self> {
        let page = Mapping::shared_anonymous(BYTES, MapOptions::default()).sys(
            "mmap",
            || crate::i18n::t("container-mailbox"),
            "",
        )?;
        Ok(Self { page })
    }

    /// Inside: posts `message` and waits until shmlab has taken it. `false`
    /// if the message does not fit or shmlab did not take it in time.
    pub fn post<T: Serialize>(&self, message: &T) -> bool {
        let Ok(bytes) = serde_json::to_vec(message) else { return false };
        let words = self.page.words();
        if bytes.len() > (words.len() - HEADER_WORDS) * 8 {
            return false;
        }
        for (i, chunk) in bytes.chunks(8).enumerate() {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            words[HEADER_WORDS + i].store(u64::from_le_bytes(word), SeqCst);
        }
        words[LENGTH].store(bytes.len() as u64, SeqCst);
        let number = words[POSTED].fetch_add(1, SeqCst) + 1;
        let taken = || words[TAKEN].load(SeqCst) >= number;
        super::super::wait::until(PATIENCE, Duration::from_micros(500), taken).unwrap_or(false)
    }

    /// Outside: the next message, once posted, and its number (for
    /// [`Mailbox::release`]). `Ok(None)` when `ended()` says the process
    /// inside is gone before it posted one.
    pub fn take<T: DeserializeOwned>(
        &self,
        limit: Duration,
        ended: &mut dyn FnMut() -> bool,
    ) -> Result<Option<(T, u64)>> {
        let words = self.page.words();
        let number = words[TAKEN].load(SeqCst) + 1;
        let mut gone = false;
        let posted = super::super::wait::until(limit, Duration::from_micros(500), || {
            words[POSTED].load(SeqCst) >= number || {
                gone = ended();
                gone
            }
        })?;
        // A message posted just before the end still counts.
        if words[POSTED].load(SeqCst) < number {
            if gone {
                return Ok(None);
            }
            if !posted {
                return Err(Error::failed(crate::tr!(
                    "container-sent-nothing",
                    limit = super::super::wait::words(limit)
                )));
            }
        }
        let length = (words[LENGTH].load(SeqCst) as usize).min((words.len() - HEADER_WORDS) * 8);
        let mut bytes = Vec::with_capacity(length);
        for word in &words[HEADER_WORDS..HEADER_WORDS + length.div_ceil(8)] {
            bytes.extend_from_slice(&word.load(SeqCst).to_le_bytes());
        }
        bytes.truncate(length);
        serde_json::from_slice(&bytes)
            .map(|message| Some((message, number)))
            .map_err(|e| Error::failed(crate::tr!("container-message-unreadable", error = e)))
    }

    /// Outside: lets the process inside go on past message `number` (and
    /// only that one: a later message is still there for the next take).
    pub fn release(&self, number: u64) {
        self.page.words()[TAKEN].store(number, SeqCst);
    }
}

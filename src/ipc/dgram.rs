//! `unix-dgram`: a socketpair of datagram sockets, one message per
//! `send`/`recv`, which the kernel keeps whole (or refuses: a datagram
//! larger than the socket's send buffer fails with EMSGSIZE).

use std::os::unix::net::UnixDatagram;

use super::{Endpoint, Side, pattern};
use crate::error::{Error, Result};
use crate::sys::{Errno, errno_of};

pub struct DgramPair {
    a: UnixDatagram,
    b: UnixDatagram,
    size: usize,
}

impl DgramPair {
    pub fn open(size: usize) -> Result<Self> {
        let (a, b) = UnixDatagram::pair().map_err(|e| {
            Error::sys("socketpair(AF_UNIX, SOCK_DGRAM)", &crate::i18n::t("ipc-channel"), errno_of(e), "")
        })?;
        // Probe the size once, so that a datagram too large for this
        // machine is refused up front instead of failing in a child.
        let probe = vec![0u8; size];
        match a.send(&probe) {
            Ok(_) => {
                let mut sink = vec![0u8; size];
                let _ = b.recv(&mut sink);
            }
            Err(e) => {
                return Err(Error::unavailable(crate::tr!(
                    "ipc-datagram-too-big",
                    size = size,
                    errno = crate::error::errno_text(errno_of(e))
                )));
            }
        }
        Ok(Self { a, b, size })
    }

    pub fn endpoint(&self, side: Side) -> DgramEnd<'_> {
        let socket = if side == Side::A { &self.a } else { &self.b };
        DgramEnd { socket, out: vec![0; self.size], into: vec![0; self.size + 1] }
    }
}

pub struct DgramEnd<'a> {
    socket: &'a UnixDatagram,
    out: Vec<u8>,
    into: Vec<u8>,
}

impl Endpoint for DgramEnd<'_> {
    fn send(&mut self, seq: u64) -> std::result::Result<(), Errno> {
        pattern::fill(&mut self.out, seq);
        self.socket.send(&self.out).map(drop).map_err(errno_of)
    }

    fn receive(&mut self, seq: u64) -> std::result::Result<bool, Errno> {
        let n = self.socket.recv(&mut self.into).map_err(errno_of)?;
        let size = self.out.len();
        Ok(n == size && pattern::check(&self.into[..size], seq))
    }
}

//! The byte-stream transports: `pipe`, `fifo`, `unix-stream`, `tcp`. Each
//! message is `size` bytes written with one `write` loop and read back with
//! `read` until all have come: two copies (into the kernel and out of it)
//! and at least two system calls per message.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;

use super::{Endpoint, Side, Transport, pattern};
use crate::error::{Error, Result};
use crate::sys::{Errno, errno_of};

/// Both directions: A writes to B over one, B to A over the other (for
/// sockets both are the same connection).
pub struct StreamPair {
    a: (File, File),
    b: (File, File),
    size: usize,
}

fn file(fd: impl Into<OwnedFd>) -> File {
    File::from(fd.into())
}

fn setup(what: &str, e: std::io::Error) -> Error {
    let errno = errno_of(e);
    Error::sys(what, &crate::i18n::t("ipc-channel"), errno, "")
}

impl StreamPair {
    pub fn open(transport: Transport, size: usize) -> Result<Self> {
        let (a, b) = match transport {
            Transport::Pipe => {
                let (ab_read, ab_write) = std::io::pipe().map_err(|e| setup("pipe", e))?;
                let (ba_read, ba_write) = std::io::pipe().map_err(|e| setup("pipe", e))?;
                ((file(ba_read), file(ab_write)), (file(ab_read), file(ba_write)))
            }
            Transport::Fifo => fifos()?,
            Transport::UnixStream => {
                let (sa, sb) = std::os::unix::net::UnixStream::pair().map_err(|e| setup("socketpair", e))?;
                let (sa2, sb2) = (sa.try_clone(), sb.try_clone());
                let (sa2, sb2) = (sa2.map_err(|e| setup("dup", e))?, sb2.map_err(|e| setup("dup", e))?);
                ((file(sa), file(sa2)), (file(sb), file(sb2)))
            }
            Transport::Tcp => {
                let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).map_err(|e| setup("bind", e))?;
                let address = listener.local_addr().map_err(|e| setup("getsockname", e))?;
                let sa = std::net::TcpStream::connect(address).map_err(|e| setup("connect", e))?;
                let (sb, _) = listener.accept().map_err(|e| setup("accept", e))?;
                for s in [&sa, &sb] {
                    s.set_nodelay(true).map_err(|e| setup("setsockopt(TCP_NODELAY)", e))?;
                }
                let (sa2, sb2) =
                    (sa.try_clone().map_err(|e| setup("dup", e))?, sb.try_clone().map_err(|e| setup("dup", e))?);
                ((file(sa), file(sa2)), (file(sb), file(sb2)))
            }
            other => return Err(Error::usage(crate::tr!("ipc-not-a-stream", transport = other))),
        };
        Ok(Self { a, b, size })
    }

    pub fn endpoint(&self, side: Side) -> std::result::Result<StreamEnd<'_>, Errno> {
        let (read, write) = match side {
            Side::A => (&self.a.0, &self.a.1),
            Side::B => (&self.b.0, &self.b.1),
        };
        Ok(StreamEnd { read, write, out: vec![0; self.size], into: vec![0; self.size], calls: 0 })
    }
}

/// Two FIFOs in a private directory, each opened for reading and writing
/// (on Linux an O_RDWR open of a FIFO never blocks), then removed with
/// their directory: the open descriptors are all that is left.
fn fifos() -> Result<((File, File), (File, File))> {
    let dir = crate::region::file::private_dir()?;
    let open = |name: &str| -> Result<File> {
        let path = dir.path().join(name);
        crate::sys::fs::make_fifo(&path).map_err(|e| Error::sys("mkfifo", &path.display().to_string(), e, ""))?;
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| Error::sys("open", &path.display().to_string(), errno_of(e), ""))
    };
    let ab = open("a-to-b")?;
    let ba = open("b-to-a")?;
    let (ab2, ba2) = (ab.try_clone().map_err(|e| setup("dup", e))?, ba.try_clone().map_err(|e| setup("dup", e))?);
    drop(dir);
    Ok(((ba, ab), (ab2, ba2)))
}

/// One side: it reads from one descriptor and writes to the other.
pub struct StreamEnd<'a> {
    read: &'a File,
    write: &'a File,
    out: Vec<u8>,
    into: Vec<u8>,
    /// `write` and `read` calls made (a large message takes several).
    calls: u64,
}

impl Endpoint for StreamEnd<'_> {
    fn send(&mut self, seq: u64) -> std::result::Result<(), Errno> {
        pattern::fill(&mut self.out, seq);
        let mut write = self.write;
        let mut done = 0;
        while done < self.out.len() {
            self.calls += 1;
            match write.write(&self.out[done..]) {
                Ok(0) => return Err(Errno::EPIPE),
                Ok(n) => done += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(errno_of(e)),
            }
        }
        Ok(())
    }

    fn receive(&mut self, seq: u64) -> std::result::Result<bool, Errno> {
        let mut read = self.read;
        let mut done = 0;
        while done < self.into.len() {
            self.calls += 1;
            match read.read(&mut self.into[done..]) {
                Ok(0) => return Err(Errno::EPIPE),
                Ok(n) => done += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(errno_of(e)),
            }
        }
        Ok(pattern::check(&self.into, seq))
    }

    fn system_calls(&self) -> Option<u64> {
        Some(self.calls)
    }
}

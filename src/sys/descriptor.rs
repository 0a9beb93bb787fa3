//! What a POSIX shared-memory descriptor is to the rest of the kernel: a
//! file descriptor of a tmpfs file. `fstat`, `fchmod`, readiness (`poll`,
//! `select`, `epoll`), passing it to another process (`SCM_RIGHTS`), and
//! memfd seals. The posix lab shows each on a real descriptor.

use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use nix::sys::socket::{ControlMessage, ControlMessageOwned, MsgFlags};

use super::Errno;

/// What `fstat` says about a descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileFacts {
    pub size: u64,
    pub device: u64,
    /// Permission bits.
    pub mode: u32,
    pub inode: u64,
    /// 512-byte blocks allocated: the memory the file really holds.
    pub blocks: u64,
}

/// `fstat(fd)`.
pub fn facts(fd: BorrowedFd<'_>) -> Result<FileFacts, Errno> {
    let st = nix::sys::stat::fstat(fd)?;
    Ok(FileFacts {
        size: st.st_size as u64,
        device: st.st_dev,
        mode: st.st_mode & 0o7777,
        inode: st.st_ino,
        blocks: st.st_blocks as u64,
    })
}

/// `fchmod(fd, mode)`.
pub fn change_mode(fd: BorrowedFd<'_>, mode: u32) -> Result<(), Errno> {
    nix::sys::stat::fchmod(fd, nix::sys::stat::Mode::from_bits_truncate(mode as libc::mode_t))
}

/// What `poll(fd, POLLIN|POLLOUT, 0)` reports at once: (readable, writable).
pub fn poll_now(fd: BorrowedFd<'_>) -> Result<(bool, bool), Errno> {
    use nix::poll::{PollFd, PollFlags, PollTimeout};
    let mut fds = [PollFd::new(fd, PollFlags::POLLIN | PollFlags::POLLOUT)];
    nix::poll::poll(&mut fds, PollTimeout::ZERO)?;
    let revents = fds[0].revents().unwrap_or(PollFlags::empty());
    Ok((revents.contains(PollFlags::POLLIN), revents.contains(PollFlags::POLLOUT)))
}

/// What `select` with a zero timeout reports: (readable, writable).
pub fn select_now(fd: BorrowedFd<'_>) -> Result<(bool, bool), Errno> {
    use nix::sys::select::FdSet;
    use nix::sys::time::{TimeVal, TimeValLike};
    let mut read = FdSet::new();
    let mut write = FdSet::new();
    read.insert(fd);
    write.insert(fd);
    let mut zero = TimeVal::zero();
    nix::sys::select::select(None, &mut read, &mut write, None, &mut zero)?;
    Ok((read.contains(fd), write.contains(fd)))
}

/// An epoll instance, closed when it drops.
pub struct Epoll(nix::sys::epoll::Epoll);

impl Epoll {
    pub fn new() -> Result<Self, Errno> {
        nix::sys::epoll::Epoll::new(nix::sys::epoll::EpollCreateFlags::EPOLL_CLOEXEC).map(Self)
    }

    /// `epoll_ctl(EPOLL_CTL_ADD, fd, EPOLLIN)`.
    pub fn watch(&self, fd: BorrowedFd<'_>) -> Result<(), Errno> {
        use nix::sys::epoll::{EpollEvent, EpollFlags};
        self.0.add(fd, EpollEvent::new(EpollFlags::EPOLLIN, fd.as_raw_fd() as u64))
    }

    /// `epoll_wait` for up to `timeout_ms`: whether a watched descriptor became ready.
    pub fn wait(&self, timeout_ms: u16) -> Result<bool, Errno> {
        let mut events = [nix::sys::epoll::EpollEvent::empty()];
        loop {
            match self.0.wait(&mut events, timeout_ms) {
                Ok(n) => return Ok(n > 0),
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

/// Sends `fd` over the UNIX socket `socket` (`sendmsg` with SCM_RIGHTS and
/// one byte of data, since a control message needs some).
pub fn send_descriptor(socket: BorrowedFd<'_>, fd: BorrowedFd<'_>) -> Result<(), Errno> {
    let fds = [fd.as_raw_fd()];
    let message = [ControlMessage::ScmRights(&fds)];
    nix::sys::socket::sendmsg::<()>(socket.as_raw_fd(), &[IoSlice::new(b"F")], &message, MsgFlags::empty(), None)
        .map(drop)
}

/// Receives one descriptor sent with [`send_descriptor`].
pub fn receive_descriptor(socket: BorrowedFd<'_>) -> Result<OwnedFd, Errno> {
    let mut byte = [0u8; 1];
    let mut iov = [IoSliceMut::new(&mut byte)];
    let mut space = nix::cmsg_space!([std::os::fd::RawFd; 1]);
    let msg =
        nix::sys::socket::recvmsg::<()>(socket.as_raw_fd(), &mut iov, Some(&mut space), MsgFlags::MSG_CMSG_CLOEXEC)?;
    let mut received = Vec::new();
    for cmsg in msg.cmsgs()? {
        if let ControlMessageOwned::ScmRights(fds) = cmsg {
            for raw in fds {
                // SAFETY: the kernel has just installed this descriptor in
                // our table for this message; nothing else knows of it or
                // owns it. Every one is wrapped, so extras are closed.
                received.push(unsafe { OwnedFd::from_raw_fd(raw) });
            }
        }
    }
    received.into_iter().next().ok_or(Errno::EBADMSG)
}

/// The seals a memfd can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Seals {
    pub shrink: bool,
    pub grow: bool,
    pub write: bool,
    pub seal: bool,
}

impl Seals {
    fn flags(self) -> nix::fcntl::SealFlag {
        use nix::fcntl::SealFlag;
        let mut f = SealFlag::empty();
        f.set(SealFlag::F_SEAL_SHRINK, self.shrink);
        f.set(SealFlag::F_SEAL_GROW, self.grow);
        f.set(SealFlag::F_SEAL_WRITE, self.write);
        f.set(SealFlag::F_SEAL_SEAL, self.seal);
        f
    }

    /// `F_SEAL_SHRINK|F_SEAL_GROW|F_SEAL_WRITE` as C writes it.
    pub fn describe(self) -> String {
        let names = [
            (self.shrink, "F_SEAL_SHRINK"),
            (self.grow, "F_SEAL_GROW"),
            (self.write, "F_SEAL_WRITE"),
            (self.seal, "F_SEAL_SEAL"),
        ];
        let set: Vec<&str> = names.iter().filter(|(on, _)| *on).map(|(_, n)| *n).collect();
        if set.is_empty() { "none".into() } else { set.join("|") }
    }
}

/// `memfd_create(name, MFD_CLOEXEC|MFD_ALLOW_SEALING)`.
pub fn sealable_memfd(name: &str) -> Result<OwnedFd, Errno> {
    use nix::sys::memfd::MFdFlags;
    nix::sys::memfd::memfd_create(name, MFdFlags::MFD_CLOEXEC | MFdFlags::MFD_ALLOW_SEALING)
}

/// `fcntl(fd, F_ADD_SEALS, seals)`.
pub fn add_seals(fd: BorrowedFd<'_>, seals: Seals) -> Result<(), Errno> {
    nix::fcntl::fcntl(fd, nix::fcntl::FcntlArg::F_ADD_SEALS(seals.flags())).map(drop)
}

/// `fcntl(fd, F_GET_SEALS)`.
pub fn seals(fd: BorrowedFd<'_>) -> Result<Seals, Errno> {
    use nix::fcntl::SealFlag;
    let bits = SealFlag::from_bits_truncate(nix::fcntl::fcntl(fd, nix::fcntl::FcntlArg::F_GET_SEALS)?);
    Ok(Seals {
        shrink: bits.contains(SealFlag::F_SEAL_SHRINK),
        grow: bits.contains(SealFlag::F_SEAL_GROW),
        write: bits.contains(SealFlag::F_SEAL_WRITE),
        seal: bits.contains(SealFlag::F_SEAL_SEAL),
    })
}

/// `write` of all of `bytes` at the current offset.
pub fn write_all(fd: impl AsFd, bytes: &[u8]) -> Result<(), Errno> {
    let mut done = 0;
    while done < bytes.len() {
        match nix::unistd::write(fd.as_fd(), &bytes[done..]) {
            Ok(n) => done += n,
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

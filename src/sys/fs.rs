//! File-system facts `std` does not offer.

use std::path::Path;

use nix::errno::Errno;

/// Free and total bytes of the file system holding `path` (`statvfs`).
pub fn space(path: &Path) -> Result<(u64, u64), Errno> {
    let st = nix::sys::statvfs::statvfs(path)?;
    let block = st.fragment_size();
    Ok((st.blocks_available() * block, st.blocks() * block))
}

/// Writes `bytes` to `path`, mode 0600, refusing to follow a symlink there
/// (O_NOFOLLOW): for files in a directory others might have prepared.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)?;
    file.write_all(bytes)
}

//! File-system facts `std` does not offer.

use std::path::Path;

use nix::errno::Errno;

/// Free and total bytes of the file system holding `path` (`statvfs`).
pub fn space(path: &Path) -> Result<(u64, u64), Errno> {
    let st = nix::sys::statvfs::statvfs(path)?;
    let block = st.fragment_size();
    Ok((st.blocks_available() * block, st.blocks() * block))
}

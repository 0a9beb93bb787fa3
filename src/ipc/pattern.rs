//! The bytes of message number `seq`: 64-bit words that differ in every
//! message and at every offset, cheap to make and to check, so that a
//! receiver can check every byte at memory speed.

const SEQ_MIX: u64 = 0x9E37_79B9_7F4A_7C15;
const OFFSET_MIX: u64 = 0xD1B5_4A32_D192_ED03;

/// Word `i` of message `seq`.
#[inline(always)]
pub fn word(seq: u64, i: usize) -> u64 {
    (seq.wrapping_add(1)).wrapping_mul(SEQ_MIX) ^ (i as u64).wrapping_mul(OFFSET_MIX)
}

/// Fills `buf` with message `seq` (a last partial word is cut).
pub fn fill(buf: &mut [u8], seq: u64) {
    let mut chunks = buf.chunks_exact_mut(8);
    for (i, chunk) in chunks.by_ref().enumerate() {
        chunk.copy_from_slice(&word(seq, i).to_ne_bytes());
    }
    let whole = buf.len() / 8;
    let rest = &mut buf[whole * 8..];
    let last = word(seq, whole).to_ne_bytes();
    rest.copy_from_slice(&last[..rest.len()]);
}

/// Whether `buf` is exactly message `seq`.
pub fn check(buf: &[u8], seq: u64) -> bool {
    let mut chunks = buf.chunks_exact(8);
    let mut ok = true;
    for (i, chunk) in chunks.by_ref().enumerate() {
        ok &= u64::from_ne_bytes(chunk.try_into().unwrap_or([0; 8])) == word(seq, i);
    }
    let whole = buf.len() / 8;
    let rest = chunks.remainder();
    ok && rest == &word(seq, whole).to_ne_bytes()[..rest.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_checks_as_itself_and_no_other() {
        for size in [1, 7, 8, 64, 100, 4096] {
            let mut buf = vec![0u8; size];
            fill(&mut buf, 41);
            assert!(check(&buf, 41), "{size}");
            assert!(!check(&buf, 42), "{size}");
            let last = buf.len() - 1;
            buf[last] ^= 1;
            assert!(!check(&buf, 41), "a flipped last byte is seen ({size})");
        }
    }
}

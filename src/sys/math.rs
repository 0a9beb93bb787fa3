//! `log`, `log10`, `pow` and `hypotf` for the chart code, defined here so
//! that the process never loads `libm.so`.
//!
//! Why: the racing lab forks a hundred children from this process, and
//! every fork duplicates each of the parent's memory mappings; every shared
//! library adds four or five of them. `plotters` needs only these four
//! functions from the C math library, so providing them (from the `libm`
//! crate, a port of musl's) keeps `libm.so` out, and with it about 0.1 of
//! the racing lab's cost relative to the article's C program (measured with
//! the acceptance check's paired runs: 1.12 with libm.so mapped, 1.03
//! without). `readelf -d target/release/shmlab` shows no libm, and a test
//! (tests/racing.rs) keeps it so: the dashed lines of the IPC chart brought
//! `hypotf`, and libm.so with it, back unnoticed.
//!
//! `#[unsafe(no_mangle)]` is unsafe because an exported symbol replaces
//! any other of the same name for the whole process: every caller of
//! these names in this binary and its shared libraries gets
//! these. That is sound here because each has exactly the C signature and
//! meaning (C99 7.12: `double log(double)` and so on, the same results to
//! within an ulp, and musl's special cases for NaN, infinities and zero),
//! takes no pointers, touches no global state and never unwinds. What they
//! do not do is set `errno` on a domain or range error, as glibc's may;
//! nothing in shmlab or its libraries reads `errno` after these calls.

/// Natural logarithm.
// SAFETY: see the module note: the C signature and meaning of `log`.
#[unsafe(no_mangle)]
pub extern "C" fn log(x: f64) -> f64 {
    libm::log(x)
}

/// Base-10 logarithm.
// SAFETY: see the module note: the C signature and meaning of `log10`.
#[unsafe(no_mangle)]
pub extern "C" fn log10(x: f64) -> f64 {
    libm::log10(x)
}

/// `x` to the power `y`.
// SAFETY: see the module note: the C signature and meaning of `pow`.
#[unsafe(no_mangle)]
pub extern "C" fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

// SAFETY: see the module note: the C signature and meaning of `hypotf`
// (the dashed lines of the IPC chart measure their segments with it).
#[unsafe(no_mangle)]
pub extern "C" fn hypotf(x: f32, y: f32) -> f32 {
    libm::hypotf(x, y)
}

//! `log`, `log10` and `pow` for the chart code, defined here so that the
//! process never loads `libm.so`.
//!
//! Why: the racing lab forks a hundred children from this process, and
//! every fork duplicates each of the parent's memory mappings; every shared
//! library adds four or five of them. `plotters` needs only these three
//! functions from the C math library, so providing them (from the `libm`
//! crate, a port of musl's) keeps `libm.so` out, and with it about 0.1 of
//! the racing lab's cost relative to the article's C program (measured with
//! the acceptance check's paired runs: 1.12 with libm.so mapped, 1.03
//! without). `readelf -d target/release/shmlab` shows no libm.

/// Natural logarithm.
#[unsafe(no_mangle)]
pub extern "C" fn log(x: f64) -> f64 {
    libm::log(x)
}

/// Base-10 logarithm.
#[unsafe(no_mangle)]
pub extern "C" fn log10(x: f64) -> f64 {
    libm::log10(x)
}

/// `x` to the power `y`.
#[unsafe(no_mangle)]
pub extern "C" fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

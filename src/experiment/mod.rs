//! The experiments. Each takes validated options, runs against the real
//! kernel, and returns records (see `crate::report::model`).

pub mod children;
pub mod racing;

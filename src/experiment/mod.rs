//! The experiments. Each takes validated options, runs against the real
//! kernel, and returns records (see `crate::report::model`).

pub mod bench_locks;
pub mod bounds;
pub mod children;
pub mod compare_pages;
pub mod crash;
pub mod inspect;
pub mod layout;
pub mod lifecycle;
pub mod limits;
pub mod memory;
pub mod racing;

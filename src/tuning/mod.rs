//! Kernel settings changed for the length of a run, and put back after it:
//! a sysctl (`limits --demo`, shmem THP for `--compare-pages`) and the huge
//! page pool (`--reserve-hugepages`). Each change is recorded in the
//! registry before it is made, so that `shmlab clean` can undo it after a
//! kill; the guard undoes it on drop, on success, error and Ctrl-C alike.

pub mod hugepages;
pub mod setting;

pub use hugepages::{Reservation, reserve};
pub use setting::Override;

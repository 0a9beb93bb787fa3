//! Suites: experiments as data (`experiments/*.json`), run in one go, with
//! the article's claims judged against the records (`shmlab run`,
//! `shmlab reproduce`).

mod container;
pub mod runner;
pub mod spec;
mod tlb;
pub mod verdict;

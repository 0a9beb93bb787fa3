//! Plain-text tables for the terminal, and the readings printed under
//! them: one file per lab, sharing the helpers here.

mod bench;
mod crash;
mod inspect;
mod lifecycle;
mod limits;
mod memory;
mod racing;
mod verdicts;

pub use bench::bench_locks;
pub use crash::crash;
pub use inspect::inspect;
pub use lifecycle::lifecycle;
pub use limits::limits;
pub use memory::{compare_pages, memory};
pub use racing::{racing, racing_reading};
pub use verdicts::verdicts;

use tabled::builder::Builder;
use tabled::settings::Style;

fn render(builder: Builder) -> String {
    let mut table = builder.build();
    table.with(Style::sharp());
    table.to_string()
}

fn join<T: std::fmt::Display>(values: &[T]) -> String {
    values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" ")
}

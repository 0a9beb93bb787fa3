//! Results: one model (serde types) and exporters that turn it into bytes.
//!
//! Exporters do no I/O; the caller decides where the bytes go. This keeps
//! JSON, tables and (later) Markdown and charts consistent with each other,
//! because they all read the same records.

pub mod chart;
pub mod grid;
pub mod json;
pub mod markdown;
pub mod model;
pub mod plausible;
pub mod render;
pub mod table;
pub mod text;

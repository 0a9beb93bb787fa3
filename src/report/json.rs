//! JSON export: pretty, stable field order, a trailing newline.

use serde::Serialize;

/// The document as pretty JSON bytes.
pub fn to_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}").into_bytes());
    bytes.push(b'\n');
    bytes
}

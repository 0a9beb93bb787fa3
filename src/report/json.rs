//! JSON export: pretty, stable field order, a trailing newline. Bytes only;
//! the caller decides where they go.

use serde::Serialize;

use crate::error::{Error, Result};

/// The document as pretty JSON bytes.
pub fn to_bytes<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value)
        .map_err(|e| Error::failed(format!("cannot write the results as JSON: {e}")))?;
    bytes.push(b'\n');
    Ok(bytes)
}

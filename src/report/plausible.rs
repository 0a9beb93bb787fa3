//! Which numbers in a results document can be measurements at all.
//!
//! `results.json` is read back by `shmlab report`, and anyone can edit it.
//! JSON has no NaN or infinity, but it has `5e-324` (a subnormal) and
//! `1e308`: such values parse, then break arithmetic further down (a log
//! scale of 330 decades, a tick at infinity, a format precision out of
//! range). No time, rate or ratio shmlab records comes near them: the
//! reference run's smallest non-zero measurement is 0.009 ms and its
//! largest 22 557 ns. So every floating-point number must be 0 or have a
//! magnitude between [`SMALLEST`] and [`LARGEST`]; integers (counters, byte
//! sizes, `shmmax` near 2^64) are exact and are not checked here.

use serde_json::Value;

/// The smallest magnitude a recorded measurement may have (1 ns as ms is
/// 1e-6; nothing shmlab records is finer than that by a thousand).
pub const SMALLEST: f64 = 1e-9;
/// The largest magnitude (1e15 ns is eleven days; 1e15 ms, 31 700 years).
pub const LARGEST: f64 = 1e15;

/// A floating-point number that cannot be a measurement, and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Implausible {
    /// Where it is, as in `records[3].ns_per_op`.
    pub path: String,
    /// The number in exponent form (`5e-324`, `1e308`).
    pub number: String,
}

impl std::fmt::Display for Implausible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = crate::tr!(
            "report-not-plausible",
            path = self.path,
            number = self.number,
            smallest = format!("{SMALLEST:e}"),
            largest = format!("{LARGEST:e}")
        );
        f.write_str(&text)
    }
}

fn plausible(v: f64) -> bool {
    v == 0.0 || (v.is_finite() && (SMALLEST..=LARGEST).contains(&v.abs()))
}

/// The first floating-point number in the JSON text `bytes` (depth first,
/// in document order) that is not plausible, if any. The document is
/// walked as it is parsed and never built as a tree, so checking costs no
/// memory beyond the path (a tree of a large file is many times its size).
pub fn first_implausible(bytes: &[u8]) -> Result<Option<Implausible>, serde_json::Error> {
    use serde::de::DeserializeSeed;
    let mut path = String::new();
    let mut found = None;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    Walk { path: &mut path, found: &mut found }.deserialize(&mut de)?;
    de.end()?;
    Ok(found)
}

/// A visitor over any JSON value that remembers the first implausible float.
struct Walk<'a> {
    path: &'a mut String,
    found: &'a mut Option<Implausible>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        if self.found.is_none() && !plausible(v) {
            *self.found = Some(Implausible { path: self.path.clone(), number: format!("{v:e}") });
        }
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        for i in 0.. {
            let len = self.path.len();
            self.path.push_str(&format!("[{i}]"));
            let more = seq.next_element_seed(Walk { path: &mut *self.path, found: &mut *self.found })?;
            self.path.truncate(len);
            if more.is_none() {
                break;
            }
        }
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let len = self.path.len();
            push_key(self.path, &key);
            map.next_value_seed(Walk { path: &mut *self.path, found: &mut *self.found })?;
            self.path.truncate(len);
        }
        Ok(())
    }
}

/// `.key` for a plain key, `["odd key"]` (JSON-quoted, so one line) otherwise.
fn push_key(path: &mut String, key: &str) {
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        path.push('[');
        path.push_str(&Value::String(key.to_string()).to_string());
        path.push(']');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(json: &str) -> Option<String> {
        first_implausible(json.as_bytes()).unwrap().map(|i| i.to_string())
    }

    #[test]
    fn names_the_path_and_the_number() {
        let found = first(r#"{"records": [{"ns_per_op": 1.5}, {"ns_per_op": 5e-324}]}"#).unwrap();
        assert!(found.starts_with("records[1].ns_per_op = 5e-324 is not a plausible measurement"), "{found}");
        let found = first(r#"{"runs": [{"duration_ms": 1e308}]}"#).unwrap();
        assert!(found.starts_with("runs[0].duration_ms = 1e308 "), "{found}");
        assert!(found.contains("between 1e-9 and 1e15"), "{found}");
        let found = first(r#"{"a": {"odd\nkey": -1e16}}"#).unwrap();
        assert!(found.starts_with(r#"a["odd\nkey"] = -1e16"#), "{found}");
    }

    #[test]
    fn measurements_and_integers_pass() {
        assert_eq!(first(r#"{"a": [0.0, 0.009, 22556.7, 1e-9, 1e15, -3.5], "shmmax": 18446744073692774399}"#), None);
        assert_eq!(first(r#"{"s": "1e308", "b": true, "n": null, "i": -9223372036854775808}"#), None);
    }

    #[test]
    fn the_reference_run_is_plausible() {
        let reference = include_str!("../../results/reference/results.json");
        assert_eq!(first(reference), None);
    }
}

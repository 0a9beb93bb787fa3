//! The kinds of parameter labs share, each parsed the same way from the
//! command line (clap) and from a suite file (serde): a choice that may be
//! `all`, a size people write (`2046MiB`), a page size (`none`, `2M`,
//! `1G`), and the checks every lab makes of them. A lab's `Params` type is
//! built from these, so both front ends read one definition.

use std::time::Duration;

use clap::ValueEnum;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Param, Result};
pub use crate::kernel::hugepages::Huge;
use crate::region::XsiKey;

/// One value of a repeatable choice (`--backend xsi`), or `all` of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice<T> {
    All,
    One(T),
}

impl<T: Copy + PartialEq> Choice<T> {
    /// The chosen values in order, each once; `all` stands for `every`;
    /// nothing chosen means `default`.
    pub fn expand(choices: &[Choice<T>], every: &[T], default: &[T]) -> Vec<T> {
        let mut out = Vec::new();
        for choice in choices {
            let values: &[T] = match choice {
                Choice::All => every,
                Choice::One(v) => std::slice::from_ref(v),
            };
            for v in values {
                if !out.contains(v) {
                    out.push(*v);
                }
            }
        }
        if out.is_empty() {
            out.extend_from_slice(default);
        }
        out
    }
}

/// A clap parser for [`Choice`]: the names of `T` that `shown` lets through
/// are listed in `--help`, the others still parse (so that the lab can say
/// why it cannot take them), and `all` is offered last.
pub fn choice_parser<T>(shown: fn(&T) -> bool) -> impl TypedValueParser<Value = Choice<T>>
where
    T: ValueEnum + Clone + Send + Sync + 'static,
{
    let mut values: Vec<PossibleValue> =
        T::value_variants().iter().filter_map(|v| v.to_possible_value().map(|p| p.hide(!shown(v)))).collect();
    values.push(PossibleValue::new("all").help("every one of them"));
    PossibleValuesParser::new(values).map(|name| match T::from_str(&name, false) {
        Ok(v) => Choice::One(v),
        Err(_) => Choice::All,
    })
}

/// Any value is shown (for [`choice_parser`]).
pub fn any<T>(_: &T) -> bool {
    true
}

impl<T: Serialize> Serialize for Choice<T> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Choice::All => s.serialize_str("all"),
            Choice::One(v) => v.serialize(s),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Choice<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        if name == "all" {
            return Ok(Choice::All);
        }
        T::deserialize(serde::de::value::StrDeserializer::<D::Error>::new(&name)).map(Choice::One)
    }
}

/// A size as people write it: `2046MiB`, `2GiB`, `1G`, or bytes (see
/// `crate::size`). In a suite file a string or a number of bytes; in the
/// recorded parameters, bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Size(pub u64);

impl std::str::FromStr for Size {
    type Err = String;
    fn from_str(text: &str) -> std::result::Result<Self, String> {
        crate::size::parse(text).map(Size)
    }
}

impl std::fmt::Display for Size {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::size::human(self.0))
    }
}

impl Serialize for Size {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for Size {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Bytes(u64),
            Text(String),
        }
        match Form::deserialize(d)? {
            Form::Bytes(n) => Ok(Size(n)),
            Form::Text(t) => t.parse().map_err(serde::de::Error::custom),
        }
    }
}

/// A clap parser for [`Huge`] that lists its values in `--help`.
pub fn huge_parser() -> impl TypedValueParser<Value = Huge> {
    PossibleValuesParser::new(["none", "2M", "1G"]).map(|v| v.parse().unwrap_or_default())
}

/// The default file ftok takes the xsi key from (the article's).
pub const DEFAULT_KEY_PATH: &str = "/etc/passwd";
/// The article's ftok project id.
pub const DEFAULT_PROJ_ID: i32 = 1234;

pub fn default_key_path() -> std::path::PathBuf {
    DEFAULT_KEY_PATH.into()
}

pub fn default_proj_id() -> i32 {
    DEFAULT_PROJ_ID
}

/// The xsi key from `key_path` and `proj_id`, refused before anything runs
/// when ftok cannot make one.
pub fn xsi_key(path: &std::path::Path, proj_id: i32) -> Result<XsiKey> {
    if proj_id & 0xff == 0 {
        return Err(Error::param("proj_id", crate::tr!("memory-proj-id-zero", proj_id = proj_id)));
    }
    let key = XsiKey { path: path.to_path_buf(), proj_id };
    key.resolve()?;
    Ok(key)
}

/// A number of seconds for `param`: finite, more than 0 (or 0 when
/// `zero_ok`), at most 1e9.
pub fn seconds(param: &'static str, value: f64, zero_ok: bool) -> Result<Duration> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| (zero_ok || !d.is_zero()) && *d <= Duration::from_secs(1_000_000_000))
        .ok_or_else(|| {
            let least = crate::i18n::t(if zero_ok { "memory-seconds-least-zero" } else { "memory-seconds-least-ns" });
            Error::usage(crate::tr!("memory-seconds", param = Param(param), value = value, least = least))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::Backend;

    #[test]
    fn choices_read_the_same_from_a_file_and_expand_with_all() {
        let parsed: Vec<Choice<Backend>> = serde_json::from_str(r#"["xsi", "all", "mmap"]"#).unwrap();
        assert_eq!(parsed, vec![Choice::One(Backend::Xsi), Choice::All, Choice::One(Backend::Mmap)]);
        let every = [Backend::Mmap, Backend::Xsi, Backend::Posix];
        assert_eq!(
            Choice::expand(&parsed, &every, &[Backend::Mmap]),
            vec![Backend::Xsi, Backend::Mmap, Backend::Posix]
        );
        assert_eq!(Choice::expand(&[], &every, &[Backend::Mmap]), vec![Backend::Mmap]);
        assert!(serde_json::from_str::<Vec<Choice<Backend>>>(r#"["nonsense"]"#).is_err());
        assert_eq!(serde_json::to_string(&parsed).unwrap(), r#"["xsi","all","mmap"]"#);
    }

    #[test]
    fn sizes_and_page_sizes_read_as_people_write_them() {
        assert_eq!(serde_json::from_str::<Size>(r#""2046MiB""#).unwrap(), Size(2046 << 20));
        assert_eq!(serde_json::from_str::<Size>("4096").unwrap(), Size(4096));
        assert!(serde_json::from_str::<Size>(r#""lots""#).is_err());
        assert_eq!(serde_json::from_str::<Huge>("null").unwrap(), Huge(None));
        assert_eq!(
            serde_json::from_str::<Huge>(r#""2M""#).unwrap(),
            Huge(Some(crate::kernel::hugepages::HugePageSize::M2))
        );
        assert_eq!(serde_json::to_string(&Huge(None)).unwrap(), r#""none""#);
    }
}

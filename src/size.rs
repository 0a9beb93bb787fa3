//! Sizes as people write them: `2046MiB`, `2GiB`, `1G`, `4096`.
//!
//! K, M, G, T and KiB, MiB, GiB, TiB are all powers of 1024 (as `free -g`
//! and the kernel's page sizes are); KB, MB, GB, TB are powers of 1000.

/// Parses a size; the error says what was wrong and what is accepted.
pub fn parse(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let number: u64 = digits.parse().map_err(|_| crate::tr!("memory-size-not-a-size", text = format!("{text:?}")))?;
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        "t" | "tib" => 1 << 40,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        other => {
            return Err(crate::tr!(
                "memory-size-unknown-unit",
                text = format!("{text:?}"),
                unit = format!("{other:?}")
            ));
        }
    };
    number.checked_mul(multiplier).ok_or_else(|| crate::tr!("memory-size-too-large", text = format!("{text:?}")))
}

/// A size for people: `2046 MiB`, `3 GiB`, `4 KiB`, `512 B`, `15.5 GiB`.
/// A larger unit is used when the number is whole in it or at least 10 of it,
/// so the article's 2046 MiB stays 2046 MiB rather than becoming "2.0 GiB".
pub fn human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 && ((value / 1024.0).fract() == 0.0 || value >= 10240.0) {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 { format!("{value:.0} {}", UNITS[unit]) } else { format!("{value:.1} {}", UNITS[unit]) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_people_write() {
        assert_eq!(parse("2046MiB"), Ok(2046 << 20));
        assert_eq!(parse("2GiB"), Ok(2 << 30));
        assert_eq!(parse("1G"), Ok(1 << 30));
        assert_eq!(parse("4096"), Ok(4096));
        assert_eq!(parse("1gb"), Ok(1_000_000_000));
        assert!(parse("lots").is_err());
        assert!(parse("12XB").unwrap_err().contains("unknown unit"));
        assert!(parse("99999999999T").is_err());
    }

    #[test]
    fn prints_sizes_for_people() {
        assert_eq!(human(2046 << 20), "2046 MiB");
        assert_eq!(human(3 << 29), "1536 MiB");
        assert_eq!(human(3 << 30), "3 GiB");
        assert_eq!(human(31 << 29), "15.5 GiB");
        assert_eq!(human(512), "512 B");
    }
}

//! File sizes as people write them: `5MB`, `512 KiB`, `1048576`.
//!
//! The size limit appears on the command line (`--max-file-size 10MB`) and in `corral.toml`
//! (`max_file_size = "10MB"` or a plain number of bytes). Decimal and binary units are both
//! accepted and mean what they say (`1MB` = 1 000 000 bytes, `1MiB` = 1 048 576 bytes), so
//! the limit in a report is never a surprise.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};

/// A number of bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ByteSize(pub u64);

/// The text was not a size.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a size: write a number of bytes, optionally with a unit (KB, MB, GB, KiB, MiB, GiB), e.g. 5MB"
)]
pub struct InvalidByteSize(pub String);

impl FromStr for ByteSize {
    type Err = InvalidByteSize;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let split = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (digits, unit) = text.split_at(split);
        let number: u64 = digits.parse().map_err(|_| InvalidByteSize(s.into()))?;
        let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1,
            "k" | "kb" => 1_000,
            "m" | "mb" => 1_000_000,
            "g" | "gb" => 1_000_000_000,
            "kib" => 1 << 10,
            "mib" => 1 << 20,
            "gib" => 1 << 30,
            _ => return Err(InvalidByteSize(s.into())),
        };
        number
            .checked_mul(multiplier)
            .map(ByteSize)
            .ok_or_else(|| InvalidByteSize(s.into()))
    }
}

impl fmt::Display for ByteSize {
    /// Short human form: `812 B`, `4.2 KB`, `10.0 MB` (decimal units, like the limit flags).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = self.0;
        if bytes < 1_000 {
            return write!(f, "{bytes} B");
        }
        let units = [("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12)];
        let (unit, scale) = units
            .iter()
            .rev()
            .find(|(_, scale)| bytes as f64 >= *scale)
            .copied()
            .unwrap_or(units[0]);
        write!(f, "{:.1} {unit}", bytes as f64 / scale)
    }
}

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bytes(u64),
            Text(String),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Bytes(n) => Ok(ByteSize(n)),
            Raw::Text(text) => text.parse().map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_decimal_and_binary_units() {
        assert_eq!("1048576".parse(), Ok(ByteSize(1_048_576)));
        assert_eq!("5MB".parse(), Ok(ByteSize(5_000_000)));
        assert_eq!("5 mb".parse(), Ok(ByteSize(5_000_000)));
        assert_eq!("512KiB".parse(), Ok(ByteSize(512 * 1024)));
        assert_eq!("2GiB".parse(), Ok(ByteSize(2 << 30)));
    }

    #[test]
    fn sizes_reject_fractions_unknown_units_and_overflow() {
        for bad in [
            "",
            "MB",
            "1.5MB",
            "5 parsecs",
            "-1",
            "99999999999999999999GB",
        ] {
            let err = bad.parse::<ByteSize>().unwrap_err();
            assert!(err.to_string().contains("is not a size"), "{bad}: {err}");
        }
    }

    #[test]
    fn sizes_display_in_short_decimal_units() {
        assert_eq!(ByteSize(812).to_string(), "812 B");
        assert_eq!(ByteSize(4_200).to_string(), "4.2 KB");
        assert_eq!(ByteSize(10_000_000).to_string(), "10.0 MB");
    }
}

//! The `[scan]` section of `corral.toml`.
//!
//! Every key has a default, so a missing section (or file) means the built-in behaviour, and
//! unknown keys are refused so a typo such as `max_filesize` is reported instead of silently
//! ignored. Flags on `corral scan` override these values for one run.
//!
//! ```toml
//! [scan]
//! max_file_size = "5MB"       # larger files are skipped, with the reason in the report
//! fail_on = "low"             # critical | high | medium | low | info | none
//! exclude = ["vendor/", "*.min.js"]   # gitignore-style patterns, relative to each root
//! respect_gitignore = true    # false scans what .gitignore / .ignore / .corralignore hide
//! follow_symlinks = false
//! ```

use serde::Deserialize;

use crate::byte_size::ByteSize;
use crate::fail_on::FailOn;

/// The default size limit: larger files are almost never hand-written code or configuration.
pub const DEFAULT_MAX_FILE_SIZE: ByteSize = ByteSize(5_000_000);

/// The `[scan]` section.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScanConfig {
    /// Files larger than this are skipped and listed with the reason.
    pub max_file_size: ByteSize,
    /// The least severe finding that makes `corral scan` exit 1.
    pub fail_on: FailOn,
    /// Gitignore-style patterns of paths never to scan, relative to each scan root.
    pub exclude: Vec<String>,
    /// Honour `.gitignore`, `.ignore` and `.corralignore` files.
    pub respect_gitignore: bool,
    /// Follow symbolic links instead of listing them as skipped.
    pub follow_symlinks: bool,
}

impl Default for ScanConfig {
    fn default() -> Self {
        Self {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            fail_on: FailOn::default(),
            exclude: Vec::new(),
            respect_gitignore: true,
            follow_symlinks: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use corral_model::Severity;

    use super::*;

    #[test]
    fn an_empty_section_means_the_documented_defaults() {
        let config: ScanConfig = toml::from_str("").unwrap();
        assert_eq!(config, ScanConfig::default());
        assert_eq!(config.max_file_size, ByteSize(5_000_000));
        assert_eq!(config.fail_on, FailOn::AtOrAbove(Severity::Low));
        assert!(config.respect_gitignore);
        assert!(!config.follow_symlinks);
    }

    #[test]
    fn sizes_and_thresholds_are_read_as_people_write_them() {
        let config: ScanConfig = toml::from_str(
            "max_file_size = \"512KiB\"\nfail_on = \"none\"\nexclude = [\"vendor/\"]\n",
        )
        .unwrap();
        assert_eq!(config.max_file_size, ByteSize(512 * 1024));
        assert_eq!(config.fail_on, FailOn::Never);
        assert_eq!(config.exclude, ["vendor/"]);
        let config: ScanConfig = toml::from_str("max_file_size = 1000").unwrap();
        assert_eq!(config.max_file_size, ByteSize(1000));
    }

    #[test]
    fn typos_and_bad_values_are_named() {
        let err = toml::from_str::<ScanConfig>("max_filesize = 3").unwrap_err();
        assert!(err.to_string().contains("max_filesize"), "{err}");
        let err = toml::from_str::<ScanConfig>("fail_on = \"severe\"").unwrap_err();
        assert!(err.to_string().contains("severe"), "{err}");
        let err = toml::from_str::<ScanConfig>("max_file_size = \"big\"").unwrap_err();
        assert!(err.to_string().contains("big"), "{err}");
    }
}

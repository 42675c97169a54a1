//! Loading `corral.toml`.
//!
//! One file configures everything, in sections (`[policy]`, `[scan]`, `[deps]`, `[notify]`,
//! `[runner]`, `[gate]`, `[server]`, and `[asset]` for a repository's own descriptor). Each
//! capability crate owns the typed struct for its section, with a default for every key; this
//! module only finds the file and hands each command the section it asked for, so a typo in
//! one section is reported against that section's key.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::de::DeserializeOwned;

/// A parsed `corral.toml`, or an empty one when there is none.
#[derive(Debug, Default, Clone)]
pub struct ConfigFile {
    pub path: Option<PathBuf>,
    table: toml::Table,
}

impl ConfigFile {
    /// Reads `explicit` if given (it must exist), else `default_path` if it exists.
    pub fn load(explicit: Option<&Path>, default_path: &Path) -> Result<Self> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None if default_path.is_file() => default_path.to_path_buf(),
            None => return Ok(Self::default()),
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read configuration file {}", path.display()))?;
        Self::parse(&text, Some(path))
    }

    pub fn parse(text: &str, path: Option<PathBuf>) -> Result<Self> {
        let shown = path
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "configuration".into());
        let table: toml::Table =
            toml::from_str(text).with_context(|| format!("cannot parse {shown}"))?;
        Ok(Self { path, table })
    }

    /// The whole parsed file, for components that hand sections on (the scan driver gives
    /// each scanner the table so it can read its own section).
    pub fn table(&self) -> &toml::Table {
        &self.table
    }

    /// Deserialises section `name` into `T`, or `T::default()` when the section is absent.
    #[allow(dead_code)] // each command asks for its own section as it lands
    pub fn section<T: DeserializeOwned + Default>(&self, name: &str) -> Result<T> {
        match self.table.get(name) {
            None => Ok(T::default()),
            Some(value) => value.clone().try_into().with_context(|| {
                let file = self
                    .path
                    .as_deref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "configuration".into());
                format!("invalid [{name}] section in {file}")
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, serde::Deserialize, PartialEq)]
    #[serde(deny_unknown_fields, default)]
    struct Demo {
        limit: u32,
    }

    #[test]
    fn a_missing_section_gives_the_defaults() {
        let cfg = ConfigFile::parse("[other]\nx = 1\n", None).unwrap();
        assert_eq!(cfg.section::<Demo>("demo").unwrap(), Demo::default());
    }

    #[test]
    fn a_typo_in_a_section_names_the_section_and_the_key() {
        let cfg = ConfigFile::parse("[demo]\nlimt = 3\n", None).unwrap();
        let err = format!("{:#}", cfg.section::<Demo>("demo").unwrap_err());
        assert!(err.contains("[demo]"), "{err}");
        assert!(err.contains("limt"), "{err}");
    }

    #[test]
    fn an_explicit_file_that_does_not_exist_is_an_error() {
        let err = ConfigFile::load(Some(Path::new("/nonexistent/corral.toml")), Path::new("/x"))
            .unwrap_err();
        assert!(format!("{err:#}").contains("/nonexistent/corral.toml"));
    }
}

//! Loading `corral.toml`.
//!
//! One file configures everything, in sections (`[policy]`, `[scan]`, `[deps]`, `[notify]`,
//! `[runner]`, `[gate]`, `[server]`, and `[asset]` for a repository's own descriptor). Each
//! capability crate owns the typed struct for its section, with a default for every key; this
//! module only finds the file and hands each command the section it asked for, so a typo in
//! one section is reported against that section's key.
//!
//! Two things keep a setting from being silently lost. A top-level table Corral does not know
//! (a typo such as `[scna]`, or a table meant for another tool) is named by
//! [`ConfigFile::unknown_sections`] so commands can warn about it. And `corral scan --config`
//! also accepts a gitleaks rule file, recognised by its own tables
//! ([`ConfigFile::gitleaks_tables`]), because teams pass the file they already have to the
//! flag they already know.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::de::DeserializeOwned;

/// The top-level sections some part of Corral reads. A command or scanner that reads a new
/// section adds it here, or every user who writes it is warned that it is ignored.
pub const SECTIONS: &[&str] = &[
    "asset",
    "code",
    "deps",
    "gate",
    "heartbeat",
    "license",
    "notify",
    "policy",
    "runner",
    "scan",
    "scheduler",
    "secrets",
    "server",
];

/// The top-level tables that make a file a gitleaks rule file (none is a Corral section).
pub const GITLEAKS_TABLES: &[&str] = &["rules", "extend", "allowlist", "allowlists"];

/// A parsed `corral.toml`, or an empty one when there is none.
#[derive(Debug, Default, Clone)]
pub struct ConfigFile {
    pub path: Option<PathBuf>,
    /// The file's text as read, for handing a gitleaks rule file on unchanged.
    pub text: String,
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
        Ok(Self {
            path,
            text: text.to_string(),
            table,
        })
    }

    /// The file's gitleaks tables (`[[rules]]`, `[extend]`, `[allowlist]`, `[[allowlists]]`),
    /// sorted by name; non-empty means it is (or contains) a gitleaks rule file.
    pub fn gitleaks_tables(&self) -> Vec<&str> {
        self.top_level_keys(|k| GITLEAKS_TABLES.contains(&k))
    }

    /// The file's Corral sections, sorted by name.
    pub fn corral_sections(&self) -> Vec<&str> {
        self.top_level_keys(|k| SECTIONS.contains(&k))
    }

    /// Top-level keys that are neither a Corral section nor a gitleaks table: nothing reads
    /// them, so whatever the user meant by them has no effect. Sorted by name.
    pub fn unknown_sections(&self) -> Vec<&str> {
        self.top_level_keys(|k| !SECTIONS.contains(&k) && !GITLEAKS_TABLES.contains(&k))
    }

    /// The top-level keys that `keep` accepts, sorted by name.
    fn top_level_keys(&self, keep: impl Fn(&str) -> bool) -> Vec<&str> {
        let mut keys: Vec<&str> = self
            .table
            .keys()
            .map(String::as_str)
            .filter(|k| keep(k))
            .collect();
        keys.sort_unstable();
        keys
    }

    /// One warning per unknown top-level key, naming the key and the file, with the closest
    /// section name when it looks like a typo.
    pub fn unknown_section_warnings(&self) -> Vec<String> {
        let file = self.shown();
        self.unknown_sections()
            .into_iter()
            .map(|key| {
                let hint = match closest_section(key) {
                    Some(near) => format!("did you mean [{near}]?"),
                    None => format!("Corral's sections are {}", SECTIONS.join(", ")),
                };
                format!("{file}: `{key}` is not a Corral setting and is ignored; {hint}")
            })
            .collect()
    }

    fn shown(&self) -> String {
        self.path
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "configuration".into())
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
            Some(value) => value
                .clone()
                .try_into()
                .with_context(|| format!("invalid [{name}] section in {}", self.shown())),
        }
    }
}

/// The section whose name is one or two edits from `key` (`scna` → `scan`), if any.
fn closest_section(key: &str) -> Option<&'static str> {
    let key = key.to_ascii_lowercase();
    SECTIONS
        .iter()
        .map(|s| (edit_distance(&key, s), *s))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, s)| s)
}

/// Levenshtein distance over bytes (section names are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
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
    fn unknown_top_level_tables_are_named_with_the_nearest_section() {
        let cfg = ConfigFile::parse("[scna]\nx = 1\n[acme]\ny = 2\n[scan]\n", None).unwrap();
        assert_eq!(cfg.unknown_sections(), ["acme", "scna"]);
        let warnings = cfg.unknown_section_warnings();
        assert!(
            warnings[0].contains("`acme`") && warnings[0].contains("policy"),
            "{warnings:?}"
        );
        assert!(warnings[1].contains("`scna`") && warnings[1].contains("did you mean [scan]?"));
    }

    #[test]
    fn gitleaks_tables_are_recognised_and_are_not_unknown_sections() {
        let text = "title = \"t\"\n[extend]\nuseDefault = true\n[[rules]]\nid = \"a\"\n";
        let cfg = ConfigFile::parse(text, None).unwrap();
        assert_eq!(cfg.gitleaks_tables(), ["extend", "rules"]);
        assert!(cfg.corral_sections().is_empty());
        assert_eq!(cfg.text, text);
        let corral = ConfigFile::parse("[scan]\n[deps]\n", None).unwrap();
        assert!(corral.gitleaks_tables().is_empty());
        assert!(corral.unknown_sections().is_empty());
    }

    #[test]
    fn an_explicit_file_that_does_not_exist_is_an_error() {
        let err = ConfigFile::load(Some(Path::new("/nonexistent/corral.toml")), Path::new("/x"))
            .unwrap_err();
        assert!(format!("{err:#}").contains("/nonexistent/corral.toml"));
    }
}

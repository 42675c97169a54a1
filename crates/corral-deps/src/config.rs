//! The `[deps]` section of `corral.toml`.
//!
//! ```toml
//! [deps]
//! min_age_days = 14          # report packages (or versions) younger than this
//! stale_after_days = 7       # `corral db status` warns when data is older than this
//! allow = []                 # when non-empty: every package outside it is reported
//!
//! [deps.sources.pypi]        # where `corral db update` downloads from; no defaults
//! osv_url = "https://…/PyPI/all.zip"     # OSV export of the ecosystem
//! index_url = "https://…/simple/"        # PEP 691 JSON project list (existence snapshot)
//! popular_url = "https://…/popular.tsv"  # `rank<TAB>name` lines
//! dates_url = "https://…/dates.tsv"      # optional `name<TAB>date` release dates
//!
//! [deps.sources.npm]
//! osv_url = "https://…/npm/all.zip"
//! index_url = "https://…/names.txt"      # one name per line, or a JSON list of names
//! ```
//!
//! No upstream host is built in: an organisation points Corral at the mirrors it trusts.
//! Allow-list entries are package names, optionally prefixed by the ecosystem
//! (`pypi:requests`, `npm:lodash`); a bare name applies to both.

use std::collections::BTreeMap;

use corral_model::Ecosystem;
use serde::{Deserialize, Serialize};

use crate::name;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DepsConfig {
    /// Packages or versions published fewer days ago than this are reported.
    pub min_age_days: u32,
    /// `corral db status` warns when advisory or index data is older than this.
    pub stale_after_days: u32,
    /// The organisation's allow-list; empty means no allow-list.
    pub allow: Vec<String>,
    /// Download locations per ecosystem (`pypi`, `npm`).
    pub sources: BTreeMap<String, SourceUrls>,
}

impl Default for DepsConfig {
    fn default() -> Self {
        Self {
            min_age_days: 14,
            stale_after_days: 7,
            allow: Vec::new(),
            sources: BTreeMap::new(),
        }
    }
}

/// Where `corral db update` fetches one ecosystem's data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SourceUrls {
    pub osv_url: Option<String>,
    pub index_url: Option<String>,
    pub popular_url: Option<String>,
    pub dates_url: Option<String>,
}

impl DepsConfig {
    /// The download locations for `ecosystem`, if configured.
    pub fn source(&self, ecosystem: Ecosystem) -> Option<&SourceUrls> {
        self.sources
            .iter()
            .find(|(k, _)| k.parse::<Ecosystem>().ok() == Some(ecosystem))
            .map(|(_, v)| v)
    }

    /// Whether the allow-list is in force.
    pub fn has_allow_list(&self) -> bool {
        !self.allow.is_empty()
    }

    /// Whether `normalized` (in `ecosystem`) is on the allow-list.
    pub fn allows(&self, ecosystem: Ecosystem, normalized: &str) -> bool {
        self.allow.iter().any(|entry| {
            let (eco, entry_name) = match entry.split_once(':') {
                Some((e, n)) => match e.parse::<Ecosystem>() {
                    Ok(e) => (Some(e), n),
                    Err(_) => (None, entry.as_str()),
                },
                None => (None, entry.as_str()),
            };
            eco.is_none_or(|e| e == ecosystem)
                && name::normalize(ecosystem, entry_name) == normalized
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_a_default() {
        let c: DepsConfig = toml::from_str("").unwrap();
        assert_eq!(c, DepsConfig::default());
        assert_eq!(c.min_age_days, 14);
    }

    #[test]
    fn allow_list_entries_match_in_any_spelling_and_respect_ecosystems() {
        let c: DepsConfig = toml::from_str("allow = [\"PyYAML\", \"npm:lodash\"]").unwrap();
        assert!(c.allows(Ecosystem::PyPI, "pyyaml"));
        assert!(c.allows(Ecosystem::Npm, "lodash"));
        assert!(!c.allows(Ecosystem::PyPI, "lodash"));
    }

    #[test]
    fn sources_are_found_by_ecosystem_name() {
        let c: DepsConfig =
            toml::from_str("[sources.PyPI]\nosv_url = \"http://127.0.0.1:1/all.zip\"\n").unwrap();
        assert!(c.source(Ecosystem::PyPI).unwrap().osv_url.is_some());
        assert!(c.source(Ecosystem::Npm).is_none());
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = toml::from_str::<DepsConfig>("min_age = 3").unwrap_err();
        assert!(err.to_string().contains("min_age"), "{err}");
    }
}

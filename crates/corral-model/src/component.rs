//! A dependency: something a project pulls in from a package ecosystem.
//!
//! Components are the inventory the server keeps per asset, so that when a new advisory
//! arrives it can answer "which assets use this package at an affected version, and who owns
//! them?". They come from manifests, lockfiles, inline script metadata (PEP 723), and, for
//! scripts with no manifest at all, from `import` statements.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A package ecosystem, named as OSV names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Ecosystem {
    #[serde(rename = "PyPI")]
    PyPI,
    #[serde(rename = "npm")]
    Npm,
}

impl Ecosystem {
    /// The OSV ecosystem name.
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Npm => "npm",
        }
    }

    /// The package-URL type (`pkg:pypi/…`, `pkg:npm/…`).
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::PyPI => "pypi",
            Ecosystem::Npm => "npm",
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown ecosystem `{0}`: expected pypi or npm")]
pub struct UnknownEcosystem(pub String);

impl FromStr for Ecosystem {
    type Err = UnknownEcosystem;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pypi" | "python" | "pip" => Ok(Ecosystem::PyPI),
            "npm" | "node" | "javascript" => Ok(Ecosystem::Npm),
            _ => Err(UnknownEcosystem(s.to_string())),
        }
    }
}

/// How a component was declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ComponentSource {
    /// A manifest such as `requirements.txt`, `pyproject.toml` or `package.json`.
    Manifest,
    /// A lockfile with resolved versions.
    Lockfile,
    /// PEP 723 inline script metadata.
    InlineScript,
    /// Inferred from an `import`/`require` in a file with no manifest.
    Import,
}

/// One dependency found in a project.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Component {
    pub ecosystem: Ecosystem,
    /// The name as declared (normalise with the ecosystem's rules before comparing).
    pub name: String,
    /// The exact resolved version, when a lockfile or an `==` pin gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The declared requirement, e.g. `>=2.0,<3` or `^4.17.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requirement: Option<String>,
    pub source: ComponentSource,
    /// File (relative to the scan root) and line where it is declared.
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Declared directly by the project (not only pulled in transitively).
    pub direct: bool,
    /// SPDX licence expression, when metadata gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
}

impl Component {
    /// The package URL, e.g. `pkg:pypi/requests@2.31.0` or `pkg:npm/%40types/node@20.1.0`.
    pub fn purl(&self) -> String {
        let name = match self.ecosystem {
            Ecosystem::PyPI => self.name.to_ascii_lowercase().replace(['_', '.'], "-"),
            Ecosystem::Npm => self.name.replace('@', "%40"),
        };
        match &self.version {
            Some(v) => format!("pkg:{}/{}@{}", self.ecosystem.purl_type(), name, v),
            None => format!("pkg:{}/{}", self.ecosystem.purl_type(), name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn component(ecosystem: Ecosystem, name: &str, version: Option<&str>) -> Component {
        Component {
            ecosystem,
            name: name.into(),
            version: version.map(Into::into),
            requirement: None,
            source: ComponentSource::Lockfile,
            path: "x".into(),
            line: None,
            direct: true,
            license: None,
        }
    }

    #[test]
    fn purls_follow_the_package_url_spec() {
        assert_eq!(
            component(Ecosystem::PyPI, "Django_Rest.Framework", Some("3.1")).purl(),
            "pkg:pypi/django-rest-framework@3.1"
        );
        assert_eq!(
            component(Ecosystem::Npm, "@types/node", Some("20.1.0")).purl(),
            "pkg:npm/%40types/node@20.1.0"
        );
        assert_eq!(
            component(Ecosystem::Npm, "left-pad", None).purl(),
            "pkg:npm/left-pad"
        );
    }

    #[test]
    fn ecosystems_use_osv_names() {
        assert_eq!(serde_json::to_string(&Ecosystem::PyPI).unwrap(), "\"PyPI\"");
        assert_eq!("PYPI".parse::<Ecosystem>(), Ok(Ecosystem::PyPI));
        assert!("cargo".parse::<Ecosystem>().is_err());
    }
}

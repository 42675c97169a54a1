//! Versions and version requirements, ordered the way each ecosystem orders them.
//!
//! OSV ranges of type `ECOSYSTEM` are ordered by the ecosystem's own rules, so PyPI versions
//! compare per PEP 440 (epochs, pre-, post- and dev-releases, local versions; `pep440_rs`, the
//! parser uv uses) and npm versions per SemVer 2.0 as npm implements it (`node-semver`). A
//! version of one ecosystem never compares with another's.

use std::cmp::Ordering;
use std::str::FromStr;

use corral_model::Ecosystem;
use pep440_rs::{Operator, VersionSpecifiers};

/// A parsed version of either ecosystem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    Pep440(pep440_rs::Version),
    Semver(node_semver::Version),
}

impl Version {
    /// Parses `text` with `ecosystem`'s rules; `None` when it is not a valid version there.
    pub fn parse(ecosystem: Ecosystem, text: &str) -> Option<Self> {
        let text = text.trim();
        match ecosystem {
            Ecosystem::PyPI => pep440_rs::Version::from_str(text).ok().map(Version::Pep440),
            Ecosystem::Npm => node_semver::Version::parse(text.trim_start_matches(['v', '=']))
                .ok()
                .map(Version::Semver),
        }
    }

    /// Compares two versions of the same ecosystem; `None` across ecosystems.
    pub fn compare(&self, other: &Version) -> Option<Ordering> {
        match (self, other) {
            (Version::Pep440(a), Version::Pep440(b)) => Some(a.cmp(b)),
            (Version::Semver(a), Version::Semver(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Version::Pep440(v) => v.fmt(f),
            Version::Semver(v) => v.fmt(f),
        }
    }
}

/// A declared requirement: a PEP 440 specifier set, a union of them, or an npm range.
#[derive(Debug, Clone)]
pub enum Requirement {
    Pep440(VersionSpecifiers),
    /// A Poetry `||` union: a version is admitted when any branch admits it.
    AnyOf(Vec<VersionSpecifiers>),
    Npm(node_semver::Range),
}

impl Requirement {
    /// Parses a requirement; `None` when it is not one (a URL, a tag, a path…). A PyPI
    /// requirement that is not PEP 440 is read as a Poetry constraint (`^1.2`, `~1.2`,
    /// `^1.2 || ^2.0`), see [`crate::poetry_constraint`].
    pub fn parse(ecosystem: Ecosystem, text: &str) -> Option<Self> {
        let text = text.trim();
        match ecosystem {
            Ecosystem::PyPI => {
                if let Ok(spec) = VersionSpecifiers::from_str(text) {
                    return Some(Requirement::Pep440(spec));
                }
                let mut branches = crate::poetry_constraint::union_to_pep440(text)?
                    .iter()
                    .map(|b| VersionSpecifiers::from_str(b).ok())
                    .collect::<Option<Vec<_>>>()?;
                if branches.len() == 1 {
                    branches.pop().map(Requirement::Pep440)
                } else {
                    Some(Requirement::AnyOf(branches))
                }
            }
            Ecosystem::Npm => node_semver::Range::parse(text).ok().map(Requirement::Npm),
        }
    }

    /// Whether `version` satisfies the requirement.
    pub fn contains(&self, version: &Version) -> bool {
        match (self, version) {
            (Requirement::Pep440(spec), Version::Pep440(v)) => spec.contains(v),
            (Requirement::AnyOf(branches), Version::Pep440(v)) => {
                branches.iter().any(|spec| spec.contains(v))
            }
            (Requirement::Npm(range), Version::Semver(v)) => range.satisfies(v),
            _ => false,
        }
    }

    /// The lowest versions the requirement names as admissible (`>=1.2` gives 1.2, `~=1.4.2`
    /// gives 1.4.2, `^4.17.0` gives 4.17.0). Used to decide whether an unpinned requirement
    /// admits a vulnerable version; see `docs/dependencies.md`.
    pub fn lower_bounds(&self) -> Vec<Version> {
        let pep440 = |spec: &VersionSpecifiers| -> Vec<Version> {
            spec.iter()
                .filter(|s| {
                    matches!(
                        s.operator(),
                        Operator::Equal
                            | Operator::EqualStar
                            | Operator::ExactEqual
                            | Operator::TildeEqual
                            | Operator::GreaterThanEqual
                    )
                })
                .map(|s| Version::Pep440(s.version().clone()))
                .collect()
        };
        match self {
            Requirement::Pep440(spec) => pep440(spec),
            Requirement::AnyOf(branches) => branches.iter().flat_map(pep440).collect(),
            Requirement::Npm(range) => range
                .min_version()
                .map(Version::Semver)
                .into_iter()
                .collect(),
        }
    }
}

/// The exact version a requirement pins, if it pins one: `==2.31.0` (not `==2.*`) for PyPI,
/// `4.17.21` or `=4.17.21` for npm.
pub fn exact_pin(ecosystem: Ecosystem, requirement: &str) -> Option<String> {
    let text = requirement.trim();
    match ecosystem {
        Ecosystem::PyPI => {
            let spec = VersionSpecifiers::from_str(text).ok()?;
            let mut iter = spec.iter();
            let only = iter.next()?;
            if iter.next().is_some() {
                return None;
            }
            match only.operator() {
                Operator::Equal | Operator::ExactEqual => Some(only.version().to_string()),
                _ => None,
            }
        }
        Ecosystem::Npm => {
            let bare = text.strip_prefix('=').unwrap_or(text).trim();
            let bare = bare.strip_prefix('v').unwrap_or(bare);
            node_semver::Version::parse(bare)
                .ok()
                .map(|v| v.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(s: &str) -> Version {
        Version::parse(Ecosystem::PyPI, s).unwrap()
    }

    fn lt(a: &str, b: &str) -> bool {
        py(a).compare(&py(b)) == Some(Ordering::Less)
    }

    #[test]
    fn pep440_orders_dev_pre_release_post_and_epochs() {
        assert!(lt("1.0.dev0", "1.0a1"));
        assert!(lt("1.0a1", "1.0b1"));
        assert!(lt("1.0b2", "1.0rc1"));
        assert!(lt("1.0rc1", "1.0"));
        assert!(lt("1.0", "1.0.post1"));
        assert!(lt("1.0.post1", "1.0.1"));
        assert!(lt("2024.1", "1!0.1"), "an epoch outranks any release");
        assert!(
            lt("1.0", "1.0+local.1"),
            "a local version sorts after its public one"
        );
        assert_eq!(py("1.0").compare(&py("1.0.0")), Some(Ordering::Equal));
    }

    #[test]
    fn semver_orders_pre_releases_before_the_release() {
        let a = Version::parse(Ecosystem::Npm, "1.0.0-beta.2").unwrap();
        let b = Version::parse(Ecosystem::Npm, "1.0.0-beta.11").unwrap();
        let c = Version::parse(Ecosystem::Npm, "v1.0.0").unwrap();
        assert_eq!(a.compare(&b), Some(Ordering::Less));
        assert_eq!(b.compare(&c), Some(Ordering::Less));
        assert_eq!(py("1.0").compare(&c), None);
    }

    #[test]
    fn exact_pins_are_recognised_and_ranges_are_not() {
        assert_eq!(
            exact_pin(Ecosystem::PyPI, "==2.31.0").as_deref(),
            Some("2.31.0")
        );
        assert_eq!(exact_pin(Ecosystem::PyPI, "===1.0").as_deref(), Some("1.0"));
        assert_eq!(exact_pin(Ecosystem::PyPI, "==2.*"), None);
        assert_eq!(exact_pin(Ecosystem::PyPI, ">=2,<3"), None);
        assert_eq!(
            exact_pin(Ecosystem::Npm, "4.17.21").as_deref(),
            Some("4.17.21")
        );
        assert_eq!(exact_pin(Ecosystem::Npm, "^4.17.21"), None);
        assert_eq!(exact_pin(Ecosystem::Npm, "latest"), None);
    }

    #[test]
    fn poetry_caret_and_tilde_requirements_admit_exactly_their_ranges() {
        let caret = Requirement::parse(Ecosystem::PyPI, "^2.19").unwrap();
        assert!(caret.contains(&py("2.19.0")));
        assert!(caret.contains(&py("2.31.0")));
        assert!(!caret.contains(&py("3.0")));
        assert!(!caret.contains(&py("2.18.4")));
        let bounds: Vec<String> = caret
            .lower_bounds()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(bounds, ["2.19"]);
        let tilde = Requirement::parse(Ecosystem::PyPI, "~0.2.3").unwrap();
        assert!(tilde.contains(&py("0.2.9")));
        assert!(!tilde.contains(&py("0.3.0")));
    }

    #[test]
    fn a_poetry_union_admits_what_any_branch_admits() {
        let union = Requirement::parse(Ecosystem::PyPI, "^1.2 || ^3.1").unwrap();
        assert!(union.contains(&py("1.9")));
        assert!(union.contains(&py("3.4")));
        assert!(!union.contains(&py("2.5")), "between the branches");
        assert!(!union.contains(&py("4.0")));
        let bounds: Vec<String> = union
            .lower_bounds()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(bounds, ["1.2", "3.1"]);
        assert!(
            Requirement::parse(Ecosystem::PyPI, "^1.2 || nonsense").is_none(),
            "a union is not narrowed to the branches that parse"
        );
    }

    #[test]
    fn lower_bounds_come_from_the_inclusive_operators() {
        let r = Requirement::parse(Ecosystem::PyPI, ">=2.0,<3,!=2.1").unwrap();
        let bounds: Vec<String> = r.lower_bounds().iter().map(ToString::to_string).collect();
        assert_eq!(bounds, ["2.0"]);
        let r = Requirement::parse(Ecosystem::Npm, "^4.17.0").unwrap();
        assert_eq!(r.lower_bounds()[0].to_string(), "4.17.0");
        assert!(r.contains(&Version::parse(Ecosystem::Npm, "4.17.20").unwrap()));
        assert!(!r.contains(&Version::parse(Ecosystem::Npm, "5.0.0").unwrap()));
    }
}

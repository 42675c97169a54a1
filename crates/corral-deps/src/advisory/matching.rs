//! Whether a version (or a requirement) is affected by an advisory, per the OSV spec.
//!
//! A version is affected when it is listed in `versions`, or when any range's events put it
//! inside: events are sorted by version (`introduced: "0"` first), and walking them in order,
//! `introduced` ≤ v turns "affected" on, `fixed` ≤ v turns it off, and `last_affected` < v
//! turns it off. `limit` events cap a range: a version at or above every limit is outside.
//! A `limit` of `"*"` is the spec's "infinity": no version reaches it, so a range carrying one
//! has no cap at all, whatever other limits it lists.
//! Event versions that do not parse in the ecosystem's scheme are skipped rather than guessed.
//!
//! For a requirement with no exact version (no lockfile, no `==` pin), Corral reports the
//! advisory when some version the requirement *admits* is affected. The versions tried are the
//! ones the record itself names (its `versions` list, its `introduced` and `last_affected`
//! events) and the requirement's own lower bounds: real versions, never invented ones, so a
//! hit means "the resolver may pick a vulnerable release here".

use std::cmp::Ordering;

use corral_model::Ecosystem;

use super::record::{Advisory, Event, RangeKind, StoredRange};
use crate::version::{Requirement, Version};

/// Parses an event or list version for a range of `kind` in `ecosystem`.
fn parse(ecosystem: Ecosystem, kind: RangeKind, text: &str) -> Option<Version> {
    match kind {
        RangeKind::Ecosystem => Version::parse(ecosystem, text),
        // A SEMVER range in a PyPI record is rare but legal; npm versions are SemVer anyway.
        RangeKind::Semver => Version::parse(Ecosystem::Npm, text),
    }
}

fn le(a: &Version, b: &Version) -> bool {
    matches!(a.compare(b), Some(Ordering::Less | Ordering::Equal))
}

fn lt(a: &Version, b: &Version) -> bool {
    a.compare(b) == Some(Ordering::Less)
}

/// Whether `version` falls inside `range`.
fn range_affects(ecosystem: Ecosystem, range: &StoredRange, version: &Version) -> bool {
    let version = match range.kind {
        RangeKind::Semver if ecosystem == Ecosystem::PyPI => {
            match Version::parse(Ecosystem::Npm, &version.to_string()) {
                Some(v) => v,
                None => return false,
            }
        }
        _ => version.clone(),
    };
    // (order key, event) with "0" as the minimum.
    let mut events: Vec<(Option<Version>, &Event)> = Vec::with_capacity(range.events.len());
    let mut limits = Vec::new();
    // `limit: "*"` is above every version, so the range is uncapped.
    let mut uncapped = false;
    for event in &range.events {
        match event {
            Event::Introduced(v) if v == "0" => events.push((None, event)),
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) => {
                match parse(ecosystem, range.kind, v) {
                    Some(parsed) => events.push((Some(parsed), event)),
                    None => tracing::debug!(version = %v, "skipping an unparseable OSV event"),
                }
            }
            Event::Limit(v) if v.trim() == "*" => uncapped = true,
            Event::Limit(v) => match parse(ecosystem, range.kind, v) {
                Some(parsed) => limits.push(parsed),
                None => tracing::debug!(version = %v, "skipping an unparseable OSV limit"),
            },
        }
    }
    if !uncapped && !limits.is_empty() && limits.iter().all(|l| le(l, &version)) {
        return false;
    }
    events.sort_by(|(a, _), (b, _)| match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => a.compare(b).unwrap_or(Ordering::Equal),
    });
    let mut affected = false;
    for (at, event) in &events {
        match (event, at) {
            (Event::Introduced(_), None) => affected = true,
            (Event::Introduced(_), Some(at)) if le(at, &version) => affected = true,
            (Event::Fixed(_), Some(at)) if le(at, &version) => affected = false,
            (Event::LastAffected(_), Some(at)) if lt(at, &version) => affected = false,
            _ => {}
        }
    }
    affected
}

/// Whether `version` is affected by `advisory`. Known-malicious packages are affected at
/// every version, listed or not.
pub fn affects(ecosystem: Ecosystem, advisory: &Advisory, version: &Version) -> bool {
    if advisory.malicious {
        return true;
    }
    let listed = advisory.versions.iter().any(|v| {
        Version::parse(ecosystem, v).is_some_and(|v| v.compare(version) == Some(Ordering::Equal))
    });
    listed
        || advisory
            .ranges
            .iter()
            .any(|r| range_affects(ecosystem, r, version))
}

/// For an unpinned requirement: an affected version the requirement admits, if any (see the
/// module docs for which versions are tried).
pub fn affected_by_requirement(
    ecosystem: Ecosystem,
    advisory: &Advisory,
    requirement: &Requirement,
) -> Option<Version> {
    if advisory.malicious {
        return requirement.lower_bounds().into_iter().next().or_else(|| {
            advisory
                .versions
                .first()
                .and_then(|v| Version::parse(ecosystem, v))
        });
    }
    let named =
        advisory
            .versions
            .iter()
            .map(String::as_str)
            .chain(advisory.ranges.iter().flat_map(|r| {
                r.events.iter().filter_map(|e| match e {
                    Event::Introduced(v) | Event::LastAffected(v) if v != "0" => Some(v.as_str()),
                    _ => None,
                })
            }));
    let mut candidates: Vec<Version> = named.filter_map(|v| Version::parse(ecosystem, v)).collect();
    candidates.extend(requirement.lower_bounds());
    candidates.sort_by(|a, b| a.compare(b).unwrap_or(Ordering::Equal));
    candidates
        .into_iter()
        .rev()
        .find(|v| requirement.contains(v) && affects(ecosystem, advisory, v))
}

/// The smallest `fixed` version above `version` among the advisory's ranges: the upgrade to
/// suggest.
pub fn smallest_fix_above(
    ecosystem: Ecosystem,
    advisory: &Advisory,
    version: Option<&Version>,
) -> Option<Version> {
    advisory
        .ranges
        .iter()
        .flat_map(|r| {
            r.events.iter().filter_map(move |e| match e {
                Event::Fixed(v) => parse(ecosystem, r.kind, v),
                _ => None,
            })
        })
        .filter(|fix| version.is_none_or(|v| lt(v, fix)))
        .min_by(|a, b| a.compare(b).unwrap_or(Ordering::Equal))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advisory(ranges: Vec<StoredRange>, versions: &[&str]) -> Advisory {
        Advisory {
            id: "TEST-1".into(),
            aliases: vec![],
            summary: String::new(),
            severity: None,
            cvss_score: None,
            cvss_vector: None,
            malicious: false,
            ranges,
            versions: versions.iter().map(|s| s.to_string()).collect(),
            modified: None,
        }
    }

    fn eco(events: Vec<Event>) -> StoredRange {
        StoredRange {
            kind: RangeKind::Ecosystem,
            events,
        }
    }

    fn intro(v: &str) -> Event {
        Event::Introduced(v.into())
    }
    fn fixed(v: &str) -> Event {
        Event::Fixed(v.into())
    }

    fn py_affected(a: &Advisory, v: &str) -> bool {
        affects(
            Ecosystem::PyPI,
            a,
            &Version::parse(Ecosystem::PyPI, v).unwrap(),
        )
    }

    #[test]
    fn introduced_zero_and_fixed_bound_the_range() {
        let a = advisory(vec![eco(vec![intro("0"), fixed("2.0")])], &[]);
        assert!(py_affected(&a, "0.1"));
        assert!(py_affected(&a, "1.9.9"));
        assert!(!py_affected(&a, "2.0"));
        assert!(!py_affected(&a, "2.0.1"));
    }

    #[test]
    fn pre_releases_of_the_fix_are_still_affected_and_post_releases_are_not() {
        let a = advisory(vec![eco(vec![intro("1.0"), fixed("2.0")])], &[]);
        assert!(py_affected(&a, "2.0rc1"), "2.0rc1 sorts before 2.0");
        assert!(py_affected(&a, "2.0.dev3"));
        assert!(!py_affected(&a, "2.0.post1"));
        assert!(
            !py_affected(&a, "1.0rc1"),
            "the pre-release precedes the introduction"
        );
        assert!(py_affected(&a, "1.0.post1"));
    }

    #[test]
    fn epochs_and_local_versions_order_per_pep_440() {
        let a = advisory(vec![eco(vec![intro("0"), fixed("3.0")])], &[]);
        assert!(
            !py_affected(&a, "1!1.0"),
            "an epoch of 1 is above any epoch-0 fix"
        );
        assert!(py_affected(&a, "2.9+ubuntu1"));
        let b = advisory(vec![eco(vec![intro("0"), fixed("2.0+local")])], &[]);
        assert!(py_affected(&b, "2.0"), "2.0 sorts before 2.0+local");
    }

    #[test]
    fn last_affected_includes_the_named_version() {
        let a = advisory(
            vec![eco(vec![intro("1.0"), Event::LastAffected("1.4".into())])],
            &[],
        );
        assert!(py_affected(&a, "1.4"));
        assert!(!py_affected(&a, "1.4.1"));
        assert!(!py_affected(&a, "0.9"));
    }

    #[test]
    fn several_introduced_fixed_pairs_in_one_range_are_walked_in_version_order() {
        // Given out of order on purpose: the spec sorts events before walking them.
        let a = advisory(
            vec![eco(vec![
                intro("2.0"),
                fixed("1.5"),
                intro("1.0"),
                fixed("2.3"),
            ])],
            &[],
        );
        assert!(py_affected(&a, "1.2"));
        assert!(!py_affected(&a, "1.7"));
        assert!(py_affected(&a, "2.1"));
        assert!(!py_affected(&a, "2.3"));
    }

    #[test]
    fn limit_caps_a_range() {
        let a = advisory(vec![eco(vec![intro("0"), Event::Limit("1.5".into())])], &[]);
        assert!(py_affected(&a, "1.4"));
        assert!(!py_affected(&a, "1.5"));
    }

    #[test]
    fn a_star_limit_means_the_range_has_no_cap() {
        let star = advisory(vec![eco(vec![intro("1.0"), Event::Limit("*".into())])], &[]);
        assert!(py_affected(&star, "1.0"));
        assert!(py_affected(&star, "999.0"), "nothing reaches `*`");
        assert!(
            !py_affected(&star, "0.9"),
            "still starts at the introduction"
        );
        // A version below any one limit is inside: `*` is a limit no version reaches.
        let mixed = advisory(
            vec![eco(vec![
                intro("0"),
                Event::Limit("1.5".into()),
                Event::Limit("*".into()),
            ])],
            &[],
        );
        assert!(py_affected(&mixed, "2.0"));
        let npm = advisory(
            vec![StoredRange {
                kind: RangeKind::Semver,
                events: vec![intro("0"), fixed("2.0.0"), Event::Limit("*".into())],
            }],
            &[],
        );
        let v = |s| Version::parse(Ecosystem::Npm, s).unwrap();
        assert!(affects(Ecosystem::Npm, &npm, &v("1.9.9")));
        assert!(
            !affects(Ecosystem::Npm, &npm, &v("2.0.0")),
            "fixed still applies"
        );
    }

    #[test]
    fn explicit_versions_match_by_value_not_spelling() {
        let a = advisory(vec![], &["1.0", "1.1"]);
        assert!(py_affected(&a, "1.0.0"));
        assert!(!py_affected(&a, "1.2"));
    }

    #[test]
    fn semver_ranges_order_npm_pre_releases() {
        let a = advisory(
            vec![StoredRange {
                kind: RangeKind::Semver,
                events: vec![intro("0"), fixed("4.17.21")],
            }],
            &[],
        );
        let v = |s| Version::parse(Ecosystem::Npm, s).unwrap();
        assert!(affects(Ecosystem::Npm, &a, &v("4.17.20")));
        assert!(affects(Ecosystem::Npm, &a, &v("4.17.21-beta.1")));
        assert!(!affects(Ecosystem::Npm, &a, &v("4.17.21")));
    }

    #[test]
    fn the_suggested_fix_is_the_smallest_fix_above_the_installed_version() {
        let a = advisory(
            vec![
                eco(vec![intro("0"), fixed("1.2.5")]),
                eco(vec![intro("2.0"), fixed("2.1.3")]),
                eco(vec![intro("3.0"), fixed("3.0.1")]),
            ],
            &[],
        );
        let v = Version::parse(Ecosystem::PyPI, "2.0.4").unwrap();
        let fix = smallest_fix_above(Ecosystem::PyPI, &a, Some(&v)).unwrap();
        assert_eq!(fix.to_string(), "2.1.3");
    }

    #[test]
    fn an_unpinned_requirement_is_affected_when_it_admits_a_listed_version() {
        let a = advisory(
            vec![eco(vec![intro("0"), fixed("2.31.0")])],
            &["2.29.0", "2.30.0"],
        );
        let admits = Requirement::parse(Ecosystem::PyPI, ">=2.20").unwrap();
        assert_eq!(
            affected_by_requirement(Ecosystem::PyPI, &a, &admits).map(|v| v.to_string()),
            Some("2.30.0".into())
        );
        let safe = Requirement::parse(Ecosystem::PyPI, ">=2.31").unwrap();
        assert_eq!(affected_by_requirement(Ecosystem::PyPI, &a, &safe), None);
    }

    #[test]
    fn an_npm_range_whose_floor_is_vulnerable_is_affected() {
        let a = advisory(
            vec![StoredRange {
                kind: RangeKind::Semver,
                events: vec![intro("0"), fixed("4.17.21")],
            }],
            &[],
        );
        let caret = Requirement::parse(Ecosystem::Npm, "^4.17.0").unwrap();
        assert!(affected_by_requirement(Ecosystem::Npm, &a, &caret).is_some());
        let safe = Requirement::parse(Ecosystem::Npm, "^4.17.21").unwrap();
        assert!(affected_by_requirement(Ecosystem::Npm, &a, &safe).is_none());
    }

    #[test]
    fn a_poetry_union_is_affected_through_any_of_its_branches() {
        // Affected: 2.0 up to 2.3.1. The first branch stays below it, the second admits it.
        let a = advisory(vec![eco(vec![intro("2.0"), fixed("2.3.1")])], &[]);
        let union = Requirement::parse(Ecosystem::PyPI, "^1.4 || ^2.1").unwrap();
        assert_eq!(
            affected_by_requirement(Ecosystem::PyPI, &a, &union).map(|v| v.to_string()),
            Some("2.1".into())
        );
        let safe = Requirement::parse(Ecosystem::PyPI, "^1.4 || ^2.3.1").unwrap();
        assert_eq!(affected_by_requirement(Ecosystem::PyPI, &a, &safe), None);
    }
}

//! Poetry's version constraints (`^1.2`, `~1.2`, `1.*`, `1.2.3`), translated to PEP 440.
//!
//! `[tool.poetry.dependencies]` is not written in PEP 440: `requests = "^2.19"` means
//! `>=2.19,<3.0`. The component keeps the constraint as the user wrote it (that is what the
//! report shows), and [`crate::version::Requirement::parse`] translates it when a PyPI
//! requirement is not valid PEP 440, so an unpinned Poetry range is checked for admitting
//! affected versions like any other. The rules follow Poetry's documentation:
//!
//! - **caret** `^X.Y.Z`: at least the version, below the next bump of its leftmost non-zero
//!   part (`^1.2.3` → `>=1.2.3,<2.0.0`, `^0.2.3` → `>=0.2.3,<0.3.0`, `^0.0.3` →
//!   `>=0.0.3,<0.0.4`); when every given part is zero, the last given one is bumped (`^0.0` →
//!   `>=0.0,<0.1`, `^0` → `>=0,<1`);
//! - **tilde** `~X.Y.Z`: at least the version, below the next minor (`~1.2.3` →
//!   `>=1.2.3,<1.3.0`, `~1.2` → `>=1.2,<1.3`), or the next major when only a major is given
//!   (`~1` → `>=1,<2`);
//! - **wildcards** `1.*`, `1.2.*` are PEP 440's `==1.*`; `*` alone is no constraint;
//! - a **bare version** `1.2.3` is `==1.2.3`;
//! - PEP 440 operators (`>=`, `<`, `!=`, `==`, `~=`) pass through, and comma-separated parts
//!   are translated one by one.
//!
//! An `||` union (`^1.2 || ^2.0`) has no single PEP 440 equivalent: [`union_to_pep440`]
//! translates each branch, and the requirement admits a version when any branch does (see
//! [`crate::version::Requirement::AnyOf`]). A union with a branch that cannot be translated is
//! not translated at all, rather than matched against only some of its branches.

use std::str::FromStr;

/// The PEP 440 specifier set for a Poetry constraint, or `None` when it cannot be expressed
/// (a union, or a version that is not PEP 440).
pub fn to_pep440(constraint: &str) -> Option<String> {
    let constraint = constraint.trim();
    if constraint.contains("||") {
        return None;
    }
    let mut parts = Vec::new();
    for part in constraint.split(',') {
        let part = part.trim();
        if part.is_empty() {
            return None;
        }
        if part == "*" {
            continue;
        }
        parts.push(translate_one(part)?);
    }
    Some(parts.join(", "))
}

/// The PEP 440 specifier set of each branch of a Poetry `||` union (a constraint without
/// `||` is a union of one), or `None` when any branch cannot be expressed.
pub fn union_to_pep440(constraint: &str) -> Option<Vec<String>> {
    constraint
        .split("||")
        .map(|branch| {
            let branch = branch.trim();
            if branch.is_empty() {
                None
            } else {
                to_pep440(branch)
            }
        })
        .collect()
}

fn translate_one(part: &str) -> Option<String> {
    if let Some(version) = part.strip_prefix('^') {
        let (text, release) = release(version)?;
        let upper = caret_upper(&release);
        return Some(format!(">={text}, <{upper}"));
    }
    // `~=` is PEP 440's compatible release; a lone `~` is Poetry's tilde.
    if let Some(version) = part.strip_prefix('~').filter(|v| !v.starts_with('=')) {
        let (text, release) = release(version)?;
        let upper = tilde_upper(&release);
        return Some(format!(">={text}, <{upper}"));
    }
    if part.starts_with(|c: char| c.is_ascii_digit()) {
        // `1.2.*` or a bare version.
        let spec = format!("=={part}");
        return pep440_rs::VersionSpecifier::from_str(&spec)
            .ok()
            .map(|s| s.to_string());
    }
    pep440_rs::VersionSpecifiers::from_str(part)
        .ok()
        .map(|s| s.to_string())
}

/// The version as written (trimmed) and its release numbers (`1.2.3b1` → [1, 2, 3]).
fn release(version: &str) -> Option<(String, Vec<u64>)> {
    let text = version.trim();
    let parsed = pep440_rs::Version::from_str(text).ok()?;
    Some((text.to_string(), parsed.release().to_vec()))
}

/// The exclusive upper bound of `^release`.
fn caret_upper(release: &[u64]) -> String {
    let bump = release
        .iter()
        .position(|&n| n != 0)
        .unwrap_or(release.len().saturating_sub(1));
    bumped(release, bump)
}

/// The exclusive upper bound of `~release`.
fn tilde_upper(release: &[u64]) -> String {
    bumped(release, if release.len() == 1 { 0 } else { 1 })
}

/// `release` with part `at` incremented and every later given part zeroed.
fn bumped(release: &[u64], at: usize) -> String {
    release
        .iter()
        .enumerate()
        .map(|(i, &n)| match i.cmp(&at) {
            std::cmp::Ordering::Less => n,
            std::cmp::Ordering::Equal => n + 1,
            std::cmp::Ordering::Greater => 0,
        })
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_constraints_stop_below_the_next_bump_of_the_leftmost_non_zero_part() {
        let cases = [
            ("^1.2.3", ">=1.2.3, <2.0.0"),
            ("^1.2", ">=1.2, <2.0"),
            ("^1", ">=1, <2"),
            ("^0.2.3", ">=0.2.3, <0.3.0"),
            ("^0.0.3", ">=0.0.3, <0.0.4"),
            ("^0.0", ">=0.0, <0.1"),
            ("^0", ">=0, <1"),
            ("^2.0.0rc1", ">=2.0.0rc1, <3.0.0"),
        ];
        for (poetry, pep440) in cases {
            assert_eq!(to_pep440(poetry).as_deref(), Some(pep440), "{poetry}");
        }
    }

    #[test]
    fn tilde_constraints_stop_below_the_next_minor_or_the_next_major_for_a_bare_major() {
        let cases = [
            ("~1.2.3", ">=1.2.3, <1.3.0"),
            ("~1.2", ">=1.2, <1.3"),
            ("~1", ">=1, <2"),
            ("~=1.4.2", "~=1.4.2"),
        ];
        for (poetry, pep440) in cases {
            assert_eq!(to_pep440(poetry).as_deref(), Some(pep440), "{poetry}");
        }
    }

    #[test]
    fn wildcards_bare_versions_operators_and_lists_translate_part_by_part() {
        let cases = [
            ("1.*", "==1.*"),
            ("1.2.*", "==1.2.*"),
            ("1.2.3", "==1.2.3"),
            ("*", ""),
            (">=1.2,<1.5", ">=1.2, <1.5"),
            ("^1.2, !=1.2.5", ">=1.2, <2.0, !=1.2.5"),
            (">= 2.0", ">=2.0"),
        ];
        for (poetry, pep440) in cases {
            assert_eq!(to_pep440(poetry).as_deref(), Some(pep440), "{poetry}");
        }
    }

    #[test]
    fn unions_translate_branch_by_branch() {
        assert_eq!(
            union_to_pep440("^1.2 || ^2.0").unwrap(),
            [">=1.2, <2.0", ">=2.0, <3.0"]
        );
        assert_eq!(
            union_to_pep440(">=1.0,<1.4||~1.6").unwrap(),
            [">=1.0, <1.4", ">=1.6, <1.7"]
        );
        assert_eq!(union_to_pep440("1.2.3").unwrap(), ["==1.2.3"]);
        assert_eq!(union_to_pep440("^1.2 || banana"), None, "one bad branch");
        assert_eq!(union_to_pep440("^1.2 ||"), None, "an empty branch");
    }

    #[test]
    fn unions_and_nonsense_are_not_single_specifier_sets() {
        assert_eq!(to_pep440("^1.2 || ^2.0"), None);
        assert_eq!(to_pep440("^banana"), None);
        assert_eq!(to_pep440("latest"), None);
        assert_eq!(to_pep440("1.2,"), None);
    }
}

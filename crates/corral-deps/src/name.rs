//! Package names as each ecosystem compares them.
//!
//! PyPI treats `Django_Rest.Framework` and `django-rest-framework` as the same project
//! (PEP 503: lower-case, runs of `-`, `_` and `.` become one `-`). npm names are compared
//! exactly, except that the registry refuses upper-case letters in new names, so lower-casing
//! is safe. Every lookup (advisories, the index snapshot, the popular list, the allow-list)
//! goes through [`normalize`] so that a name declared in any spelling finds its records.

use corral_model::Ecosystem;

/// The canonical form of `name` in `ecosystem`.
pub fn normalize(ecosystem: Ecosystem, name: &str) -> String {
    match ecosystem {
        Ecosystem::PyPI => pep503(name),
        Ecosystem::Npm => name.trim().to_ascii_lowercase(),
    }
}

/// PEP 503 normalisation: lower-case, and every run of `-`, `_`, `.` replaced by one `-`.
pub fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_separator = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_separator {
                out.push('-');
            }
            in_separator = true;
        } else {
            out.extend(c.to_lowercase());
            in_separator = false;
        }
    }
    out
}

/// Whether `name` is a syntactically valid package name for `ecosystem` (after trimming).
///
/// Used to refuse garbage from malformed files before it reaches the checks: a "name" with
/// spaces or quotes is a parse problem, not a hallucinated package.
pub fn is_plausible(ecosystem: Ecosystem, name: &str) -> bool {
    if name.is_empty() || name.len() > 214 {
        return false;
    }
    match ecosystem {
        Ecosystem::PyPI => {
            let bytes = name.as_bytes();
            bytes[0].is_ascii_alphanumeric()
                && bytes[bytes.len() - 1].is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        }
        Ecosystem::Npm => {
            let body = match name.strip_prefix('@') {
                Some(scoped) => match scoped.split_once('/') {
                    Some((scope, pkg)) if !scope.is_empty() && !pkg.is_empty() => {
                        return valid_npm_part(scope) && valid_npm_part(pkg);
                    }
                    _ => return false,
                },
                None => name,
            };
            valid_npm_part(body)
        }
    }
}

fn valid_npm_part(part: &str) -> bool {
    !part.starts_with('.')
        && !part.starts_with('_')
        && part.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'-' | b'_' | b'.' | b'~' | b'!' | b'*' | b'\'' | b'(' | b')'
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pypi_names_normalise_per_pep_503() {
        assert_eq!(pep503("Django_Rest.Framework"), "django-rest-framework");
        assert_eq!(pep503("zope..interface"), "zope-interface");
        assert_eq!(pep503("a-_.b"), "a-b");
        assert_eq!(normalize(Ecosystem::PyPI, " PyYAML "), "pyyaml");
    }

    #[test]
    fn npm_names_keep_separators_and_scopes() {
        assert_eq!(normalize(Ecosystem::Npm, "@Types/Node"), "@types/node");
        assert_eq!(normalize(Ecosystem::Npm, "lodash.merge"), "lodash.merge");
    }

    #[test]
    fn garbage_is_not_a_plausible_name() {
        assert!(is_plausible(Ecosystem::PyPI, "requests"));
        assert!(!is_plausible(Ecosystem::PyPI, "requests>=2 ; x"));
        assert!(!is_plausible(Ecosystem::PyPI, "-requests"));
        assert!(is_plausible(Ecosystem::Npm, "@babel/core"));
        assert!(!is_plausible(Ecosystem::Npm, "@babel"));
        assert!(!is_plausible(Ecosystem::Npm, "has space"));
    }
}

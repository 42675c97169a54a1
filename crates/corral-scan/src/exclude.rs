//! `--exclude` / `[scan] exclude`: paths never to scan, as gitignore-style patterns.
//!
//! The same matcher serves every mode (working tree, staged blobs, history), so
//! `exclude = ["vendor/", "*.min.js"]` means the same thing in CI and in a pre-commit hook.
//! Patterns are matched against the path relative to the scan root (working tree) or to the
//! repository (git modes), using `ignore`'s gitignore implementation: the one the walker
//! already uses, so there is no second glob dialect to learn.

use std::path::Path;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::error::ScanError;

/// A compiled set of exclude patterns.
#[derive(Debug, Clone)]
pub struct Excludes {
    matcher: Gitignore,
}

impl Excludes {
    /// Compiles `patterns`; the error names the pattern that is not valid.
    pub fn new(patterns: &[String]) -> Result<Self, ScanError> {
        let mut builder = GitignoreBuilder::new("");
        for pattern in patterns {
            builder
                .add_line(None, pattern)
                .map_err(|e| ScanError::InvalidExclude {
                    pattern: pattern.clone(),
                    message: e.to_string(),
                })?;
        }
        let matcher = builder.build().map_err(|e| ScanError::InvalidExclude {
            pattern: patterns.join(", "),
            message: e.to_string(),
        })?;
        Ok(Self { matcher })
    }

    /// Whether `relative` (or one of its parent directories) is excluded.
    pub fn excludes(&self, relative: &Path, is_dir: bool) -> bool {
        if self.matcher.is_empty() || relative.as_os_str().is_empty() {
            return false;
        }
        self.matcher
            .matched_path_or_any_parents(relative, is_dir)
            .is_ignore()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excludes(patterns: &[&str]) -> Excludes {
        Excludes::new(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn patterns_follow_gitignore_rules() {
        let ex = excludes(&["vendor/", "*.min.js", "/build", "!keep.min.js"]);
        assert!(ex.excludes(Path::new("vendor/lib/a.py"), false));
        assert!(ex.excludes(Path::new("web/app.min.js"), false));
        assert!(!ex.excludes(Path::new("web/keep.min.js"), false));
        assert!(ex.excludes(Path::new("build/out.txt"), false));
        assert!(!ex.excludes(Path::new("src/build/out.txt"), false));
        assert!(!ex.excludes(Path::new("src/app.py"), false));
    }

    #[test]
    fn no_patterns_exclude_nothing() {
        assert!(!excludes(&[]).excludes(Path::new("a/b"), false));
    }

    #[test]
    fn an_invalid_pattern_is_named() {
        let err = Excludes::new(&["src/{a,b".to_string()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("src/{a,b"), "{err}");
    }
}

//! The words package names are made of: telling a different word from a misspelt one.
//!
//! `willow` is one letter away from `pillow`, `dataset` from `datasets` and `toml` from
//! `tomli`, yet none of them is a typo: each is a word that many unrelated package names
//! use. A misspelling such as `reqeusts` or `nunpy` is, by contrast, a word almost no
//! other package uses. So the typosquat check treats a one-letter difference as a *mistake*
//! only when the word it produces is not an established word of the ecosystem's names.
//!
//! The shipped lists (`data/name-words-<ecosystem>.txt`) hold every word (a name split at
//! `-`, `_`, `.`, `/` and `@`) that occurs in at least [`MIN_NAMES`] distinct names of a
//! package list of the ecosystem (886,323 PyPI names, the whole index; 226,995 npm names, the
//! part of the registry with download figures), one per line, sorted. [`words_from_names`]
//! derives them; the `name_words` example writes the files.
//!
//! (words of three letters or fewer: at least [`MIN_NAMES_SHORT`]). Short words are mostly
//! fragments and abbreviations (`cor`, `aut`, `sdk`), so a stray one turns up in a handful of
//! names by chance; and the typosquat check ignores words of one or two letters entirely.

use std::collections::HashMap;
use std::sync::OnceLock;

use corral_model::Ecosystem;

/// A word counts as established when at least this many distinct names contain it. A
/// squatter registering a handful of variants of one misspelling stays well below it.
pub const MIN_NAMES: usize = 5;

/// The same for words of three letters or fewer.
pub const MIN_NAMES_SHORT: usize = 20;

/// Words of a (normalised) package name.
pub fn words(name: &str) -> impl Iterator<Item = &str> {
    name.split(['-', '_', '.', '/', '@'])
        .filter(|w| !w.is_empty())
}

/// The established words of one ecosystem's names.
#[derive(Debug, Clone, Default)]
pub struct NameWords {
    sorted: Vec<&'static str>,
}

impl NameWords {
    /// The shipped list for `ecosystem` (parsed once per process).
    pub fn shipped(ecosystem: Ecosystem) -> &'static NameWords {
        static PYPI: OnceLock<NameWords> = OnceLock::new();
        static NPM: OnceLock<NameWords> = OnceLock::new();
        let (cell, text) = match ecosystem {
            Ecosystem::PyPI => (&PYPI, include_str!("../data/name-words-pypi.txt")),
            Ecosystem::Npm => (&NPM, include_str!("../data/name-words-npm.txt")),
        };
        cell.get_or_init(|| Self::parse(text))
    }

    fn parse(text: &'static str) -> Self {
        let mut sorted: Vec<&'static str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        sorted.sort_unstable();
        sorted.dedup();
        Self { sorted }
    }

    /// Whether `word` is an established word of the ecosystem's names.
    pub fn contains(&self, word: &str) -> bool {
        self.sorted.binary_search(&word).is_ok()
    }

    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }
}

/// The words occurring in at least `min_names` distinct names (`min_names_short` for words
/// of three letters or fewer), sorted. Names should already be normalised (lower case); a
/// word repeated inside one name counts once.
pub fn words_from_names<'a>(
    names: impl IntoIterator<Item = &'a str>,
    min_names: usize,
    min_names_short: usize,
) -> Vec<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut in_name: Vec<&str> = Vec::new();
    for name in names {
        in_name.clear();
        in_name.extend(words(name));
        in_name.sort_unstable();
        in_name.dedup();
        for w in &in_name {
            *counts.entry(w).or_default() += 1;
        }
    }
    let mut out: Vec<String> = counts
        .into_iter()
        .filter(|(w, n)| {
            *n >= if w.len() <= 3 {
                min_names_short
            } else {
                min_names
            }
        })
        .map(|(w, _)| w.to_string())
        .collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_used_by_many_names_are_established_and_one_off_spellings_are_not() {
        let names = [
            "flask-cors",
            "django-cors-headers",
            "cors",
            "fastapi-cors",
            "corsx",
        ];
        assert_eq!(words_from_names(names, 3, 3), ["cors"]);
        assert_eq!(
            words_from_names(["a-a-a", "a", "b"], 2, 2),
            ["a"],
            "a word repeated in one name counts once"
        );
        // `tool` and `cli` are both in three names; only the longer word is established.
        let names = ["cli-x", "cli-y", "tool-cli", "tool-x", "tool-y"];
        assert_eq!(
            words_from_names(names, 2, 4),
            ["tool"],
            "short words need more names"
        );
    }

    #[test]
    fn the_shipped_lists_know_common_words_but_not_misspellings() {
        let py = NameWords::shipped(Ecosystem::PyPI);
        for w in ["dataset", "future", "toml", "arrow", "request", "cookie"] {
            assert!(py.contains(w), "{w}");
        }
        for w in ["reqeusts", "nunpy", "djang0", "colourama", "urlib3"] {
            assert!(!py.contains(w), "{w}");
        }
        let npm = NameWords::shipped(Ecosystem::Npm);
        assert!(npm.contains("cookie") && npm.contains("buffer"));
        assert!(!npm.contains("lodahs") && !npm.contains("mongose"));
    }

    #[test]
    fn scoped_npm_names_split_into_their_words() {
        assert_eq!(
            words("@babel/plugin-transform").collect::<Vec<_>>(),
            ["babel", "plugin", "transform"]
        );
    }
}

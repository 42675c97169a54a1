//! Typosquat detection: is this name one plausible mistake away from a popular package?
//!
//! A name is suspicious when it is *not* itself popular and a popular package (the best
//! ranked one wins) is reachable by one of the mistakes people and models make:
//!
//! - **separators and homoglyphs**: the same letters once `-`, `_`, `.` are dropped and
//!   look-alikes folded (`0`/`o`, `1`/`l`/`i`, `rn`/`m`, `vv`/`w`): `py-yaml`, `requ3sts`;
//! - **word order**: the same words in another order: `dateutil-python`;
//! - **affixes**: a popular name with `python-`, `py`, `-py`, `node-`, `-js`… added,
//!   removed or swapped: `python-requests`, `dateutil`, `python3-dateutil`, `lodash-js`;
//! - **one edit** (insertion, deletion, substitution, or two swapped neighbours), scaled by
//!   length: names of 6+ characters allow any single edit; 4–5 characters only a swap, a
//!   keyboard-neighbour substitution or a doubled/dropped letter; shorter names only the
//!   look-alike rules above. Edits that only change trailing digits (`pyqt5`/`pyqt6`) are
//!   version families, not mistakes.
//!
//! Two real packages often sit one such step apart (`attrs`/`cattrs`, `pillow`/`willow`,
//! `arrow`/`pyarrow`, `camelcase`/`camel-case`), and reporting the less popular one as an
//! imitation is the false alarm that makes people ignore the check. What tells them apart
//! is that the legitimate name is made of *established words* of the ecosystem (see
//! `name_words`: words many unrelated packages use), while a mistake produces a word nobody
//! else uses (`reqeusts`, `nunpy`). So an edit that turns one word of the target into another
//! established word is not reported, and neither is a name that is a single established word
//! when it only differs from the target by separators or an affix.
//!
//! Edit-distance candidates come from a deletion index (every popular name and its one-letter
//! deletions, hashed): a query generates its own deletions and looks them up, so checking a
//! name costs a few dozen lookups instead of a pass over the list or a Levenshtein
//! automaton per name, which keeps the check well above 100,000 names a second. Every index
//! the detector keeps (names, deletions, skeletons, word sets, affix cores) is a sorted
//! vector of 64-bit key hashes (see `hashed_names`): a hash collision can only add a
//! candidate, and every candidate is confirmed by comparing the names themselves.
//!
//! Building those tables for the 5,000 targets takes milliseconds, which a scan of one
//! lockfile should not pay every time: `typosquat_cache` writes them to the data directory
//! once and reads them back on later scans.

use corral_model::Ecosystem;
use serde::Serialize;

use crate::hashed_names::{HashTable, deletion_hashes, name_hash};
use crate::name_words::{self, NameWords};
use crate::popular::PopularList;

/// Which mistake turns the popular name into the suspicious one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mistake {
    Separator,
    Homoglyph,
    WordOrder,
    Affix,
    Transposition,
    KeyboardNeighbour,
    Substitution,
    Insertion,
    Deletion,
}

impl Mistake {
    pub fn describe(self) -> &'static str {
        match self {
            Mistake::Separator => "differs only in separators",
            Mistake::Homoglyph => "uses look-alike characters",
            Mistake::WordOrder => "has the same words in another order",
            Mistake::Affix => "adds or drops a common prefix or suffix",
            Mistake::Transposition => "swaps two neighbouring letters",
            Mistake::KeyboardNeighbour => "replaces a letter with its keyboard neighbour",
            Mistake::Substitution => "replaces one letter",
            Mistake::Insertion => "adds one letter",
            Mistake::Deletion => "drops one letter",
        }
    }
}

/// A popular package a name appears to imitate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imitation {
    pub target: String,
    pub target_rank: u32,
    pub mistake: Mistake,
}

/// The detector for one ecosystem.
#[derive(Debug)]
pub struct TyposquatDetector {
    ecosystem: Ecosystem,
    popular: PopularList,
    tables: Tables,
    words: &'static NameWords,
}

/// The detector's lookup tables. Every value is an index into `popular.entries` of a target
/// (a name ranked within the target limit).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Tables {
    /// Hash of the target's name.
    pub(crate) targets: HashTable,
    /// Hash of the target's name or of one of its one-letter deletions.
    pub(crate) deletions: HashTable,
    /// Hash of the target's [`skeleton`].
    pub(crate) skeletons: HashTable,
    /// Hash of the target's [`word_set`].
    pub(crate) word_sets: HashTable,
    /// Hash of each of the target's affix-stripped [`cores`].
    pub(crate) cores: HashTable,
}

impl Tables {
    fn build(ecosystem: Ecosystem, popular: &PopularList, target_limit: u32) -> Self {
        let (mut targets, mut deletions, mut skeletons, mut word_sets, mut cores) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (i, (name, rank)) in popular.entries.iter().enumerate() {
            if *rank > target_limit {
                continue;
            }
            let i = i as u32;
            targets.push((name_hash(name), i));
            deletions.push((name_hash(name), i));
            deletions.extend(deletion_hashes(name).map(|h| (h, i)));
            skeletons.push((name_hash(&skeleton(name)), i));
            if let Some(w) = word_set(name) {
                word_sets.push((name_hash(&w), i));
            }
            for c in self::cores(ecosystem, name) {
                cores.push((name_hash(c), i));
            }
        }
        Self {
            targets: HashTable::from_pairs(targets),
            deletions: HashTable::from_pairs(deletions),
            skeletons: HashTable::from_pairs(skeletons),
            word_sets: HashTable::from_pairs(word_sets),
            cores: HashTable::from_pairs(cores),
        }
    }
}

/// Only the best-ranked names are imitation targets: below this rank the list still vouches
/// for a name's legitimacy, but lookalikes of it are too common to report.
pub const DEFAULT_TARGET_LIMIT: u32 = 5_000;

fn prefixes(ecosystem: Ecosystem) -> &'static [&'static str] {
    match ecosystem {
        Ecosystem::PyPI => &["python3-", "python-", "py3-", "py-", "python", "py"],
        Ecosystem::Npm => &["node-", "js-", "nodejs-", "node"],
    }
}

fn suffixes(ecosystem: Ecosystem) -> &'static [&'static str] {
    match ecosystem {
        Ecosystem::PyPI => &["-python3", "-python", "-py3", "-py", "py", "-lib", "-sdk"],
        Ecosystem::Npm => &["-js", ".js", "js", "-node", "-nodejs", "-lib", "-npm"],
    }
}

fn is_separator(c: char) -> bool {
    matches!(c, '-' | '_' | '.')
}

/// Letters with separators dropped and look-alikes folded.
fn skeleton(name: &str) -> String {
    let folded: String = name
        .chars()
        .filter(|c| !is_separator(*c))
        .map(|c| match c {
            '0' => 'o',
            '1' | 'i' | '|' => 'l',
            '5' => 's',
            c => c,
        })
        .collect();
    folded.replace("rn", "m").replace("vv", "w")
}

/// The words of a name, sorted (only for names of two or more words).
fn word_set(name: &str) -> Option<String> {
    let mut words: Vec<&str> = name.split(is_separator).filter(|w| !w.is_empty()).collect();
    if words.len() < 2 {
        return None;
    }
    words.sort_unstable();
    Some(words.join("-"))
}

/// The name with one known affix removed, for every affix it carries (and enough is left).
fn cores(ecosystem: Ecosystem, name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for p in prefixes(ecosystem) {
        if let Some(rest) = name.strip_prefix(p)
            && rest.len() >= 4
        {
            out.push(rest);
        }
    }
    for s in suffixes(ecosystem) {
        if let Some(rest) = name.strip_suffix(s)
            && rest.len() >= 4
        {
            out.push(rest);
        }
    }
    out
}

const KEYBOARD: [&str; 4] = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];

fn key_position(c: char) -> Option<(i32, i32)> {
    KEYBOARD
        .iter()
        .enumerate()
        .find_map(|(row, keys)| keys.find(c).map(|col| (row as i32, col as i32)))
}

/// Whether two keys touch on a QWERTY keyboard.
pub fn keyboard_neighbours(a: char, b: char) -> bool {
    match (key_position(a), key_position(b)) {
        (Some((ra, ca)), Some((rb, cb))) => {
            (ra == rb && (ca - cb).abs() == 1)
                || ((ra - rb).abs() == 1
                    && (cb - ca == 0 || cb - ca == if rb > ra { -1 } else { 1 }))
        }
        _ => false,
    }
}

/// Classifies a single edit between `name` and `target`, or `None` when they are not one
/// edit apart.
fn single_edit(name: &str, target: &str) -> Option<Mistake> {
    let a: Vec<char> = name.chars().collect();
    let b: Vec<char> = target.chars().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (da, db) = (a.len() - prefix - suffix, b.len() - prefix - suffix);
    match (da, db) {
        (1, 1) => {
            if keyboard_neighbours(a[prefix], b[prefix]) {
                Some(Mistake::KeyboardNeighbour)
            } else {
                Some(Mistake::Substitution)
            }
        }
        (1, 0) => Some(Mistake::Insertion),
        (0, 1) => Some(Mistake::Deletion),
        (2, 2) if a[prefix] == b[prefix + 1] && a[prefix + 1] == b[prefix] => {
            Some(Mistake::Transposition)
        }
        _ => None,
    }
}

/// Whether a one-edit mistake is plausible for a target of this length (see module docs).
fn edit_allowed(name: &str, target: &str, mistake: Mistake) -> bool {
    let len = target.chars().count();
    // Version families: pyqt5 / pyqt6, boto / boto3 (but not urllib3 / urllib33).
    let split = |s: &str| {
        let stem = s.trim_end_matches(|c: char| c.is_ascii_digit());
        (stem.to_string(), s.len() - stem.len())
    };
    let ((stem_a, digits_a), (stem_b, digits_b)) = (split(name), split(target));
    if stem_a == stem_b && (digits_a == digits_b || digits_a.min(digits_b) == 0) {
        return false;
    }
    if len >= 6 {
        return true;
    }
    if len < 4 {
        return false;
    }
    match mistake {
        Mistake::Transposition | Mistake::KeyboardNeighbour => true,
        // Five letters: dropping or adding a letter is as common as a swap.
        Mistake::Insertion | Mistake::Deletion if len == 5 => true,
        // A doubled or dropped doubled letter.
        Mistake::Insertion | Mistake::Deletion => {
            let (long, _) = if name.len() > target.len() {
                (name, target)
            } else {
                (target, name)
            };
            long.as_bytes().windows(2).any(|w| w[0] == w[1])
        }
        _ => false,
    }
}

impl TyposquatDetector {
    /// Builds the detector over `popular`, using names ranked up to `target_limit` as targets.
    pub fn new(ecosystem: Ecosystem, popular: PopularList, target_limit: u32) -> Self {
        let tables = Tables::build(ecosystem, &popular, target_limit);
        Self {
            ecosystem,
            popular,
            tables,
            words: NameWords::shipped(ecosystem),
        }
    }

    /// A detector from tables read back from disk (already validated against `popular`).
    pub(crate) fn from_parts(ecosystem: Ecosystem, popular: PopularList, tables: Tables) -> Self {
        Self {
            ecosystem,
            popular,
            tables,
            words: NameWords::shipped(ecosystem),
        }
    }

    pub(crate) fn tables(&self) -> &Tables {
        &self.tables
    }

    pub fn ecosystem(&self) -> Ecosystem {
        self.ecosystem
    }

    /// The detector over the shipped (or refreshed) popular list.
    pub fn for_ecosystem(ecosystem: Ecosystem, popular: PopularList) -> Self {
        Self::new(ecosystem, popular, DEFAULT_TARGET_LIMIT)
    }

    pub fn popular(&self) -> &PopularList {
        &self.popular
    }

    fn entry(&self, i: u32) -> (&str, u32) {
        let (n, r) = &self.popular.entries[i as usize];
        (n, *r)
    }

    /// The popular package `normalized` appears to imitate, if any.
    pub fn check(&self, normalized: &str) -> Option<Imitation> {
        if self.popular.rank(normalized).is_some() {
            return None;
        }
        self.check_as_unknown(normalized)
    }

    /// Like [`check`](Self::check), but as if `normalized` were not on the popular list: used
    /// to measure how often legitimate popular names would be mistaken for each other.
    pub fn check_as_unknown(&self, normalized: &str) -> Option<Imitation> {
        if normalized.len() < 3 {
            return None;
        }
        let mut best: Option<Imitation> = None;
        let consider = |best: &mut Option<Imitation>, i: u32, mistake: Mistake| {
            let (target, rank) = self.entry(i);
            if target == normalized {
                return;
            }
            if best.as_ref().is_none_or(|b| rank < b.target_rank) {
                *best = Some(Imitation {
                    target: target.to_string(),
                    target_rank: rank,
                    mistake,
                });
            }
        };
        // A name that is one established word of the ecosystem (`camelcase`, `pyarrow`,
        // `querystring`: many other packages use it as a word) is a name in its own right,
        // not a popular name with its separators dropped or an affix glued on.
        // Computed on first need: most names reach neither question.
        let established = std::cell::OnceCell::new();
        let one_established_word = || {
            *established.get_or_init(|| {
                !normalized.contains(['-', '_', '.', '/', '@']) && self.words.contains(normalized)
            })
        };
        let sk = skeleton(normalized);
        if sk.len() >= 4 {
            for i in self.tables.skeletons.get(name_hash(&sk)) {
                let (target, _) = self.entry(i);
                if skeleton(target) != sk {
                    continue; // a hash collision
                }
                let same_letters =
                    target.replace(is_separator, "") == normalized.replace(is_separator, "");
                if same_letters && one_established_word() {
                    continue;
                }
                consider(
                    &mut best,
                    i,
                    if same_letters {
                        Mistake::Separator
                    } else {
                        Mistake::Homoglyph
                    },
                );
            }
        }
        if let Some(ws) = word_set(normalized) {
            for i in self.tables.word_sets.get(name_hash(&ws)) {
                if word_set(self.entry(i).0).as_ref() == Some(&ws) {
                    consider(&mut best, i, Mistake::WordOrder);
                }
            }
        }
        let mut affixed: Vec<u32> = Vec::new();
        self.affix_mistakes(normalized, &mut |i| affixed.push(i));
        if !affixed.is_empty() && !one_established_word() {
            for i in affixed {
                consider(&mut best, i, Mistake::Affix);
            }
        }
        if best.is_some() {
            return best;
        }
        // One edit: the name itself or one of its deletions meets a popular name or one of
        // its deletions.
        let mut seen: Vec<u32> = Vec::new();
        seen.extend(self.tables.deletions.get(name_hash(normalized)));
        for h in deletion_hashes(normalized) {
            seen.extend(self.tables.deletions.get(h));
        }
        seen.sort_unstable();
        seen.dedup();
        for i in seen {
            let (target, _) = self.entry(i);
            // Edits of a separator alone were judged above, as separator mistakes.
            let only_separators = || {
                target
                    .chars()
                    .filter(|c| !is_separator(*c))
                    .eq(normalized.chars().filter(|c| !is_separator(*c)))
            };
            if let Some(mistake) = single_edit(normalized, target)
                && !only_separators()
                && edit_allowed(normalized, target, mistake)
                && !self.swaps_in_an_established_word(normalized, target)
            {
                consider(&mut best, i, mistake);
            }
        }
        best
    }

    /// Calls `found` with every target `name` imitates by an affix: one added to the target
    /// (`python-requests`), dropped from it (`dateutil`) or swapped for another
    /// (`python3-dateutil`).
    fn affix_mistakes(&self, name: &str, found: &mut impl FnMut(u32)) {
        let name_cores = cores(self.ecosystem, name);
        for c in &name_cores {
            for i in self.tables.targets.get(name_hash(c)) {
                if self.entry(i).0 == *c {
                    found(i);
                }
            }
            for i in self.tables.cores.get(name_hash(c)) {
                if cores(self.ecosystem, self.entry(i).0).contains(c) {
                    found(i);
                }
            }
        }
        // Dropping an affix that leaves established words (`arrow` beside `pyarrow`, `yaml`
        // beside `js-yaml`) names those words, not a mangled package.
        let mut leaves_words = None;
        for i in self.tables.cores.get(name_hash(name)) {
            if cores(self.ecosystem, self.entry(i).0).contains(&name)
                && !*leaves_words
                    .get_or_insert_with(|| name_words::words(name).all(|w| self.words.contains(w)))
            {
                found(i);
            }
        }
    }

    /// Whether `name` differs from `target` in exactly one word, and that word of `name` is
    /// an established word of the ecosystem's names of at least three letters (`willow` for
    /// `pillow`): a different name, not a misspelt one.
    fn swaps_in_an_established_word(&self, name: &str, target: &str) -> bool {
        let mut ours = name_words::words(name);
        let mut theirs = name_words::words(target);
        let mut differing = None;
        loop {
            match (ours.next(), theirs.next()) {
                (None, None) => break,
                (Some(a), Some(b)) if a == b => {}
                (Some(a), Some(_)) if differing.is_none() => differing = Some(a),
                _ => return false,
            }
        }
        // Words of one or two letters (`ci`, `us`) are all established: they say nothing.
        differing.is_some_and(|w| w.len() >= 3 && self.words.contains(w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detector(ecosystem: Ecosystem) -> TyposquatDetector {
        TyposquatDetector::for_ecosystem(ecosystem, PopularList::shipped(ecosystem))
    }

    fn imitates(d: &TyposquatDetector, name: &str) -> Option<(String, Mistake)> {
        d.check(name).map(|i| (i.target, i.mistake))
    }

    #[test]
    fn classic_python_typosquats_name_the_package_they_imitate() {
        let d = detector(Ecosystem::PyPI);
        let cases = [
            ("reqeusts", "requests", Mistake::Transposition),
            ("requets", "requests", Mistake::Deletion),
            ("requestss", "requests", Mistake::Insertion),
            ("nunpy", "numpy", Mistake::KeyboardNeighbour),
            ("python-requests", "requests", Mistake::Affix),
            ("dateutil-python", "python-dateutil", Mistake::WordOrder),
            ("beautiful-soup4", "beautifulsoup4", Mistake::Separator),
            ("djang0", "django", Mistake::Homoglyph),
        ];
        for (name, target, mistake) in cases {
            assert_eq!(
                imitates(&d, name),
                Some((target.to_string(), mistake)),
                "{name}"
            );
        }
    }

    #[test]
    fn npm_typosquats_are_caught_too() {
        let d = detector(Ecosystem::Npm);
        assert_eq!(
            imitates(&d, "lodahs").map(|i| i.0).as_deref(),
            Some("lodash")
        );
        assert_eq!(
            imitates(&d, "expresss").map(|i| i.0).as_deref(),
            Some("express")
        );
        assert_eq!(
            imitates(&d, "react_dom").map(|i| i.0).as_deref(),
            Some("react-dom")
        );
    }

    #[test]
    fn popular_names_are_never_flagged_against_each_other() {
        let d = detector(Ecosystem::PyPI);
        for name in [
            "requests", "boto3", "botocore", "pyyaml", "pytest", "six", "attrs",
        ] {
            assert_eq!(d.check(name), None, "{name}");
        }
    }

    #[test]
    fn short_names_and_version_families_are_left_alone() {
        let d = detector(Ecosystem::PyPI);
        assert_eq!(
            d.check("sux"),
            None,
            "three letters: only look-alike rules apply"
        );
        assert_eq!(
            d.check("pyqt7"),
            None,
            "trailing-digit families are not typos"
        );
    }

    #[test]
    fn real_packages_one_step_from_more_popular_ones_are_not_taken_for_imitations() {
        // Each is checked as if it were not on the popular list, beside the popular
        // package it resembles.
        let py = detector(Ecosystem::PyPI);
        for name in [
            "willow",
            "dataset",
            "toml",
            "future",
            "pyarrow",
            "pyinstaller",
        ] {
            assert_eq!(py.check_as_unknown(name), None, "{name}");
        }
        let npm = detector(Ecosystem::Npm);
        for name in ["camelcase", "querystring", "cookies", "buffers"] {
            assert_eq!(npm.check_as_unknown(name), None, "{name}");
        }
    }

    #[test]
    fn misspellings_that_make_no_established_word_are_still_reported() {
        let py = detector(Ecosystem::PyPI);
        assert_eq!(
            imitates(&py, "colourama"),
            Some(("colorama".to_string(), Mistake::Insertion))
        );
        assert_eq!(
            imitates(&py, "urlib3"),
            Some(("urllib3".to_string(), Mistake::Deletion))
        );
        assert_eq!(
            imitates(&py, "setup-tools"),
            Some(("setuptools".to_string(), Mistake::Separator))
        );
        let npm = detector(Ecosystem::Npm);
        assert_eq!(
            imitates(&npm, "crossenv"),
            Some(("cross-env".to_string(), Mistake::Separator))
        );
        assert_eq!(
            imitates(&npm, "mongose"),
            Some(("mongoose".to_string(), Mistake::Deletion))
        );
    }

    #[test]
    fn an_affix_swapped_for_another_is_an_affix_mistake() {
        let py = detector(Ecosystem::PyPI);
        assert_eq!(
            imitates(&py, "python3-dateutil"),
            Some(("python-dateutil".to_string(), Mistake::Affix))
        );
        let npm = detector(Ecosystem::Npm);
        assert_eq!(
            imitates(&npm, "noderequest"),
            Some(("request".to_string(), Mistake::Affix))
        );
    }

    #[test]
    fn keyboard_neighbours_follow_qwerty() {
        assert!(keyboard_neighbours('q', 'w'));
        assert!(keyboard_neighbours('m', 'n'));
        assert!(keyboard_neighbours('s', 'w'));
        assert!(!keyboard_neighbours('q', 'p'));
    }
}

//! The keyword prefilter: one Aho-Corasick pass per file decides which detectors run where.
//!
//! Running every detector's regex over every byte would cost one pass per detector. Instead
//! every detector names keywords that must occur in or next to what it finds (a token
//! prefix such as `ghp_`, or a provider name for formats that have none), and one
//! ASCII-case-insensitive automaton over all keywords finds them in a single pass. Only
//! the detectors whose keywords occur run, and (for most) only on the lines that hold them.
//! A single combined `RegexSet` was avoided on purpose: it is slow to build and grows
//! badly with the number of patterns.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};

use crate::detector::Detector;
use crate::error::Error;

pub(crate) struct Prefilter {
    automaton: Option<AhoCorasick>,
    /// Detector indices for each automaton pattern.
    detectors_of: Vec<Vec<u32>>,
    /// Detectors with no keywords: they run on every file.
    pub always: Vec<u32>,
}

impl Prefilter {
    pub(crate) fn new(detectors: &[Detector]) -> Result<Self, Error> {
        let mut patterns: Vec<String> = Vec::new();
        let mut detectors_of: Vec<Vec<u32>> = Vec::new();
        let mut always = Vec::new();
        for (i, d) in detectors.iter().enumerate() {
            if d.keywords.is_empty() {
                always.push(i as u32);
                continue;
            }
            for k in &d.keywords {
                match patterns.iter().position(|p| p == k) {
                    Some(at) => {
                        if !detectors_of[at].contains(&(i as u32)) {
                            detectors_of[at].push(i as u32);
                        }
                    }
                    None => {
                        patterns.push(k.clone());
                        detectors_of.push(vec![i as u32]);
                    }
                }
            }
        }
        // A hit reports only the longest keyword starting at its position, so each keyword
        // also carries the detectors of every keyword it contains (`api_key` ⊃ `key`).
        let closure: Vec<Vec<u32>> = patterns
            .iter()
            .map(|p| {
                let mut ids: Vec<u32> = patterns
                    .iter()
                    .zip(&detectors_of)
                    .filter(|(q, _)| p.contains(q.as_str()))
                    .flat_map(|(_, ds)| ds.iter().copied())
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                ids
            })
            .collect();
        let detectors_of = closure;
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    // A full DFA: one table lookup per byte. The default (an NFA for this many
                    // patterns) spent most of the scan time following failure transitions.
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&patterns)
                    .map_err(|e| Error::Set(format!("cannot build the keyword automaton: {e}")))?,
            )
        };
        Ok(Self {
            automaton,
            detectors_of,
            always,
        })
    }

    /// Calls `f(start, end, detectors)` for every position where a keyword starts, in order,
    /// with the detectors of the longest keyword there and of every keyword inside it.
    ///
    /// The search resumes one byte after each hit's start rather than after its end, so a
    /// keyword that begins inside another (`dapi` in `xdapi_key`, then `api_key`) is still
    /// found. This visits every keyword occurrence, like an overlapping search, but runs the
    /// automaton's fast leftmost loop.
    pub(crate) fn for_each_hit(&self, text: &[u8], mut f: impl FnMut(usize, usize, &[u32])) {
        let Some(ac) = &self.automaton else { return };
        let mut at = 0;
        while at < text.len() {
            let Some(m) = ac.find(Input::new(text).range(at..)) else {
                break;
            };
            f(
                m.start(),
                m.end(),
                &self.detectors_of[m.pattern().as_usize()],
            );
            at = m.start() + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule_file;

    fn detectors(keywords: &[&[&str]]) -> Vec<Detector> {
        let mut text = String::new();
        for (i, kws) in keywords.iter().enumerate() {
            let list: Vec<String> = kws.iter().map(|k| format!("\"{k}\"")).collect();
            text.push_str(&format!(
                "[[detector]]\nid = \"d{i}\"\ntitle = \"t\"\nseverity = \"low\"\nkeywords = [{}]\nregex = 'x'\n[detector.examples]\npositive = ['x']\nnegative = ['y']\n",
                list.join(", ")
            ));
        }
        rule_file::parse("t.toml", &text).unwrap().0
    }

    fn hits(p: &Prefilter, text: &str) -> Vec<(usize, Vec<u32>)> {
        let mut out = Vec::new();
        p.for_each_hit(text.as_bytes(), |s, _, d| out.push((s, d.to_vec())));
        out
    }

    #[test]
    fn a_keyword_inside_a_longer_one_still_selects_its_detectors() {
        let p = Prefilter::new(&detectors(&[&["key"], &["api_key"]])).unwrap();
        assert_eq!(
            hits(&p, "my API_KEY=1"),
            vec![(3, vec![0, 1]), (7, vec![0])]
        );
    }

    #[test]
    fn a_keyword_starting_inside_another_match_is_found() {
        let p = Prefilter::new(&detectors(&[&["dapi"], &["api_key"]])).unwrap();
        let found: Vec<u32> = hits(&p, "xdapi_key")
            .into_iter()
            .flat_map(|(_, d)| d)
            .collect();
        assert_eq!(found, vec![0, 1]);
    }
}

//! Copyleft licence notices and licence titles in text, found by distinctive phrases.
//!
//! Code copied from a copyleft project usually arrives with its notice ("… under the terms
//! of the GNU General Public License as published by the Free Software Foundation; either
//! version 2 …"), and vendored directories carry the licence file itself, whose title names
//! licence and version. The patterns for those phrasings are data (`rules/notices.toml`),
//! each with examples that the tests run.
//!
//! Why phrases and not whole-text similarity (askalono, now maintained inside the `spdx`
//! crate as its `detection` feature)? It was evaluated: it identifies complete licence files
//! exactly, but it needs the licence texts linked into the binary (the `text` feature adds
//! about 6.5 MB; selecting a few texts at compile time still costs minutes of constant
//! evaluation on a loaded 2-core machine), building a store of 18 texts took 0.36–0.45 s per
//! process, and it does not find a notice inside a source file (a GPL header on top of 300
//! lines of C scored 0.03), which is the case that matters for copied code. The phrases find
//! notices and titles anywhere, in microseconds, and the version in them is exact.
//!
//! Before matching, comment markers at line starts are removed and lines are joined, so one
//! pattern covers `//`, `#`, ` * ` and plain-text layouts. A cheap keyword pass (one
//! Aho-Corasick automaton) skips files that cannot contain any notice.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use regex::{Captures, Regex, RegexBuilder};
use serde::Deserialize;

use crate::category::base_id;

const BUILT_IN: &str = include_str!("../rules/notices.toml");

/// Words at least one of which every notice contains (case-insensitive).
const KEYWORDS: &[&str] = &[
    "gpl",
    "gnu",
    "mozilla",
    "eclipse",
    "eupl",
    "european union",
    "server side",
    "sspl",
    "alike",
    "by-sa",
    "by sa",
    "open software",
    "cddl",
    "development and distribution",
    "documentation",
    "business source",
];

/// Comment markers removed from the start of each line, longest first.
const COMMENT_MARKERS: &[&str] = &[
    "\"\"\"", "'''", "<!--", "///", "//!", "/**", "//", "/*", "*/", "-->", "(*", "{-", "--", ";;",
    "*", "#", ";", "%", "'", "!",
];

#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    #[error("cannot parse the licence notice patterns: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("notice `{name}`: invalid pattern: {error}")]
    Pattern { name: String, error: regex::Error },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    /// The SPDX id the text must yield; absent for negative examples.
    #[serde(default)]
    pub expect: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NoticeSpec {
    name: String,
    pattern: String,
    id: String,
    #[serde(default)]
    families: BTreeMap<String, String>,
    #[serde(default)]
    example: Vec<Example>,
}

#[derive(Debug, Deserialize)]
struct NoticeFile {
    notice: Vec<NoticeSpec>,
}

/// One notice pattern, compiled.
#[derive(Debug)]
pub struct Notice {
    pub name: String,
    regex: Regex,
    id: String,
    families: BTreeMap<String, String>,
    pub examples: Vec<Example>,
}

/// A notice found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeHit {
    /// The SPDX id the notice names.
    pub id: String,
    /// 0-based index of the line where the notice starts.
    pub line_index: usize,
    /// The normalised matched text, bounded.
    pub matched: String,
}

/// All notice patterns.
#[derive(Debug)]
pub struct Notices {
    notices: Vec<Notice>,
    prefilter: AhoCorasick,
}

impl Notices {
    pub fn built_in() -> Result<Self, NoticeError> {
        let file: NoticeFile = toml::from_str(BUILT_IN)?;
        let notices = file
            .notice
            .into_iter()
            .map(|spec| {
                let regex = RegexBuilder::new(&spec.pattern)
                    .case_insensitive(true)
                    .build()
                    .map_err(|error| NoticeError::Pattern {
                        name: spec.name.clone(),
                        error,
                    })?;
                Ok(Notice {
                    name: spec.name,
                    regex,
                    id: spec.id,
                    families: spec.families,
                    examples: spec.example,
                })
            })
            .collect::<Result<Vec<_>, NoticeError>>()?;
        let prefilter = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(KEYWORDS)
            .expect("the notice keywords build an automaton");
        Ok(Self { notices, prefilter })
    }

    pub fn all(&self) -> &[Notice] {
        &self.notices
    }

    /// Every distinct licence whose notice or title appears in `text`, first occurrence
    /// each, in order of appearance.
    pub fn find(&self, text: &str) -> Vec<NoticeHit> {
        if !self.prefilter.is_match(text) {
            return Vec::new();
        }
        let normalized = Normalized::new(text);
        let mut hits: Vec<(usize, NoticeHit)> = Vec::new();
        for notice in &self.notices {
            for caps in notice.regex.captures_iter(&normalized.text) {
                let Some(id) = notice.build_id(&caps) else {
                    continue;
                };
                let whole = caps.get(0).expect("group 0 always matches");
                if hits.iter().any(|(_, h)| base_id(&h.id) == base_id(&id)) {
                    continue;
                }
                let matched: String = whole.as_str().chars().take(160).collect();
                hits.push((
                    whole.start(),
                    NoticeHit {
                        id,
                        line_index: normalized.line_at(whole.start()),
                        matched,
                    },
                ));
            }
        }
        hits.sort_by_key(|(at, _)| *at);
        hits.into_iter().map(|(_, h)| h).collect()
    }
}

impl Notice {
    fn build_id(&self, caps: &Captures<'_>) -> Option<String> {
        let group = |name: &str| caps.name(name).map(|m| m.as_str().to_ascii_lowercase());
        let family_key = group("family").unwrap_or_default();
        let family = self.families.get(&family_key).cloned().unwrap_or_default();
        let mut version = group("version")?;
        if family_key == "lesser" && version == "2" {
            version = "2.1".into();
        }
        if !version.contains('.') {
            version.push_str(".0");
        }
        let later = if group("later").is_some() {
            "-or-later"
        } else {
            "-only"
        };
        let nc = if group("nc").is_some() || group("nc2").is_some() {
            "NC-"
        } else {
            ""
        };
        Some(
            self.id
                .replace("{family}", &family)
                .replace("{version}", &version)
                .replace("{later}", later)
                .replace("{nc}", nc),
        )
    }
}

/// Text with comment markers removed and lines joined, remembering where each line began.
struct Normalized {
    text: String,
    /// (offset in `text`, 0-based line index) for every line, in order.
    starts: Vec<(usize, usize)>,
}

impl Normalized {
    fn new(text: &str) -> Self {
        let mut out = String::with_capacity(text.len());
        let mut starts = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let mut rest = line.trim();
            'strip: loop {
                for marker in COMMENT_MARKERS {
                    if let Some(stripped) = rest.strip_prefix(marker) {
                        rest = stripped.trim_start();
                        continue 'strip;
                    }
                }
                break;
            }
            let rest = rest
                .trim_end_matches("*/")
                .trim_end_matches("-->")
                .trim_end();
            if rest.is_empty() {
                continue;
            }
            starts.push((out.len(), index));
            out.push_str(rest);
            out.push(' ');
        }
        Self { text: out, starts }
    }

    fn line_at(&self, offset: usize) -> usize {
        let i = self.starts.partition_point(|&(start, _)| start <= offset);
        self.starts
            .get(i.saturating_sub(1))
            .map_or(0, |&(_, line)| line)
    }
}

/// The built-in notices, loaded once.
pub fn built_in() -> Result<&'static Notices, &'static NoticeError> {
    static NOTICES: OnceLock<Result<Notices, NoticeError>> = OnceLock::new();
    NOTICES.get_or_init(Notices::built_in).as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_example_yields_its_licence_and_negatives_yield_nothing() {
        let notices = Notices::built_in().unwrap();
        for notice in notices.all() {
            assert!(
                notice.examples.iter().any(|e| e.expect.is_some()),
                "{}",
                notice.name
            );
            assert!(
                notice.examples.iter().any(|e| e.expect.is_none()),
                "{}",
                notice.name
            );
            for example in &notice.examples {
                let found: Vec<String> = notices
                    .find(&example.text)
                    .into_iter()
                    .map(|h| h.id)
                    .collect();
                match &example.expect {
                    Some(id) => {
                        assert_eq!(found, vec![id.clone()], "{}: {}", notice.name, example.text)
                    }
                    None => assert_eq!(
                        found,
                        Vec::<String>::new(),
                        "{}: {}",
                        notice.name,
                        example.text
                    ),
                }
            }
        }
    }

    #[test]
    fn a_notice_split_over_comment_lines_is_found_at_its_first_line() {
        let text = "#include <stdio.h>\n/*\n * This program is free software; you can redistribute it\n * under the terms of the GNU General Public\n * License as published by the Free Software Foundation;\n * either version 3 of the License, or (at your option)\n * any later version.\n */\nint main(void) { return 0; }\n";
        let hits = Notices::built_in().unwrap().find(text);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].id, "GPL-3.0-or-later");
        assert_eq!(hits[0].line_index, 3);
    }

    #[test]
    fn the_same_licence_twice_is_reported_once() {
        let text = "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n...\nunder the terms of the GNU General Public License as published by the Free Software Foundation, either version 3 of the License, or (at your option) any later version.\n";
        let hits = Notices::built_in().unwrap().find(text);
        let ids: Vec<_> = hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["GPL-3.0-only"]);
    }
}

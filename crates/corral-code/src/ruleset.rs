//! The loaded rules of one scan, indexed for speed.
//!
//! Loading gives every sink kind named by a rule a bit, compiles the rules and the taint
//! specifications, and indexes every pattern under its anchor identifier (`execute` for
//! `$CUR.execute($Q)`), so that at each call in the scanned code only the patterns that
//! could possibly match are tried.
//!
//! The prefilter is one Aho-Corasick pass over a file's bytes that finds which of the
//! rules' words occur in it: a rule runs only where every name of one of its patterns occurs
//! (`hashlib` and `md5`), and a file in which no rule can match is never parsed. Taint rules also need one of their language's source keywords (`request`,
//! `argv`, `req`…), because without a source they cannot fire.

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use crate::language::Family;
use crate::pattern::PatternKind;
use crate::pruning::Vocabulary;
use crate::rule::{Rule, RuleError, compile, parse_spec};
use crate::taint_spec::{self, TaintSpec};
use crate::value::KindSet;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
}

/// Where a pattern sits: rule index and pattern index within the rule.
pub type PatternRef = (usize, usize);

/// Rules and taint specification of one language family, indexed.
#[derive(Debug)]
pub struct LanguageRules {
    pub family: Family,
    pub rules: Vec<Rule>,
    pub spec: TaintSpec,
    pub calls: HashMap<Arc<str>, Vec<PatternRef>>,
    pub assigns: HashMap<Arc<str>, Vec<PatternRef>>,
    pub dicts: HashMap<Arc<str>, Vec<PatternRef>>,
    pub returns: Vec<PatternRef>,
    pub sources: HashMap<Arc<str>, Vec<usize>>,
    pub sanitizers: HashMap<Arc<str>, Vec<usize>>,
    pub validators: HashMap<Arc<str>, Vec<usize>>,
    pub terminators: HashMap<Arc<str>, Vec<usize>>,
    /// The rules' words, numbered for the pruning of Python files.
    pub vocabulary: Vocabulary,
    prefilter: Option<AhoCorasick>,
    /// Size of the prefilter's vocabulary.
    words: usize,
    /// Per rule, which words a file needs for the rule to run.
    requirements: Vec<RuleRequirement>,
    /// Words of which one means a taint source may be present.
    source_words: Vec<usize>,
}

/// The words a rule needs in a file: all words of at least one pattern, and one of its
/// `keywords` if it has any.
#[derive(Debug)]
struct RuleRequirement {
    patterns: Vec<Vec<usize>>,
    any_of: Vec<usize>,
}

/// Which rules may match in one file, according to the prefilter.
#[derive(Debug, Clone)]
pub struct Active {
    pub rules: Vec<bool>,
    pub any: bool,
}

impl LanguageRules {
    pub fn prefilter(&self, content: &[u8]) -> Active {
        let mut found = vec![false; self.words];
        if let Some(ac) = &self.prefilter {
            for m in ac.find_overlapping_iter(content) {
                found[m.pattern().as_usize()] = true;
            }
        }
        let sources = self.source_words.iter().any(|&w| found[w]);
        let mut any = false;
        let rules = self
            .rules
            .iter()
            .zip(&self.requirements)
            .map(|(rule, req)| {
                let on = (rule.taint_kind.is_none() || sources)
                    && (req.any_of.is_empty() || req.any_of.iter().any(|&w| found[w]))
                    && req.patterns.iter().any(|p| p.iter().all(|&w| found[w]));
                any |= on;
                on
            })
            .collect();
        Active { rules, any }
    }

    pub fn all_active(&self) -> Active {
        Active {
            rules: vec![true; self.rules.len()],
            any: !self.rules.is_empty(),
        }
    }
}

/// All rules of a scanner.
#[derive(Debug)]
pub struct RuleSet {
    pub python: LanguageRules,
    pub javascript: LanguageRules,
    /// Sink kind names, by bit position.
    pub kinds: Vec<String>,
}

/// Rule files to load in addition to (or instead of) the built-in ones.
#[derive(Debug, Default, Clone)]
pub struct RuleSources {
    /// `(file name, YAML text)` pairs.
    pub files: Vec<(String, String)>,
    pub include_builtin: bool,
}

impl RuleSources {
    pub fn builtin() -> Self {
        Self {
            files: Vec::new(),
            include_builtin: true,
        }
    }

    /// Adds every `*.yaml`/`*.yml` file under `dir` (recursively).
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), RuleError> {
        let mut stack = vec![dir.to_path_buf()];
        let mut found = Vec::new();
        while let Some(d) = stack.pop() {
            let entries = std::fs::read_dir(&d).map_err(|e| {
                RuleError::new(
                    &d.display().to_string(),
                    format!("cannot read directory: {e}"),
                )
            })?;
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    found.push(path);
                }
            }
        }
        found.sort();
        for path in found {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(&path)
                .map_err(|e| RuleError::new(&name, format!("cannot read: {e}")))?;
            self.files.push((name, text));
        }
        Ok(())
    }
}

/// The built-in rule files, `(path, YAML)`.
pub fn builtin_rule_files() -> &'static [(&'static str, &'static str)] {
    builtin::BUILTIN_RULES
}

impl RuleSet {
    /// Loads the built-in rules.
    pub fn builtin() -> Result<RuleSet, Vec<RuleError>> {
        Self::load(&RuleSources::builtin())
    }

    /// Loads rules; every broken file is reported, not just the first.
    pub fn load(sources: &RuleSources) -> Result<RuleSet, Vec<RuleError>> {
        let mut errors = Vec::new();
        let mut files: Vec<(String, String)> = Vec::new();
        if sources.include_builtin {
            files.extend(
                builtin::BUILTIN_RULES
                    .iter()
                    .map(|(n, t)| (n.to_string(), t.to_string())),
            );
        }
        files.extend(sources.files.iter().cloned());
        let mut specs = Vec::new();
        for (name, text) in &files {
            match parse_spec(name, text) {
                Ok(spec) => specs.push((name.clone(), spec)),
                Err(e) => errors.push(e),
            }
        }
        let mut kinds: Vec<String> = Vec::new();
        for (_, spec) in &specs {
            if let Some(k) = &spec.taint
                && !kinds.contains(k)
            {
                kinds.push(k.clone());
            }
        }
        if kinds.len() > 64 {
            errors.push(RuleError::new(
                "rules",
                format!(
                    "{} sink kinds are in use; at most 64 are supported",
                    kinds.len()
                ),
            ));
            return Err(errors);
        }
        let bit = |name: &str| -> Option<KindSet> {
            kinds.iter().position(|k| k == name).map(|i| 1u64 << i)
        };
        let mut by_family: HashMap<Family, Vec<Rule>> = HashMap::default();
        let mut ids: HashMap<String, String> = HashMap::default();
        for (name, spec) in specs {
            if let Some(prev) = ids.get(&spec.id) {
                errors.push(RuleError::new(
                    &name,
                    format!("field `id`: `{}` is already used by {prev}", spec.id),
                ));
                continue;
            }
            ids.insert(spec.id.clone(), name.clone());
            let kind_bit = spec.taint.as_deref().and_then(bit).unwrap_or(0);
            match compile(&name, spec, kind_bit) {
                Ok(rule) => by_family.entry(rule.family).or_default().push(rule),
                Err(e) => errors.push(e),
            }
        }
        let mut specs_by_family: HashMap<Family, TaintSpec> = HashMap::default();
        for (name, text) in builtin::BUILTIN_TAINT_SPECS {
            match taint_spec::compile(name, text, &bit) {
                Ok(spec) => {
                    specs_by_family.insert(spec.family, spec);
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut take = |family: Family| -> Result<LanguageRules, RuleError> {
            let spec = specs_by_family.remove(&family).ok_or_else(|| {
                RuleError::new(
                    "taint",
                    format!("no taint specification for {}", family.as_str()),
                )
            })?;
            Ok(index(
                family,
                by_family.remove(&family).unwrap_or_default(),
                spec,
            ))
        };
        let python = take(Family::Python).map_err(|e| vec![e])?;
        let javascript = take(Family::Javascript).map_err(|e| vec![e])?;
        Ok(RuleSet {
            python,
            javascript,
            kinds,
        })
    }

    pub fn for_family(&self, family: Family) -> &LanguageRules {
        match family {
            Family::Python => &self.python,
            Family::Javascript => &self.javascript,
        }
    }

    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.python.rules.iter().chain(self.javascript.rules.iter())
    }
}

fn index(family: Family, rules: Vec<Rule>, spec: TaintSpec) -> LanguageRules {
    let mut calls: HashMap<Arc<str>, Vec<PatternRef>> = HashMap::default();
    let mut assigns: HashMap<Arc<str>, Vec<PatternRef>> = HashMap::default();
    let mut dicts: HashMap<Arc<str>, Vec<PatternRef>> = HashMap::default();
    let mut returns = Vec::new();
    for (ri, rule) in rules.iter().enumerate() {
        for (pi, p) in rule.patterns.iter().enumerate() {
            let map = match p.pattern.kind {
                PatternKind::Call => &mut calls,
                PatternKind::Assign => &mut assigns,
                PatternKind::Dict => &mut dicts,
                PatternKind::Return => {
                    returns.push((ri, pi));
                    continue;
                }
                PatternKind::Access => continue,
            };
            for a in &p.pattern.anchors {
                map.entry(a.clone()).or_default().push((ri, pi));
            }
        }
    }
    let by_anchor = |patterns: Vec<&crate::pattern::Pattern>| {
        let mut m: HashMap<Arc<str>, Vec<usize>> = HashMap::default();
        for (i, p) in patterns.into_iter().enumerate() {
            for a in &p.anchors {
                m.entry(a.clone()).or_default().push(i);
            }
        }
        m
    };
    let sources = by_anchor(spec.sources.iter().map(|s| &s.pattern).collect());
    let sanitizers = by_anchor(spec.sanitizers.iter().map(|s| &s.pattern).collect());
    let validators = by_anchor(spec.validators.iter().map(|s| &s.pattern).collect());
    let terminators = by_anchor(spec.terminators.iter().collect());

    let mut words: Vec<String> = Vec::new();
    let word_id = |w: &str, words: &mut Vec<String>| -> usize {
        // Pure subscript patterns can only be prefiltered on the bracket itself.
        let w = if w == crate::pattern::INDEX_ANCHOR {
            "["
        } else {
            w
        };
        match words.iter().position(|x| x == w) {
            Some(i) => i,
            None => {
                words.push(w.to_string());
                words.len() - 1
            }
        }
    };
    let mut requirements: Vec<RuleRequirement> = Vec::new();
    for rule in &rules {
        let patterns = rule
            .pattern_words
            .iter()
            .map(|ws| ws.iter().map(|w| word_id(w, &mut words)).collect())
            .collect();
        let any_of = rule
            .keywords
            .iter()
            .map(|w| word_id(w, &mut words))
            .collect();
        requirements.push(RuleRequirement { patterns, any_of });
    }
    let source_words: Vec<usize> = spec
        .keywords
        .iter()
        .map(|w| word_id(w, &mut words))
        .collect();
    // A full DFA: the vocabulary is a few hundred bytes, and the overlapping search runs
    // over every byte of every file, where a table lookup per byte beats the NFA's
    // transitions.
    let prefilter = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::DFA))
        .build(&words)
        .ok();
    let vocabulary = Vocabulary::new(&rules, &spec);
    LanguageRules {
        family,
        vocabulary,
        rules,
        spec,
        calls,
        assigns,
        dicts,
        returns,
        sources,
        sanitizers,
        validators,
        terminators,
        prefilter,
        words: words.len(),
        requirements,
        source_words,
    }
}

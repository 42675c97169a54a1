//! Which top-level statements of a Python file the analysis needs, found without parsing.
//!
//! Parsing is most of a scan's cost, and in a large file the rules can usually match in a
//! few places only: a file that uses `random` once still holds hundreds of functions that no
//! rule can touch. A light lexer (strings, comments, brackets, line continuations) cuts the
//! file into its top-level statements (a function or class with its decorators, an import,
//! an assignment, an `if __name__ …` block) and records, per statement, the identifiers it
//! mentions and the module-level names it defines. Only the statements a finding can depend
//! on are then handed to the parser, as tree-sitter *included ranges*, so line and column
//! numbers stay those of the file.
//!
//! A statement is kept when
//! - a rule's pattern could match in it: every word of the pattern occurs in it, counting a
//!   name imported under an alias as the words of its import (`from pickle import loads as
//!   l` makes `l` stand for `pickle` and `loads`), and every `regex` condition on the
//!   matched code's text, freed of the `^…$` around it, finds something in the statement;
//! - a taint source could be in it (a source pattern's words, a `request` parameter, a route
//!   decorator) of a kind an active taint rule accepts (no built-in rule accepts the
//!   environment, so `os.environ` alone taints nothing);
//! - it can end the module's execution (`raise`, `sys.exit()` at module level);
//! - it defines a module-level name a kept statement uses (a constant, a helper, an import),
//!   or it calls a function defined by a kept statement whose findings can depend on the
//!   arguments' values (a taint rule, a `value-regex`, a pattern literal matching a folded
//!   constant: see [`crate::rule::Rule::reads_call_values`]); both repeatedly, until
//!   nothing changes. Rules that look only at the code find as much in the function's own
//!   analysis, with unknown parameters, so their functions' callers are not needed.
//!
//! A taint rule's sink counts only in a statement taint can reach: one with a source, or
//! (repeatedly) one that a reached statement calls into, or one that uses a function or
//! module-level name a reached statement defines. A function is analysed with clean
//! parameters and sees only the module's globals, so taint has no other way in.
//!
//! The sets are over-approximations (words inside strings count, an assignment's whole
//! target counts), so dropping a statement never drops a finding; it only saves parsing it.
//! When the lexer is unsure (a string or bracket still open at the end of the file), the
//! whole file is parsed.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use regex::Regex;
use tree_sitter::{Point, Range};

use crate::pattern::PatternKind;
use crate::rule::Rule;
use crate::ruleset::{Active, LanguageRules};
use crate::taint_spec::TaintSpec;

/// A set of vocabulary words, one bit each.
type Mask = Vec<u64>;

fn union(into: &mut Mask, other: &Mask) {
    for (a, b) in into.iter_mut().zip(other) {
        *a |= b;
    }
}

/// The identifiers the rules' patterns and the taint sources are made of, numbered once
/// per scan, so that what a statement mentions is a few machine words and whether a
/// pattern can match in it is a mask test.
#[derive(Debug, Default)]
pub struct Vocabulary {
    index: HashMap<Box<str>, usize>,
    len: usize,
    /// Per rule, per pattern: the words it needs.
    patterns: Vec<Vec<Mask>>,
    /// Per rule, per pattern: the word its chain starts from, which must occur as a plain
    /// name (not after a dot) or in an import (see [`crate::pattern::Pattern::root`]).
    roots: Vec<Vec<Mask>>,
    /// Per taint source: the words it needs.
    sources: Vec<Mask>,
    /// Parameter names that make a parameter a request object.
    request_parameters: Mask,
    /// Per rule, per pattern: the regexes its conditions test on the matched code's text,
    /// where a match in the code implies one in its statement (no anchors).
    text_regexes: Vec<Vec<Vec<Regex>>>,
}

/// A regex that finds something in a statement wherever `re` matches the text of a piece
/// of it: `re` without its assertions (`^`, `$`, `\b`…), since dropping an assertion only
/// lets more text match, anywhere. `None` when the regex cannot be rebuilt that way (the
/// statement is then never dropped for it).
fn searchable(re: &Regex) -> Option<Regex> {
    use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};
    fn strip(h: &Hir) -> Hir {
        match h.kind() {
            HirKind::Look(_) => Hir::empty(),
            HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => h.clone(),
            HirKind::Repetition(r) => Hir::repetition(Repetition {
                sub: Box::new(strip(&r.sub)),
                ..r.clone()
            }),
            HirKind::Capture(c) => Hir::capture(Capture {
                sub: Box::new(strip(&c.sub)),
                ..c.clone()
            }),
            HirKind::Concat(hs) => Hir::concat(hs.iter().map(strip).collect()),
            HirKind::Alternation(hs) => Hir::alternation(hs.iter().map(strip).collect()),
        }
    }
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(re.as_str())
        .ok()?;
    if hir.properties().look_set().is_empty() {
        return Some(re.clone());
    }
    Regex::new(&strip(&hir).to_string()).ok()
}

impl Vocabulary {
    pub fn new(rules: &[Rule], spec: &TaintSpec) -> Self {
        let mut v = Vocabulary::default();
        // Only identifiers are looked for; other words (the subscript anchor) are left to
        // the analysis.
        let identifiers = |words: &[std::sync::Arc<str>]| -> Vec<Box<str>> {
            words
                .iter()
                .filter(|w| w.bytes().all(is_ident_char))
                .map(|w| Box::from(&**w))
                .collect()
        };
        let mut all: Vec<Box<str>> = Vec::new();
        for r in rules {
            for words in &r.pattern_words {
                all.extend(identifiers(words));
            }
        }
        for s in &spec.sources {
            all.extend(identifiers(&s.pattern.words));
        }
        all.extend(
            spec.request_parameters
                .iter()
                .map(|p| Box::from(p.as_str())),
        );
        for w in all {
            let next = v.index.len();
            v.index.entry(w).or_insert(next);
        }
        v.len = v.index.len();
        let mask_of = |v: &Vocabulary, words: &[Box<str>]| {
            let mut m = v.empty();
            for w in words {
                v.mark(&mut m, w);
            }
            m
        };
        v.patterns = rules
            .iter()
            .map(|r| {
                r.pattern_words
                    .iter()
                    .map(|ws| mask_of(&v, &identifiers(ws)))
                    .collect()
            })
            .collect();
        v.roots = rules
            .iter()
            .map(|r| {
                r.patterns
                    .iter()
                    .map(|p| {
                        let mut m = v.empty();
                        if let Some(root) = &p.pattern.root {
                            v.mark(&mut m, root);
                        }
                        m
                    })
                    .collect()
            })
            .collect();
        v.sources = spec
            .sources
            .iter()
            .map(|s| mask_of(&v, &identifiers(&s.pattern.words)))
            .collect();
        let params: Vec<Box<str>> = spec
            .request_parameters
            .iter()
            .map(|p| Box::from(p.as_str()))
            .collect();
        v.request_parameters = mask_of(&v, &params);
        v.text_regexes = rules
            .iter()
            .map(|r| {
                r.patterns
                    .iter()
                    .map(|p| {
                        p.conditions
                            .iter()
                            .chain(&r.conditions)
                            .filter_map(|c| c.regex.as_ref().and_then(searchable))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        v
    }

    fn empty(&self) -> Mask {
        vec![0; self.len.div_ceil(64)]
    }

    /// Adds `word` to `mask` if it is in the vocabulary.
    fn mark(&self, mask: &mut Mask, word: &str) {
        if let Some(&i) = self.index.get(word) {
            mask[i / 64] |= 1 << (i % 64);
        }
    }

    /// Adds a word met in the code to `words`, and to `params` and `plain` when given, if it
    /// is in the vocabulary (one lookup for all three).
    fn mark_code(
        &self,
        words: &mut Mask,
        params: Option<&mut Mask>,
        plain: Option<&mut Mask>,
        word: &str,
    ) {
        if let Some(&i) = self.index.get(word) {
            let (w, bit) = (i / 64, 1 << (i % 64));
            words[w] |= bit;
            if let Some(params) = params {
                params[w] |= bit;
            }
            if let Some(plain) = plain {
                plain[w] |= bit;
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChunkKind {
    Def,
    Class,
    Other,
}

/// One top-level statement: bytes `start..end` (whole lines) and what it mentions.
#[derive(Debug)]
struct Chunk<'s> {
    start: usize,
    start_row: usize,
    start_column: usize,
    kind: Option<ChunkKind>,
    /// For a member of a top-level class (a method, a class attribute), the chunk holding
    /// the class's header.
    parent: Option<usize>,
    /// Which words of the rules' vocabulary its code mentions, attribute names included.
    words: Mask,
    /// Which of them it mentions as plain names (not after a dot).
    plain_words: Mask,
    /// Which of them occur inside its string literals (dict keys are matched by them).
    string_words: Mask,
    /// Which of them occur on a line that can name parameters (a `def` header, a line
    /// with a `lambda`): only there can a `request` parameter be.
    param_words: Mask,
    /// Names it uses that could refer to module-level definitions: identifiers not after a
    /// dot, method names after `self.`/`cls.`, and words inside f-strings.
    refs: HashSet<&'s str>,
    /// Module-level names it may (re)bind.
    defs: HashSet<&'s str>,
    /// Names it calls as methods of other objects than `self`/`cls` (`obj.name(…)`): a method
    /// of a class of this file, if the object is one of its instances, which the analysis
    /// can only know from code that names the class.
    method_calls: HashSet<&'s str>,
    /// Names it calls (`f(…)`, `self.f(…)`, `obj.f(…)`): where the file's functions get
    /// their arguments.
    calls: HashSet<&'s str>,
    /// Functions it defines (any nesting: calls resolve them by name from anywhere).
    funcs: HashSet<&'s str>,
    /// Identifiers of its decorator lines.
    decorators: HashSet<&'s str>,
    /// Whether it may end the module's execution.
    exits: bool,
    /// Whether a function or lambda in it declares a parameter other than `self` or `cls`:
    /// the only way a `param` source can be in it.
    has_params: bool,
}

impl<'s> Chunk<'s> {
    /// Statements that run at module level (not a function or class definition).
    fn module_code(&self) -> bool {
        self.kind == Some(ChunkKind::Other) && self.parent.is_none()
    }

    fn new(
        start: usize,
        start_row: usize,
        start_column: usize,
        parent: Option<usize>,
        vocabulary: &Vocabulary,
    ) -> Self {
        Chunk {
            start,
            start_row,
            start_column,
            kind: None,
            parent,
            words: vocabulary.empty(),
            plain_words: vocabulary.empty(),
            string_words: vocabulary.empty(),
            param_words: vocabulary.empty(),
            refs: HashSet::default(),
            calls: HashSet::default(),
            method_calls: HashSet::default(),
            defs: HashSet::default(),
            funcs: HashSet::default(),
            decorators: HashSet::default(),
            exits: false,
            has_params: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'s> {
    Ident {
        name: &'s str,
        after_dot: bool,
    },
    Dot,
    /// `=` or an augmented assignment (`+=`, `<<=`, …).
    Assign,
    /// `:=`.
    Walrus,
    /// `@` at the start of a line.
    At,
    /// An opening bracket; `true` for `(`.
    Open(bool),
    Close,
    Other,
}

/// The lexer's view of a file: its top-level statements and its import lines.
struct Outline<'s> {
    chunks: Vec<Chunk<'s>>,
    /// The identifiers of each import statement.
    imports: Vec<Vec<&'s str>>,
    rows: usize,
    end_column: usize,
}

/// Whether a logical line with a `def` or a `lambda` declares a parameter other than `self`
/// or `cls`: an identifier inside a `def`'s parentheses, or right after `lambda`. Annotations
/// and defaults count too, which only errs towards keeping.
fn declares_parameters(line: &[Tok<'_>]) -> bool {
    let plain =
        |t: &Tok<'_>| matches!(t, Tok::Ident { name, .. } if !matches!(*name, "self" | "cls"));
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            Tok::Ident { name: "lambda", .. } if line.get(i + 1).is_some_and(plain) => {
                return true;
            }
            Tok::Ident { name: "def", .. } => {
                // `def name(` … the matching `)`.
                let mut depth = 0;
                for t in line.iter().skip(i + 2) {
                    match t {
                        Tok::Open(_) => depth += 1,
                        Tok::Close => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        t if depth > 0 && plain(t) => return true,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// Python's keywords and the constants spelled like names: never a variable.
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "False"
            | "None"
            | "True"
            | "and"
            | "as"
            | "assert"
            | "async"
            | "await"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "nonlocal"
            | "not"
            | "or"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
            | "self"
            | "cls"
    )
}

/// Per byte: 1 if it can start an identifier, 2 if it can continue one (a table: the lexer
/// asks for every byte of the file).
const IDENT_BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if byte.is_ascii_alphabetic() || byte == b'_' || byte >= 0x80 {
            table[b] = 3;
        } else if byte.is_ascii_digit() {
            table[b] = 2;
        }
        b += 1;
    }
    table
};

fn is_ident_start(b: u8) -> bool {
    IDENT_BYTES[b as usize] & 1 != 0
}

fn is_ident_char(b: u8) -> bool {
    IDENT_BYTES[b as usize] != 0
}

fn is_string_prefix(word: &[u8]) -> bool {
    word.len() <= 2
        && word
            .iter()
            .all(|b| matches!(b.to_ascii_lowercase(), b'r' | b'b' | b'u' | b'f'))
}

/// `src[start..end]` as text: sliced from `text` (the whole file, when it is UTF-8), or
/// checked on its own.
fn slice_text<'s>(
    src: &'s [u8],
    text: Option<&'s str>,
    start: usize,
    end: usize,
) -> Option<&'s str> {
    match text.and_then(|t| t.get(start..end)) {
        Some(w) => Some(w),
        None => std::str::from_utf8(&src[start..end]).ok(),
    }
}

/// Identifiers inside a string body.
fn string_words<'s>(
    src: &'s [u8],
    text: Option<&'s str>,
    mut i: usize,
    end: usize,
    out: &mut Vec<&'s str>,
) {
    while i < end {
        if is_ident_start(src[i]) {
            let s = i;
            while i < end && is_ident_char(src[i]) {
                i += 1;
            }
            if let Some(w) = slice_text(src, text, s, i) {
                out.push(w);
            }
        } else {
            i += 1;
        }
    }
}

struct Lexer<'s, 'v> {
    vocabulary: &'v Vocabulary,
    outline: Outline<'s>,
    line: Vec<Tok<'s>>,
    /// Words of strings in the current logical line, and whether the string was an f-string.
    line_strings: Vec<(&'s str, bool)>,
    decorator_pending: bool,
    /// The top-level class being read: its header chunk and its body's indentation.
    class: Option<(usize, Option<usize>)>,
}

impl<'s> Lexer<'s, '_> {
    /// Records what one logical line mentions and defines into the current chunk.
    fn end_logical_line(&mut self) {
        // Taken and given back cleared, so the buffers are allocated once per file.
        let mut line = std::mem::take(&mut self.line);
        let mut strings = std::mem::take(&mut self.line_strings);
        let chunk_index = self.outline.chunks.len() - 1;
        let chunk = self
            .outline
            .chunks
            .last_mut()
            .expect("the lexer starts with a chunk");
        for (w, fstring) in strings.drain(..) {
            self.vocabulary.mark(&mut chunk.string_words, w);
            if fstring {
                chunk.refs.insert(w);
            }
        }
        self.line_strings = strings;
        let Some(first) = line.first().copied() else {
            self.line = line;
            return;
        };
        let first_name = match first {
            Tok::Ident { name, .. } => Some(name),
            _ => None,
        };
        let header_line = chunk.kind.is_none() && first != Tok::At;
        if header_line {
            let kind = match (first_name, line.get(1)) {
                (Some("def"), _) => ChunkKind::Def,
                (Some("async"), Some(Tok::Ident { name: "def", .. })) => ChunkKind::Def,
                (Some("class"), _) => ChunkKind::Class,
                _ => ChunkKind::Other,
            };
            chunk.kind = Some(kind);
            if kind == ChunkKind::Class && chunk.parent.is_none() {
                // Its body's statements become chunks of their own (see `outline`).
                self.class = Some((chunk_index, None));
            }
        }
        // Module-level code: its assignments bind globals.
        let top_level_code = chunk.kind == Some(ChunkKind::Other) && chunk.parent.is_none();
        // A `def` or `class` here binds a module-level name (nested ones bind locals).
        let module_binding = top_level_code || (header_line && chunk.parent.is_none());
        let import = matches!(first_name, Some("import" | "from"));
        let names_parameters = matches!(first_name, Some("def"))
            || (first_name == Some("async")
                && matches!(line.get(1), Some(Tok::Ident { name: "def", .. })))
            || line
                .iter()
                .any(|t| matches!(t, Tok::Ident { name: "lambda", .. }));
        if names_parameters && declares_parameters(&line) {
            chunk.has_params = true;
        }
        let mut import_words = Vec::new();
        let mut targets: Vec<&'s str> = Vec::new();
        let mut depth = 0i32;
        let mut assigned = false;
        let mut prev: Option<Tok<'s>> = None;
        let mut prev2: Option<Tok<'s>> = None;
        for (i, tok) in line.iter().copied().enumerate() {
            match tok {
                Tok::Ident { name, after_dot } => {
                    self.vocabulary.mark_code(
                        &mut chunk.words,
                        names_parameters.then_some(&mut chunk.param_words),
                        (!after_dot).then_some(&mut chunk.plain_words),
                        name,
                    );
                    let self_attr = after_dot
                        && matches!(
                            prev2,
                            Some(Tok::Ident {
                                name: "self" | "cls" | "this",
                                after_dot: false
                            })
                        );
                    let keyword = is_keyword(name);
                    // The name a `def` or `class` binds is neither a use nor a call.
                    let defined_here = matches!(
                        prev,
                        Some(Tok::Ident {
                            name: "def" | "class",
                            after_dot: false
                        })
                    );
                    // `obj.method(…)` may call a method of a class of this file: the
                    // analysis follows calls through instances (`Wrapper().drop(v)`).
                    let called = line.get(i + 1) == Some(&Tok::Open(true));
                    if (!after_dot || self_attr) && !keyword && !defined_here {
                        chunk.refs.insert(name);
                        if called {
                            chunk.calls.insert(name);
                        }
                    } else if after_dot && called {
                        chunk.method_calls.insert(name);
                        chunk.calls.insert(name);
                    }
                    if import && !keyword {
                        import_words.push(name);
                    }
                    if first == Tok::At {
                        chunk.decorators.insert(name);
                    }
                    if let Some(Tok::Ident {
                        name: kw,
                        after_dot: false,
                    }) = prev
                    {
                        match kw {
                            "def" => {
                                chunk.funcs.insert(name);
                                if module_binding {
                                    chunk.defs.insert(name);
                                }
                            }
                            "class" if module_binding => {
                                chunk.defs.insert(name);
                            }
                            "as" | "global" | "del" => targets.push(name),
                            _ => {}
                        }
                    }
                    if matches!(name, "raise" | "exit" | "_exit" | "abort" | "quit") {
                        chunk.exits = true;
                    }
                    if top_level_code && !after_dot && !keyword && !assigned && depth == 0 {
                        // Left of a not-yet-seen `=`: possibly a target (checked below).
                        targets.push(name);
                    }
                    // `x.append(…)`, `x[k] = …`: the statement's root is mutated.
                    if i == 0 && matches!(line.get(1), Some(Tok::Dot | Tok::Open(_))) {
                        targets.push(name);
                    }
                }
                Tok::Open(_) => depth += 1,
                Tok::Close => depth -= 1,
                Tok::Assign if depth == 0 && !assigned => {
                    assigned = true;
                }
                Tok::Walrus => {
                    if let Some(Tok::Ident { name, .. }) = prev {
                        targets.push(name);
                    }
                }
                _ => {}
            }
            prev2 = prev;
            prev = Some(tok);
        }
        if !assigned {
            // Without an assignment only the explicit binders count (`as`, `for … in`, the
            // mutated root), which the loop collected alongside every identifier; keep the
            // binders only.
            let mut keep: Vec<&'s str> = Vec::new();
            let mut in_for = false;
            let mut prev: Option<Tok<'s>> = None;
            for tok in line.iter().copied() {
                if let Tok::Ident { name, after_dot } = tok {
                    if let Some(Tok::Ident {
                        name: "as" | "global" | "del",
                        after_dot: false,
                    }) = prev
                    {
                        keep.push(name);
                    }
                    if !after_dot && name == "for" {
                        in_for = true;
                    } else if !after_dot && name == "in" {
                        in_for = false;
                    } else if in_for && !after_dot && !is_keyword(name) {
                        keep.push(name);
                    }
                }
                prev = Some(tok);
            }
            if let Some(Tok::Ident { name, .. }) = line.first()
                && matches!(line.get(1), Some(Tok::Dot | Tok::Open(_)))
            {
                keep.push(name);
            }
            targets = keep;
        }
        if top_level_code {
            for t in targets {
                chunk.defs.insert(t);
            }
        }
        if import {
            // Imports bind names for the whole file, wherever they run.
            for w in &import_words {
                chunk.defs.insert(w);
            }
            self.outline.imports.push(import_words);
        }
        if top_level_code
            && line
                .iter()
                .any(|t| matches!(t, Tok::Ident { name: "lambda", .. }))
        {
            let defs: Vec<&'s str> = chunk.defs.iter().copied().collect();
            chunk.funcs.extend(defs);
        }
        self.decorator_pending = first == Tok::At;
        line.clear();
        self.line = line;
    }
}

impl<'s> Lexer<'s, '_> {
    /// Reads the string literal at `start` (an f-string when `fstring`): its words go to
    /// `line_strings` and the line gets one token. Returns where it ends, the rows it spans
    /// and where the last of them starts; `None` when the file ends inside it.
    fn string_literal(
        &mut self,
        src: &'s [u8],
        text: Option<&'s str>,
        start: usize,
        fstring: bool,
    ) -> Option<(usize, usize, Option<usize>)> {
        let (next, rows, last_row_start, closed) = skip_string(src, start);
        let mut words = Vec::new();
        string_words(src, text, start, next, &mut words);
        self.line_strings
            .extend(words.into_iter().map(|w| (w, fstring)));
        self.line.push(Tok::Other);
        closed.then_some((next, rows, last_row_start))
    }
}

/// Cuts a file into top-level statements. `None` when the lexer ends inside a string or
/// bracket, where its view of the file cannot be trusted.
fn outline<'s>(src: &'s [u8], vocabulary: &Vocabulary) -> Option<Outline<'s>> {
    // Identifiers are cut at ASCII bytes, so with the file checked once they are sliced
    // from it without checking each again.
    let text = std::str::from_utf8(src).ok();
    let mut lx = Lexer {
        vocabulary,
        outline: Outline {
            chunks: vec![Chunk::new(0, 0, 0, None, vocabulary)],
            imports: Vec::new(),
            rows: 0,
            end_column: 0,
        },
        line: Vec::new(),
        line_strings: Vec::new(),
        decorator_pending: false,
        class: None,
    };
    let n = src.len();
    let bom = if src.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    let mut i = bom;
    let mut row = 0usize;
    let mut row_start = 0usize;
    let mut depth = 0i32;
    let mut continuation = false;
    let mut at_line_start = true;
    let mut after_dot = false;
    while i < n {
        if at_line_start {
            at_line_start = false;
            if depth == 0 && !continuation {
                let b = src[i];
                let code_at_col0 = (i == row_start || (row == 0 && i == bom))
                    && !matches!(b, b' ' | b'\t' | b'\x0c' | b'\r' | b'\n' | b'#');
                if code_at_col0 {
                    let continues = lx.decorator_pending
                        || [&b"else"[..], b"elif", b"except", b"finally"]
                            .iter()
                            .any(|kw| {
                                src[i..].starts_with(kw)
                                    && src.get(i + kw.len()).is_none_or(|c| !is_ident_char(*c))
                            });
                    if !continues && !lx.line.is_empty() {
                        lx.end_logical_line();
                    }
                    if !continues {
                        lx.class = None;
                        lx.outline
                            .chunks
                            .push(Chunk::new(i, row, i - row_start, None, vocabulary));
                    }
                } else if let Some((header, body_indent)) = lx.class {
                    // An indented line in a top-level class: a new member at the body's
                    // indentation, anything deeper belongs to the current member.
                    let mut j = i;
                    while j < n && matches!(src[j], b' ' | b'\t' | b'\x0c') {
                        j += 1;
                    }
                    let code = j < n && !matches!(src[j], b'\r' | b'\n' | b'#');
                    if code && i == row_start {
                        let indent = j - row_start;
                        let body_indent = body_indent.unwrap_or(indent);
                        lx.class = Some((header, Some(body_indent)));
                        let continues = lx.decorator_pending
                            || [&b"else"[..], b"elif", b"except", b"finally"]
                                .iter()
                                .any(|kw| {
                                    src[j..].starts_with(kw)
                                        && src.get(j + kw.len()).is_none_or(|c| !is_ident_char(*c))
                                });
                        if body_indent == indent && !continues {
                            lx.outline.chunks.push(Chunk::new(
                                row_start,
                                row,
                                0,
                                Some(header),
                                vocabulary,
                            ));
                        }
                    }
                }
            }
            continuation = false;
        }
        let b = src[i];
        match b {
            b'\n' => {
                if depth == 0 {
                    lx.end_logical_line();
                }
                i += 1;
                row += 1;
                row_start = i;
                at_line_start = true;
            }
            b'\\' => {
                if src.get(i + 1) == Some(&b'\n') {
                    continuation = true;
                    i += 2;
                    row += 1;
                    row_start = i;
                    at_line_start = true;
                } else if src.get(i + 1) == Some(&b'\r') && src.get(i + 2) == Some(&b'\n') {
                    continuation = true;
                    i += 3;
                    row += 1;
                    row_start = i;
                    at_line_start = true;
                } else {
                    i += 1;
                }
            }
            b'#' => {
                while i < n && src[i] != b'\n' {
                    i += 1;
                }
            }
            b'\'' | b'"' => {
                let (next, rows, last_row_start) = lx.string_literal(src, text, i, false)?;
                row += rows;
                if let Some(s) = last_row_start {
                    row_start = s;
                }
                i = next;
                after_dot = false;
            }
            _ if is_ident_start(b) => {
                let s = i;
                while i < n && is_ident_char(src[i]) {
                    i += 1;
                }
                let word = &src[s..i];
                if i < n && matches!(src[i], b'\'' | b'"') && is_string_prefix(word) {
                    let fstring = word.iter().any(|c| c.eq_ignore_ascii_case(&b'f'));
                    let (next, rows, last_row_start) = lx.string_literal(src, text, i, fstring)?;
                    row += rows;
                    if let Some(s) = last_row_start {
                        row_start = s;
                    }
                    i = next;
                } else if let Some(name) = slice_text(src, text, s, i) {
                    lx.line.push(Tok::Ident { name, after_dot });
                }
                after_dot = false;
            }
            b'0'..=b'9' => {
                while i < n && (is_ident_char(src[i]) || src[i] == b'.') {
                    i += 1;
                }
                lx.line.push(Tok::Other);
                after_dot = false;
            }
            b'.' => {
                i += 1;
                lx.line.push(Tok::Dot);
                after_dot = true;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                i += 1;
                lx.line.push(Tok::Open(b == b'('));
                after_dot = false;
            }
            b')' | b']' | b'}' => {
                depth = (depth - 1).max(0);
                i += 1;
                lx.line.push(Tok::Close);
                after_dot = false;
            }
            b'=' => {
                if src.get(i + 1) == Some(&b'=') {
                    i += 2;
                    lx.line.push(Tok::Other);
                } else {
                    i += 1;
                    lx.line.push(Tok::Assign);
                }
                after_dot = false;
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'@' | b'<' | b'>' | b'!'
            | b':' | b'~' => {
                let next = src.get(i + 1).copied();
                let next2 = src.get(i + 2).copied();
                let tok = if b == b':' && next == Some(b'=') {
                    i += 2;
                    Tok::Walrus
                } else if matches!(b, b'<' | b'>' | b'*' | b'/')
                    && next == Some(b)
                    && next2 == Some(b'=')
                {
                    i += 3;
                    Tok::Assign
                } else if matches!(b, b'<' | b'>' | b'!') && next == Some(b'=') {
                    i += 2;
                    Tok::Other
                } else if b != b':' && b != b'~' && next == Some(b'=') {
                    i += 2;
                    Tok::Assign
                } else {
                    i += 1;
                    if b == b'@' && lx.line.is_empty() {
                        Tok::At
                    } else {
                        Tok::Other
                    }
                };
                lx.line.push(tok);
                after_dot = false;
            }
            b' ' | b'\t' => {
                // Indentation and spacing: most of a Python file's bytes after identifiers.
                i += 1;
                while i < n && matches!(src[i], b' ' | b'\t') {
                    i += 1;
                }
            }
            _ => {
                i += 1;
            }
        }
    }
    if depth != 0 {
        return None;
    }
    lx.end_logical_line();
    lx.outline.rows = row;
    lx.outline.end_column = n - row_start;
    Some(lx.outline)
}

/// Skips a string literal starting at its opening quote. Returns the index after it, the
/// newlines inside, the start of the last line begun inside it, and whether it was closed.
fn skip_string(src: &[u8], start: usize) -> (usize, usize, Option<usize>, bool) {
    let q = src[start];
    let n = src.len();
    let triple = src.get(start + 1) == Some(&q) && src.get(start + 2) == Some(&q);
    let mut i = if triple { start + 3 } else { start + 1 };
    let mut rows = 0;
    let mut last_row_start = None;
    while i < n {
        let b = src[i];
        if b == b'\\' {
            if src.get(i + 1) == Some(&b'\n') {
                rows += 1;
                last_row_start = Some(i + 2);
            } else if src.get(i + 1) == Some(&b'\r') && src.get(i + 2) == Some(&b'\n') {
                rows += 1;
                last_row_start = Some(i + 3);
                i += 1;
            }
            i += 2;
            continue;
        }
        if b == b'\n' {
            if !triple {
                // An unterminated one-line string: Python stops it here too.
                return (i, rows, last_row_start, true);
            }
            rows += 1;
            last_row_start = Some(i + 1);
            i += 1;
            continue;
        }
        if b == q {
            if !triple {
                return (i + 1, rows, last_row_start, true);
            }
            if src.get(i + 1) == Some(&q) && src.get(i + 2) == Some(&q) {
                return (i + 3, rows, last_row_start, true);
            }
        }
        i += 1;
    }
    (n.min(i), rows, last_row_start, false)
}

/// What to parse of a file.
#[derive(Debug, PartialEq, Eq)]
pub enum Needed {
    /// The whole file.
    All,
    /// Nothing: no rule can match anywhere.
    Nothing,
    /// These ranges only (whole top-level statements, in file order), and the byte spans of
    /// the functions among them that are needed only for what they define, not analysed on
    /// their own (see [`crate::analysis::Analyzer::skip_standalone`]).
    Ranges(Vec<Range>, Vec<std::ops::Range<usize>>),
}

/// Decides which parts of a Python file the rules `active` in it can need (see the module
/// documentation).
pub fn needed(src: &[u8], lr: &LanguageRules, active: &Active) -> Needed {
    let vocabulary = &lr.vocabulary;
    let Some(outline) = outline(src, vocabulary) else {
        return Needed::All;
    };
    let chunks = &outline.chunks;
    // Every identifier an import statement mentions stands for all of that statement's
    // identifiers (an alias stands for what it imports).
    let mut groups_of: HashMap<&str, Vec<usize>> = HashMap::default();
    let mut group_words: Vec<Mask> = Vec::with_capacity(outline.imports.len());
    for (g, group) in outline.imports.iter().enumerate() {
        let mut mask = vocabulary.empty();
        for w in group {
            vocabulary.mark(&mut mask, w);
            let list = groups_of.entry(w).or_default();
            if list.last() != Some(&g) {
                list.push(g);
            }
        }
        group_words.push(mask);
    }
    // Per chunk, the vocabulary it mentions directly or through the imports whose names it
    // uses (an alias is used as a plain name, never after a dot), and which of it as plain
    // names (an import's words count as plain: `from re import compile`).
    let (words, plain): (Vec<Mask>, Vec<Mask>) = chunks
        .iter()
        .map(|c| {
            let mut mask = c.words.clone();
            let mut plain = c.plain_words.clone();
            for r in &c.refs {
                if let Some(list) = groups_of.get(r) {
                    for &g in list {
                        union(&mut mask, &group_words[g]);
                        union(&mut plain, &group_words[g]);
                    }
                }
            }
            (mask, plain)
        })
        .unzip();
    let has_all = |i: usize, need: &Mask, in_strings: bool| {
        need.iter()
            .zip(&words[i])
            .zip(&chunks[i].string_words)
            .all(|((n, w), s)| n & !(w | if in_strings { *s } else { 0 }) == 0)
    };
    // The source kinds the active taint rules accept: taint of any other kind (the
    // environment, for the built-in rules) is never live at their sinks, so a statement
    // that reads only such sources taints nothing they can report.
    let accepted = lr
        .rules
        .iter()
        .zip(&active.rules)
        .filter(|(r, on)| **on && r.taint_kind.is_some())
        .fold(0, |k, (r, _)| k | r.sources);
    let remote = crate::rule::source_bit("remote").unwrap_or(0);
    let mut sources = vec![false; chunks.len()];
    if accepted != 0 {
        for (i, c) in chunks.iter().enumerate() {
            sources[i] = vocabulary
                .sources
                .iter()
                .zip(&lr.spec.sources)
                .any(|(m, s)| s.kind & accepted != 0 && has_all(i, m, false))
                || (accepted & remote != 0
                    && (vocabulary
                        .request_parameters
                        .iter()
                        .zip(&c.param_words)
                        .any(|(p, w)| p & w != 0)
                        || lr
                            .spec
                            .route_decorators
                            .iter()
                            .any(|d| c.decorators.contains(d.as_str()))));
        }
    }
    // A call by name that no variable answers goes to the first function of that name in
    // the file, at any nesting; other functions of the same name are reached only through
    // module-level bindings (`defs`).
    let mut first_def: HashMap<&str, usize> = HashMap::default();
    for (i, c) in chunks.iter().enumerate() {
        for f in &c.funcs {
            first_def.entry(f).or_insert(i);
        }
    }
    let resolves = |i: usize, f: &str| first_def.get(f) == Some(&i) || chunks[i].defs.contains(f);
    // Where taint can be: the chunks with a source, and, repeatedly, the chunks a tainted
    // chunk calls into (the arguments) and the chunks that use a function or module-level
    // name a tainted chunk defines (its return values and globals). A function is analysed
    // with clean parameters and sees only the module's own globals, so taint reaches no
    // other chunk; a taint sink elsewhere cannot fire and keeps nothing.
    let spread = |mut tainted: Vec<bool>| {
        if !tainted.iter().any(|t| *t) {
            return tainted;
        }
        loop {
            let mut called: HashSet<&str> = HashSet::default();
            let mut provided: HashSet<&str> = HashSet::default();
            for (i, c) in chunks.iter().enumerate().filter(|(i, _)| tainted[*i]) {
                if c.module_code() {
                    called.extend(c.refs.iter().chain(&c.method_calls).copied());
                } else {
                    called.extend(c.calls.iter().copied());
                }
                provided.extend(c.funcs.iter().copied().filter(|f| resolves(i, f)));
                if c.module_code() {
                    provided.extend(c.defs.iter().copied());
                }
            }
            let mut changed = false;
            for (i, c) in chunks.iter().enumerate() {
                if tainted[i] {
                    continue;
                }
                let called_into = c.funcs.iter().any(|f| called.contains(f) && resolves(i, f))
                    || (c.module_code() && c.defs.iter().any(|d| called.contains(d)));
                if called_into
                    || c.refs
                        .iter()
                        .chain(&c.method_calls)
                        .any(|r| provided.contains(r))
                {
                    tainted[i] = true;
                    changed = true;
                }
            }
            if !changed {
                return tainted;
            }
        }
    };
    let tainted = spread(sources.clone());
    // A function's parameters are `param` sources for the rules that accept them (when
    // nothing in the file calls it: counted for every function that has parameters, which
    // only errs towards keeping), so those rules' sinks count where either kind of taint
    // can reach.
    let param = crate::rule::source_bit("param").unwrap_or(0);
    let with_params = if accepted & param != 0 {
        spread(
            chunks
                .iter()
                .zip(&sources)
                .map(|(c, s)| {
                    *s || (c.has_params
                        && matches!(c.kind, Some(ChunkKind::Def | ChunkKind::Class)))
                })
                .collect(),
        )
    } else {
        vec![false; chunks.len()]
    };
    let chunk_text = |i: usize| {
        let end = chunks.get(i + 1).map_or(src.len(), |next| next.start);
        std::str::from_utf8(&src[chunks[i].start..end]).ok()
    };
    // Per chunk: whether it is needed, and whether what it finds can depend on the values
    // its functions are called with (then their call sites are needed too).
    let mut keep = vec![false; chunks.len()];
    let mut callers = vec![false; chunks.len()];
    for (i, c) in chunks.iter().enumerate() {
        keep[i] = sources[i] || (c.exits && c.module_code());
        for (ri, r) in lr.rules.iter().enumerate().filter(|(ri, r)| {
            active.rules[*ri]
                && (r.taint_kind.is_none()
                    || tainted[i]
                    || (with_params[i] && r.sources & param != 0))
        }) {
            let can_match = r
                .patterns
                .iter()
                .zip(&vocabulary.patterns[ri])
                .zip(&vocabulary.roots[ri])
                .zip(&vocabulary.text_regexes[ri])
                .any(|(((p, need), root), regexes)| {
                    has_all(i, need, p.pattern.kind == PatternKind::Dict)
                        && root.iter().zip(&plain[i]).all(|(r, w)| r & !w == 0)
                        && (regexes.is_empty()
                            || chunk_text(i)
                                .is_none_or(|t| regexes.iter().all(|re| re.is_match(t))))
                });
            if can_match {
                keep[i] = true;
                if r.reads_call_values {
                    callers[i] = true;
                    break;
                }
            }
        }
    }
    if !keep.iter().any(|k| *k) {
        return Needed::Nothing;
    }
    // What is kept from here on is kept for what it defines or passes on, not for a match.
    let matched = keep.clone();

    // Close over definitions used and call sites of the functions whose callers matter.
    // Both sets only grow: each chunk's names are added once, when it is first kept (or
    // first found to be a caller), not again on every round.
    let mut used: HashSet<&str> = HashSet::default();
    let mut used_methods: HashSet<&str> = HashSet::default();
    let mut defined: HashSet<&str> = HashSet::default();
    let mut in_used = vec![false; chunks.len()];
    let mut in_defined = vec![false; chunks.len()];
    loop {
        for (i, c) in chunks.iter().enumerate() {
            if keep[i] && !in_used[i] {
                used.extend(c.refs.iter().copied());
                used_methods.extend(c.method_calls.iter().copied());
                in_used[i] = true;
            }
            if callers[i] && !in_defined[i] {
                defined.extend(c.funcs.iter().copied().filter(|f| resolves(i, f)));
                in_defined[i] = true;
            }
        }
        // `alias = helper` makes `alias(…)` a call of the helper, and so on along chains of
        // aliases. A statement that names none of those functions (an import,
        // `T = TypeVar('T')`) binds nothing a call could follow into.
        loop {
            let before = defined.len();
            for (i, c) in chunks.iter().enumerate() {
                if keep[i] && c.module_code() && c.refs.iter().any(|r| defined.contains(r)) {
                    defined.extend(c.defs.iter().copied());
                }
            }
            if defined.len() == before {
                break;
            }
        }
        let mut changed = false;
        for (i, c) in chunks.iter().enumerate() {
            let reaches = if c.module_code() {
                c.refs.iter().any(|r| defined.contains(r))
                    || c.method_calls.iter().any(|r| defined.contains(r))
            } else {
                c.calls.iter().any(|r| defined.contains(r))
            };
            if !callers[i] && reaches {
                // A call site: the values it passes matter, and so do its own callers'.
                keep[i] = true;
                callers[i] = true;
                changed = true;
            } else if !keep[i]
                && (c.defs.iter().any(|d| used.contains(d))
                    || c.funcs.iter().any(|f| used.contains(f) && resolves(i, f))
                    || (c.parent.is_some_and(|h| keep[h])
                        && c.funcs.iter().any(|f| used_methods.contains(f))))
            {
                keep[i] = true;
                changed = true;
            }
        }
        // A class member needs its class's header, and a kept header brings the class's
        // own statements (attributes, docstring), which run with it, its constructor, which
        // sets the fields the methods read, and its properties, read without a call.
        for i in 0..chunks.len() {
            if let Some(h) = chunks[i].parent {
                if keep[i] && !keep[h] {
                    keep[h] = true;
                    changed = true;
                }
                let c = &chunks[i];
                if keep[h]
                    && !keep[i]
                    && (c.kind != Some(ChunkKind::Def)
                        || c.funcs.contains("__init__")
                        || c.decorators.contains("property")
                        || c.decorators.contains("cached_property"))
                {
                    keep[i] = true;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    // A kept class whose members were all dropped still needs a body to parse.
    for h in 0..chunks.len() {
        if keep[h] && chunks[h].kind == Some(ChunkKind::Class) && chunks[h].parent.is_none() {
            let members: Vec<usize> = (h + 1..chunks.len())
                .take_while(|&m| chunks[m].parent == Some(h))
                .collect();
            if !members.is_empty() && !members.iter().any(|&m| keep[m]) {
                keep[members[0]] = true;
            }
        }
    }
    if keep.iter().all(|k| *k) {
        return Needed::All;
    }
    let mut ranges: Vec<Range> = Vec::new();
    for (i, c) in chunks.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        let (end_byte, end_point) = match chunks.get(i + 1) {
            Some(next) => (next.start, Point::new(next.start_row, next.start_column)),
            None => (src.len(), Point::new(outline.rows, outline.end_column)),
        };
        match ranges.last_mut() {
            Some(last) if last.end_byte == c.start => {
                last.end_byte = end_byte;
                last.end_point = end_point;
            }
            _ => ranges.push(Range {
                start_byte: c.start,
                end_byte,
                start_point: Point::new(c.start_row, c.start_column),
                end_point,
            }),
        }
    }
    // A function kept only for what it defines (its return values, its globals) can match
    // no rule and reaches no function whose findings depend on what it passes: its own
    // analysis would find nothing.
    let quiet = chunks
        .iter()
        .enumerate()
        .filter(|(i, c)| keep[*i] && !matched[*i] && !callers[*i] && c.kind == Some(ChunkKind::Def))
        .map(|(i, c)| c.start..chunks.get(i + 1).map_or(src.len(), |next| next.start))
        .collect();
    Needed::Ranges(ranges, quiet)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;
    use crate::language::{Family, Grammar, parse_file, parse_file_in};

    fn kept_text(src: &str) -> Option<String> {
        let rules = RuleSet::builtin().unwrap();
        let lr = rules.for_family(Family::Python);
        let active = lr.prefilter(src.as_bytes());
        match needed(src.as_bytes(), lr, &active) {
            Needed::All => Some(src.to_string()),
            Needed::Nothing => None,
            Needed::Ranges(r, _) => {
                Some(r.iter().map(|r| &src[r.start_byte..r.end_byte]).collect())
            }
        }
    }

    #[test]
    fn identifier_bytes_are_letters_underscores_digits_and_non_ascii() {
        assert!(is_ident_start(b'a') && is_ident_start(b'_') && is_ident_start(0xc3));
        assert!(!is_ident_start(b'7') && is_ident_char(b'7'));
        assert!(!is_ident_char(b'.') && !is_ident_char(b' ') && !is_ident_char(b'\''));
    }

    #[test]
    fn only_the_functions_a_rule_can_match_in_are_kept() {
        let src = "import random\n\ndef token():\n    return random.random()\n\n\
                   def unrelated(a, b):\n    return a + b\n\nclass Other:\n    pass\n";
        let kept = kept_text(src).unwrap();
        assert!(kept.contains("import random"), "{kept}");
        assert!(kept.contains("def token"), "{kept}");
        assert!(!kept.contains("unrelated"), "{kept}");
        assert!(!kept.contains("class Other"), "{kept}");
    }

    #[test]
    fn a_file_where_no_rule_can_match_is_not_parsed_at_all() {
        // `pickle` and `loads` occur, but only inside a string.
        let src = "import pickle\n\ndef doc():\n    return 'pickle loads'\n";
        assert_eq!(kept_text(src), None);
    }

    #[test]
    fn constants_helpers_and_aliases_a_kept_statement_uses_are_kept() {
        let src = "from hashlib import new as make\nALG = 'md5'\nOTHER = 1\n\n\
                   def digest(data):\n    return make(ALG, data)\n";
        let kept = kept_text(src).unwrap();
        assert!(kept.contains("ALG = 'md5'"), "{kept}");
        assert!(kept.contains("from hashlib import new as make"), "{kept}");
        assert!(!kept.contains("OTHER"), "{kept}");
    }

    #[test]
    fn callers_of_a_kept_function_are_kept_for_their_arguments() {
        let src = "import subprocess\nimport sys\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n\n\
                   def main():\n    run(sys.argv[1])\n\ndef idle():\n    return 0\n";
        let kept = kept_text(src).unwrap();
        assert!(kept.contains("def main"), "{kept}");
        assert!(!kept.contains("def idle"), "{kept}");
    }

    #[test]
    fn callers_of_an_imported_function_are_not_kept_for_it() {
        // `make` comes from another module: calling it runs none of this file's code.
        let src = "import random\nfrom helpers import make\n\ndef token():\n    return make(random.random())\n\n\
                   def unrelated():\n    return make(1)\n";
        let kept = kept_text(src).unwrap();
        assert!(kept.contains("from helpers import make"), "{kept}");
        assert!(kept.contains("def token"), "{kept}");
        assert!(!kept.contains("def unrelated"), "{kept}");
    }

    #[test]
    fn callers_through_a_module_level_alias_of_a_kept_function_are_kept() {
        let src = "import subprocess\nimport sys\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n\n\
                   launch = run\n\ndef main():\n    launch(sys.argv[1])\n\ndef idle():\n    return 0\n";
        let kept = kept_text(src).unwrap();
        assert!(kept.contains("launch = run"), "{kept}");
        assert!(kept.contains("def main"), "{kept}");
        assert!(!kept.contains("def idle"), "{kept}");
    }

    #[test]
    fn callers_are_not_kept_where_no_argument_value_can_change_a_finding() {
        // `pickle.loads(blob)` is reported whatever `blob` holds: the function's own
        // analysis finds it, so its callers need not be parsed.
        let src = "import pickle\n\ndef load(blob):\n    return pickle.loads(blob)\n\n\
                   def main():\n    print(load(b'x'))\n";
        let kept = kept_text(src).unwrap();
        assert!(kept.contains("def load"), "{kept}");
        assert!(!kept.contains("def main"), "{kept}");
    }

    #[test]
    fn callers_through_a_chain_of_aliases_are_kept() {
        let src = "import subprocess\nimport sys\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n\n\
                   launch = run\nstart = launch\n\ndef main():\n    start(sys.argv[1])\n";
        let kept = kept_text(src).unwrap();
        assert!(kept.contains("start = launch"), "{kept}");
        assert!(kept.contains("def main"), "{kept}");
    }

    #[test]
    fn defining_a_method_of_the_same_name_is_not_calling_it() {
        let src = "import pickle\n\nclass Store:\n    def __init__(self, blob):\n        \
                   self.value = pickle.loads(blob)\n\nclass Counter:\n    def __init__(self):\n        \
                   self.n = 0\n";
        let kept = kept_text(src).unwrap();
        assert!(kept.contains("class Store"), "{kept}");
        assert!(!kept.contains("class Counter"), "{kept}");
    }

    #[test]
    fn class_members_are_kept_one_by_one_with_their_class_header() {
        let src = "import pickle\n\nclass Store:\n    \"\"\"Doc.\"\"\"\n    limit = 3\n\n    \
                   def load(self, blob):\n        return pickle.loads(blob)\n\n    \
                   def size(self):\n        return self.limit\n";
        let kept = kept_text(src).unwrap();
        assert!(kept.contains("class Store:"), "{kept}");
        assert!(kept.contains("limit = 3"), "{kept}");
        assert!(kept.contains("def load"), "{kept}");
        assert!(!kept.contains("def size"), "{kept}");
    }

    #[test]
    fn a_file_that_is_not_utf8_is_pruned_all_the_same() {
        let src: &[u8] =
            b"import random\n# caf\xe9\n\ndef token():\n    return random.random()\n\n\
                           def unrelated():\n    return 1\n";
        let rules = RuleSet::builtin().unwrap();
        let lr = rules.for_family(Family::Python);
        let Needed::Ranges(ranges, _) = needed(src, lr, &lr.prefilter(src)) else {
            panic!("ranges expected");
        };
        let kept: Vec<u8> = ranges
            .iter()
            .flat_map(|r| src[r.start_byte..r.end_byte].iter().copied())
            .collect();
        let kept = String::from_utf8_lossy(&kept);
        assert!(kept.contains("def token"), "{kept}");
        assert!(!kept.contains("unrelated"), "{kept}");
    }

    #[test]
    fn an_unterminated_string_means_the_whole_file_is_parsed() {
        let src = "import random\nx = '''never closed\n\ndef f():\n    return random.random()\n";
        assert_eq!(kept_text(src).as_deref(), Some(src));
    }

    #[test]
    fn taint_sinks_without_any_source_in_the_file_keep_nothing() {
        // `open` is a path-traversal sink and `request` occurs, but only in a string.
        let src = "import os\n\ndef read(p):\n    with open(p) as f:\n        return f.read()\n\n\
                   def label():\n    return 'request'\n";
        assert_eq!(kept_text(src), None);
    }

    #[test]
    fn a_statement_without_the_text_a_rule_s_regex_needs_is_not_kept() {
        // The secret-in-log rule tests the logged expression's text for secret-like names;
        // `print(count)` cannot pass, `print(password)` can.
        let src = "TOKEN_NOTE = 1\n\ndef report(count):\n    print(count)\n\n\
                   def leak(password):\n    print(password)\n";
        let kept = kept_text(src).unwrap();
        assert!(kept.contains("def leak"), "{kept}");
        assert!(!kept.contains("def report"), "{kept}");
    }

    #[test]
    fn a_regex_anchored_at_both_ends_is_searched_without_its_anchors() {
        // `$APP.debug = $V` needs `$APP` to be `app`, `application` or `server`.
        let src = "class Tool:\n    def on(self):\n        self.debug = True\n\n\
                   def serve(app):\n    app.debug = True\n";
        let kept = kept_text(src).unwrap();
        assert!(kept.contains("def serve"), "{kept}");
        assert!(!kept.contains("class Tool"), "{kept}");
        // Searched in a statement, a regex loses its assertions wherever they are, and
        // nothing else: a class's `^` and an escaped `$` stay.
        let finds =
            |re: &str, text: &str| searchable(&Regex::new(re).unwrap()).unwrap().is_match(text);
        assert!(finds("^(get|post)$", "x = get(1)"));
        assert!(finds("^secret", "my_secret = 1"));
        assert!(finds("(?i)(^|[^a-z])pw([^a-z]|$)", "h.update(new_PW)"));
        assert!(finds("\\bkey\\b", "monkey"));
        assert!(finds("[^a]b", "cb") && !finds("[^a]b", "ab"));
        assert!(finds("^a\\$", "xa$") && !finds("^a\\$", "xa"));
        assert!(!finds("^(get|post)$", "put()"));
    }

    #[test]
    fn a_regex_with_assertions_inside_still_drops_statements() {
        // `$H.update($X)` needs a password-like name in `$X`: `(^|[^a-z])pw([^a-z]|$)`.
        let src = "import hashlib\n\ndef digest(data):\n    h = hashlib.sha256()\n    \
                   h.update(data)\n    return h\n\ndef store(pw):\n    h = hashlib.sha256()\n    \
                   h.update(pw)\n    return h\n";
        let kept = kept_text(src).unwrap();
        assert!(kept.contains("def store"), "{kept}");
        assert!(!kept.contains("def digest"), "{kept}");
    }

    #[test]
    fn a_pattern_s_first_name_counts_only_as_a_plain_name() {
        // `compile($X)` is the built-in: `re.compile(…)` cannot match it.
        let src = "import re\n\ndef pattern(text):\n    return re.compile(text)\n\n\
                   def run(text):\n    return compile(text, 'x', 'exec')\n";
        let kept = kept_text(src).unwrap();
        assert!(kept.contains("def run"), "{kept}");
        assert!(!kept.contains("def pattern"), "{kept}");
        // Imported under its own name, it is plain again.
        let src = "from builtins import compile as c\n\ndef run(text):\n    return c(text, 'x', 'exec')\n";
        assert!(kept_text(src).unwrap().contains("def run"));
    }

    #[test]
    fn a_function_without_parameters_holds_no_parameter_source() {
        let src = "import os\n\nclass Case:\n    def test_it(self):\n        os.system('ls')\n\n\
                   def run(cmd):\n    os.system(cmd)\n\ndef later():\n    f = lambda c: os.system(c)\n";
        let kept = kept_text(src).unwrap();
        assert!(kept.contains("def run"), "{kept}");
        assert!(kept.contains("def later"), "{kept}");
        assert!(!kept.contains("test_it"), "{kept}");
    }

    #[test]
    fn a_method_called_on_some_object_is_kept_only_with_its_class() {
        // `w.clean(v)` can only reach `Wrapper.clean` if the code names `Wrapper`.
        let src = "import os\n\nclass Other:\n    def clean(self, v):\n        return v\n\n\
                   class Wrapper:\n    def clean(self, v):\n        return v\n\n\
                   def run(cmd):\n    w = Wrapper()\n    os.system(w.clean(cmd))\n";
        let kept = kept_text(src).unwrap();
        assert!(kept.contains("class Wrapper:\n    def clean"), "{kept}");
        assert!(!kept.contains("class Other"), "{kept}");
    }

    #[test]
    fn a_taint_sink_no_source_can_reach_keeps_nothing() {
        let src = "import os\nimport sys\n\ndef remove(path):\n    os.remove(path)\n\n\
                   def main():\n    print(sys.argv[1])\n";
        let kept = kept_text(src).unwrap();
        assert!(kept.contains("def main"), "{kept}");
        assert!(!kept.contains("def remove"), "{kept}");
    }

    #[test]
    fn a_source_of_a_kind_no_active_rule_accepts_taints_nothing() {
        // No built-in rule accepts the environment as a source: `home()` taints nothing.
        let src = "import os\nimport sys\n\ndef home():\n    return os.environ['HOME']\n\n\
                   def remove():\n    os.remove(home())\n\ndef main():\n    print(sys.argv[1])\n";
        let kept = kept_text(src).unwrap();
        assert!(kept.contains("def main"), "{kept}");
        assert!(!kept.contains("def remove"), "{kept}");
        assert!(!kept.contains("def home"), "{kept}");
        let with_argv = src.replace("os.environ['HOME']", "sys.argv[2]");
        let kept = kept_text(&with_argv).unwrap();
        assert!(kept.contains("def remove"), "{kept}");
        assert!(kept.contains("def home"), "{kept}");
    }

    #[test]
    fn only_a_parameter_named_request_is_a_request_source() {
        let src = "import os\nimport urllib.request\n\n\
                   def fetch(url):\n    return urllib.request.urlopen(url).read()\n\n\
                   def remove(name):\n    os.remove(fetch(name))\n";
        let kept = kept_text(src).unwrap_or_default();
        assert!(!kept.contains("def remove"), "{kept}");
        let view = "import os\n\ndef view(\n    request,\n):\n    os.remove(request.GET['f'])\n";
        let kept = kept_text(view).unwrap();
        assert!(kept.contains("def view"), "{kept}");
        let lambda = "import os\n\nview = lambda request: os.remove(request.GET['f'])\n";
        let kept = kept_text(lambda).unwrap();
        assert!(kept.contains("view = lambda"), "{kept}");
    }

    #[test]
    fn a_function_kept_only_for_its_return_value_is_not_analysed_on_its_own() {
        let src = "import random\n\ndef scale():\n    return 4\n\n\
                   def token():\n    return random.random() * scale()\n\n\
                   def unrelated():\n    return 1\n";
        let rules = RuleSet::builtin().unwrap();
        let lr = rules.for_family(Family::Python);
        let Needed::Ranges(ranges, alone) =
            needed(src.as_bytes(), lr, &lr.prefilter(src.as_bytes()))
        else {
            panic!("expected ranges");
        };
        let kept: String = ranges
            .iter()
            .map(|r| &src[r.start_byte..r.end_byte])
            .collect();
        assert!(
            kept.contains("def scale") && kept.contains("def token"),
            "{kept}"
        );
        let quiet: Vec<&str> = alone.iter().map(|r| src[r.clone()].trim()).collect();
        assert_eq!(quiet, vec!["def scale():\n    return 4"]);
    }

    #[test]
    fn a_taint_sink_reached_through_arguments_or_return_values_is_kept() {
        let src = "import os\nimport sys\n\ndef arg():\n    return sys.argv[1]\n\n\
                   def remove():\n    os.remove(arg())\n\ndef unlink(path):\n    os.unlink(path)\n\n\
                   def main():\n    unlink(sys.argv[2])\n";
        let kept = kept_text(src).unwrap();
        assert!(kept.contains("def remove"), "{kept}");
        assert!(kept.contains("def unlink"), "{kept}");
    }

    #[test]
    fn a_restricted_parse_keeps_the_file_s_line_numbers() {
        let src = "import random\n\ndef unrelated():\n    return 1\n\n\
                   def token():\n    return random.random()\n";
        let rules = RuleSet::builtin().unwrap();
        let lr = rules.for_family(Family::Python);
        let Needed::Ranges(ranges, _) = needed(src.as_bytes(), lr, &lr.prefilter(src.as_bytes()))
        else {
            panic!("ranges expected");
        };
        let module = parse_file_in(Grammar::Python, src.as_bytes(), Some(&ranges)).unwrap();
        let full = parse_file(Grammar::Python, src.as_bytes()).unwrap();
        assert_eq!(module.body.len(), 2);
        assert_eq!(module.body[1].span, full.body[2].span);
        assert_eq!(module.body[1].span.line, 6);
    }
}

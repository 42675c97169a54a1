//! The languages the code scanner reads, and turning their text into the analysis form.
//!
//! Rules are written per language *family*: a `javascript` rule applies to `.js`, `.jsx`,
//! `.mjs`, `.cjs`, `.ts`, `.tsx`, `.mts` and `.cts` files alike, because the lowering erases
//! the differences that matter to data flow. Each file is parsed with its own grammar (TSX
//! and TypeScript differ on `<T>` casts).
//!
//! A file whose tree has too many syntax errors is refused: analysing half a tree would
//! report nonsense or, worse, miss flows silently. Small error regions (a stray token, a
//! newer syntax the grammar does not know) are tolerated and skipped by the lowering.

use std::cell::RefCell;

use serde::{Deserialize, Serialize};
use tree_sitter::{Node, Parser, Range, Tree};

use crate::ir::{Module, Stmt};
use crate::lower::{self, Ctx};

/// A rule's language family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Python,
    Javascript,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Python => "python",
            Family::Javascript => "javascript",
        }
    }
}

/// A concrete grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grammar {
    Python,
    Javascript,
    Typescript,
    Tsx,
}

impl Grammar {
    /// The grammar for a path, by extension.
    pub fn for_path(path: &str) -> Option<Grammar> {
        let ext = path.rsplit_once('.')?.1;
        Some(match ext {
            "py" | "pyw" => Grammar::Python,
            "js" | "jsx" | "mjs" | "cjs" => Grammar::Javascript,
            "ts" | "mts" | "cts" => {
                if path.ends_with(".d.ts") || path.ends_with(".d.mts") || path.ends_with(".d.cts") {
                    return None;
                }
                Grammar::Typescript
            }
            "tsx" => Grammar::Tsx,
            _ => return None,
        })
    }

    pub fn family(self) -> Family {
        match self {
            Grammar::Python => Family::Python,
            _ => Family::Javascript,
        }
    }

    fn ts_language(self) -> tree_sitter::Language {
        match self {
            Grammar::Python => tree_sitter_python::LANGUAGE.into(),
            Grammar::Javascript => tree_sitter_javascript::LANGUAGE.into(),
            Grammar::Typescript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Grammar::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        }
    }

    fn parser(self) -> Parser {
        let mut parser = Parser::new();
        // Only fails on an ABI mismatch between the grammar crates and the runtime, which
        // the pinned versions rule out; a parser without a language parses nothing.
        let _ = parser.set_language(&self.ts_language());
        parser
    }

    fn index(self) -> usize {
        match self {
            Grammar::Python => 0,
            Grammar::Javascript => 1,
            Grammar::Typescript => 2,
            Grammar::Tsx => 3,
        }
    }
}

thread_local! {
    /// One parser per grammar and thread, made on first use: a parser owns sizeable buffers
    /// (stack, lexer, reusable nodes) that would otherwise be allocated and freed per file.
    static PARSERS: RefCell<[Option<Parser>; 4]> = const { RefCell::new([None, None, None, None]) };
}

/// Share of a file's bytes inside syntax errors above which it is not analysed.
pub const MAX_ERROR_SHARE: f64 = 0.2;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the parser gave up on this file")]
    NoTree,
    #[error(
        "{percent}% of the file is not valid {language} (first error at line {line}); \
         the file was not analysed"
    )]
    TooManyErrors {
        percent: u32,
        line: u32,
        language: &'static str,
    },
}

impl ParseError {
    pub fn line(&self) -> Option<u32> {
        match self {
            ParseError::TooManyErrors { line, .. } => Some(*line),
            ParseError::NoTree => None,
        }
    }
}

fn parse_tree(grammar: Grammar, src: &[u8]) -> Result<Tree, ParseError> {
    parse_tree_in(grammar, src, None)
}

/// Parses `src`, or only its `ranges` (positions stay those of the whole file).
fn parse_tree_in(
    grammar: Grammar,
    src: &[u8],
    ranges: Option<&[Range]>,
) -> Result<Tree, ParseError> {
    PARSERS.with(|parsers| {
        let mut parsers = parsers.borrow_mut();
        let parser = parsers[grammar.index()].get_or_insert_with(|| grammar.parser());
        let restricted = ranges.is_some_and(|r| parser.set_included_ranges(r).is_ok());
        let tree = parser.parse(src, None);
        if restricted {
            // Back to whole documents for the next file; an empty list always succeeds.
            let _ = parser.set_included_ranges(&[]);
        }
        // A parse that gave up leaves state behind; the next file starts clean.
        if tree.is_none() {
            parser.reset();
        }
        tree.ok_or(ParseError::NoTree)
    })
}

/// Bytes covered by error nodes, and the line of the first one.
fn error_extent(root: Node<'_>) -> (usize, Option<u32>) {
    let mut bytes = 0;
    let mut first: Option<u32> = None;
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            bytes += node.byte_range().len().max(1);
            let line = node.start_position().row as u32 + 1;
            first = Some(first.map_or(line, |f| f.min(line)));
            continue;
        }
        if node.has_error() {
            stack.extend(node.children(&mut cursor));
        }
    }
    (bytes, first)
}

/// Parses and lowers a source file.
pub fn parse_file(grammar: Grammar, src: &[u8]) -> Result<Module, ParseError> {
    parse_file_in(grammar, src, None)
}

/// Parses and lowers only `ranges` of a source file (whole top-level statements, see
/// [`crate::pruning`]), or all of it. If the restricted parse meets a syntax error, the
/// whole file is parsed instead, so errors are judged and reported as for a full parse.
pub fn parse_file_in(
    grammar: Grammar,
    src: &[u8],
    ranges: Option<&[Range]>,
) -> Result<Module, ParseError> {
    let mut tree = parse_tree_in(grammar, src, ranges)?;
    if ranges.is_some() && tree.root_node().has_error() {
        tree = parse_tree(grammar, src)?;
    }
    let root = tree.root_node();
    if root.has_error() {
        let (bytes, line) = error_extent(root);
        let share = bytes as f64 / src.len().max(1) as f64;
        if share > MAX_ERROR_SHARE {
            return Err(ParseError::TooManyErrors {
                percent: (share * 100.0).round() as u32,
                line: line.unwrap_or(1),
                language: grammar.family().as_str(),
            });
        }
    }
    let mut ctx = Ctx::new(src, false);
    Ok(match grammar {
        Grammar::Python => lower::python::lower_module(&mut ctx, root),
        _ => lower::javascript::lower_module(&mut ctx, root),
    })
}

/// Parses a rule pattern written in `family`'s syntax. Errors anywhere are refused: a
/// pattern is short, and a half-parsed one would match the wrong code.
pub fn parse_pattern(family: Family, pattern: &str) -> Result<Vec<Stmt>, String> {
    let text = lower::prepare_pattern(pattern);
    let grammar = match family {
        Family::Python => Grammar::Python,
        // TSX accepts JSX and type syntax, the widest JavaScript family grammar.
        Family::Javascript => Grammar::Tsx,
    };
    let tree = parse_tree(grammar, text.as_bytes()).map_err(|e| e.to_string())?;
    let root = tree.root_node();
    if root.has_error() {
        let (_, line) = error_extent(root);
        return Err(format!(
            "is not valid {} (syntax error near line {})",
            family.as_str(),
            line.unwrap_or(1)
        ));
    }
    let mut ctx = Ctx::new(text.as_bytes(), true);
    let stmts = match family {
        Family::Python => lower::python::lower_pattern(&mut ctx, root),
        Family::Javascript => lower::javascript::lower_pattern(&mut ctx, root),
    };
    if stmts.len() != 1 {
        return Err(format!(
            "must be exactly one expression or statement, found {}",
            stmts.len()
        ));
    }
    Ok(stmts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_pick_the_grammar_and_declaration_files_are_skipped() {
        assert_eq!(Grammar::for_path("a/b.py"), Some(Grammar::Python));
        assert_eq!(Grammar::for_path("x.tsx"), Some(Grammar::Tsx));
        assert_eq!(Grammar::for_path("x.mjs"), Some(Grammar::Javascript));
        assert_eq!(Grammar::for_path("types.d.ts"), None);
        assert_eq!(Grammar::for_path("README.md"), None);
    }

    #[test]
    fn a_file_that_is_mostly_garbage_is_refused_with_the_first_error_line() {
        let src = b"def f(:\n  )))) ((( ]]] [[[ !!!! @@@ $$$ ::: ;;; \n";
        let err = parse_file(Grammar::Python, src).unwrap_err();
        assert!(
            matches!(err, ParseError::TooManyErrors { line: 1, .. }),
            "{err}"
        );
    }

    #[test]
    fn the_thread_s_parser_starts_every_file_afresh() {
        let broken = b"def f(:\n  )))) ((( ]]] [[[ !!!! @@@ $$$ ::: ;;; \n";
        assert!(parse_file(Grammar::Python, broken).is_err());
        let module = parse_file(Grammar::Python, b"import os\nos.system(x)\n").unwrap();
        assert_eq!(module.body.len(), 2);
        assert_eq!(module.body[1].span.line, 2);
    }

    #[test]
    fn a_small_error_is_tolerated() {
        let mut src = String::new();
        for i in 0..50 {
            src.push_str(&format!("x{i} = {i}\n"));
        }
        src.push_str("y = (\n");
        assert!(parse_file(Grammar::Python, src.as_bytes()).is_ok());
    }
}

//! Lowering: from a tree-sitter syntax tree to the analysis form in [`crate::ir`].
//!
//! Each language has its own file; this one holds what they share: spans, node text, the
//! recursion guard and how rule patterns spell metavariables and ellipses.
//!
//! Patterns are ordinary code in the rule's language with two additions, `$NAME` and `...`.
//! Neither is valid everywhere in Python or JavaScript, so before a pattern is parsed they
//! are rewritten to identifiers no real program uses (`__mv_NAME`, `__corral_ellipsis__`), and
//! lowering turns those identifiers back into [`ExprKind::Metavar`] and
//! [`ExprKind::Ellipsis`]. Real code is never rewritten: jQuery's `$` stays a name.
//!
//! Syntax trees of hostile input can be arbitrarily deep; lowering stops descending after
//! [`MAX_DEPTH`] levels and keeps the deeper part as an opaque value, so no input can
//! exhaust the stack of the analyses that follow.

pub mod javascript;
pub mod python;

use std::sync::Arc;

use tree_sitter::Node;

use crate::ir::{Expr, ExprKind, Span};

/// Deepest nesting lowered; deeper expressions become opaque.
pub const MAX_DEPTH: u32 = 160;

const METAVAR_PREFIX: &str = "__mv_";
const ELLIPSIS_NAME: &str = "__corral_ellipsis__";

/// State shared by both languages' lowering.
pub struct Ctx<'a> {
    pub src: &'a [u8],
    /// Lowering a rule pattern rather than scanned code.
    pub pattern: bool,
    pub depth: u32,
    /// Python names bound to `functools.partial(f, ...)` in the scopes being lowered: the
    /// name, `f` and the arguments fixed with it. A call of the name is lowered as a call of
    /// `f` with those arguments first, so rules on `f` see it.
    pub partials: Vec<(Arc<str>, Expr, Vec<crate::ir::Arg>)>,
}

impl<'a> Ctx<'a> {
    pub fn new(src: &'a [u8], pattern: bool) -> Self {
        Self {
            src,
            pattern,
            depth: 0,
            partials: Vec::new(),
        }
    }

    pub fn text(&self, node: Node<'_>) -> &'a str {
        std::str::from_utf8(&self.src[node.byte_range()]).unwrap_or("")
    }

    pub fn span(&self, node: Node<'_>) -> Span {
        let start = node.start_position();
        let end = node.end_position();
        Span {
            start: node.start_byte(),
            end: node.end_byte(),
            line: start.row as u32 + 1,
            column: start.column as u32 + 1,
            end_line: end.row as u32 + 1,
            end_column: end.column as u32 + 1,
        }
    }

    /// A name, which in a pattern may be a metavariable or an ellipsis.
    pub fn name(&self, text: &str, span: Span) -> Expr {
        if self.pattern {
            if text == ELLIPSIS_NAME {
                return Expr::new(ExprKind::Ellipsis, span);
            }
            if let Some(mv) = text.strip_prefix(METAVAR_PREFIX) {
                return Expr::new(ExprKind::Metavar(format!("${mv}").into()), span);
            }
        }
        Expr::new(ExprKind::Name(Arc::from(text)), span)
    }
}

/// Rewrites a pattern's `$NAME` and `...` into parseable identifiers (see the module docs).
pub fn prepare_pattern(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '$'
            && chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_uppercase() || *n == '_')
        {
            out.push_str(METAVAR_PREFIX);
            i += 1;
            continue;
        }
        if c == '.' && chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') {
            out.push_str(ELLIPSIS_NAME);
            i += 3;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Decodes the common backslash escapes of a string literal's body. Unknown escapes are
/// kept as written; the folder only needs values good enough to compare and match.
pub fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('\\') => out.push('\\'),
            Some('\'') => out.push('\''),
            Some('"') => out.push('"'),
            Some('`') => out.push('`'),
            Some('\n') => {}
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Parses a numeric literal in either language (`1_000`, `0x1f`, `1e3`, `10n`).
pub fn parse_number(text: &str) -> Option<f64> {
    let t: String = text
        .chars()
        .filter(|c| *c != '_')
        .collect::<String>()
        .trim_end_matches(['n', 'j', 'J', 'l', 'L'])
        .to_string();
    let lower = t.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(|v| v as f64);
    }
    if let Some(oct) = lower.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(|v| v as f64);
    }
    if let Some(bin) = lower.strip_prefix("0b") {
        return i64::from_str_radix(bin, 2).ok().map(|v| v as f64);
    }
    lower.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_spell_metavariables_and_ellipses_as_identifiers() {
        assert_eq!(
            prepare_pattern("os.system($CMD, ...)"),
            "os.system(__mv_CMD, __corral_ellipsis__)"
        );
        assert_eq!(prepare_pattern("$x + 1"), "$x + 1");
    }

    #[test]
    fn numbers_parse_in_every_notation() {
        assert_eq!(parse_number("1_000"), Some(1000.0));
        assert_eq!(parse_number("0x1F"), Some(31.0));
        assert_eq!(parse_number("2.5e1"), Some(25.0));
        assert_eq!(parse_number("10n"), Some(10.0));
    }

    #[test]
    fn escapes_decode_and_unknown_ones_stay() {
        assert_eq!(unescape(r"a\nb\'c\q"), "a\nb'c\\q");
    }
}

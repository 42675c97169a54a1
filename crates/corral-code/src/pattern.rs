//! Structural patterns: code with holes, matched node for node against lowered code.
//!
//! A pattern is a line of Python or JavaScript in which `$NAME` stands for any expression
//! (the same name twice must match the same text) and `...` for any number of arguments or
//! elements. It is lowered with the same code as the files it searches, so
//! `subprocess.run($CMD, ..., shell=True)` finds `run(cmd, shell=True)` after
//! `from subprocess import run` as well as `sp.run(c, check=True, shell=True)` after
//! `import subprocess as sp`: dotted names are compared by what imports make them mean.
//!
//! Matching rules, chosen to keep patterns short and unsurprising:
//! - positional arguments match in order, `...` absorbing any run of them;
//! - keyword arguments in the pattern must all be present in the code, in any order (extra
//!   keywords in the code are fine);
//! - dict and object literals match when the pattern's entries are a subset of the code's,
//!   and an object pattern also matches a variable whose known fields hold those constants;
//! - a literal in the pattern matches the same literal or any expression the constant
//!   folder proves equal to it (`verify=False` finds `verify=flag` after `flag = False`);
//!   `"..."` matches any string literal.
//!
//! A pattern is one of five kinds, by the position of the code it looks at: a call, an
//! access (a name or attribute, used for taint sources), an assignment, a `return`, or a
//! dict/object literal.

use std::sync::Arc;

use crate::constant::Const;
use crate::ir::{Arg, Expr, ExprKind, Lit, Stmt, StmtKind};
use crate::language::{Family, parse_pattern};

const ATTR_METAVAR_PREFIX: &str = "__mv_";
const ANY_STRING: &str = "__corral_ellipsis__";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatternKind {
    Call,
    Access,
    Assign,
    Return,
    Dict,
}

#[derive(Debug)]
pub struct Pattern {
    pub kind: PatternKind,
    pub text: String,
    /// The statement the pattern lowered to.
    stmt: Stmt,
    /// Identifiers one of which must occur in matching code: for indexing.
    pub anchors: Vec<Arc<str>>,
    /// Every concrete identifier of the called or assigned name (`hashlib` and `md5` for
    /// `hashlib.md5(...)`): all of them occur in any file the pattern can match, because a
    /// name imported under an alias is still spelled out in its import. The prefilter
    /// requires them all.
    pub words: Vec<Arc<str>>,
    /// The plain name the called, accessed or assigned chain starts from (`hashlib` for
    /// `hashlib.$H(...)`, `eval` for `eval($X)`; none for `$T.find(...)`). A plain name of a
    /// pattern matches by qualified name, which starts from a plain name of the code or from
    /// an import: so in matching code this word is never only an attribute
    /// (`re.compile(...)` cannot match `compile(...)`).
    pub root: Option<Arc<str>>,
}

/// What a metavariable matched: an expression, or an attribute name (`requests.$M`).
#[derive(Debug, Clone, Copy)]
pub enum Bound<'t> {
    Expr(&'t Expr),
    Name(&'t str),
}

pub type Bindings<'t> = Vec<(Arc<str>, Bound<'t>)>;

pub fn bound<'t>(b: &Bindings<'t>, name: &str) -> Option<Bound<'t>> {
    b.iter().find(|(n, _)| &**n == name).map(|(_, v)| *v)
}

/// What the matcher needs to know about the code beyond its syntax.
pub trait MatchEnv {
    /// The qualified dotted name an expression stands for, through imports.
    fn qualname(&self, e: &Expr) -> Option<String>;
    /// What an imported name stands for (`os.path` for `p` after `import os.path as p`);
    /// `None` for a name no import binds. `qualname` of a name agrees with it.
    fn imported(&self, name: &str) -> Option<Arc<str>>;
    /// The folded constant value of an expression, if known.
    fn constant(&self, e: &Expr) -> Option<Const>;
    /// The known constant fields of the object an expression evaluates to.
    fn const_fields(&self, e: &Expr) -> Vec<(Arc<str>, Const)>;
    /// Source text of an expression.
    fn text(&self, e: &Expr) -> String;
}

impl Pattern {
    /// The dotted name a call pattern calls (`parseInt` for `parseInt(...)`).
    pub fn callee(&self) -> Option<String> {
        let StmtKind::Expr(e) = &self.stmt.kind else {
            return None;
        };
        match &e.kind {
            ExprKind::Call { func, .. } => func.dotted(),
            _ => None,
        }
    }

    /// Whether the pattern calls a method on any receiver (`$T.render(...)`).
    pub fn calls_any_receiver(&self) -> bool {
        let StmtKind::Expr(e) = &self.stmt.kind else {
            return false;
        };
        matches!(&e.kind, ExprKind::Call { func, .. }
            if matches!(&func.kind, ExprKind::Attr(recv, _) if matches!(recv.kind, ExprKind::Metavar(_))))
    }

    pub fn parse(family: Family, text: &str) -> Result<Pattern, String> {
        let mut stmts = parse_pattern(family, text)?;
        let stmt = stmts.remove(0);
        let kind = match &stmt.kind {
            StmtKind::Expr(e) => match &e.kind {
                ExprKind::Call { .. } => PatternKind::Call,
                ExprKind::Name(_) | ExprKind::Attr(..) | ExprKind::Index(..) => PatternKind::Access,
                ExprKind::Dict(_) => PatternKind::Dict,
                ExprKind::Assign(..) => PatternKind::Assign,
                _ => {
                    return Err(
                        "must be a call, a name or attribute, an assignment, a return or a \
                         dict/object literal"
                            .into(),
                    );
                }
            },
            StmtKind::Assign(..) => PatternKind::Assign,
            StmtKind::Return(Some(_)) => PatternKind::Return,
            _ => {
                return Err(
                    "must be a call, a name or attribute, an assignment, a return or a \
                     dict/object literal"
                        .into(),
                );
            }
        };
        // Normalise an assignment expression (JavaScript `a = b`) to an assignment statement.
        let stmt = match stmt.kind {
            StmtKind::Expr(Expr {
                kind: ExprKind::Assign(t, v),
                span,
            }) => Stmt::new(StmtKind::Assign(*t, *v), span),
            other => Stmt::new(other, stmt.span),
        };
        let anchors = match (&stmt.kind, kind) {
            (StmtKind::Expr(e), PatternKind::Call) => match &e.kind {
                // A call of any function (`<$C dangerouslySetInnerHTML=…/>`) is found by its
                // first keyword argument's name.
                ExprKind::Call { func, args } => anchor(func)
                    .or_else(|| args.iter().find_map(|a| a.name.clone()))
                    .into_iter()
                    .collect(),
                _ => Vec::new(),
            },
            (StmtKind::Expr(e), PatternKind::Access) => anchor(e).into_iter().collect(),
            (StmtKind::Expr(e), PatternKind::Dict) => match &e.kind {
                ExprKind::Dict(entries) => entries
                    .iter()
                    .filter_map(|(k, _)| match k.as_ref().map(|k| &k.kind) {
                        Some(ExprKind::Lit(Lit::Str(s))) if &**s != ANY_STRING => Some(s.clone()),
                        _ => None,
                    })
                    .take(1)
                    .collect(),
                _ => Vec::new(),
            },
            (StmtKind::Assign(t, _), _) => anchor(t).into_iter().collect(),
            _ => Vec::new(),
        };
        if kind != PatternKind::Return && anchors.is_empty() {
            return Err(
                "needs at least one concrete name (a pattern made only of metavariables would \
                 match everything)"
                    .into(),
            );
        }
        let mut words = Vec::new();
        match (&stmt.kind, kind) {
            (StmtKind::Expr(e), PatternKind::Call) => {
                if let ExprKind::Call { func, args } = &e.kind {
                    chain_words(func, &mut words);
                    // `debug=True` needs the word `debug` in the file.
                    words.extend(args.iter().filter_map(|a| a.name.clone()));
                }
            }
            (StmtKind::Expr(e), PatternKind::Access) => chain_words(e, &mut words),
            (StmtKind::Assign(t, _), _) => chain_words(t, &mut words),
            (StmtKind::Return(_), _) => words.push(Arc::from("return")),
            _ => {}
        }
        let root = match (&stmt.kind, kind) {
            (StmtKind::Expr(e), PatternKind::Call) => match &e.kind {
                ExprKind::Call { func, .. } => chain_root(func),
                _ => None,
            },
            (StmtKind::Expr(e), PatternKind::Access) => chain_root(e),
            (StmtKind::Assign(t, _), _) => chain_root(t),
            _ => None,
        }
        .filter(|r| words.contains(r));
        for a in &anchors {
            if !words.contains(a) {
                words.push(a.clone());
            }
        }
        Ok(Pattern {
            kind,
            text: text.to_string(),
            stmt,
            anchors,
            words,
            root,
        })
    }

    /// Matches a call, access or dict pattern against an expression.
    pub fn match_expr<'t>(&self, target: &'t Expr, env: &dyn MatchEnv) -> Option<Bindings<'t>> {
        let StmtKind::Expr(p) = &self.stmt.kind else {
            return None;
        };
        let mut b = Vec::new();
        match_expr(p, target, env, &mut b).then_some(b)
    }

    /// Every way a call pattern's top-level arguments can match (`f(..., $X, ...)` binds
    /// `$X` to each argument in turn), so that conditions can pick the one that holds.
    pub fn match_expr_all<'t>(&self, target: &'t Expr, env: &dyn MatchEnv) -> Vec<Bindings<'t>> {
        let StmtKind::Expr(p) = &self.stmt.kind else {
            return Vec::new();
        };
        let (ExprKind::Call { func: pf, args: pa }, ExprKind::Call { func: tf, args: ta }) =
            (&p.kind, &target.kind)
        else {
            return self.match_expr(target, env).into_iter().collect();
        };
        let mut b = Vec::new();
        if !match_expr(pf, tf, env, &mut b) {
            return Vec::new();
        }
        let ppos: Vec<Expr> = pa
            .iter()
            .filter(|a| a.name.is_none())
            .map(|a| a.value.clone())
            .collect();
        let tpos: Vec<&'t Expr> = ta
            .iter()
            .filter(|a| a.name.is_none())
            .map(|a| &a.value)
            .collect();
        let mut solutions = Vec::new();
        match_seq_all(&ppos, &tpos, env, b, &mut solutions);
        solutions
            .into_iter()
            .filter_map(|mut b| {
                for p in pa.iter().filter(|a| a.name.is_some()) {
                    if !match_keyword(p, ta, env, &mut b) {
                        return None;
                    }
                }
                Some(b)
            })
            .collect()
    }

    /// Matches an assignment pattern.
    pub fn match_assign<'t>(
        &self,
        target: &'t Expr,
        value: &'t Expr,
        env: &dyn MatchEnv,
    ) -> Option<Bindings<'t>> {
        let StmtKind::Assign(pt, pv) = &self.stmt.kind else {
            return None;
        };
        let mut b = Vec::new();
        (match_expr(pt, target, env, &mut b) && match_expr(pv, value, env, &mut b)).then_some(b)
    }

    /// Matches a return pattern.
    pub fn match_return<'t>(&self, value: &'t Expr, env: &dyn MatchEnv) -> Option<Bindings<'t>> {
        let StmtKind::Return(Some(p)) = &self.stmt.kind else {
            return None;
        };
        let mut b = Vec::new();
        match_expr(p, value, env, &mut b).then_some(b)
    }

    /// Whether matching can depend on the values the code holds, not only on its syntax: a
    /// literal in the pattern matches any expression folded to it, and an object pattern
    /// matches a variable with known constant fields.
    pub fn reads_values(&self) -> bool {
        match &self.stmt.kind {
            StmtKind::Expr(e) | StmtKind::Return(Some(e)) => reads_values(e),
            StmtKind::Assign(t, v) => reads_values(t) || reads_values(v),
            _ => false,
        }
    }

    /// Every metavariable the pattern binds.
    pub fn metavariables(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut visit = |e: &Expr| collect_metavars(e, &mut out);
        match &self.stmt.kind {
            StmtKind::Expr(e) | StmtKind::Return(Some(e)) => visit(e),
            StmtKind::Assign(t, v) => {
                visit(t);
                visit(v);
            }
            _ => {}
        }
        out
    }
}

fn reads_values(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Lit(Lit::Str(s)) if &**s == ANY_STRING => false,
        ExprKind::Lit(_) | ExprKind::Dict(_) => true,
        ExprKind::Attr(o, _) | ExprKind::Unary(_, o) => reads_values(o),
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) | ExprKind::Assign(a, b) => {
            reads_values(a) || reads_values(b)
        }
        ExprKind::Call { func, args } => {
            reads_values(func) || args.iter().any(|a| reads_values(&a.value))
        }
        ExprKind::List(items) | ExprKind::Format(items) | ExprKind::Opaque(items) => {
            items.iter().any(reads_values)
        }
        ExprKind::Cond(a, b, c) => reads_values(a) || reads_values(b) || reads_values(c),
        // Any other node kind in a pattern is compared by the matcher's fallback, which
        // this does not try to predict.
        ExprKind::Func(_) => true,
        ExprKind::Name(_) | ExprKind::Ellipsis | ExprKind::Metavar(_) => false,
    }
}

fn collect_metavars(e: &Expr, out: &mut Vec<String>) {
    let mut push = |n: String| {
        if !out.contains(&n) {
            out.push(n);
        }
    };
    match &e.kind {
        ExprKind::Metavar(m) => push(m.to_string()),
        ExprKind::Attr(o, a) => {
            if let Some(m) = a.strip_prefix(ATTR_METAVAR_PREFIX) {
                push(format!("${m}"));
            }
            collect_metavars(o, out);
        }
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) | ExprKind::Assign(a, b) => {
            collect_metavars(a, out);
            collect_metavars(b, out);
        }
        ExprKind::Call { func, args } => {
            collect_metavars(func, out);
            for a in args {
                collect_metavars(&a.value, out);
            }
        }
        ExprKind::Unary(_, a) => collect_metavars(a, out),
        ExprKind::List(items) | ExprKind::Format(items) | ExprKind::Opaque(items) => {
            for i in items {
                collect_metavars(i, out);
            }
        }
        ExprKind::Dict(entries) => {
            for (k, v) in entries {
                if let Some(k) = k {
                    collect_metavars(k, out);
                }
                collect_metavars(v, out);
            }
        }
        ExprKind::Cond(a, b, c) => {
            collect_metavars(a, out);
            collect_metavars(b, out);
            collect_metavars(c, out);
        }
        _ => {}
    }
}

/// The last concrete identifier of a dotted pattern: `execute` for `$DB.execute`, `requests`
/// for `requests.$M`.
fn anchor(e: &Expr) -> Option<Arc<str>> {
    match &e.kind {
        ExprKind::Name(n) => Some(n.clone()),
        ExprKind::Attr(o, a) => {
            if a.starts_with(ATTR_METAVAR_PREFIX) {
                anchor(o)
            } else {
                Some(a.clone())
            }
        }
        // `$O[$K][$J] = $V` has no name at all: it is found under `[]`.
        ExprKind::Index(o, _) => anchor(o).or_else(|| Some(Arc::from(INDEX_ANCHOR))),
        ExprKind::Call { func, .. } => anchor(func),
        _ => None,
    }
}

/// The concrete identifiers along a dotted or called chain.
fn chain_words(e: &Expr, out: &mut Vec<Arc<str>>) {
    match &e.kind {
        // A package name may be spelled with dashes in the file (`node-serialize` is
        // `node_serialize` in patterns): not a word to require.
        ExprKind::Name(n) if n.contains('_') => {}
        ExprKind::Name(n) => out.push(n.clone()),
        ExprKind::Attr(o, a) => {
            if !a.starts_with(ATTR_METAVAR_PREFIX) {
                out.push(a.clone());
            }
            chain_words(o, out);
        }
        ExprKind::Index(o, _) | ExprKind::Call { func: o, .. } => chain_words(o, out),
        _ => {}
    }
}

/// The name an access chain starts from, unless it starts from a metavariable. A pattern's
/// plain name matches by qualified name only (see `match_expr`), whatever follows it.
fn chain_root(e: &Expr) -> Option<Arc<str>> {
    match &e.kind {
        ExprKind::Name(n) => Some(n.clone()),
        ExprKind::Attr(o, _) | ExprKind::Index(o, _) | ExprKind::Call { func: o, .. } => {
            chain_root(o)
        }
        _ => None,
    }
}

/// The anchor of patterns that are pure subscripts; targets with a subscript carry it too.
pub const INDEX_ANCHOR: &str = "[]";

/// Every identifier along a target's access chain, and its qualified name's parts: the keys
/// under which patterns that could match it are indexed.
pub fn target_anchors(e: &Expr, env: &dyn MatchEnv, out: &mut Vec<Arc<str>>) {
    let mut cur = e;
    loop {
        match &cur.kind {
            ExprKind::Name(n) => {
                out.push(n.clone());
                // A name no import binds qualifies to itself: no other parts.
                if let Some(q) = env.imported(n) {
                    for part in q.split('.') {
                        if &**n != part {
                            out.push(Arc::from(part));
                        }
                    }
                }
                return;
            }
            ExprKind::Attr(o, a) => {
                out.push(a.clone());
                cur = o;
            }
            ExprKind::Index(o, _) => {
                out.push(Arc::from(INDEX_ANCHOR));
                cur = o;
            }
            ExprKind::Call { func, args } => {
                out.extend(args.iter().filter_map(|a| a.name.clone()));
                cur = func;
            }
            _ => return,
        }
    }
}

/// A pattern made only of names and attributes, without holes: compared by qualified name.
fn concrete_dotted(p: &Expr) -> Option<String> {
    match &p.kind {
        ExprKind::Name(n) => Some(n.to_string()),
        ExprKind::Attr(o, a) if !a.starts_with(ATTR_METAVAR_PREFIX) => {
            concrete_dotted(o).map(|d| format!("{d}.{a}"))
        }
        _ => None,
    }
}

fn bind<'t>(name: &Arc<str>, value: Bound<'t>, env: &dyn MatchEnv, b: &mut Bindings<'t>) -> bool {
    if let Some((_, prev)) = b.iter().find(|(n, _)| n == name) {
        let text = |v: &Bound<'_>| match v {
            Bound::Expr(e) => env.text(e),
            Bound::Name(n) => n.to_string(),
        };
        return text(prev) == text(&value);
    }
    b.push((name.clone(), value));
    true
}

fn match_expr<'t>(p: &Expr, t: &'t Expr, env: &dyn MatchEnv, b: &mut Bindings<'t>) -> bool {
    match &p.kind {
        ExprKind::Metavar(m) => bind(m, Bound::Expr(t), env, b),
        ExprKind::Ellipsis => true,
        ExprKind::Lit(Lit::Str(s)) if &**s == ANY_STRING => {
            matches!(t.kind, ExprKind::Lit(Lit::Str(_)) | ExprKind::Format(_))
        }
        ExprKind::Lit(lit) => match &t.kind {
            ExprKind::Lit(tl) => lits_equal(lit, tl),
            _ => env.constant(t).is_some_and(|c| c == Const::from(lit)),
        },
        ExprKind::Name(_) | ExprKind::Attr(..) => {
            if let Some(dotted) = concrete_dotted(p) {
                if let Some(tq) = env.qualname(t) {
                    return tq == dotted;
                }
                return t.dotted().is_some_and(|d| d == dotted);
            }
            let ExprKind::Attr(po, pa) = &p.kind else {
                return false;
            };
            match &t.kind {
                ExprKind::Attr(to, ta) => {
                    let attr_ok = match pa.strip_prefix(ATTR_METAVAR_PREFIX) {
                        Some(m) => bind(&Arc::from(format!("${m}")), Bound::Name(ta), env, b),
                        None => pa == ta,
                    };
                    attr_ok && match_expr(po, to, env, b)
                }
                // `get(...)` after `from requests import get` against `requests.$M(...)`.
                ExprKind::Name(_) => {
                    let Some(q) = env.qualname(t) else {
                        return false;
                    };
                    let Some((prefix, last)) = q.rsplit_once('.') else {
                        return false;
                    };
                    let Some(prefix_dotted) = concrete_dotted(po) else {
                        return false;
                    };
                    if prefix_dotted != prefix {
                        return false;
                    }
                    match pa.strip_prefix(ATTR_METAVAR_PREFIX) {
                        // The name bound is the code's local name, which is what a rule's
                        // regex on an attribute name needs only when it is not aliased.
                        Some(m) => {
                            let name = match &t.kind {
                                ExprKind::Name(n) if q.ends_with(&**n) => Bound::Name(n),
                                _ => Bound::Name(last_static(t)),
                            };
                            bind(&Arc::from(format!("${m}")), name, env, b)
                        }
                        None => &**pa == last,
                    }
                }
                _ => false,
            }
        }
        ExprKind::Index(po, pi) => match &t.kind {
            ExprKind::Index(to, ti) => match_expr(po, to, env, b) && match_expr(pi, ti, env, b),
            _ => false,
        },
        ExprKind::Call { func: pf, args: pa } => match &t.kind {
            ExprKind::Call { func: tf, args: ta } => {
                match_expr(pf, tf, env, b) && match_args(pa, ta, env, b)
            }
            _ => false,
        },
        ExprKind::Binary(op, pl, pr) => match &t.kind {
            ExprKind::Binary(top, tl, tr) if top == op => {
                match_expr(pl, tl, env, b) && match_expr(pr, tr, env, b)
            }
            _ => false,
        },
        ExprKind::Unary(op, pa) => match &t.kind {
            ExprKind::Unary(top, ta) if top == op => match_expr(pa, ta, env, b),
            _ => false,
        },
        ExprKind::List(pi) => match &t.kind {
            ExprKind::List(ti) => {
                let targets: Vec<&'t Expr> = ti.iter().collect();
                match_seq(pi, &targets, env, b)
            }
            _ => false,
        },
        ExprKind::Dict(pe) => match &t.kind {
            ExprKind::Dict(te) => match_dict(pe, te, env, b),
            _ => {
                // A variable holding an object with known constant fields.
                let fields = env.const_fields(t);
                if fields.is_empty() {
                    return false;
                }
                pe.iter()
                    .all(|(k, v)| match (k.as_ref().map(|k| &k.kind), &v.kind) {
                        (Some(ExprKind::Ellipsis), _) => true,
                        (Some(ExprKind::Lit(Lit::Str(key))), ExprKind::Lit(lit)) => fields
                            .iter()
                            .any(|(fk, fv)| fk == key && *fv == Const::from(lit)),
                        _ => false,
                    })
            }
        },
        _ => false,
    }
}

fn last_static(t: &Expr) -> &str {
    t.last_name().unwrap_or("")
}

fn lits_equal(a: &Lit, b: &Lit) -> bool {
    match (a, b) {
        (Lit::Num(x), Lit::Num(y)) => x == y,
        (Lit::Str(x), Lit::Str(y)) => x == y,
        (Lit::Bool(x), Lit::Bool(y)) => x == y,
        (Lit::Null, Lit::Null) => true,
        _ => false,
    }
}

fn match_dict<'t>(
    pe: &[(Option<Expr>, Expr)],
    te: &'t [(Option<Expr>, Expr)],
    env: &dyn MatchEnv,
    b: &mut Bindings<'t>,
) -> bool {
    for (pk, pv) in pe {
        let Some(pk) = pk else { continue };
        if matches!(pk.kind, ExprKind::Ellipsis) {
            continue;
        }
        let mut found = false;
        for (tk, tv) in te {
            let Some(tk) = tk else { continue };
            let mut trial = b.clone();
            if match_expr(pk, tk, env, &mut trial) && match_expr(pv, tv, env, &mut trial) {
                *b = trial;
                found = true;
                break;
            }
        }
        if !found {
            return false;
        }
    }
    true
}

fn match_args<'t>(pa: &[Arg], ta: &'t [Arg], env: &dyn MatchEnv, b: &mut Bindings<'t>) -> bool {
    let ppos: Vec<&Expr> = pa
        .iter()
        .filter(|a| a.name.is_none())
        .map(|a| &a.value)
        .collect();
    let tpos: Vec<&'t Expr> = ta
        .iter()
        .filter(|a| a.name.is_none())
        .map(|a| &a.value)
        .collect();
    let ppos_owned: Vec<Expr> = ppos.into_iter().cloned().collect();
    if !match_seq(&ppos_owned, &tpos, env, b) {
        return false;
    }
    pa.iter()
        .filter(|a| a.name.is_some())
        .all(|p| match_keyword(p, ta, env, b))
}

/// A keyword argument of the pattern, found among the code's keyword arguments or, for a
/// literal value, in the known constant fields of a spread options dict
/// (`set_cookie("sid", v, **OPTIONS)` with `OPTIONS = {"secure": True, …}`).
fn match_keyword<'t>(p: &Arg, ta: &'t [Arg], env: &dyn MatchEnv, b: &mut Bindings<'t>) -> bool {
    if let Some(t) = ta.iter().find(|t| t.name == p.name) {
        return match_expr(&p.value, &t.value, env, b);
    }
    let (Some(name), ExprKind::Lit(lit)) = (&p.name, &p.value.kind) else {
        return false;
    };
    let want = Const::from(lit);
    ta.iter().filter(|t| t.spread).any(|t| {
        env.const_fields(&t.value)
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .is_some_and(|(_, c)| *c == want)
    })
}

fn match_seq<'t>(ps: &[Expr], ts: &[&'t Expr], env: &dyn MatchEnv, b: &mut Bindings<'t>) -> bool {
    let Some((first, rest)) = ps.split_first() else {
        return ts.is_empty();
    };
    if matches!(first.kind, ExprKind::Ellipsis) {
        for skip in 0..=ts.len() {
            let mut trial = b.clone();
            if match_seq(rest, &ts[skip..], env, &mut trial) {
                *b = trial;
                return true;
            }
        }
        return false;
    }
    let Some((t, trest)) = ts.split_first() else {
        return false;
    };
    let mut trial = b.clone();
    if match_expr(first, t, env, &mut trial) && match_seq(rest, trest, env, &mut trial) {
        *b = trial;
        return true;
    }
    false
}

/// Like `match_seq`, collecting every solution (bounded: argument lists are short).
fn match_seq_all<'t>(
    ps: &[Expr],
    ts: &[&'t Expr],
    env: &dyn MatchEnv,
    b: Bindings<'t>,
    out: &mut Vec<Bindings<'t>>,
) {
    if out.len() >= 32 {
        return;
    }
    let Some((first, rest)) = ps.split_first() else {
        if ts.is_empty() {
            out.push(b);
        }
        return;
    };
    if matches!(first.kind, ExprKind::Ellipsis) {
        for skip in 0..=ts.len() {
            match_seq_all(rest, &ts[skip..], env, b.clone(), out);
        }
        return;
    }
    let Some((t, trest)) = ts.split_first() else {
        return;
    };
    let mut trial = b;
    if match_expr(first, t, env, &mut trial) {
        match_seq_all(rest, trest, env, trial, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::{Grammar, parse_file};
    use std::collections::HashMap;

    struct Env {
        imports: HashMap<String, String>,
        src: String,
    }

    impl MatchEnv for Env {
        fn qualname(&self, e: &Expr) -> Option<String> {
            match &e.kind {
                ExprKind::Name(n) => Some(self.imports.get(&**n).cloned().unwrap_or(n.to_string())),
                ExprKind::Attr(o, a) => self.qualname(o).map(|q| format!("{q}.{a}")),
                _ => None,
            }
        }
        fn imported(&self, name: &str) -> Option<Arc<str>> {
            self.imports.get(name).map(|q| Arc::from(q.as_str()))
        }
        fn constant(&self, e: &Expr) -> Option<Const> {
            match &e.kind {
                ExprKind::Lit(l) => Some(Const::from(l)),
                _ => None,
            }
        }
        fn const_fields(&self, _: &Expr) -> Vec<(Arc<str>, Const)> {
            Vec::new()
        }
        fn text(&self, e: &Expr) -> String {
            self.src[e.span.start..e.span.end].to_string()
        }
    }

    fn first_expr(src: &str, grammar: Grammar) -> Expr {
        let m = parse_file(grammar, src.as_bytes()).unwrap();
        match &m.body.last().unwrap().kind {
            StmtKind::Expr(e) => e.clone(),
            other => panic!("expression expected, got {other:?}"),
        }
    }

    fn matches(pattern: &str, code: &str, imports: &[(&str, &str)]) -> bool {
        let p = Pattern::parse(Family::Python, pattern).unwrap();
        let env = Env {
            imports: imports
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            src: code.to_string(),
        };
        let e = first_expr(code, Grammar::Python);
        p.match_expr(&e, &env).is_some()
    }

    #[test]
    fn keyword_arguments_match_in_any_order_and_extra_ones_are_allowed() {
        let p = "requests.get($URL, ..., verify=False)";
        assert!(matches(p, "requests.get(u, timeout=3, verify=False)", &[]));
        assert!(!matches(p, "requests.get(u, verify=True)", &[]));
        assert!(!matches(p, "requests.get(u)", &[]));
    }

    #[test]
    fn imported_aliases_match_the_qualified_name() {
        let p = "subprocess.run($CMD, ..., shell=True)";
        assert!(matches(
            p,
            "run(c, shell=True)",
            &[("run", "subprocess.run")]
        ));
        assert!(matches(p, "sp.run(c, shell=True)", &[("sp", "subprocess")]));
        assert!(!matches(p, "other.run(c, shell=True)", &[]));
        assert!(matches(
            "requests.$M(...)",
            "get(u)",
            &[("get", "requests.get")]
        ));
    }

    #[test]
    fn ellipsis_absorbs_any_run_of_arguments_and_metavariables_must_agree() {
        assert!(matches("f(..., $X, ...)", "f(1, 2, 3)", &[]));
        assert!(!matches("f($X)", "f()", &[]));
        assert!(matches("f($X, $X)", "f(a, a)", &[]));
        assert!(!matches("f($X, $X)", "f(a, b)", &[]));
    }

    #[test]
    fn patterns_that_could_match_everything_are_refused() {
        assert!(Pattern::parse(Family::Python, "$F($X)").is_err());
        assert!(Pattern::parse(Family::Python, "f(").is_err());
    }

    #[test]
    fn javascript_object_patterns_match_a_subset_of_the_entries() {
        let p = Pattern::parse(
            Family::Javascript,
            "cors({credentials: true, origin: true})",
        )
        .unwrap();
        let code = "cors({ origin: true, maxAge: 10, credentials: true })";
        let env = Env {
            imports: HashMap::new(),
            src: code.into(),
        };
        let e = first_expr(code, Grammar::Javascript);
        assert!(p.match_expr(&e, &env).is_some());
    }
}

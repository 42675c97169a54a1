//! What a branch condition proves about the values it tests.
//!
//! Inside `if x in ALLOWED:` the value of `x` is one of the allowed ones, whatever it was
//! before; after `if x not in ALLOWED: return`, too. The same holds for equality with a
//! constant (`if mode == "fast":`) and for the validators declared in the taint
//! specification (`re.fullmatch(P, x)`, `x.isdigit()`, `ALLOWED.includes(x)`). The analysis
//! calls [`Analyzer::refine`] on each side of a branch with the truth value that side
//! implies, and the names proven safe lose their taint there.
//!
//! Conjunctions and disjunctions combine as logic says: in the true branch of `a and b`
//! both hold; in the true branch of `a or b` only what both sides prove.

use std::sync::Arc;

use crate::analysis::{Analyzer, Proven};
use crate::env::Env;
use crate::ir::{BinOp, Expr, ExprKind, UnOp};
use crate::pattern::{Bound, bound, target_anchors};
use crate::value::{ALL_KINDS, KindSet, Value};

impl Analyzer<'_> {
    /// Clears, in `env`, the names that `cond` being `truthy` proves safe.
    pub(crate) fn refine(&mut self, cond: &Expr, truthy: bool, env: &mut Env) {
        self.summarize_called_validators(cond, env);
        let names = self.proven_safe(cond, truthy, env);
        for (n, kinds) in names {
            // `obj.field` proven: only that field of `obj` is clean (`request.method ==
            // "POST"` says nothing about `request.POST`).
            if let Some((var, path)) = n.split_once('.') {
                if let Some(v) = env.get(var) {
                    let fields: Vec<&str> = path.split('.').collect();
                    let updated = with_clean_field(v, &fields, kinds);
                    env.set(Arc::from(var), updated);
                }
                continue;
            }
            if let Some(v) = env.get(&n) {
                let cleaned = v.cleared_for(kinds);
                env.set(n, cleaned);
            }
        }
    }

    /// The names `cond` being `truthy` proves safe, each with the sink kinds it is proven
    /// safe for.
    pub(crate) fn proven_safe(&self, cond: &Expr, truthy: bool, env: &Env) -> Proven {
        match &cond.kind {
            ExprKind::Unary(UnOp::Not, inner) => self.proven_safe(inner, !truthy, env),
            ExprKind::Binary(op @ (BinOp::And | BinOp::Or), a, b) => {
                let pa = self.proven_safe(a, truthy, env);
                let pb = self.proven_safe(b, truthy, env);
                // `a and b` true, or `a or b` false: both sides hold.
                if (*op == BinOp::And) == truthy {
                    let mut all = pa;
                    for (n, k) in pb {
                        match all.iter_mut().find(|(m, _)| *m == n) {
                            Some((_, kinds)) => *kinds |= k,
                            None => all.push((n, k)),
                        }
                    }
                    all
                } else {
                    pa.into_iter()
                        .filter_map(|(n, k)| {
                            pb.iter()
                                .find(|(m, _)| *m == n)
                                .map(|(_, j)| (n.clone(), k & j))
                        })
                        .filter(|(_, k)| *k != 0)
                        .collect()
                }
            }
            ExprKind::Binary(op @ (BinOp::In | BinOp::NotIn), x, set) => {
                let holds = (*op == BinOp::In) == truthy;
                if holds && self.peek(set, env).deep_taint().is_none() {
                    let mut out = all_kinds(root(x));
                    out.extend(self.host_checked(x));
                    return out;
                }
                Vec::new()
            }
            ExprKind::Binary(op @ (BinOp::Eq | BinOp::NotEq | BinOp::Is), x, c) => {
                let holds = (*op != BinOp::NotEq) == truthy;
                if !holds {
                    // `key !== "__proto__"`: not the key that reaches the shared prototype.
                    return self.not_a_prototype_key(x, c, env);
                }
                // `parsed.netloc == request.host`: the host compared with a known one.
                let mut out = self.host_checked(x);
                out.extend(self.host_checked(c));
                out.extend(self.type_checked(x, c, env));
                out.extend(self.type_checked(c, x, env));
                if self.peek(c, env).konst.is_some() {
                    out.extend(all_kinds(root(x)));
                } else if self.peek(x, env).konst.is_some() {
                    out.extend(all_kinds(root(c)));
                }
                // `os.path.commonpath([BASE, p]) == BASE`: a validator whose result is
                // compared, also with a constant base.
                for side in [x, c] {
                    if let ExprKind::Call { func, .. } = &side.kind {
                        out.extend(self.validated(side, func, env, true));
                    }
                }
                out
            }
            ExprKind::Call { func, args } if truthy => {
                let mut out = self.validated(cond, func, env, false);
                out.extend(self.validated_by_local(func, args, env));
                out.extend(self.prefix_checked(func, args, env));
                out
            }
            // `if (FORBIDDEN.includes(key)) continue;` with `__proto__` among the forbidden.
            ExprKind::Call { func, args } => match (&func.kind, args.as_slice()) {
                (ExprKind::Attr(list, m), [arg])
                    if matches!(&**m, "includes" | "has")
                        && !arg.spread
                        && holds_prototype_key(&self.peek(list, env)) =>
                {
                    self.prototype_safe(&arg.value)
                }
                _ => Vec::new(),
            },
            // `not parsed.netloc`: a URL without a host stays on the site.
            ExprKind::Attr(..) if !truthy => self.host_checked(cond),
            _ => Vec::new(),
        }
    }

    /// Remembers that `name` now holds `value`'s parse of a URL, if it is one, and forgets
    /// what an earlier assignment to `name` (or to a variable it parsed) meant.
    pub(crate) fn track_parsed_url(&mut self, name: &Arc<str>, value: &Expr, env: &Env) {
        if !self.ctx.parsed.is_empty() {
            self.ctx
                .parsed
                .retain(|(n, _, roots)| n != name && !roots.contains(name));
        }
        let ExprKind::Call { .. } = &value.kind else {
            return;
        };
        let found: Vec<(usize, Vec<Arc<str>>)> = {
            let menv = self.match_env(env);
            self.lr
                .spec
                .url_parsers
                .iter()
                .enumerate()
                .filter_map(|(i, u)| {
                    let b = u.pattern.match_expr(value, &menv)?;
                    match bound(&b, &u.url) {
                        Some(Bound::Expr(url)) => Some((i, root(url))),
                        _ => None,
                    }
                })
                .collect()
        };
        // The more specific pattern (`urlparse(urljoin(base, url))`) comes first.
        if let Some((i, roots)) = found.into_iter().next() {
            self.ctx.parsed.push((name.clone(), i, roots));
        }
    }

    /// What a test of `e` proves when `e` is the host field of a parsed URL
    /// (`parsed.hostname`, `urlparse(u).netloc`): the URL's variables and the variable
    /// holding the parse, for the parser's sink kinds.
    fn host_checked(&self, e: &Expr) -> Proven {
        let ExprKind::Attr(obj, field) = &e.kind else {
            return Vec::new();
        };
        let parsers = &self.lr.spec.url_parsers;
        match &obj.kind {
            ExprKind::Name(n) => self
                .ctx
                .parsed
                .iter()
                .filter(|(m, i, _)| m == n && parsers[*i].hosts.iter().any(|h| **h == **field))
                // The parsed URL itself (`target.href`, `String(target)`) points there too.
                .flat_map(|(m, i, roots)| {
                    roots
                        .iter()
                        .chain(std::iter::once(m))
                        .map(|r| (r.clone(), parsers[*i].clears))
                })
                .collect(),
            ExprKind::Call { .. } => {
                let env = Env::default();
                let menv = self.match_env(&env);
                parsers
                    .iter()
                    .filter(|u| u.hosts.iter().any(|h| **h == **field))
                    .find_map(|u| {
                        let b = u.pattern.match_expr(obj, &menv)?;
                        match bound(&b, &u.url) {
                            Some(Bound::Expr(url)) => {
                                Some(root(url).into_iter().map(|r| (r, u.clears)).collect())
                            }
                            _ => None,
                        }
                    })
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        }
    }

    /// The function of this file a call resolves to, and whether it is called as a method.
    fn local_function(&self, func: &Expr, env: &Env) -> Option<(Arc<crate::ir::FuncDef>, bool)> {
        match &func.kind {
            ExprKind::Name(n) => env
                .get(n)
                .and_then(|v| v.func.clone())
                .or_else(|| self.local_funcs(n))
                .map(|f| (f, false)),
            ExprKind::Attr(obj, m) if matches!(&obj.kind, ExprKind::Name(o) if matches!(&**o, "self" | "cls" | "this")) => {
                self.local_funcs(m).map(|f| (f, true))
            }
            _ => None,
        }
    }

    /// Summarises, as validators, the functions of this file that `cond` calls.
    fn summarize_called_validators(&mut self, cond: &Expr, env: &Env) {
        match &cond.kind {
            ExprKind::Unary(UnOp::Not, inner) => self.summarize_called_validators(inner, env),
            ExprKind::Binary(BinOp::And | BinOp::Or, a, b) => {
                self.summarize_called_validators(a, env);
                self.summarize_called_validators(b, env);
            }
            ExprKind::Call { func, .. } => {
                if let Some((f, method)) = self.local_function(func, env) {
                    self.summarize_validator(&f, method);
                }
            }
            _ => {}
        }
    }

    /// What a true result of a call to a validator of this file proves about its arguments.
    fn validated_by_local(&self, func: &Expr, args: &[crate::ir::Arg], env: &Env) -> Proven {
        let Some((f, method)) = self.local_function(func, env) else {
            return Vec::new();
        };
        let Some(summary) = self.summaries.get(&(Arc::as_ptr(&f) as usize)) else {
            return Vec::new();
        };
        let params: Vec<&Arc<str>> = f
            .params
            .iter()
            .enumerate()
            .filter(|(i, p)| !(method && *i == 0 && matches!(&*p.name, "self" | "cls")))
            .map(|(_, p)| &p.name)
            .collect();
        let mut out = Vec::new();
        for (param, kinds) in summary {
            let Some(pos) = params.iter().position(|p| *p == param) else {
                continue;
            };
            let arg = args
                .iter()
                .find(|a| a.name.as_ref() == Some(param))
                .or_else(|| args.iter().filter(|a| a.name.is_none()).nth(pos));
            if let Some(a) = arg
                && !a.spread
            {
                out.extend(root(&a.value).into_iter().map(|n| (n, *kinds)));
            }
        }
        out
    }

    /// What a validator call proves: `compared` when its result is compared for equality
    /// (`commonpath([...]) == BASE`) rather than tested for truth.
    fn validated(&self, call: &Expr, func: &Expr, env: &Env, compared: bool) -> Proven {
        let menv = self.match_env(env);
        let mut anchors = Vec::new();
        target_anchors(func, &menv, &mut anchors);
        let mut out = Vec::new();
        for a in anchors {
            let Some(list) = self.lr.validators.get(&a) else {
                continue;
            };
            for &i in list {
                let v = &self.lr.spec.validators[i];
                if v.compare != compared {
                    continue;
                }
                let Some(b) = v.pattern.match_expr(call, &menv) else {
                    continue;
                };
                // An allow-list that is itself tainted proves nothing.
                if let Some(Bound::Expr(list)) = bound(&b, "$LIST")
                    && self.peek(list, env).deep_taint().is_some()
                {
                    continue;
                }
                let Some(Bound::Expr(checked)) = bound(&b, &v.checks) else {
                    continue;
                };
                let Some(origin) = &v.origin else {
                    out.extend(root(checked).into_iter().map(|n| (n, v.clears)));
                    // `ALLOWED.includes(target.hostname)`: the host of a parsed URL.
                    out.extend(self.host_checked(checked));
                    continue;
                };
                // The check means something only for a value made by these calls
                // (`startswith(BASE)` of a resolved path): the variable holding it, or
                // the variable such a call was given (`realpath(p).startswith(BASE)`).
                let made_by = |e: &Expr| {
                    self.peek(e, env)
                        .origin
                        .as_deref()
                        .is_some_and(|o| origin.is_match(o))
                };
                if made_by(checked) {
                    let names = match &checked.kind {
                        ExprKind::Call { args, .. } => args
                            .first()
                            .and_then(|a| a.value.root_name())
                            .map(|n| vec![Arc::from(n)])
                            .unwrap_or_default(),
                        _ => root(checked),
                    };
                    out.extend(names.into_iter().map(|n| (n, v.clears)));
                }
            }
        }
        out
    }
}

impl Analyzer<'_> {
    /// What `x` differing from `c` proves: when `c` is `"__proto__"` (or `constructor`,
    /// `prototype`), `x` is no key that reaches the prototype.
    fn not_a_prototype_key(&self, x: &Expr, c: &Expr, env: &Env) -> Proven {
        for (value, other) in [(x, c), (c, x)] {
            if let Some(crate::constant::Const::Str(s)) = self.peek(other, env).konst
                && PROTOTYPE_KEYS.contains(&&*s)
            {
                return self.prototype_safe(value);
            }
        }
        Vec::new()
    }

    /// What `typeof v === "…"` proves: a number or boolean is safe everywhere; a string
    /// carries no query operators (`{"$ne": null}`), so it is safe in a NoSQL filter.
    fn type_checked(&self, side: &Expr, other: &Expr, env: &Env) -> Proven {
        let ExprKind::Unary(UnOp::Other, inner) = &side.kind else {
            return Vec::new();
        };
        if !self.text(side.span).starts_with("typeof") {
            return Vec::new();
        }
        let kinds = match self.peek(other, env).konst {
            Some(crate::constant::Const::Str(t)) => match &*t {
                "number" | "boolean" => ALL_KINDS,
                "string" => self
                    .lr
                    .rules
                    .iter()
                    .filter(|r| r.taint_kind.as_deref() == Some("nosql"))
                    .fold(0, |k, r| k | r.kind_bit),
                _ => 0,
            },
            _ => 0,
        };
        if kinds == 0 {
            return Vec::new();
        }
        root(inner).into_iter().map(|n| (n, kinds)).collect()
    }

    /// What `url.startsWith("https://api.example.org/")` proves: a start the
    /// `fixed-prefixes` say decides where a string points (scheme and host, or a local
    /// path) holds for the tested value.
    fn prefix_checked(&self, func: &Expr, args: &[crate::ir::Arg], env: &Env) -> Proven {
        let (ExprKind::Attr(x, m), [arg]) = (&func.kind, args) else {
            return Vec::new();
        };
        if !matches!(&**m, "startsWith" | "startswith") || arg.spread {
            return Vec::new();
        }
        let Some(crate::constant::Const::Str(start)) = self.peek(&arg.value, env).konst else {
            return Vec::new();
        };
        let kinds = self.lr.spec.prefix_clears(&start);
        if kinds == 0 {
            return Vec::new();
        }
        root(x).into_iter().map(|n| (n, kinds)).collect()
    }

    fn prototype_safe(&self, e: &Expr) -> Proven {
        let kinds = self.lr.spec.key_read_taints;
        if kinds == 0 {
            return Vec::new();
        }
        root(e).into_iter().map(|n| (n, kinds)).collect()
    }
}

/// Keys through which a write reaches an object's prototype.
const PROTOTYPE_KEYS: [&str; 3] = ["__proto__", "constructor", "prototype"];

/// Whether a constant list (a deny-list) holds `__proto__`.
fn holds_prototype_key(v: &Value) -> bool {
    match v.shape.as_deref() {
        Some(crate::value::Shape::List(items)) => items.iter().any(
            |i| matches!(&i.konst, Some(crate::constant::Const::Str(s)) if &**s == "__proto__"),
        ),
        _ => false,
    }
}

fn all_kinds(names: Vec<Arc<str>>) -> Proven {
    names.into_iter().map(|n| (n, ALL_KINDS)).collect()
}

/// What a check on `e` proves clean: the variable `e` is rooted in, or, for a field of a
/// variable (`obj.field`), that field only, spelled `obj.field`. A field of a field, or an
/// element, proves nothing about its container.
fn root(e: &Expr) -> Vec<Arc<str>> {
    match &e.kind {
        ExprKind::Attr(obj, _) if matches!(obj.kind, ExprKind::Call { .. }) => named_root(e),
        ExprKind::Attr(..) => field_path(e, 0)
            .map(|p| vec![Arc::from(p)])
            .unwrap_or_default(),
        ExprKind::Index(..) => Vec::new(),
        _ => named_root(e),
    }
}

/// `a.b.c` for an attribute chain on a variable, at most a few levels deep.
fn field_path(e: &Expr, depth: u32) -> Option<String> {
    match &e.kind {
        ExprKind::Name(n) => Some(n.to_string()),
        ExprKind::Attr(obj, f) if depth < 4 => {
            field_path(obj, depth + 1).map(|p| format!("{p}.{f}"))
        }
        _ => None,
    }
}

/// A copy of `v` whose field at `path` is clean for `kinds`, the rest unchanged.
fn with_clean_field(v: &Value, path: &[&str], kinds: KindSet) -> Value {
    let Some((first, rest)) = path.split_first() else {
        return v.cleared_for(kinds);
    };
    let inner = match v.field(first) {
        Some(f) => f.clone(),
        // An attribute the analysis has not seen set reads as its object's taint.
        None => Value {
            taint: v.taint.clone(),
            ..Value::default()
        },
    };
    v.with_field(Arc::from(*first), with_clean_field(&inner, rest, kinds))
}

fn named_root(e: &Expr) -> Vec<Arc<str>> {
    e.root_name()
        .map(|n| vec![Arc::from(n)])
        .unwrap_or_default()
}

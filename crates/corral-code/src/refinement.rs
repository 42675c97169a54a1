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

use crate::analysis::Analyzer;
use crate::env::Env;
use crate::ir::{BinOp, Expr, ExprKind, UnOp};
use crate::pattern::{Bound, bound, target_anchors};
use crate::value::{ALL_KINDS, KindSet, Value};

impl Analyzer<'_> {
    /// Clears, in `env`, the names that `cond` being `truthy` proves safe.
    pub(crate) fn refine(&mut self, cond: &Expr, truthy: bool, env: &mut Env) {
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
    fn proven_safe(&self, cond: &Expr, truthy: bool, env: &Env) -> Proven {
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
                    return all_kinds(root(x));
                }
                Vec::new()
            }
            ExprKind::Binary(op @ (BinOp::Eq | BinOp::NotEq | BinOp::Is), x, c) => {
                let holds = (*op != BinOp::NotEq) == truthy;
                if !holds {
                    return Vec::new();
                }
                if self.peek(c, env).konst.is_some() {
                    return all_kinds(root(x));
                }
                if self.peek(x, env).konst.is_some() {
                    return all_kinds(root(c));
                }
                // `os.path.commonpath([BASE, p]) == BASE`: a validator whose result is
                // compared.
                let mut out = Vec::new();
                for side in [x, c] {
                    if let ExprKind::Call { func, .. } = &side.kind {
                        out.extend(self.validated(side, func, env, true));
                    }
                }
                out
            }
            ExprKind::Call { func, .. } if truthy => self.validated(cond, func, env, false),
            _ => Vec::new(),
        }
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

/// Names, each with the sink kinds a check proved it safe for.
type Proven = Vec<(Arc<str>, KindSet)>;

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

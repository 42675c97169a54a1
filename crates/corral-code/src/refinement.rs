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

impl Analyzer<'_> {
    /// Clears, in `env`, the names that `cond` being `truthy` proves safe.
    pub(crate) fn refine(&mut self, cond: &Expr, truthy: bool, env: &mut Env) {
        let names = self.proven_safe(cond, truthy, env);
        for n in names {
            if let Some(v) = env.get(&n) {
                let cleaned = v.clean();
                env.set(n, cleaned);
            }
        }
    }

    fn proven_safe(&self, cond: &Expr, truthy: bool, env: &Env) -> Vec<Arc<str>> {
        match &cond.kind {
            ExprKind::Unary(UnOp::Not, inner) => self.proven_safe(inner, !truthy, env),
            ExprKind::Binary(op @ (BinOp::And | BinOp::Or), a, b) => {
                let pa = self.proven_safe(a, truthy, env);
                let pb = self.proven_safe(b, truthy, env);
                // `a and b` true, or `a or b` false: both sides hold.
                if (*op == BinOp::And) == truthy {
                    let mut all = pa;
                    for n in pb {
                        if !all.contains(&n) {
                            all.push(n);
                        }
                    }
                    all
                } else {
                    pa.into_iter().filter(|n| pb.contains(n)).collect()
                }
            }
            ExprKind::Binary(op @ (BinOp::In | BinOp::NotIn), x, set) => {
                let holds = (*op == BinOp::In) == truthy;
                if holds && self.peek(set, env).deep_taint().is_none() {
                    return root(x);
                }
                Vec::new()
            }
            ExprKind::Binary(op @ (BinOp::Eq | BinOp::NotEq | BinOp::Is), x, c) => {
                let holds = (*op != BinOp::NotEq) == truthy;
                if !holds {
                    return Vec::new();
                }
                if self.peek(c, env).konst.is_some() {
                    return root(x);
                }
                if self.peek(x, env).konst.is_some() {
                    return root(c);
                }
                Vec::new()
            }
            ExprKind::Call { func, .. } if truthy => self.validated(cond, func, env),
            _ => Vec::new(),
        }
    }

    fn validated(&self, call: &Expr, func: &Expr, env: &Env) -> Vec<Arc<str>> {
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
                let Some(b) = v.pattern.match_expr(call, &menv) else {
                    continue;
                };
                // An allow-list that is itself tainted proves nothing.
                if let Some(Bound::Expr(list)) = bound(&b, "$LIST")
                    && self.peek(list, env).deep_taint().is_some()
                {
                    continue;
                }
                if let Some(Bound::Expr(checked)) = bound(&b, &v.checks) {
                    out.extend(root(checked));
                }
            }
        }
        out
    }
}

fn root(e: &Expr) -> Vec<Arc<str>> {
    e.root_name()
        .map(|n| vec![Arc::from(n)])
        .unwrap_or_default()
}

//! Constant folding: computing the values of expressions made only of constants.
//!
//! Folding is what lets the analysis prove a branch dead (`if 1 == 2:`,
//! `num = 86; if (7 * 42) - num > 200: …`, `"ABC"[1] == "B"`) or a variable overwritten by a
//! constant, and so not report flows that cannot happen. Every operation here returns `None`
//! when the result is not certain (unknown operators, overflow, type mixes a language would
//! reject), and `None` only ever makes the analysis more cautious, never less.

use std::sync::Arc;

use crate::ir::{BinOp, Lit, UnOp};

#[derive(Debug, Clone, PartialEq)]
pub enum Const {
    Str(Arc<str>),
    Num(f64),
    Bool(bool),
    Null,
}

impl From<&Lit> for Const {
    fn from(lit: &Lit) -> Self {
        match lit {
            Lit::Str(s) => Const::Str(s.clone()),
            Lit::Num(n) => Const::Num(*n),
            Lit::Bool(b) => Const::Bool(*b),
            Lit::Null => Const::Null,
        }
    }
}

impl Const {
    /// Python and JavaScript agree on these: empty string, zero, false and null are falsy.
    pub fn truthy(&self) -> bool {
        match self {
            Const::Str(s) => !s.is_empty(),
            Const::Num(n) => *n != 0.0 && !n.is_nan(),
            Const::Bool(b) => *b,
            Const::Null => false,
        }
    }

    /// The text a rule's `value-regex` sees.
    pub fn as_text(&self) -> String {
        match self {
            Const::Str(s) => s.to_string(),
            Const::Num(n) => format_number(*n),
            Const::Bool(true) => "True".into(),
            Const::Bool(false) => "False".into(),
            Const::Null => "None".into(),
        }
    }

    fn as_num(&self) -> Option<f64> {
        match self {
            Const::Num(n) => Some(*n),
            Const::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
            _ => None,
        }
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Folds `a <op> b`.
pub fn binary(op: BinOp, a: &Const, b: &Const) -> Option<Const> {
    use Const::*;
    Some(match op {
        BinOp::And => {
            if a.truthy() {
                b.clone()
            } else {
                a.clone()
            }
        }
        BinOp::Or => {
            if a.truthy() {
                a.clone()
            } else {
                b.clone()
            }
        }
        BinOp::Eq | BinOp::Is => Bool(equal(a, b)?),
        BinOp::NotEq | BinOp::IsNot => Bool(!equal(a, b)?),
        BinOp::Lt | BinOp::LtE | BinOp::Gt | BinOp::GtE => {
            let ord = match (a, b) {
                (Str(x), Str(y)) => x.cmp(y),
                _ => a.as_num()?.partial_cmp(&b.as_num()?)?,
            };
            Bool(match op {
                BinOp::Lt => ord.is_lt(),
                BinOp::LtE => ord.is_le(),
                BinOp::Gt => ord.is_gt(),
                _ => ord.is_ge(),
            })
        }
        BinOp::In | BinOp::NotIn => {
            let found = match (a, b) {
                (Str(x), Str(y)) => y.contains(&**x),
                _ => return None,
            };
            Bool(found == (op == BinOp::In))
        }
        BinOp::Add => match (a, b) {
            (Str(x), Str(y)) => Str(Arc::from(format!("{x}{y}"))),
            // JavaScript concatenation with a number.
            (Str(x), Num(y)) => Str(Arc::from(format!("{x}{}", format_number(*y)))),
            (Num(x), Str(y)) => Str(Arc::from(format!("{}{y}", format_number(*x)))),
            _ => Num(finite(a.as_num()? + b.as_num()?)?),
        },
        BinOp::Sub => Num(finite(a.as_num()? - b.as_num()?)?),
        BinOp::Mul => match (a, b) {
            (Str(s), Num(n)) | (Num(n), Str(s)) if *n >= 0.0 && *n <= 64.0 => {
                Str(Arc::from(s.repeat(*n as usize)))
            }
            _ => Num(finite(a.as_num()? * b.as_num()?)?),
        },
        BinOp::Div => {
            let d = b.as_num()?;
            if d == 0.0 {
                return None;
            }
            Num(finite(a.as_num()? / d)?)
        }
        BinOp::FloorDiv => {
            let d = b.as_num()?;
            if d == 0.0 {
                return None;
            }
            Num(finite((a.as_num()? / d).floor())?)
        }
        BinOp::Mod => match (a, b) {
            (Num(x), Num(y)) if *y != 0.0 => Num(finite(x.rem_euclid(*y))?),
            _ => return None,
        },
        BinOp::Pow => Num(finite(a.as_num()?.powf(b.as_num()?))?),
        BinOp::Other => return None,
    })
}

fn finite(n: f64) -> Option<f64> {
    n.is_finite().then_some(n)
}

fn equal(a: &Const, b: &Const) -> Option<bool> {
    Some(match (a, b) {
        (Const::Str(x), Const::Str(y)) => x == y,
        (Const::Null, Const::Null) => true,
        (Const::Null, _) | (_, Const::Null) => false,
        (Const::Str(_), _) | (_, Const::Str(_)) => false,
        _ => a.as_num()? == b.as_num()?,
    })
}

pub fn unary(op: UnOp, a: &Const) -> Option<Const> {
    match op {
        UnOp::Not => Some(Const::Bool(!a.truthy())),
        UnOp::Neg => Some(Const::Num(-a.as_num()?)),
        UnOp::Pos => Some(Const::Num(a.as_num()?)),
        UnOp::Other => None,
    }
}

/// `s[i]` for a constant string and index (negative indexes count from the end).
pub fn index(s: &Const, i: &Const) -> Option<Const> {
    let (Const::Str(s), Const::Num(i)) = (s, i) else {
        return None;
    };
    if i.fract() != 0.0 {
        return None;
    }
    let chars: Vec<char> = s.chars().collect();
    let len = chars.len() as i64;
    let mut i = *i as i64;
    if i < 0 {
        i += len;
    }
    if i < 0 || i >= len {
        return None;
    }
    Some(Const::Str(Arc::from(chars[i as usize].to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(n: f64) -> Const {
        Const::Num(n)
    }

    #[test]
    fn arithmetic_folds_so_dead_branches_can_be_proved() {
        let product = binary(BinOp::Mul, &num(7.0), &num(42.0)).unwrap();
        let diff = binary(BinOp::Sub, &product, &num(86.0)).unwrap();
        assert_eq!(
            binary(BinOp::Gt, &diff, &num(200.0)),
            Some(Const::Bool(true))
        );
        assert_eq!(
            binary(BinOp::Eq, &num(1.0), &num(2.0)),
            Some(Const::Bool(false))
        );
    }

    #[test]
    fn string_indexing_and_concatenation_fold() {
        let abc = Const::Str(Arc::from("ABC"));
        assert_eq!(index(&abc, &num(1.0)), Some(Const::Str(Arc::from("B"))));
        assert_eq!(index(&abc, &num(-1.0)), Some(Const::Str(Arc::from("C"))));
        assert_eq!(index(&abc, &num(5.0)), None);
        assert_eq!(
            binary(BinOp::Add, &abc, &Const::Str(Arc::from("D"))),
            Some(Const::Str(Arc::from("ABCD")))
        );
    }

    #[test]
    fn uncertain_operations_do_not_fold() {
        assert_eq!(binary(BinOp::Div, &num(1.0), &num(0.0)), None);
        assert_eq!(binary(BinOp::Other, &num(1.0), &num(2.0)), None);
        assert_eq!(binary(BinOp::Pow, &num(10.0), &num(400.0)), None);
    }
}

//! Abstract values: what the analysis knows about a variable at one point of the program.
//!
//! A value may carry *taint* (it came from a source such as a request parameter), a
//! *constant* (the constant folder computed it), a *shape* (the known elements of a list or
//! the known keys and attributes of a dict or object, each an abstract value of its own),
//! a *function* (so calls to it can be analysed with the arguments' values), and an *origin*
//! (the qualified name of the call that made it, e.g. `tarfile.open`).
//!
//! Shapes are what let `lst = ['safe', tainted]; x = lst[0]` be clean: reading a known
//! element gives that element's value, not the union of the container. A container's own
//! `taint` holds whatever was added to it in ways the analysis could not place.
//!
//! Taint remembers which sink kinds it was *cleared* for (`shlex.quote` clears `command` but
//! not `sql`) and which source kinds it came from. Joining two taints keeps a kind cleared
//! only if both were, because a value is only safe if it is safe on every path.

use std::sync::Arc;

use crate::constant::Const;
use crate::ir::FuncDef;

/// A bit set of sink kinds (`sql`, `command`, …); the names are assigned at rule load.
pub type KindSet = u64;

/// Every sink kind at once: what `int()` clears.
pub const ALL_KINDS: KindSet = u64::MAX;

/// A bit set of source kinds (`remote`, `cli`, …).
pub type SourceSet = u8;

#[derive(Debug, Clone, PartialEq)]
pub struct Taint {
    /// Human description of the source, e.g. `request.args`.
    pub label: Arc<str>,
    /// Line of the source in the file.
    pub line: u32,
    /// Sink kinds this value was sanitised for.
    pub cleared: KindSet,
    /// Source kinds it came from.
    pub sources: SourceSet,
}

impl Taint {
    /// The join of two taints: safe for a kind only if both are.
    pub fn merge(a: &Arc<Taint>, b: &Arc<Taint>) -> Arc<Taint> {
        if Arc::ptr_eq(a, b) {
            return a.clone();
        }
        let cleared = a.cleared & b.cleared;
        let sources = a.sources | b.sources;
        // Prefer the description of the path that is still dangerous for more kinds.
        let base = if a.cleared.count_ones() <= b.cleared.count_ones() {
            a
        } else {
            b
        };
        if base.cleared == cleared && base.sources == sources {
            return base.clone();
        }
        Arc::new(Taint {
            label: base.label.clone(),
            line: base.line,
            cleared,
            sources,
        })
    }

    pub fn is_live_for(&self, kind: KindSet, sources: SourceSet) -> bool {
        self.cleared & kind != kind && self.sources & sources != 0
    }
}

pub fn merge_taint(a: &Option<Arc<Taint>>, b: &Option<Arc<Taint>>) -> Option<Arc<Taint>> {
    match (a, b) {
        (None, None) => None,
        (Some(x), None) | (None, Some(x)) => Some(x.clone()),
        (Some(x), Some(y)) => Some(Taint::merge(x, y)),
    }
}

/// Known structure of a container or object.
#[derive(Debug, Clone)]
pub enum Shape {
    /// A list, tuple or array whose elements are known by position.
    List(Vec<Value>),
    /// A dict or object whose keys (or attributes) are known.
    Fields(Vec<(Arc<str>, Value)>),
}

#[derive(Debug, Clone, Default)]
pub struct Value {
    pub taint: Option<Arc<Taint>>,
    pub konst: Option<Const>,
    pub shape: Option<Arc<Shape>>,
    pub func: Option<Arc<FuncDef>>,
    pub origin: Option<Arc<str>>,
    /// Computed only from literals (through operators and calls of imported code) or proven
    /// safe by a check, so no uncontrolled outside data can be in it, even when the folder
    /// could not compute it.
    pub pure: bool,
    /// The constant text a string starts with when the rest is not known
    /// (`"/tmp/upload_%d" % pid` starts with `/tmp/upload_`).
    pub prefix: Option<Arc<str>>,
}

/// Containers nested deeper than this are summarised by their taint.
const MAX_SHAPE_DEPTH: u32 = 6;

impl Value {
    pub fn constant(c: Const) -> Self {
        Value {
            konst: Some(c),
            pure: true,
            ..Value::default()
        }
    }

    pub fn tainted(t: Arc<Taint>) -> Self {
        Value {
            taint: Some(t),
            ..Value::default()
        }
    }

    pub fn list(items: Vec<Value>) -> Self {
        Value {
            pure: items.iter().all(|v| v.pure),
            shape: Some(Arc::new(Shape::List(items))),
            ..Value::default()
        }
    }

    pub fn fields(fields: Vec<(Arc<str>, Value)>) -> Self {
        Value {
            pure: fields.iter().all(|(_, v)| v.pure),
            shape: Some(Arc::new(Shape::Fields(fields))),
            ..Value::default()
        }
    }

    /// The taint of the value and everything inside it.
    pub fn deep_taint(&self) -> Option<Arc<Taint>> {
        self.deep_taint_at(0)
    }

    fn deep_taint_at(&self, depth: u32) -> Option<Arc<Taint>> {
        let mut t = self.taint.clone();
        if depth > MAX_SHAPE_DEPTH {
            return t;
        }
        if let Some(shape) = &self.shape {
            match &**shape {
                Shape::List(items) => {
                    for v in items {
                        t = merge_taint(&t, &v.deep_taint_at(depth + 1));
                    }
                }
                Shape::Fields(fields) => {
                    for (_, v) in fields {
                        t = merge_taint(&t, &v.deep_taint_at(depth + 1));
                    }
                }
            }
        }
        t
    }

    /// Forgets the structure, keeping its taint: for values passed through unknown code.
    pub fn flattened(&self) -> Value {
        Value {
            taint: self.deep_taint(),
            ..Value::default()
        }
    }

    /// Removes all taint, deep: for sanitisers that clear every kind and for values an
    /// allow-list check proved. Such a value is as trustworthy as a literal.
    pub fn clean(&self) -> Value {
        Value {
            taint: None,
            konst: self.konst.clone(),
            shape: None,
            func: self.func.clone(),
            origin: self.origin.clone(),
            pure: true,
            prefix: self.prefix.clone(),
        }
    }

    /// Marks the value as sanitised for `kinds`.
    pub fn cleared_for(&self, kinds: KindSet) -> Value {
        if kinds == ALL_KINDS {
            return self.clean();
        }
        match self.deep_taint() {
            None => self.clone(),
            Some(t) => Value {
                taint: Some(Arc::new(Taint {
                    cleared: t.cleared | kinds,
                    ..(*t).clone()
                })),
                konst: self.konst.clone(),
                shape: None,
                func: None,
                origin: self.origin.clone(),
                pure: false,
                prefix: self.prefix.clone(),
            },
        }
    }

    /// The value of a known field (dict key or attribute).
    pub fn field(&self, name: &str) -> Option<&Value> {
        match self.shape.as_deref() {
            Some(Shape::Fields(fields)) => fields
                .iter()
                .rev()
                .find(|(k, _)| &**k == name)
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// A copy with `name` set to `value` (creating a field shape if there was none).
    pub fn with_field(&self, name: Arc<str>, value: Value) -> Value {
        let mut fields = match self.shape.as_deref() {
            Some(Shape::Fields(f)) => f.clone(),
            Some(Shape::List(_)) => return self.with_unplaced(&value),
            None => Vec::new(),
        };
        fields.retain(|(k, _)| *k != name);
        let pure = self.pure && value.pure;
        fields.push((name, value));
        Value {
            taint: self.taint.clone(),
            konst: None,
            shape: Some(Arc::new(Shape::Fields(fields))),
            func: self.func.clone(),
            origin: self.origin.clone(),
            pure,
            prefix: None,
        }
    }

    /// A copy that also holds `value` somewhere the analysis cannot name.
    pub fn with_unplaced(&self, value: &Value) -> Value {
        let mut out = self.clone();
        out.taint = merge_taint(&self.taint, &value.deep_taint());
        out.konst = None;
        out.pure = self.pure && value.pure;
        out
    }

    /// The join of two values at a control-flow merge.
    pub fn join(a: &Value, b: &Value) -> Value {
        Self::join_at(a, b, 0)
    }

    fn join_at(a: &Value, b: &Value, depth: u32) -> Value {
        let konst = match (&a.konst, &b.konst) {
            (Some(x), Some(y)) if x == y => Some(x.clone()),
            _ => None,
        };
        let origin = match (&a.origin, &b.origin) {
            (Some(x), Some(y)) if x == y => Some(x.clone()),
            (Some(x), None) | (None, Some(x)) => Some(x.clone()),
            _ => None,
        };
        let func = a.func.clone().or_else(|| b.func.clone());
        let mut taint = merge_taint(&a.taint, &b.taint);
        let shape = match (a.shape.as_deref(), b.shape.as_deref()) {
            _ if depth > MAX_SHAPE_DEPTH => {
                taint = merge_taint(&a.deep_taint(), &b.deep_taint());
                None
            }
            (Some(Shape::List(x)), Some(Shape::List(y))) if x.len() == y.len() => {
                Some(Arc::new(Shape::List(
                    x.iter()
                        .zip(y)
                        .map(|(p, q)| Self::join_at(p, q, depth + 1))
                        .collect(),
                )))
            }
            (Some(Shape::Fields(x)), Some(Shape::Fields(y))) => {
                let mut out: Vec<(Arc<str>, Value)> = Vec::new();
                for (k, v) in x {
                    match y.iter().rev().find(|(k2, _)| k2 == k) {
                        Some((_, w)) => out.push((k.clone(), Self::join_at(v, w, depth + 1))),
                        None => out.push((k.clone(), v.clone())),
                    }
                }
                for (k, w) in y {
                    if !x.iter().any(|(k1, _)| k1 == k) {
                        out.push((k.clone(), w.clone()));
                    }
                }
                Some(Arc::new(Shape::Fields(out)))
            }
            (None, None) => None,
            _ => {
                taint = merge_taint(&a.deep_taint(), &b.deep_taint());
                None
            }
        };
        Value {
            taint,
            konst,
            shape,
            func,
            origin,
            pure: a.pure && b.pure,
            prefix: common_prefix(a, b),
        }
    }
}

impl Value {
    /// The constant text the value starts with: all of a constant string, or its known
    /// prefix.
    pub fn known_start(&self) -> Option<&str> {
        match &self.konst {
            Some(Const::Str(s)) => Some(s),
            Some(_) => None,
            None => self.prefix.as_deref(),
        }
    }
}

/// The start two values on different paths share.
fn common_prefix(a: &Value, b: &Value) -> Option<Arc<str>> {
    let (x, y) = (a.known_start()?, b.known_start()?);
    if a.konst.is_some() && b.konst.is_some() {
        // Both constant: the join keeps the constant when equal, and a prefix otherwise.
        if x == y {
            return None;
        }
    }
    let n = x
        .char_indices()
        .zip(y.chars())
        .take_while(|((_, c), d)| c == d)
        .last()
        .map(|((i, c), _)| i + c.len_utf8())
        .unwrap_or(0);
    (n > 0).then(|| Arc::from(&x[..n]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(cleared: KindSet) -> Arc<Taint> {
        Arc::new(Taint {
            label: Arc::from("request.args"),
            line: 3,
            cleared,
            sources: 1,
        })
    }

    #[test]
    fn a_kind_stays_cleared_only_if_every_path_cleared_it() {
        let joined = Taint::merge(&taint(0b011), &taint(0b110));
        assert_eq!(joined.cleared, 0b010);
    }

    #[test]
    fn a_known_element_keeps_its_own_value_inside_a_tainted_list() {
        let list = Value::list(vec![
            Value::constant(Const::Str(Arc::from("safe"))),
            Value::tainted(taint(0)),
        ]);
        assert!(list.deep_taint().is_some());
        let Some(Shape::List(items)) = list.shape.as_deref() else {
            panic!("list shape expected")
        };
        assert!(items[0].deep_taint().is_none());
    }

    #[test]
    fn joining_lists_of_different_lengths_keeps_their_taint() {
        let a = Value::list(vec![Value::tainted(taint(0))]);
        let b = Value::list(vec![Value::default(), Value::default()]);
        let j = Value::join(&a, &b);
        assert!(j.shape.is_none());
        assert!(j.taint.is_some());
    }
}

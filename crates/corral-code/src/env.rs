//! Variable environments: what each name holds at one point of the program.
//!
//! A function's environment is its own variables over a frozen, shared snapshot of the
//! enclosing scope's (module globals, or the variables a closure sees). Branches clone only
//! the function's own variables, so analysing an `if` costs the size of the function, not of
//! the module. At a merge point the two branches' environments are joined name by name.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use crate::value::Value;

pub type Snapshot = Arc<HashMap<Arc<str>, Value>>;

#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: HashMap<Arc<str>, Value>,
    parent: Option<Snapshot>,
}

impl Env {
    pub fn with_parent(parent: Option<Snapshot>) -> Self {
        Self {
            vars: HashMap::default(),
            parent,
        }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.vars
            .get(name)
            .or_else(|| self.parent.as_ref().and_then(|p| p.get(name)))
    }

    pub fn set(&mut self, name: Arc<str>, value: Value) {
        self.vars.insert(name, value);
    }

    /// The names set in this environment itself (not inherited from the enclosing scope).
    pub fn own_names(&self) -> Vec<Arc<str>> {
        self.vars.keys().cloned().collect()
    }

    /// Everything visible, flattened into a snapshot for functions defined here.
    pub fn snapshot(&self) -> Snapshot {
        match &self.parent {
            None => Arc::new(self.vars.clone()),
            Some(p) if self.vars.is_empty() => p.clone(),
            Some(p) => {
                let mut all = (**p).clone();
                for (k, v) in &self.vars {
                    all.insert(k.clone(), v.clone());
                }
                Arc::new(all)
            }
        }
    }

    /// The join of two environments that share a parent.
    pub fn join(a: &Env, b: &Env) -> Env {
        let mut vars =
            HashMap::with_capacity_and_hasher(a.vars.len().max(b.vars.len()), Default::default());
        let missing = Value::default();
        for (k, va) in &a.vars {
            let vb = b.get(k).unwrap_or(&missing);
            vars.insert(k.clone(), Value::join(va, vb));
        }
        for (k, vb) in &b.vars {
            if !a.vars.contains_key(k) {
                let va = a.get(k).unwrap_or(&missing);
                vars.insert(k.clone(), Value::join(va, vb));
            }
        }
        Env {
            vars,
            parent: a.parent.clone(),
        }
    }
}

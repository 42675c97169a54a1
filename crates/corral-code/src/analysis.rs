//! The taint engine: an abstract interpreter over one lowered file.
//!
//! It runs the program once, on [`Value`]s instead of real data: module code first, then
//! every function on its own (its parameters clean, except route handlers' URL parameters and
//! request objects, which are sources), and again at each call inside the file with the
//! arguments' values, so a tainted argument is followed into a helper and a helper's
//! tainted return value back out (inter-procedural within the file). A call of a function
//! wrapped by a decorator of the file goes through the wrapper the decorator returns.
//!
//! Along the way it folds constants and skips what cannot run: the live side of an `if`
//! whose test folds, the matching `case` of a constant subject, nothing after a `return`.
//! An `if` that tests a value against an allow-list, a constant or a validator clears the
//! value on the side where the test proves it safe; when the other side ends (return,
//! raise, `abort()`), the code after the `if` is guarded too.
//!
//! Rules are checked where they can match, in the same single walk: calls, assignments,
//! returns and dict literals are looked up in the rule index by their identifiers, and each
//! candidate pattern is matched with the current values at hand, so a rule's conditions
//! (`tainted`, `value-regex`, …) see exactly what the program holds at that point.
//!
//! Everything is bounded: calls are followed at most [`MAX_CALL_DEPTH`] deep and
//! [`CALL_BUDGET`] times per file, loops run twice to reach their effect, and nothing
//! recurses deeper than the lowered tree, itself depth-limited.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use crate::constant::{self, Const};
use crate::env::{Env, Snapshot};
use crate::ir::{Arg, BinOp, Expr, ExprKind, FuncDef, Lit, Module, Span, Stmt, StmtKind, UnOp};
use crate::pattern::{Bindings, Bound, MatchEnv, Pattern, bound, target_anchors};
use crate::rule::{Inside, Rule, RulePattern};
use crate::ruleset::{Active, LanguageRules, PatternRef};
use crate::value::{KindSet, Shape, Taint, Value, merge_taint};

/// How deep calls to functions of the same file are followed.
pub const MAX_CALL_DEPTH: usize = 4;
/// How many call-site analyses one file may run.
pub const CALL_BUDGET: u32 = 400;
/// Loops nested deeper than this run once instead of twice.
const MAX_LOOP_NESTING: u32 = 3;

/// Names, each with the sink kinds a check proved it safe for.
/// The origin of a value read from a request field the spec declares safe (`req.baseUrl`).
const REQUEST_FIELD: &str = "<request field>";

pub(crate) type Proven = Vec<(Arc<str>, KindSet)>;

/// A rule match, before it becomes a [`corral_model::Finding`].
#[derive(Debug, Clone)]
pub struct RawFinding {
    pub rule: usize,
    pub span: Span,
    pub message: String,
    pub source: Option<(Arc<str>, u32)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Normal,
    /// The path ended (return, raise, break, continue, a terminator call).
    Exit,
}

#[derive(Default)]
pub(crate) struct FnCtx {
    route_handler: bool,
    returns: Option<Value>,
    /// Functions defined in this body, analysed on their own once it is done.
    pending: Vec<Arc<FuncDef>>,
    /// Inside a call-site analysis: nested functions are not analysed again.
    in_call: bool,
    /// The function's source and name, and the target of the assignment being evaluated: the
    /// context a rule's `context` reads (`token = random.random()`).
    span: Option<Span>,
    name: Option<Arc<str>>,
    stmt_target: Option<Span>,
    /// Variables holding a parsed URL: name, url-parser index, the variables it parsed.
    pub(crate) parsed: Vec<(Arc<str>, usize, Vec<Arc<str>>)>,
    /// While a function is analysed as a possible validator: what its truthy returns
    /// prove about its parameters so far (`None` before the first such return).
    validation: Option<Option<Proven>>,
}

pub struct Analyzer<'a> {
    pub(crate) lr: &'a LanguageRules,
    active: &'a Active,
    pub(crate) src: &'a [u8],
    pub(crate) imports: HashMap<Arc<str>, Arc<str>>,
    funcs: HashMap<Arc<str>, Arc<FuncDef>>,
    pub findings: Vec<RawFinding>,
    seen: HashSet<(usize, usize)>,
    budget: u32,
    stack: Vec<*const FuncDef>,
    /// The named function whose nested functions are being analysed.
    enclosing: Option<(Arc<str>, Span)>,
    /// Per function and arguments: the return value and, for a method, its final `self`.
    memo: HashMap<(usize, Vec<String>), (Value, Option<Value>)>,
    pub(crate) cache: HashMap<(usize, usize), Value>,
    globals: Option<Snapshot>,
    pub(crate) ctx: FnCtx,
    loop_nesting: u32,
    /// What each function of the file proves about its parameters when it returns a true
    /// value (`is_safe_url(target)`), by function.
    pub(crate) summaries: HashMap<usize, Proven>,
    /// Above zero while a function is analysed as a validator: nothing is reported.
    quiet: u32,
    /// Names called anywhere in the file (`f` for `f(x)` and `obj.f(x)`).
    called: HashSet<Arc<str>>,
    /// Byte spans whose functions are not analysed on their own (see `skip_standalone`).
    not_alone: Vec<std::ops::Range<usize>>,
    /// Functions being called through their decorator right now: a call of one of them
    /// from inside the decorator's wrapper is the undecorated function.
    undecorated: Vec<*const FuncDef>,
}

fn collect_funcs(stmts: &[Stmt], out: &mut HashMap<Arc<str>, Arc<FuncDef>>) {
    for s in stmts {
        match &s.kind {
            StmtKind::Func(f) => {
                if let Some(n) = &f.name {
                    out.entry(n.clone()).or_insert_with(|| f.clone());
                }
                collect_funcs(&f.body, out);
            }
            StmtKind::Class(_, body) | StmtKind::Block(body) => collect_funcs(body, out),
            StmtKind::If(_, a, b) => {
                collect_funcs(a, out);
                collect_funcs(b, out);
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finally,
            } => {
                collect_funcs(body, out);
                for h in handlers {
                    collect_funcs(h, out);
                }
                collect_funcs(orelse, out);
                collect_funcs(finally, out);
            }
            _ => {}
        }
    }
}

impl<'a> Analyzer<'a> {
    pub fn new(lr: &'a LanguageRules, active: &'a Active, src: &'a [u8]) -> Self {
        Self {
            lr,
            active,
            src,
            imports: HashMap::default(),
            funcs: HashMap::default(),
            findings: Vec::new(),
            seen: HashSet::default(),
            budget: CALL_BUDGET,
            stack: Vec::new(),
            memo: HashMap::default(),
            enclosing: None,
            cache: HashMap::default(),
            globals: None,
            ctx: FnCtx::default(),
            loop_nesting: 0,
            summaries: HashMap::default(),
            quiet: 0,
            called: HashSet::default(),
            not_alone: Vec::new(),
            undecorated: Vec::new(),
        }
    }

    /// Functions starting in `spans` are analysed only where the file calls them, not on
    /// their own: the pruning found that no rule can match in them and that nothing they
    /// call depends on the values they pass ([`crate::pruning::Needed::Ranges`]).
    pub fn skip_standalone(&mut self, spans: Vec<std::ops::Range<usize>>) {
        self.not_alone = spans;
    }

    /// Analyses a whole module.
    pub fn run(&mut self, module: &Module) {
        collect_funcs(&module.body, &mut self.funcs);
        called_in_stmts(&module.body, &mut self.called);
        self.collect_module_aliases(&module.body);
        let mut env = Env::default();
        self.exec_block(&module.body, &mut env);
        let snapshot = env.snapshot();
        self.globals = Some(snapshot.clone());
        let pending = std::mem::take(&mut self.ctx.pending);
        for f in pending {
            if self.not_alone.iter().any(|q| q.contains(&f.span.start)) {
                continue;
            }
            self.analyze_function(&f, snapshot.clone());
        }
    }

    /// Module names bound once to an imported attribute (`MODE = AES.MODE_ECB`,
    /// `run = subprocess.run`) or to a promisified import (`execAsync = promisify(exec)`)
    /// stand for it wherever patterns compare names.
    fn collect_module_aliases(&mut self, body: &[Stmt]) {
        let mut imported: HashMap<Arc<str>, Arc<str>> = HashMap::default();
        let mut assigned: HashMap<Arc<str>, (usize, Option<&Expr>)> = HashMap::default();
        for stmt in body {
            match &stmt.kind {
                StmtKind::Import(bindings) => {
                    for b in bindings {
                        imported.insert(b.local.clone(), b.qualified.clone());
                    }
                }
                StmtKind::Assign(target, value) => {
                    if let ExprKind::Name(n) = &target.kind {
                        let entry = assigned.entry(n.clone()).or_insert((0, None));
                        entry.0 += 1;
                        entry.1 = Some(value);
                    }
                }
                _ => {}
            }
        }
        for (name, (count, value)) in assigned {
            let Some(value) = value else { continue };
            if count != 1 || imported.contains_key(&name) {
                continue;
            }
            // `execAsync = util.promisify(exec)` runs what it wraps.
            let value = match &value.kind {
                ExprKind::Call { func, args }
                    if func.last_name() == Some("promisify") && args.len() == 1 =>
                {
                    &args[0].value
                }
                _ => value,
            };
            let Some(dotted) = value.dotted() else {
                continue;
            };
            if matches!(value.kind, ExprKind::Name(_)) {
                if let Some(q) = imported.get(&*dotted) {
                    self.imports.insert(name, q.clone());
                }
                continue;
            }
            let (root, rest) = dotted.split_once('.').unwrap_or((&dotted, ""));
            if let Some(q) = imported.get(root) {
                self.imports.insert(name, Arc::from(format!("{q}.{rest}")));
            }
        }
    }

    /// A function of this file, by name.
    pub(crate) fn local_funcs(&self, name: &str) -> Option<Arc<FuncDef>> {
        self.funcs.get(name).cloned()
    }

    pub(crate) fn text(&self, span: Span) -> &'a str {
        std::str::from_utf8(self.src.get(span.start..span.end).unwrap_or(b"")).unwrap_or("")
    }

    // ----- functions -----------------------------------------------------------------

    fn route_info(&self, f: &FuncDef) -> Option<Vec<String>> {
        let decorators = &self.lr.spec.route_decorators;
        for d in &f.decorators {
            let (func, args) = match &d.kind {
                ExprKind::Call { func, args } => (&**func, Some(args)),
                _ => (d, None),
            };
            let Some(last) = func.last_name() else {
                continue;
            };
            if !decorators.iter().any(|r| r == last) || matches!(func.kind, ExprKind::Name(_)) {
                continue;
            }
            // `<int:id>` converters make a parameter a number.
            let mut safe = Vec::new();
            if let Some(ExprKind::Lit(crate::ir::Lit::Str(path))) =
                args.and_then(|a| a.first()).map(|a| &a.value.kind)
            {
                for seg in path.split('<').skip(1) {
                    if let Some((conv, name)) =
                        seg.split('>').next().and_then(|s| s.split_once(':'))
                        && matches!(conv, "int" | "float")
                    {
                        safe.push(name.to_string());
                    }
                }
            }
            return Some(safe);
        }
        None
    }

    fn analyze_function(&mut self, f: &Arc<FuncDef>, parent: Snapshot) {
        let route = self.route_info(f);
        let mut env = Env::with_parent(Some(parent));
        for p in &f.params {
            let request = self
                .lr
                .spec
                .request_parameters
                .iter()
                .any(|r| **r == *p.name);
            let safe_type = p.annotation.as_deref().is_some_and(|a| {
                self.lr
                    .spec
                    .safe_annotations
                    .iter()
                    .any(|s| s == a.trim_start_matches("Optional[").trim_end_matches(']'))
            });
            // `@Query("q") q: string` (NestJS): filled from the request.
            let decorated = p
                .decorators
                .iter()
                .any(|d| self.lr.spec.parameter_decorators.iter().any(|r| **r == **d))
                && !safe_type;
            let route_param = decorated
                || match &route {
                    Some(safe) => {
                        !safe.iter().any(|s| **s == *p.name)
                            && !matches!(&*p.name, "self" | "cls")
                            && !safe_type
                            && !matches!(
                                p.default.as_ref().map(|d| &d.kind),
                                Some(ExprKind::Call { .. })
                            )
                    }
                    None => false,
                };
            // A parameter of a function nothing in this file calls: its callers are
            // elsewhere, and what they pass is unknown (a `param` source, which only the
            // injection rules accept).
            let entry_param = route.is_none()
                && !decorated
                && !request
                && !safe_type
                && !p.variadic
                && !matches!(&*p.name, "self" | "cls")
                && f.name.as_deref().is_some_and(|n| {
                    let dunder = n.starts_with("__") && n.ends_with("__");
                    !dunder && !self.called.contains(n)
                });
            let value = if entry_param {
                Value::tainted(Arc::new(Taint {
                    label: Arc::from(format!("parameter `{}`", p.name)),
                    line: f.span.line,
                    cleared: 0,
                    sources: crate::rule::source_bit("param").unwrap_or(0),
                }))
            } else if request || route_param {
                let label = if request {
                    format!("request object `{}`", p.name)
                } else {
                    format!("URL parameter `{}`", p.name)
                };
                Value::tainted(Arc::new(Taint {
                    label: Arc::from(label),
                    line: f.span.line,
                    cleared: 0,
                    sources: crate::rule::source_bit("remote").unwrap_or(1),
                }))
            } else {
                Value::default()
            };
            env.set(p.name.clone(), value);
        }
        // An anonymous function (`.replace(re, (c) => …)`) reads as part of the named
        // function around it: a rule's `context` is that function's name and source.
        let (name, span) = match (&f.name, &self.enclosing) {
            (None, Some((n, s))) => (Some(n.clone()), *s),
            _ => (f.name.clone(), f.span),
        };
        let saved = std::mem::replace(
            &mut self.ctx,
            FnCtx {
                route_handler: route.is_some(),
                span: Some(span),
                name: name.clone(),
                ..FnCtx::default()
            },
        );
        self.exec_block(&f.body, &mut env);
        let pending = std::mem::take(&mut self.ctx.pending);
        self.ctx = saved;
        if !pending.is_empty() {
            let snap = env.snapshot();
            let outer = std::mem::replace(&mut self.enclosing, name.map(|n| (n, span)));
            for g in pending {
                self.analyze_function(&g, snap.clone());
            }
            self.enclosing = outer;
        }
    }

    /// Analyses a function of the file as a possible validator: with every parameter
    /// untrusted, which parameters does each return of a true value prove safe, and for
    /// which sink kinds? Kept in [`Analyzer::summaries`].
    pub(crate) fn summarize_validator(&mut self, f: &Arc<FuncDef>, method: bool) {
        let key = Arc::as_ptr(f) as usize;
        if self.summaries.contains_key(&key)
            || self.budget == 0
            || self.stack.len() >= MAX_CALL_DEPTH
        {
            return;
        }
        // A recursive check proves nothing until it is known.
        self.summaries.insert(key, Vec::new());
        self.budget -= 1;
        let mut env = Env::with_parent(self.globals.clone());
        let mut params = Vec::new();
        for (i, p) in f.params.iter().enumerate() {
            if method && i == 0 && matches!(&*p.name, "self" | "cls") {
                continue;
            }
            env.set(
                p.name.clone(),
                Value::tainted(Arc::new(Taint {
                    label: p.name.clone(),
                    line: f.span.line,
                    cleared: 0,
                    sources: u8::MAX,
                })),
            );
            params.push(p.name.clone());
        }
        let saved_ctx = std::mem::replace(
            &mut self.ctx,
            FnCtx {
                in_call: true,
                validation: Some(None),
                ..FnCtx::default()
            },
        );
        let saved_cache = std::mem::take(&mut self.cache);
        let saved_nesting = std::mem::replace(&mut self.loop_nesting, 0);
        self.quiet += 1;
        self.stack.push(Arc::as_ptr(f));
        self.exec_block(&f.body, &mut env);
        self.stack.pop();
        self.quiet -= 1;
        self.loop_nesting = saved_nesting;
        self.cache = saved_cache;
        let ctx = std::mem::replace(&mut self.ctx, saved_ctx);
        let proven = ctx
            .validation
            .flatten()
            .unwrap_or_default()
            .into_iter()
            .filter(|(n, k)| *k != 0 && params.contains(n))
            .collect();
        self.summaries.insert(key, proven);
    }

    /// At a return of a possibly true value while summarising a validator: what holds for
    /// the parameters here, intersected with the other such returns.
    fn note_validation(&mut self, e: &Expr, env: &Env) {
        let mut here: Proven = self.proven_safe(e, true, env);
        // Parameters already proven on the path to this return.
        for (name, kinds) in here.iter_mut() {
            if let Some(t) = env.get(name).and_then(|v| v.deep_taint()) {
                *kinds |= t.cleared;
            } else if env.get(name).is_some() {
                *kinds = crate::value::ALL_KINDS;
            }
        }
        let params: Vec<Arc<str>> = env.own_names();
        for n in params {
            if here.iter().any(|(m, _)| *m == n) {
                continue;
            }
            let cleared = match env.get(&n).and_then(|v| v.deep_taint()) {
                Some(t) => t.cleared,
                None => crate::value::ALL_KINDS,
            };
            if cleared != 0 {
                here.push((n, cleared));
            }
        }
        let merged = match self.ctx.validation.take().flatten() {
            None => here,
            Some(prev) => prev
                .into_iter()
                .filter_map(|(n, k)| {
                    here.iter()
                        .find(|(m, _)| *m == n)
                        .map(|(_, j)| (n.clone(), k & j))
                })
                .filter(|(_, k)| *k != 0)
                .collect(),
        };
        self.ctx.validation = Some(Some(merged));
    }

    fn memo_key(args: &[(Option<Arc<str>>, Value)]) -> Vec<String> {
        args.iter()
            .map(|(n, v)| {
                let t = v
                    .deep_taint()
                    .map(|t| format!("{}:{}", t.cleared, t.sources))
                    .unwrap_or_default();
                let k = v.konst.as_ref().map(|c| c.as_text()).unwrap_or_default();
                format!("{}={t}/{k}", n.as_deref().unwrap_or(""))
            })
            .collect()
    }

    /// The memo key of a method's receiver: what each of its fields holds.
    fn receiver_key(receiver: Option<&Value>) -> String {
        let Some(r) = receiver else {
            return String::new();
        };
        let mut key = format!("{:?}", r.taint.as_ref().map(|t| (t.cleared, t.sources)));
        if let Some(Shape::Fields(fields)) = r.shape.as_deref() {
            for (n, v) in fields.iter().filter(|(_, v)| v.func.is_none()) {
                let t = v.deep_taint().map(|t| (t.cleared, t.sources));
                key.push_str(&format!(";{n}={t:?}/{:?}", v.konst));
            }
        }
        key
    }

    /// Analyses a call to a function of this file with the arguments' values.
    fn call_local(
        &mut self,
        f: &Arc<FuncDef>,
        method: bool,
        args: &[(Option<Arc<str>>, Value)],
    ) -> Option<Value> {
        self.call_method(f, method, None, args).map(|(v, _)| v)
    }

    /// Like [`Self::call_local`], with the object a method is called on bound to its
    /// `self` (Python) or `this` (JavaScript); also returns that object as the method left
    /// it (what a constructor built).
    fn call_method(
        &mut self,
        f: &Arc<FuncDef>,
        method: bool,
        receiver: Option<&Value>,
        args: &[(Option<Arc<str>>, Value)],
    ) -> Option<(Value, Option<Value>)> {
        self.call_in(f, method, receiver, args, None)
    }

    /// Like [`Self::call_method`]; with `closure`, the function sees that scope instead of
    /// the module's (a function defined inside another: a decorator's wrapper), and what it
    /// returns is remembered per closure (told apart by the given number).
    fn call_in(
        &mut self,
        f: &Arc<FuncDef>,
        method: bool,
        receiver: Option<&Value>,
        args: &[(Option<Arc<str>>, Value)],
        closure: Option<(Snapshot, usize)>,
    ) -> Option<(Value, Option<Value>)> {
        let ptr = Arc::as_ptr(f);
        // A recursive function is followed into itself once: what its first level hands
        // to the second (`merge(target[key], source[key])`) is then seen.
        let depth_here = self.stack.iter().filter(|p| **p == ptr).count();
        if self.budget == 0 || self.stack.len() >= MAX_CALL_DEPTH || depth_here >= 2 {
            return None;
        }
        let mut key = (ptr as usize, Self::memo_key(args));
        if receiver.is_some() {
            key.1.push(Self::receiver_key(receiver));
        }
        let parent = match closure {
            Some((scope, id)) => {
                key.1.push(format!("closure {id}"));
                Some(scope)
            }
            None => self.globals.clone(),
        };
        if let Some(v) = self.memo.get(&key) {
            return Some(v.clone());
        }
        self.budget -= 1;
        let mut env = Env::with_parent(parent);
        let mut params = f.params.iter().peekable();
        let mut self_name: Option<Arc<str>> = None;
        if method
            && let Some(p) = params.peek()
            && matches!(&*p.name, "self" | "cls")
        {
            self_name = Some(p.name.clone());
            params.next();
        }
        if let Some(r) = receiver {
            let name = self_name.clone().unwrap_or_else(|| Arc::from("this"));
            env.set(name.clone(), r.clone());
            self_name = Some(name);
        }
        let params: Vec<_> = params.collect();
        let positional: Vec<&Value> = args
            .iter()
            .filter(|(n, _)| n.is_none())
            .map(|(_, v)| v)
            .collect();
        let mut pos = 0;
        for p in &params {
            let value = if p.keywords {
                let mut kwargs = Value::default();
                for (n, v) in args {
                    if let Some(n) = n
                        && !params.iter().any(|q| q.name == *n)
                    {
                        kwargs = kwargs.with_field(n.clone(), v.clone());
                    }
                }
                kwargs
            } else if p.variadic {
                let rest: Vec<Value> = positional.iter().skip(pos).map(|v| (*v).clone()).collect();
                pos = positional.len();
                Value::list(rest)
            } else if let Some((_, v)) = args.iter().find(|(n, _)| n.as_deref() == Some(&*p.name)) {
                v.clone()
            } else if let Some(v) = positional.get(pos) {
                pos += 1;
                (*v).clone()
            } else if let Some(d) = &p.default {
                self.eval(d, &mut env)
            } else {
                Value::default()
            };
            env.set(p.name.clone(), value);
        }
        let saved_ctx = std::mem::replace(
            &mut self.ctx,
            FnCtx {
                in_call: true,
                span: Some(f.span),
                name: f.name.clone(),
                ..FnCtx::default()
            },
        );
        let saved_cache = std::mem::take(&mut self.cache);
        let saved_nesting = std::mem::replace(&mut self.loop_nesting, 0);
        self.stack.push(ptr);
        self.exec_block(&f.body, &mut env);
        self.stack.pop();
        self.loop_nesting = saved_nesting;
        self.cache = saved_cache;
        let ctx = std::mem::replace(&mut self.ctx, saved_ctx);
        let result = ctx.returns.unwrap_or_default();
        let final_self = self_name.and_then(|n| env.get(&n).cloned());
        self.memo.insert(key, (result.clone(), final_self.clone()));
        Some((result, final_self))
    }

    /// The decorator of `f` that is a function of this file (`@basename_only`), when it has
    /// exactly one. Other decorators (`@app.route`, imported ones) are taken to hand the
    /// function back as it is.
    fn local_decorator(&self, f: &FuncDef, env: &Env) -> Option<Arc<FuncDef>> {
        let mut found = f.decorators.iter().filter_map(|d| match &d.kind {
            ExprKind::Name(n) => env
                .get(n)
                .filter(|v| !is_class(v))
                .and_then(|v| v.func.clone()),
            _ => None,
        });
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// Calls `f` the way its decorator `decorator` has it called: runs the decorator with
    /// `f`, and calls the wrapper it returns with `args`, in the decorator's scope, where
    /// the wrapper's call of `f` (which may sanitise the arguments first) is a plain call.
    /// `None` when the decorator does not return a function of its own.
    fn call_decorated(
        &mut self,
        decorator: &Arc<FuncDef>,
        f: &Arc<FuncDef>,
        args: &[(Option<Arc<str>>, Value)],
    ) -> Option<Value> {
        let ptr = Arc::as_ptr(decorator);
        if self.budget == 0 || self.stack.len() >= MAX_CALL_DEPTH || self.stack.contains(&ptr) {
            return None;
        }
        self.budget -= 1;
        let mut env = Env::with_parent(self.globals.clone());
        let param = decorator.params.first()?;
        env.set(
            param.name.clone(),
            Value {
                func: Some(f.clone()),
                ..Value::default()
            },
        );
        let saved_ctx = std::mem::replace(
            &mut self.ctx,
            FnCtx {
                in_call: true,
                span: Some(decorator.span),
                name: decorator.name.clone(),
                ..FnCtx::default()
            },
        );
        let saved_cache = std::mem::take(&mut self.cache);
        let saved_nesting = std::mem::replace(&mut self.loop_nesting, 0);
        self.stack.push(ptr);
        self.exec_block(&decorator.body, &mut env);
        self.stack.pop();
        self.loop_nesting = saved_nesting;
        self.cache = saved_cache;
        let ctx = std::mem::replace(&mut self.ctx, saved_ctx);
        let wrapper = ctx.returns.and_then(|r| r.func)?;
        if Arc::ptr_eq(&wrapper, f) {
            return None;
        }
        self.undecorated.push(Arc::as_ptr(f));
        let result = self.call_in(
            &wrapper,
            false,
            None,
            args,
            Some((env.snapshot(), Arc::as_ptr(f) as usize)),
        );
        self.undecorated.pop();
        result.map(|(v, _)| v)
    }

    // ----- statements ----------------------------------------------------------------

    fn exec_block(&mut self, stmts: &[Stmt], env: &mut Env) -> Flow {
        for s in stmts {
            if self.exec_stmt(s, env) == Flow::Exit {
                return Flow::Exit;
            }
        }
        Flow::Normal
    }

    fn exec_stmt(&mut self, stmt: &Stmt, env: &mut Env) -> Flow {
        match &stmt.kind {
            StmtKind::Expr(e) => {
                self.cache.clear();
                self.eval(e, env);
                if self.is_terminator(e, env) {
                    return Flow::Exit;
                }
                Flow::Normal
            }
            StmtKind::Assign(target, value) => {
                self.cache.clear();
                let outer = self.ctx.stmt_target.replace(target.span);
                let v = self.eval(value, env);
                self.ctx.stmt_target = outer;
                self.record(value, &v);
                self.check_assign(target, value, env);
                self.assign(target, v, env);
                if let ExprKind::Name(n) = &target.kind {
                    self.track_parsed_url(n, value, env);
                }
                Flow::Normal
            }
            StmtKind::If(test, body, orelse) => {
                self.cache.clear();
                let tv = self.eval(test, env);
                if let Some(c) = &tv.konst {
                    return if c.truthy() {
                        self.exec_block(body, env)
                    } else {
                        self.exec_block(orelse, env)
                    };
                }
                let mut then_env = env.clone();
                self.refine(test, true, &mut then_env);
                let mut else_env = env.clone();
                self.refine(test, false, &mut else_env);
                let ft = self.exec_block(body, &mut then_env);
                let fe = self.exec_block(orelse, &mut else_env);
                match (ft, fe) {
                    (Flow::Normal, Flow::Normal) => {
                        *env = Env::join(&then_env, &else_env);
                        Flow::Normal
                    }
                    (Flow::Normal, Flow::Exit) => {
                        *env = then_env;
                        Flow::Normal
                    }
                    (Flow::Exit, Flow::Normal) => {
                        *env = else_env;
                        Flow::Normal
                    }
                    (Flow::Exit, Flow::Exit) => Flow::Exit,
                }
            }
            StmtKind::Loop { test, body, orelse } => {
                let mut surely_runs = false;
                if let Some(t) = test {
                    self.cache.clear();
                    let tv = self.eval(t, env);
                    if tv.konst.as_ref().is_some_and(|c| !c.truthy()) {
                        return self.exec_block(orelse, env);
                    }
                    surely_runs = tv.konst.is_some();
                } else if let Some(iter) = for_iterable(body) {
                    surely_runs = self.non_empty_iterable(iter, env);
                }
                // A body that surely runs, and cannot skip its rest, replaces what it assigns.
                let surely_runs = surely_runs && !jumps(body);
                let rounds = if self.loop_nesting >= MAX_LOOP_NESTING {
                    1
                } else {
                    2
                };
                self.loop_nesting += 1;
                let before = env.clone();
                let mut current = env.clone();
                for round in 0..rounds {
                    let mut body_env = current.clone();
                    if let Some(t) = test {
                        self.refine(t, true, &mut body_env);
                    }
                    if self.exec_block(body, &mut body_env) == Flow::Normal {
                        current = if surely_runs {
                            if round == 0 {
                                body_env
                            } else {
                                Env::join(&current, &body_env)
                            }
                        } else {
                            Env::join(&before, &body_env)
                        };
                    } else {
                        current = Env::join(&current, &body_env);
                    }
                }
                self.loop_nesting -= 1;
                *env = current;
                self.exec_block(orelse, env)
            }
            StmtKind::Switch(subject, cases) => {
                self.cache.clear();
                let sv = self.eval(subject, env);
                if let Some(sc) = &sv.konst {
                    let mut chosen = None;
                    let mut undecided = false;
                    for (i, (pat, _)) in cases.iter().enumerate() {
                        match pat {
                            None => {}
                            Some(p) => match self.peek(p, env).konst {
                                Some(pc) if pc == *sc => {
                                    chosen = Some(i);
                                    break;
                                }
                                Some(_) => {}
                                None => undecided = true,
                            },
                        }
                    }
                    if !undecided {
                        let chosen = chosen.or_else(|| cases.iter().position(|(p, _)| p.is_none()));
                        return match chosen {
                            Some(i) => self.exec_block(&cases[i].1, env),
                            None => Flow::Normal,
                        };
                    }
                }
                let has_default = cases.iter().any(|(p, _)| p.is_none());
                let mut merged: Option<Env> = if has_default { None } else { Some(env.clone()) };
                for (_, body) in cases {
                    let mut case_env = env.clone();
                    if self.exec_block(body, &mut case_env) == Flow::Normal
                        || body.iter().any(|s| matches!(s.kind, StmtKind::Break))
                    {
                        merged = Some(match merged {
                            None => case_env,
                            Some(m) => Env::join(&m, &case_env),
                        });
                    }
                }
                match merged {
                    Some(m) => {
                        *env = m;
                        Flow::Normal
                    }
                    None => Flow::Exit,
                }
            }
            StmtKind::Return(value) => {
                self.cache.clear();
                if let Some(e) = value {
                    let v = self.eval(e, env);
                    self.record(e, &v);
                    self.check_return(e, env);
                    if self.ctx.validation.is_some() && v.konst.as_ref().is_none_or(|c| c.truthy())
                    {
                        self.note_validation(e, env);
                    }
                    self.ctx.returns = Some(match self.ctx.returns.take() {
                        None => v,
                        Some(prev) => Value::join(&prev, &v),
                    });
                }
                Flow::Exit
            }
            StmtKind::Raise(value) => {
                if let Some(e) = value {
                    self.cache.clear();
                    self.eval(e, env);
                }
                Flow::Exit
            }
            StmtKind::Break | StmtKind::Continue => Flow::Exit,
            StmtKind::Func(f) => {
                if let Some(name) = &f.name {
                    env.set(
                        name.clone(),
                        Value {
                            func: Some(f.clone()),
                            ..Value::default()
                        },
                    );
                }
                if !self.ctx.in_call {
                    self.ctx.pending.push(f.clone());
                }
                Flow::Normal
            }
            StmtKind::Class(name, body) => {
                let mut class_env = env.clone();
                self.exec_block(body, &mut class_env);
                // The class's methods, so that `Thing().method(x)` and `t = Thing();
                // t.method(x)` are followed into like any function of the file.
                let methods: Vec<(Arc<str>, Value)> = body
                    .iter()
                    .filter_map(|s| match &s.kind {
                        StmtKind::Func(f) => f.name.clone(),
                        _ => None,
                    })
                    .filter_map(|m| class_env.get(&m).cloned().map(|v| (m, v)))
                    .filter(|(_, v)| v.func.is_some())
                    .collect();
                let value = if methods.is_empty() {
                    Value::default()
                } else {
                    Value {
                        pure: false,
                        ..Value::fields(methods)
                    }
                };
                env.set(name.clone(), value);
                Flow::Normal
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finally,
            } => {
                let before = env.clone();
                let mut body_env = env.clone();
                let fb = self.exec_block(body, &mut body_env);
                let mut merged: Option<Env> = None;
                if fb == Flow::Normal {
                    let fo = self.exec_block(orelse, &mut body_env);
                    if fo == Flow::Normal {
                        merged = Some(body_env.clone());
                    }
                }
                let handler_start = Env::join(&before, &body_env);
                for h in handlers {
                    let mut h_env = handler_start.clone();
                    if self.exec_block(h, &mut h_env) == Flow::Normal {
                        merged = Some(match merged {
                            None => h_env,
                            Some(m) => Env::join(&m, &h_env),
                        });
                    }
                }
                let flow = match merged {
                    Some(m) => {
                        *env = m;
                        Flow::Normal
                    }
                    None => {
                        *env = handler_start;
                        Flow::Exit
                    }
                };
                let ff = self.exec_block(finally, env);
                if ff == Flow::Exit { Flow::Exit } else { flow }
            }
            StmtKind::Import(bindings) => {
                for b in bindings {
                    self.imports.insert(b.local.clone(), b.qualified.clone());
                }
                Flow::Normal
            }
            StmtKind::Block(stmts) => self.exec_block(stmts, env),
        }
    }

    /// The taint of a string built from parts, cleared for the sink kinds its start
    /// decides (`ssrf`, `redirect`) when that start is a constant fixing them
    /// (`"https://api.example.org/"`), or when its first part was already safe for them.
    fn fixed_start(
        &self,
        taint: Option<Arc<Taint>>,
        first: &Value,
        constant_start: Option<&str>,
    ) -> Option<Arc<Taint>> {
        let t = taint?;
        let spec = &self.lr.spec;
        let mut kinds = constant_start.map_or(0, |p| spec.prefix_clears(p));
        // A request field is safe by what it holds (`req.baseUrl`: a local path or ""),
        // which fixes nothing about what follows it.
        if first.konst.is_none()
            && first.origin.as_deref() != Some(REQUEST_FIELD)
            && let Some(ft) = first.deep_taint()
        {
            kinds |= ft.cleared & spec.prefix_kinds();
        }
        if kinds & !t.cleared == 0 {
            return Some(t);
        }
        Some(Arc::new(Taint {
            cleared: t.cleared | kinds,
            ..(*t).clone()
        }))
    }

    /// Whether a `for` loop's iterable surely has an element: `range(3)`, a non-empty
    /// literal list, a non-empty constant string.
    fn non_empty_iterable(&self, iter: &Expr, env: &Env) -> bool {
        match &iter.kind {
            ExprKind::List(items) => {
                !items.is_empty() && !items.iter().any(|i| matches!(i.kind, ExprKind::Ellipsis))
            }
            ExprKind::Call { func, args }
                if self.qualname(func).as_deref() == Some("range")
                    && !self.funcs.contains_key("range")
                    && env.get("range").is_none() =>
            {
                let nums: Option<Vec<f64>> = args
                    .iter()
                    .map(|a| {
                        match (
                            a.name.is_none() && !a.spread,
                            self.peek(&a.value, env).konst,
                        ) {
                            (true, Some(Const::Num(n))) => Some(n),
                            _ => None,
                        }
                    })
                    .collect();
                match nums.as_deref() {
                    Some([stop]) => *stop >= 1.0,
                    Some([start, stop]) => stop - start >= 1.0,
                    Some([start, stop, step]) => {
                        (*step > 0.0 && stop > start) || (*step < 0.0 && stop < start)
                    }
                    _ => false,
                }
            }
            _ => matches!(self.peek(iter, env).konst, Some(Const::Str(s)) if !s.is_empty()),
        }
    }

    fn is_terminator(&self, e: &Expr, env: &Env) -> bool {
        let ExprKind::Call { func, .. } = &e.kind else {
            return false;
        };
        if self.lr.terminators.is_empty() {
            return false;
        }
        let mut anchors = Vec::new();
        let menv = self.match_env(env);
        target_anchors(func, &menv, &mut anchors);
        anchors.iter().any(|a| {
            self.lr.terminators.get(a).is_some_and(|list| {
                list.iter()
                    .any(|&i| self.lr.spec.terminators[i].match_expr(e, &menv).is_some())
            })
        })
    }

    /// Binds `value` to an assignment target.
    fn assign(&mut self, target: &Expr, value: Value, env: &mut Env) {
        match &target.kind {
            ExprKind::Name(n) => env.set(n.clone(), value),
            ExprKind::List(items) => {
                let elements: Option<Vec<Value>> = match value.shape.as_deref() {
                    Some(Shape::List(vs)) if vs.len() == items.len() => Some(vs.clone()),
                    _ => None,
                };
                for (i, item) in items.iter().enumerate() {
                    let v = match &elements {
                        Some(vs) => vs[i].clone(),
                        None => value.flattened(),
                    };
                    self.assign(item, v, env);
                }
            }
            ExprKind::Attr(obj, attr) => {
                if let ExprKind::Name(n) = &obj.kind {
                    let current = env.get(n).cloned().unwrap_or_default();
                    env.set(n.clone(), current.with_field(attr.clone(), value));
                }
            }
            ExprKind::Index(obj, index) => {
                if let ExprKind::Name(n) = &obj.kind {
                    let key = self.peek(index, env).konst;
                    let current = env.get(n).cloned().unwrap_or_default();
                    let updated = match (key, current.shape.as_deref()) {
                        (Some(Const::Num(i)), Some(Shape::List(items)))
                            if i >= 0.0 && (i as usize) < items.len() =>
                        {
                            let mut items = items.clone();
                            let pure = current.pure && value.pure;
                            items[i as usize] = value;
                            Value {
                                shape: Some(Arc::new(Shape::List(items))),
                                pure,
                                ..current.clone()
                            }
                        }
                        (Some(Const::Str(k)), _) => current.with_field(k, value),
                        // Data stored in an object does not make the object one reached
                        // under an untrusted key (the key-read kinds stay with the reads).
                        _ => match self.lr.spec.key_read_taints {
                            0 => current.with_unplaced(&value),
                            kinds => current.with_unplaced(&value.cleared_for(kinds)),
                        },
                    };
                    env.set(n.clone(), updated);
                }
            }
            _ => {}
        }
    }

    // ----- expressions ---------------------------------------------------------------

    /// The sink kinds `obj.attr` is safe for when `obj` names a request parameter and
    /// `attr` is one of the spec's `request-fields`.
    fn request_field_clears(&self, obj: &Expr, attr: &str) -> KindSet {
        let ExprKind::Name(n) = &obj.kind else {
            return 0;
        };
        if !self.lr.spec.request_parameters.iter().any(|r| **r == **n) {
            return 0;
        }
        self.lr
            .spec
            .request_fields
            .iter()
            .filter(|(f, _)| **f == *attr)
            .fold(0, |k, (_, c)| k | c)
    }

    pub(crate) fn record(&mut self, e: &Expr, v: &Value) {
        self.cache.insert((e.span.start, e.span.end), v.clone());
    }

    pub(crate) fn eval(&mut self, e: &Expr, env: &mut Env) -> Value {
        match &e.kind {
            ExprKind::Lit(l) => Value::constant(Const::from(l)),
            ExprKind::Name(n) => {
                let mut v = match env.get(n) {
                    Some(v) => v.clone(),
                    // A module is code, not data.
                    None => Value {
                        pure: self.imports.contains_key(n),
                        ..Value::default()
                    },
                };
                if v.func.is_none()
                    && env.get(n).is_none()
                    && let Some(f) = self.funcs.get(n)
                {
                    v.func = Some(f.clone());
                }
                self.apply_access_sources(e, v, env)
            }
            ExprKind::Attr(obj, attr) => {
                let ov = self.eval(obj, env);
                let v = match ov.field(attr) {
                    // `flow.target` of a `@property`: its getter runs on the object.
                    Some(f)
                        if f.func.as_ref().is_some_and(|g| is_property(g)) && !is_class(&ov) =>
                    {
                        let getter = f.func.clone().expect("checked above");
                        self.call_method(&getter, true, Some(&ov), &[])
                            .map(|(v, _)| v)
                            .unwrap_or_default()
                    }
                    Some(f) => f.clone(),
                    None => {
                        let v = Value {
                            taint: ov.taint.clone(),
                            pure: ov.pure,
                            ..Value::default()
                        };
                        // `req.baseUrl`: set by the application's routing, not the sender.
                        match self.request_field_clears(obj, attr) {
                            0 => v,
                            kinds => Value {
                                origin: Some(Arc::from(REQUEST_FIELD)),
                                ..v.cleared_for(kinds)
                            },
                        }
                    }
                };
                self.apply_access_sources(e, v, env)
            }
            ExprKind::Index(obj, index) => {
                let ov = self.eval(obj, env);
                let iv = self.eval(index, env);
                let mut v = self.index_value(&ov, &iv);
                v.pure = v.pure || (ov.pure && iv.pure);
                self.apply_access_sources(e, v, env)
            }
            ExprKind::Call { func, args } => self.eval_call(e, func, args, env),
            ExprKind::Binary(op, l, r) => {
                let lv = self.eval(l, env);
                if matches!(op, BinOp::And | BinOp::Or)
                    && let Some(lc) = &lv.konst
                {
                    let take_left = lc.truthy() == (*op == BinOp::Or);
                    if take_left {
                        return lv;
                    }
                    return self.eval(r, env);
                }
                let rv = self.eval(r, env);
                let konst = match (&lv.konst, &rv.konst) {
                    (Some(a), Some(b)) => constant::binary(*op, a, b),
                    (_, Some(b)) if matches!(op, BinOp::In | BinOp::NotIn) => {
                        // `x in ['a', 'b']` with a constant list: unknown, but clean.
                        let _ = b;
                        None
                    }
                    _ => None,
                };
                if op.is_comparison() {
                    return Value {
                        konst,
                        ..Value::default()
                    };
                }
                if matches!(op, BinOp::And | BinOp::Or) {
                    let mut j = Value::join(&lv, &rv);
                    j.konst = konst;
                    return j;
                }
                // `ROOT / name` is still a `pathlib` path.
                let origin = match op {
                    BinOp::Div => lv.origin.clone().filter(|o| o.starts_with("pathlib.")),
                    _ => None,
                };
                // `["ls", "-l"] + extra`: the known elements stay in place, the rest is
                // held where the analysis cannot name it.
                if *op == BinOp::Add
                    && let Some(Shape::List(items)) = lv.shape.as_deref()
                {
                    let mut items = items.clone();
                    let mut rest = lv.taint.clone();
                    match rv.shape.as_deref() {
                        Some(Shape::List(more)) => {
                            items.extend(more.iter().cloned());
                            rest = merge_taint(&rest, &rv.taint);
                        }
                        _ => rest = merge_taint(&rest, &rv.deep_taint()),
                    }
                    return Value {
                        taint: rest,
                        pure: lv.pure && rv.pure,
                        shape: Some(Arc::new(Shape::List(items))),
                        ..Value::default()
                    };
                }
                let mut taint = merge_taint(&lv.deep_taint(), &rv.deep_taint());
                let mut prefix = None;
                if matches!(op, BinOp::Add | BinOp::Mod) {
                    // `"https://host/u/" + name`, `"https://host/u/%s" % name`.
                    let start = match (&lv.konst, op) {
                        (Some(Const::Str(t)), BinOp::Mod) => {
                            Some(t.split('%').next().unwrap_or("").to_string())
                        }
                        (Some(Const::Str(t)), _) => Some(t.to_string()),
                        _ => None,
                    };
                    taint = self.fixed_start(taint, &lv, start.as_deref());
                    if konst.is_none() {
                        prefix = start
                            .map(Arc::from)
                            .or_else(|| lv.prefix.clone().filter(|_| *op == BinOp::Add))
                            .filter(|p: &Arc<str>| !p.is_empty());
                    }
                }
                Value {
                    taint,
                    konst,
                    pure: lv.pure && rv.pure,
                    origin,
                    prefix,
                    ..Value::default()
                }
            }
            ExprKind::Unary(op, a) => {
                let av = self.eval(a, env);
                let konst = av.konst.as_ref().and_then(|c| constant::unary(*op, c));
                Value {
                    konst,
                    pure: av.pure,
                    ..Value::default()
                }
            }
            ExprKind::Format(parts) => {
                let mut taint = None;
                let mut text = Some(String::new());
                let mut pure = true;
                // The constant text the string starts with, and its first other part.
                let mut start = String::new();
                let mut first: Option<Value> = None;
                for p in parts {
                    let v = self.eval(p, env);
                    pure &= v.pure;
                    taint = merge_taint(&taint, &v.deep_taint());
                    match (&mut text, &v.konst) {
                        (Some(t), Some(c)) => t.push_str(&c.as_text()),
                        _ => text = None,
                    }
                    if first.is_none() {
                        match &v.konst {
                            Some(c) => start.push_str(&c.as_text()),
                            None => first = Some(v),
                        }
                    }
                }
                if let Some(f) = &first {
                    taint =
                        self.fixed_start(taint, f, Some(start.as_str()).filter(|s| !s.is_empty()));
                }
                let prefix = match (&text, start.is_empty()) {
                    (None, false) => Some(Arc::from(start.as_str())),
                    _ => None,
                };
                Value {
                    prefix,
                    taint,
                    konst: text.map(|t| Const::Str(Arc::from(t))),
                    pure,
                    ..Value::default()
                }
            }
            ExprKind::List(items) => {
                let mut values = Vec::with_capacity(items.len());
                for i in items {
                    values.push(self.eval(i, env));
                }
                Value::list(values)
            }
            ExprKind::Dict(entries) => {
                let mut v = Value::fields(Vec::new());
                for (k, val) in entries {
                    let vv = self.eval(val, env);
                    // Patterns bind entries (`{__html: $X}`): keep what each one held.
                    self.record(val, &vv);
                    match k {
                        Some(k) => {
                            let kv = self.eval(k, env);
                            match &kv.konst {
                                Some(c) => v = v.with_field(Arc::from(c.as_text()), vv),
                                None => {
                                    v = v.with_unplaced(&vv);
                                    v = v.with_unplaced(&kv);
                                }
                            }
                        }
                        None => match vv.shape.as_deref() {
                            Some(Shape::Fields(fields)) => {
                                for (fk, fv) in fields {
                                    v = v.with_field(fk.clone(), fv.clone());
                                }
                                v.taint = merge_taint(&v.taint, &vv.taint);
                            }
                            _ => v = v.with_unplaced(&vv),
                        },
                    }
                }
                self.record(e, &v);
                self.check_dict(e, env);
                v
            }
            ExprKind::Cond(test, a, b) => {
                let tv = self.eval(test, env);
                match &tv.konst {
                    Some(c) if c.truthy() => self.eval(a, env),
                    Some(_) => self.eval(b, env),
                    None => {
                        let av = self.eval(a, env);
                        let bv = self.eval(b, env);
                        Value::join(&av, &bv)
                    }
                }
            }
            ExprKind::Func(f) => {
                if !self.ctx.in_call {
                    self.ctx.pending.push(f.clone());
                }
                Value {
                    func: Some(f.clone()),
                    ..Value::default()
                }
            }
            ExprKind::Assign(target, value) => {
                let v = self.eval(value, env);
                self.record(value, &v);
                self.check_assign(target, value, env);
                self.assign(target, v.clone(), env);
                v
            }
            ExprKind::Ellipsis | ExprKind::Metavar(_) => Value::default(),
            ExprKind::Opaque(parts) => {
                let mut taint = None;
                for p in parts {
                    let v = self.eval(p, env);
                    taint = merge_taint(&taint, &v.deep_taint());
                }
                Value {
                    taint,
                    ..Value::default()
                }
            }
        }
    }

    fn index_value(&self, ov: &Value, iv: &Value) -> Value {
        let mut v = self.index_value_inner(ov, iv);
        // A property read under an untrusted key can be any property, `__proto__` too:
        // tainted for the kinds the taint specification names.
        let kinds = self.lr.spec.key_read_taints;
        if kinds != 0
            && iv.konst.is_none()
            && let Some(t) = iv.deep_taint()
        {
            let key_taint = Arc::new(Taint {
                cleared: t.cleared | !kinds,
                ..(*t).clone()
            });
            v.taint = merge_taint(&v.taint, &Some(key_taint));
            v.pure = false;
        }
        v
    }

    fn index_value_inner(&self, ov: &Value, iv: &Value) -> Value {
        match (&iv.konst, ov.shape.as_deref()) {
            (Some(Const::Num(i)), Some(Shape::List(items))) if i.fract() == 0.0 => {
                let len = items.len() as i64;
                let mut idx = *i as i64;
                if idx < 0 {
                    idx += len;
                }
                if idx >= 0 && idx < len {
                    let mut v = items[idx as usize].clone();
                    v.taint = merge_taint(&v.taint, &ov.taint);
                    return v;
                }
                ov.flattened()
            }
            (Some(c), Some(Shape::Fields(_))) => match ov.field(&c.as_text()) {
                Some(f) => {
                    let mut v = f.clone();
                    v.taint = merge_taint(&v.taint, &ov.taint);
                    v
                }
                None => Value {
                    taint: ov.taint.clone(),
                    ..Value::default()
                },
            },
            (Some(ic), None) => match ov.konst.as_ref().and_then(|oc| constant::index(oc, ic)) {
                Some(c) => Value::constant(c),
                None => ov.flattened(),
            },
            _ => ov.flattened(),
        }
    }

    fn apply_access_sources(&mut self, e: &Expr, mut v: Value, env: &Env) -> Value {
        if self.lr.sources.is_empty() {
            return v;
        }
        let candidates: Vec<usize> = {
            let mut anchors = Vec::new();
            match &e.kind {
                ExprKind::Name(n) => {
                    anchors.push(n.clone());
                    if let Some(q) = self.imports.get(n)
                        && let Some(last) = q.rsplit('.').next()
                    {
                        anchors.push(Arc::from(last));
                    }
                }
                ExprKind::Attr(_, a) => anchors.push(a.clone()),
                ExprKind::Index(o, _) => {
                    if let Some(l) = o.last_name() {
                        anchors.push(Arc::from(l));
                    }
                }
                _ => {}
            }
            let mut c = Vec::new();
            for a in anchors {
                if let Some(list) = self.lr.sources.get(&a) {
                    c.extend(list.iter().copied());
                }
            }
            c
        };
        if candidates.is_empty() {
            return v;
        }
        let menv = self.match_env(env);
        for i in candidates {
            let s = &self.lr.spec.sources[i];
            if s.pattern.kind != crate::pattern::PatternKind::Access {
                continue;
            }
            if s.pattern.match_expr(e, &menv).is_some() {
                v.pure = false;
                v.taint = merge_taint(
                    &v.taint,
                    &Some(Arc::new(Taint {
                        label: s.label.clone(),
                        line: e.span.line,
                        cleared: 0,
                        sources: s.kind,
                    })),
                );
                break;
            }
        }
        v
    }

    fn eval_call(&mut self, e: &Expr, func: &Expr, args: &[Arg], env: &mut Env) -> Value {
        let (receiver, fval) = match &func.kind {
            ExprKind::Attr(obj, _) => {
                let rv = self.eval(obj, env);
                self.record(obj, &rv);
                let fv = match rv.field(func.last_name().unwrap_or("")) {
                    Some(f) => f.clone(),
                    None => Value::default(),
                };
                (Some(rv), fv)
            }
            _ => (None, self.eval(func, env)),
        };
        let mut arg_values: Vec<(Option<Arc<str>>, Value)> = Vec::with_capacity(args.len());
        for a in args {
            let v = self.eval(&a.value, env);
            self.record(&a.value, &v);
            arg_values.push((a.name.clone(), v));
        }

        // Functions of this file are followed into.
        let local = fval.func.clone().or_else(|| match &func.kind {
            ExprKind::Attr(obj, m) => match &obj.kind {
                ExprKind::Name(o) if matches!(&**o, "self" | "cls" | "this") => {
                    self.funcs.get(m).cloned()
                }
                _ => None,
            },
            _ => None,
        });
        let mut result = None;
        if let Some(f) = &local
            && matches!(func.kind, ExprKind::Name(_))
            && !self.undecorated.contains(&Arc::as_ptr(f))
            && let Some(decorator) = self.local_decorator(f, env)
        {
            result = self.call_decorated(&decorator, f, &arg_values);
        }
        if result.is_none()
            && let Some(f) = &local
        {
            let method = matches!(func.kind, ExprKind::Attr(..));
            // A method of an object the analysis built (`Greeting(x).render()`) sees the
            // object's fields through `self`.
            let on_object = receiver.as_ref().filter(|r| {
                method
                    && fval.func.is_some()
                    && matches!(r.shape.as_deref(), Some(Shape::Fields(_)))
                    && !is_class(r)
            });
            result = match on_object {
                Some(r) => self
                    .call_method(f, true, Some(r), &arg_values)
                    .map(|(v, _)| v),
                None => self.call_local(f, method, &arg_values),
            };
        }
        let mut result = match result {
            Some(r) => r,
            None => self.default_call_value(func, receiver.as_ref(), &fval, &arg_values),
        };
        if local.is_none() {
            let mapping = matches!(
                (&func.kind, func.last_name()),
                (ExprKind::Attr(..), Some("map" | "flatMap")) | (ExprKind::Name(_), Some("map"))
            );
            let callback = match &func.kind {
                ExprKind::Attr(..) => args.first(),
                _ => args.first().filter(|_| args.len() > 1),
            };
            if mapping && callback.is_some_and(|c| self.is_converter(&c.value)) {
                // `ids.map(Number)`, `map(int, ids)`: every element converted.
                result = Value::default();
            } else if let Some(returned) = self.call_callback(func, receiver.as_ref(), &arg_values)
            {
                // `map` makes a list of what the callback returned; the others hand back
                // their receiver's elements, or whatever the callback's result adds.
                if mapping {
                    result = Value {
                        taint: returned.deep_taint(),
                        ..Value::default()
                    };
                } else {
                    result.taint = merge_taint(&result.taint, &returned.deep_taint());
                }
            }
        }
        if local.is_none() && is_class(&fval) {
            // An instance of a class of this file: its methods, and whatever the
            // constructor was given (as the instance's unplaced taint)...
            result.shape = fval.shape.clone();
            // ...or, when the class has a constructor, the fields it set.
            let init = fval
                .field("__init__")
                .or_else(|| fval.field("constructor"))
                .and_then(|v| v.func.clone());
            if let Some(init) = init {
                let blank = Value {
                    shape: fval.shape.clone(),
                    ..Value::default()
                };
                if let Some((_, Some(built))) =
                    self.call_method(&init, true, Some(&blank), &arg_values)
                {
                    result = Value {
                        konst: None,
                        pure: false,
                        ..built
                    };
                }
            }
        }
        if local.is_none() {
            self.container_effects(func, receiver.as_ref(), &arg_values, &mut result, env);
        }
        // `"https://host/u/{}".format(name)`.
        if let (ExprKind::Attr(_, m), Some(Const::Str(t))) =
            (&func.kind, receiver.as_ref().and_then(|r| r.konst.as_ref()))
            && &**m == "format"
        {
            let start = t.split('{').next().unwrap_or("").to_string();
            let recv = receiver.clone().unwrap_or_default();
            result.taint = self.fixed_start(result.taint.take(), &recv, Some(&start));
            if result.konst.is_none() && !start.is_empty() {
                result.prefix = Some(Arc::from(start));
            }
        }
        result.origin = self.call_origin(func, receiver.as_ref());
        // `collections.deque(["a", x])`, `list(["a", x])`: the same elements, in place.
        if matches!(result.origin.as_deref(), Some("collections.deque" | "list"))
            && let [(None, first)] = arg_values.as_slice()
            && matches!(first.shape.as_deref(), Some(Shape::List(_)))
        {
            result = Value {
                origin: result.origin.clone(),
                ..first.clone()
            };
        }
        // `new URL("/users/" + id, "https://api.example.com")`: a local path resolved
        // against a fixed base stays on the base's host.
        if result.origin.as_deref() == Some("URL")
            && let [(None, path), (None, base)] = arg_values.as_slice()
            && let Some(Const::Str(b)) = &base.konst
            && path
                .known_start()
                .is_some_and(|p| self.lr.spec.prefix_clears(p) != 0)
        {
            let kinds = self
                .lr
                .spec
                .prefix_clears(&format!("{}/", b.trim_end_matches('/')));
            if kinds != 0 {
                result = result.cleared_for(kinds);
            }
        }
        // `os.path.join("/tmp", name)` starts with `/tmp/`.
        if result.konst.is_none()
            && result.prefix.is_none()
            && result
                .origin
                .as_deref()
                .is_some_and(|o| matches!(o, "os.path.join" | "posixpath.join" | "path.join"))
            && let Some((None, first)) = arg_values.first()
            && let Some(Const::Str(dir)) = &first.konst
            && arg_values.len() > 1
        {
            let sep = if dir.ends_with('/') { "" } else { "/" };
            result.prefix = Some(Arc::from(format!("{dir}{sep}")));
        }
        let local_method = local.is_some() && matches!(func.kind, ExprKind::Attr(..));
        let result = self.apply_call_specs(e, func, result, env, local_method);
        self.record(e, &result);
        self.check_call(e, func, env);
        result
    }

    /// Runs a function handed to an iteration or promise method with what it will be
    /// given: `items.forEach(x => …)`, `list.map(…)`, `p.then(v => …)`, Python's
    /// `map(f, items)` and `filter(f, items)`. Returns what the function returned.
    fn call_callback(
        &mut self,
        func: &Expr,
        receiver: Option<&Value>,
        args: &[(Option<Arc<str>>, Value)],
    ) -> Option<Value> {
        let name = func.last_name()?;
        let (callback, given) = match (&func.kind, name) {
            (
                ExprKind::Attr(..),
                "forEach" | "map" | "filter" | "flatMap" | "some" | "every" | "find" | "findIndex"
                | "findLast",
            ) => (args.first()?.1.func.clone()?, receiver?.flattened()),
            (ExprKind::Attr(..), "then") => (args.first()?.1.func.clone()?, receiver?.clone()),
            (ExprKind::Name(n), "map" | "filter")
                if !self.imports.contains_key(n) && !self.funcs.contains_key(n) =>
            {
                (args.first()?.1.func.clone()?, args.get(1)?.1.flattened())
            }
            _ => return None,
        };
        self.call_local(&callback, false, &[(None, given)])
    }

    /// Whether `e` names a conversion that makes anything safe (`Number`, `int`): a
    /// sanitiser clearing every kind, called on its own.
    fn is_converter(&self, e: &Expr) -> bool {
        let Some(name) = self.qualname(e) else {
            return false;
        };
        self.lr.spec.sanitizers.iter().any(|s| {
            s.clears == crate::value::ALL_KINDS && s.pattern.callee().as_deref() == Some(&*name)
        })
    }

    fn call_origin(&self, func: &Expr, receiver: Option<&Value>) -> Option<Arc<str>> {
        if let Some(q) = self.qualname(func) {
            return Some(Arc::from(q));
        }
        match (&func.kind, receiver.and_then(|r| r.origin.clone())) {
            (ExprKind::Attr(_, m), Some(o)) => Some(Arc::from(format!("{o}().{m}"))),
            _ => None,
        }
    }

    /// The value of a call to code the analysis cannot see: tainted if anything that went
    /// in was, with constants folded for a few well-known conversions.
    fn default_call_value(
        &self,
        func: &Expr,
        receiver: Option<&Value>,
        fval: &Value,
        args: &[(Option<Arc<str>>, Value)],
    ) -> Value {
        let mut taint = receiver.and_then(|r| r.deep_taint());
        taint = merge_taint(&taint, &fval.taint);
        for (_, v) in args {
            taint = merge_taint(&taint, &v.deep_taint());
        }
        let konst = self.fold_call(func, receiver, args);
        let pure = receiver.is_none_or(|r| r.pure) && args.iter().all(|(_, v)| v.pure);
        Value {
            taint,
            konst,
            pure,
            ..Value::default()
        }
    }

    fn fold_call(
        &self,
        func: &Expr,
        receiver: Option<&Value>,
        args: &[(Option<Arc<str>>, Value)],
    ) -> Option<Const> {
        let name = func.last_name()?;
        match (&func.kind, receiver) {
            (ExprKind::Name(_), None) => {
                let arg = args.first()?.1.konst.as_ref()?;
                match name {
                    "str" | "String" => Some(Const::Str(Arc::from(arg.as_text()))),
                    "int" | "float" | "Number" | "parseInt" | "parseFloat" => match arg {
                        Const::Num(n) => {
                            Some(Const::Num(if name == "int" { n.trunc() } else { *n }))
                        }
                        Const::Str(s) => s.trim().parse::<f64>().ok().map(Const::Num),
                        Const::Bool(b) => Some(Const::Num(if *b { 1.0 } else { 0.0 })),
                        Const::Null => None,
                    },
                    "len" => match arg {
                        Const::Str(s) => Some(Const::Num(s.chars().count() as f64)),
                        _ => None,
                    },
                    "bool" | "Boolean" => Some(Const::Bool(arg.truthy())),
                    _ => None,
                }
            }
            (ExprKind::Attr(..), Some(r)) => {
                let Some(Const::Str(s)) = &r.konst else {
                    return None;
                };
                match name {
                    "lower" | "toLowerCase" => Some(Const::Str(Arc::from(s.to_lowercase()))),
                    "upper" | "toUpperCase" => Some(Const::Str(Arc::from(s.to_uppercase()))),
                    "strip" | "trim" => Some(Const::Str(Arc::from(s.trim()))),
                    "format" if args.iter().all(|(_, v)| v.konst.is_some()) => {
                        let mut out = s.to_string();
                        for (_, v) in args {
                            out = out.replacen("{}", &v.konst.as_ref()?.as_text(), 1);
                        }
                        Some(Const::Str(Arc::from(out)))
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Models what well-known container methods do to the container and return.
    fn container_effects(
        &mut self,
        func: &Expr,
        receiver: Option<&Value>,
        args: &[(Option<Arc<str>>, Value)],
        result: &mut Value,
        env: &mut Env,
    ) {
        let (ExprKind::Attr(obj, method), Some(recv)) = (&func.kind, receiver) else {
            return;
        };
        let arg = |i: usize| args.get(i).map(|(_, v)| v);
        match &**method {
            "get" | "pop" | "getlist" if recv.shape.is_some() || recv.taint.is_none() => {
                if let Some(Shape::Fields(fields)) = recv.shape.as_deref() {
                    let key = |i: usize| match arg(i).and_then(|v| v.konst.clone()) {
                        Some(Const::Str(k)) => Some(k),
                        _ => None,
                    };
                    // `conf.get(section, option)` after `conf.set(section, option, value)`.
                    let nested = match (key(0), key(1)) {
                        (Some(a), Some(b)) => recv.field(&nested_key(&a, &b)).cloned(),
                        _ => None,
                    };
                    let mut v = match (nested, key(0)) {
                        (Some(v), _) => v,
                        (None, Some(k)) => recv
                            .field(&k)
                            .cloned()
                            .unwrap_or_else(|| arg(1).cloned().unwrap_or_default()),
                        // A key the analysis cannot compute picks one of the known values
                        // (or the default): a switch written as a dict lookup. The key itself
                        // is not part of the result.
                        (None, None) => {
                            let mut v = arg(1)
                                .cloned()
                                .unwrap_or_else(|| Value::constant(Const::Null));
                            for (_, f) in fields {
                                v = Value::join(&v, f);
                            }
                            v
                        }
                    };
                    v.taint = merge_taint(&v.taint, &recv.taint);
                    *result = v;
                } else if let (Some(Shape::List(items)), "pop") = (recv.shape.as_deref(), &**method)
                {
                    let idx = match arg(0).and_then(|v| v.konst.clone()) {
                        None if args.is_empty() => items.len().checked_sub(1),
                        Some(Const::Num(i)) if i >= 0.0 && (i as usize) < items.len() => {
                            Some(i as usize)
                        }
                        _ => None,
                    };
                    if let (Some(i), ExprKind::Name(n)) = (idx, &obj.kind) {
                        let mut items = items.clone();
                        let mut removed = items.remove(i);
                        removed.taint = merge_taint(&removed.taint, &recv.taint);
                        *result = removed;
                        env.set(
                            n.clone(),
                            Value {
                                shape: Some(Arc::new(Shape::List(items))),
                                ..recv.clone()
                            },
                        );
                    }
                }
            }
            // `lst.remove("a")` drops the first element equal to the constant, when every
            // element before it is a known constant too.
            "remove" if args.len() == 1 => {
                let (ExprKind::Name(n), Some(Shape::List(items)), Some(c)) =
                    (&obj.kind, recv.shape.as_deref(), &args[0].1.konst)
                else {
                    return;
                };
                let Some(i) = items.iter().position(|v| v.konst.as_ref() == Some(c)) else {
                    return;
                };
                if items[..i].iter().any(|v| v.konst.is_none()) {
                    // An unknown element comes first: it might be the one removed.
                    env.set(n.clone(), recv.flattened());
                    return;
                }
                let mut items = items.clone();
                items.remove(i);
                env.set(
                    n.clone(),
                    Value {
                        shape: Some(Arc::new(Shape::List(items))),
                        ..recv.clone()
                    },
                );
            }
            "append" | "push" | "add" | "extend" | "insert" | "unshift" | "update" | "set"
            | "setdefault" | "appendleft" | "write" | "writelines" => {
                if !is_store_target(obj) {
                    return;
                }
                let updated = match (&**method, recv.shape.as_deref()) {
                    // `ConfigParser.set(section, option, value)`: a two-level key.
                    ("set", _)
                        if args.len() == 3
                            && args[..2]
                                .iter()
                                .all(|(_, v)| matches!(v.konst, Some(Const::Str(_)))) =>
                    {
                        let text = |i: usize| args[i].1.konst.as_ref().map(|c| c.as_text());
                        let (Some(a), Some(b)) = (text(0), text(1)) else {
                            return;
                        };
                        recv.with_field(Arc::from(nested_key(&a, &b)), args[2].1.clone())
                    }
                    ("append" | "push" | "appendleft" | "unshift", Some(Shape::List(items)))
                        if args.len() == 1 =>
                    {
                        let mut items = items.clone();
                        if matches!(&**method, "appendleft" | "unshift") {
                            items.insert(0, args[0].1.clone());
                        } else {
                            items.push(args[0].1.clone());
                        }
                        Value {
                            shape: Some(Arc::new(Shape::List(items))),
                            pure: recv.pure && args[0].1.pure,
                            ..recv.clone()
                        }
                    }
                    ("set" | "setdefault", _) if args.len() == 2 => match &args[0].1.konst {
                        Some(k)
                            if method.as_ref() == "set" || recv.field(&k.as_text()).is_none() =>
                        {
                            recv.with_field(Arc::from(k.as_text()), args[1].1.clone())
                        }
                        _ => recv.with_unplaced(&args[1].1),
                    },
                    _ => {
                        let mut v = recv.clone();
                        for (_, a) in args {
                            v = v.with_unplaced(a);
                        }
                        v
                    }
                };
                store(obj, updated, env);
            }
            // A deque's or array's first element.
            "popleft" | "shift" if args.is_empty() => {
                let Some(Shape::List(items)) = recv.shape.as_deref() else {
                    return;
                };
                if items.is_empty() || !is_store_target(obj) {
                    return;
                }
                let mut items = items.clone();
                let mut removed = items.remove(0);
                removed.taint = merge_taint(&removed.taint, &recv.taint);
                *result = removed;
                let updated = Value {
                    shape: Some(Arc::new(Shape::List(items))),
                    ..recv.clone()
                };
                store(obj, updated, env);
            }
            _ => {}
        }
    }

    /// Applies the sources and sanitizers a call matches. A method of this file the
    /// analysis followed (`greeting.render()`) is not the library method a sanitizer on
    /// any receiver (`$T.render(...)`) means.
    fn apply_call_specs(
        &mut self,
        e: &Expr,
        func: &Expr,
        mut v: Value,
        env: &Env,
        local_method: bool,
    ) -> Value {
        let mut anchors = Vec::new();
        {
            let menv = self.match_env(env);
            target_anchors(func, &menv, &mut anchors);
        }
        let mut sanitizers: Vec<usize> = Vec::new();
        let mut sources: Vec<usize> = Vec::new();
        for a in &anchors {
            if let Some(list) = self.lr.sanitizers.get(a) {
                sanitizers.extend(list);
            }
            if let Some(list) = self.lr.sources.get(a) {
                sources.extend(list);
            }
        }
        if sanitizers.is_empty() && sources.is_empty() {
            return v;
        }
        let menv = self.match_env(env);
        for i in sources {
            let s = &self.lr.spec.sources[i];
            if s.pattern.kind == crate::pattern::PatternKind::Call
                && s.pattern.match_expr(e, &menv).is_some()
            {
                v.pure = false;
                v.taint = merge_taint(
                    &v.taint,
                    &Some(Arc::new(Taint {
                        label: s.label.clone(),
                        line: e.span.line,
                        cleared: 0,
                        sources: s.kind,
                    })),
                );
                break;
            }
        }
        let mut clears: KindSet = 0;
        for i in sanitizers {
            let s = &self.lr.spec.sanitizers[i];
            if local_method && s.pattern.calls_any_receiver() {
                continue;
            }
            if s.pattern.match_expr(e, &menv).is_some() {
                clears |= s.clears;
            }
        }
        if clears != 0 {
            v = v.cleared_for(clears);
        }
        v
    }

    // ----- side-effect-free evaluation for matching ------------------------------------

    /// The value of an expression without running anything: cached results of calls
    /// evaluated in this statement, variables, and folding.
    pub(crate) fn peek(&self, e: &Expr, env: &Env) -> Value {
        if let Some(v) = self.cache.get(&(e.span.start, e.span.end)) {
            return v.clone();
        }
        match &e.kind {
            ExprKind::Lit(l) => Value::constant(Const::from(l)),
            ExprKind::Name(n) => env.get(n).cloned().unwrap_or_default(),
            ExprKind::Attr(o, a) => {
                let ov = self.peek(o, env);
                ov.field(a).cloned().unwrap_or(Value {
                    taint: ov.taint.clone(),
                    ..Value::default()
                })
            }
            ExprKind::Index(o, i) => {
                let ov = self.peek(o, env);
                let iv = self.peek(i, env);
                self.index_value(&ov, &iv)
            }
            ExprKind::Binary(op, l, r) => {
                let lv = self.peek(l, env);
                let rv = self.peek(r, env);
                let konst = match (&lv.konst, &rv.konst) {
                    (Some(a), Some(b)) => constant::binary(*op, a, b),
                    _ => None,
                };
                if op.is_comparison() {
                    return Value {
                        konst,
                        ..Value::default()
                    };
                }
                Value {
                    taint: merge_taint(&lv.deep_taint(), &rv.deep_taint()),
                    konst,
                    ..Value::default()
                }
            }
            ExprKind::Unary(UnOp::Not, _) => Value::default(),
            ExprKind::List(items) => Value::list(items.iter().map(|i| self.peek(i, env)).collect()),
            ExprKind::Call { func, args } => {
                let mut taint = match &func.kind {
                    ExprKind::Attr(o, _) => self.peek(o, env).deep_taint(),
                    _ => None,
                };
                for a in args {
                    taint = merge_taint(&taint, &self.peek(&a.value, env).deep_taint());
                }
                Value {
                    taint,
                    ..Value::default()
                }
            }
            ExprKind::Format(parts) | ExprKind::Opaque(parts) => {
                let mut taint = None;
                for p in parts {
                    taint = merge_taint(&taint, &self.peek(p, env).deep_taint());
                }
                Value {
                    taint,
                    ..Value::default()
                }
            }
            ExprKind::Dict(entries) => {
                let mut taint = None;
                for (_, v) in entries {
                    taint = merge_taint(&taint, &self.peek(v, env).deep_taint());
                }
                Value {
                    taint,
                    ..Value::default()
                }
            }
            ExprKind::Cond(_, a, b) => Value::join(&self.peek(a, env), &self.peek(b, env)),
            _ => Value::default(),
        }
    }

    pub(crate) fn qualname(&self, e: &Expr) -> Option<String> {
        match &e.kind {
            ExprKind::Name(n) => Some(
                self.imports
                    .get(n)
                    .map(|q| q.to_string())
                    .unwrap_or_else(|| n.to_string()),
            ),
            ExprKind::Attr(o, a) => self.qualname(o).map(|q| format!("{q}.{a}")),
            _ => None,
        }
    }

    pub(crate) fn match_env<'s>(&'s self, env: &'s Env) -> Matching<'s, 'a> {
        Matching { an: self, env }
    }

    // ----- rule checks -----------------------------------------------------------------

    fn candidates(
        &self,
        index: &HashMap<Arc<str>, Vec<PatternRef>>,
        anchors: &[Arc<str>],
    ) -> Vec<PatternRef> {
        let mut out: Vec<PatternRef> = Vec::new();
        for a in anchors {
            if let Some(list) = index.get(a) {
                for r in list {
                    if self.active.rules[r.0] && !out.contains(r) {
                        out.push(*r);
                    }
                }
            }
        }
        out
    }

    fn check_call(&mut self, e: &Expr, func: &Expr, env: &Env) {
        if self.lr.calls.is_empty() {
            return;
        }
        let mut anchors = Vec::new();
        target_anchors(func, &self.match_env(env), &mut anchors);
        // A pattern calling any function (`<$C dangerouslySetInnerHTML={…} />`) is indexed
        // under its first keyword argument's name.
        if let ExprKind::Call { args, .. } = &e.kind {
            anchors.extend(args.iter().filter_map(|a| a.name.clone()));
        }
        let candidates = self.candidates(&self.lr.calls, &anchors);

        for (ri, pi) in candidates {
            let found = {
                let menv = self.match_env(env);
                let rule = &self.lr.rules[ri];
                let p = &rule.patterns[pi];
                let excluded =
                    |pats: &[Pattern]| pats.iter().any(|np| np.match_expr(e, &menv).is_some());
                let all = p.pattern.match_expr_all(e, &menv);
                if all.is_empty() || excluded(&p.not) || excluded(&rule.not) {
                    None
                } else {
                    all.iter().find_map(|b| {
                        self.conditions_hold(rule, p, b, env)
                            .map(|source| self.render(rule, e, Some(func), b, source, env))
                    })
                }
            };
            if let Some(f) = found {
                self.report(ri, e.span, f);
            }
        }
    }

    fn check_assign(&mut self, target: &Expr, value: &Expr, env: &Env) {
        if self.lr.assigns.is_empty() {
            return;
        }
        let mut anchors = Vec::new();
        target_anchors(target, &self.match_env(env), &mut anchors);
        let candidates = self.candidates(&self.lr.assigns, &anchors);
        for (ri, pi) in candidates {
            let found = {
                let menv = self.match_env(env);
                let rule = &self.lr.rules[ri];
                let p = &rule.patterns[pi];
                p.pattern.match_assign(target, value, &menv).and_then(|b| {
                    let excluded = |pats: &[Pattern]| {
                        pats.iter()
                            .any(|np| np.match_assign(target, value, &menv).is_some())
                    };
                    if excluded(&p.not) || excluded(&rule.not) {
                        return None;
                    }
                    self.conditions_hold(rule, p, &b, env)
                        .map(|source| self.render(rule, target, None, &b, source, env))
                })
            };
            if let Some(f) = found {
                let span = Span {
                    end: value.span.end,
                    end_line: value.span.end_line,
                    end_column: value.span.end_column,
                    ..target.span
                };
                self.report(ri, span, f);
            }
        }
    }

    fn check_return(&mut self, value: &Expr, env: &Env) {
        let candidates: Vec<PatternRef> = self
            .lr
            .returns
            .iter()
            .copied()
            .filter(|r| self.active.rules[r.0])
            .collect();
        for (ri, pi) in candidates {
            let found = {
                let menv = self.match_env(env);
                let rule = &self.lr.rules[ri];
                if rule.inside == Some(Inside::RouteHandler) && !self.ctx.route_handler {
                    continue;
                }
                let p = &rule.patterns[pi];
                p.pattern.match_return(value, &menv).and_then(|b| {
                    let excluded = |pats: &[Pattern]| {
                        pats.iter()
                            .any(|np| np.match_return(value, &menv).is_some())
                    };
                    if excluded(&p.not) || excluded(&rule.not) {
                        return None;
                    }
                    self.conditions_hold(rule, p, &b, env)
                        .map(|source| self.render(rule, value, None, &b, source, env))
                })
            };
            if let Some(f) = found {
                self.report(ri, value.span, f);
            }
        }
    }

    fn check_dict(&mut self, e: &Expr, env: &Env) {
        if self.lr.dicts.is_empty() {
            return;
        }
        let ExprKind::Dict(entries) = &e.kind else {
            return;
        };
        let anchors: Vec<Arc<str>> = entries
            .iter()
            .filter_map(|(k, _)| match k.as_ref().map(|k| &k.kind) {
                Some(ExprKind::Lit(crate::ir::Lit::Str(s))) => Some(s.clone()),
                _ => None,
            })
            .collect();
        let candidates = self.candidates(&self.lr.dicts, &anchors);
        for (ri, pi) in candidates {
            let found = {
                let menv = self.match_env(env);
                let rule = &self.lr.rules[ri];
                let p = &rule.patterns[pi];
                p.pattern.match_expr(e, &menv).and_then(|b| {
                    let excluded =
                        |pats: &[Pattern]| pats.iter().any(|np| np.match_expr(e, &menv).is_some());
                    if excluded(&p.not) || excluded(&rule.not) {
                        return None;
                    }
                    self.conditions_hold(rule, p, &b, env)
                        .map(|source| self.render(rule, e, None, &b, source, env))
                })
            };
            if let Some(f) = found {
                self.report(ri, e.span, f);
            }
        }
    }

    /// Checks a pattern's and its rule's conditions. On success returns the taint that made
    /// a `tainted` condition true, if any.
    fn conditions_hold(
        &self,
        rule: &Rule,
        pattern: &RulePattern,
        b: &Bindings<'_>,
        env: &Env,
    ) -> Option<Option<Arc<Taint>>> {
        for c in [&pattern.context, &rule.context].into_iter().flatten() {
            let target = self.ctx.stmt_target.map(|t| self.text(t)).unwrap_or("");
            let name = self.ctx.name.as_deref().unwrap_or("");
            let by_name = c
                .names
                .as_ref()
                .is_some_and(|re| re.is_match(target) || re.is_match(name));
            let by_source = || {
                let function = self.ctx.span.map(|f| self.text(f)).unwrap_or("");
                c.source.as_ref().is_some_and(|re| re.is_match(function))
            };
            if !by_name && !by_source() {
                return None;
            }
        }
        let mut source = None;
        for c in pattern.conditions.iter().chain(rule.conditions.iter()) {
            let value = bound(b, &c.metavariable)?;
            let (text, value) = match value {
                Bound::Expr(e) => (self.text(e.span).to_string(), Some((e, self.peek(e, env)))),
                Bound::Name(n) => (n.to_string(), None),
            };
            let text_holds = |text: &str, e: Option<&Expr>| {
                c.regex.as_ref().is_none_or(|re| re.is_match(text))
                    && c.not_regex.as_ref().is_none_or(|re| !re.is_match(text))
                    && c.literal.is_none_or(|lit| {
                        matches!(e.map(|e| &e.kind), Some(ExprKind::Lit(_))) == lit
                    })
            };
            let holds = match (&value, c.parts) {
                (Some((e, _)), true) => {
                    let mut parts = Vec::new();
                    string_parts(e, &mut parts);
                    if parts.is_empty() {
                        parts.push(*e);
                    }
                    parts.iter().any(|p| text_holds(self.text(p.span), Some(p)))
                }
                (v, _) => text_holds(&text, v.as_ref().map(|(e, _)| *e)),
            };
            if !holds {
                return None;
            }
            if let (Some(template), Some((e, _))) = (&c.not_after, &value)
                && self.follows(template, b, e.span.start)
            {
                return None;
            }
            let v = value.as_ref().map(|(_, v)| v);
            if let Some(want) = c.constant
                && v.is_some_and(|v| v.konst.is_some() || v.pure) != want
            {
                return None;
            }
            if let Some(re) = &c.prefix_regex {
                match v.and_then(|v| v.known_start()) {
                    Some(k) if re.is_match(k) => {}
                    _ => return None,
                }
            }
            if let Some(re) = &c.value_regex {
                match v.and_then(|v| v.konst.as_ref()) {
                    Some(k) if re.is_match(&k.as_text()) => {}
                    _ => return None,
                }
            }
            if let Some(re) = &c.origin_regex {
                match v.and_then(|v| v.origin.as_ref()) {
                    Some(o) if re.is_match(o) => {}
                    _ => return None,
                }
            }
            if let Some(re) = &c.not_origin_regex
                && v.and_then(|v| v.origin.as_ref())
                    .is_some_and(|o| re.is_match(o))
            {
                return None;
            }
            if let Some(want) = c.command_tainted {
                let live = v
                    .and_then(crate::command::command_taint)
                    .filter(|t| t.is_live_for(rule.kind_bit, rule.sources));
                if live.is_some() != want {
                    return None;
                }
                if source.is_none() {
                    source = live;
                }
            }
            if let Some(want) = c.tainted {
                let live = v
                    .and_then(|v| v.deep_taint())
                    .filter(|t| t.is_live_for(rule.kind_bit, rule.sources));
                if live.is_some() != want {
                    return None;
                }
                if source.is_none() {
                    source = live;
                }
            }
        }
        Some(source)
    }

    /// Whether the function's source before byte `at` matches a `not-after` template
    /// filled with the bound texts (at the top level: the file's source before it).
    fn follows(&self, template: &str, b: &Bindings<'_>, at: usize) -> bool {
        let filled = crate::rule::fill_after(template, |name| {
            Some(match bound(b, name)? {
                Bound::Expr(e) => self.text(e.span).to_string(),
                Bound::Name(n) => n.to_string(),
            })
        });
        let Some(re) = filled.and_then(|f| regex::Regex::new(&f).ok()) else {
            return false;
        };
        // Code analysed at a call site from another function: its own start is unknown, so
        // nothing is taken to precede it.
        let start = match self.ctx.span {
            Some(f) if f.start <= at && at <= f.end => f.start,
            Some(_) => return false,
            None => 0,
        };
        let before = std::str::from_utf8(self.src.get(start..at).unwrap_or(b"")).unwrap_or("");
        re.is_match(before)
    }

    fn render(
        &self,
        rule: &Rule,
        node: &Expr,
        func: Option<&Expr>,
        b: &Bindings<'_>,
        source: Option<Arc<Taint>>,
        _env: &Env,
    ) -> (String, Option<(Arc<str>, u32)>) {
        let mut msg = rule.message.clone();
        if msg.contains("{source}") {
            let s = match &source {
                Some(t) => format!("{} (line {})", t.label, t.line),
                None => "untrusted input".to_string(),
            };
            msg = msg.replace("{source}", &s);
        }
        if msg.contains("{callee}") {
            let callee = func
                .and_then(|f| self.qualname(f))
                .or_else(|| func.map(|f| self.text(f.span).to_string()))
                .unwrap_or_else(|| shorten(self.text(node.span)));
            msg = msg.replace("{callee}", &callee);
        }
        for (name, value) in b {
            let key = format!("{{{name}}}");
            if msg.contains(&key) {
                let text = match value {
                    Bound::Expr(e) => shorten(self.text(e.span)),
                    Bound::Name(n) => n.to_string(),
                };
                msg = msg.replace(&key, &text);
            }
        }
        (msg, source.map(|t| (t.label.clone(), t.line)))
    }

    fn report(&mut self, rule: usize, span: Span, found: (String, Option<(Arc<str>, u32)>)) {
        if self.quiet == 0 && self.seen.insert((rule, span.start)) {
            self.findings.push(RawFinding {
                rule,
                span,
                message: found.0,
                source: found.1,
            });
        }
    }
}

/// Collects the names of everything called in `stmts` (the last name of the callee).
fn called_in_stmts(stmts: &[Stmt], out: &mut HashSet<Arc<str>>) {
    for s in stmts {
        match &s.kind {
            StmtKind::Expr(e) | StmtKind::Return(Some(e)) | StmtKind::Raise(Some(e)) => {
                called_in_expr(e, out)
            }
            StmtKind::Assign(t, v) => {
                called_in_expr(t, out);
                called_in_expr(v, out);
            }
            StmtKind::If(t, a, b) => {
                called_in_expr(t, out);
                called_in_stmts(a, out);
                called_in_stmts(b, out);
            }
            StmtKind::Loop { test, body, orelse } => {
                if let Some(t) = test {
                    called_in_expr(t, out);
                }
                called_in_stmts(body, out);
                called_in_stmts(orelse, out);
            }
            StmtKind::Switch(subject, cases) => {
                called_in_expr(subject, out);
                for (_, body) in cases {
                    called_in_stmts(body, out);
                }
            }
            StmtKind::Func(f) => {
                for d in &f.decorators {
                    called_in_expr(d, out);
                }
                called_in_stmts(&f.body, out);
            }
            StmtKind::Class(_, body) | StmtKind::Block(body) => called_in_stmts(body, out),
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finally,
            } => {
                called_in_stmts(body, out);
                for h in handlers {
                    called_in_stmts(h, out);
                }
                called_in_stmts(orelse, out);
                called_in_stmts(finally, out);
            }
            _ => {}
        }
    }
}

fn called_in_expr(e: &Expr, out: &mut HashSet<Arc<str>>) {
    match &e.kind {
        ExprKind::Call { func, args } => {
            if let Some(n) = func.last_name() {
                out.insert(Arc::from(n));
            }
            called_in_expr(func, out);
            for a in args {
                // A function passed as a value (`map(f, xs)`, `Thread(target=f)`) is called.
                if let Some(n) = a.value.last_name() {
                    out.insert(Arc::from(n));
                }
                called_in_expr(&a.value, out);
            }
        }
        ExprKind::Attr(o, _) | ExprKind::Unary(_, o) => called_in_expr(o, out),
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) | ExprKind::Assign(a, b) => {
            called_in_expr(a, out);
            called_in_expr(b, out);
        }
        ExprKind::Format(items) | ExprKind::List(items) | ExprKind::Opaque(items) => {
            for i in items {
                called_in_expr(i, out);
            }
        }
        ExprKind::Dict(entries) => {
            for (k, v) in entries {
                if let Some(k) = k {
                    called_in_expr(k, out);
                }
                called_in_expr(v, out);
                // `{"run": handler}`: a dispatch table calls its values.
                if let Some(n) = v.last_name() {
                    out.insert(Arc::from(n));
                }
            }
        }
        ExprKind::Cond(a, b, c) => {
            called_in_expr(a, out);
            called_in_expr(b, out);
            called_in_expr(c, out);
        }
        ExprKind::Func(f) => called_in_stmts(&f.body, out),
        _ => {}
    }
}

/// The iterable of a lowered `for` loop, whose body starts with `target = iterable[…]`.
/// Whether a method is a property getter (`@property`, `@functools.cached_property`).
fn is_property(f: &FuncDef) -> bool {
    f.decorators
        .iter()
        .any(|d| matches!(d.last_name(), Some("property" | "cached_property")))
}

/// Whether a container method's receiver is where the analysis keeps values: a variable
/// or a field of one (`self.parts.append(x)`).
fn is_store_target(obj: &Expr) -> bool {
    match &obj.kind {
        ExprKind::Name(_) => true,
        ExprKind::Attr(o, _) => matches!(o.kind, ExprKind::Name(_)),
        _ => false,
    }
}

/// Writes a container a method changed back where it was read from.
fn store(obj: &Expr, updated: Value, env: &mut Env) {
    match &obj.kind {
        ExprKind::Name(n) => env.set(n.clone(), updated),
        ExprKind::Attr(o, field) => {
            if let ExprKind::Name(n) = &o.kind {
                let current = env.get(n).cloned().unwrap_or_default();
                env.set(n.clone(), current.with_field(field.clone(), updated));
            }
        }
        _ => {}
    }
}

/// The values put into a string built from pieces: an f-string's or template literal's
/// expressions, the operands of `+`, the values given to `%` and `.format` (literal text
/// left out). Nothing for an expression that is not such a string.
fn string_parts<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    fn piece<'e>(p: &'e Expr, out: &mut Vec<&'e Expr>) {
        let before = out.len();
        string_parts(p, out);
        if out.len() == before && !matches!(p.kind, ExprKind::Lit(_)) {
            out.push(p);
        }
    }
    match &e.kind {
        ExprKind::Format(items) => items.iter().for_each(|p| piece(p, out)),
        ExprKind::Binary(BinOp::Add, l, r) => {
            piece(l, out);
            piece(r, out);
        }
        ExprKind::Binary(BinOp::Mod, l, r) if matches!(l.kind, ExprKind::Lit(Lit::Str(_))) => {
            match &r.kind {
                ExprKind::List(items) => items.iter().for_each(|p| piece(p, out)),
                _ => piece(r, out),
            }
        }
        ExprKind::Call { func, args } => {
            if let ExprKind::Attr(recv, m) = &func.kind
                && &**m == "format"
                && matches!(recv.kind, ExprKind::Lit(Lit::Str(_)))
            {
                args.iter().for_each(|a| piece(&a.value, out));
            }
        }
        _ => {}
    }
}

fn for_iterable(body: &[Stmt]) -> Option<&Expr> {
    let StmtKind::Assign(_, value) = &body.first()?.kind else {
        return None;
    };
    match &value.kind {
        ExprKind::Index(iter, i) if matches!(&i.kind, ExprKind::Opaque(p) if p.is_empty()) => {
            Some(iter)
        }
        _ => None,
    }
}

/// Whether a loop body can end an iteration early (`break`, `continue`), outside loops and
/// functions nested in it.
fn jumps(stmts: &[Stmt]) -> bool {
    stmts.iter().any(|s| match &s.kind {
        StmtKind::Break | StmtKind::Continue => true,
        StmtKind::If(_, a, b) => jumps(a) || jumps(b),
        StmtKind::Block(b) => jumps(b),
        StmtKind::Switch(_, cases) => cases.iter().any(|(_, b)| jumps(b)),
        StmtKind::Try {
            body,
            handlers,
            orelse,
            finally,
        } => jumps(body) || handlers.iter().any(|h| jumps(h)) || jumps(orelse) || jumps(finally),
        _ => false,
    })
}

/// A class of this file, as the analysis keeps it: a value whose fields are its methods.
fn is_class(v: &Value) -> bool {
    v.func.is_none()
        && matches!(v.shape.as_deref(), Some(Shape::Fields(f)) if !f.is_empty() && f.iter().all(|(_, m)| m.func.is_some()))
}

/// The field name under which a two-level key (`section`, `option`) is kept.
fn nested_key(a: &str, b: &str) -> String {
    format!("{a}\u{1f}{b}")
}

fn shorten(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 80 {
        let cut: String = one_line.chars().take(77).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}

/// The analyzer's view for the pattern matcher.
pub struct Matching<'s, 'a> {
    an: &'s Analyzer<'a>,
    env: &'s Env,
}

impl MatchEnv for Matching<'_, '_> {
    fn qualname(&self, e: &Expr) -> Option<String> {
        self.an.qualname(e)
    }

    fn imported(&self, name: &str) -> Option<Arc<str>> {
        self.an.imports.get(name).cloned()
    }

    fn constant(&self, e: &Expr) -> Option<Const> {
        self.an.peek(e, self.env).konst
    }

    fn const_fields(&self, e: &Expr) -> Vec<(Arc<str>, Const)> {
        match self.an.peek(e, self.env).shape.as_deref() {
            Some(Shape::Fields(fields)) => fields
                .iter()
                .filter_map(|(k, v)| v.konst.clone().map(|c| (k.clone(), c)))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn text(&self, e: &Expr) -> String {
        self.an.text(e.span).to_string()
    }
}

//! The small, language-neutral program form every analysis runs on.
//!
//! Python and JavaScript/TypeScript syntax trees are lowered into these few statement and
//! expression shapes (see `lower_python.rs` and `lower_javascript.rs`), so the taint engine,
//! the constant folder and the pattern matcher are written once. Rule patterns are lowered
//! the same way, which is what lets a pattern written as code (`subprocess.run($CMD, ...)`)
//! be compared node for node with the code it is meant to find.
//!
//! The form keeps only what the analyses need: names, attributes, indexing, calls with
//! positional and keyword arguments, literals, operators, containers, functions and control
//! flow. Anything else becomes [`ExprKind::Opaque`], whose value is the union of its parts,
//! so unknown syntax never hides a tainted value.

use std::sync::Arc;

/// Where a node is in its file: byte range, and 1-based line and column of its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// Binary and comparison operators, shared by both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    In,
    NotIn,
    Is,
    IsNot,
    And,
    Or,
    /// Bitwise and other operators whose results the folder does not compute.
    Other,
}

impl BinOp {
    /// Comparisons yield booleans, which never carry taint.
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Eq
                | BinOp::NotEq
                | BinOp::Lt
                | BinOp::LtE
                | BinOp::Gt
                | BinOp::GtE
                | BinOp::In
                | BinOp::NotIn
                | BinOp::Is
                | BinOp::IsNot
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Not,
    Neg,
    Pos,
    /// `typeof`, `~`, `void`, …: results the folder does not compute.
    Other,
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Str(Arc<str>),
    Num(f64),
    Bool(bool),
    /// Python `None`, JavaScript `null` and `undefined`.
    Null,
}

/// One argument of a call: positional, keyword (`name=value`), or spread (`*xs`, `...xs`).
#[derive(Debug, Clone)]
pub struct Arg {
    pub name: Option<Arc<str>>,
    pub value: Expr,
    pub spread: bool,
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Lit(Lit),
    Name(Arc<str>),
    Attr(Box<Expr>, Arc<str>),
    Index(Box<Expr>, Box<Expr>),
    /// A call; `new X(…)` is a call too. JSX elements are calls of their tag with the
    /// attributes as keyword arguments and the children as positional ones.
    Call {
        func: Box<Expr>,
        args: Vec<Arg>,
    },
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Unary(UnOp, Box<Expr>),
    /// An f-string or template literal: its literal text is kept in `parts` as literals.
    Format(Vec<Expr>),
    /// Lists, tuples, sets and arrays.
    List(Vec<Expr>),
    /// Dicts and object literals; a `None` key is a spread (`**d`, `...o`).
    Dict(Vec<(Option<Expr>, Expr)>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// A lambda, arrow function or function expression.
    Func(Arc<FuncDef>),
    /// An assignment used as an expression (walrus, JavaScript `a = b`): target, value.
    Assign(Box<Expr>, Box<Expr>),
    /// `...` in a rule pattern: any number of arguments or elements.
    Ellipsis,
    /// A metavariable (`$X`) in a rule pattern.
    Metavar(Arc<str>),
    /// Syntax the analyses do not model; its value joins its parts.
    Opaque(Vec<Expr>),
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Self { kind, span }
    }

    pub fn opaque(parts: Vec<Expr>, span: Span) -> Self {
        Self::new(ExprKind::Opaque(parts), span)
    }

    /// The dotted name this expression spells syntactically, e.g. `os.path.join`.
    pub fn dotted(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Name(n) => Some(n.to_string()),
            ExprKind::Attr(obj, attr) => obj.dotted().map(|d| format!("{d}.{attr}")),
            _ => None,
        }
    }

    /// The name a call or access ends in: `execute` for `db.cursor().execute`.
    pub fn last_name(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Name(n) => Some(n),
            ExprKind::Attr(_, attr) => Some(attr),
            ExprKind::Call { func, .. } => func.last_name(),
            ExprKind::Index(obj, _) => obj.last_name(),
            _ => None,
        }
    }

    /// The variable at the root of an access chain: `x` for `x.a[0].b()`.
    pub fn root_name(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Name(n) => Some(n),
            ExprKind::Attr(obj, _) | ExprKind::Index(obj, _) => obj.root_name(),
            ExprKind::Call { func, args } => match &func.kind {
                // `urlparse(x).hostname`, `str(x)`: the checked value is the argument.
                ExprKind::Name(_) => args.first().and_then(|a| a.value.root_name()),
                _ => func.root_name(),
            },
            _ => None,
        }
    }
}

/// A function, method, lambda or arrow function.
#[derive(Debug)]
pub struct FuncDef {
    pub name: Option<Arc<str>>,
    pub params: Vec<Param>,
    pub body: Vec<Stmt>,
    /// Decorator expressions, outermost first (Python only).
    pub decorators: Vec<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: Arc<str>,
    pub default: Option<Expr>,
    /// The annotated type's text, e.g. `int` or `Request`.
    pub annotation: Option<Arc<str>>,
    /// `*args` / `**kwargs` / `...rest`.
    pub variadic: bool,
    /// `**kwargs`: holds the keyword arguments no other parameter takes, by name.
    pub keywords: bool,
    /// Names of the parameter's own decorators (TypeScript: `@Query("q") q: string`).
    pub decorators: Vec<Arc<str>>,
}

/// One `import`: `local` is the name bound in the file, `qualified` what it stands for.
#[derive(Debug, Clone)]
pub struct ImportBinding {
    pub local: Arc<str>,
    pub qualified: Arc<str>,
}

#[derive(Debug, Clone)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum StmtKind {
    Expr(Expr),
    /// `target = value`. Augmented assignments arrive as `x = x <op> value`; several targets
    /// (`a = b = v`) as several statements.
    Assign(Expr, Expr),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    /// `while`; a `for` arrives as a loop whose body starts with the target's assignment.
    Loop {
        test: Option<Expr>,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    /// `match`/`switch`: subject, and cases (pattern, body). A `None` pattern is the default.
    Switch(Expr, Vec<(Option<Expr>, Vec<Stmt>)>),
    Return(Option<Expr>),
    /// `raise`/`throw`: ends the path like a return.
    Raise(Option<Expr>),
    Break,
    Continue,
    Func(Arc<FuncDef>),
    Class(Arc<str>, Vec<Stmt>),
    Try {
        body: Vec<Stmt>,
        handlers: Vec<Vec<Stmt>>,
        orelse: Vec<Stmt>,
        finally: Vec<Stmt>,
    },
    Import(Vec<ImportBinding>),
    /// A block with no control flow of its own (`with` bodies arrive as their items'
    /// assignments followed by the body).
    Block(Vec<Stmt>),
}

impl Stmt {
    pub fn new(kind: StmtKind, span: Span) -> Self {
        Self { kind, span }
    }
}

/// A lowered file.
#[derive(Debug, Default)]
pub struct Module {
    pub body: Vec<Stmt>,
}

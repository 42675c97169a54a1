//! Lowering of tree-sitter-python trees into the analysis form.
//!
//! Python's statements map almost one to one onto [`crate::ir::StmtKind`]; the notable
//! choices are: `elif` chains become nested ifs, `for x in xs` becomes a loop whose body first
//! assigns an element of `xs` to `x`, `with f() as x` becomes an assignment, augmented
//! assignments become `x = x <op> v`, and comprehensions bind their loop variables to an
//! element of each iterable before their element expression is evaluated (the element of a
//! tainted iterable is tainted; a constant element expression is constant).

use std::num::NonZeroU16;
use std::sync::{Arc, OnceLock};

use tree_sitter::{Language, Node, TreeCursor};

use super::{Ctx, MAX_DEPTH, parse_number, unescape};
use crate::ir::{
    Arg, BinOp, Expr, ExprKind, FuncDef, ImportBinding, Lit, Module, Param, Span, Stmt, StmtKind,
    UnOp,
};

/// The grammar's field ids, looked up once: `child_by_field_name` compares the name with
/// every field's name on each call.
struct Fields {
    alias: u16,
    alternative: u16,
    argument: u16,
    arguments: u16,
    attribute: u16,
    body: u16,
    condition: u16,
    consequence: u16,
    definition: u16,
    expression: u16,
    function: u16,
    guard: u16,
    key: u16,
    left: u16,
    module_name: u16,
    name: u16,
    object: u16,
    operator: u16,
    operators: u16,
    parameters: u16,
    right: u16,
    subject: u16,
    subscript: u16,
    type_: u16,
    value: u16,
}

fn fields() -> &'static Fields {
    static FIELDS: OnceLock<Fields> = OnceLock::new();
    FIELDS.get_or_init(|| {
        let language: Language = tree_sitter_python::LANGUAGE.into();
        // A name the grammar lacks gets 0, which finds no child.
        let id = |name: &str| language.field_id_for_name(name).map_or(0, |f| f.get());
        Fields {
            alias: id("alias"),
            alternative: id("alternative"),
            argument: id("argument"),
            arguments: id("arguments"),
            attribute: id("attribute"),
            body: id("body"),
            condition: id("condition"),
            consequence: id("consequence"),
            definition: id("definition"),
            expression: id("expression"),
            function: id("function"),
            guard: id("guard"),
            key: id("key"),
            left: id("left"),
            module_name: id("module_name"),
            name: id("name"),
            object: id("object"),
            operator: id("operator"),
            operators: id("operators"),
            parameters: id("parameters"),
            right: id("right"),
            subject: id("subject"),
            subscript: id("subscript"),
            type_: id("type"),
            value: id("value"),
        }
    })
}

/// The children in one field (`name` of an import lists each imported name).
fn field_children<'t>(node: Node<'t>, field: u16, cursor: &mut TreeCursor<'t>) -> Vec<Node<'t>> {
    match NonZeroU16::new(field) {
        Some(f) => node.children_by_field_id(f, cursor).collect(),
        None => Vec::new(),
    }
}

pub fn lower_module(ctx: &mut Ctx<'_>, root: Node<'_>) -> Module {
    Module {
        body: lower_block(ctx, root),
    }
}

/// Lowers a pattern: the first statement of the parsed pattern text, as an expression or an
/// assignment/return statement.
pub fn lower_pattern(ctx: &mut Ctx<'_>, root: Node<'_>) -> Vec<Stmt> {
    lower_block(ctx, root)
}

fn lower_block(ctx: &mut Ctx<'_>, node: Node<'_>) -> Vec<Stmt> {
    let mut out = Vec::new();
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        lower_stmt(ctx, child, &mut out);
    }
    out
}

fn field_block(ctx: &mut Ctx<'_>, node: Node<'_>, field: u16) -> Vec<Stmt> {
    match node.child_by_field_id(field) {
        Some(b) => lower_block(ctx, b),
        None => Vec::new(),
    }
}

fn lower_stmt(ctx: &mut Ctx<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
    if ctx.depth > MAX_DEPTH {
        return;
    }
    ctx.depth += 1;
    lower_stmt_inner(ctx, node, out);
    ctx.depth -= 1;
}

fn lower_stmt_inner(ctx: &mut Ctx<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
    let f = fields();
    let span = ctx.span(node);
    match node.kind() {
        "expression_statement" => {
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                lower_expression_statement(ctx, child, out);
            }
        }
        "if_statement" => out.push(lower_if(ctx, node)),
        "for_statement" => {
            let (Some(left), Some(right)) = (
                node.child_by_field_id(f.left),
                node.child_by_field_id(f.right),
            ) else {
                return;
            };
            let iter = lower_expr(ctx, right);
            let target = lower_expr(ctx, left);
            let element = Expr::new(
                ExprKind::Index(Box::new(iter), Box::new(Expr::opaque(vec![], span))),
                span,
            );
            let mut body = vec![Stmt::new(StmtKind::Assign(target, element), span)];
            body.extend(field_block(ctx, node, f.body));
            let orelse = node
                .child_by_field_id(f.alternative)
                .map(|e| field_block(ctx, e, f.body))
                .unwrap_or_default();
            out.push(Stmt::new(
                StmtKind::Loop {
                    test: None,
                    body,
                    orelse,
                },
                span,
            ));
        }
        "while_statement" => {
            let test = node
                .child_by_field_id(f.condition)
                .map(|c| lower_expr(ctx, c));
            let body = field_block(ctx, node, f.body);
            let orelse = node
                .child_by_field_id(f.alternative)
                .map(|e| field_block(ctx, e, f.body))
                .unwrap_or_default();
            out.push(Stmt::new(StmtKind::Loop { test, body, orelse }, span));
        }
        "try_statement" => {
            let body = field_block(ctx, node, f.body);
            let mut handlers = Vec::new();
            let mut orelse = Vec::new();
            let mut finally = Vec::new();
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                match child.kind() {
                    "except_clause" | "except_group_clause" => {
                        let mut h = Vec::new();
                        let mut c2 = child.walk();
                        for part in child.named_children(&mut c2) {
                            if part.kind() == "block" {
                                h.extend(lower_block(ctx, part));
                            }
                        }
                        handlers.push(h);
                    }
                    "else_clause" => orelse = field_block(ctx, child, f.body),
                    "finally_clause" => {
                        let mut c2 = child.walk();
                        for part in child.named_children(&mut c2) {
                            if part.kind() == "block" {
                                finally.extend(lower_block(ctx, part));
                            }
                        }
                    }
                    _ => {}
                }
            }
            out.push(Stmt::new(
                StmtKind::Try {
                    body,
                    handlers,
                    orelse,
                    finally,
                },
                span,
            ));
        }
        "with_statement" => {
            let mut stmts = Vec::new();
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                if child.kind() == "with_clause" {
                    let mut c2 = child.walk();
                    for item in child.named_children(&mut c2) {
                        if let Some(value) = item.child_by_field_id(f.value) {
                            lower_with_item(ctx, value, &mut stmts);
                        }
                    }
                }
            }
            stmts.extend(field_block(ctx, node, f.body));
            out.push(Stmt::new(StmtKind::Block(stmts), span));
        }
        "function_definition" => out.push(Stmt::new(
            StmtKind::Func(Arc::new(lower_function(ctx, node, Vec::new()))),
            span,
        )),
        "class_definition" => {
            let name = node
                .child_by_field_id(f.name)
                .map(|n| ctx.text(n))
                .unwrap_or("");
            let body = field_block(ctx, node, f.body);
            out.push(Stmt::new(StmtKind::Class(Arc::from(name), body), span));
        }
        "decorated_definition" => {
            let mut decorators = Vec::new();
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                if child.kind() == "decorator"
                    && let Some(e) = child.named_child(0)
                {
                    decorators.push(lower_expr(ctx, e));
                }
            }
            if let Some(def) = node.child_by_field_id(f.definition) {
                if def.kind() == "function_definition" {
                    out.push(Stmt::new(
                        StmtKind::Func(Arc::new(lower_function(ctx, def, decorators))),
                        span,
                    ));
                } else {
                    lower_stmt(ctx, def, out);
                }
            }
        }
        "return_statement" => {
            let value = node.named_child(0).map(|e| lower_expr(ctx, e));
            out.push(Stmt::new(StmtKind::Return(value), span));
        }
        "raise_statement" => {
            let value = node.named_child(0).map(|e| lower_expr(ctx, e));
            out.push(Stmt::new(StmtKind::Raise(value), span));
        }
        "break_statement" => out.push(Stmt::new(StmtKind::Break, span)),
        "continue_statement" => out.push(Stmt::new(StmtKind::Continue, span)),
        "import_statement" => {
            let mut bindings = Vec::new();
            let mut cursor = node.walk();
            for child in field_children(node, f.name, &mut cursor) {
                match child.kind() {
                    "dotted_name" => {
                        let full = ctx.text(child);
                        let first = full.split('.').next().unwrap_or(full);
                        bindings.push(ImportBinding {
                            local: Arc::from(first),
                            qualified: Arc::from(first),
                        });
                    }
                    "aliased_import" => {
                        if let (Some(name), Some(alias)) = (
                            child.child_by_field_id(f.name),
                            child.child_by_field_id(f.alias),
                        ) {
                            bindings.push(ImportBinding {
                                local: Arc::from(ctx.text(alias)),
                                qualified: Arc::from(ctx.text(name)),
                            });
                        }
                    }
                    _ => {}
                }
            }
            out.push(Stmt::new(StmtKind::Import(bindings), span));
        }
        "import_from_statement" => {
            let module = node
                .child_by_field_id(f.module_name)
                .map(|m| ctx.text(m).trim_start_matches('.'))
                .unwrap_or("");
            let mut bindings = Vec::new();
            let mut cursor = node.walk();
            for child in field_children(node, f.name, &mut cursor) {
                let (name, local) = match child.kind() {
                    "aliased_import" => match (
                        child.child_by_field_id(f.name),
                        child.child_by_field_id(f.alias),
                    ) {
                        (Some(n), Some(a)) => (ctx.text(n), ctx.text(a)),
                        _ => continue,
                    },
                    _ => (ctx.text(child), ctx.text(child)),
                };
                let qualified = if module.is_empty() {
                    name.to_string()
                } else {
                    format!("{module}.{name}")
                };
                bindings.push(ImportBinding {
                    local: Arc::from(local),
                    qualified: Arc::from(qualified),
                });
            }
            out.push(Stmt::new(StmtKind::Import(bindings), span));
        }
        "match_statement" => {
            let Some(subject) = node.child_by_field_id(f.subject) else {
                return;
            };
            let subject = lower_expr(ctx, subject);
            let mut cases = Vec::new();
            if let Some(body) = node.child_by_field_id(f.body) {
                let mut cursor = body.walk();
                for case in body.named_children(&mut cursor) {
                    if case.kind() != "case_clause" {
                        continue;
                    }
                    let pattern = case
                        .named_child(0)
                        .filter(|p| p.kind() == "case_pattern")
                        .and_then(|p| lower_case_pattern(ctx, p));
                    let guarded = case.child_by_field_id(f.guard).is_some();
                    let stmts = field_block(ctx, case, f.consequence);
                    // A guarded case may or may not run: treat its pattern as unknown.
                    let pattern = if guarded {
                        Some(Expr::opaque(vec![], ctx.span(case)))
                    } else {
                        pattern
                    };
                    cases.push((pattern, stmts));
                }
            }
            out.push(Stmt::new(StmtKind::Switch(subject, cases), span));
        }
        "block" | "module" => out.extend(lower_block(ctx, node)),
        _ => {}
    }
}

/// A `case` pattern: literal values are compared, `_` and captures are the default case.
fn lower_case_pattern(ctx: &mut Ctx<'_>, node: Node<'_>) -> Option<Expr> {
    let inner = node.named_child(0)?;
    match inner.kind() {
        "string" | "integer" | "float" | "true" | "false" | "none" => Some(lower_expr(ctx, inner)),
        "dotted_name" if inner.named_child_count() == 1 => {
            // A bare name captures anything: the default case.
            None
        }
        _ => Some(Expr::opaque(vec![], ctx.span(inner))),
    }
}

fn lower_with_item(ctx: &mut Ctx<'_>, value: Node<'_>, out: &mut Vec<Stmt>) {
    let f = fields();
    let span = ctx.span(value);
    if value.kind() == "as_pattern" {
        let expr = value.named_child(0).map(|e| lower_expr(ctx, e));
        let target = value
            .child_by_field_id(f.alias)
            .and_then(|a| a.named_child(0).or(Some(a)))
            .map(|t| lower_expr(ctx, t));
        if let (Some(expr), Some(target)) = (expr, target) {
            out.push(Stmt::new(StmtKind::Assign(target, expr), span));
        }
    } else {
        let expr = lower_expr(ctx, value);
        out.push(Stmt::new(StmtKind::Expr(expr), span));
    }
}

fn lower_expression_statement(ctx: &mut Ctx<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
    let f = fields();
    let span = ctx.span(node);
    match node.kind() {
        "assignment" => {
            let mut targets = Vec::new();
            let mut current = node;
            loop {
                if let Some(left) = current.child_by_field_id(f.left) {
                    targets.push(lower_expr(ctx, left));
                }
                match current.child_by_field_id(f.right) {
                    Some(right) if right.kind() == "assignment" => current = right,
                    Some(right) => {
                        let value = lower_expr(ctx, right);
                        note_partials(ctx, &targets, &value);
                        for target in targets {
                            out.push(Stmt::new(StmtKind::Assign(target, value.clone()), span));
                        }
                        return;
                    }
                    // An annotation without a value (`x: int`) binds nothing.
                    None => return,
                }
            }
        }
        "augmented_assignment" => {
            let (Some(left), Some(right)) = (
                node.child_by_field_id(f.left),
                node.child_by_field_id(f.right),
            ) else {
                return;
            };
            let op = node
                .child_by_field_id(f.operator)
                .map(|o| binop(ctx.text(o).trim_end_matches('=')))
                .unwrap_or(BinOp::Other);
            let target = lower_expr(ctx, left);
            let value = Expr::new(
                ExprKind::Binary(
                    op,
                    Box::new(target.clone()),
                    Box::new(lower_expr(ctx, right)),
                ),
                span,
            );
            out.push(Stmt::new(StmtKind::Assign(target, value), span));
        }
        _ => {
            let expr = lower_expr(ctx, node);
            // `setattr(obj, "name", value)` with a constant name is `obj.name = value`.
            if !ctx.pattern
                && let ExprKind::Call { func, args } = &expr.kind
                && matches!(&func.kind, ExprKind::Name(n) if &**n == "setattr")
                && let [obj, name, value] = args.as_slice()
                && args.iter().all(|a| a.name.is_none() && !a.spread)
                && let ExprKind::Lit(Lit::Str(attr)) = &name.value.kind
            {
                let target = Expr::new(
                    ExprKind::Attr(Box::new(obj.value.clone()), attr.clone()),
                    span,
                );
                out.push(Stmt::new(
                    StmtKind::Assign(target, value.value.clone()),
                    span,
                ));
                return;
            }
            out.push(Stmt::new(StmtKind::Expr(expr), span));
        }
    }
}

fn lower_if(ctx: &mut Ctx<'_>, node: Node<'_>) -> Stmt {
    let f = fields();
    let span = ctx.span(node);
    let test = node
        .child_by_field_id(f.condition)
        .map(|c| lower_expr(ctx, c))
        .unwrap_or_else(|| Expr::opaque(vec![], span));
    let body = field_block(ctx, node, f.consequence);
    let mut alternatives = Vec::new();
    let mut cursor = node.walk();
    for alt in field_children(node, f.alternative, &mut cursor) {
        alternatives.push(alt);
    }
    let orelse = lower_alternatives(ctx, &alternatives);
    Stmt::new(StmtKind::If(test, body, orelse), span)
}

fn lower_alternatives(ctx: &mut Ctx<'_>, alts: &[Node<'_>]) -> Vec<Stmt> {
    let f = fields();
    let Some((first, rest)) = alts.split_first() else {
        return Vec::new();
    };
    match first.kind() {
        "elif_clause" => {
            let span = ctx.span(*first);
            let test = first
                .child_by_field_id(f.condition)
                .map(|c| lower_expr(ctx, c))
                .unwrap_or_else(|| Expr::opaque(vec![], span));
            let body = field_block(ctx, *first, f.consequence);
            let orelse = lower_alternatives(ctx, rest);
            vec![Stmt::new(StmtKind::If(test, body, orelse), span)]
        }
        _ => field_block(ctx, *first, f.body),
    }
}

/// Records `name = functools.partial(f, ...)` (or `partial(f, ...)`) for the calls of
/// `name` that follow; any other value assigned to a name forgets what it held.
fn note_partials(ctx: &mut Ctx<'_>, targets: &[Expr], value: &Expr) {
    if ctx.pattern {
        return;
    }
    for t in targets {
        if let ExprKind::Name(n) = &t.kind {
            ctx.partials.retain(|(p, _, _)| p != n);
        }
    }
    let ExprKind::Call { func, args } = &value.kind else {
        return;
    };
    let is_partial = match &func.kind {
        ExprKind::Name(n) => &**n == "partial",
        ExprKind::Attr(obj, a) => {
            &**a == "partial" && matches!(&obj.kind, ExprKind::Name(m) if &**m == "functools")
        }
        _ => false,
    };
    let Some((first, fixed)) = args.split_first() else {
        return;
    };
    if !is_partial || first.name.is_some() || first.spread {
        return;
    }
    for t in targets {
        if let ExprKind::Name(n) = &t.kind {
            ctx.partials
                .push((n.clone(), first.value.clone(), fixed.to_vec()));
        }
    }
}

fn lower_function(ctx: &mut Ctx<'_>, node: Node<'_>, decorators: Vec<Expr>) -> FuncDef {
    let f = fields();
    let name = node
        .child_by_field_id(f.name)
        .map(|n| Arc::from(ctx.text(n)));
    let params = node
        .child_by_field_id(f.parameters)
        .map(|p| lower_params(ctx, p))
        .unwrap_or_default();
    // Partials bound in the body are local to it.
    let outer = ctx.partials.len();
    let body = field_block(ctx, node, f.body);
    ctx.partials.truncate(outer);
    FuncDef {
        name,
        params,
        body,
        decorators,
        span: ctx.span(node),
    }
}

fn lower_params(ctx: &mut Ctx<'_>, node: Node<'_>) -> Vec<Param> {
    let f = fields();
    let mut params = Vec::new();
    let mut cursor = node.walk();
    for p in node.named_children(&mut cursor) {
        let annotation = p.child_by_field_id(f.type_).map(|t| Arc::from(ctx.text(t)));
        let default = p.child_by_field_id(f.value).map(|v| lower_expr(ctx, v));
        let (name, variadic) = match p.kind() {
            "identifier" => (ctx.text(p), false),
            "default_parameter" | "typed_default_parameter" => (
                p.child_by_field_id(f.name)
                    .map(|n| ctx.text(n))
                    .unwrap_or(""),
                false,
            ),
            "typed_parameter" => match p.named_child(0) {
                Some(inner) if inner.kind() == "identifier" => (ctx.text(inner), false),
                Some(inner) => (
                    inner.named_child(0).map(|n| ctx.text(n)).unwrap_or(""),
                    true,
                ),
                None => continue,
            },
            "list_splat_pattern" | "dictionary_splat_pattern" => {
                (p.named_child(0).map(|n| ctx.text(n)).unwrap_or(""), true)
            }
            _ => continue,
        };
        if name.is_empty() {
            continue;
        }
        params.push(Param {
            name: Arc::from(name),
            default,
            annotation,
            variadic,
            decorators: Vec::new(),
            keywords: p.kind() == "dictionary_splat_pattern"
                || p.named_child(0)
                    .is_some_and(|i| i.kind() == "dictionary_splat_pattern"),
        });
    }
    params
}

pub fn binop(op: &str) -> BinOp {
    match op {
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "/" => BinOp::Div,
        "//" => BinOp::FloorDiv,
        "%" => BinOp::Mod,
        "**" => BinOp::Pow,
        "==" | "===" => BinOp::Eq,
        "!=" | "!==" | "<>" => BinOp::NotEq,
        "<" => BinOp::Lt,
        "<=" => BinOp::LtE,
        ">" => BinOp::Gt,
        ">=" => BinOp::GtE,
        "in" => BinOp::In,
        "not in" => BinOp::NotIn,
        "is" => BinOp::Is,
        "is not" => BinOp::IsNot,
        "and" | "&&" => BinOp::And,
        "or" | "||" | "??" => BinOp::Or,
        _ => BinOp::Other,
    }
}

pub fn lower_expr(ctx: &mut Ctx<'_>, node: Node<'_>) -> Expr {
    let span = ctx.span(node);
    if ctx.depth > MAX_DEPTH {
        return Expr::opaque(vec![], span);
    }
    ctx.depth += 1;
    let e = lower_expr_inner(ctx, node);
    ctx.depth -= 1;
    e
}

fn children_exprs(ctx: &mut Ctx<'_>, node: Node<'_>) -> Vec<Expr> {
    let mut cursor = node.walk();
    let kids: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
    kids.into_iter()
        .filter(|k| k.kind() != "comment")
        .map(|k| lower_expr(ctx, k))
        .collect()
}

/// A call and its arguments. The larger cases live outside [`lower_expr_inner`], whose
/// stack frame every level of nesting pays for.
fn lower_call(ctx: &mut Ctx<'_>, node: Node<'_>, span: Span) -> Expr {
    let f = fields();
    let kind = {
        let Some(func) = node.child_by_field_id(f.function) else {
            return Expr::opaque(children_exprs(ctx, node), span);
        };
        let func = lower_expr(ctx, func);
        let mut args = Vec::new();
        if let Some(arguments) = node.child_by_field_id(f.arguments) {
            if arguments.kind() == "generator_expression" {
                args.push(Arg {
                    name: None,
                    value: lower_expr(ctx, arguments),
                    spread: false,
                });
            } else {
                let mut cursor = arguments.walk();
                let kids: Vec<Node<'_>> = arguments.named_children(&mut cursor).collect();
                for a in kids {
                    match a.kind() {
                        "keyword_argument" => {
                            let (Some(n), Some(v)) =
                                (a.child_by_field_id(f.name), a.child_by_field_id(f.value))
                            else {
                                continue;
                            };
                            let name = Arc::from(ctx.text(n));
                            args.push(Arg {
                                name: Some(name),
                                value: lower_expr(ctx, v),
                                spread: false,
                            });
                        }
                        "list_splat" | "dictionary_splat" => {
                            let value = match a.named_child(0) {
                                Some(v) => lower_expr(ctx, v),
                                None => continue,
                            };
                            args.push(Arg {
                                name: None,
                                value,
                                spread: true,
                            });
                        }
                        "comment" => {}
                        _ => args.push(Arg {
                            name: None,
                            value: lower_expr(ctx, a),
                            spread: false,
                        }),
                    }
                }
            }
        }
        // `getattr(obj, "name")` with a constant name is `obj.name`.
        if !ctx.pattern
            && matches!(&func.kind, ExprKind::Name(n) if &**n == "getattr")
            && let [obj, name] = args.as_slice()
            && args.iter().all(|a| a.name.is_none() && !a.spread)
            && let ExprKind::Lit(Lit::Str(attr)) = &name.value.kind
        {
            ExprKind::Attr(Box::new(obj.value.clone()), attr.clone())
        } else if let ExprKind::Name(n) = &func.kind
            && let Some((_, target, fixed)) = ctx.partials.iter().rev().find(|(p, _, _)| p == n)
        {
            // `fetch = functools.partial(requests.get, timeout=5); fetch(url)`.
            ExprKind::Call {
                func: Box::new(target.clone()),
                args: fixed.iter().cloned().chain(args).collect(),
            }
        } else {
            ExprKind::Call {
                func: Box::new(func),
                args,
            }
        }
    };
    Expr::new(kind, span)
}

/// `a < b < c` as `a < b and b < c`.
fn lower_comparison(ctx: &mut Ctx<'_>, node: Node<'_>, span: Span) -> Expr {
    let mut cursor = node.walk();
    let ops: Vec<BinOp> = field_children(node, fields().operators, &mut cursor)
        .into_iter()
        .map(|o| binop(&ctx.text(o).split_whitespace().collect::<Vec<_>>().join(" ")))
        .collect();
    let operands = children_exprs(ctx, node);
    if operands.len() < 2 || ops.is_empty() {
        return Expr::opaque(operands, span);
    }
    let mut acc: Option<Expr> = None;
    for (i, op) in ops.iter().enumerate() {
        let (Some(l), Some(r)) = (operands.get(i), operands.get(i + 1)) else {
            break;
        };
        let cmp = Expr::new(
            ExprKind::Binary(*op, Box::new(l.clone()), Box::new(r.clone())),
            span,
        );
        acc = Some(match acc {
            None => cmp,
            Some(prev) => Expr::new(
                ExprKind::Binary(BinOp::And, Box::new(prev), Box::new(cmp)),
                span,
            ),
        });
    }
    acc.unwrap_or_else(|| Expr::opaque(vec![], span))
}

fn lower_dictionary(ctx: &mut Ctx<'_>, node: Node<'_>, span: Span) -> Expr {
    let f = fields();
    let kind = {
        let mut entries = Vec::new();
        let mut cursor = node.walk();
        let kids: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
        for child in kids {
            match child.kind() {
                "pair" => {
                    let (Some(k), Some(v)) = (
                        child.child_by_field_id(f.key),
                        child.child_by_field_id(f.value),
                    ) else {
                        continue;
                    };
                    let k = lower_expr(ctx, k);
                    let v = lower_expr(ctx, v);
                    entries.push((Some(k), v));
                }
                "dictionary_splat" => {
                    if let Some(v) = child.named_child(0) {
                        let v = lower_expr(ctx, v);
                        entries.push((None, v));
                    }
                }
                _ => {}
            }
        }
        ExprKind::Dict(entries)
    };
    Expr::new(kind, span)
}

fn lower_lambda(ctx: &mut Ctx<'_>, node: Node<'_>, span: Span) -> Expr {
    let f = fields();
    let kind = {
        let params = node
            .child_by_field_id(f.parameters)
            .map(|p| lower_params(ctx, p))
            .unwrap_or_default();
        let body = node
            .child_by_field_id(f.body)
            .map(|b| lower_expr(ctx, b))
            .unwrap_or_else(|| Expr::opaque(vec![], span));
        ExprKind::Func(Arc::new(FuncDef {
            name: None,
            params,
            body: vec![Stmt::new(StmtKind::Return(Some(body)), span)],
            decorators: Vec::new(),
            span,
        }))
    };
    Expr::new(kind, span)
}

fn lower_concatenated_string(ctx: &mut Ctx<'_>, node: Node<'_>, span: Span) -> Expr {
    let kind = {
        let parts = children_exprs(ctx, node);
        if parts
            .iter()
            .all(|p| matches!(p.kind, ExprKind::Lit(Lit::Str(_))))
        {
            let s: String = parts
                .iter()
                .map(|p| match &p.kind {
                    ExprKind::Lit(Lit::Str(s)) => s.to_string(),
                    _ => String::new(),
                })
                .collect();
            ExprKind::Lit(Lit::Str(Arc::from(s)))
        } else {
            ExprKind::Format(parts)
        }
    };
    Expr::new(kind, span)
}

fn lower_expr_inner(ctx: &mut Ctx<'_>, node: Node<'_>) -> Expr {
    let f = fields();
    let span = ctx.span(node);
    let kind = match node.kind() {
        "identifier" => return ctx.name(ctx.text(node), span),
        "attribute" => {
            let (Some(obj), Some(attr)) = (
                node.child_by_field_id(f.object),
                node.child_by_field_id(f.attribute),
            ) else {
                return Expr::opaque(children_exprs(ctx, node), span);
            };
            let obj = lower_expr(ctx, obj);
            ExprKind::Attr(Box::new(obj), Arc::from(ctx.text(attr)))
        }
        "subscript" => {
            let Some(value) = node.child_by_field_id(f.value) else {
                return Expr::opaque(children_exprs(ctx, node), span);
            };
            let value = lower_expr(ctx, value);
            let index = match node.child_by_field_id(f.subscript) {
                Some(s) if s.kind() == "slice" => Expr::opaque(vec![], ctx.span(s)),
                Some(s) => lower_expr(ctx, s),
                None => Expr::opaque(vec![], span),
            };
            ExprKind::Index(Box::new(value), Box::new(index))
        }
        "call" => return lower_call(ctx, node, span),
        "string" => return lower_string(ctx, node),
        "concatenated_string" => return lower_concatenated_string(ctx, node, span),
        "integer" | "float" => match parse_number(ctx.text(node)) {
            Some(n) => ExprKind::Lit(Lit::Num(n)),
            None => ExprKind::Opaque(vec![]),
        },
        "true" => ExprKind::Lit(Lit::Bool(true)),
        "false" => ExprKind::Lit(Lit::Bool(false)),
        "none" => ExprKind::Lit(Lit::Null),
        "ellipsis" => {
            if ctx.pattern {
                ExprKind::Ellipsis
            } else {
                ExprKind::Lit(Lit::Null)
            }
        }
        "binary_operator" | "boolean_operator" => {
            let (Some(l), Some(r)) = (
                node.child_by_field_id(f.left),
                node.child_by_field_id(f.right),
            ) else {
                return Expr::opaque(children_exprs(ctx, node), span);
            };
            let op = node
                .child_by_field_id(f.operator)
                .map(|o| binop(ctx.text(o)))
                .unwrap_or(BinOp::Other);
            ExprKind::Binary(
                op,
                Box::new(lower_expr(ctx, l)),
                Box::new(lower_expr(ctx, r)),
            )
        }
        "comparison_operator" => return lower_comparison(ctx, node, span),
        "not_operator" => match node.child_by_field_id(f.argument) {
            Some(a) => ExprKind::Unary(UnOp::Not, Box::new(lower_expr(ctx, a))),
            None => ExprKind::Opaque(vec![]),
        },
        "unary_operator" => {
            let op = match node.child_by_field_id(f.operator).map(|o| ctx.text(o)) {
                Some("-") => UnOp::Neg,
                Some("+") => UnOp::Pos,
                _ => UnOp::Other,
            };
            match node.child_by_field_id(f.argument) {
                Some(a) => ExprKind::Unary(op, Box::new(lower_expr(ctx, a))),
                None => ExprKind::Opaque(vec![]),
            }
        }
        "parenthesized_expression" => {
            return match node.named_child(0) {
                Some(inner) if inner.kind() != "comment" => lower_expr(ctx, inner),
                _ => Expr::opaque(vec![], span),
            };
        }
        "list" | "tuple" | "set" | "expression_list" | "pattern_list" | "tuple_pattern"
        | "list_pattern" => ExprKind::List(children_exprs(ctx, node)),
        "dictionary" => return lower_dictionary(ctx, node, span),
        "conditional_expression" => {
            let parts = children_exprs(ctx, node);
            let mut it = parts.into_iter();
            match (it.next(), it.next(), it.next()) {
                (Some(a), Some(test), Some(b)) => {
                    ExprKind::Cond(Box::new(test), Box::new(a), Box::new(b))
                }
                _ => ExprKind::Opaque(vec![]),
            }
        }
        "lambda" => return lower_lambda(ctx, node, span),
        "await" => {
            return match node.named_child(0) {
                Some(inner) => lower_expr(ctx, inner),
                None => Expr::opaque(vec![], span),
            };
        }
        "named_expression" => {
            let (Some(n), Some(v)) = (
                node.child_by_field_id(f.name),
                node.child_by_field_id(f.value),
            ) else {
                return Expr::opaque(children_exprs(ctx, node), span);
            };
            let target = lower_expr(ctx, n);
            ExprKind::Assign(Box::new(target), Box::new(lower_expr(ctx, v)))
        }
        "list_comprehension"
        | "set_comprehension"
        | "generator_expression"
        | "dictionary_comprehension" => lower_comprehension(ctx, node, span),
        "keyword_argument" => match node.child_by_field_id(f.value) {
            Some(v) => return lower_expr(ctx, v),
            None => ExprKind::Opaque(vec![]),
        },
        "comment" => ExprKind::Opaque(vec![]),
        _ => ExprKind::Opaque(children_exprs(ctx, node)),
    };
    Expr::new(kind, span)
}

fn lower_string(ctx: &mut Ctx<'_>, node: Node<'_>) -> Expr {
    let f = fields();
    let span = ctx.span(node);
    let mut is_raw = false;
    let mut parts: Vec<Expr> = Vec::new();
    let mut literal = String::new();
    let mut has_interpolation = false;
    let mut cursor = node.walk();
    let kids: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
    for child in kids {
        match child.kind() {
            "string_start" => {
                is_raw = ctx.text(child).to_ascii_lowercase().contains('r');
            }
            "string_content" => {
                let raw = ctx.text(child);
                literal.push_str(&if is_raw {
                    raw.to_string()
                } else {
                    unescape(raw)
                });
            }
            "escape_sequence" => literal.push_str(&unescape(ctx.text(child))),
            "interpolation" => {
                has_interpolation = true;
                if !literal.is_empty() {
                    parts.push(Expr::new(
                        ExprKind::Lit(Lit::Str(Arc::from(std::mem::take(&mut literal)))),
                        span,
                    ));
                }
                if let Some(e) = child.child_by_field_id(f.expression) {
                    parts.push(lower_expr(ctx, e));
                }
            }
            _ => {}
        }
    }
    if !has_interpolation {
        return Expr::new(ExprKind::Lit(Lit::Str(Arc::from(literal))), span);
    }
    if !literal.is_empty() {
        parts.push(Expr::new(ExprKind::Lit(Lit::Str(Arc::from(literal))), span));
    }
    Expr::new(ExprKind::Format(parts), span)
}

/// `[elt for x in xs]` as `[x := xs[?], elt][1]` (kept out of `lower_expr` so that its
/// locals do not enlarge every level of the recursion).
#[inline(never)]
fn lower_comprehension(ctx: &mut Ctx<'_>, node: Node<'_>, span: crate::ir::Span) -> ExprKind {
    // `[elt for x in xs]` becomes `[x := xs[?], elt][1]`: each loop variable is bound
    // to an element of its iterable, then the element expression is evaluated with
    // it, and only that value is the result. So `"?" for _ in values` is a
    // constant whatever `values` holds. Clauses' conditions are dropped.
    let mut bindings = Vec::new();
    let mut element = Vec::new();
    let mut cursor = node.walk();
    let kids: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
    for child in kids {
        match child.kind() {
            "for_in_clause" => {
                let (Some(l), Some(r)) = (
                    child.child_by_field_name("left"),
                    child.child_by_field_name("right"),
                ) else {
                    continue;
                };
                let iter = lower_expr(ctx, r);
                let one = Expr::new(
                    ExprKind::Index(Box::new(iter), Box::new(Expr::opaque(vec![], span))),
                    span,
                );
                let target = lower_expr(ctx, l);
                bindings.push(Expr::new(
                    ExprKind::Assign(Box::new(target), Box::new(one)),
                    span,
                ));
            }
            "if_clause" | "comment" => {}
            "pair" => element.extend(children_exprs(ctx, child)),
            _ => element.push(lower_expr(ctx, child)),
        }
    }
    let element = match element.len() {
        1 => element.pop().unwrap_or_else(|| Expr::opaque(vec![], span)),
        _ => Expr::opaque(element, span),
    };
    let at = bindings.len();
    bindings.push(element);
    ExprKind::Index(
        Box::new(Expr::new(ExprKind::List(bindings), span)),
        Box::new(Expr::new(ExprKind::Lit(Lit::Num(at as f64)), span)),
    )
}

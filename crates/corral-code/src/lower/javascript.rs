//! Lowering of tree-sitter JavaScript, TypeScript, JSX and TSX trees into the analysis form.
//!
//! One lowering serves all four grammars: TypeScript only adds type syntax, which is
//! dropped (`x as T`, `x!` and `x satisfies T` lower to `x`; typed parameters keep their
//! type's text as the annotation).
//!
//! Module loading is resolved here, because the analyses need to know that `cp.exec` is
//! `child_process.exec`: `require('m')` in a declaration (plain, destructured or followed by a
//! member) and every form of `import` become [`StmtKind::Import`] bindings. Destructuring
//! becomes one assignment per bound name (`const {a, b: c} = o` assigns `o.a` to `a` and `o.b`
//! to `c`). JSX elements become calls of their tag, with attributes as keyword arguments.

use std::sync::Arc;

use tree_sitter::Node;

use super::python::binop;
use super::{Ctx, MAX_DEPTH, parse_number, unescape};
use crate::ir::{
    Arg, Expr, ExprKind, FuncDef, ImportBinding, Lit, Module, Param, Span, Stmt, StmtKind, UnOp,
};

pub fn lower_module(ctx: &mut Ctx<'_>, root: Node<'_>) -> Module {
    Module {
        body: lower_block(ctx, root),
    }
}

pub fn lower_pattern(ctx: &mut Ctx<'_>, root: Node<'_>) -> Vec<Stmt> {
    lower_block(ctx, root)
}

fn lower_block(ctx: &mut Ctx<'_>, node: Node<'_>) -> Vec<Stmt> {
    let mut out = Vec::new();
    let mut cursor = node.walk();
    let kids: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
    for child in kids {
        lower_stmt(ctx, child, &mut out);
    }
    out
}

/// A statement position that may hold a block or a single statement.
fn lower_body(ctx: &mut Ctx<'_>, node: Option<Node<'_>>) -> Vec<Stmt> {
    let mut out = Vec::new();
    if let Some(n) = node {
        lower_stmt(ctx, n, &mut out);
    }
    out
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
    let span = ctx.span(node);
    match node.kind() {
        "statement_block" | "program" | "else_clause" | "finally_clause" | "switch_body" => {
            out.extend(lower_block(ctx, node))
        }
        "expression_statement" => {
            if let Some(e) = node.named_child(0) {
                lower_expression_statement(ctx, e, out);
            }
        }
        "lexical_declaration" | "variable_declaration" => {
            let mut cursor = node.walk();
            let kids: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
            for decl in kids {
                if decl.kind() != "variable_declarator" {
                    continue;
                }
                let (Some(name), Some(value)) = (
                    decl.child_by_field_name("name"),
                    decl.child_by_field_name("value"),
                ) else {
                    continue;
                };
                if let Some(imports) = require_bindings(ctx, name, value) {
                    out.push(Stmt::new(StmtKind::Import(imports), span));
                    continue;
                }
                let value = lower_expr(ctx, value);
                destructure(ctx, name, value, span, out);
            }
        }
        "if_statement" => {
            let test = node
                .child_by_field_name("condition")
                .map(|c| lower_expr(ctx, c))
                .unwrap_or_else(|| Expr::opaque(vec![], span));
            let body = lower_body(ctx, node.child_by_field_name("consequence"));
            let orelse = lower_body(ctx, node.child_by_field_name("alternative"));
            out.push(Stmt::new(StmtKind::If(test, body, orelse), span));
        }
        "for_statement" => {
            let mut stmts = lower_body(ctx, node.child_by_field_name("initializer"));
            let test = node
                .child_by_field_name("condition")
                .filter(|c| c.kind() != "empty_statement" && c.kind() != ";")
                .map(|c| match c.kind() {
                    "expression_statement" => c
                        .named_child(0)
                        .map(|e| lower_expr(ctx, e))
                        .unwrap_or_else(|| Expr::opaque(vec![], span)),
                    _ => lower_expr(ctx, c),
                });
            let mut body = lower_body(ctx, node.child_by_field_name("body"));
            if let Some(inc) = node.child_by_field_name("increment") {
                lower_expression_statement(ctx, inc, &mut body);
            }
            stmts.push(Stmt::new(
                StmtKind::Loop {
                    test,
                    body,
                    orelse: Vec::new(),
                },
                span,
            ));
            out.push(Stmt::new(StmtKind::Block(stmts), span));
        }
        "for_in_statement" => {
            let (Some(left), Some(right)) = (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
            ) else {
                return;
            };
            let iter = lower_expr(ctx, right);
            let element = Expr::new(
                ExprKind::Index(Box::new(iter), Box::new(Expr::opaque(vec![], span))),
                span,
            );
            let mut body = Vec::new();
            destructure(ctx, left, element, span, &mut body);
            body.extend(lower_body(ctx, node.child_by_field_name("body")));
            out.push(Stmt::new(
                StmtKind::Loop {
                    test: None,
                    body,
                    orelse: Vec::new(),
                },
                span,
            ));
        }
        "while_statement" | "do_statement" => {
            let test = node
                .child_by_field_name("condition")
                .map(|c| lower_expr(ctx, c));
            let body = lower_body(ctx, node.child_by_field_name("body"));
            out.push(Stmt::new(
                StmtKind::Loop {
                    test,
                    body,
                    orelse: Vec::new(),
                },
                span,
            ));
        }
        "try_statement" => {
            let body = lower_body(ctx, node.child_by_field_name("body"));
            let handlers = node
                .child_by_field_name("handler")
                .map(|h| vec![lower_body(ctx, h.child_by_field_name("body"))])
                .unwrap_or_default();
            let finally = lower_body(ctx, node.child_by_field_name("finalizer"));
            out.push(Stmt::new(
                StmtKind::Try {
                    body,
                    handlers,
                    orelse: Vec::new(),
                    finally,
                },
                span,
            ));
        }
        "return_statement" => {
            let value = node.named_child(0).map(|e| lower_expr(ctx, e));
            out.push(Stmt::new(StmtKind::Return(value), span));
        }
        "throw_statement" => {
            let value = node.named_child(0).map(|e| lower_expr(ctx, e));
            out.push(Stmt::new(StmtKind::Raise(value), span));
        }
        "break_statement" => out.push(Stmt::new(StmtKind::Break, span)),
        "continue_statement" => out.push(Stmt::new(StmtKind::Continue, span)),
        "function_declaration" | "generator_function_declaration" => {
            out.push(Stmt::new(StmtKind::Func(lower_function(ctx, node)), span))
        }
        "class_declaration" | "abstract_class_declaration" => {
            let name = node
                .child_by_field_name("name")
                .map(|n| ctx.text(n))
                .unwrap_or("");
            let mut body = Vec::new();
            if let Some(class_body) = node.child_by_field_name("body") {
                let mut cursor = class_body.walk();
                let kids: Vec<Node<'_>> = class_body.named_children(&mut cursor).collect();
                for member in kids {
                    if member.kind() == "method_definition" {
                        let mspan = ctx.span(member);
                        body.push(Stmt::new(
                            StmtKind::Func(lower_function(ctx, member)),
                            mspan,
                        ));
                    }
                }
            }
            out.push(Stmt::new(StmtKind::Class(Arc::from(name), body), span));
        }
        "export_statement" => {
            if let Some(decl) = node.child_by_field_name("declaration") {
                lower_stmt(ctx, decl, out);
            } else if let Some(value) = node.child_by_field_name("value") {
                let e = lower_expr(ctx, value);
                out.push(Stmt::new(StmtKind::Expr(e), span));
            }
        }
        "import_statement" => {
            let source = node
                .child_by_field_name("source")
                .map(|s| module_name(&string_value(ctx, s)))
                .unwrap_or_default();
            let mut bindings = Vec::new();
            let mut cursor = node.walk();
            let kids: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
            for clause in kids {
                if clause.kind() != "import_clause" {
                    continue;
                }
                let mut c2 = clause.walk();
                let parts: Vec<Node<'_>> = clause.named_children(&mut c2).collect();
                for part in parts {
                    match part.kind() {
                        "identifier" => bindings.push(binding(ctx.text(part), &source)),
                        "namespace_import" => {
                            if let Some(id) = part.named_child(0) {
                                bindings.push(binding(ctx.text(id), &source));
                            }
                        }
                        "named_imports" => {
                            let mut c3 = part.walk();
                            let specs: Vec<Node<'_>> = part.named_children(&mut c3).collect();
                            for spec in specs {
                                let Some(name) = spec.child_by_field_name("name") else {
                                    continue;
                                };
                                let name_text = ctx.text(name).trim_matches(['"', '\'']);
                                let local = spec
                                    .child_by_field_name("alias")
                                    .map(|a| ctx.text(a))
                                    .unwrap_or(name_text);
                                bindings.push(binding(local, &format!("{source}.{name_text}")));
                            }
                        }
                        _ => {}
                    }
                }
            }
            out.push(Stmt::new(StmtKind::Import(bindings), span));
        }
        "switch_statement" => {
            let subject = node
                .child_by_field_name("value")
                .map(|v| lower_expr(ctx, v))
                .unwrap_or_else(|| Expr::opaque(vec![], span));
            let mut cases = Vec::new();
            if let Some(body) = node.child_by_field_name("body") {
                let mut cursor = body.walk();
                let kids: Vec<Node<'_>> = body.named_children(&mut cursor).collect();
                for case in kids {
                    let pattern = match case.kind() {
                        "switch_case" => case
                            .child_by_field_name("value")
                            .map(|v| lower_expr(ctx, v)),
                        "switch_default" => None,
                        _ => continue,
                    };
                    let mut stmts = Vec::new();
                    let mut c2 = case.walk();
                    let body_nodes: Vec<Node<'_>> =
                        case.children_by_field_name("body", &mut c2).collect();
                    for s in body_nodes {
                        lower_stmt(ctx, s, &mut stmts);
                    }
                    cases.push((pattern, stmts));
                }
            }
            out.push(Stmt::new(StmtKind::Switch(subject, cases), span));
        }
        "labeled_statement" => {
            out.extend(lower_body(ctx, node.child_by_field_name("body")));
        }
        "comment" | "empty_statement" | "debugger_statement" => {}
        // Type-only declarations (interfaces, type aliases, enums) carry no data flow.
        "interface_declaration"
        | "type_alias_declaration"
        | "enum_declaration"
        | "ambient_declaration"
        | "module"
        | "internal_module" => {}
        _ => {
            if node.is_named() && !node.is_error() {
                let e = lower_expr(ctx, node);
                out.push(Stmt::new(StmtKind::Expr(e), span));
            }
        }
    }
}

fn binding(local: &str, qualified: &str) -> ImportBinding {
    ImportBinding {
        local: Arc::from(local),
        qualified: Arc::from(qualified),
    }
}

/// The module name patterns use: `node:fs` is `fs`, and since patterns are code, package
/// names are spelled as identifiers: `escape-html` is `escape_html`, `@scope/pkg` is
/// `scope.pkg`.
fn module_name(spec: &str) -> String {
    let spec = spec.strip_prefix("node:").unwrap_or(spec);
    spec.trim_start_matches('@')
        .replace('-', "_")
        .replace('/', ".")
}

/// The module a `require('m')` (optionally followed by `.member`s) loads, and the members.
fn required_module(ctx: &Ctx<'_>, value: Node<'_>) -> Option<String> {
    match value.kind() {
        "call_expression" => {
            let func = value.child_by_field_name("function")?;
            let args = value.child_by_field_name("arguments")?;
            // `util.promisify(require("child_process").exec)` runs what it wraps.
            if matches!(ctx.text(func), "util.promisify" | "promisify") {
                return required_module(ctx, args.named_child(0)?);
            }
            if ctx.text(func) != "require" {
                return None;
            }
            let first = args.named_child(0)?;
            if first.kind() != "string" {
                return None;
            }
            Some(module_name(&string_value(ctx, first)))
        }
        "member_expression" => {
            let obj = value.child_by_field_name("object")?;
            let prop = value.child_by_field_name("property")?;
            required_module(ctx, obj).map(|m| format!("{m}.{}", ctx.text(prop)))
        }
        "await_expression" | "parenthesized_expression" => {
            required_module(ctx, value.named_child(0)?)
        }
        _ => None,
    }
}

fn require_bindings(ctx: &Ctx<'_>, name: Node<'_>, value: Node<'_>) -> Option<Vec<ImportBinding>> {
    let module = required_module(ctx, value)?;
    let mut bindings = Vec::new();
    match name.kind() {
        "identifier" => bindings.push(binding(ctx.text(name), &module)),
        "object_pattern" => {
            let mut cursor = name.walk();
            let kids: Vec<Node<'_>> = name.named_children(&mut cursor).collect();
            for prop in kids {
                match prop.kind() {
                    "shorthand_property_identifier_pattern" => {
                        let n = ctx.text(prop);
                        bindings.push(binding(n, &format!("{module}.{n}")));
                    }
                    "pair_pattern" => {
                        if let (Some(k), Some(v)) = (
                            prop.child_by_field_name("key"),
                            prop.child_by_field_name("value"),
                        ) && v.kind() == "identifier"
                        {
                            bindings
                                .push(binding(ctx.text(v), &format!("{module}.{}", ctx.text(k))));
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => return None,
    }
    Some(bindings)
}

/// Assigns `value` to a binding pattern, one assignment per bound name.
fn destructure(ctx: &mut Ctx<'_>, target: Node<'_>, value: Expr, span: Span, out: &mut Vec<Stmt>) {
    match target.kind() {
        "object_pattern" => {
            let mut cursor = target.walk();
            let kids: Vec<Node<'_>> = target.named_children(&mut cursor).collect();
            for prop in kids {
                match prop.kind() {
                    "shorthand_property_identifier_pattern" => {
                        let n: Arc<str> = Arc::from(ctx.text(prop));
                        let access =
                            Expr::new(ExprKind::Attr(Box::new(value.clone()), n.clone()), span);
                        out.push(Stmt::new(
                            StmtKind::Assign(ctx.name(&n, ctx.span(prop)), access),
                            span,
                        ));
                    }
                    "pair_pattern" => {
                        let (Some(k), Some(v)) = (
                            prop.child_by_field_name("key"),
                            prop.child_by_field_name("value"),
                        ) else {
                            continue;
                        };
                        let key = property_key(ctx, k);
                        destructure(ctx, v, key_access(value.clone(), key, span), span, out);
                    }
                    "object_assignment_pattern" => {
                        let (Some(l), Some(r)) = (
                            prop.child_by_field_name("left"),
                            prop.child_by_field_name("right"),
                        ) else {
                            continue;
                        };
                        let n: Arc<str> = Arc::from(ctx.text(l));
                        let access =
                            Expr::new(ExprKind::Attr(Box::new(value.clone()), n.clone()), span);
                        let default = lower_expr(ctx, r);
                        let joined = Expr::opaque(vec![access, default], span);
                        destructure(ctx, l, joined, span, out);
                    }
                    "rest_pattern" => {
                        if let Some(inner) = prop.named_child(0) {
                            destructure(ctx, inner, value.clone(), span, out);
                        }
                    }
                    _ => {}
                }
            }
        }
        "array_pattern" => {
            let mut cursor = target.walk();
            let kids: Vec<Node<'_>> = target.named_children(&mut cursor).collect();
            for (i, element) in kids.into_iter().enumerate() {
                if element.kind() == "rest_pattern" {
                    if let Some(inner) = element.named_child(0) {
                        destructure(ctx, inner, value.clone(), span, out);
                    }
                    continue;
                }
                let index = Expr::new(ExprKind::Lit(Lit::Num(i as f64)), span);
                let access = Expr::new(
                    ExprKind::Index(Box::new(value.clone()), Box::new(index)),
                    span,
                );
                destructure(ctx, element, access, span, out);
            }
        }
        "assignment_pattern" => {
            let (Some(l), Some(r)) = (
                target.child_by_field_name("left"),
                target.child_by_field_name("right"),
            ) else {
                return;
            };
            let default = lower_expr(ctx, r);
            destructure(ctx, l, Expr::opaque(vec![value, default], span), span, out);
        }
        _ => {
            let t = lower_expr(ctx, target);
            out.push(Stmt::new(StmtKind::Assign(t, value), span));
        }
    }
}

enum Key {
    Named(Arc<str>),
    Computed(Expr),
}

fn property_key(ctx: &mut Ctx<'_>, key: Node<'_>) -> Key {
    match key.kind() {
        "property_identifier" | "private_property_identifier" => {
            Key::Named(Arc::from(ctx.text(key)))
        }
        "string" => Key::Named(Arc::from(string_value(ctx, key))),
        "number" => Key::Named(Arc::from(ctx.text(key))),
        "computed_property_name" => match key.named_child(0) {
            Some(inner) => Key::Computed(lower_expr(ctx, inner)),
            None => Key::Named(Arc::from("")),
        },
        _ => Key::Named(Arc::from(ctx.text(key))),
    }
}

fn key_access(value: Expr, key: Key, span: Span) -> Expr {
    match key {
        Key::Named(n) => Expr::new(ExprKind::Attr(Box::new(value), n), span),
        Key::Computed(e) => Expr::new(ExprKind::Index(Box::new(value), Box::new(e)), span),
    }
}

fn key_expr(key: Key, span: Span) -> Expr {
    match key {
        Key::Named(n) => Expr::new(ExprKind::Lit(Lit::Str(n)), span),
        Key::Computed(e) => e,
    }
}

fn lower_expression_statement(ctx: &mut Ctx<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
    let span = ctx.span(node);
    match node.kind() {
        "assignment_expression" => {
            let (Some(left), Some(right)) = (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
            ) else {
                return;
            };
            let value = lower_expr(ctx, right);
            destructure(ctx, left, value, span, out);
        }
        "augmented_assignment_expression" => {
            let e = lower_expr(ctx, node);
            if let ExprKind::Assign(t, v) = e.kind {
                out.push(Stmt::new(StmtKind::Assign(*t, *v), span));
            }
        }
        "sequence_expression" => {
            let mut cursor = node.walk();
            let kids: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
            for k in kids {
                lower_expression_statement(ctx, k, out);
            }
        }
        _ => {
            let e = lower_expr(ctx, node);
            out.push(Stmt::new(StmtKind::Expr(e), span));
        }
    }
}

fn lower_function(ctx: &mut Ctx<'_>, node: Node<'_>) -> Arc<FuncDef> {
    let span = ctx.span(node);
    let name = node
        .child_by_field_name("name")
        .map(|n| Arc::from(ctx.text(n)));
    let mut params = Vec::new();
    let mut prologue = Vec::new();
    if let Some(p) = node.child_by_field_name("parameters") {
        lower_params(ctx, p, &mut params, &mut prologue);
    } else if let Some(p) = node.child_by_field_name("parameter") {
        params.push(Param {
            name: Arc::from(ctx.text(p)),
            default: None,
            annotation: None,
            variadic: false,
            keywords: false,
            decorators: Vec::new(),
        });
    }
    let mut body = prologue;
    match node.child_by_field_name("body") {
        Some(b) if b.kind() == "statement_block" => body.extend(lower_block(ctx, b)),
        Some(b) => {
            let e = lower_expr(ctx, b);
            body.push(Stmt::new(StmtKind::Return(Some(e)), ctx.span(b)));
        }
        None => {}
    }
    Arc::new(FuncDef {
        name,
        params,
        body,
        decorators: Vec::new(),
        span,
    })
}

fn lower_params(
    ctx: &mut Ctx<'_>,
    node: Node<'_>,
    params: &mut Vec<Param>,
    prologue: &mut Vec<Stmt>,
) {
    let mut cursor = node.walk();
    let kids: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
    for p in kids {
        let (pattern, annotation, default) = match p.kind() {
            "required_parameter" | "optional_parameter" => (
                p.child_by_field_name("pattern"),
                p.child_by_field_name("type")
                    .map(|t| Arc::from(ctx.text(t).trim_start_matches(':').trim())),
                p.child_by_field_name("value"),
            ),
            "assignment_pattern" => (
                p.child_by_field_name("left"),
                None,
                p.child_by_field_name("right"),
            ),
            "comment" => continue,
            _ => (Some(p), None, None),
        };
        let Some(pattern) = pattern else { continue };
        let default = default.map(|d| lower_expr(ctx, d));
        let (name, variadic) = match pattern.kind() {
            "identifier" => (Arc::from(ctx.text(pattern)), false),
            "rest_pattern" => (
                Arc::from(pattern.named_child(0).map(|n| ctx.text(n)).unwrap_or("")),
                true,
            ),
            "this" => continue,
            _ => {
                // A destructured parameter: bind a synthetic name, destructure it first thing.
                let synthetic: Arc<str> = Arc::from(format!("__param{}", params.len()));
                let span = ctx.span(pattern);
                let value = Expr::new(ExprKind::Name(synthetic.clone()), span);
                destructure(ctx, pattern, value, span, prologue);
                (synthetic, false)
            }
        };
        // `@Query("q") q: string`: the decorators' names.
        let mut cursor = p.walk();
        let decorators = p
            .named_children(&mut cursor)
            .filter(|d| d.kind() == "decorator")
            .filter_map(|d| {
                let inner = d.named_child(0)?;
                let callee = match inner.kind() {
                    "call_expression" => inner.child_by_field_name("function")?,
                    _ => inner,
                };
                let text = ctx.text(callee);
                Some(Arc::from(text.rsplit('.').next().unwrap_or(text)))
            })
            .collect();
        params.push(Param {
            name,
            default,
            annotation,
            variadic,
            keywords: false,
            decorators,
        });
    }
}

fn string_value(ctx: &Ctx<'_>, node: Node<'_>) -> String {
    let mut out = String::new();
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        match child.kind() {
            "string_fragment" => out.push_str(ctx.text(child)),
            "escape_sequence" => out.push_str(&unescape(ctx.text(child))),
            _ => {}
        }
    }
    out
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

fn lower_args(ctx: &mut Ctx<'_>, node: Node<'_>) -> Vec<Arg> {
    let mut args = Vec::new();
    let mut cursor = node.walk();
    let kids: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
    for a in kids {
        match a.kind() {
            "comment" => {}
            "spread_element" => {
                if let Some(inner) = a.named_child(0) {
                    args.push(Arg {
                        name: None,
                        value: lower_expr(ctx, inner),
                        spread: true,
                    });
                }
            }
            _ => args.push(Arg {
                name: None,
                value: lower_expr(ctx, a),
                spread: false,
            }),
        }
    }
    args
}

fn lower_jsx(ctx: &mut Ctx<'_>, node: Node<'_>) -> ExprKind {
    let span = ctx.span(node);
    let open = if node.kind() == "jsx_element" {
        node.child_by_field_name("open_tag")
    } else {
        Some(node)
    };
    let Some(open) = open else {
        return ExprKind::Opaque(children_exprs(ctx, node));
    };
    let func = match open.child_by_field_name("name") {
        Some(n) if n.kind() == "identifier" => ctx.name(ctx.text(n), ctx.span(n)),
        Some(n) => lower_expr(ctx, n),
        // A fragment `<>…</>`.
        None => Expr::new(ExprKind::Name(Arc::from("Fragment")), span),
    };
    let mut args = Vec::new();
    let mut cursor = open.walk();
    let attrs: Vec<Node<'_>> = open
        .children_by_field_name("attribute", &mut cursor)
        .collect();
    for attr in attrs {
        if attr.kind() == "jsx_attribute" {
            let Some(name) = attr.named_child(0) else {
                continue;
            };
            let value = match attr.named_child(1) {
                Some(v) if v.kind() == "string" => Expr::new(
                    ExprKind::Lit(Lit::Str(Arc::from(string_value(ctx, v)))),
                    span,
                ),
                Some(v) => lower_expr(ctx, v),
                None => Expr::new(ExprKind::Lit(Lit::Bool(true)), span),
            };
            args.push(Arg {
                name: Some(Arc::from(ctx.text(name))),
                value,
                spread: false,
            });
        } else if let Some(inner) = attr.named_child(0) {
            // `{...props}`
            args.push(Arg {
                name: None,
                value: lower_expr(ctx, inner),
                spread: true,
            });
        }
    }
    if node.kind() == "jsx_element" {
        let mut cursor = node.walk();
        let kids: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
        for child in kids {
            match child.kind() {
                "jsx_expression" | "jsx_element" | "jsx_self_closing_element" => args.push(Arg {
                    name: None,
                    value: lower_expr(ctx, child),
                    spread: false,
                }),
                _ => {}
            }
        }
    }
    ExprKind::Call {
        func: Box::new(func),
        args,
    }
}

fn lower_expr_inner(ctx: &mut Ctx<'_>, node: Node<'_>) -> Expr {
    let span = ctx.span(node);
    let kind = match node.kind() {
        "identifier"
        | "property_identifier"
        | "shorthand_property_identifier"
        | "private_property_identifier"
        | "type_identifier" => {
            return ctx.name(ctx.text(node), span);
        }
        "this" | "super" => ExprKind::Name(Arc::from(ctx.text(node))),
        "member_expression" => {
            let (Some(obj), Some(prop)) = (
                node.child_by_field_name("object"),
                node.child_by_field_name("property"),
            ) else {
                return Expr::opaque(children_exprs(ctx, node), span);
            };
            let obj = lower_expr(ctx, obj);
            ExprKind::Attr(Box::new(obj), Arc::from(ctx.text(prop)))
        }
        "subscript_expression" => {
            let (Some(obj), Some(index)) = (
                node.child_by_field_name("object"),
                node.child_by_field_name("index"),
            ) else {
                return Expr::opaque(children_exprs(ctx, node), span);
            };
            let obj = lower_expr(ctx, obj);
            let index = lower_expr(ctx, index);
            // `o["name"]` is `o.name` in JavaScript: one form for patterns and fields.
            match &index.kind {
                ExprKind::Lit(Lit::Str(s)) if is_identifier(s) => {
                    ExprKind::Attr(Box::new(obj), s.clone())
                }
                _ => ExprKind::Index(Box::new(obj), Box::new(index)),
            }
        }
        "call_expression" => {
            let Some(func) = node.child_by_field_name("function") else {
                return Expr::opaque(children_exprs(ctx, node), span);
            };
            // `require("child_process").execSync(…)`: the module by its name, as a binding
            // of it would be.
            if ctx.text(func) == "require"
                && let Some(m) = required_module(ctx, node)
            {
                return Expr::new(ExprKind::Name(Arc::from(m)), span);
            }
            let func = lower_expr(ctx, func);
            let args = match node.child_by_field_name("arguments") {
                Some(a) if a.kind() == "arguments" => lower_args(ctx, a),
                Some(a) => vec![Arg {
                    name: None,
                    value: lower_expr(ctx, a),
                    spread: false,
                }],
                None => Vec::new(),
            };
            ExprKind::Call {
                func: Box::new(func),
                args,
            }
        }
        "new_expression" => {
            let Some(ctor) = node.child_by_field_name("constructor") else {
                return Expr::opaque(children_exprs(ctx, node), span);
            };
            let func = lower_expr(ctx, ctor);
            let args = node
                .child_by_field_name("arguments")
                .map(|a| lower_args(ctx, a))
                .unwrap_or_default();
            ExprKind::Call {
                func: Box::new(func),
                args,
            }
        }
        "string" => ExprKind::Lit(Lit::Str(Arc::from(string_value(ctx, node)))),
        "template_string" => {
            let mut parts = Vec::new();
            let mut literal = String::new();
            let mut interpolated = false;
            let mut cursor = node.walk();
            let kids: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
            for child in kids {
                match child.kind() {
                    "string_fragment" => literal.push_str(ctx.text(child)),
                    "escape_sequence" => literal.push_str(&unescape(ctx.text(child))),
                    "template_substitution" => {
                        interpolated = true;
                        if !literal.is_empty() {
                            parts.push(Expr::new(
                                ExprKind::Lit(Lit::Str(Arc::from(std::mem::take(&mut literal)))),
                                span,
                            ));
                        }
                        if let Some(e) = child.named_child(0) {
                            parts.push(lower_expr(ctx, e));
                        }
                    }
                    _ => {}
                }
            }
            if !interpolated {
                ExprKind::Lit(Lit::Str(Arc::from(literal)))
            } else {
                if !literal.is_empty() {
                    parts.push(Expr::new(ExprKind::Lit(Lit::Str(Arc::from(literal))), span));
                }
                ExprKind::Format(parts)
            }
        }
        "regex" => ExprKind::Lit(Lit::Str(Arc::from(
            node.child_by_field_name("pattern")
                .map(|p| ctx.text(p))
                .unwrap_or(""),
        ))),
        "number" => match parse_number(ctx.text(node)) {
            Some(n) => ExprKind::Lit(Lit::Num(n)),
            None => ExprKind::Opaque(vec![]),
        },
        "true" => ExprKind::Lit(Lit::Bool(true)),
        "false" => ExprKind::Lit(Lit::Bool(false)),
        "null" | "undefined" => ExprKind::Lit(Lit::Null),
        "binary_expression" => {
            let (Some(l), Some(r)) = (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
            ) else {
                return Expr::opaque(children_exprs(ctx, node), span);
            };
            let op = node
                .child_by_field_name("operator")
                .map(|o| binop(ctx.text(o)))
                .unwrap_or(crate::ir::BinOp::Other);
            ExprKind::Binary(
                op,
                Box::new(lower_expr(ctx, l)),
                Box::new(lower_expr(ctx, r)),
            )
        }
        "unary_expression" => {
            let op = match node.child_by_field_name("operator").map(|o| ctx.text(o)) {
                Some("!") => UnOp::Not,
                Some("-") => UnOp::Neg,
                Some("+") => UnOp::Pos,
                _ => UnOp::Other,
            };
            match node.child_by_field_name("argument") {
                Some(a) => ExprKind::Unary(op, Box::new(lower_expr(ctx, a))),
                None => ExprKind::Opaque(vec![]),
            }
        }
        "parenthesized_expression"
        | "as_expression"
        | "non_null_expression"
        | "satisfies_expression"
        | "type_assertion"
        | "await_expression"
        | "jsx_expression" => {
            let mut cursor = node.walk();
            let first = node
                .named_children(&mut cursor)
                .find(|c| c.kind() != "comment" && !c.kind().ends_with("type"));
            return match first {
                Some(inner) => lower_expr(ctx, inner),
                None => Expr::opaque(vec![], span),
            };
        }
        "array" => ExprKind::List(children_exprs(ctx, node)),
        "object" => {
            let mut entries = Vec::new();
            let mut cursor = node.walk();
            let kids: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
            for child in kids {
                let cspan = ctx.span(child);
                match child.kind() {
                    "pair" => {
                        let (Some(k), Some(v)) = (
                            child.child_by_field_name("key"),
                            child.child_by_field_name("value"),
                        ) else {
                            continue;
                        };
                        let key = property_key(ctx, k);
                        let v = lower_expr(ctx, v);
                        entries.push((Some(key_expr(key, cspan)), v));
                    }
                    "shorthand_property_identifier" => {
                        let n = ctx.text(child);
                        let value = ctx.name(n, cspan);
                        if matches!(value.kind, ExprKind::Ellipsis) {
                            entries.push((Some(value.clone()), value));
                        } else {
                            entries.push((
                                Some(Expr::new(ExprKind::Lit(Lit::Str(Arc::from(n))), cspan)),
                                value,
                            ));
                        }
                    }
                    "spread_element" => {
                        if let Some(inner) = child.named_child(0) {
                            let v = lower_expr(ctx, inner);
                            entries.push((None, v));
                        }
                    }
                    "method_definition" => {
                        let key = child
                            .child_by_field_name("name")
                            .map(|k| property_key(ctx, k))
                            .unwrap_or(Key::Named(Arc::from("")));
                        let f = lower_function(ctx, child);
                        entries.push((
                            Some(key_expr(key, cspan)),
                            Expr::new(ExprKind::Func(f), cspan),
                        ));
                    }
                    _ => {}
                }
            }
            ExprKind::Dict(entries)
        }
        "ternary_expression" => {
            let (Some(c), Some(a), Some(b)) = (
                node.child_by_field_name("condition"),
                node.child_by_field_name("consequence"),
                node.child_by_field_name("alternative"),
            ) else {
                return Expr::opaque(children_exprs(ctx, node), span);
            };
            ExprKind::Cond(
                Box::new(lower_expr(ctx, c)),
                Box::new(lower_expr(ctx, a)),
                Box::new(lower_expr(ctx, b)),
            )
        }
        "arrow_function" | "function_expression" | "function" | "generator_function" => {
            ExprKind::Func(lower_function(ctx, node))
        }
        "assignment_expression" => {
            let (Some(l), Some(r)) = (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
            ) else {
                return Expr::opaque(children_exprs(ctx, node), span);
            };
            ExprKind::Assign(Box::new(lower_expr(ctx, l)), Box::new(lower_expr(ctx, r)))
        }
        "augmented_assignment_expression" => {
            let (Some(l), Some(r)) = (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
            ) else {
                return Expr::opaque(children_exprs(ctx, node), span);
            };
            let op = node
                .child_by_field_name("operator")
                .map(|o| binop(ctx.text(o).trim_end_matches('=')))
                .unwrap_or(crate::ir::BinOp::Other);
            let target = lower_expr(ctx, l);
            let value = Expr::new(
                ExprKind::Binary(op, Box::new(target.clone()), Box::new(lower_expr(ctx, r))),
                span,
            );
            ExprKind::Assign(Box::new(target), Box::new(value))
        }
        "jsx_element" | "jsx_self_closing_element" => lower_jsx(ctx, node),
        "jsx_text" | "comment" | "html_character_reference" => ExprKind::Opaque(vec![]),
        _ => ExprKind::Opaque(children_exprs(ctx, node)),
    };
    Expr::new(kind, span)
}

/// A string usable as a property name after a dot: `o["name"]` reads `o.name`.
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

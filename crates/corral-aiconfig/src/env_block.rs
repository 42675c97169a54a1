//! An `env` block: environment variables that assistant configuration sets.
//!
//! Claude Code's `env`, each MCP server's `env` and aider's `set-env` all hand variables to
//! the assistant or the tools it starts. Each variable gets two checks: does setting it
//! redirect the assistant or inject code ([`crate::env_override`]), and is its value a
//! literal credential ([`crate::inline_credentials`])?

use std::collections::BTreeMap;

use crate::catalogue::Evidence;
use crate::file_context::FileContext;

/// Checks one variable, located at `line_index`/`column`; `owner` says whose environment it
/// is, for messages ("Claude Code settings", "MCP server `github`").
pub fn check_var(
    ctx: &mut FileContext<'_>,
    line_index: usize,
    column: u32,
    owner: &str,
    name: &str,
    value: &str,
) {
    if let Some(reason) = crate::env_override::risk(name) {
        let mut details = BTreeMap::new();
        details.insert("variable".into(), serde_json::Value::from(name));
        ctx.report(
            "ai-env-override",
            line_index,
            column,
            Evidence {
                message: format!("{owner} sets `{name}`, which {reason}"),
                key: name.to_string(),
                details,
                ..Evidence::default()
            },
        );
    }
    if let Some(secret) = crate::inline_credentials::in_key_value(name, value) {
        let what = format!("`{name}` in the environment of {owner}");
        crate::inline_credentials::report(ctx, line_index, column, &what, &secret);
    }
}

/// Checks every string variable of a JSON `env` object reached through `anchors`.
pub fn check_json(
    ctx: &mut FileContext<'_>,
    anchors: &[&str],
    owner: &str,
    env: &serde_json::Map<String, serde_json::Value>,
) {
    for (name, value) in env {
        let value = match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            _ => continue,
        };
        let mut keys = anchors.to_vec();
        keys.push(name);
        let (line_index, column) = crate::jsonc::locate(ctx.text, &keys);
        check_var(ctx, line_index, column, owner, name, &value);
    }
}

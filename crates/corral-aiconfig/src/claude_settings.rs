//! Claude Code's project settings and the tool grants of its custom commands and agents.
//!
//! `.claude/settings.json` (shared) and `.claude/settings.local.json` (personal, but often
//! committed by mistake) decide what the assistant may do without asking. The checks here
//! look for grants that remove the user from the loop (all of Bash, bypass mode, every
//! project MCP server), commands the settings run on their own (hooks and helpers), and
//! environment overrides. The `Read` deny rules are recorded for the sensitive-file check,
//! which needs the whole tree before it can decide.

use serde_json::Value;

use crate::assistant_file::CLAUDE_CODE;
use crate::catalogue::Evidence;
use crate::file_context::FileContext;

/// Keys whose string values Claude Code runs as shell commands.
const COMMAND_KEYS: &[&str] = &[
    "command",
    "apiKeyHelper",
    "awsAuthRefresh",
    "awsCredentialExport",
    "otelHeadersHelper",
];

/// Whether a permission rule allows every shell command.
pub fn is_unrestricted_bash(rule: &str) -> bool {
    let rule = rule.trim();
    if rule == "Bash" {
        return true;
    }
    rule.strip_prefix("Bash(")
        .and_then(|r| r.strip_suffix(')'))
        .is_some_and(|inner| inner.chars().all(|c| matches!(c, '*' | ':' | ' ')))
}

/// Checks a parsed settings file.
pub fn check(ctx: &mut FileContext<'_>, root: &Value) {
    let permissions = root.get("permissions");
    let allow = permissions
        .and_then(|p| p.get("allow"))
        .and_then(Value::as_array);
    for rule in allow.into_iter().flatten().filter_map(Value::as_str) {
        if is_unrestricted_bash(rule) {
            let (line_index, column) =
                crate::jsonc::locate(ctx.text, &["permissions", "allow", rule]);
            ctx.report(
                "ai-claude-unrestricted-shell",
                line_index,
                column,
                Evidence {
                    message: format!(
                        "`{rule}` in `permissions.allow` lets the assistant run any shell command without asking"
                    ),
                    key: rule.to_string(),
                    ..Evidence::default()
                },
            );
        }
    }

    let mode = permissions
        .and_then(|p| p.get("defaultMode"))
        .or_else(|| root.get("defaultMode"))
        .and_then(Value::as_str);
    if mode == Some("bypassPermissions") {
        let (line_index, column) = crate::jsonc::locate(ctx.text, &["defaultMode"]);
        ctx.report(
            "ai-claude-bypass-permissions",
            line_index,
            column,
            Evidence {
                message: "`defaultMode: bypassPermissions` runs every tool call without a permission prompt for everyone who opens this repository".into(),
                key: "defaultMode".into(),
                ..Evidence::default()
            },
        );
    }

    if root.get("enableAllProjectMcpServers") == Some(&Value::Bool(true)) {
        let (line_index, column) = crate::jsonc::locate(ctx.text, &["enableAllProjectMcpServers"]);
        ctx.report(
            "ai-claude-all-project-mcp",
            line_index,
            column,
            Evidence {
                message: "`enableAllProjectMcpServers: true` starts every server in .mcp.json without asking, including ones added later".into(),
                key: "enableAllProjectMcpServers".into(),
                ..Evidence::default()
            },
        );
    }

    let mut commands = Vec::new();
    collect_commands(root, &mut commands);
    for (key, command) in commands {
        if let Some(matched) = crate::download_exec::find(&command) {
            let (line_index, column) = crate::jsonc::locate(ctx.text, &[&command]);
            let (line_index, column) = if line_index == 0 && column == 1 {
                crate::jsonc::locate(ctx.text, &[key])
            } else {
                (line_index, column)
            };
            ctx.report(
                "ai-download-exec",
                line_index,
                column,
                Evidence {
                    message: format!(
                        "`{key}` runs automatically and downloads code to execute: `{matched}`"
                    ),
                    key: matched.to_string(),
                    ..Evidence::default()
                },
            );
        }
    }

    if let Some(env) = root.get("env").and_then(Value::as_object) {
        crate::env_block::check_json(ctx, &["env"], "Claude Code settings", env);
    }
    crate::mcp_servers::check(ctx, root);

    if ctx.file.commit.is_none() {
        let deny = permissions
            .and_then(|p| p.get("deny"))
            .and_then(Value::as_array);
        let patterns: Vec<String> = deny
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter_map(read_rule_pattern)
            .collect();
        let base = ctx
            .path()
            .rsplit_once(".claude/")
            .map(|(dir, _)| dir.trim_end_matches('/'))
            .unwrap_or("")
            .to_string();
        let note = crate::sensitive_files::ignore_note(ctx.path(), CLAUDE_CODE, &base, patterns);
        ctx.out.notes.push(note);
    }
}

/// Every (key, command) pair anywhere in the settings whose key runs a command.
fn collect_commands<'v>(value: &'v Value, out: &mut Vec<(&'v str, String)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if let (Some(k), Some(s)) = (COMMAND_KEYS.iter().find(|&&c| c == key), v.as_str()) {
                    out.push((k, s.to_string()));
                } else {
                    collect_commands(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_commands(v, out)),
        _ => {}
    }
}

/// Turns a `Read` deny rule into a gitignore pattern relative to the project root, or `None`
/// for rules about other tools or paths outside the repository (`//abs`, `~/…`).
pub fn read_rule_pattern(rule: &str) -> Option<String> {
    let rule = rule.trim();
    if rule == "Read" {
        return Some("*".into());
    }
    let inner = rule.strip_prefix("Read(")?.strip_suffix(')')?.trim();
    if inner.starts_with("//") || inner.starts_with('~') || inner.is_empty() {
        return None;
    }
    Some(match inner.strip_prefix("./") {
        Some(rooted) => format!("/{rooted}"),
        None => inner.to_string(),
    })
}

/// Checks the YAML front matter of a custom command or agent for an unrestricted Bash grant
/// (`allowed-tools: Bash` or `tools: Bash(*)`).
pub fn check_front_matter(ctx: &mut FileContext<'_>) {
    let mut lines = ctx.text.split('\n').enumerate();
    if lines.next().map(|(_, l)| l.trim_end()) != Some("---") {
        return;
    }
    let mut grants: Vec<(usize, String)> = Vec::new();
    let mut in_list = false;
    for (index, line) in lines {
        let trimmed = line.trim_end_matches('\r');
        if trimmed.trim_end() == "---" {
            break;
        }
        if let Some(item) = trimmed.trim_start().strip_prefix("- ") {
            if in_list {
                grants.push((index, item.trim().trim_matches(['"', '\'']).to_string()));
            }
            continue;
        }
        in_list = false;
        let Some((key, value)) = trimmed.split_once(':') else {
            continue;
        };
        if !matches!(key.trim(), "allowed-tools" | "tools") {
            continue;
        }
        let value = value.trim().trim_start_matches('[').trim_end_matches(']');
        if value.is_empty() {
            in_list = true;
        }
        grants.extend(
            split_outside_parens(value)
                .into_iter()
                .map(|g| (index, g.trim().trim_matches(['"', '\'']).to_string())),
        );
    }
    for (index, grant) in grants {
        if is_unrestricted_bash(&grant) {
            let column = ctx
                .text
                .split('\n')
                .nth(index)
                .and_then(|l| l.find(&grant))
                .unwrap_or(0);
            let message = format!(
                "`{grant}` in the front matter lets this command run any shell command without asking"
            );
            ctx.report(
                "ai-claude-unrestricted-shell",
                index,
                column as u32 + 1,
                Evidence {
                    message,
                    key: grant,
                    ..Evidence::default()
                },
            );
        }
    }
}

fn split_outside_parens(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_grants_of_every_command_count_as_unrestricted() {
        for rule in ["Bash", "Bash(*)", "Bash(:*)", "Bash(*:*)", " Bash( * ) "] {
            assert!(is_unrestricted_bash(rule), "{rule}");
        }
        for rule in [
            "Bash(npm run test:*)",
            "Bash(git status)",
            "Read",
            "BashOutput",
        ] {
            assert!(!is_unrestricted_bash(rule), "{rule}");
        }
    }

    #[test]
    fn read_deny_rules_become_gitignore_patterns_rooted_at_the_project() {
        assert_eq!(read_rule_pattern("Read(./.env)").as_deref(), Some("/.env"));
        assert_eq!(
            read_rule_pattern("Read(**/*.pem)").as_deref(),
            Some("**/*.pem")
        );
        assert_eq!(read_rule_pattern("Read").as_deref(), Some("*"));
        assert_eq!(read_rule_pattern("Read(~/.ssh/**)"), None);
        assert_eq!(read_rule_pattern("Edit(./.env)"), None);
    }

    #[test]
    fn tool_lists_split_on_commas_outside_parentheses() {
        assert_eq!(
            split_outside_parens("Read, Bash(git add:*, x), Grep"),
            vec!["Read", " Bash(git add:*, x)", " Grep"]
        );
    }
}

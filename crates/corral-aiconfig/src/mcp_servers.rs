//! MCP server definitions: what an assistant starts or connects to on the user's behalf.
//!
//! `.mcp.json`, `.cursor/mcp.json`, `.vscode/mcp.json` and friends list servers under
//! `mcpServers` (or `servers` for VS Code). A local server is a command line; a remote one is
//! a URL with optional headers. Both run with the developer's credentials, so the checks are
//! about *what code runs* (packages fetched at their newest version, downloads piped into
//! shells), *how it is reached* (plain HTTP to another machine) and *what is written down*
//! (literal tokens).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::catalogue::Evidence;
use crate::file_context::FileContext;

/// Checks every server in a parsed MCP configuration.
pub fn check(ctx: &mut FileContext<'_>, root: &Value) {
    for container in ["mcpServers", "servers"] {
        let Some(servers) = root.get(container).and_then(Value::as_object) else {
            continue;
        };
        for (name, server) in servers {
            if let Some(server) = server.as_object() {
                check_server(ctx, container, name, server);
            }
        }
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn check_server(
    ctx: &mut FileContext<'_>,
    container: &str,
    name: &str,
    server: &serde_json::Map<String, Value>,
) {
    let owner = format!("MCP server `{name}`");
    let command = server.get("command").and_then(Value::as_str);
    let args = strings(server.get("args"));
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();

    if let Some(command) = command {
        let (line_index, column) = crate::jsonc::locate(ctx.text, &[container, name, "command"]);
        if let Some(package) = unpinned_package(command, &arg_refs) {
            let mut details = BTreeMap::new();
            details.insert("server".into(), Value::from(name));
            details.insert("package".into(), Value::from(package.clone()));
            ctx.report(
                "ai-mcp-unpinned-package",
                line_index,
                column,
                Evidence {
                    message: format!(
                        "{owner} runs `{package}` through `{command}` without an exact version, so every start downloads whatever release is newest"
                    ),
                    key: format!("{name}\0{package}"),
                    details,
                    ..Evidence::default()
                },
            );
        }
        let command_line = std::iter::once(command)
            .chain(arg_refs.iter().copied())
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(matched) = crate::download_exec::find(&command_line) {
            ctx.report(
                "ai-download-exec",
                line_index,
                column,
                Evidence {
                    message: format!("{owner} downloads code and runs it: `{matched}`"),
                    key: format!("{name}\0{matched}"),
                    ..Evidence::default()
                },
            );
        }
        for (index, secret) in crate::inline_credentials::in_args(&arg_refs) {
            let (line_index, column) =
                crate::jsonc::locate(ctx.text, &[container, name, "args", &args[index]]);
            let what = format!("Argument {} of {owner}", index + 1);
            crate::inline_credentials::report(ctx, line_index, column, &what, &secret);
        }
    }

    for key in ["url", "serverUrl", "httpUrl"] {
        let Some(url) = server.get(key).and_then(Value::as_str) else {
            continue;
        };
        let (line_index, column) = crate::jsonc::locate(ctx.text, &[container, name, key]);
        if let Some(host) = plain_http_host(url) {
            ctx.report(
                "ai-mcp-plain-http",
                line_index,
                column,
                Evidence {
                    message: format!(
                        "{owner} is reached over unencrypted HTTP at `{host}`; tool calls, file contents and tokens cross the network in clear"
                    ),
                    key: format!("{name}\0{host}"),
                    ..Evidence::default()
                },
            );
        }
        if let Some(secret) = crate::inline_credentials::in_url(url) {
            let what = format!("The URL of {owner}");
            crate::inline_credentials::report(ctx, line_index, column, &what, &secret);
        }
    }

    if let Some(env) = server.get("env").and_then(Value::as_object) {
        crate::env_block::check_json(ctx, &[container, name, "env"], &owner, env);
    }
    if let Some(headers) = server.get("headers").and_then(Value::as_object) {
        for (header, value) in headers {
            let Some(value) = value.as_str() else {
                continue;
            };
            if let Some(secret) = crate::inline_credentials::in_key_value(header, value) {
                let (line_index, column) =
                    crate::jsonc::locate(ctx.text, &[container, name, "headers", header]);
                let what = format!("Header `{header}` of {owner}");
                crate::inline_credentials::report(ctx, line_index, column, &what, &secret);
            }
        }
    }
}

/// The host of an `http://` URL that is not the local machine.
pub fn plain_http_host(url: &str) -> Option<String> {
    let rest = url.trim().strip_prefix("http://").or_else(|| {
        let lower = url.trim().to_ascii_lowercase();
        lower.starts_with("http://").then(|| &url.trim()[7..])
    })?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(bracketed) = host_port.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    }
    .to_ascii_lowercase();
    let loopback = host == "localhost"
        || host.ends_with(".localhost")
        || host.starts_with("127.")
        || host == "::1"
        || host == "0:0:0:0:0:0:0:1"
        || host == "0.0.0.0";
    (!loopback && !host.is_empty()).then_some(host)
}

/// Strips a directory and a Windows extension from a command: `/usr/bin/npx.cmd` → `npx`.
fn program(command: &str) -> String {
    let base = command.rsplit(['/', '\\']).next().unwrap_or(command);
    let lower = base.to_ascii_lowercase();
    for ext in [".cmd", ".exe", ".bat", ".ps1"] {
        if let Some(stem) = lower.strip_suffix(ext) {
            return stem.to_string();
        }
    }
    lower
}

/// Flags of package runners that take a value (so the value is not the package).
const VALUE_FLAGS: &[&str] = &[
    "--registry",
    "--cache",
    "--userconfig",
    "--python",
    "-p",
    "--with",
    "--index",
    "--index-url",
    "--extra-index-url",
    "--default-index",
    "--directory",
    "--project",
    "--env-file",
    "--pip-args",
    "--python-preference",
];

/// The package a runner command fetches without an exact version, if it does.
pub fn unpinned_package(command: &str, args: &[&str]) -> Option<String> {
    let program = program(command);
    match (program.as_str(), args) {
        ("cmd", [flag, rest @ ..]) if flag.eq_ignore_ascii_case("/c") => {
            let (inner, inner_args) = rest.split_first()?;
            unpinned_package(inner, inner_args)
        }
        ("npx" | "bunx" | "pnpx", _) => npm_runner(args),
        ("npm", [sub, rest @ ..]) if *sub == "exec" || *sub == "x" => npm_runner(rest),
        ("pnpm" | "yarn", [sub, rest @ ..]) if *sub == "dlx" => npm_runner(rest),
        ("bun", [sub, rest @ ..]) if *sub == "x" => npm_runner(rest),
        ("uvx", _) => python_runner(args, "--from"),
        ("uv", [tool, run, rest @ ..]) if *tool == "tool" && *run == "run" => {
            python_runner(rest, "--from")
        }
        ("pipx", [run, rest @ ..]) if *run == "run" => python_runner(rest, "--spec"),
        _ => None,
    }
}

/// The first positional argument, or the value of `package_flag`.
fn package_arg<'a>(args: &[&'a str], package_flags: &[&str]) -> Option<&'a str> {
    let mut i = 0;
    while i < args.len() {
        let arg = args[i];
        if let Some((flag, value)) = arg.split_once('=') {
            if package_flags.contains(&flag) {
                return Some(value);
            }
            i += 1;
            continue;
        }
        if package_flags.contains(&arg) {
            return args.get(i + 1).copied();
        }
        if arg == "--" {
            return args.get(i + 1).copied();
        }
        if arg.starts_with('-') {
            i += if VALUE_FLAGS.contains(&arg) { 2 } else { 1 };
            continue;
        }
        return Some(arg);
    }
    None
}

fn is_exact_version(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

fn npm_runner(args: &[&str]) -> Option<String> {
    let spec = package_arg(args, &["--package", "-p"])?;
    if spec.starts_with(['.', '/', '~']) || spec.contains(':') {
        return None; // local paths and git/file/URL specs are not registry packages
    }
    let version = if let Some(scoped) = spec.strip_prefix('@') {
        scoped.split_once('@').map(|(_, v)| v)
    } else {
        spec.split_once('@').map(|(_, v)| v)
    };
    match version {
        Some(v) if is_exact_version(v) => None,
        _ => Some(spec.to_string()),
    }
}

fn python_runner(args: &[&str], spec_flag: &str) -> Option<String> {
    let spec = package_arg(args, &[spec_flag])?;
    if spec.starts_with(['.', '/', '~']) || spec.contains("://") || spec.starts_with("git+") {
        return None;
    }
    let pinned = spec
        .split_once("==")
        .map(|(_, v)| v)
        .or_else(|| spec.split_once('@').map(|(_, v)| v.trim()))
        .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()));
    (!pinned).then(|| spec.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_runners_need_an_exact_version() {
        assert_eq!(
            unpinned_package("npx", &["-y", "@acme/server"]).as_deref(),
            Some("@acme/server")
        );
        assert_eq!(
            unpinned_package("npx", &["-y", "server@latest"]).as_deref(),
            Some("server@latest")
        );
        assert_eq!(
            unpinned_package("npx", &["server@^1.2.0"]).as_deref(),
            Some("server@^1.2.0")
        );
        assert_eq!(unpinned_package("npx", &["-y", "@acme/server@1.4.2"]), None);
        assert_eq!(
            unpinned_package("pnpm", &["dlx", "server@2.0.0-rc.1"]),
            None
        );
        assert_eq!(
            unpinned_package("cmd", &["/c", "npx", "-y", "server"]).as_deref(),
            Some("server")
        );
        assert_eq!(unpinned_package("npx", &["./local/server.js"]), None);
        assert_eq!(unpinned_package("node", &["server.js"]), None);
    }

    #[test]
    fn python_runners_need_a_double_equals_or_at_version() {
        assert_eq!(
            unpinned_package("uvx", &["mcp-search"]).as_deref(),
            Some("mcp-search")
        );
        assert_eq!(unpinned_package("uvx", &["mcp-search==0.3.1"]), None);
        assert_eq!(unpinned_package("uvx", &["mcp-search@0.3.1"]), None);
        assert_eq!(
            unpinned_package("uvx", &["mcp-search@latest"]).as_deref(),
            Some("mcp-search@latest")
        );
        assert_eq!(
            unpinned_package("uvx", &["--python", "3.12", "--from", "pkg>=1", "cmd"]).as_deref(),
            Some("pkg>=1")
        );
        assert_eq!(
            unpinned_package("pipx", &["run", "--spec", "pkg==1.0", "cmd"]),
            None
        );
    }

    #[test]
    fn only_plain_http_to_other_machines_is_reported() {
        assert_eq!(
            plain_http_host("http://mcp.corp.example.com/sse").as_deref(),
            Some("mcp.corp.example.com")
        );
        assert_eq!(
            plain_http_host("HTTP://10.0.0.5:8080").as_deref(),
            Some("10.0.0.5")
        );
        assert_eq!(plain_http_host("https://mcp.example.com"), None);
        assert_eq!(plain_http_host("http://localhost:3000/mcp"), None);
        assert_eq!(plain_http_host("http://127.0.0.1:3000"), None);
        assert_eq!(plain_http_host("http://[::1]:3000/mcp"), None);
    }
}

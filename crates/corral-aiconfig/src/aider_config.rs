//! aider's `.aider.conf.yml`.
//!
//! aider reads its command-line options from this YAML file, including API keys
//! (`openai-api-key`, `anthropic-api-key`, `api-key: [provider=key]`), extra environment
//! variables (`set-env: [NAME=value]`) and the model endpoint (`openai-api-base`). Keys in a
//! committed file are leaked keys; an endpoint in it sends everyone's code to that server.

use serde_yaml_ng::Value;

use crate::file_context::FileContext;

/// Options that name the model endpoint, and the variable each one sets.
const ENDPOINT_OPTIONS: &[(&str, &str)] = &[
    ("openai-api-base", "OPENAI_API_BASE"),
    ("anthropic-api-base", "ANTHROPIC_BASE_URL"),
];

/// The first line whose text contains `needle`, after the line that starts with `key:`.
fn locate(text: &str, key: &str, needle: &str) -> (usize, u32) {
    let lines: Vec<&str> = text.split('\n').collect();
    let key_line = lines
        .iter()
        .position(|l| l.trim_start().starts_with(&format!("{key}:")))
        .unwrap_or(0);
    let found = lines
        .iter()
        .enumerate()
        .skip(key_line)
        .find(|(_, l)| l.contains(needle))
        .map(|(i, l)| (i, l.find(needle).unwrap_or(0)));
    match found {
        Some((i, byte)) => (i, lines[i][..byte].chars().count() as u32 + 1),
        None => (key_line, 1),
    }
}

fn items(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Sequence(seq) => seq
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// Parses and checks the file; malformed YAML becomes a file error with its line.
pub fn check(ctx: &mut FileContext<'_>) {
    let root: Value = match serde_yaml_ng::from_str(ctx.text) {
        Ok(v) => v,
        Err(err) => {
            let line = err.location().map(|l| l.line() as u32);
            let message = format!(
                "not valid YAML: {}",
                err.to_string().split(" at line ").next().unwrap_or("")
            );
            ctx.error(line, message);
            return;
        }
    };
    let Some(map) = root.as_mapping() else {
        return;
    };
    for (key, value) in map {
        let Some(key) = key.as_str() else { continue };
        match key {
            "openai-api-key" | "anthropic-api-key" => {
                if let Some(v) = value.as_str()
                    && let Some(secret) = crate::inline_credentials::in_key_value(key, v)
                {
                    let (line, column) = locate(ctx.text, key, &secret);
                    let what = format!("`{key}`");
                    crate::inline_credentials::report(ctx, line, column, &what, &secret);
                }
            }
            "api-key" => {
                for item in items(value) {
                    let Some((provider, v)) = item.split_once('=') else {
                        continue;
                    };
                    if let Some(secret) = crate::inline_credentials::in_key_value("api-key", v) {
                        let (line, column) = locate(ctx.text, key, &secret);
                        let what = format!("`api-key` for {}", provider.trim());
                        crate::inline_credentials::report(ctx, line, column, &what, &secret);
                    }
                }
            }
            "set-env" => {
                for item in items(value) {
                    let Some((name, v)) = item.split_once('=') else {
                        continue;
                    };
                    let (line, column) = locate(ctx.text, key, name.trim());
                    crate::env_block::check_var(ctx, line, column, "aider", name.trim(), v);
                }
            }
            _ => {
                if let Some((_, variable)) = ENDPOINT_OPTIONS.iter().find(|(o, _)| *o == key) {
                    let (line, column) = locate(ctx.text, key, key);
                    let url = value.as_str().unwrap_or_default();
                    crate::env_block::check_var(ctx, line, column, "aider", variable, url);
                }
            }
        }
    }
}

//! Credentials written literally into assistant configuration.
//!
//! MCP server definitions and assistant settings pass tokens to tools through `env`,
//! `headers`, command-line flags and URLs. The safe forms reference the environment
//! (`${GITHUB_TOKEN}`, `${input:token}`, `$TOKEN`); a literal value is a committed secret.
//!
//! A value counts as a credential when its key (or flag, or header) names one and the value
//! looks like a real secret rather than a placeholder, or when the value has the documented
//! shape of a well-known token whatever its key. The raw value only lives long enough to be
//! turned into a [`corral_model::RedactedSecret`].

use std::sync::OnceLock;

use regex::Regex;

fn credential_key() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)(?:token|secret|passw(?:or)?d|passwd|pwd|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth|credential|bearer|session[_-]?id|cookie|\bpat\b|_pat$)")
            .expect("the credential-key pattern is valid")
    })
}

/// Documented prefixes and shapes of widely used tokens.
fn known_token() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}",
            r"|sk-ant-[A-Za-z0-9_-]{20,}|sk-(?:proj-)?[A-Za-z0-9_-]{32,}",
            r"|xox[abposr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|glpat-[A-Za-z0-9_-]{20,}",
            r"|npm_[A-Za-z0-9]{36}|AIza[0-9A-Za-z_-]{35}|pypi-[A-Za-z0-9_-]{50,})",
        ))
        .expect("the known-token pattern is valid")
    })
}

/// Whether `value` is a reference or an obvious stand-in rather than a secret.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    v.is_empty()
        || v.starts_with('$')
        || v.contains("${")
        || v.contains("{{")
        || v.starts_with('<')
        || (v.starts_with('%') && v.ends_with('%'))
        || v.chars()
            .all(|c| c == '*' || c == 'x' || c == 'X' || c == '.')
        || [
            "your",
            "my-",
            "my_",
            "changeme",
            "change-me",
            "replace",
            "todo",
            "example",
            "dummy",
            "placeholder",
            "redacted",
            "insert",
            "enter-",
            "xxx",
            "none",
            "null",
            "<",
            "here",
        ]
        .iter()
        .any(|p| lower.starts_with(p) || (p.len() > 4 && lower.contains(p)))
}

/// Whether `value` has the look of a secret: long enough, no spaces, some variety.
fn looks_secret(value: &str) -> bool {
    let v = value.trim();
    let has_digit = v.chars().any(|c| c.is_ascii_digit());
    let has_upper = v.chars().any(|c| c.is_ascii_uppercase());
    let has_lower = v.chars().any(|c| c.is_ascii_lowercase());
    v.chars().count() >= 8
        && !v.contains(char::is_whitespace)
        && (has_digit || (has_upper && has_lower) || v.len() >= 24)
        && !v.starts_with("http://")
        && !v.starts_with("https://")
}

/// The secret in `value`, if `key` names a credential and `value` is a literal one, or if
/// `value` holds a well-known token.
pub fn in_key_value(key: &str, value: &str) -> Option<String> {
    if let Some(m) = known_token().find(value) {
        return Some(m.as_str().to_string());
    }
    if is_placeholder(value) || !credential_key().is_match(key) {
        return None;
    }
    let value = value.trim();
    // `Authorization: Bearer <token>` and `Basic <b64>`: the secret is the last word.
    let secret = match value.split_once(' ') {
        Some((scheme, rest))
            if ["bearer", "basic", "token"].contains(&scheme.to_ascii_lowercase().as_str()) =>
        {
            rest.trim()
        }
        _ => value,
    };
    (!is_placeholder(secret) && looks_secret(secret)).then(|| secret.to_string())
}

/// Secrets passed as command-line flags: `--api-key=…`, `--token …`. Returns the index of the
/// argument that holds each one.
pub fn in_args(args: &[&str]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        if let Some(m) = known_token().find(arg) {
            found.push((i, m.as_str().to_string()));
            continue;
        }
        if let Some(flag) = arg.strip_prefix('-') {
            let (name, inline) = match flag.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (flag, None),
            };
            let (value, at) = match inline {
                Some(v) => (Some(v), i),
                None => (args.get(i + 1).copied(), i + 1),
            };
            if let Some(value) = value.filter(|v| !v.starts_with('-'))
                && let Some(secret) = in_key_value(name, value)
            {
                found.push((at, secret));
            }
        }
    }
    found
}

/// A password in a URL's user information, or a credential in its query string.
pub fn in_url(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, r)| r)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if let Some((userinfo, _)) = authority.rsplit_once('@')
        && let Some((_, password)) = userinfo.split_once(':')
        && !is_placeholder(password)
        && !password.is_empty()
    {
        return Some(password.to_string());
    }
    let query = url.split_once('?').map(|(_, q)| q)?;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find_map(|(k, v)| in_key_value(k, v))
}

/// Reports `secret`, found at `line_index`/`column` in `what` (e.g. "`env.GITHUB_TOKEN` of
/// MCP server `github`"), as an `ai-inline-credential` finding. The snippet is the line with
/// the secret replaced by its redacted form.
pub fn report(
    ctx: &mut crate::file_context::FileContext<'_>,
    line_index: usize,
    column: u32,
    what: &str,
    secret: &str,
) {
    let redacted = corral_model::RedactedSecret::new(secret);
    let line = crate::jsonc::line(ctx.text, line_index);
    let snippet = crate::file_context::bounded_snippet(&line.replace(secret, &redacted.display()));
    let evidence = crate::catalogue::Evidence {
        message: format!(
            "{what} holds a literal credential ({}); anyone who can read the repository can use it",
            redacted.display()
        ),
        key: corral_model::secret_hash(secret),
        snippet: Some(snippet),
        secret: Some(redacted),
        details: Default::default(),
    };
    ctx.report("ai-inline-credential", line_index, column, evidence);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_tokens_under_credential_keys_are_found_and_references_are_not() {
        assert!(in_key_value("GITHUB_TOKEN", "a8f3K29dLq0Zm").is_some());
        assert_eq!(in_key_value("GITHUB_TOKEN", "${GITHUB_TOKEN}"), None);
        assert_eq!(in_key_value("API_KEY", "your-api-key-here"), None);
        assert_eq!(in_key_value("AUTH_MODE", "oauth"), None);
        assert_eq!(in_key_value("AUTH_PROVIDER", "github-app"), None);
        assert_eq!(in_key_value("LOG_LEVEL", "debug12345"), None);
    }

    #[test]
    fn bearer_headers_yield_only_the_token() {
        assert_eq!(
            in_key_value("Authorization", "Bearer 8f2c41d9e7a65b03c1f4").as_deref(),
            Some("8f2c41d9e7a65b03c1f4")
        );
        assert_eq!(in_key_value("Authorization", "Bearer ${input:tok}"), None);
    }

    #[test]
    fn well_known_token_shapes_are_found_under_any_key() {
        let token = "ghp_Zq8Lm2Xv7Rt4Wn9Kp3Hs6Jd1Fb5Gc0Ya2Eu7";
        assert_eq!(in_key_value("CONFIG", token).as_deref(), Some(token));
    }

    #[test]
    fn flags_and_urls_carry_credentials_too() {
        let args = [
            "--api-key=Zk29XmQ81LpA",
            "--token",
            "Q8mZ2kL9pX7w",
            "--verbose",
        ];
        let found: Vec<usize> = in_args(&args).into_iter().map(|(i, _)| i).collect();
        assert_eq!(found, [0, 2]);
        assert_eq!(
            in_url("https://bot:S3cretPass9@mcp.example.com/sse").as_deref(),
            Some("S3cretPass9")
        );
        assert_eq!(
            in_url("https://mcp.example.com/sse?api_key=Ab12Cd34Ef56").as_deref(),
            Some("Ab12Cd34Ef56")
        );
        assert_eq!(in_url("https://mcp.example.com/sse?page=2"), None);
    }
}

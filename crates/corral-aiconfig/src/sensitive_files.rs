//! Credential files that an assistant set up for this repository could read.
//!
//! This is the one check that needs the whole tree: that `deploy/id_ed25519` exists is
//! learnt from one file, that `.cursorignore` or a Claude `Read(…)` deny rule covers it from
//! another, and which assistants the repository is set up for from all of them. So
//! `scan_file` only records facts as [`ScanNote`]s (see below) and [`finish`] decides.
//!
//! Notes written by this scanner (`scanner = "ai-config"`):
//!
//! - kind `sensitive-file`, value `{"what": "private key"}`: the file at `path` holds
//!   credentials. Key files are confirmed by content (a `.pem` holding only a certificate is
//!   not sensitive); the content itself is never copied into the note.
//! - kind `assistant-ignore`, value `{"tool": "Cursor", "base": "sub/dir", "patterns": […]}`:
//!   gitignore-syntax patterns, relative to `base`, that the tool will not read.
//!
//! A file is reported when at least one assistant that the repository is set up for, and
//! whose ignore mechanism is known ([`crate::assistant_file::READ_PROTECTION`]), has no rule
//! covering it. Repositories with no assistant configuration are left to the secrets scanner.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use corral_model::scanner::ScanNote;
use corral_model::{Location, ScanOutput};
use ignore::gitignore::GitignoreBuilder;
use serde_json::{Value, json};

use crate::assistant_file::READ_PROTECTION;
use crate::catalogue::{Catalogue, Evidence, SCANNER_ID};

pub const NOTE_SENSITIVE: &str = "sensitive-file";
pub const NOTE_IGNORE: &str = "assistant-ignore";

/// How a candidate file is confirmed.
#[derive(Debug, Clone, Copy)]
enum Confirm {
    /// Its name is enough.
    Always,
    /// Its content contains one of these strings (case-insensitive).
    Contains(&'static [&'static str]),
}

/// A file whose name suggests credentials, and how to confirm it.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    what: &'static str,
    confirm: Confirm,
}

const PRIVATE_KEY: &[&str] = &["private key", "putty-user-key-file"];
const TEMPLATE_SUFFIXES: &[&str] = &[
    ".example",
    ".sample",
    ".template",
    ".dist",
    ".defaults",
    ".schema",
    ".tmpl",
    ".tpl",
];

/// Whether the file at `path` may hold credentials (by name; cheap).
pub fn candidate(path: &str) -> Option<Candidate> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    let c = |what, confirm| Some(Candidate { what, confirm });
    if lower == ".env" || lower.starts_with(".env.") {
        if TEMPLATE_SUFFIXES.iter().any(|s| lower.ends_with(s)) {
            return None;
        }
        return c("environment file", Confirm::Always);
    }
    if path.ends_with(".aws/credentials") {
        return c(
            "AWS credentials",
            Confirm::Contains(&["aws_secret_access_key"]),
        );
    }
    if path.ends_with(".docker/config.json") {
        return c(
            "Docker registry credentials",
            Confirm::Contains(&["\"auth\""]),
        );
    }
    match lower.as_str() {
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" => {
            return c("SSH private key", Confirm::Contains(PRIVATE_KEY));
        }
        ".envrc" => {
            return c(
                "direnv file with credentials",
                Confirm::Contains(&["token", "secret", "password", "api_key", "apikey"]),
            );
        }
        ".npmrc" => {
            return c(
                "npm credentials",
                Confirm::Contains(&["_authtoken", "_auth=", "_password"]),
            );
        }
        ".pypirc" => return c("PyPI credentials", Confirm::Contains(&["password"])),
        ".netrc" | "_netrc" => return c("netrc credentials", Confirm::Contains(&["password"])),
        ".git-credentials" => return c("git credentials", Confirm::Always),
        "terraform.tfstate" | "terraform.tfstate.backup" => {
            return c(
                "Terraform state",
                Confirm::Contains(&["password", "secret", "private_key", "token"]),
            );
        }
        "secrets.json" | "secrets.yml" | "secrets.yaml" | "secrets.toml" => {
            return c("secrets file", Confirm::Always);
        }
        _ => {}
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "pem" | "key" | "ppk" => c("private key", Confirm::Contains(PRIVATE_KEY)),
        "p12" | "pfx" | "jks" | "keystore" => c("key store", Confirm::Always),
        "tfvars" => c(
            "Terraform variables with credentials",
            Confirm::Contains(&["password", "secret", "token", "access_key"]),
        ),
        "json"
            if [
                "cred",
                "secret",
                "service-account",
                "service_account",
                "token",
                "key",
            ]
            .iter()
            .any(|w| lower.contains(w)) =>
        {
            c(
                "cloud credential JSON",
                Confirm::Contains(&["\"private_key\"", "\"client_secret\"", "\"refresh_token\""]),
            )
        }
        _ => None,
    }
}

/// A note for `path` if `text` confirms it as a credential file.
pub fn note_if_sensitive(path: &str, text: &str) -> Option<ScanNote> {
    let candidate = candidate(path)?;
    let confirmed = match candidate.confirm {
        Confirm::Always => true,
        Confirm::Contains(needles) => {
            let lower = text.to_ascii_lowercase();
            needles.iter().any(|n| lower.contains(n))
        }
    };
    confirmed.then(|| ScanNote {
        scanner: SCANNER_ID.into(),
        path: path.into(),
        kind: NOTE_SENSITIVE.into(),
        value: json!({ "what": candidate.what }),
    })
}

/// A note recording that `tool` will not read files matching `patterns` under `base`.
pub fn ignore_note(path: &str, tool: &str, base: &str, patterns: Vec<String>) -> ScanNote {
    ScanNote {
        scanner: SCANNER_ID.into(),
        path: path.into(),
        kind: NOTE_IGNORE.into(),
        value: json!({ "tool": tool, "base": base, "patterns": patterns }),
    }
}

/// The note for a gitignore-syntax ignore file such as `.cursorignore`.
pub fn ignore_file_note(path: &str, tool: &str, text: &str) -> ScanNote {
    let base = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let patterns = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    ignore_note(path, tool, base, patterns)
}

/// One assistant's read protection, compiled.
struct Protection {
    tool: String,
    root: PathBuf,
    matcher: ignore::gitignore::Gitignore,
}

fn protections(notes: &[&ScanNote]) -> Vec<Protection> {
    let mut out = Vec::new();
    for note in notes.iter().filter(|n| n.kind == NOTE_IGNORE) {
        let (Some(tool), Some(base)) = (
            note.value.get("tool").and_then(Value::as_str),
            note.value.get("base").and_then(Value::as_str),
        ) else {
            continue;
        };
        let root = Path::new("/").join(base);
        let mut builder = GitignoreBuilder::new(&root);
        for pattern in note
            .value
            .get("patterns")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if let Err(err) = builder.add_line(None, pattern) {
                tracing::debug!(path = %note.path, %err, "ignored an invalid ignore pattern");
            }
        }
        match builder.build() {
            Ok(matcher) => out.push(Protection {
                tool: tool.to_string(),
                root,
                matcher,
            }),
            Err(err) => tracing::debug!(path = %note.path, %err, "cannot build ignore rules"),
        }
    }
    out
}

fn protected(protections: &[Protection], tool: &str, path: &str) -> bool {
    let full = Path::new("/").join(path);
    protections.iter().filter(|p| p.tool == tool).any(|p| {
        full.starts_with(&p.root)
            && p.matcher
                .matched_path_or_any_parents(&full, false)
                .is_ignore()
    })
}

/// Decides, once every file was seen, which sensitive files an assistant can read.
pub fn finish(out: &mut ScanOutput, catalogue: &Catalogue) {
    let Some(rule) = catalogue.get("ai-sensitive-file-readable") else {
        return;
    };
    let notes: Vec<&ScanNote> = out
        .notes
        .iter()
        .filter(|n| n.scanner == SCANNER_ID)
        .collect();
    let sensitive: Vec<&ScanNote> = notes
        .iter()
        .copied()
        .filter(|n| n.kind == NOTE_SENSITIVE)
        .collect();
    if sensitive.is_empty() {
        return;
    }
    let mut tools: Vec<(&str, &str)> = READ_PROTECTION
        .iter()
        .copied()
        .filter(|(tool, _)| out.ai_tools.iter().any(|e| e.tool == *tool))
        .collect();
    tools.dedup();
    if tools.is_empty() {
        return;
    }
    let protections = protections(&notes);
    let mut findings = Vec::new();
    for note in sensitive {
        let readers: Vec<(&str, &str)> = tools
            .iter()
            .copied()
            .filter(|(tool, _)| !protected(&protections, tool, &note.path))
            .collect();
        if readers.is_empty() {
            continue;
        }
        let what = note
            .value
            .get("what")
            .and_then(Value::as_str)
            .unwrap_or("credential file");
        let names: Vec<&str> = readers.iter().map(|(t, _)| *t).collect();
        let mechanisms: Vec<&str> = readers.iter().map(|(_, m)| *m).collect();
        let mut details = BTreeMap::new();
        details.insert("kind".into(), Value::from(what));
        details.insert("readable_by".into(), Value::from(names.clone()));
        findings.push(rule.finding(
            Location::new(note.path.clone(), 1, 1),
            Evidence {
                message: format!(
                    "`{}` ({what}) can be read by {}: nothing in {} excludes it",
                    note.path,
                    names.join(", "),
                    mechanisms.join(", ")
                ),
                key: note.path.clone(),
                snippet: None,
                secret: None,
                details,
            },
        ));
    }
    out.findings.extend(findings);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_files_count_but_their_templates_do_not() {
        assert!(candidate(".env").is_some());
        assert!(candidate("services/api/.env.production").is_some());
        assert!(candidate(".env.example").is_none());
        assert!(candidate("src/main.rs").is_none());
    }

    #[test]
    fn key_files_are_confirmed_by_their_content() {
        let key = "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n";
        let cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        assert!(note_if_sensitive("tls/server.pem", key).is_some());
        assert!(note_if_sensitive("tls/ca.pem", cert).is_none());
        let sa = r#"{"type": "service_account", "private_key": "…"}"#;
        assert!(note_if_sensitive("gcp-service-account.json", sa).is_some());
        assert!(note_if_sensitive("package.json", sa).is_none());
    }

    #[test]
    fn notes_never_carry_the_files_content() {
        let note = note_if_sensitive(".env", "API_KEY=abc123secret").unwrap();
        assert!(!note.value.to_string().contains("abc123secret"));
    }
}

//! Screening uploaded scan reports for secrets before any of it is stored.
//!
//! Corral's scanners redact secrets before a finding is built, but the server stores what a
//! client sends, and a client can be an older or modified build, another tool writing the
//! same format, or a person with `curl`. So every field of an upload that could carry a
//! secret is dealt with here, whatever the sender claims:
//!
//! - `snippet` (a source line) is dropped from every finding: the server keeps where a
//!   problem is and what it is, never the code around it.
//! - `secret` keeps only what redaction allows: a prefix of at most 4 characters and at most
//!   a quarter of the secret's length, the length, and a `sha256:` + 16 hex digits hash (any
//!   other hash is replaced by `sha256:withheld`).
//! - Credentials in URLs (`https://user:token@host/…`, as in a requirement that installs
//!   from a private repository) are replaced by `***`.
//! - Every other text (the tool's name and version, scanner names, rule ids, titles,
//!   messages, fixes, tags, paths, commit ids and authors, details, component fields) is run
//!   through the secret detectors; a text in which one fires is replaced by a note naming
//!   what it looked like.
//!
//! Each change is reported back as the field's path (`findings[3].snippet`), so the uploader
//! learns what was not kept.

use std::sync::OnceLock;

use corral_model::{Component, Finding, RedactedSecret, Report};
use corral_secrets::SecretsScanner;

/// What screening removed or rewrote, by field path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Screened {
    pub fields: Vec<String>,
}

/// The built-in secret detectors, built on first use and shared.
fn detectors() -> Option<&'static SecretsScanner> {
    static DETECTORS: OnceLock<Option<SecretsScanner>> = OnceLock::new();
    DETECTORS
        .get_or_init(|| match SecretsScanner::builtin() {
            Ok(s) => Some(s),
            Err(err) => {
                tracing::error!(%err, "cannot build the secret detectors; uploaded text is not screened by them");
                None
            }
        })
        .as_ref()
}

/// One text field of the report being screened: its path and where it lives.
struct Field<'a> {
    path: String,
    text: &'a mut String,
}

/// Screens `report` in place; see the module documentation.
pub fn screen_report(report: &mut Report) -> Screened {
    let mut screened = Screened::default();
    let mut fields = vec![
        Field {
            path: "tool.name".into(),
            text: &mut report.tool.name,
        },
        Field {
            path: "tool.version".into(),
            text: &mut report.tool.version,
        },
    ];
    for (i, scanner) in report.scanners.iter_mut().enumerate() {
        fields.push(Field {
            path: format!("scanners[{i}]"),
            text: scanner,
        });
    }
    screen_fields(&mut fields, &mut screened);
    for (i, finding) in report.findings.iter_mut().enumerate() {
        screen_finding(&format!("findings[{i}]"), finding, &mut screened);
    }
    for (i, finding) in report.suppressed.iter_mut().enumerate() {
        screen_finding(&format!("suppressed[{i}]"), finding, &mut screened);
    }
    for (i, component) in report.components.iter_mut().enumerate() {
        let mut fields = component_fields(&format!("components[{i}]"), component);
        screen_fields(&mut fields, &mut screened);
    }
    screened
}

fn screen_finding(at: &str, finding: &mut Finding, screened: &mut Screened) {
    if finding.snippet.take().is_some() {
        screened.fields.push(format!("{at}.snippet"));
    }
    if let Some(secret) = &mut finding.secret
        && screen_secret(secret)
    {
        screened.fields.push(format!("{at}.secret"));
    }
    let mut fields = vec![
        Field {
            path: format!("{at}.title"),
            text: &mut finding.title,
        },
        Field {
            path: format!("{at}.message"),
            text: &mut finding.message,
        },
        Field {
            path: format!("{at}.location.path"),
            text: &mut finding.location.path,
        },
        Field {
            path: format!("{at}.fingerprint"),
            text: &mut finding.fingerprint,
        },
        Field {
            path: format!("{at}.scanner"),
            text: &mut finding.scanner,
        },
        Field {
            path: format!("{at}.rule_id"),
            text: &mut finding.rule_id,
        },
    ];
    if let Some(fix) = &mut finding.fix {
        fields.push(Field {
            path: format!("{at}.fix"),
            text: fix,
        });
    }
    if let Some(commit) = &mut finding.location.commit {
        fields.push(Field {
            path: format!("{at}.location.commit.author"),
            text: &mut commit.author,
        });
        fields.push(Field {
            path: format!("{at}.location.commit.id"),
            text: &mut commit.id,
        });
    }
    for (j, tag) in finding.tags.iter_mut().enumerate() {
        fields.push(Field {
            path: format!("{at}.tags[{j}]"),
            text: tag,
        });
    }
    for (key, value) in finding.details.iter_mut() {
        collect_json(&format!("{at}.details.{key}"), value, &mut fields);
    }
    screen_fields(&mut fields, screened);
}

fn component_fields<'a>(at: &str, c: &'a mut Component) -> Vec<Field<'a>> {
    let mut fields = vec![
        Field {
            path: format!("{at}.name"),
            text: &mut c.name,
        },
        Field {
            path: format!("{at}.path"),
            text: &mut c.path,
        },
    ];
    for (name, value) in [
        ("version", &mut c.version),
        ("requirement", &mut c.requirement),
        ("license", &mut c.license),
    ] {
        if let Some(text) = value {
            fields.push(Field {
                path: format!("{at}.{name}"),
                text,
            });
        }
    }
    fields
}

fn collect_json<'a>(at: &str, value: &'a mut serde_json::Value, fields: &mut Vec<Field<'a>>) {
    match value {
        serde_json::Value::String(text) => fields.push(Field {
            path: at.to_string(),
            text,
        }),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                collect_json(&format!("{at}[{i}]"), item, fields);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                collect_json(&format!("{at}.{key}"), item, fields);
            }
        }
        _ => {}
    }
}

/// Keeps a redacted secret within what redaction shows; returns whether it changed it.
fn screen_secret(secret: &mut RedactedSecret) -> bool {
    let mut changed = false;
    let allowed = (secret.length / 4).min(4);
    if secret.prefix.chars().count() > allowed {
        secret.prefix = secret.prefix.chars().take(allowed).collect();
        changed = true;
    }
    let hash_ok = secret
        .sha256
        .strip_prefix("sha256:")
        .is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()));
    if !hash_ok {
        secret.sha256 = "sha256:withheld".into();
        changed = true;
    }
    changed
}

/// Removes credentials from URLs, then withholds texts in which a detector fires. The texts
/// are scanned together, one per line, so a large report costs one pass per finding.
fn screen_fields(fields: &mut [Field<'_>], screened: &mut Screened) {
    let mut changed = vec![false; fields.len()];
    for (i, field) in fields.iter_mut().enumerate() {
        if let Some(clean) = without_url_credentials(field.text) {
            *field.text = clean;
            changed[i] = true;
        }
    }
    if let Some(detectors) = detectors() {
        let mut buffer = String::new();
        let mut first_lines = Vec::with_capacity(fields.len());
        let mut line = 1u32;
        for field in fields.iter() {
            first_lines.push(line);
            buffer.push_str(field.text);
            buffer.push('\n');
            line += 1 + field.text.matches('\n').count() as u32;
        }
        for hit in detectors.scan_bytes("upload", buffer.as_bytes()) {
            let at = first_lines.partition_point(|&first| first <= hit.location.line);
            let Some(index) = at.checked_sub(1) else {
                continue;
            };
            *fields[index].text =
                format!("[withheld: this text held what looks like a {}]", hit.title);
            changed[index] = true;
        }
    }
    for (field, changed) in fields.iter().zip(changed) {
        if changed {
            screened.fields.push(field.path.clone());
        }
    }
}

/// `text` with the user information of every URL in it replaced by `***`, when it has any.
fn without_url_credentials(text: &str) -> Option<String> {
    if !text.contains("://") || !text.contains('@') {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(scheme_end) = rest.find("://") {
        let authority_start = scheme_end + 3;
        out.push_str(&rest[..authority_start]);
        let after = &rest[authority_start..];
        let authority_len = after
            .find(|c: char| {
                matches!(c, '/' | '?' | '#') || c.is_whitespace() || c == '"' || c == '\''
            })
            .unwrap_or(after.len());
        let authority = &after[..authority_len];
        match authority.rfind('@') {
            Some(at) if at > 0 => {
                out.push_str("***");
                out.push_str(&authority[at..]);
                changed = true;
            }
            _ => out.push_str(authority),
        }
        rest = &after[authority_len..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_credentials_are_replaced_and_the_rest_of_the_text_kept() {
        assert_eq!(
            without_url_credentials("git+https://bot:s3cr3t-t0ken@git.example.com/org/lib.git@v1")
                .as_deref(),
            Some("git+https://***@git.example.com/org/lib.git@v1")
        );
        assert_eq!(
            without_url_credentials("see https://example.com/a and ssh://git@host/x").as_deref(),
            Some("see https://example.com/a and ssh://***@host/x")
        );
        assert_eq!(
            without_url_credentials("pkg @ https://example.com/p.whl"),
            None
        );
        assert_eq!(without_url_credentials("nothing here"), None);
    }

    #[test]
    fn a_redacted_secret_is_cut_to_what_redaction_shows() {
        let mut secret = RedactedSecret {
            prefix: "ghp_aBcDeFgH".into(),
            length: 40,
            sha256: "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789".into(),
        };
        assert!(screen_secret(&mut secret));
        assert_eq!(secret.prefix, "ghp_");
        assert_eq!(secret.sha256, "sha256:withheld");
        let mut fine = RedactedSecret::new("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789");
        assert!(!screen_secret(&mut fine));
    }
}

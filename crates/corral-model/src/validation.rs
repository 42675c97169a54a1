//! Field validation errors and the small format checks shared by every input path.
//!
//! The web form, the CLI, the API and the repository descriptor all validate through the same
//! functions, so an error reads the same wherever it comes from: the field, then the rule.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One field that broke one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    /// The rule, phrased to follow the field name: "is required: …", "must be …".
    pub rule: String,
}

/// Every problem found in one submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", e.field, e.rule)?;
        }
        Ok(())
    }
}

/// A plausible e-mail address: one `@`, a non-empty local part, a dotted domain, no spaces.
/// Deliverability is the mail system's business; this catches typos and pasted names.
pub fn is_valid_email(s: &str) -> bool {
    let s = s.trim();
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
        }
        None => false,
    }
}

/// An asset name: 1–64 of `a-z0-9-`, starting with a letter, not ending with a dash.
pub fn is_valid_name(s: &str) -> bool {
    let bytes = s.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 64
        && bytes[0].is_ascii_lowercase()
        && !s.ends_with('-')
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert!(is_valid_email("ana.lopez+ops@example.co.uk"));
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "a b@example.com",
            "a@b@c.d",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn names_are_lowercase_slugs() {
        assert!(is_valid_name("lead-scoring-2"));
        for bad in [
            "",
            "Lead",
            "2fast",
            "lead_scoring",
            "lead-",
            &"a".repeat(65),
        ] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn errors_render_as_field_then_rule() {
        let e = ValidationErrors(vec![
            FieldError {
                field: "name".into(),
                rule: "is required".into(),
            },
            FieldError {
                field: "status".into(),
                rule: "is required".into(),
            },
        ]);
        assert_eq!(e.to_string(), "name: is required; status: is required");
    }
}

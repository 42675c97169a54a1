//! Answering package requests: a reviewer approves or denies what the package gate held back.
//!
//! The console's request queue and `corral gate approve|deny` both call [`decide_request`],
//! so a decision is checked, stored and audited (`gate.request.approved` / `…denied`, naming
//! the reviewer, the comment and the rule that held the package back) the same way wherever
//! it is taken. Approving ahead of any request is allowed: the request is opened and decided
//! in one step.
//!
//! Requests record their requester as the gate saw the client (`user=ana addr=10.0.0.7
//! agent=pip/24.2`), or as the reviewer's e-mail for a decision taken before anyone asked;
//! [`requested_by_person`] is how the console finds "my requests" in that text.

use chrono::Utc;
use corral_deps::name::{is_plausible, pep503};
use corral_deps::version::Version;
use corral_model::Ecosystem;
use corral_store::{AuditEntry, GateRequest, GateRequestStatus, Store};
use serde_json::json;

use crate::error::{ApiError, ApiResult};

/// The longest comment kept with a decision.
const MAX_COMMENT: usize = 2000;

/// `NAME` or `NAME==VERSION` as (PEP 503 name, version or empty for the whole project).
pub fn parse_package(text: &str) -> ApiResult<(String, String)> {
    let (name, version) = match text.split_once("==") {
        Some((n, v)) => (n.trim(), v.trim()),
        None => (text.trim(), ""),
    };
    if !is_plausible(Ecosystem::PyPI, name) {
        return Err(ApiError::field(
            "package",
            format!("`{name}` is not a valid package name (expected NAME or NAME==VERSION)"),
        ));
    }
    if text.contains("==") && Version::parse(Ecosystem::PyPI, version).is_none() {
        return Err(ApiError::field(
            "package",
            format!(
                "`{version}` is not a PEP 440 version (expected NAME==VERSION, e.g. requests==2.32.3)"
            ),
        ));
    }
    Ok((pep503(name), version.to_string()))
}

/// A decided request and the audit entry that records it.
#[derive(Debug, Clone)]
pub struct DecidedRequest {
    pub request: GateRequest,
    pub audit_seq: u64,
}

/// Approves or denies `package` (`NAME` or `NAME==VERSION`) as `actor`, with an optional
/// `comment` the requester will read on the project page and in the console.
pub async fn decide_request(
    store: &Store,
    actor: &str,
    package: &str,
    status: GateRequestStatus,
    comment: Option<&str>,
) -> ApiResult<DecidedRequest> {
    if status == GateRequestStatus::Pending {
        return Err(ApiError::field(
            "decision",
            "a decision must approve or deny the request",
        ));
    }
    let actor = actor.trim();
    if actor.is_empty() {
        return Err(ApiError::field(
            "actor",
            "say who decides (an e-mail address)",
        ));
    }
    let (project, version) = parse_package(package)?;
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    if comment.is_some_and(|c| c.chars().count() > MAX_COMMENT) {
        return Err(ApiError::field(
            "comment",
            format!("must be at most {MAX_COMMENT} characters"),
        ));
    }
    let mut tx = store.begin().await?;
    let request = tx
        .decide_gate_request(&project, &version, status, actor, comment, Utc::now())
        .await?;
    tx.audit(
        AuditEntry::new(actor, format!("gate.request.{}", status.as_str()))
            .subject(format!("pypi:{project}"))
            .data(json!({
                "request": request.id,
                "project": project,
                "version": version,
                "comment": comment,
                "rule": request.rule,
                "reason": request.reason,
            })),
    );
    let events = tx.commit().await?;
    Ok(DecidedRequest {
        request,
        audit_seq: events.first().map(|e| e.seq).unwrap_or_default(),
    })
}

/// Whether `requested_by` (a request's requester as recorded) names the person `email`: the
/// client's `user=` is the whole address or its part before `@` (pip and uv users usually
/// put a short name in the index URL), or the text is the address itself.
pub fn requested_by_person(requested_by: &str, email: &str) -> bool {
    let email = email.trim();
    if email.is_empty() {
        return false;
    }
    if requested_by.trim().eq_ignore_ascii_case(email) {
        return true;
    }
    let local = email.split('@').next().unwrap_or(email);
    requested_by
        .split_whitespace()
        .filter_map(|part| part.strip_prefix("user="))
        .any(|user| user.eq_ignore_ascii_case(email) || user.eq_ignore_ascii_case(local))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_is_a_normalised_name_and_an_optional_version() {
        assert_eq!(
            parse_package("Django_Rest.Framework").unwrap(),
            ("django-rest-framework".to_string(), String::new())
        );
        assert_eq!(
            parse_package("tensorflow == 2.18.0").unwrap(),
            ("tensorflow".to_string(), "2.18.0".to_string())
        );
        let bad_version = parse_package("requests==two").unwrap_err();
        assert!(
            bad_version.detail.fields[0]
                .rule
                .contains("`two` is not a PEP 440 version")
        );
        let bad_name = parse_package("no such/name").unwrap_err();
        assert!(
            bad_name.detail.fields[0]
                .rule
                .contains("not a valid package name")
        );
    }

    #[test]
    fn the_requester_is_found_by_address_or_by_the_short_user_name() {
        let asked = "user=ana addr=10.0.0.7 agent=pip/24.2";
        assert!(requested_by_person(asked, "ana@example.com"));
        assert!(requested_by_person(asked, "ANA@example.com"));
        assert!(!requested_by_person(asked, "anabel@example.com"));
        assert!(!requested_by_person(
            "addr=10.0.0.7 agent=ana",
            "ana@example.com"
        ));
        assert!(requested_by_person(
            "user=ana@example.com addr=10.0.0.7",
            "ana@example.com"
        ));
        assert!(requested_by_person("sec@example.com", "sec@example.com"));
        assert!(!requested_by_person("sec@example.com", ""));
    }
}

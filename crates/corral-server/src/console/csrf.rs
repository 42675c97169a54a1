//! Cross-site request forgery protection for console forms.
//!
//! Every form a signed-in page renders carries the session's CSRF secret in a hidden `csrf`
//! field (the synchronizer token pattern). [`SignedForm`], the extractor every console
//! `POST` handler takes, signs the request in from its session cookie, reads the form, and
//! refuses it with a 403 page, before the handler runs and so before anything changes,
//! unless the field equals the session's secret. Another site can make a browser send the
//! cookie (where `SameSite` does not stop it), but it cannot read a console page to learn
//! the secret.
//!
//! The sign-in form comes before any session, so it uses a double-submit cookie instead:
//! a random value set in a `SameSite=Strict` cookie when the form is shown and repeated in
//! the form ([`same_secret`] compares them).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;

use crate::console::form::FormFields;
use crate::console::page::ConsoleError;
use crate::console::session::ConsoleUser;
use crate::state::AppState;

/// The name of the hidden field carrying the token.
pub const FIELD: &str = "csrf";

/// Whether two secrets are equal, taking the same time wherever they differ.
pub fn same_secret(presented: &str, expected: &str) -> bool {
    let (a, b) = (presented.as_bytes(), expected.as_bytes());
    if a.len() != b.len() || b.is_empty() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// A form posted by a signed-in person, its CSRF token checked.
#[derive(Debug)]
pub struct SignedForm {
    pub user: ConsoleUser,
    pub fields: FormFields,
}

impl FromRequest<AppState> for SignedForm {
    type Rejection = ConsoleError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let user = ConsoleUser::from_request_parts(&mut parts, state).await?;
        let is_form = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(ConsoleError::csrf());
        }
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|e| {
                ConsoleError::page(
                    axum::http::StatusCode::BAD_REQUEST,
                    "Cannot read the form",
                    e.to_string(),
                )
            })?;
        let fields = FormFields::parse(&bytes);
        if !same_secret(fields.raw(FIELD), &user.session.csrf_secret) {
            tracing::warn!(user = %user.actor.email, "console form refused: CSRF token missing or wrong");
            return Err(ConsoleError::csrf());
        }
        Ok(SignedForm { user, fields })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_match_only_when_equal_and_never_when_empty() {
        assert!(same_secret("abc123", "abc123"));
        assert!(!same_secret("abc124", "abc123"));
        assert!(!same_secret("abc12", "abc123"));
        assert!(!same_secret("", ""));
    }
}

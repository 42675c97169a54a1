//! `/sign-in` and `/sign-out`: local accounts with passwords.
//!
//! The password form is one sign-in method; it ends, like any other would, in
//! [`start_session`]. A wrong e-mail and a wrong password get the same answer, after the same
//! amount of work, and count against the rate limits ([`sign_in_limit`]); a disabled account
//! is named as such only to someone who knows its password. After signing in the browser
//! goes back to the page that asked for it (`next`, a path on this server only, so the
//! form cannot be used to send people elsewhere).

use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRequest, Query, Request, State};
use axum::http::header::{RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::IntoResponse;
use chrono::Utc;
use serde::Deserialize;

use crate::console::client_address::client_address;
use crate::console::cookies::{self, SameSite};
use crate::console::csrf::{FIELD, SignedForm, same_secret};
use crate::console::form::FormFields;
use crate::console::page::{Chrome, ConsoleError, ConsoleResult, render, see_other};
use crate::console::session::{end_session, start_session};
use crate::console::sign_in_limit;
use crate::error::ApiError;
use crate::password;
use crate::state::AppState;

/// How long the sign-in form's CSRF cookie lives.
const FORM_COOKIE_SECS: i64 = 3600;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    csrf: String,
    next: String,
    email: String,
    error: Option<String>,
    notice: Option<String>,
    /// The single sign-on button's label, when a provider is configured.
    sso: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SignInQuery {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    expired: Option<String>,
    #[serde(default)]
    signed_out: Option<String>,
}

/// `next` when it is a path on this server, else the dashboard.
pub fn safe_next(next: &str) -> String {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.contains(['\r', '\n']);
    if local { next.to_string() } else { "/".into() }
}

fn random_value() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
    Ok(hex::encode(bytes))
}

/// The form, with a fresh CSRF cookie.
pub(crate) fn sign_in_page(
    state: &AppState,
    status: StatusCode,
    next: &str,
    email: &str,
    error: Option<String>,
    notice: Option<String>,
) -> ConsoleResult {
    let csrf = random_value()?;
    let mut response = render(
        status,
        &SignInPage {
            chrome: Chrome::guest("Sign in"),
            csrf: csrf.clone(),
            next: safe_next(next),
            email: email.to_string(),
            error,
            notice,
            sso: state
                .oidc
                .as_ref()
                .map(|p| p.settings().display_name.clone()),
        },
    );
    let cookie = cookies::set(
        &state.console,
        cookies::sign_in_name(&state.console),
        &csrf,
        FORM_COOKIE_SECS,
        SameSite::Strict,
    );
    response.headers_mut().append(
        SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(ApiError::internal)?,
    );
    Ok(response)
}

/// `GET /sign-in`.
pub async fn show(
    State(state): State<AppState>,
    Query(query): Query<SignInQuery>,
) -> ConsoleResult {
    let notice = if query.expired.is_some() {
        Some("Your session expired. Sign in again to continue.".to_string())
    } else if query.signed_out.is_some() {
        Some("You are signed out.".to_string())
    } else {
        None
    };
    sign_in_page(
        &state,
        StatusCode::OK,
        query.next.as_deref().unwrap_or("/"),
        "",
        None,
        notice,
    )
}

/// `POST /sign-in`.
pub async fn submit(State(state): State<AppState>, request: Request) -> ConsoleResult {
    let (parts, body) = request.into_parts();
    let client = client_address(&parts, &state.console);
    let expected = cookies::read(&parts.headers, cookies::sign_in_name(&state.console));
    let bytes = Bytes::from_request(Request::from_parts(parts, body), &state)
        .await
        .map_err(|e| {
            ConsoleError::page(
                StatusCode::BAD_REQUEST,
                "Cannot read the form",
                e.to_string(),
            )
        })?;
    let form = FormFields::parse(&bytes);
    if !expected.is_some_and(|cookie| same_secret(form.raw(FIELD), &cookie)) {
        return Err(ConsoleError::csrf());
    }
    let email = form.value("email");
    let next = form.value("next");
    let password = form.raw("password");
    let now = Utc::now();
    if email.is_empty() || password.is_empty() {
        return sign_in_page(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            &next,
            &email,
            Some("Enter your e-mail address and your password.".into()),
            None,
        );
    }
    if let Some(refusal) = sign_in_limit::check(&state, &email, client.as_deref(), now).await? {
        let mut response = sign_in_page(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            &next,
            &email,
            Some(refusal.message(now)),
            None,
        )?;
        let wait = (refusal.retry_at - now).num_seconds().max(1);
        response.headers_mut().insert(
            RETRY_AFTER,
            HeaderValue::from_str(&wait.to_string()).map_err(ApiError::internal)?,
        );
        return Ok(response);
    }
    let credentials = state.store.console_credentials(&email).await?;
    let matches = match &credentials {
        Some(c) => password::verify(password, &c.password_hash),
        None => password::verify_unknown(password),
    };
    let Some(credentials) = credentials.filter(|_| matches) else {
        sign_in_limit::record_failure(&state, &email, client.as_deref(), now).await?;
        tracing::info!(%email, client = client.as_deref().unwrap_or("-"), "console sign-in failed");
        return sign_in_page(
            &state,
            StatusCode::UNAUTHORIZED,
            &next,
            &email,
            Some("That e-mail address and password do not match an account.".into()),
            None,
        );
    };
    if !credentials.account.is_enabled() {
        return sign_in_page(
            &state,
            StatusCode::FORBIDDEN,
            &next,
            &email,
            Some("This account is disabled. Ask an administrator to enable it.".into()),
            None,
        );
    }
    sign_in_limit::record_success(&state, &email).await?;
    let started = start_session(
        &state,
        &credentials.account.email,
        credentials.account.role,
        "password",
        client,
    )
    .await?;
    let mut response = see_other(&safe_next(&next));
    let headers = response.headers_mut();
    headers.append(
        SET_COOKIE,
        HeaderValue::from_str(&started.cookie).map_err(ApiError::internal)?,
    );
    headers.append(
        SET_COOKIE,
        HeaderValue::from_str(&cookies::clear(
            &state.console,
            cookies::sign_in_name(&state.console),
        ))
        .map_err(ApiError::internal)?,
    );
    Ok(response)
}

/// `POST /sign-out`.
pub async fn sign_out(State(state): State<AppState>, form: SignedForm) -> ConsoleResult {
    end_session(&state, &form.user).await?;
    let mut response = see_other("/sign-in?signed_out=1");
    let cookie = cookies::clear(&state.console, cookies::session_name(&state.console));
    response.headers_mut().append(
        SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(ApiError::internal)?,
    );
    Ok(response.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_server_are_followed_after_sign_in() {
        assert_eq!(safe_next("/assets?tier=3"), "/assets?tier=3");
        assert_eq!(safe_next("https://evil.example/"), "/");
        assert_eq!(safe_next("//evil.example/x"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next(""), "/");
    }
}

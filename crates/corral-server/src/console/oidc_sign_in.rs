//! `/auth/oidc/start` and `/auth/oidc/callback`: signing in through the organisation's
//! identity provider.
//!
//! Start sends the browser to the provider with a fresh state, nonce and PKCE challenge, and
//! keeps their secrets in a short-lived cookie ([`crate::oidc::pending_cookie`]). The
//! callback checks everything ([`OidcProvider::complete`]), refuses a person whose local
//! console account an administrator disabled, and ends like the password form does, in
//! [`start_session`], with the role the person's groups map to. A failure shows the sign-in
//! page with what went wrong, and is logged without tokens or codes.

use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use crate::console::client_address::client_address;
use crate::console::cookies;
use crate::console::page::{ConsoleError, ConsoleResult, see_other};
use crate::console::session::start_session;
use crate::console::sign_in::{safe_next, sign_in_page};
use crate::error::ApiError;
use crate::oidc::{OidcError, pending_cookie};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct StartQuery {
    #[serde(default)]
    next: Option<String>,
}

/// `GET /auth/oidc/start`.
pub async fn start(
    State(state): State<AppState>,
    Query(query): Query<StartQuery>,
) -> ConsoleResult {
    let Some(provider) = state.oidc.clone() else {
        return Err(ConsoleError::not_found(
            "single sign-on is not configured on this server ([server.oidc] in corral.toml)",
        ));
    };
    let next = safe_next(query.next.as_deref().unwrap_or("/"));
    let (url, pending) = match provider.begin(&next).await {
        Ok(found) => found,
        Err(error) => return refused(&state, &next, &error),
    };
    let mut response = see_other(&url);
    let cookie = pending_cookie::set_cookie(&pending, state.console.secure_cookies);
    response.headers_mut().append(
        SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(ApiError::internal)?,
    );
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
pub struct CallbackQuery {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

/// `GET /auth/oidc/callback`.
pub async fn callback(
    State(state): State<AppState>,
    Query(query): Query<CallbackQuery>,
    parts: Parts,
) -> ConsoleResult {
    let Some(provider) = state.oidc.clone() else {
        return Err(ConsoleError::not_found(
            "single sign-on is not configured on this server ([server.oidc] in corral.toml)",
        ));
    };
    let Some(pending) = cookies::read(&parts.headers, pending_cookie::COOKIE)
        .and_then(|v| pending_cookie::decode(&v))
    else {
        return refused_with(
            &state,
            "/",
            StatusCode::BAD_REQUEST,
            "This sign-in was not started here, or took longer than ten minutes. Start again.",
        );
    };
    let next = safe_next(&pending.return_to);
    if let Some(error) = query.error {
        let reason = match query.error_description {
            Some(description) => format!("{error} ({description})"),
            None => error,
        };
        return refused(&state, &next, &OidcError::Refused(reason));
    }
    let (Some(code), Some(returned_state)) = (query.code, query.state) else {
        return refused_with(
            &state,
            &next,
            StatusCode::BAD_REQUEST,
            "The identity provider sent the browser back without a code. Start again.",
        );
    };
    let identity = match provider.complete(&pending, &code, &returned_state).await {
        Ok(identity) => identity,
        Err(error) => return refused(&state, &next, &error),
    };
    if let Some(local) = state.store.console_credentials(&identity.email).await?
        && !local.account.is_enabled()
    {
        return refused_with(
            &state,
            &next,
            StatusCode::FORBIDDEN,
            "This account is disabled. Ask an administrator to enable it.",
        );
    }
    let client = client_address(&parts, &state.console);
    let method = format!("oidc:{}", provider.settings().issuer);
    let started = start_session(&state, &identity.email, identity.role, &method, client).await?;
    let mut response = see_other(&next);
    let headers = response.headers_mut();
    headers.append(
        SET_COOKIE,
        HeaderValue::from_str(&started.cookie).map_err(ApiError::internal)?,
    );
    headers.append(
        SET_COOKIE,
        HeaderValue::from_str(&pending_cookie::clear_cookie(state.console.secure_cookies))
            .map_err(ApiError::internal)?,
    );
    Ok(response)
}

/// The sign-in page saying why single sign-on did not work.
fn refused(state: &AppState, next: &str, error: &OidcError) -> ConsoleResult {
    tracing::info!(%error, "single sign-on refused");
    let status = match error {
        OidcError::Discovery { .. } => StatusCode::BAD_GATEWAY,
        OidcError::NoRole { .. } | OidcError::EmailUnverified(_) => StatusCode::FORBIDDEN,
        _ => StatusCode::UNAUTHORIZED,
    };
    refused_with(
        state,
        next,
        status,
        &format!("Single sign-on failed: {error}."),
    )
}

fn refused_with(state: &AppState, next: &str, status: StatusCode, message: &str) -> ConsoleResult {
    let mut response: Response = sign_in_page(state, status, next, "", Some(message.into()), None)?;
    response.headers_mut().append(
        SET_COOKIE,
        HeaderValue::from_str(&pending_cookie::clear_cookie(state.console.secure_cookies))
            .map_err(ApiError::internal)?,
    );
    Ok(response)
}

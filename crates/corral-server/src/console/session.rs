//! Console sessions on the server side: starting one, recognising it on every request,
//! ending it.
//!
//! [`start_session`] is the one way a session begins, whatever proved the person's identity:
//! the password form calls it today, and a single sign-on callback calls it the same way
//! with its own `method` name and the role it mapped. It records the sign-in in the audit
//! log and answers with the cookie to set.
//!
//! [`ConsoleUser`] is the extractor for pages: it reads the session cookie, asks the store
//! (which moves the idle expiry forward), and turns the session into the [`Actor`] the
//! workflow functions take. Without a usable session the request is sent to the sign-in
//! page, which brings the person back afterwards.

use axum::extract::FromRequestParts;
use axum::http::Method;
use axum::http::request::Parts;
use chrono::Utc;
use corral_model::Role;
use corral_store::{AuditEntry, ConsoleSession, NewSession, SessionLookup};
use serde_json::json;

use crate::auth::Actor;
use crate::console::cookies::{self, SameSite};
use crate::console::page::ConsoleError;
use crate::error::ApiResult;
use crate::state::AppState;

/// The signed-in person of a console request.
#[derive(Debug, Clone)]
pub struct ConsoleUser {
    pub actor: Actor,
    pub session: ConsoleSession,
}

impl ConsoleUser {
    fn of(session: ConsoleSession) -> Self {
        Self {
            actor: Actor {
                email: session.email.clone(),
                role: session.role,
                token_name: None,
            },
            session,
        }
    }
}

/// Where to come back to after signing in: this request's path for a page, the referring
/// page's path for a form.
fn return_path(parts: &Parts) -> String {
    if parts.method == Method::GET {
        return parts
            .uri
            .path_and_query()
            .map_or("/".into(), |p| p.as_str().to_string());
    }
    "/".into()
}

impl FromRequestParts<AppState> for ConsoleUser {
    type Rejection = ConsoleError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let config = &state.console;
        let next = return_path(parts);
        let Some(presented) = cookies::read(&parts.headers, cookies::session_name(config)) else {
            return Err(ConsoleError::SignIn {
                next,
                expired: false,
            });
        };
        match state
            .store
            .authenticate_session(&presented, Utc::now(), config.idle())
            .await?
        {
            SessionLookup::Active(session) => Ok(ConsoleUser::of(session)),
            SessionLookup::Expired(_) => Err(ConsoleError::SignIn {
                next,
                expired: true,
            }),
            SessionLookup::Unknown => Err(ConsoleError::SignIn {
                next,
                expired: false,
            }),
        }
    }
}

/// A started session: the cookie to set and the record.
#[derive(Debug)]
pub struct StartedSession {
    /// The `Set-Cookie` header value carrying the session id.
    pub cookie: String,
    pub session: ConsoleSession,
}

/// Starts a console session for `email` with `role`, proven by `method` (`password`, or a
/// single sign-on provider's name), from `client`. Audited as `console.signed-in`.
pub async fn start_session(
    state: &AppState,
    email: &str,
    role: Role,
    method: &str,
    client: Option<String>,
) -> ApiResult<StartedSession> {
    let config = &state.console;
    let now = Utc::now();
    let mut tx = state.store.begin().await?;
    let (secret, session) = tx
        .start_console_session(
            NewSession {
                email: email.to_string(),
                role,
                method: method.to_string(),
                client: client.clone(),
                idle: config.idle(),
                absolute: config.absolute(),
            },
            now,
        )
        .await?;
    tx.audit(
        AuditEntry::new(email, "console.signed-in")
            .subject(email.to_string())
            .data(json!({
                "method": method,
                "role": role,
                "client": client,
                "expires_at": session.absolute_expires_at,
            })),
    );
    tx.commit().await?;
    let cookie = cookies::set(
        config,
        cookies::session_name(config),
        secret.expose(),
        config.absolute().num_seconds(),
        SameSite::Lax,
    );
    Ok(StartedSession { cookie, session })
}

/// Ends `user`'s session (sign-out). Audited as `console.signed-out`.
pub async fn end_session(state: &AppState, user: &ConsoleUser) -> ApiResult<()> {
    let mut tx = state.store.begin().await?;
    tx.end_console_session(&user.session.id_hash, Utc::now())
        .await?;
    tx.audit(
        AuditEntry::new(&user.actor.email, "console.signed-out")
            .subject(user.actor.email.clone())
            .data(json!({"method": user.session.method})),
    );
    tx.commit().await?;
    Ok(())
}

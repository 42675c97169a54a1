//! Console sessions: who is signed in to the web console, until when.
//!
//! A session id is 256 random bits (64 hex digits) that live only in the browser's cookie;
//! the table keeps its SHA-256, so a copy of the database does not sign anyone in. Each
//! session also carries a CSRF secret, the synchronizer token every console form repeats.
//!
//! A session ends at the first of: sign-out ([`WriteTx::end_console_session`]), its idle
//! expiry (no request for the idle period; every request moves it forward, up to the
//! absolute expiry), its absolute expiry (fixed at sign-in), or an administrator changing
//! or disabling the account ([`WriteTx::end_console_sessions_for`]).
//!
//! Starting and ending sessions are audited changes. Moving `last_seen_at` and the idle expiry
//! forward is bookkeeping, like a token's `last_used_at`: written at most once a minute,
//! without an audit entry.

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use corral_model::Role;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::columns::{RowReader, name_of, ts};
use crate::console_accounts::email_key;
use crate::error::Result;
use crate::store::Store;
use crate::tokens::{random_hex, token_hash};
use crate::write_tx::WriteTx;

/// What to start a session with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub email: String,
    pub role: Role,
    /// How the person signed in: `password`, or a single sign-on provider's name.
    pub method: String,
    /// The client's address, for the record.
    pub client: Option<String>,
    /// How long the session lives without a request.
    pub idle: Duration,
    /// How long it lives at most, whatever the activity.
    pub absolute: Duration,
}

/// A session as stored (never its id).
#[derive(Clone, PartialEq, Eq)]
pub struct ConsoleSession {
    /// SHA-256 of the session id: the row's key.
    pub id_hash: String,
    pub email: String,
    pub role: Role,
    pub method: String,
    /// The synchronizer token every form of this session must carry.
    pub csrf_secret: String,
    pub client: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub idle_expires_at: DateTime<Utc>,
    pub absolute_expires_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

impl fmt::Debug for ConsoleSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConsoleSession")
            .field("email", &self.email)
            .field("role", &self.role)
            .field("method", &self.method)
            .field("created_at", &self.created_at)
            .field("idle_expires_at", &self.idle_expires_at)
            .field("absolute_expires_at", &self.absolute_expires_at)
            .field("ended_at", &self.ended_at)
            .finish_non_exhaustive()
    }
}

impl ConsoleSession {
    /// When the session stops working if nothing else happens.
    pub fn expires_at(&self) -> DateTime<Utc> {
        self.idle_expires_at.min(self.absolute_expires_at)
    }
}

/// The session id, for the cookie. Shown to the browser once; `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionSecret(String);

impl SessionSecret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionSecret(…)")
    }
}

/// What a presented session id turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionLookup {
    Active(ConsoleSession),
    /// It existed but its idle or absolute expiry passed.
    Expired(ConsoleSession),
    /// No such session, or it was ended (signed out, account changed).
    Unknown,
}

/// `last_seen_at` and the idle expiry move at most this often.
const TOUCH_GRANULARITY: Duration = Duration::minutes(1);

/// Sessions past their absolute expiry by this long are deleted when a new one starts.
const KEEP_EXPIRED: Duration = Duration::days(30);

const SESSION_COLUMNS: &str = "id_hash, email, role, method, csrf_secret, client, created_at, \
     last_seen_at, idle_expires_at, absolute_expires_at, ended_at";

fn session_of(row: &AnyRow) -> Result<ConsoleSession> {
    let r = RowReader::new(row, "console_sessions", "id_hash");
    Ok(ConsoleSession {
        id_hash: r.text("id_hash")?,
        email: r.text("email")?,
        role: r.name("role")?,
        method: r.text("method")?,
        csrf_secret: r.text("csrf_secret")?,
        client: r.text_opt("client")?,
        created_at: r.time("created_at")?,
        last_seen_at: r.time("last_seen_at")?,
        idle_expires_at: r.time("idle_expires_at")?,
        absolute_expires_at: r.time("absolute_expires_at")?,
        ended_at: r.time_opt("ended_at")?,
    })
}

/// The stored key of a presented session id.
pub fn session_hash(presented: &str) -> String {
    token_hash(presented)
}

impl Store {
    /// The session a browser presented, as of `now`. An active session's idle expiry moves
    /// to `now + idle` (never past its absolute expiry).
    pub async fn authenticate_session(
        &self,
        presented: &str,
        now: DateTime<Utc>,
        idle: Duration,
    ) -> Result<SessionLookup> {
        let presented = presented.trim();
        if presented.is_empty() {
            return Ok(SessionLookup::Unknown);
        }
        let row = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM console_sessions WHERE id_hash = $1"
        ))
        .bind(session_hash(presented))
        .fetch_optional(&self.pools.reader)
        .await?;
        let Some(mut session) = row.as_ref().map(session_of).transpose()? else {
            return Ok(SessionLookup::Unknown);
        };
        if session.ended_at.is_some() {
            return Ok(SessionLookup::Unknown);
        }
        if now >= session.expires_at() {
            return Ok(SessionLookup::Expired(session));
        }
        if now - session.last_seen_at >= TOUCH_GRANULARITY {
            let idle_expires_at = (now + idle).min(session.absolute_expires_at);
            sqlx::query(
                "UPDATE console_sessions SET last_seen_at = $2, idle_expires_at = $3 \
                 WHERE id_hash = $1 AND ended_at IS NULL",
            )
            .bind(&session.id_hash)
            .bind(ts(now))
            .bind(ts(idle_expires_at))
            .execute(&self.pools.writer)
            .await?;
            session.last_seen_at = now;
            session.idle_expires_at = idle_expires_at;
        }
        Ok(SessionLookup::Active(session))
    }

    /// How many sessions of `email` are active at `now`.
    pub async fn active_console_sessions(&self, email: &str, now: DateTime<Utc>) -> Result<u64> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM console_sessions WHERE email_key = $1 AND ended_at IS NULL \
             AND idle_expires_at > $2 AND absolute_expires_at > $2",
        )
        .bind(email_key(email))
        .bind(ts(now))
        .fetch_one(&self.pools.reader)
        .await?;
        Ok(u64::try_from(row.try_get::<i64, _>("n")?).unwrap_or(0))
    }
}

impl WriteTx<'_> {
    /// Starts a session at `now`; returns its id (for the cookie, shown once) and the record.
    /// Also deletes sessions that expired long ago.
    pub async fn start_console_session(
        &mut self,
        new: NewSession,
        now: DateTime<Utc>,
    ) -> Result<(SessionSecret, ConsoleSession)> {
        let secret = SessionSecret(random_hex()?);
        let absolute_expires_at = now + new.absolute;
        let session = ConsoleSession {
            id_hash: session_hash(secret.expose()),
            email: new.email.trim().to_string(),
            role: new.role,
            method: new.method,
            csrf_secret: random_hex()?,
            client: new.client,
            created_at: now,
            last_seen_at: now,
            idle_expires_at: (now + new.idle).min(absolute_expires_at),
            absolute_expires_at,
            ended_at: None,
        };
        sqlx::query("DELETE FROM console_sessions WHERE absolute_expires_at < $1")
            .bind(ts(now - KEEP_EXPIRED))
            .execute(&mut *self.tx)
            .await?;
        sqlx::query(
            "INSERT INTO console_sessions (id_hash, email, email_key, role, method, csrf_secret, \
             client, created_at, last_seen_at, idle_expires_at, absolute_expires_at, ended_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, NULL)",
        )
        .bind(&session.id_hash)
        .bind(&session.email)
        .bind(email_key(&session.email))
        .bind(name_of(&session.role))
        .bind(&session.method)
        .bind(&session.csrf_secret)
        .bind(session.client.as_deref())
        .bind(ts(now))
        .bind(ts(session.idle_expires_at))
        .bind(ts(session.absolute_expires_at))
        .execute(&mut *self.tx)
        .await?;
        self.mark_changed();
        Ok((secret, session))
    }

    /// Ends the session stored under `id_hash` (sign-out). Ending an ended session keeps the
    /// first end time; returns whether a running session was ended.
    pub async fn end_console_session(&mut self, id_hash: &str, now: DateTime<Utc>) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE console_sessions SET ended_at = $2 WHERE id_hash = $1 AND ended_at IS NULL",
        )
        .bind(id_hash)
        .bind(ts(now))
        .execute(&mut *self.tx)
        .await?;
        self.mark_changed();
        Ok(done.rows_affected() > 0)
    }

    /// Ends every running session of `email`; returns how many.
    pub async fn end_console_sessions_for(
        &mut self,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE console_sessions SET ended_at = $2 WHERE email_key = $1 AND ended_at IS NULL",
        )
        .bind(email_key(email))
        .bind(ts(now))
        .execute(&mut *self.tx)
        .await?;
        self.mark_changed();
        Ok(done.rows_affected())
    }
}

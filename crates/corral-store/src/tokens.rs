//! API tokens: issued once, stored only as a hash, looked up by what a client presents.
//!
//! A token is `corral_` followed by 64 hex digits from the operating system's random number
//! generator (256 bits). Because it is that random, a plain SHA-256 of it is a safe thing to
//! store: there is nothing to brute-force, so no slow password hash is needed, and lookup is
//! one indexed equality. The clear token exists only in the [`IssuedToken`] returned at issue
//! time (its `Debug` hides it); the database never sees it, and neither do logs.
//!
//! The `corral_` prefix makes leaked tokens easy to find with a secret scanner.
//!
//! `last_used_at` is bookkeeping, not a state change: it is updated (at most once a minute per
//! token) without an audit entry. Issuing and revoking are audited like any change.

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use corral_model::Role;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::columns::{RowReader, name_of, ts, ts_opt};
use crate::error::{Result, StoreError};
use crate::store::Store;
use crate::write_tx::WriteTx;

/// Every token starts with this.
pub const TOKEN_PREFIX: &str = "corral_";

/// A token as stored: everything but the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: Uuid,
    /// What it is for, e.g. `ci-upload` or `ana's laptop`.
    pub name: String,
    /// The person it acts as.
    pub email: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub last_used_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiToken {
    /// Whether the token may be used at `now`.
    pub fn is_usable(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| now < e)
    }
}

/// What to issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    pub name: String,
    pub email: String,
    pub role: Role,
    pub expires_at: Option<DateTime<Utc>>,
}

/// The clear token, shown to its owner once.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenSecret(String);

impl TokenSecret {
    /// The token text, to show the person who asked for it, once.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TokenSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenSecret(corral_…)")
    }
}

/// A newly issued token and its secret.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: ApiToken,
    pub secret: TokenSecret,
}

/// The stored hash of a presented token.
pub fn token_hash(presented: &str) -> String {
    hex::encode(Sha256::digest(presented.trim().as_bytes()))
}

/// 256 bits from the operating system's random number generator, as 64 hex digits: for
/// token texts, console session ids and their CSRF secrets.
pub(crate) fn random_hex() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| {
        StoreError::Invalid(format!(
            "the operating system's random number generator failed: {e}"
        ))
    })?;
    Ok(hex::encode(bytes))
}

fn new_secret() -> Result<TokenSecret> {
    Ok(TokenSecret(format!("{TOKEN_PREFIX}{}", random_hex()?)))
}

const TOKEN_COLUMNS: &str =
    "id, name, email, role, created_at, expires_at, last_used_at, revoked_at";

fn token_of(row: &AnyRow) -> Result<ApiToken> {
    let r = RowReader::new(row, "api_tokens", "id");
    Ok(ApiToken {
        id: r.uuid("id")?,
        name: r.text("name")?,
        email: r.text("email")?,
        role: r.name("role")?,
        created_at: r.time("created_at")?,
        expires_at: r.time_opt("expires_at")?,
        last_used_at: r.time_opt("last_used_at")?,
        revoked_at: r.time_opt("revoked_at")?,
    })
}

/// `last_used_at` is refreshed when older than this.
const LAST_USED_GRANULARITY: Duration = Duration::minutes(1);

impl Store {
    /// The token a client presented, when it exists, is not revoked and has not expired.
    /// Refreshes its `last_used_at` (at most once a minute).
    pub async fn authenticate_token(
        &self,
        presented: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<ApiToken>> {
        if !presented.trim().starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let row = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1"
        ))
        .bind(token_hash(presented))
        .fetch_optional(&self.pools.reader)
        .await?;
        let Some(mut token) = row.as_ref().map(token_of).transpose()? else {
            return Ok(None);
        };
        if !token.is_usable(now) {
            return Ok(None);
        }
        if token
            .last_used_at
            .is_none_or(|t| now - t >= LAST_USED_GRANULARITY)
        {
            sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
                .bind(token.id.to_string())
                .bind(ts(now))
                .execute(&self.pools.writer)
                .await?;
            token.last_used_at = Some(now);
        }
        Ok(Some(token))
    }

    /// Every token (revoked ones too), newest first; only `email`'s when given.
    pub async fn tokens(&self, email: Option<&str>) -> Result<Vec<ApiToken>> {
        let rows = match email {
            Some(e) => {
                sqlx::query(&format!(
                    "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE lower(email) = $1 \
                     ORDER BY created_at DESC, id"
                ))
                .bind(e.trim().to_lowercase())
                .fetch_all(&self.pools.reader)
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY created_at DESC, id"
                ))
                .fetch_all(&self.pools.reader)
                .await?
            }
        };
        rows.iter().map(token_of).collect()
    }

    pub async fn token(&self, id: Uuid) -> Result<Option<ApiToken>> {
        let row = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(&self.pools.reader)
        .await?;
        row.as_ref().map(token_of).transpose()
    }
}

impl WriteTx<'_> {
    /// Issues a token. The returned secret is the only copy: show it once.
    pub async fn issue_token(&mut self, new: NewToken, now: DateTime<Utc>) -> Result<IssuedToken> {
        let secret = new_secret()?;
        let token = ApiToken {
            id: Uuid::now_v7(),
            name: new.name,
            email: new.email,
            role: new.role,
            created_at: now,
            expires_at: new.expires_at,
            last_used_at: None,
            revoked_at: None,
        };
        sqlx::query(
            "INSERT INTO api_tokens (id, name, email, role, token_hash, created_at, expires_at, \
             last_used_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL)",
        )
        .bind(token.id.to_string())
        .bind(&token.name)
        .bind(&token.email)
        .bind(name_of(&token.role))
        .bind(token_hash(secret.expose()))
        .bind(ts(token.created_at))
        .bind(ts_opt(token.expires_at))
        .execute(&mut *self.tx)
        .await?;
        self.mark_changed();
        Ok(IssuedToken { token, secret })
    }

    /// Revokes a token from `now` on. Revoking a revoked token keeps the first time.
    pub async fn revoke_token(&mut self, id: Uuid, now: DateTime<Utc>) -> Result<()> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1",
        )
        .bind(id.to_string())
        .bind(ts(now))
        .execute(&mut *self.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                kind: "token",
                id: id.to_string(),
            });
        }
        self.mark_changed();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_prefixed_random_and_never_shown_by_debug() {
        let a = new_secret().unwrap();
        let b = new_secret().unwrap();
        assert!(a.expose().starts_with("corral_"));
        assert_eq!(a.expose().len(), "corral_".len() + 64);
        assert_ne!(a, b);
        assert!(!format!("{a:?}").contains(&a.expose()[7..]));
    }

    #[test]
    fn the_stored_hash_is_sha256_of_the_token() {
        assert_eq!(
            token_hash("corral_x"),
            hex::encode(Sha256::digest(b"corral_x"))
        );
    }
}

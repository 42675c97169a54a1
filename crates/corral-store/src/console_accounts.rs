//! Console accounts: the people who sign in to the web console with a password.
//!
//! An account is an e-mail (case-insensitive, the key), a role from `corral_model::Role`,
//! an argon2id password hash in PHC form, and whether it is disabled. The store never sees
//! a clear password: hashing and checking belong to the server, which owns the choice of
//! algorithm. The hash is kept out of [`ConsoleAccount`] and read only through
//! [`Store::console_credentials`], so a list of accounts cannot leak it into a page or a log.
//!
//! Creating, changing the role of, disabling and re-enabling an account, and setting a
//! password are state changes: they go through a [`WriteTx`] and its audit entry like every
//! other change.

use chrono::{DateTime, Utc};
use corral_model::Role;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

use crate::columns::{RowReader, name_of, ts, ts_opt};
use crate::error::{Result, StoreError};
use crate::store::Store;
use crate::write_tx::WriteTx;

/// A console account, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleAccount {
    pub email: String,
    pub role: Role,
    /// When it was disabled; a disabled account cannot sign in.
    #[serde(default)]
    pub disabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub password_changed_at: DateTime<Utc>,
}

impl ConsoleAccount {
    pub fn is_enabled(&self) -> bool {
        self.disabled_at.is_none()
    }
}

/// An account and its stored password hash, for checking a sign-in.
#[derive(Clone, PartialEq, Eq)]
pub struct ConsoleCredentials {
    pub account: ConsoleAccount,
    /// The PHC string (`$argon2id$v=19$…`).
    pub password_hash: String,
}

impl std::fmt::Debug for ConsoleCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsoleCredentials")
            .field("account", &self.account)
            .field("password_hash", &"<hidden>")
            .finish()
    }
}

const ACCOUNT_COLUMNS: &str =
    "email, role, disabled_at, created_at, updated_at, password_changed_at";

fn account_of(row: &AnyRow) -> Result<ConsoleAccount> {
    let r = RowReader::new(row, "console_accounts", "email");
    Ok(ConsoleAccount {
        email: r.text("email")?,
        role: r.name("role")?,
        disabled_at: r.time_opt("disabled_at")?,
        created_at: r.time("created_at")?,
        updated_at: r.time("updated_at")?,
        password_changed_at: r.time("password_changed_at")?,
    })
}

/// The key an e-mail is stored and looked up under.
pub(crate) fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

async fn fetch_account<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    email: &str,
) -> Result<Option<ConsoleAccount>> {
    let row = sqlx::query(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM console_accounts WHERE email_key = $1"
    ))
    .bind(email_key(email))
    .fetch_optional(executor)
    .await?;
    row.as_ref().map(account_of).transpose()
}

impl Store {
    /// The account for `email` (case-insensitive).
    pub async fn console_account(&self, email: &str) -> Result<Option<ConsoleAccount>> {
        fetch_account(&self.pools.reader, email).await
    }

    /// The account for `email` with its password hash, to check a sign-in.
    pub async fn console_credentials(&self, email: &str) -> Result<Option<ConsoleCredentials>> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, password_hash FROM console_accounts WHERE email_key = $1"
        ))
        .bind(email_key(email))
        .fetch_optional(&self.pools.reader)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let r = RowReader::new(&row, "console_accounts", "email");
        Ok(Some(ConsoleCredentials {
            account: account_of(&row)?,
            password_hash: r.text("password_hash")?,
        }))
    }

    /// Every account, by e-mail.
    pub async fn console_accounts(&self) -> Result<Vec<ConsoleAccount>> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM console_accounts ORDER BY email_key"
        ))
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter().map(account_of).collect()
    }
}

impl WriteTx<'_> {
    /// The account for `email`, as this transaction sees it.
    pub async fn console_account(&mut self, email: &str) -> Result<Option<ConsoleAccount>> {
        fetch_account(&mut *self.tx, email).await
    }

    /// Creates an account. An account with the same e-mail (in any case) is refused with
    /// [`StoreError::Invalid`] naming it.
    pub async fn insert_console_account(
        &mut self,
        email: &str,
        role: Role,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<ConsoleAccount> {
        if let Some(existing) = fetch_account(&mut *self.tx, email).await? {
            return Err(StoreError::Invalid(format!(
                "a console account for `{}` already exists",
                existing.email
            )));
        }
        let account = ConsoleAccount {
            email: email.trim().to_string(),
            role,
            disabled_at: None,
            created_at: now,
            updated_at: now,
            password_changed_at: now,
        };
        sqlx::query(
            "INSERT INTO console_accounts (email_key, email, role, password_hash, disabled_at, \
             created_at, updated_at, password_changed_at) VALUES ($1, $2, $3, $4, NULL, $5, $5, \
             $5)",
        )
        .bind(email_key(email))
        .bind(&account.email)
        .bind(name_of(&role))
        .bind(password_hash)
        .bind(ts(now))
        .execute(&mut *self.tx)
        .await?;
        self.mark_changed();
        Ok(account)
    }

    /// Changes an account's role.
    pub async fn set_console_role(
        &mut self,
        email: &str,
        role: Role,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let done = sqlx::query(
            "UPDATE console_accounts SET role = $2, updated_at = $3 WHERE email_key = $1",
        )
        .bind(email_key(email))
        .bind(name_of(&role))
        .bind(ts(now))
        .execute(&mut *self.tx)
        .await?;
        self.account_changed(email, done.rows_affected())
    }

    /// Disables (`disabled = true`, from `now`) or re-enables an account.
    pub async fn set_console_disabled(
        &mut self,
        email: &str,
        disabled: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let done = sqlx::query(
            "UPDATE console_accounts SET disabled_at = $2, updated_at = $3 WHERE email_key = $1",
        )
        .bind(email_key(email))
        .bind(ts_opt(disabled.then_some(now)))
        .bind(ts(now))
        .execute(&mut *self.tx)
        .await?;
        self.account_changed(email, done.rows_affected())
    }

    /// Replaces an account's password hash.
    pub async fn set_console_password(
        &mut self,
        email: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let done = sqlx::query(
            "UPDATE console_accounts SET password_hash = $2, password_changed_at = $3, \
             updated_at = $3 WHERE email_key = $1",
        )
        .bind(email_key(email))
        .bind(password_hash)
        .bind(ts(now))
        .execute(&mut *self.tx)
        .await?;
        self.account_changed(email, done.rows_affected())
    }

    fn account_changed(&mut self, email: &str, rows: u64) -> Result<()> {
        if rows == 0 {
            return Err(StoreError::NotFound {
                kind: "console account",
                id: email.trim().to_string(),
            });
        }
        self.mark_changed();
        Ok(())
    }
}

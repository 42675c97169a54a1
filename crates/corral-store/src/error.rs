//! Everything that can go wrong in the store, phrased for the person who has to fix it.
//!
//! Conflicts carry the existing record's id and name so the API can say "already registered
//! as `lead-scoring`" instead of "unique constraint violated". Database URLs are shown with
//! their password removed.

use std::path::PathBuf;

use uuid::Uuid;

/// What made a registration or edit collide with an existing asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictField {
    /// Another asset has this name.
    Name,
    /// Another asset lives in the same repository (compared after
    /// [`normalize_repository`](corral_model::asset::normalize_repository)).
    Repository,
}

impl ConflictField {
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictField::Name => "name",
            ConflictField::Repository => "repository",
        }
    }
}

/// The asset a new or edited one collides with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub field: ConflictField,
    pub existing_id: Uuid,
    pub existing_name: String,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "`{0}` is not a database URL Corral can use: give sqlite://PATH or \
         postgres://USER@HOST:PORT/DATABASE"
    )]
    UnsupportedUrl(String),
    #[error("cannot open the database {location}: {source}")]
    Connect {
        location: String,
        source: sqlx::Error,
    },
    #[error(
        "the database at {location} has schema version {found}, but this Corral ({binary}) only \
         knows versions up to {supported}: it was upgraded by a newer Corral. Run that newer \
         version, or restore the backup taken before the upgrade; this binary will not touch it"
    )]
    SchemaTooNew {
        location: String,
        found: i64,
        supported: i64,
        binary: &'static str,
    },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error(
        "an asset with this {} already exists: `{}` ({})",
        .0.field.as_str(), .0.existing_name, .0.existing_id
    )]
    Conflict(Conflict),
    #[error("no {kind} `{id}`")]
    NotFound { kind: &'static str, id: String },
    #[error("the stored {table}.{column} of `{id}` cannot be read: {reason}")]
    Corrupt {
        table: &'static str,
        column: &'static str,
        id: String,
        reason: String,
    },
    #[error(
        "this change was not given an audit entry, so it was rolled back: every state change \
         must call WriteTx::audit before commit"
    )]
    Unaudited,
    #[error("{0}")]
    Key(#[from] corral_audit::KeyError),
    /// The audit log's stored state is damaged (the message says how, and what to run).
    #[error("{0}")]
    AuditLog(String),
    #[error("{0}")]
    Invalid(String),
    /// The shared SQLite transaction this change was part of did not commit (see
    /// `group_commit.rs`): nothing of the change was stored.
    #[error("the database did not commit this change, so nothing of it was stored: {0}")]
    CommitFailed(String),
}

impl StoreError {
    /// The conflict, when this error is one.
    pub fn conflict(&self) -> Option<&Conflict> {
        match self {
            StoreError::Conflict(c) => Some(c),
            _ => None,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A database URL fit for messages and logs: the password, if any, replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map(|(u, _)| u).unwrap_or(userinfo);
            let masked = if userinfo.contains(':') {
                format!("{user}:***")
            } else {
                user.to_string()
            };
            format!("{scheme}://{masked}@{host}{tail}")
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_passwords_never_appear_in_messages() {
        assert_eq!(
            redact_url("postgres://corral:s3cret@db.internal:5432/corral"),
            "postgres://corral:***@db.internal:5432/corral"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(
            redact_url("sqlite:///var/lib/corral.db"),
            "sqlite:///var/lib/corral.db"
        );
    }
}

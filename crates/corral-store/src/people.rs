//! People: who has which roles, who has left, and handing their assets over.
//!
//! Ownership itself lives on the assets (owner, backup owner, creator); "who owns what" is an
//! asset list filtered by [`AssetQuery::involving`](crate::AssetQuery::involving). This table
//! adds what the assets cannot say: a person's roles, display name, and whether they left and
//! to whom their work went.
//!
//! A hand-over ([`WriteTx::apply_handover`]) applies a whole
//! [`HandoverPlan`] in the caller's transaction: every asset changes, the leaver is marked as
//! departed, and the audit entry lands, or none of it does.

use chrono::{DateTime, Utc};
use corral_model::handover::HandoverPlan;
use corral_model::{Asset, Role};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

use crate::columns::{RowReader, json, ts, ts_opt};
use crate::error::{Result, StoreError};
use crate::store::Store;
use crate::write_tx::WriteTx;

/// A person Corral knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub email: String,
    #[serde(default)]
    pub display_name: Option<String>,
    pub roles: Vec<Role>,
    /// When they left, if they did.
    #[serde(default)]
    pub departed_at: Option<DateTime<Utc>>,
    /// Who took over their assets.
    #[serde(default)]
    pub successor_email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Person {
    pub fn new(email: impl Into<String>, roles: Vec<Role>, now: DateTime<Utc>) -> Self {
        Self {
            email: email.into(),
            display_name: None,
            roles,
            departed_at: None,
            successor_email: None,
            created_at: now,
            updated_at: now,
        }
    }

    pub fn is_active(&self) -> bool {
        self.departed_at.is_none()
    }
}

const PERSON_COLUMNS: &str =
    "email, display_name, roles, departed_at, successor_email, created_at, updated_at";

fn person_of(row: &AnyRow) -> Result<Person> {
    let r = RowReader::new(row, "people", "email");
    Ok(Person {
        email: r.text("email")?,
        display_name: r.text_opt("display_name")?,
        roles: r.json("roles")?,
        departed_at: r.time_opt("departed_at")?,
        successor_email: r.text_opt("successor_email")?,
        created_at: r.time("created_at")?,
        updated_at: r.time("updated_at")?,
    })
}

impl Store {
    /// The person with this e-mail (case-insensitive).
    pub async fn person(&self, email: &str) -> Result<Option<Person>> {
        let row = sqlx::query(&format!(
            "SELECT {PERSON_COLUMNS} FROM people WHERE email_key = $1"
        ))
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.pools.reader)
        .await?;
        row.as_ref().map(person_of).transpose()
    }

    /// Everyone, by e-mail.
    pub async fn people(&self) -> Result<Vec<Person>> {
        let rows = sqlx::query(&format!(
            "SELECT {PERSON_COLUMNS} FROM people ORDER BY email_key"
        ))
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter().map(person_of).collect()
    }
}

impl WriteTx<'_> {
    /// Creates or replaces the person with `person.email` (case-insensitive).
    pub async fn upsert_person(&mut self, person: &Person) -> Result<()> {
        sqlx::query(
            "INSERT INTO people (email_key, email, display_name, roles, departed_at, \
             successor_email, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (email_key) DO UPDATE SET email = excluded.email, \
             display_name = excluded.display_name, roles = excluded.roles, \
             departed_at = excluded.departed_at, successor_email = excluded.successor_email, \
             updated_at = excluded.updated_at",
        )
        .bind(person.email.trim().to_lowercase())
        .bind(person.email.trim())
        .bind(person.display_name.as_deref())
        .bind(json(&person.roles))
        .bind(ts_opt(person.departed_at))
        .bind(person.successor_email.as_deref())
        .bind(ts(person.created_at))
        .bind(ts(person.updated_at))
        .execute(&mut *self.tx)
        .await?;
        self.mark_changed();
        Ok(())
    }

    /// Applies `plan` (from [`corral_model::handover::plan_handover`]): every asset it names
    /// gets its new owner or backup owner, and `leaver` is recorded as departed with
    /// `successor`. Returns the assets as changed. Fails, changing nothing once the caller
    /// drops the transaction, if an asset in the plan no longer exists.
    pub async fn apply_handover(
        &mut self,
        plan: &HandoverPlan,
        leaver: &str,
        successor: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Asset>> {
        let mut ids: Vec<_> = plan.changes.iter().map(|c| c.asset_id).collect();
        ids.sort();
        ids.dedup();
        let mut changed = Vec::with_capacity(ids.len());
        for id in ids {
            let mut asset = self.asset(id).await?.ok_or_else(|| StoreError::NotFound {
                kind: "asset",
                id: id.to_string(),
            })?;
            plan.apply_to(&mut asset);
            asset.updated_at = now;
            self.update_asset(&asset).await?;
            changed.push(asset);
        }
        let existing = sqlx::query(&format!(
            "SELECT {PERSON_COLUMNS} FROM people WHERE email_key = $1"
        ))
        .bind(leaver.trim().to_lowercase())
        .fetch_optional(&mut *self.tx)
        .await?;
        let mut person = match existing.as_ref().map(person_of).transpose()? {
            Some(p) => p,
            None => Person::new(leaver.trim(), Vec::new(), now),
        };
        person.departed_at = Some(now);
        person.successor_email = Some(successor.trim().to_string());
        person.updated_at = now;
        self.upsert_person(&person).await?;
        Ok(changed)
    }
}

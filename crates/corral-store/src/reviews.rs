//! Reviews: the queue reviewers work from.
//!
//! A [`Review`] is stored whole (its required sign-offs, the sign-offs given and its outcome
//! are JSON), plus a `state` column, `open` or the closing approval state, so the queues
//! ("open", "overdue") are index lookups on `(state, due_at)`.

use chrono::{DateTime, Utc};
use corral_model::Review;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};
use uuid::Uuid;

use crate::columns::{RowReader, json, name_of, ts, ts_opt};
use crate::database::Backend;
use crate::deferred_inserts::Value;
use crate::error::{Result, StoreError};
use crate::store::Store;
use crate::write_tx::WriteTx;

const REVIEW_COLUMNS: &str = "id, asset_id, reason, opened_at, due_at, required, signoffs, outcome";

fn review_of(row: &AnyRow) -> Result<Review> {
    let r = RowReader::new(row, "reviews", "id");
    Ok(Review {
        id: r.uuid("id")?,
        asset_id: r.uuid("asset_id")?,
        reason: r.text("reason")?,
        opened_at: r.time("opened_at")?,
        due_at: r.time("due_at")?,
        required: r.json("required")?,
        signoffs: r.json("signoffs")?,
        outcome: r.json_opt("outcome")?,
    })
}

fn state_of(review: &Review) -> String {
    review
        .outcome
        .as_ref()
        .map_or_else(|| "open".to_string(), |o| name_of(&o.state))
}

async fn fetch_review<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: Uuid,
) -> Result<Option<Review>> {
    let row = sqlx::query(&format!(
        "SELECT {REVIEW_COLUMNS} FROM reviews WHERE id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(executor)
    .await?;
    row.as_ref().map(review_of).transpose()
}

impl Store {
    pub async fn review(&self, id: Uuid) -> Result<Option<Review>> {
        fetch_review(&self.pools.reader, id).await
    }

    /// Every review of an asset, oldest first.
    pub async fn reviews_for_asset(&self, asset_id: Uuid) -> Result<Vec<Review>> {
        let rows = sqlx::query(&format!(
            "SELECT {REVIEW_COLUMNS} FROM reviews WHERE asset_id = $1 ORDER BY opened_at, id"
        ))
        .bind(asset_id.to_string())
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter().map(review_of).collect()
    }

    /// The asset's open review, if it has one.
    pub async fn open_review_for_asset(&self, asset_id: Uuid) -> Result<Option<Review>> {
        let row = sqlx::query(&format!(
            "SELECT {REVIEW_COLUMNS} FROM reviews WHERE asset_id = $1 AND state = 'open' \
             ORDER BY opened_at DESC LIMIT 1"
        ))
        .bind(asset_id.to_string())
        .fetch_optional(&self.pools.reader)
        .await?;
        row.as_ref().map(review_of).transpose()
    }

    /// Open reviews, the soonest due first.
    pub async fn open_reviews(&self, limit: u32, offset: u64) -> Result<Vec<Review>> {
        let rows = sqlx::query(&format!(
            "SELECT {REVIEW_COLUMNS} FROM reviews WHERE state = 'open' ORDER BY due_at, id \
             LIMIT $1 OFFSET $2"
        ))
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter().map(review_of).collect()
    }

    /// Open reviews past their deadline at `now`, the most overdue first.
    pub async fn overdue_reviews(&self, now: DateTime<Utc>) -> Result<Vec<Review>> {
        let rows = sqlx::query(&format!(
            "SELECT {REVIEW_COLUMNS} FROM reviews WHERE state = 'open' AND due_at < $1 \
             ORDER BY due_at, id"
        ))
        .bind(ts(now))
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter().map(review_of).collect()
    }
}

impl WriteTx<'_> {
    /// The review with this id, as this transaction sees it.
    pub async fn review(&mut self, id: Uuid) -> Result<Option<Review>> {
        self.insert_deferred().await?;
        fetch_review(&mut *self.tx, id).await
    }

    /// Stores a newly opened review. On PostgreSQL the row is written at commit, with the
    /// audit entries, or before this transaction reads or updates a review (see
    /// `deferred_inserts.rs`).
    pub async fn open_review(&mut self, review: &Review) -> Result<()> {
        if self.store.backend() == Backend::Postgres {
            self.defer(
                "reviews",
                "id, asset_id, reason, opened_at, due_at, required, signoffs, outcome, state, \
                 closed_at",
                vec![
                    Value::Text(review.id.to_string()),
                    Value::Text(review.asset_id.to_string()),
                    Value::Text(review.reason.clone()),
                    Value::Text(ts(review.opened_at)),
                    Value::Text(ts(review.due_at)),
                    Value::Text(json(&review.required)),
                    Value::Text(json(&review.signoffs)),
                    Value::OptText(review.outcome.as_ref().map(json)),
                    Value::Text(state_of(review)),
                    Value::OptText(ts_opt(review.outcome.as_ref().map(|o| o.at))),
                ],
            );
            self.mark_changed();
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO reviews (id, asset_id, reason, opened_at, due_at, required, signoffs, \
             outcome, state, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(review.id.to_string())
        .bind(review.asset_id.to_string())
        .bind(&review.reason)
        .bind(ts(review.opened_at))
        .bind(ts(review.due_at))
        .bind(json(&review.required))
        .bind(json(&review.signoffs))
        .bind(review.outcome.as_ref().map(json))
        .bind(state_of(review))
        .bind(ts_opt(review.outcome.as_ref().map(|o| o.at)))
        .execute(&mut *self.tx)
        .await?;
        self.mark_changed();
        Ok(())
    }

    /// Stores a review's sign-offs and outcome after [`Review::act`].
    pub async fn update_review(&mut self, review: &Review) -> Result<()> {
        self.insert_deferred().await?;
        let done = sqlx::query(
            "UPDATE reviews SET reason = $2, due_at = $3, required = $4, signoffs = $5, \
             outcome = $6, state = $7, closed_at = $8 WHERE id = $1",
        )
        .bind(review.id.to_string())
        .bind(&review.reason)
        .bind(ts(review.due_at))
        .bind(json(&review.required))
        .bind(json(&review.signoffs))
        .bind(review.outcome.as_ref().map(json))
        .bind(state_of(review))
        .bind(ts_opt(review.outcome.as_ref().map(|o| o.at)))
        .execute(&mut *self.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                kind: "review",
                id: review.id.to_string(),
            });
        }
        self.mark_changed();
        Ok(())
    }
}

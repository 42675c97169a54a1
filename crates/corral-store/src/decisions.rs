//! Decisions: the asset's history as people read it.
//!
//! Append-only: what the policy or a person decided, by whom, when and why. The audit log
//! holds the same facts in tamper-evident form; this table is for reading them back per asset.

use corral_model::Decision;
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::columns::{RowReader, name_of, ts};
use crate::database::Backend;
use crate::deferred_inserts::Value;
use crate::error::Result;
use crate::store::Store;
use crate::write_tx::WriteTx;

const DECISION_COLUMNS: &str = "id, asset_id, review_id, kind, actor, role, comment, at";

fn decision_of(row: &AnyRow) -> Result<Decision> {
    let r = RowReader::new(row, "decisions", "id");
    Ok(Decision {
        id: r.uuid("id")?,
        asset_id: r.uuid("asset_id")?,
        review_id: r.uuid_opt("review_id")?,
        kind: r.name("kind")?,
        actor: r.text("actor")?,
        role: r.name_opt("role")?,
        comment: r.text("comment")?,
        at: r.time("at")?,
    })
}

impl Store {
    /// The asset's decisions, oldest first.
    pub async fn decisions_for_asset(&self, asset_id: Uuid) -> Result<Vec<Decision>> {
        let rows = sqlx::query(&format!(
            "SELECT {DECISION_COLUMNS} FROM decisions WHERE asset_id = $1 ORDER BY at, id"
        ))
        .bind(asset_id.to_string())
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter().map(decision_of).collect()
    }
}

impl WriteTx<'_> {
    /// Appends a decision to the asset's history. On PostgreSQL the row is written at commit,
    /// with the audit entries (see `deferred_inserts.rs`).
    pub async fn append_decision(&mut self, decision: &Decision) -> Result<()> {
        if self.store.backend() == Backend::Postgres {
            self.defer(
                "decisions",
                DECISION_COLUMNS,
                vec![
                    Value::Text(decision.id.to_string()),
                    Value::Text(decision.asset_id.to_string()),
                    Value::OptText(decision.review_id.map(|u| u.to_string())),
                    Value::Text(name_of(&decision.kind)),
                    Value::Text(decision.actor.clone()),
                    Value::OptText(decision.role.as_ref().map(name_of)),
                    Value::Text(decision.comment.clone()),
                    Value::Text(ts(decision.at)),
                ],
            );
            self.mark_changed();
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO decisions (id, asset_id, review_id, kind, actor, role, comment, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(decision.id.to_string())
        .bind(decision.asset_id.to_string())
        .bind(decision.review_id.map(|u| u.to_string()))
        .bind(name_of(&decision.kind))
        .bind(&decision.actor)
        .bind(decision.role.as_ref().map(name_of))
        .bind(&decision.comment)
        .bind(ts(decision.at))
        .execute(&mut *self.tx)
        .await?;
        self.mark_changed();
        Ok(())
    }
}

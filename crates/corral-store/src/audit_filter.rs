//! Reading the audit log the way a person browses it: newest first, filtered by who did
//! it, what they did and what it was about, a page at a time.
//!
//! The log itself (appending, proofs, verification) is `audit_log.rs`; this file only
//! reads. Pages are keyed by sequence number (`before`), not by offset, so a page stays
//! the same while new entries are appended at the other end.

use crate::audit_log::{AuditRecord, ENTRY_COLUMNS, record_of};
use crate::error::Result;
use crate::store::Store;

/// Which entries to show. Every given filter applies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Exact actor (an e-mail, `policy`, `system`), case-insensitive.
    pub actor: Option<String>,
    /// Exact action (`asset.registered`), or a prefix ending in `.` (`review.`) for a family.
    pub action: Option<String>,
    /// Exact subject (usually an asset id).
    pub subject: Option<String>,
    /// Only entries with a sequence number below this.
    pub before: Option<u64>,
}

impl Store {
    /// Up to `limit` entries matching `filter`, newest first.
    pub async fn audit_records_filtered(
        &self,
        filter: &AuditFilter,
        limit: u32,
    ) -> Result<Vec<AuditRecord>> {
        let mut conditions = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        let numbered = |binds: &mut Vec<String>, value: String| {
            binds.push(value);
            format!("${}", binds.len())
        };
        let clean = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        if let Some(actor) = clean(&filter.actor) {
            let p = numbered(&mut binds, actor.to_lowercase());
            conditions.push(format!("lower(actor) = {p}"));
        }
        if let Some(action) = clean(&filter.action) {
            if let Some(family) = action.strip_suffix('.') {
                let low = numbered(&mut binds, format!("{family}."));
                // '/' sorts right after '.', so [family., family/) is every `family.*`.
                let high = numbered(&mut binds, format!("{family}/"));
                conditions.push(format!("action >= {low} AND action < {high}"));
            } else {
                let p = numbered(&mut binds, action);
                conditions.push(format!("action = {p}"));
            }
        }
        if let Some(subject) = clean(&filter.subject) {
            let p = numbered(&mut binds, subject);
            conditions.push(format!("subject = {p}"));
        }
        // The one number is bound last, after the text values.
        if filter.before.is_some() {
            conditions.push(format!("seq < ${}", binds.len() + 1));
        }
        let filter_sql = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_events{filter_sql} ORDER BY seq DESC LIMIT {}",
            limit.clamp(1, 1000)
        );
        let mut query = sqlx::query(&sql);
        for b in &binds {
            query = query.bind(b.as_str());
        }
        if let Some(before) = filter.before {
            query = query.bind(i64::try_from(before).unwrap_or(i64::MAX));
        }
        let rows = query.fetch_all(&self.pools.reader).await?;
        rows.iter().map(record_of).collect()
    }
}

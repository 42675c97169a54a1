//! Browsing the gate's decision log the way a reviewer reads it: newest first, narrowed to a
//! project, an outcome or a rule, a page at a time, and last week's objections counted per
//! rule.
//!
//! The log grows by a row per file served, so every filter here is one an index of
//! migration 10 answers (`outcome, at`, `rule, at`, and 3's `project, at`): a reviewer asking
//! for last week's dry-run objections does not wait for a scan of a million downloads.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::columns::ts;
use crate::error::Result;
use crate::gate::{DECISION_COLUMNS, GateDecision, decision_of};
use crate::store::Store;

/// The outcomes that held something back, as recorded (`refused` for a file fetched
/// directly, `withheld` for what a page left out).
pub const BLOCKED_OUTCOMES: [&str; 2] = ["withheld", "refused"];

/// Which decisions to show. Every given filter applies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GateDecisionFilter {
    /// PEP 503 name.
    pub project: Option<String>,
    /// Any of these outcomes (`withheld`, `refused`, `dry-run`, `approved`, `served`); empty
    /// for every outcome.
    pub outcomes: Vec<String>,
    /// The rule (`typosquat`, `min-age`, `hash-mismatch`…).
    pub rule: Option<String>,
}

/// Objections to one rule over a period, by outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GateRuleCount {
    pub rule: String,
    /// Withheld or refused: the client did not get it.
    pub blocked: u64,
    /// Dry-run: served, but this rule would have blocked it.
    pub dry_run: u64,
}

impl GateDecisionFilter {
    /// The `WHERE` clause and its text parameters, numbered from `$1`.
    fn sql(&self) -> (String, Vec<String>) {
        let mut conditions = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        let clean = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        if let Some(project) = clean(&self.project) {
            binds.push(project);
            conditions.push(format!("project = ${}", binds.len()));
        }
        let outcomes: Vec<&String> = self.outcomes.iter().filter(|o| !o.is_empty()).collect();
        if !outcomes.is_empty() {
            let mut places = Vec::new();
            for o in outcomes {
                binds.push(o.clone());
                places.push(format!("${}", binds.len()));
            }
            conditions.push(format!("outcome IN ({})", places.join(", ")));
        }
        if let Some(rule) = clean(&self.rule) {
            binds.push(rule);
            conditions.push(format!("rule = ${}", binds.len()));
        }
        let sql = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        (sql, binds)
    }
}

impl Store {
    /// Up to `limit` decisions matching `filter`, newest first, after skipping `offset`.
    pub async fn gate_decision_page(
        &self,
        filter: &GateDecisionFilter,
        limit: u32,
        offset: u64,
    ) -> Result<Vec<GateDecision>> {
        let (where_sql, binds) = filter.sql();
        let sql = format!(
            "SELECT {DECISION_COLUMNS} FROM gate_decisions{where_sql} ORDER BY at DESC, id DESC LIMIT {} OFFSET {}",
            limit.clamp(1, 1000),
            offset.min(i64::MAX as u64)
        );
        let mut query = sqlx::query(&sql);
        for b in &binds {
            query = query.bind(b.as_str());
        }
        let rows = query.fetch_all(&self.pools.reader).await?;
        rows.iter().map(decision_of).collect()
    }

    /// How many decisions match `filter`.
    pub async fn count_gate_decisions(&self, filter: &GateDecisionFilter) -> Result<u64> {
        let (where_sql, binds) = filter.sql();
        let sql = format!("SELECT COUNT(*) AS n FROM gate_decisions{where_sql}");
        let mut query = sqlx::query(&sql);
        for b in &binds {
            query = query.bind(b.as_str());
        }
        let row = query.fetch_one(&self.pools.reader).await?;
        Ok(u64::try_from(row.try_get::<i64, _>("n")?).unwrap_or(0))
    }

    /// Objections recorded since `since`, per rule (most blocked first), counting what was
    /// blocked and what dry-run let through separately.
    pub async fn gate_objections_by_rule(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<GateRuleCount>> {
        let rows = sqlx::query(
            "SELECT rule, outcome, COUNT(*) AS n FROM gate_decisions \
             WHERE outcome IN ($1, $2, 'dry-run') AND at >= $3 AND rule IS NOT NULL \
             GROUP BY rule, outcome",
        )
        .bind(BLOCKED_OUTCOMES[0])
        .bind(BLOCKED_OUTCOMES[1])
        .bind(ts(since))
        .fetch_all(&self.pools.reader)
        .await?;
        let mut counts: Vec<GateRuleCount> = Vec::new();
        for row in &rows {
            let rule: String = row.try_get("rule")?;
            let outcome: String = row.try_get("outcome")?;
            let n = u64::try_from(row.try_get::<i64, _>("n")?).unwrap_or(0);
            let i = match counts.iter().position(|c| c.rule == rule) {
                Some(i) => i,
                None => {
                    counts.push(GateRuleCount {
                        rule,
                        ..GateRuleCount::default()
                    });
                    counts.len() - 1
                }
            };
            if outcome == "dry-run" {
                counts[i].dry_run += n;
            } else {
                counts[i].blocked += n;
            }
        }
        counts
            .sort_by(|a, b| (b.blocked, b.dry_run, &a.rule).cmp(&(a.blocked, a.dry_run, &b.rule)));
        Ok(counts)
    }

    /// Every rule named in the log, alphabetically, for a filter's choices.
    pub async fn gate_decision_rules(&self) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT DISTINCT rule FROM gate_decisions WHERE rule IS NOT NULL ORDER BY rule",
        )
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter()
            .map(|r| r.try_get::<String, _>("rule").map_err(Into::into))
            .collect()
    }
}

//! How Rust values become portable column values, and back.
//!
//! The same SQL runs on SQLite and PostgreSQL (see the crate documentation), so every column is
//! one of two types both understand identically: `TEXT` or `BIGINT`.
//!
//! - Timestamps are UTC text with microseconds and a `Z`, always the same width
//!   (`2026-11-20T15:00:00.123456Z`), so text order is time order and range filters work as
//!   plain string comparisons on both databases.
//! - UUIDs are lowercase hyphenated text.
//! - Structured values (systems, sign-offs, event payloads) are JSON text.
//! - Enums are their kebab-case names, the same strings the API and CLI use.
//!
//! Reading back never panics: a value that does not parse becomes [`StoreError::Corrupt`],
//! naming the table, column and row.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::error::StoreError;

/// A timestamp as stored.
pub fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// An optional timestamp as stored.
pub fn ts_opt(at: Option<DateTime<Utc>>) -> Option<String> {
    at.map(ts)
}

/// JSON text for a structured value.
pub fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("store values serialise to JSON")
}

/// The `VALUES` list of a multi-row insert: `rows` groups of `columns` numbered
/// placeholders, `($1, $2), ($3, $4)` for two rows of two.
pub fn value_rows(rows: usize, columns: usize) -> String {
    value_rows_after(0, rows, columns)
}

/// [`value_rows`] numbered from `$(before + 1)`, for a statement whose first `before`
/// placeholders are taken.
pub fn value_rows_after(before: usize, rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 5);
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", before + row * columns + column + 1));
        }
        sql.push(')');
    }
    sql
}

/// Reads one row of `table`, naming the row by `id` in errors.
pub struct RowReader<'r> {
    row: &'r AnyRow,
    table: &'static str,
    id: String,
}

impl<'r> RowReader<'r> {
    /// `id_column` names the column shown in errors to identify the row.
    pub fn new(row: &'r AnyRow, table: &'static str, id_column: &str) -> Self {
        let id = row
            .try_get::<String, _>(id_column)
            .or_else(|_| row.try_get::<i64, _>(id_column).map(|n| n.to_string()))
            .unwrap_or_else(|_| "?".into());
        Self { row, table, id }
    }

    pub fn corrupt(&self, column: &'static str, reason: impl ToString) -> StoreError {
        StoreError::Corrupt {
            table: self.table,
            column,
            id: self.id.clone(),
            reason: reason.to_string(),
        }
    }

    pub fn text(&self, column: &'static str) -> Result<String, StoreError> {
        self.row
            .try_get::<String, _>(column)
            .map_err(|e| self.corrupt(column, e))
    }

    pub fn text_opt(&self, column: &'static str) -> Result<Option<String>, StoreError> {
        self.row
            .try_get::<Option<String>, _>(column)
            .map_err(|e| self.corrupt(column, e))
    }

    pub fn int(&self, column: &'static str) -> Result<i64, StoreError> {
        self.row
            .try_get::<i64, _>(column)
            .map_err(|e| self.corrupt(column, e))
    }

    pub fn int_opt(&self, column: &'static str) -> Result<Option<i64>, StoreError> {
        self.row
            .try_get::<Option<i64>, _>(column)
            .map_err(|e| self.corrupt(column, e))
    }

    pub fn uuid(&self, column: &'static str) -> Result<Uuid, StoreError> {
        let text = self.text(column)?;
        Uuid::parse_str(&text).map_err(|e| self.corrupt(column, e))
    }

    pub fn uuid_opt(&self, column: &'static str) -> Result<Option<Uuid>, StoreError> {
        self.text_opt(column)?
            .map(|t| Uuid::parse_str(&t).map_err(|e| self.corrupt(column, e)))
            .transpose()
    }

    pub fn time(&self, column: &'static str) -> Result<DateTime<Utc>, StoreError> {
        let text = self.text(column)?;
        parse_ts(&text).map_err(|e| self.corrupt(column, e))
    }

    pub fn time_opt(&self, column: &'static str) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.text_opt(column)?
            .map(|t| parse_ts(&t).map_err(|e| self.corrupt(column, e)))
            .transpose()
    }

    pub fn json<T: DeserializeOwned>(&self, column: &'static str) -> Result<T, StoreError> {
        let text = self.text(column)?;
        serde_json::from_str(&text).map_err(|e| self.corrupt(column, e))
    }

    pub fn json_opt<T: DeserializeOwned>(
        &self,
        column: &'static str,
    ) -> Result<Option<T>, StoreError> {
        self.text_opt(column)?
            .map(|t| serde_json::from_str(&t).map_err(|e| self.corrupt(column, e)))
            .transpose()
    }

    /// A kebab-case enum stored as its name.
    pub fn name<T: DeserializeOwned>(&self, column: &'static str) -> Result<T, StoreError> {
        let text = self.text(column)?;
        serde_json::from_value(serde_json::Value::String(text)).map_err(|e| self.corrupt(column, e))
    }

    pub fn name_opt<T: DeserializeOwned>(
        &self,
        column: &'static str,
    ) -> Result<Option<T>, StoreError> {
        self.text_opt(column)?
            .map(|t| {
                serde_json::from_value(serde_json::Value::String(t))
                    .map_err(|e| self.corrupt(column, e))
            })
            .transpose()
    }
}

/// Parses a stored timestamp.
pub fn parse_ts(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc))
}

/// The stored name of a kebab-case enum (its serde name).
pub fn name_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => panic!("enum stored by name serialised as {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn value_rows_number_placeholders_row_by_row() {
        assert_eq!(value_rows(1, 3), "($1, $2, $3)");
        assert_eq!(value_rows(2, 2), "($1, $2), ($3, $4)");
        assert_eq!(value_rows(0, 4), "");
        assert_eq!(value_rows_after(4, 2, 1), "($5), ($6)");
    }

    #[test]
    fn timestamps_have_one_width_so_text_order_is_time_order() {
        let a = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let b = a + chrono::Duration::microseconds(1);
        assert_eq!(ts(a), "2026-01-02T03:04:05.000000Z");
        assert_eq!(ts(a).len(), ts(b).len());
        assert!(ts(a) < ts(b));
        assert_eq!(parse_ts(&ts(b)).unwrap(), b);
    }

    #[test]
    fn enums_are_stored_by_their_api_names() {
        assert_eq!(
            name_of(&corral_model::ApprovalState::PendingReview),
            "pending-review"
        );
        assert_eq!(name_of(&corral_model::RiskTier::Critical), "critical");
    }
}

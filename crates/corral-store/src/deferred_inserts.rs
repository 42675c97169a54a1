//! PostgreSQL: rows a write transaction inserts at its commit, in the audit append's statement.
//!
//! Every statement is a round trip to a PostgreSQL backend and a pass through its parser,
//! planner and executor, and on the registry benchmark those per-statement costs were a large
//! part of a registration's CPU. Some of a transaction's inserts are never read back inside
//! it: its decisions (`decisions.rs`) and its outbox events and their deliveries
//! (`outbox.rs`). On PostgreSQL those wait in the [`WriteTx`](crate::WriteTx) and go to the
//! database at commit as data-modifying `WITH` clauses of the statement that appends the
//! audit entries (`audit_log::append`), or, when that statement cannot take them, as one
//! statement of their own before the append. Either way they are written in the same
//! transaction as before, so they exist exactly when the change and its audit entries do; a
//! row that breaks a constraint fails the commit instead of the call that added it, and the
//! transaction rolls back as it would have.
//!
//! SQLite writes these rows at once, as before: its statements share one request to the
//! worker thread in other ways (see `audit_log::move_and_insert`).

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection};

use crate::error::Result;

/// Most bound values the deferred rows may take in the append's statement; beyond it they
/// are inserted on their own, in chunks, before the append. PostgreSQL allows 65,535 per
/// statement, and the append's own entries take some.
pub(crate) const MAX_VALUES: usize = 20_000;

/// One value of a deferred row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text(String),
    OptText(Option<String>),
    Int(i64),
}

/// Rows to insert into one table, all with the same columns.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DeferredInsert {
    pub table: &'static str,
    /// The column list, comma-separated, in the order of each row's values.
    pub columns: &'static str,
    pub rows: Vec<Vec<Value>>,
}

impl DeferredInsert {
    fn values(&self) -> usize {
        self.rows.iter().map(Vec::len).sum()
    }
}

/// How many values `inserts` bind in all.
pub(crate) fn value_count(inserts: &[DeferredInsert]) -> usize {
    inserts.iter().map(DeferredInsert::values).sum()
}

/// The `WITH` clauses that insert `inserts`, named `deferred0`, `deferred1`…, separated by
/// commas and with a trailing comma when there are any, numbering placeholders from
/// `$(before + 1)`. Returns the clauses and the number of placeholders they use.
pub(crate) fn with_clauses(inserts: &[DeferredInsert], before: usize) -> (String, usize) {
    let mut sql = String::new();
    let mut next = before;
    for (i, insert) in inserts.iter().filter(|i| !i.rows.is_empty()).enumerate() {
        sql.push_str(&format!(
            "deferred{i} AS (INSERT INTO {} ({}) VALUES ",
            insert.table, insert.columns
        ));
        for (r, row) in insert.rows.iter().enumerate() {
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for c in 0..row.len() {
                if c > 0 {
                    sql.push_str(", ");
                }
                next += 1;
                sql.push_str(&format!("${next}"));
            }
            sql.push(')');
        }
        sql.push_str("), ");
    }
    (sql, next - before)
}

/// Binds the values of `inserts` in the order [`with_clauses`] numbers them.
pub(crate) fn bind<'q>(
    mut query: Query<'q, Any, AnyArguments<'q>>,
    inserts: &'q [DeferredInsert],
) -> Query<'q, Any, AnyArguments<'q>> {
    for value in inserts.iter().flat_map(|i| i.rows.iter().flatten()) {
        query = match value {
            Value::Text(t) => query.bind(t.as_str()),
            Value::OptText(t) => query.bind(t.as_deref()),
            Value::Int(n) => query.bind(*n),
        };
    }
    query
}

/// Inserts `inserts` on their own: one statement when they fit in [`MAX_VALUES`], else one
/// statement per table and chunk of rows.
pub(crate) async fn insert_now(conn: &mut AnyConnection, inserts: &[DeferredInsert]) -> Result<()> {
    if inserts.iter().all(|i| i.rows.is_empty()) {
        return Ok(());
    }
    if value_count(inserts) <= MAX_VALUES {
        let (clauses, _) = with_clauses(inserts, 0);
        let sql = format!("WITH {} SELECT 1", clauses.trim_end_matches(", "));
        bind(sqlx::query(&sql), inserts).execute(&mut *conn).await?;
        return Ok(());
    }
    for insert in inserts {
        let per_row = insert.rows.first().map_or(1, Vec::len).max(1);
        for chunk in insert.rows.chunks((MAX_VALUES / per_row).max(1)) {
            let one = [DeferredInsert {
                table: insert.table,
                columns: insert.columns,
                rows: chunk.to_vec(),
            }];
            Box::pin(insert_now(conn, &one)).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insert(table: &'static str, rows: usize) -> DeferredInsert {
        DeferredInsert {
            table,
            columns: "a, b",
            rows: (0..rows)
                .map(|r| vec![Value::Int(r as i64), Value::Text(format!("{r}"))])
                .collect(),
        }
    }

    #[test]
    fn clauses_number_placeholders_after_the_ones_taken_and_skip_empty_inserts() {
        let inserts = [insert("one", 2), insert("none", 0), insert("two", 1)];
        let (sql, used) = with_clauses(&inserts, 4);
        assert_eq!(
            sql,
            "deferred0 AS (INSERT INTO one (a, b) VALUES ($5, $6), ($7, $8)), \
             deferred1 AS (INSERT INTO two (a, b) VALUES ($9, $10)), "
        );
        assert_eq!(used, 6);
        assert_eq!(value_count(&inserts), 6);
    }

    #[test]
    fn no_rows_make_no_clauses() {
        assert_eq!(with_clauses(&[insert("t", 0)], 3), (String::new(), 0));
    }
}

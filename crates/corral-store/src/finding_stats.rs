//! Open findings counted per severity: for the whole estate, per asset, and day by day.
//!
//! The estate's counts are kept, not computed: every transaction that opens, resolves or
//! re-grades findings adds up its changes ([`OpenFindingTally`]) and, at commit, applies them
//! to `finding_counts` and copies the result into today's row of `finding_trend`. Reading
//! the dashboard's numbers is then five rows, however many findings there are, and the
//! trend is one row per day and severity, written as the day goes. A day on which nothing
//! changed has no row: it had the counts of the last day before it that has one.
//!
//! Per-asset counts are counted from the asset's own findings, which an index keeps small.
//! Days are UTC dates.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use corral_model::{Severity, SeverityCounts, TrendDay};
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::columns::RowReader;
use crate::error::Result;
use crate::findings::severity_rank;
use crate::store::Store;

/// Longest trend one call returns, in days.
pub const MAX_TREND_DAYS: u32 = 366;

/// Changes to the number of open findings per severity, summed over a transaction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenFindingTally([i64; 5]);

fn slot(severity: Severity) -> usize {
    severity_rank(severity) as usize
}

impl OpenFindingTally {
    pub fn add(&mut self, severity: Severity, delta: i64) {
        self.0[slot(severity)] += delta;
    }

    pub fn get(&self, severity: Severity) -> i64 {
        self.0[slot(severity)]
    }

    pub fn is_zero(&self) -> bool {
        self.0.iter().all(|d| *d == 0)
    }
}

/// Applies `tally` to the estate's counts and records them as today's trend. Rows are
/// updated in one fixed order (most severe first), so concurrent writers on PostgreSQL queue
/// behind each other instead of deadlocking.
pub(crate) async fn apply_tally(
    conn: &mut AnyConnection,
    tally: &OpenFindingTally,
    now: DateTime<Utc>,
) -> Result<()> {
    for severity in Severity::ALL {
        let delta = tally.get(severity);
        if delta != 0 {
            sqlx::query("UPDATE finding_counts SET open = open + $1 WHERE severity = $2")
                .bind(delta)
                .bind(severity.as_str())
                .execute(&mut *conn)
                .await?;
        }
    }
    // `WHERE true` tells SQLite's parser that ON CONFLICT belongs to the INSERT.
    sqlx::query(
        "INSERT INTO finding_trend (day, severity, open) \
         SELECT $1, severity, open FROM finding_counts WHERE true \
         ON CONFLICT (day, severity) DO UPDATE SET open = excluded.open",
    )
    .bind(now.date_naive().to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn counts_of(rows: &[sqlx::any::AnyRow], table: &'static str) -> Result<SeverityCounts> {
    let mut counts = SeverityCounts::default();
    for row in rows {
        let r = RowReader::new(row, table, "severity");
        let severity: Severity = r.name("severity")?;
        *counts.get_mut(severity) = u64::try_from(r.int("n")?).unwrap_or(0);
    }
    Ok(counts)
}

impl Store {
    /// Open findings per severity across every asset.
    pub async fn open_finding_counts(&self) -> Result<SeverityCounts> {
        let rows = sqlx::query("SELECT severity, open AS n FROM finding_counts")
            .fetch_all(&self.pools.reader)
            .await?;
        counts_of(&rows, "finding_counts")
    }

    /// Open findings per severity of one asset.
    pub async fn open_finding_counts_of_asset(&self, asset_id: Uuid) -> Result<SeverityCounts> {
        let rows = sqlx::query(
            "SELECT severity, COUNT(*) AS n FROM findings WHERE asset_id = $1 AND open = 1 \
             GROUP BY severity",
        )
        .bind(asset_id.to_string())
        .fetch_all(&self.pools.reader)
        .await?;
        counts_of(&rows, "findings")
    }

    /// Open findings per severity at the end of each of the last `days` days, oldest first,
    /// ending with `today` (whose counts are the current ones).
    pub async fn finding_trend(&self, days: u32, today: NaiveDate) -> Result<Vec<TrendDay>> {
        let days = days.clamp(1, MAX_TREND_DAYS);
        let first = today - Duration::days(i64::from(days) - 1);
        // The last recorded day before the window gives the counts the window starts with.
        let before = sqlx::query(
            "SELECT day, severity, open FROM finding_trend WHERE day = \
             (SELECT MAX(day) FROM finding_trend WHERE day < $1)",
        )
        .bind(first.to_string())
        .fetch_all(&self.pools.reader)
        .await?;
        let within = sqlx::query(
            "SELECT day, severity, open FROM finding_trend WHERE day >= $1 AND day <= $2 \
             ORDER BY day",
        )
        .bind(first.to_string())
        .bind(today.to_string())
        .fetch_all(&self.pools.reader)
        .await?;
        let mut recorded: std::collections::BTreeMap<NaiveDate, SeverityCounts> =
            Default::default();
        let mut carried = SeverityCounts::default();
        for (rows, is_window) in [(&before, false), (&within, true)] {
            for row in rows.iter() {
                let r = RowReader::new(row, "finding_trend", "day");
                let day_text = r.text("day")?;
                let day: NaiveDate = day_text.parse().map_err(|e| r.corrupt("day", e))?;
                let severity: Severity = r.name("severity")?;
                let open = u64::try_from(r.int("open")?).unwrap_or(0);
                if is_window {
                    *recorded.entry(day).or_default().get_mut(severity) = open;
                } else {
                    *carried.get_mut(severity) = open;
                }
            }
        }
        let mut trend = Vec::with_capacity(days as usize);
        let mut day = first;
        while day <= today {
            if let Some(counts) = recorded.get(&day) {
                carried = *counts;
            }
            trend.push(TrendDay { day, open: carried });
            day += Duration::days(1);
        }
        Ok(trend)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tally_sums_changes_per_severity_and_knows_when_nothing_changed() {
        let mut tally = OpenFindingTally::default();
        assert!(tally.is_zero());
        tally.add(Severity::High, 1);
        tally.add(Severity::High, 1);
        tally.add(Severity::Low, -1);
        assert_eq!(tally.get(Severity::High), 2);
        assert_eq!(tally.get(Severity::Low), -1);
        tally.add(Severity::High, -2);
        tally.add(Severity::Low, 1);
        assert!(tally.is_zero());
    }
}

//! Keeping PostgreSQL's planner statistics and visibility map fresh as the registry grows.
//!
//! PostgreSQL chooses a plan from statistics that `ANALYZE` gathers, and answers from an index
//! alone only for pages its visibility map marks all-visible, which `VACUUM` maintains;
//! autovacuum normally runs both as tables change. Where autovacuum is off, or has not caught
//! up with a bulk import, the planner guesses and every index-only scan reads the table too:
//! on 100,000 assets with neither, a filtered list took 130 ms at the median instead of a few.
//! So the store runs `VACUUM (ANALYZE)` on its own database as it grows, the way autovacuum
//! would: after a commit that takes the audit log past a threshold (every change is
//! audited, so the log's size measures how much has changed), in the background, one run at a
//! time. The next threshold is 20% above the size analysed, plus 1,000 entries, so the runs
//! thin out as the database grows.
//!
//! SQLite's planner is not left to guess here: its list queries are written in the shape of
//! the plan they need (`search_terms.rs`), so SQLite needs no such step.

use std::sync::Mutex;

use crate::database::Backend;
use crate::store::Store;

/// Entries the log reaches before the first run.
const FIRST_THRESHOLD: u64 = 1000;

/// When statistics were last refreshed, and whether a refresh is running.
#[derive(Debug)]
pub(crate) struct StatisticsRefresh {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    next_at: u64,
    running: bool,
}

impl Default for StatisticsRefresh {
    fn default() -> Self {
        Self {
            state: Mutex::new(State {
                next_at: FIRST_THRESHOLD,
                running: false,
            }),
        }
    }
}

/// The log size at which the statistics gathered at `size` are next refreshed.
pub(crate) fn next_threshold(size: u64) -> u64 {
    size + size / 5 + FIRST_THRESHOLD
}

impl StatisticsRefresh {
    /// Whether a refresh should start now that the log has `size` entries; if so, it is
    /// marked as running.
    fn claim(&self, size: u64) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.running || size < state.next_at {
            return false;
        }
        state.running = true;
        true
    }

    fn finish(&self, size: u64) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.running = false;
        state.next_at = next_threshold(size);
    }
}

impl Store {
    /// Called after each commit with the log's new size: on PostgreSQL, starts
    /// `VACUUM (ANALYZE)` in the background when the log has grown past the threshold.
    pub(crate) fn log_grew_to(&self, size: u64) {
        if self.backend() != Backend::Postgres || !self.statistics.claim(size) {
            return;
        }
        let store = self.clone();
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            // Outside any transaction: VACUUM refuses to run inside one.
            match sqlx::raw_sql("VACUUM (ANALYZE)")
                .execute(&store.pools.writer)
                .await
            {
                Ok(_) => tracing::debug!(
                    size,
                    ms = started.elapsed().as_millis() as u64,
                    "vacuumed and refreshed planner statistics"
                ),
                Err(err) => tracing::warn!(%err, "could not vacuum or refresh planner statistics"),
            }
            store.statistics.finish(size);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refreshes_start_at_a_thousand_entries_and_thin_out_as_the_log_grows() {
        let refresh = StatisticsRefresh::default();
        assert!(!refresh.claim(999));
        assert!(refresh.claim(1000));
        assert!(!refresh.claim(5000), "one run at a time");
        refresh.finish(1000);
        assert!(!refresh.claim(2199));
        assert!(refresh.claim(2200));
        refresh.finish(100_000);
        assert!(!refresh.claim(120_999));
        assert!(refresh.claim(121_000));
    }
}

//! Silent-failure detection: a successful run that does not look like the job's history.
//!
//! Jobs that break quietly still exit 0: the export that suddenly writes a header and no
//! rows, the scraper that finishes in two seconds because the login page changed. The
//! baseline is the median output size and the median duration of the job's recent
//! successful runs (at least [`MIN_SAMPLES`], at most [`MAX_SAMPLES`]). Medians, not means:
//! one slow month-end run must not move the bar for every other day.
//!
//! A new successful run "went quiet" when its output collapses below 20% of the median, or
//! its duration is more than five times shorter or longer than the median and differs from
//! it by more than [`MIN_DURATION_GAP_SECONDS`] (sub-second jobs jitter by large factors
//! without meaning anything).

use serde::{Deserialize, Serialize};

use crate::records::{Run, RunState};

pub const MIN_SAMPLES: usize = 5;
pub const MAX_SAMPLES: usize = 20;
pub const MIN_DURATION_GAP_SECONDS: f64 = 5.0;
const OUTPUT_COLLAPSE_RATIO: f64 = 0.2;
const DURATION_FACTOR: f64 = 5.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub samples: usize,
    pub median_output_bytes: f64,
    pub median_duration_seconds: f64,
}

/// What looked wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "sign", rename_all = "kebab-case")]
pub enum QuietSign {
    OutputCollapsed { bytes: u64, median_bytes: f64 },
    DurationOutlier { seconds: f64, median_seconds: f64 },
}

impl QuietSign {
    pub fn describe(&self) -> String {
        match self {
            QuietSign::OutputCollapsed {
                bytes,
                median_bytes,
            } => format!("it wrote {bytes} bytes of output, usually about {median_bytes:.0}"),
            QuietSign::DurationOutlier {
                seconds,
                median_seconds,
            } => format!("it ran {seconds:.1} s, usually about {median_seconds:.1} s"),
        }
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

impl Baseline {
    /// The baseline of the most recent successful runs in `history` (any order), or `None`
    /// with fewer than [`MIN_SAMPLES`] of them.
    pub fn from_history(history: &[Run]) -> Option<Self> {
        let mut ok: Vec<&Run> = history
            .iter()
            .filter(|r| r.state == RunState::Succeeded && r.duration().is_some())
            .collect();
        ok.sort_by_key(|r| std::cmp::Reverse(r.finished_at));
        ok.truncate(MAX_SAMPLES);
        if ok.len() < MIN_SAMPLES {
            return None;
        }
        let mut outputs: Vec<f64> = ok.iter().map(|r| r.log.total_bytes as f64).collect();
        let mut durations: Vec<f64> = ok.iter().map(|r| seconds(r)).collect();
        Some(Self {
            samples: ok.len(),
            median_output_bytes: median(&mut outputs),
            median_duration_seconds: median(&mut durations),
        })
    }

    /// Whether the successful `run` broke with this baseline.
    pub fn check(&self, run: &Run) -> Option<QuietSign> {
        if run.state != RunState::Succeeded {
            return None;
        }
        let bytes = run.log.total_bytes;
        if self.median_output_bytes > 0.0
            && (bytes as f64) < self.median_output_bytes * OUTPUT_COLLAPSE_RATIO
        {
            return Some(QuietSign::OutputCollapsed {
                bytes,
                median_bytes: self.median_output_bytes,
            });
        }
        run.duration()?;
        let secs = seconds(run);
        let median = self.median_duration_seconds;
        let far = secs > median * DURATION_FACTOR || secs * DURATION_FACTOR < median;
        if far && (secs - median).abs() > MIN_DURATION_GAP_SECONDS {
            return Some(QuietSign::DurationOutlier {
                seconds: secs,
                median_seconds: median,
            });
        }
        None
    }
}

fn seconds(run: &Run) -> f64 {
    run.duration()
        .map_or(0.0, |d| d.num_milliseconds() as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Trigger;
    use chrono::{DateTime, Duration, Utc};

    fn run(day: i64, seconds: i64, bytes: u64, state: RunState) -> Run {
        let start: DateTime<Utc> =
            DateTime::from_timestamp(1_780_000_000 + day * 86_400, 0).unwrap();
        let mut run = Run::queued(
            uuid::Uuid::nil(),
            "export",
            Trigger::Schedule,
            Some(start),
            start,
        );
        run.state = state;
        run.started_at = Some(start);
        run.finished_at = Some(start + Duration::seconds(seconds));
        run.log.total_bytes = bytes;
        run
    }

    fn history() -> Vec<Run> {
        [
            (60, 5000),
            (62, 5200),
            (58, 4900),
            (61, 5100),
            (300, 5050),
            (59, 4950),
        ]
        .iter()
        .enumerate()
        .map(|(day, &(s, b))| run(day as i64, s, b, RunState::Succeeded))
        .chain([run(9, 1, 10, RunState::Failed)])
        .collect()
    }

    #[test]
    fn the_baseline_is_the_median_of_recent_successes_only() {
        let b = Baseline::from_history(&history()).unwrap();
        assert_eq!(b.samples, 6);
        assert_eq!(b.median_duration_seconds, 60.5);
        assert_eq!(b.median_output_bytes, 5025.0);
    }

    #[test]
    fn a_success_whose_output_collapsed_went_quiet() {
        let b = Baseline::from_history(&history()).unwrap();
        let sign = b.check(&run(10, 61, 120, RunState::Succeeded)).unwrap();
        assert!(matches!(
            sign,
            QuietSign::OutputCollapsed { bytes: 120, .. }
        ));
        assert_eq!(
            sign.describe(),
            "it wrote 120 bytes of output, usually about 5025"
        );
    }

    #[test]
    fn a_success_that_finished_far_too_fast_went_quiet() {
        let b = Baseline::from_history(&history()).unwrap();
        assert!(matches!(
            b.check(&run(10, 3, 5000, RunState::Succeeded)),
            Some(QuietSign::DurationOutlier { .. })
        ));
    }

    #[test]
    fn an_ordinary_run_and_one_slow_month_end_are_not_alerts() {
        let b = Baseline::from_history(&history()).unwrap();
        assert_eq!(b.check(&run(10, 64, 4700, RunState::Succeeded)), None);
        assert_eq!(b.check(&run(10, 250, 5000, RunState::Succeeded)), None);
    }

    #[test]
    fn sub_second_jitter_is_not_an_outlier() {
        let fast: Vec<_> = (0..6)
            .map(|d| run(d, 0, 100, RunState::Succeeded))
            .collect();
        let b = Baseline::from_history(&fast).unwrap();
        assert_eq!(b.check(&run(7, 4, 100, RunState::Succeeded)), None);
    }

    #[test]
    fn too_little_history_gives_no_baseline() {
        let few: Vec<_> = (0..4)
            .map(|d| run(d, 60, 100, RunState::Succeeded))
            .collect();
        assert_eq!(Baseline::from_history(&few), None);
    }
}

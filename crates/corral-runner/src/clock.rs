//! Time as the scheduler sees it.
//!
//! Everything that decides by the time asks a [`Clock`] instead of calling `Utc::now()`, so
//! tests can step a [`FakeClock`] across a daylight-saving change or a week of downtime in
//! microseconds and assert exactly which slots came due. A [`ScaledClock`] runs faster than
//! real time from a shared origin, so several runner processes agree on the (fast) time
//! without talking to each other: the multi-node test and the benchmark use it.

use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The real time.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that moves only when told to.
#[derive(Debug)]
pub struct FakeClock(Mutex<DateTime<Utc>>);

impl FakeClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        Self(Mutex::new(start))
    }

    pub fn set(&self, to: DateTime<Utc>) {
        *self.0.lock().expect("clock lock") = to;
    }

    pub fn advance(&self, by: Duration) {
        *self.0.lock().expect("clock lock") += by;
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock lock")
    }
}

/// Real time sped up by `factor` from a shared origin: at the real instant `origin` this
/// clock reads `origin`, and each real second after it adds `factor` seconds. Processes
/// given the same origin and factor read the same time.
#[derive(Debug, Clone, Copy)]
pub struct ScaledClock {
    origin: DateTime<Utc>,
    factor: f64,
}

impl ScaledClock {
    pub fn new(origin: DateTime<Utc>, factor: f64) -> Self {
        Self {
            origin,
            factor: factor.max(0.0),
        }
    }

    /// The clock time `real` corresponds to.
    pub fn at(&self, real: DateTime<Utc>) -> DateTime<Utc> {
        let elapsed = (real - self.origin).num_microseconds().unwrap_or(i64::MAX) as f64;
        self.origin + Duration::microseconds((elapsed * self.factor) as i64)
    }

    /// The real duration that passes while this clock advances by `by`.
    pub fn real_duration(&self, by: Duration) -> std::time::Duration {
        let micros = by.num_microseconds().unwrap_or(i64::MAX).max(0) as f64;
        std::time::Duration::from_micros((micros / self.factor.max(f64::MIN_POSITIVE)) as u64)
    }
}

impl Clock for ScaledClock {
    fn now(&self) -> DateTime<Utc> {
        self.at(Utc::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_scaled_clock_runs_factor_times_faster_from_its_origin() {
        let origin = Utc.with_ymd_and_hms(2026, 3, 29, 0, 0, 0).unwrap();
        let clock = ScaledClock::new(origin, 60.0);
        assert_eq!(clock.at(origin), origin);
        assert_eq!(
            clock.at(origin + Duration::seconds(2)),
            origin + Duration::minutes(2)
        );
        assert_eq!(
            clock.real_duration(Duration::minutes(1)),
            std::time::Duration::from_secs(1)
        );
    }
}

//! Request metrics in the Prometheus text format, served at `/metrics`.
//!
//! Two families are enough to see load and latency per endpoint: a request counter by
//! method, route template and status, and a latency histogram by route. They are kept in one
//! mutex-guarded map: a request takes the lock once for a few nanoseconds of bookkeeping,
//! far below the cost of the request itself, and no metrics crate is needed for it.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Histogram bucket upper bounds, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
}

/// The server's metrics registry.
#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    /// Records one finished request.
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        *inner
            .requests
            .entry((method.to_string(), route.to_string(), status))
            .or_default() += 1;
        let h = inner.latency.entry(route.to_string()).or_default();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                h.counts[i] += 1;
            }
        }
        h.sum += secs;
        h.count += 1;
    }

    /// The Prometheus text exposition, with `extra` gauges appended (name, help, value).
    pub fn render(&self, extra: &[(&str, &str, f64)]) -> String {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::new();
        out.push_str(
            "# HELP corral_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE corral_http_requests_total counter\n");
        for ((method, route, status), n) in &inner.requests {
            let _ = writeln!(
                out,
                "corral_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                escape(route)
            );
        }
        out.push_str(
            "# HELP corral_http_request_duration_seconds HTTP request latency by route.\n",
        );
        out.push_str("# TYPE corral_http_request_duration_seconds histogram\n");
        for (route, h) in &inner.latency {
            let route = escape(route);
            for (i, bound) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "corral_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {}",
                    h.counts[i]
                );
            }
            let _ = writeln!(
                out,
                "corral_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "corral_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "corral_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        for (name, help, value) in extra {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
        out
    }
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_route_and_status_with_cumulative_buckets() {
        let m = Metrics::default();
        m.observe("GET", "/api/v1/assets", 200, Duration::from_millis(3));
        m.observe("GET", "/api/v1/assets", 200, Duration::from_millis(30));
        m.observe("POST", "/api/v1/assets", 422, Duration::from_millis(1));
        let text = m.render(&[("corral_assets", "Registered assets.", 2.0)]);
        assert!(text.contains(
            "corral_http_requests_total{method=\"GET\",route=\"/api/v1/assets\",status=\"200\"} 2"
        ));
        assert!(text.contains(
            "corral_http_requests_total{method=\"POST\",route=\"/api/v1/assets\",status=\"422\"} 1"
        ));
        assert!(text.contains(
            "corral_http_request_duration_seconds_bucket{route=\"/api/v1/assets\",le=\"0.005\"} 2"
        ));
        assert!(text.contains(
            "corral_http_request_duration_seconds_bucket{route=\"/api/v1/assets\",le=\"0.025\"} 2"
        ));
        assert!(text.contains(
            "corral_http_request_duration_seconds_bucket{route=\"/api/v1/assets\",le=\"0.05\"} 3"
        ));
        assert!(text.contains("corral_assets 2"));
    }
}

//! The gate benchmark's servers: a local upstream with generated wheels and a gate in front of
//! it, both on loopback. Used by `bench/gate/run.sh`.
//!
//! On start it measures the cold-page overhead itself: for each of `COLD` projects nobody has
//! asked for yet, one page straight from the upstream, then the same page through the gate
//! (which must fetch it from the upstream, evaluate it and render it). The difference is
//! what the gate adds to an uncached request. Then it prints the two index URLs and serves
//! until its standard input closes.
//!
//!   cargo run --release -p corral-gate --example bench_gate -- [PACKAGES] [COLD]

#[path = "../tests/support/mod.rs"]
mod support;

use std::io::BufRead;
use std::time::{Duration, Instant};

use support::{RunningGate, Upstream, wheel};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let packages: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(30);
    let cold: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);

    let mut dists = Vec::new();
    for i in 0..packages {
        for (v, age) in [("1.0", 300), ("1.1", 200), ("1.2", 100)] {
            dists.push(wheel(&format!("bench-pkg-{i:02}"), v, age));
        }
    }
    for i in 0..cold {
        dists.push(wheel(&format!("cold-pkg-{i:03}"), "1.0", 100));
    }
    let upstream = Upstream::start(dists).await;
    let gate = RunningGate::start(&upstream.url, "").await;

    let client = reqwest::Client::new();
    let accept = "application/vnd.pypi.simple.v1+json";
    let get = |url: String| {
        let client = client.clone();
        async move {
            let start = Instant::now();
            let response = client
                .get(&url)
                .header("Accept", accept)
                .send()
                .await
                .unwrap();
            assert!(
                response.status().is_success(),
                "{url}: {}",
                response.status()
            );
            let _ = response.bytes().await.unwrap();
            start.elapsed()
        }
    };
    let (mut direct, mut through, mut overhead) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..cold {
        let name = format!("cold-pkg-{i:03}");
        let d = get(format!("{}{name}/", upstream.url)).await;
        let g = get(format!("{}{name}/", gate.url)).await;
        direct.push(d);
        through.push(g);
        overhead.push(g.saturating_sub(d));
    }
    for list in [&mut direct, &mut through, &mut overhead] {
        list.sort();
    }
    if cold > 0 {
        eprintln!("cold pages ({cold} projects, one request each, JSON):");
        for (label, list) in [
            ("upstream directly", &direct),
            ("through the gate (cold)", &through),
            ("gate overhead", &overhead),
        ] {
            eprintln!(
                "  {label:<24} p50 {}  p90 {}  p99 {}",
                ms(percentile(list, 0.5)),
                ms(percentile(list, 0.9)),
                ms(percentile(list, 0.99))
            );
        }
    }
    println!("UPSTREAM={}", upstream.url);
    println!("GATE={}", gate.url);
    println!("READY");
    let _ = tokio::task::spawn_blocking(|| {
        let stdin = std::io::stdin();
        for _ in stdin.lock().lines() {}
    })
    .await;
    let decisions = gate.decisions().await.len();
    eprintln!("decisions recorded: {decisions}");
}

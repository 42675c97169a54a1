//! A fixed-rate, open-loop HTTP load client for the gate benchmark (`bench/gate/run.sh`).
//!
//! wrk sends the next request on a connection only when the previous one has answered, so a
//! slow answer delays the requests behind it and their waiting is never measured
//! ("coordinated omission"); it also runs flat out, far above the rate the latency goal is
//! stated at. This client instead decides every request's send time in advance, `1 / RATE`
//! seconds apart, and measures each latency from that *intended* time to the end of the
//! response body. A request the client itself could not start on time (a stalled machine, a
//! pool with no free connection) is charged the delay, as a user arriving on schedule would
//! have felt it.
//!
//! A dedicated thread keeps the schedule with the operating system's sleep (finer than the
//! async runtime's millisecond timer) and hands each request to a Tokio runtime, which sends
//! it on a pooled keep-alive connection, opening another when all are busy.
//!
//!   cargo run --release -p corral-gate --example paced_load -- URL [RATE] [SECONDS] [ACCEPT]
//!
//! Prints one line: `sent`, `ok`, `failed`, the achieved rate and p50/p90/p99/p99.9/max in ms.
//! Exits 1 when any request failed or answered other than 200, so a wrong URL cannot pass as a
//! fast one.

use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request's outcome: latency from its intended send time, or why it failed.
type Outcome = Result<Duration, String>;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(url) = args.next() else {
        eprintln!("usage: paced_load URL [RATE per second, 1000] [SECONDS, 30] [ACCEPT header]");
        return ExitCode::from(2);
    };
    let rate: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let seconds: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(30);
    let accept = args.next();
    if rate == 0 || seconds == 0 {
        eprintln!("paced_load: RATE and SECONDS must be at least 1");
        return ExitCode::from(2);
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .expect("an HTTP client");

    // One warm-up request so the first measured one does not pay for connecting.
    let first = runtime.block_on(fetch(&client, &url, accept.as_deref()));
    if let Err(e) = first {
        eprintln!("paced_load: {url}: {e}");
        return ExitCode::FAILURE;
    }

    let total = u64::from(rate) * u64::from(seconds);
    let interval = Duration::from_secs(1) / rate;
    let outcomes: Arc<Mutex<Vec<Outcome>>> =
        Arc::new(Mutex::new(Vec::with_capacity(total as usize)));
    let handle = runtime.handle().clone();
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for i in 0..total {
        let intended = start + interval * (i as u32);
        let now = Instant::now();
        if intended > now {
            std::thread::sleep(intended - now);
        }
        let (client, url, accept, outcomes) = (
            client.clone(),
            url.clone(),
            accept.clone(),
            outcomes.clone(),
        );
        tasks.push(handle.spawn(async move {
            let outcome = fetch(&client, &url, accept.as_deref())
                .await
                .map(|()| intended.elapsed());
            outcomes.lock().expect("outcomes lock").push(outcome);
        }));
    }
    let sending = start.elapsed();
    runtime.block_on(async {
        for t in tasks {
            let _ = t.await;
        }
    });

    let outcomes = std::mem::take(&mut *outcomes.lock().expect("outcomes lock"));
    let mut latencies: Vec<Duration> = outcomes.iter().filter_map(|o| o.clone().ok()).collect();
    let failures: Vec<&String> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
    latencies.sort();
    println!(
        "sent {total}  ok {}  failed {}  rate {:.0}/s  latency ms: p50 {}  p90 {}  p99 {}  p99.9 {}  max {}",
        latencies.len(),
        failures.len(),
        total as f64 / sending.as_secs_f64(),
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.90)),
        ms(percentile(&latencies, 0.99)),
        ms(percentile(&latencies, 0.999)),
        ms(latencies.last().copied().unwrap_or_default()),
    );
    if let Some(first) = failures.first() {
        eprintln!(
            "paced_load: {} request(s) failed, e.g. {first}",
            failures.len()
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// GETs `url` and reads the whole body; anything but a 200 is a failure.
async fn fetch(client: &reqwest::Client, url: &str, accept: Option<&str>) -> Result<(), String> {
    let mut request = client.get(url);
    if let Some(accept) = accept {
        request = request.header("Accept", accept);
    }
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    response.bytes().await.map_err(|e| e.to_string())?;
    if status != reqwest::StatusCode::OK {
        return Err(format!("answered {status}"));
    }
    Ok(())
}

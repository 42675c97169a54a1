//! Store benchmark: registration throughput (each registration a full audited unit of work)
//! and filtered-list latency at a paced request rate, on a registry of many assets.
//!
//! ```text
//! cargo run --release -p corral-store --example store_bench -- [DATABASE_URL]
//! ```
//!
//! Without a URL it uses a fresh SQLite file in a temporary directory. `bench/store.sh` runs it
//! on both engines and prints the figures for `docs/benchmarks.md`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use corral_model::{ApprovalState, Asset, AssetDraft, DataTier, DeploymentStatus, RiskTier};
use corral_store::{AssetQuery, AssetSort, AuditEntry, Store, StoreOptions};
use uuid::Uuid;

const DEPARTMENTS: [&str; 8] = [
    "Sales",
    "Finance",
    "HR",
    "Ops",
    "Legal",
    "Marketing",
    "Support",
    "IT",
];
const WORDS: [&str; 8] = [
    "leads",
    "invoices",
    "payroll",
    "tickets",
    "contracts",
    "forecast",
    "churn",
    "onboarding",
];

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn asset(i: usize) -> Asset {
    let draft = AssetDraft {
        name: format!("tool-{i:07}"),
        purpose: format!(
            "Automates the weekly {} report for the {} team.",
            WORDS[i % WORDS.len()],
            DEPARTMENTS[(i / 3) % DEPARTMENTS.len()]
        ),
        creator_email: format!("person{}@example.com", i % 2000),
        department: DEPARTMENTS[(i / 3) % DEPARTMENTS.len()].into(),
        data_tier: Some(DataTier::from_number((i % 3 + 1) as u8).unwrap()),
        ai_tool: Some("Claude Code 2.1".parse().unwrap()),
        status: Some(if i.is_multiple_of(4) {
            DeploymentStatus::Production
        } else {
            DeploymentStatus::Development
        }),
        repository: Some(format!("https://git.example.com/team{}/tool-{i}", i % 50)),
        ..Default::default()
    };
    let mut a = Asset::from_draft(
        draft.validate().unwrap(),
        Uuid::now_v7(),
        chrono::Utc::now(),
    );
    a.approval = match i % 5 {
        0 => ApprovalState::PendingReview,
        1 => ApprovalState::ChangesRequested,
        _ => ApprovalState::Approved,
    };
    a
}

async fn register(store: &Store, a: &Asset) {
    let mut tx = store.begin().await.unwrap();
    tx.insert_asset(a).await.unwrap();
    tx.audit(
        AuditEntry::new(a.creator_email.clone(), "asset.registered")
            .subject(a.id.to_string())
            .data(serde_json::json!({"name": a.name, "data_tier": a.data_tier})),
    );
    tx.commit().await.unwrap();
}

fn query(i: usize) -> (&'static str, AssetQuery) {
    let base = AssetQuery {
        limit: 50,
        descending: true,
        ..Default::default()
    };
    match i % 7 {
        0 => (
            "approval",
            AssetQuery {
                approval: Some(ApprovalState::PendingReview),
                ..base
            },
        ),
        1 => (
            "department+tier",
            AssetQuery {
                department: Some(DEPARTMENTS[i % 8].to_lowercase()),
                data_tier: Some(DataTier::Confidential),
                ..base
            },
        ),
        2 => (
            "risk+status",
            AssetQuery {
                risk_tier: Some(RiskTier::Standard),
                status: Some(DeploymentStatus::Production),
                sort: AssetSort::Name,
                ..base
            },
        ),
        3 => (
            "owner",
            AssetQuery {
                owner: Some(format!("person{}@example.com", i % 2000)),
                ..base
            },
        ),
        4 => (
            "text",
            AssetQuery {
                text: Some(WORDS[i % 8].into()),
                ..base
            },
        ),
        5 => ("all, page 1", base),
        _ => (
            "all, page 40",
            AssetQuery {
                offset: 2000,
                sort: AssetSort::UpdatedAt,
                ..base
            },
        ),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let url = std::env::args().nth(1);
    let total = env_number("BENCH_ASSETS", 100_000);
    let timed = env_number("BENCH_TIMED_REGISTRATIONS", 20_000).min(total);
    let writers = env_number("BENCH_WRITERS", 8);
    let rate = env_number("BENCH_RATE", 500);
    let seconds = env_number("BENCH_SECONDS", 20);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with(StoreOptions::new(dir.path()).database_url(url.as_deref()))
        .await
        .unwrap();
    println!("engine: {}", store.backend().as_str());

    // 1. Registration throughput: one audited transaction per registration, several writers.
    let start = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..writers {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut i = w;
            while i < timed {
                register(&store, &asset(i)).await;
                i += writers;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = start.elapsed();
    println!(
        "registrations: {timed} in {:.2} s = {:.0}/s ({writers} concurrent writers, each with \
         its audit entry)",
        elapsed.as_secs_f64(),
        timed as f64 / elapsed.as_secs_f64()
    );

    // Fill the rest in batches (one audit entry per batch of 1000).
    let fill = Instant::now();
    let mut i = timed;
    while i < total {
        let mut tx = store.begin().await.unwrap();
        let end = (i + 1000).min(total);
        for j in i..end {
            tx.insert_asset(&asset(j)).await.unwrap();
        }
        tx.audit(
            AuditEntry::new("bench", "asset.imported").data(serde_json::json!({"n": end - i})),
        );
        tx.commit().await.unwrap();
        i = end;
    }
    println!(
        "filled to {total} assets in {:.1} s",
        fill.elapsed().as_secs_f64()
    );

    // 2. Filtered lists at a paced rate: one request every 1/rate s, whatever the latency.
    let latencies = Arc::new(std::sync::Mutex::new(Vec::<(&'static str, Duration)>::new()));
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / rate as f64));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let requests = rate * seconds;
    let mut handles = Vec::with_capacity(requests);
    let paced = Instant::now();
    for n in 0..requests {
        ticker.tick().await;
        let store = store.clone();
        let latencies = latencies.clone();
        handles.push(tokio::spawn(async move {
            let (kind, q) = query(n);
            let t = Instant::now();
            let page = store.list_assets(&q).await.unwrap();
            std::hint::black_box(page.total);
            latencies.lock().unwrap().push((kind, t.elapsed()));
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let wall = paced.elapsed();
    let all = latencies.lock().unwrap().clone();
    let mut sorted: Vec<Duration> = all.iter().map(|(_, d)| *d).collect();
    sorted.sort();
    println!(
        "lists: {requests} requests in {:.1} s ({:.0}/s offered at {rate}/s): p50 {}, p95 {}, \
         p99 {}, max {}",
        wall.as_secs_f64(),
        requests as f64 / wall.as_secs_f64(),
        ms(percentile(&sorted, 0.50)),
        ms(percentile(&sorted, 0.95)),
        ms(percentile(&sorted, 0.99)),
        ms(*sorted.last().unwrap())
    );
    let mut kinds: Vec<&str> = all.iter().map(|(k, _)| *k).collect();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        let mut d: Vec<Duration> = all
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, d)| *d)
            .collect();
        d.sort();
        println!(
            "  {kind:<16} p50 {:>9}  p99 {:>9}",
            ms(percentile(&d, 0.5)),
            ms(percentile(&d, 0.99))
        );
    }

    // 3. Verifying the whole log.
    let verify = Instant::now();
    let report = store.verify_audit(Default::default()).await.unwrap();
    assert!(report.is_intact());
    println!(
        "verify: {} entries in {:.2} s",
        report.entries,
        verify.elapsed().as_secs_f64()
    );
    store.close().await;
}

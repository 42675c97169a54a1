//! Console page latency with a large registry (`bench/console/run.sh`).
//!
//! Usage: `bench_console [ASSETS] [REQUESTS] [DATABASE_URL]` (defaults 10000 and 300, SQLite
//! in a temporary directory). Starts the server `corral serve` runs, loads ASSETS assets
//! straight into the store (registered over the last two years, all four tiers, a tenth
//! writing to a system, tier 3 with open reviews as the policy decides, one audit entry per
//! asset as registrations write), ten findings per asset from two scans (a tenth of the
//! assets have one fixed) and an inventory of five dependencies each, one job per ten
//! assets with ten finished runs each, waits five seconds for PostgreSQL's background statistics
//! refresh, signs an admin in
//! through the sign-in form, then requests each page REQUESTS times one after another and
//! prints the median, p95, p99 and maximum server-side latency as seen by the client on
//! loopback.

use std::time::{Duration, Instant};

use chrono::Utc;
use corral_model::decision::{Decision, DecisionKind, POLICY_ACTOR};
use corral_model::review::Review;
use corral_model::{
    Access, Asset, AssetDraft, Component, ComponentSource, Confidence, DataTier, DeploymentStatus,
    Ecosystem, Finding, Location, PolicyConfig, Role, Severity, SystemAccess,
};
use corral_runner::records::{Job, Run, RunState, Trigger};
use corral_server::{NotifyConfig, ServeOptions, ServerConfig};
use corral_store::AuditEntry;
use corral_store::{FindingInput, InventoryItem};
use uuid::Uuid;

const PASSWORD: &str = "benchmark password";
const DEPARTMENTS: [&str; 6] = ["Sales", "Finance", "HR", "Operations", "Marketing", "Legal"];
const WORDS: [&str; 8] = [
    "report",
    "forecast",
    "reconcile",
    "scoring",
    "export",
    "digest",
    "matcher",
    "sync",
];

fn asset(i: usize, policy: &PolicyConfig) -> (Asset, Option<Review>) {
    let tier = DataTier::from_number((i % 4) as u8 + 1).unwrap();
    let draft = AssetDraft {
        name: format!(
            "{}-{}-{i}",
            WORDS[i % WORDS.len()],
            DEPARTMENTS[i % 6].to_lowercase()
        ),
        purpose: format!(
            "Builds the {} {} for the {} team every morning.",
            WORDS[(i / 3) % WORDS.len()],
            WORDS[(i / 7) % WORDS.len()],
            DEPARTMENTS[i % 6]
        ),
        creator_email: format!("person{}@example.com", i % 700),
        department: DEPARTMENTS[i % 6].into(),
        owner_email: Some(format!("person{}@example.com", (i * 7) % 900)),
        backup_owner_email: i
            .is_multiple_of(3)
            .then(|| format!("backup{}@example.com", i % 50)),
        data_tier: Some(tier),
        ai_tool: Some("Claude Code 2.1".parse().unwrap()),
        status: Some(if i.is_multiple_of(5) {
            DeploymentStatus::Production
        } else {
            DeploymentStatus::Development
        }),
        repository: Some(format!(
            "https://git.example.com/{}/{i}",
            DEPARTMENTS[i % 6]
        )),
        systems: if i.is_multiple_of(10) {
            vec![SystemAccess {
                system: "CRM".into(),
                access: Access::Writes,
            }]
        } else {
            Vec::new()
        },
    };
    let created = Utc::now() - chrono::Duration::minutes((i as i64 * 104) % (2 * 365 * 24 * 60));
    let mut asset = Asset::from_draft(draft.validate().unwrap(), Uuid::now_v7(), created);
    let evaluation = policy.evaluate(&asset, created).unwrap();
    asset.approval = evaluation.approval;
    let review = evaluation.review.map(|plan| Review {
        id: Uuid::now_v7(),
        asset_id: asset.id,
        reason: evaluation.reason.clone(),
        opened_at: created,
        due_at: plan.due_at,
        required: plan.required,
        signoffs: Vec::new(),
        outcome: None,
    });
    (asset, review)
}

async fn load(store: &corral_store::Store, n: usize, policy: &PolicyConfig) {
    for chunk in (0..n).collect::<Vec<_>>().chunks(250) {
        let mut tx = store.begin().await.unwrap();
        for &i in chunk {
            let (asset, review) = asset(i, policy);
            tx.insert_asset(&asset).await.unwrap();
            tx.append_decision(&Decision {
                id: Uuid::now_v7(),
                asset_id: asset.id,
                review_id: review.as_ref().map(|r| r.id),
                kind: if review.is_some() {
                    DecisionKind::ReviewRequested
                } else {
                    DecisionKind::Approved
                },
                actor: POLICY_ACTOR.into(),
                role: None,
                comment: "benchmark load".into(),
                at: asset.created_at,
            })
            .await
            .unwrap();
            if let Some(review) = &review {
                tx.open_review(review).await.unwrap();
            }
            // One entry per asset, as registrations write: the log's size is what tells
            // the store to refresh PostgreSQL's statistics as the registry grows.
            tx.audit(
                AuditEntry::new(&asset.creator_email, "asset.registered")
                    .subject(asset.id.to_string())
                    .data(serde_json::json!({"name": asset.name})),
            );
        }
        tx.commit().await.unwrap();
    }
}

/// The ids of the first `n` assets, a page at a time.
async fn asset_ids(store: &corral_store::Store, n: usize) -> Vec<Uuid> {
    let mut ids = Vec::with_capacity(n);
    while ids.len() < n {
        let page = store
            .list_assets(&corral_store::AssetQuery {
                limit: corral_store::assets::MAX_PAGE_SIZE,
                offset: ids.len() as u64,
                ..Default::default()
            })
            .await
            .unwrap()
            .items;
        if page.is_empty() {
            break;
        }
        ids.extend(page.iter().map(|a| a.id));
    }
    ids.truncate(n);
    ids
}

/// Scan results for every asset: ten findings each (100,000 for 10,000 assets, every
/// severity, a tenth resolved by a later scan of nothing) and an inventory of five
/// dependencies, one of them `requests` at one of four versions.
async fn load_scans(store: &corral_store::Store, n: usize) {
    let names = asset_ids(store, n).await;
    let scanners: Vec<String> = ["secrets", "deps", "code"].map(String::from).to_vec();
    for (chunk_index, chunk) in names.chunks(100).enumerate() {
        let mut tx = store.begin().await.unwrap();
        for (i, asset_id) in chunk.iter().enumerate() {
            let i = chunk_index * 100 + i;
            let now = Utc::now();
            let findings: Vec<Finding> = (0..10)
                .map(|k| Finding {
                    scanner: scanners[k % 3].clone(),
                    rule_id: format!("rule-{}", k % 7),
                    title: "A problem".into(),
                    severity: Severity::ALL[(i + k) % 5],
                    confidence: Confidence::High,
                    location: Location::new(format!("src/file{k}.py"), (k * 7 + 1) as u32, 1),
                    cwe: vec![],
                    tags: vec![],
                    message: "benchmark finding".into(),
                    fix: None,
                    fingerprint: format!("{asset_id}-{k}"),
                    secret: None,
                    snippet: None,
                    details: Default::default(),
                })
                .collect();
            let inputs: Vec<FindingInput> = findings
                .iter()
                .map(|finding| FindingInput {
                    finding,
                    package: None,
                })
                .collect();
            let kept = if i % 10 == 0 { 9 } else { 10 };
            tx.record_scan_findings(*asset_id, Uuid::now_v7(), &inputs, &scanners, false, now)
                .await
                .unwrap();
            tx.record_scan_findings(
                *asset_id,
                Uuid::now_v7(),
                &inputs[..kept],
                &scanners,
                true,
                now,
            )
            .await
            .unwrap();
            let items: Vec<InventoryItem> = ["requests", "pandas", "numpy", "openpyxl", "httpx"]
                .iter()
                .enumerate()
                .map(|(k, name)| InventoryItem {
                    package: name.to_string(),
                    component: Component {
                        ecosystem: Ecosystem::PyPI,
                        name: name.to_string(),
                        version: Some(format!("2.{}.0", (i + k) % 4 + 28)),
                        requirement: None,
                        source: ComponentSource::Lockfile,
                        path: "requirements.txt".into(),
                        line: Some(k as u32 + 1),
                        direct: true,
                        license: None,
                    },
                })
                .collect();
            tx.replace_inventory(*asset_id, Uuid::now_v7(), &items, now)
                .await
                .unwrap();
            tx.audit(AuditEntry::new("bench", "scan.uploaded").subject(asset_id.to_string()));
        }
        tx.commit().await.unwrap();
    }
}

/// `jobs` jobs on the first assets, each with `runs` finished runs, one in five failed.
async fn load_jobs(store: &corral_store::Store, jobs: usize, runs: usize) -> Uuid {
    let assets = asset_ids(store, jobs).await;
    let mut first = None;
    for (i, asset) in assets.iter().enumerate() {
        let mut job: Job = serde_json::from_value(serde_json::json!({
            "name": format!("job-{i:05}"),
            "command": "python report.py",
            "schedule": {"cron": format!("{} 7 * * 1-5", i % 60), "timezone": "Europe/Berlin"},
        }))
        .unwrap();
        job.asset_id = Some(*asset);
        let mut tx = store.begin().await.unwrap();
        tx.insert_job(&job, Utc::now()).await.unwrap();
        tx.audit(AuditEntry::new("bench", "job.created").subject(job.id.to_string()));
        tx.commit().await.unwrap();
        first.get_or_insert(job.id);
        for r in 0..runs {
            let at = Utc::now() - chrono::Duration::hours((r * 24) as i64 + 1);
            let mut run = Run::queued(job.id, &job.name, Trigger::Schedule, Some(at), at);
            run.state = if (i + r) % 5 == 0 {
                RunState::Failed
            } else {
                RunState::Succeeded
            };
            run.started_at = Some(at);
            run.finished_at = Some(at + chrono::Duration::seconds(30));
            run.exit_code = Some(i32::from(run.state == RunState::Failed));
            store.queue_run(&run).await.unwrap();
        }
    }
    first.expect("at least one job")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let assets: usize = args.next().map_or(10_000, |a| a.parse().expect("ASSETS"));
    let requests: usize = args.next().map_or(300, |a| a.parse().expect("REQUESTS"));
    let database_url = args.next();
    let dir = tempfile::tempdir().unwrap();
    let policy = PolicyConfig::default();
    let running = corral_server::start(ServeOptions {
        data_dir: dir.path().to_path_buf(),
        database_url,
        server: ServerConfig {
            listen: "127.0.0.1:0".into(),
            periodic_check_secs: 3600,
            ..Default::default()
        },
        policy: policy.clone(),
        notify: NotifyConfig::default(),
        runner: None,
    })
    .await
    .expect("server starts");
    let store = &running.state.store;
    let started = Instant::now();
    load(store, assets, &policy).await;
    eprintln!(
        "loaded {} assets in {:.1} s",
        store.count_assets().await.unwrap(),
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    load_scans(store, assets).await;
    let jobs = (assets / 10).max(1);
    let job = load_jobs(store, jobs, 10).await;
    eprintln!(
        "loaded {} findings and {} inventories, {jobs} jobs with 10 runs each, in {:.1} s",
        assets * 10,
        assets,
        started.elapsed().as_secs_f64()
    );
    let detail_asset = store
        .list_assets(&corral_store::AssetQuery {
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap()
        .items[0]
        .id;
    // On PostgreSQL the last statistics refresh the load triggered runs in the background;
    // let it finish before measuring, as it would have long before anyone looks.
    tokio::time::sleep(Duration::from_secs(5)).await;
    corral_server::accounts::create_account(
        store,
        "bench",
        "admin@example.com",
        Role::Admin,
        PASSWORD,
    )
    .await
    .unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let url = |p: &str| format!("{}{p}", running.url);
    let form = http.get(url("/sign-in")).send().await.unwrap();
    let sign_in_cookie = form.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = sign_in_cookie.split_once('=').unwrap().1.to_string();
    let signed = http
        .post(url("/sign-in"))
        .header("cookie", &sign_in_cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "admin@example.com"),
            ("password", PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    let session = signed
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("__Host-corral_session="))
        .expect("signed in");
    let detail = format!("/assets/{detail_asset}");
    let job_page = format!("/jobs/{job}");
    let pages = [
        "/",
        "/assets",
        "/assets?tier=3",
        "/assets?q=forecast+sales",
        "/assets?department=finance&risk=critical",
        "/assets?page=150",
        "/reviews?state=overdue",
        "/people",
        detail.as_str(),
        "/packages?name=openpyxl&ecosystem=pypi&range=%3C2.30",
        "/packages",
        "/jobs",
        "/jobs?page=10",
        job_page.as_str(),
    ];
    println!("| page | median ms | p95 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|");
    for page in pages {
        let mut times = Vec::with_capacity(requests);
        for _ in 0..requests {
            let t = Instant::now();
            let response = http
                .get(url(page))
                .header("cookie", &session)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{page}");
            let _ = response.bytes().await.unwrap();
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "| `{page}` | {} | {} | {} | {} |",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95)),
            ms(percentile(&times, 0.99)),
            ms(*times.last().unwrap())
        );
    }
    running.shutdown().await;
}

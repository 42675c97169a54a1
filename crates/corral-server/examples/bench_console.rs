//! Console page latency with a large registry (`bench/console/run.sh`).
//!
//! Usage: `bench_console [ASSETS] [REQUESTS] [DATABASE_URL]` (defaults 10000 and 300, SQLite
//! in a temporary directory). Starts the server `corral serve` runs, loads ASSETS assets
//! straight into the store (registered over the last two years, all four tiers, a tenth
//! writing to a system, tier 3 with open reviews as the policy decides, one audit entry per
//! asset as registrations write), waits five seconds for PostgreSQL's background statistics
//! refresh, signs an admin in
//! through the sign-in form, then requests each page REQUESTS times one after another and
//! prints the median, p95, p99 and maximum server-side latency as seen by the client on
//! loopback.

use std::time::{Duration, Instant};

use chrono::Utc;
use corral_model::decision::{Decision, DecisionKind, POLICY_ACTOR};
use corral_model::review::Review;
use corral_model::{
    Access, Asset, AssetDraft, DataTier, DeploymentStatus, PolicyConfig, Role, SystemAccess,
};
use corral_server::{NotifyConfig, ServeOptions, ServerConfig};
use corral_store::AuditEntry;
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
    let pages = [
        "/",
        "/assets",
        "/assets?tier=3",
        "/assets?q=forecast+sales",
        "/assets?department=finance&risk=critical",
        "/assets?page=150",
        "/reviews?state=overdue",
        "/people",
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

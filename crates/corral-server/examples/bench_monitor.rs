//! The continuous-monitoring benchmark (`bench/monitor/run.sh`).
//!
//! Loads an estate into a fresh store through the store's own write paths: `ASSETS` assets
//! (default 10,000), each with an inventory of 20–80 components drawn from 5,000 package
//! names by a Zipf-like popularity (a few packages everywhere, most rare; 60% PyPI, 40% npm;
//! 70% exact versions, 30% requirements), and `FINDINGS` findings (default 100,000) spread
//! over them. Then it imports a base advisory set (3,000 advisories) and evaluates once, so
//! the estate has matches as a running server would, imports a 1,000-advisory update
//! (merged), and times the full re-evaluation. Prints one JSON object of figures.
//!
//! Advisories do not follow usage: `BENCH_ESTATE_SHARE` (default 0.10) of them name one of
//! the estate's 5,000 packages, chosen uniformly (so now and then a package nearly every
//! asset uses), the rest packages the estate does not use, as most of an OSV update does.
//!
//! Usage: `bench_monitor DATA_DIR [DATABASE_URL]`, environment `BENCH_ASSETS`,
//! `BENCH_FINDINGS`, `BENCH_ESTATE_SHARE`. Everything is generated from a fixed seed, so
//! runs are comparable.

use std::time::Instant;

use chrono::Utc;
use corral_model::{
    Asset, AssetDraft, Component, ComponentSource, Confidence, DataTier, DeploymentStatus,
    Ecosystem, Finding, Location, PolicyConfig, Severity,
};
use corral_server::monitor::reevaluate::reevaluate_all;
use corral_server::{NotifyConfig, ServeOptions, ServerConfig};
use corral_store::{AuditEntry, FindingInput, InventoryItem};
use serde_json::json;
use uuid::Uuid;

/// A small deterministic generator (xorshift64*): the benchmark needs repeatable data, not
/// good randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Ranks drawn with weight 1 / rank^1.1.
struct Zipf(Vec<f64>);

impl Zipf {
    fn new(n: usize) -> Self {
        let mut cumulative = Vec::with_capacity(n);
        let mut sum = 0.0;
        for rank in 1..=n {
            sum += 1.0 / (rank as f64).powf(1.1);
            cumulative.push(sum);
        }
        Self(cumulative)
    }

    fn draw(&self, rng: &mut Rng) -> usize {
        let total = *self.0.last().unwrap();
        let x = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        self.0.partition_point(|c| *c < x).min(self.0.len() - 1)
    }
}

const PACKAGES: usize = 5_000;
const PYPI_SHARE: usize = 3_000;

fn package(rank: usize) -> (Ecosystem, String) {
    if rank < PYPI_SHARE {
        (Ecosystem::PyPI, format!("pylib-{rank}"))
    } else {
        (Ecosystem::Npm, format!("jslib-{rank}"))
    }
}

fn version(i: u64) -> String {
    format!("1.{i}.0")
}

fn component(rng: &mut Rng, rank: usize) -> Component {
    let (ecosystem, name) = package(rank);
    let minor = rng.below(10);
    let pinned = rng.below(10) < 7;
    let (path, source) = match ecosystem {
        Ecosystem::PyPI if pinned => ("uv.lock", ComponentSource::Lockfile),
        Ecosystem::PyPI => ("requirements.txt", ComponentSource::Manifest),
        Ecosystem::Npm if pinned => ("package-lock.json", ComponentSource::Lockfile),
        Ecosystem::Npm => ("package.json", ComponentSource::Manifest),
    };
    Component {
        ecosystem,
        name,
        version: pinned.then(|| version(minor)),
        requirement: (!pinned).then(|| match ecosystem {
            Ecosystem::PyPI => format!(">=1.{minor}.0"),
            Ecosystem::Npm => format!("^1.{minor}.0"),
        }),
        source,
        path: path.into(),
        line: Some(1 + rng.below(200) as u32),
        direct: true,
        license: None,
    }
}

fn osv(id: &str, ecosystem: Ecosystem, name: &str, fixed_minor: u64) -> serde_json::Value {
    json!({
        "id": id,
        "aliases": [format!("CVE-{id}")],
        "modified": "2026-01-01T00:00:00Z",
        "summary": format!("a vulnerability in {name}"),
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
        "affected": [{
            "package": {"ecosystem": ecosystem.as_str(), "name": name},
            "ranges": [{"type": "ECOSYSTEM", "events": [
                {"introduced": "0"}, {"fixed": version(fixed_minor)}
            ]}]
        }]
    })
}

/// Writes `count` advisories to a directory: `estate_share` of them on packages the estate
/// uses (any of them, equally likely), the rest on names it does not use.
fn advisories(rng: &mut Rng, prefix: &str, count: usize, estate_share: f64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let records: Vec<serde_json::Value> = (0..count)
        .map(|i| {
            let id = format!("{prefix}-{i:05}");
            let estate = (rng.below(1000) as f64) < estate_share * 1000.0;
            let (ecosystem, name) = if estate {
                package(rng.below(PACKAGES as u64) as usize)
            } else {
                let rank = rng.below(50_000) as usize;
                if rank % 5 < 3 {
                    (Ecosystem::PyPI, format!("unused-py-{rank}"))
                } else {
                    (Ecosystem::Npm, format!("unused-js-{rank}"))
                }
            };
            osv(&id, ecosystem, &name, 1 + rng.below(9))
        })
        .collect();
    // One JSON file per record, as advisory repositories keep them.
    for (i, record) in records.iter().enumerate() {
        std::fs::write(dir.path().join(format!("r{i:05}.json")), record.to_string()).unwrap();
    }
    dir
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let data_dir: std::path::PathBuf = args.next().expect("DATA_DIR").into();
    let database_url = args.next();
    let assets: usize = std::env::var("BENCH_ASSETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let findings: usize = std::env::var("BENCH_FINDINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let estate_share: f64 = std::env::var("BENCH_ESTATE_SHARE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.10);

    let running = corral_server::start(ServeOptions {
        data_dir: data_dir.clone(),
        database_url: database_url.clone(),
        server: ServerConfig {
            listen: "127.0.0.1:0".into(),
            advisory_watch_secs: 0,
            periodic_check_secs: 86_400,
            ..Default::default()
        },
        policy: PolicyConfig::default(),
        notify: NotifyConfig::default(),
        runner: None,
    })
    .await
    .expect("server starts");
    let state = running.state.clone();
    let store = &state.store;
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    let zipf = Zipf::new(PACKAGES);

    let loading = Instant::now();
    let (mut components_total, mut findings_total) = (0usize, 0usize);
    let per_asset_findings = findings / assets.max(1);
    let extra_findings = findings % assets.max(1);
    let ids: Vec<Uuid> = (0..assets).map(|_| Uuid::now_v7()).collect();
    for (chunk_index, chunk) in ids.chunks(250).enumerate() {
        let now = Utc::now();
        let mut tx = store.begin().await.unwrap();
        for (j, id) in chunk.iter().enumerate() {
            let n = chunk_index * 250 + j;
            let draft = AssetDraft {
                name: format!("asset-{n:05}"),
                purpose: "Builds a weekly report from the CRM export.".into(),
                creator_email: format!("person{}@example.com", n % 700),
                department: ["Sales", "Finance", "HR", "Ops"][n % 4].into(),
                data_tier: Some(DataTier::Internal),
                ai_tool: Some("Claude Code 2.1".parse().unwrap()),
                status: Some(DeploymentStatus::Production),
                ..Default::default()
            };
            let asset = Asset::from_draft(draft.validate().unwrap(), *id, now);
            tx.insert_asset(&asset).await.unwrap();
            let count = 20 + rng.below(61) as usize;
            let mut components: Vec<Component> = (0..count)
                .map(|_| {
                    let rank = zipf.draw(&mut rng);
                    component(&mut rng, rank)
                })
                .collect();
            components.sort_by(|a, b| a.name.cmp(&b.name));
            components.dedup_by(|a, b| a.name == b.name);
            let items: Vec<InventoryItem> = components
                .iter()
                .map(|c| InventoryItem {
                    package: c.name.clone(),
                    component: c.clone(),
                })
                .collect();
            components_total += items.len();
            let scan = Uuid::now_v7();
            tx.replace_inventory(*id, scan, &items, now).await.unwrap();
            let wanted = per_asset_findings + usize::from(n < extra_findings);
            let found: Vec<Finding> = (0..wanted)
                .map(|k| {
                    let scanner = ["secrets", "code", "ai-config", "license"][k % 4];
                    Finding {
                        scanner: scanner.into(),
                        rule_id: format!("{scanner}-rule-{}", k % 7),
                        title: "A problem".into(),
                        severity: Severity::ALL[rng.below(5) as usize],
                        confidence: Confidence::High,
                        location: Location::new(format!("src/file{k}.py"), 1 + k as u32, 1),
                        cwe: vec![],
                        tags: vec![],
                        message: "a problem found by the benchmark".into(),
                        fix: None,
                        fingerprint: format!("{n:05}-{k:03}"),
                        secret: None,
                        snippet: None,
                        details: Default::default(),
                    }
                })
                .collect();
            let inputs: Vec<FindingInput<'_>> = found
                .iter()
                .map(|finding| FindingInput {
                    finding,
                    package: None,
                })
                .collect();
            let scanners: Vec<String> = ["secrets", "code", "ai-config", "license", "deps"]
                .map(String::from)
                .to_vec();
            tx.record_scan_findings(*id, scan, &inputs, &scanners, true, now)
                .await
                .unwrap();
            findings_total += found.len();
        }
        tx.audit(AuditEntry::new("bench", "bench.loaded").data(json!({"assets": chunk.len()})));
        tx.commit().await.unwrap();
    }
    let load_s = loading.elapsed().as_secs_f64();

    let base = advisories(&mut rng, "BASE", 3_000, estate_share);
    corral_deps::advisory::import::import_into(&data_dir, base.path(), false, Utc::now()).unwrap();
    let first = reevaluate_all(&state, "bench-base").await.unwrap();

    let update = advisories(&mut rng, "UPDATE", 1_000, estate_share);
    let importing = Instant::now();
    let imported =
        corral_deps::advisory::import::import_into(&data_dir, update.path(), true, Utc::now())
            .unwrap();
    let import_ms = importing.elapsed().as_millis() as u64;
    let timed = Instant::now();
    let update_eval = reevaluate_all(&state, "bench-update").await.unwrap();
    let reevaluate_ms = timed.elapsed().as_millis() as u64;
    let again = reevaluate_all(&state, "bench-unchanged").await.unwrap();

    let report = json!({
        "backend": store.backend().as_str(),
        "assets": assets,
        "estate_share": estate_share,
        "components": components_total,
        "findings": findings_total,
        "load_s": (load_s * 10.0).round() / 10.0,
        "base_evaluation": first,
        "update_records": imported.records,
        "update_import_ms": import_ms,
        "update_reevaluation_ms": reevaluate_ms,
        "update_evaluation": update_eval,
        "unchanged_reevaluation": again,
        "open_findings": store.open_finding_counts().await.unwrap(),
    });
    println!("{}", serde_json::to_string_pretty(&report).unwrap());
    running.shutdown().await;
}

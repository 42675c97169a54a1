//! Real pip and real uv through the gate, in front of a local upstream that serves wheels
//! built by the test (see `support`).

mod support;

use corral_store::{AuditEntry, GateRequestStatus};
use serde_json::Value;
use support::*;

const JSON: &str = "application/vnd.pypi.simple.v1+json";

async fn get_page(gate: &RunningGate, project: &str, accept: &str) -> (u16, String, String) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = client
        .get(format!("{}{project}/", gate.url))
        .header("Accept", accept)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pip_installs_an_allowed_package_with_its_hash_checked() {
    let dist = wheel("corral-fixture-alpha", "1.0", 60);
    let hash = dist.sha256();
    let upstream = Upstream::start(vec![dist]).await;
    let gate = RunningGate::start(&upstream.url, "").await;
    let work = tempfile::tempdir().unwrap();
    let requirements = work.path().join("requirements.txt");
    std::fs::write(
        &requirements,
        format!("corral-fixture-alpha==1.0 --hash=sha256:{hash}\n"),
    )
    .unwrap();
    let target = work.path().join("site");
    let out = pip_install(
        &gate.url,
        &target,
        &["--require-hashes", "-r", requirements.to_str().unwrap()],
    )
    .await;
    assert!(out.status.success(), "{}", shown(&out));
    assert_eq!(
        installed_version(&target, "corral-fixture-alpha").as_deref(),
        Some("1.0")
    );
    let served: Vec<_> = gate
        .decisions()
        .await
        .into_iter()
        .filter(|d| d.outcome == "served")
        .collect();
    assert_eq!(served.len(), 1, "{served:?}");
    assert_eq!(
        served[0].filename.as_deref(),
        Some("corral_fixture_alpha-1.0-py3-none-any.whl")
    );
    assert!(served[0].client.contains("pip/"), "{}", served[0].client);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uv_installs_through_the_gate_and_exclude_newer_picks_the_older_release() {
    let upstream = Upstream::start(vec![
        wheel("corral-fixture-beta", "1.0", 60),
        wheel("corral-fixture-beta", "1.1", 20),
    ])
    .await;
    let gate = RunningGate::start(&upstream.url, "").await;
    let work = tempfile::tempdir().unwrap();

    let latest = work.path().join("latest");
    let out = uv_install(&gate.url, &latest, &["corral-fixture-beta"], &[]).await;
    assert!(out.status.success(), "{}", shown(&out));
    assert_eq!(
        installed_version(&latest, "corral-fixture-beta").as_deref(),
        Some("1.1")
    );

    let cutoff = (chrono::Utc::now() - chrono::Duration::days(40)).to_rfc3339();
    let older = work.path().join("older");
    let out = uv_install(
        &gate.url,
        &older,
        &["corral-fixture-beta"],
        &["--exclude-newer", &cutoff],
    )
    .await;
    assert!(out.status.success(), "{}", shown(&out));
    assert_eq!(
        installed_version(&older, "corral-fixture-beta").as_deref(),
        Some("1.0"),
        "exclude-newer needs the upload times the gate passes on"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_typosquat_is_quarantined_with_its_reason_until_a_reviewer_approves_it() {
    let upstream = Upstream::start(vec![wheel("reqeusts", "2.0", 90)]).await;
    let gate = RunningGate::start(&upstream.url, "").await;
    let work = tempfile::tempdir().unwrap();

    let target = work.path().join("first");
    let out = pip_install(&gate.url, &target, &["reqeusts"]).await;
    assert!(!out.status.success(), "{}", shown(&out));
    assert_eq!(installed_version(&target, "reqeusts"), None);

    let (status, _, body) = get_page(&gate, "reqeusts", JSON).await;
    assert_eq!(status, 200);
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["project-status"]["status"], "quarantined");
    let reason = page["project-status"]["reason"].as_str().unwrap();
    assert!(
        reason.contains("typosquat of the popular package `requests`"),
        "{reason}"
    );
    assert_eq!(page["files"].as_array().unwrap().len(), 0);

    let decisions = gate.decisions().await;
    assert!(
        decisions
            .iter()
            .any(|d| d.rule.as_deref() == Some("typosquat") && d.outcome == "withheld"),
        "{decisions:?}"
    );
    let pending = gate
        .store
        .gate_requests(Some(GateRequestStatus::Pending))
        .await
        .unwrap();
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(pending[0].project, "reqeusts");
    assert_eq!(pending[0].rule, "typosquat");
    let events = gate.store.events(10, 0).await.unwrap();
    let announced = events
        .iter()
        .find(|e| e.kind == corral_model::EventKind::Gate)
        .expect("the request is announced");
    assert!(announced.title.contains("reqeusts"), "{}", announced.title);
    assert!(
        announced.body.contains("corral gate approve reqeusts"),
        "{}",
        announced.body
    );
    let (_, _, body) = get_page(&gate, "reqeusts", JSON).await;
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["_corral-requests"][0]["request"], "reqeusts");
    let status = page["_corral-requests"][0]["status"].as_str().unwrap();
    assert!(status.starts_with("pending review since"), "{status}");

    let mut tx = gate.store.begin().await.unwrap();
    tx.decide_gate_request(
        "reqeusts",
        "",
        GateRequestStatus::Approved,
        "security@example.com",
        Some("internal fork"),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    tx.audit(
        AuditEntry::new("security@example.com", "gate.request.approved").subject("pypi:reqeusts"),
    );
    tx.commit().await.unwrap();

    let target = work.path().join("after-approval");
    let out = pip_install(&gate.url, &target, &["reqeusts"]).await;
    assert!(out.status.success(), "{}", shown(&out));
    assert_eq!(
        installed_version(&target, "reqeusts").as_deref(),
        Some("2.0")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_no_upstream_has_is_refused_and_recorded() {
    let upstream = Upstream::start(vec![wheel("corral-fixture-alpha", "1.0", 60)]).await;
    let gate = RunningGate::start(&upstream.url, "").await;
    let work = tempfile::tempdir().unwrap();
    let out = pip_install(
        &gate.url,
        &work.path().join("site"),
        &["corral-hallucinated-helper"],
    )
    .await;
    assert!(!out.status.success(), "{}", shown(&out));
    let (status, _, body) = get_page(&gate, "corral-hallucinated-helper", JSON).await;
    assert_eq!(status, 404);
    assert!(body.contains("does not exist on any upstream"), "{body}");
    let decisions = gate.decisions().await;
    assert!(
        decisions
            .iter()
            .any(|d| d.project == "corral-hallucinated-helper"
                && d.rule.as_deref() == Some("nonexistent")
                && d.outcome == "refused"),
        "{decisions:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_known_malicious_version_is_left_out_and_cannot_be_fetched() {
    let good = wheel("corral-fixture-gamma", "1.0", 60);
    let bad = wheel("corral-fixture-gamma", "1.1", 50);
    let bad_hash = bad.sha256();
    let upstream = Upstream::start(vec![good, bad]).await;
    let dir = tempfile::tempdir().unwrap();
    let osv = dir.path().join("MAL-2026-0001.json");
    std::fs::write(
        &osv,
        r#"{"id":"MAL-2026-0001","summary":"Malicious code in corral-fixture-gamma 1.1",
            "modified":"2026-01-01T00:00:00Z",
            "affected":[{"package":{"ecosystem":"PyPI","name":"corral-fixture-gamma"},"versions":["1.1"]}]}"#,
    )
    .unwrap();
    let gate = RunningGate::start_in(dir, &upstream.url, "", |data| {
        corral_deps::advisory::import::import_into(data, &osv, false, chrono::Utc::now()).unwrap();
    })
    .await;
    let work = tempfile::tempdir().unwrap();

    let pinned = pip_install(
        &gate.url,
        &work.path().join("pinned"),
        &["corral-fixture-gamma==1.1"],
    )
    .await;
    assert!(!pinned.status.success(), "{}", shown(&pinned));
    let target = work.path().join("latest");
    let out = pip_install(&gate.url, &target, &["corral-fixture-gamma"]).await;
    assert!(out.status.success(), "{}", shown(&out));
    assert_eq!(
        installed_version(&target, "corral-fixture-gamma").as_deref(),
        Some("1.0")
    );

    let (_, _, body) = get_page(&gate, "corral-fixture-gamma", JSON).await;
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["versions"], serde_json::json!(["1.0"]));
    let withheld = page["_corral-withheld"][0]["reason"].as_str().unwrap();
    assert!(withheld.contains("MAL-2026-0001"), "{withheld}");

    let direct = reqwest::get(format!(
        "{}-files/corral-fixture-gamma/{bad_hash}/corral_fixture_gamma-1.1-py3-none-any.whl",
        gate.url
    ))
    .await
    .unwrap();
    assert_eq!(direct.status().as_u16(), 403);
    assert!(direct.text().await.unwrap().contains("MAL-2026-0001"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_too_young_version_is_held_back_and_dry_run_serves_it_with_a_record() {
    let dists = vec![
        wheel("corral-fixture-delta", "1.0", 30),
        wheel("corral-fixture-delta", "2.0", 1),
    ];
    let upstream = Upstream::start(dists).await;
    let work = tempfile::tempdir().unwrap();

    let gate = RunningGate::start(&upstream.url, "").await;
    let target = work.path().join("blocked");
    let out = pip_install(&gate.url, &target, &["corral-fixture-delta"]).await;
    assert!(out.status.success(), "{}", shown(&out));
    assert_eq!(
        installed_version(&target, "corral-fixture-delta").as_deref(),
        Some("1.0")
    );
    let out = pip_install(
        &gate.url,
        &work.path().join("pinned"),
        &["corral-fixture-delta==2.0"],
    )
    .await;
    assert!(!out.status.success(), "{}", shown(&out));
    let (_, content_type, html) = get_page(&gate, "corral-fixture-delta", "text/html").await;
    assert_eq!(content_type, "text/html");
    assert!(html.contains("Withheld 2.0"), "{html}");
    assert!(html.contains("under the 7-day minimum age"), "{html}");
    let decisions = gate.decisions().await;
    assert!(
        decisions
            .iter()
            .any(|d| d.rule.as_deref() == Some("min-age")
                && d.version.as_deref() == Some("2.0")
                && d.outcome == "withheld")
    );
    let pending = gate.store.gate_requests(None).await.unwrap();
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(pending[0].version, "2.0");

    let dry = RunningGate::start(&upstream.url, "[policy.modes]\nmin-age = \"dry-run\"\n").await;
    let target = work.path().join("dry-run");
    let out = pip_install(&dry.url, &target, &["corral-fixture-delta"]).await;
    assert!(out.status.success(), "{}", shown(&out));
    assert_eq!(
        installed_version(&target, "corral-fixture-delta").as_deref(),
        Some("2.0")
    );
    let decisions = dry.decisions().await;
    assert!(
        decisions
            .iter()
            .any(|d| d.rule.as_deref() == Some("min-age")
                && d.outcome == "dry-run"
                && d.mode.as_deref() == Some("dry-run")),
        "{decisions:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_whose_bytes_do_not_match_the_upstream_hash_is_never_served() {
    let upstream = Upstream::start(vec![wheel("corral-fixture-epsilon", "1.0", 60)]).await;
    upstream
        .tamper
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let gate = RunningGate::start(&upstream.url, "").await;
    let work = tempfile::tempdir().unwrap();
    let target = work.path().join("site");
    for out in [
        pip_install(&gate.url, &target, &["corral-fixture-epsilon"]).await,
        uv_install(
            &gate.url,
            &work.path().join("uv"),
            &["corral-fixture-epsilon"],
            &[],
        )
        .await,
    ] {
        assert!(!out.status.success(), "{}", shown(&out));
    }
    assert_eq!(installed_version(&target, "corral-fixture-epsilon"), None);
    let decisions = gate.decisions().await;
    let mismatch = decisions
        .iter()
        .find(|d| d.rule.as_deref() == Some("hash-mismatch"))
        .expect("the mismatch is recorded");
    assert!(mismatch.reason.contains("promised"), "{}", mismatch.reason);
    assert!(decisions.iter().all(|d| d.outcome != "served"));
    let cached_files = gate.dir.path().join("data/gate/cache/files");
    let count = walk_files(&cached_files);
    assert_eq!(count, 0, "nothing unverified may be cached");
}

fn walk_files(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            if e.path().is_dir() {
                walk_files(&e.path())
            } else {
                1
            }
        })
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_packages_still_install_with_the_upstream_stopped() {
    let mut upstream = Upstream::start(vec![wheel("corral-fixture-zeta", "3.1", 60)]).await;
    let gate = RunningGate::start(&upstream.url, "page_ttl_seconds = 1").await;
    let work = tempfile::tempdir().unwrap();
    let warm = pip_install(
        &gate.url,
        &work.path().join("warm"),
        &["corral-fixture-zeta"],
    )
    .await;
    assert!(warm.status.success(), "{}", shown(&warm));

    upstream.stop().await;
    // The page TTL has run out by the time the clients ask, so the gate must try the
    // upstream, fail, and fall back to its cache.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let target = work.path().join("pip-offline");
    let out = pip_install(&gate.url, &target, &["corral-fixture-zeta"]).await;
    assert!(out.status.success(), "{}", shown(&out));
    assert_eq!(
        installed_version(&target, "corral-fixture-zeta").as_deref(),
        Some("3.1")
    );
    let target = work.path().join("uv-offline");
    let out = uv_install(&gate.url, &target, &["corral-fixture-zeta"], &[]).await;
    assert!(out.status.success(), "{}", shown(&out));
    assert_eq!(
        installed_version(&target, "corral-fixture-zeta").as_deref(),
        Some("3.1")
    );
    let (status, _, body) = get_page(&gate, "corral-unknown-offline", JSON).await;
    assert_eq!(status, 502, "{body}");
    assert!(body.contains("not cached"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_are_normalised_by_redirect_and_pages_follow_the_accept_header() {
    let upstream = Upstream::start(vec![
        wheel("corral-fixture-eta", "1.0", 60),
        sdist("corral-fixture-eta", "1.0", 60),
    ])
    .await;
    let gate = RunningGate::start(&upstream.url, "").await;

    let (status, _, _) = get_page(&gate, "Corral_Fixture.Eta", JSON).await;
    assert_eq!(status, 301);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = client
        .get(format!("{}Corral_Fixture.Eta/", gate.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "../corral-fixture-eta/");

    let (status, content_type, body) = get_page(&gate, "corral-fixture-eta", JSON).await;
    assert_eq!(status, 200);
    assert_eq!(content_type, JSON);
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["meta"]["api-version"], "1.4");
    assert_eq!(page["files"].as_array().unwrap().len(), 2);
    let wheel_entry = page["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["filename"].as_str().unwrap().ends_with(".whl"))
        .unwrap();
    assert!(wheel_entry["upload-time"].as_str().is_some());
    assert!(wheel_entry["core-metadata"]["sha256"].as_str().is_some());
    assert_eq!(wheel_entry["requires-python"], ">=3.8");

    let (_, content_type, html) = get_page(
        &gate,
        "corral-fixture-eta",
        "application/vnd.pypi.simple.v1+html",
    )
    .await;
    assert_eq!(content_type, "application/vnd.pypi.simple.v1+html");
    assert!(html.contains("#sha256="), "{html}");
    assert!(html.contains("data-requires-python=\"&gt;=3.8\""), "{html}");

    let (status, _, body) = get_page(&gate, "corral-fixture-eta", "application/xml").await;
    assert_eq!(status, 406, "{body}");

    let sdist_url = format!(
        "{}corral-fixture-eta/{}",
        gate.url,
        page["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["filename"].as_str().unwrap().ends_with(".tar.gz"))
            .unwrap()["url"]
            .as_str()
            .unwrap()
    );
    let bytes = reqwest::get(&sdist_url)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&bytes[..], b"sdist of corral-fixture-eta 1.0");

    let hostile = reqwest::get(format!("{}..%2F..%2Fetc/", gate.url))
        .await
        .unwrap();
    assert_eq!(hostile.status().as_u16(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_licence_outside_the_allowed_list_is_refused_at_download() {
    let upstream = Upstream::start(vec![wheel("corral-fixture-theta", "1.0", 60)]).await;
    let gate = RunningGate::start(&upstream.url, "[policy]\nlicenses = [\"Apache-2.0\"]\n").await;
    let work = tempfile::tempdir().unwrap();
    let target = work.path().join("site");
    let out = pip_install(&gate.url, &target, &["corral-fixture-theta"]).await;
    assert!(!out.status.success(), "{}", shown(&out));
    assert_eq!(installed_version(&target, "corral-fixture-theta"), None);
    let decisions = gate.decisions().await;
    let refusal = decisions
        .iter()
        .find(|d| d.rule.as_deref() == Some("license"))
        .expect("the licence refusal is recorded");
    assert_eq!(refusal.outcome, "refused");
    assert!(
        refusal.reason.contains("licensed `MIT`"),
        "{}",
        refusal.reason
    );

    let allowed = RunningGate::start(&upstream.url, "[policy]\nlicenses = [\"MIT\"]\n").await;
    let target = work.path().join("allowed");
    let out = pip_install(&allowed.url, &target, &["corral-fixture-theta"]).await;
    assert!(out.status.success(), "{}", shown(&out));
    assert_eq!(
        installed_version(&target, "corral-fixture-theta").as_deref(),
        Some("1.0")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_html_only_upstream_works_through_the_gate_for_pip_and_uv() {
    let upstream = Upstream::start(vec![wheel("corral-fixture-iota", "0.9", 60)]).await;
    upstream
        .html_only
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let gate = RunningGate::start(&upstream.url, "").await;
    let work = tempfile::tempdir().unwrap();
    let target = work.path().join("pip");
    let out = pip_install(&gate.url, &target, &["corral-fixture-iota"]).await;
    assert!(out.status.success(), "{}", shown(&out));
    assert_eq!(
        installed_version(&target, "corral-fixture-iota").as_deref(),
        Some("0.9")
    );
    let target = work.path().join("uv");
    let out = uv_install(&gate.url, &target, &["corral-fixture-iota"], &[]).await;
    assert!(out.status.success(), "{}", shown(&out));
    assert_eq!(
        installed_version(&target, "corral-fixture-iota").as_deref(),
        Some("0.9")
    );
    let (_, _, body) = get_page(&gate, "corral-fixture-iota", JSON).await;
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["files"][0]["requires-python"], ">=3.8");
    assert!(page["files"][0].get("upload-time").is_none(), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_upstream_page_is_named_and_the_vetted_cache_keeps_serving() {
    let upstream = Upstream::start(vec![
        wheel("corral-fixture-kappa", "1.0", 60),
        wheel("corral-fixture-lambda", "1.0", 60),
    ])
    .await;
    let gate = RunningGate::start(&upstream.url, "page_ttl_seconds = 1").await;
    let (status, _, _) = get_page(&gate, "corral-fixture-kappa", JSON).await;
    assert_eq!(status, 200);

    upstream
        .garbage
        .store(true, std::sync::atomic::Ordering::SeqCst);
    // Past the TTL, so the gate asks the upstream again and gets half a page.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let work = tempfile::tempdir().unwrap();
    let target = work.path().join("site");
    let out = pip_install(&gate.url, &target, &["corral-fixture-kappa"]).await;
    assert!(out.status.success(), "{}", shown(&out));
    assert_eq!(
        installed_version(&target, "corral-fixture-kappa").as_deref(),
        Some("1.0")
    );

    let (status, _, body) = get_page(&gate, "corral-fixture-lambda", JSON).await;
    assert_eq!(status, 502, "{body}");
    assert!(body.contains("is malformed"), "{body}");
}

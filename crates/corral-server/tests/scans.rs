//! Scan uploads, findings per asset, "who uses package X", and the advisory monitor, through
//! the API of a server started by each test (SQLite, and PostgreSQL when
//! `CORRAL_TEST_DATABASE_URL` is set).

mod common;

use chrono::Utc;
use common::{TestServer, draft, start_configured, start_on_postgres, unique};
use corral_model::{
    Component, ComponentSource, Confidence, Ecosystem, EventKind, Finding, Location,
    RedactedSecret, Report, Role, Severity,
};
use corral_server::ServerConfig;
use corral_server::notify::{NotifyConfig, TargetConfig, TargetKind};
use serde_json::{Value, json};

const OWNER: &str = "owner@example.com";

fn notify() -> NotifyConfig {
    NotifyConfig {
        targets: vec![TargetConfig {
            name: "security-channel".into(),
            kind: TargetKind::Webhook,
            // Nothing listens here: deliveries stay queued, which is all these tests read.
            url: "http://127.0.0.1:9/hook".into(),
            events: vec![EventKind::AdvisoryMatch],
            secret: None,
            secret_env: None,
            from: None,
            to: vec![],
        }],
        ..NotifyConfig::default()
    }
}

async fn sqlite() -> TestServer {
    start_configured(None, notify(), None, ServerConfig::default()).await
}

/// A finding as a scanner reports it.
fn finding(fingerprint: &str, scanner: &str, severity: Severity) -> Finding {
    Finding {
        scanner: scanner.into(),
        rule_id: format!("{scanner}-rule"),
        title: "A problem".into(),
        severity,
        confidence: Confidence::High,
        location: Location::new("app.py", 7, 1),
        cwe: vec![],
        tags: vec![],
        message: format!("problem {fingerprint}"),
        fix: None,
        fingerprint: fingerprint.into(),
        secret: None,
        snippet: None,
        details: Default::default(),
    }
}

fn pypi(name: &str, version: Option<&str>, requirement: Option<&str>) -> Component {
    Component {
        ecosystem: Ecosystem::PyPI,
        name: name.into(),
        version: version.map(Into::into),
        requirement: requirement.map(Into::into),
        source: if version.is_some() {
            ComponentSource::Lockfile
        } else {
            ComponentSource::Manifest
        },
        path: "requirements.txt".into(),
        line: Some(1),
        direct: true,
        license: None,
    }
}

fn report(findings: Vec<Finding>, components: Vec<Component>) -> Report {
    let mut r = Report::new("0.1.0", Utc::now());
    r.scanners = vec![
        "secrets".into(),
        "deps".into(),
        "code".into(),
        "ai-config".into(),
        "license".into(),
    ];
    r.roots = vec![".".into()];
    r.findings = findings;
    r.components = components;
    r
}

/// Registers an asset owned by `OWNER` (as a member) and returns its id.
async fn owned_asset(s: &TestServer, tag: &str) -> (String, String) {
    let member = s.token(OWNER, Role::Member).await;
    let name = unique(tag);
    let body = s.register(&member, draft(&name, OWNER, 2)).await;
    (body["asset"]["id"].as_str().unwrap().to_string(), member)
}

async fn upload(s: &TestServer, token: &str, asset: &str, r: &Report) -> (u16, Value) {
    s.post(
        &format!("/api/v1/assets/{asset}/scans"),
        token,
        serde_json::to_value(r).unwrap(),
    )
    .await
}

async fn raw_upload(s: &TestServer, token: &str, asset: &str, body: Vec<u8>) -> (u16, Value) {
    let res = s
        .http
        .post(s.url(&format!("/api/v1/assets/{asset}/scans")))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn findings(s: &TestServer, token: &str, asset: &str, query: &str) -> Value {
    let (status, body) = s
        .get(&format!("/api/v1/assets/{asset}/findings?{query}"), token)
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

fn by_fingerprint<'a>(page: &'a Value, fingerprint: &str) -> &'a Value {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["finding"]["fingerprint"] == fingerprint)
        .unwrap_or_else(|| panic!("no {fingerprint} in {page}"))
}

async fn uploads_keep_one_history_per_finding(s: TestServer) {
    let (asset, member) = owned_asset(&s, "history").await;
    let leak = finding("leak-1", "secrets", Severity::High);
    let sql = finding("sql-1", "code", Severity::Medium);

    let (status, first) = upload(
        &s,
        &member,
        &asset,
        &report(vec![leak.clone(), sql.clone(), sql.clone()], vec![]),
    )
    .await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["scan"]["summary"]["opened"], 2);
    assert_eq!(
        first["scan"]["summary"]["duplicates"], 1,
        "the repeated fingerprint is stored once"
    );
    assert_eq!(first["scan"]["uploaded_by"], OWNER);
    let page = findings(&s, &member, &asset, "").await;
    assert_eq!(page["total"], 2);
    assert_eq!(page["open"]["high"], 1);
    let seen = by_fingerprint(&page, "leak-1");
    assert_eq!(seen["first_seen"], seen["last_seen"]);
    let leak_first_seen = seen["first_seen"].clone();

    let (status, second) = upload(&s, &member, &asset, &report(vec![sql.clone()], vec![])).await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["scan"]["summary"]["fixed"], 1);
    let fixed = findings(&s, &member, &asset, "state=resolved").await;
    assert_eq!(fixed["total"], 1);
    let gone = by_fingerprint(&fixed, "leak-1");
    assert_eq!(gone["resolution"], "fixed");
    assert!(gone["resolved_at"].is_string());
    let open = findings(&s, &member, &asset, "").await;
    assert_eq!(open["total"], 1);
    let again = by_fingerprint(&open, "sql-1");
    assert_ne!(
        again["first_seen"], again["last_seen"],
        "last seen moved on"
    );

    let (status, third) = upload(&s, &member, &asset, &report(vec![sql, leak], vec![])).await;
    assert_eq!(status, 201, "{third}");
    assert_eq!(third["scan"]["summary"]["reopened"], 1);
    let open = findings(&s, &member, &asset, "severity=high").await;
    let back = by_fingerprint(&open, "leak-1");
    assert_eq!(back["resolution"], Value::Null);
    assert_eq!(
        back["first_seen"], leak_first_seen,
        "first seen survives the fix"
    );

    let (status, counts) = s.get("/api/v1/findings/counts?days=3", &member).await;
    assert_eq!(status, 200, "{counts}");
    assert_eq!(
        (
            counts["open"]["high"].as_u64(),
            counts["open"]["medium"].as_u64()
        ),
        (Some(1), Some(1))
    );
    let trend = counts["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 3);
    assert_eq!(
        trend[2]["open"], counts["open"],
        "today's point is the current count"
    );
    let (status, history) = s
        .get(&format!("/api/v1/assets/{asset}/scans"), &member)
        .await;
    assert_eq!(status, 200, "{history}");
    assert_eq!(history["total"], 3);
}

#[tokio::test]
async fn uploads_keep_one_history_per_finding_on_sqlite() {
    uploads_keep_one_history_per_finding(sqlite().await).await;
}

#[tokio::test]
async fn uploads_keep_one_history_per_finding_on_postgres() {
    if let Some(s) = start_on_postgres(notify()).await {
        uploads_keep_one_history_per_finding(s).await;
    }
}

#[tokio::test]
async fn malformed_or_oversized_reports_are_refused_and_nothing_is_stored() {
    let s = start_configured(
        None,
        notify(),
        None,
        ServerConfig {
            max_scan_bytes: 4096,
            ..ServerConfig::default()
        },
    )
    .await;
    let (asset, member) = owned_asset(&s, "refused").await;

    let (status, body) = raw_upload(
        &s,
        &member,
        &asset,
        b"{\"schema_version\": 1, \"tool\": ".to_vec(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("not valid JSON at `tool`") && message.contains("line 1"),
        "{message}"
    );

    let mut wrong =
        serde_json::to_value(report(vec![finding("w-1", "code", Severity::Low)], vec![])).unwrap();
    wrong["findings"][0]["severity"] = json!("catastrophic");
    let (status, body) = raw_upload(&s, &member, &asset, wrong.to_string().into_bytes()).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "findings[0].severity");

    let mut old = serde_json::to_value(report(vec![], vec![])).unwrap();
    old["schema_version"] = json!(7);
    let (status, body) = raw_upload(&s, &member, &asset, old.to_string().into_bytes()).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "schema_version");

    let many: Vec<Finding> = (0..40)
        .map(|i| finding(&format!("big-{i}"), "code", Severity::Low))
        .collect();
    let (status, body) = upload(&s, &member, &asset, &report(many, vec![])).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"]["code"], "too-large");
    assert!(
        body["error"]["help"]
            .as_str()
            .unwrap()
            .contains("max_scan_bytes")
    );

    let page = findings(&s, &member, &asset, "state=all").await;
    assert_eq!(page["total"], 0, "nothing of a refused upload is stored");
    let (_, history) = s
        .get(&format!("/api/v1/assets/{asset}/scans"), &member)
        .await;
    assert_eq!(history["total"], 0);
}

#[tokio::test]
async fn each_role_may_upload_import_and_read_what_it_should() {
    let s = sqlite().await;
    let (asset, owner) = owned_asset(&s, "roles").await;
    let tokens = [
        (Role::Admin, s.admin.clone()),
        (
            Role::SecurityReviewer,
            s.token("sec@example.com", Role::SecurityReviewer).await,
        ),
        (
            Role::BusinessApprover,
            s.token("biz@example.com", Role::BusinessApprover).await,
        ),
        (
            Role::Member,
            s.token("other@example.com", Role::Member).await,
        ),
        (
            Role::Auditor,
            s.token("audit@example.com", Role::Auditor).await,
        ),
    ];
    let (status, body) = upload(&s, &owner, &asset, &report(vec![], vec![])).await;
    assert_eq!(status, 201, "the owner uploads: {body}");
    let record = json!([osv("GHSA-role-test-0001", &[], "rolepkg", "1.0")]);
    for (role, token) in &tokens {
        let may_feed = matches!(role, Role::Admin | Role::SecurityReviewer);
        let (status, body) = upload(&s, token, &asset, &report(vec![], vec![])).await;
        assert_eq!(
            status,
            if may_feed { 201 } else { 403 },
            "upload as {role}: {body}"
        );
        let (status, body) = import(&s, token, &record, false).await;
        assert_eq!(
            status,
            if may_feed { 200 } else { 403 },
            "import as {role}: {body}"
        );
        for path in [
            format!("/api/v1/assets/{asset}/findings"),
            format!("/api/v1/assets/{asset}/scans"),
            format!("/api/v1/assets/{asset}/components"),
            "/api/v1/findings/counts".to_string(),
            "/api/v1/packages?name=rolepkg".to_string(),
            "/api/v1/advisories".to_string(),
            "/api/v1/advisories/GHSA-role-test-0001/assets".to_string(),
        ] {
            let (status, body) = s.get(&path, token).await;
            assert_eq!(status, 200, "{path} as {role}: {body}");
        }
    }
}

#[tokio::test]
async fn no_stored_record_holds_a_secret_sent_in_an_upload() {
    let s = sqlite().await;
    let (asset, member) = owned_asset(&s, "secrets").await;
    let token = "ghp_R8x2Lq9Vt4Nw7Ks1Mz6Pc3Hd5Jb0Fy2Ga8Ue";
    let password = "Tr0ub4dor-and-3-more-words";
    let mut leak = finding("secret-1", "secrets", Severity::Critical);
    leak.snippet = Some(format!("GITHUB_TOKEN = \"{token}\""));
    leak.secret = Some(RedactedSecret {
        prefix: token[..12].to_string(),
        length: token.len(),
        sha256: token.to_string(),
    });
    leak.message = format!("a GitHub token: {token}");
    leak.details.insert("raw".into(), json!({"value": token}));
    let mut dependency = pypi("privlib", None, None);
    dependency.requirement = Some(format!(
        "git+https://deploy:{password}@git.example.com/org/privlib.git"
    ));
    let (status, body) = upload(&s, &member, &asset, &report(vec![leak], vec![dependency])).await;
    assert_eq!(status, 201, "{body}");
    let screened: Vec<&str> = body["screened"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for field in [
        "findings[0].snippet",
        "findings[0].secret",
        "findings[0].message",
        "findings[0].details.raw.value",
        "components[0].requirement",
    ] {
        assert!(screened.contains(&field), "{field} not in {screened:?}");
    }
    let stored = findings(&s, &member, &asset, "").await;
    let kept = by_fingerprint(&stored, "secret-1");
    assert_eq!(kept["finding"]["secret"]["prefix"], "ghp_");
    assert_eq!(kept["finding"]["snippet"], Value::Null);

    s.running.state.store.close().await;
    let mut everything = Vec::new();
    for entry in std::fs::read_dir(s.data_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            everything.extend(std::fs::read(&path).unwrap());
        }
    }
    assert!(everything.len() > 10_000, "the database files were read");
    for secret in [token, &token[4..], password] {
        assert!(
            !everything
                .windows(secret.len())
                .any(|w| w == secret.as_bytes()),
            "`{secret}` was stored"
        );
    }
}

#[tokio::test]
async fn packages_are_found_by_any_spelling_within_a_version_range() {
    let s = sqlite().await;
    let (old, member) = owned_asset(&s, "old-requests").await;
    let (new, _) = owned_asset(&s, "new-requests").await;
    let (loose, _) = owned_asset(&s, "loose-requests").await;
    for (asset, component) in [
        (&old, pypi("Requests", Some("2.19.0"), None)),
        (&new, pypi("requests", Some("2.31.0"), None)),
        (&loose, pypi("REQUESTS", None, Some(">=2.0"))),
    ] {
        let (status, body) = upload(&s, &member, asset, &report(vec![], vec![component])).await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, all) = s
        .get("/api/v1/packages?name=requests&ecosystem=pypi", &member)
        .await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(
        (all["total"].as_u64(), all["assets"].as_u64()),
        (Some(3), Some(3))
    );

    let (status, found) = s
        .get("/api/v1/packages?name=Requests&range=%3C2.31", &member)
        .await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["total"], 2);
    let matches: Vec<(&str, &str)> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["asset_id"].as_str().unwrap(),
                i["match"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(matches.contains(&(loose.as_str(), "possible")), "{found}");
    assert!(matches.contains(&(old.as_str(), "exact")), "{found}");
    assert!(
        found["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["owner_email"] == OWNER)
    );

    let (status, bad) = s
        .get(
            "/api/v1/packages?name=requests&ecosystem=pypi&range=%3E%3E%3D2",
            &member,
        )
        .await;
    assert_eq!(status, 422, "{bad}");
    assert_eq!(bad["error"]["fields"][0]["field"], "range");
}

/// An OSV record affecting PyPI `package` below `fixed`.
fn osv(id: &str, aliases: &[&str], package: &str, fixed: &str) -> Value {
    json!({
        "id": id,
        "aliases": aliases,
        "modified": "2026-01-01T00:00:00Z",
        "summary": format!("remote code execution in {package}"),
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
        "affected": [{
            "package": {"ecosystem": "PyPI", "name": package},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]
        }]
    })
}

async fn import(s: &TestServer, token: &str, records: &Value, merge: bool) -> (u16, Value) {
    let res = s
        .http
        .post(s.url(&format!("/api/v1/advisories/import?merge={merge}")))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(records.to_string())
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The advisory-match events about `asset`.
async fn announcements(s: &TestServer, asset: &str) -> Vec<corral_model::Event> {
    s.running
        .state
        .store
        .events(1000, 0)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| {
            e.kind == EventKind::AdvisoryMatch
                && e.asset_id.map(|a| a.to_string()).as_deref() == Some(asset)
        })
        .collect()
}

async fn importing_advisories_finds_affected_assets_and_announces_each_once(s: TestServer) {
    let (affected, member) = owned_asset(&s, "affected").await;
    let (safe, _) = owned_asset(&s, "safe").await;
    upload(
        &s,
        &member,
        &affected,
        &report(vec![], vec![pypi("yamlish", Some("1.2.0"), None)]),
    )
    .await;
    upload(
        &s,
        &member,
        &safe,
        &report(vec![], vec![pypi("yamlish", Some("3.0.0"), None)]),
    )
    .await;
    let records = json!([
        osv(
            "GHSA-aaaa-bbbb-cccc",
            &["CVE-2099-0001"],
            "yamlish",
            "2.0.0"
        ),
        osv("PYSEC-2099-1", &["CVE-2099-0001"], "yamlish", "2.0.0"),
    ]);

    let (status, first) = import(&s, &s.admin, &records, false).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["records"], 2);
    assert_eq!(
        first["evaluation"]["matches_opened"], 1,
        "aliases merge into one advisory"
    );
    assert_eq!(first["evaluation"]["announced"], 1);

    let page = findings(&s, &member, &affected, "scanner=deps").await;
    assert_eq!(page["total"], 1, "{page}");
    let f = &page["items"][0];
    assert_eq!(f["origin"], "monitor");
    assert_eq!(f["finding"]["rule_id"], "deps-vulnerable");
    assert_eq!(f["finding"]["severity"], "critical");
    assert_eq!(f["finding"]["details"]["fixed_version"], "2.0.0");
    assert_eq!(findings(&s, &member, &safe, "state=all").await["total"], 0);

    let (status, impact) = s
        .get("/api/v1/advisories/cve-2099-0001/assets", &member)
        .await;
    assert_eq!(status, 200, "{impact}");
    assert_eq!(impact["assets"], 1);
    assert_eq!(impact["items"][0]["asset_id"], affected.as_str());
    assert_eq!(impact["items"][0]["owner_email"], OWNER);
    assert_eq!(
        impact["items"][0]["match"]["matched"][0]["version"],
        "1.2.0"
    );

    let events = announcements(&s, &affected).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].recipients, [OWNER]);
    assert!(
        events[0].title.contains("GHSA-aaaa-bbbb-cccc"),
        "{}",
        events[0].title
    );
    let deliveries = s
        .running
        .state
        .store
        .deliveries_for_event(events[0].id)
        .await
        .unwrap();
    let targets: Vec<&str> = deliveries.iter().map(|d| d.target.as_str()).collect();
    assert_eq!(targets, ["security-channel"]);
    assert!(announcements(&s, &safe).await.is_empty());

    let (status, again) = import(&s, &s.admin, &records, false).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["evaluation"]["matches_opened"], 0);
    assert_eq!(
        announcements(&s, &affected).await.len(),
        1,
        "announced once per (asset, advisory)"
    );

    let withdrawn = json!([
        {"id": "GHSA-aaaa-bbbb-cccc", "withdrawn": "2026-02-01T00:00:00Z",
         "affected": [{"package": {"ecosystem": "PyPI", "name": "yamlish"}}]},
        {"id": "PYSEC-2099-1", "withdrawn": "2026-02-01T00:00:00Z",
         "affected": [{"package": {"ecosystem": "PyPI", "name": "yamlish"}}]},
    ]);
    let (status, gone) = import(&s, &s.admin, &withdrawn, true).await;
    assert_eq!(status, 200, "{gone}");
    assert_eq!(gone["evaluation"]["matches_fixed"], 1, "{gone}");
    let resolved = findings(&s, &member, &affected, "state=resolved").await;
    assert_eq!(resolved["total"], 1);
    assert_eq!(resolved["items"][0]["resolution"], "fixed");
    let (_, impact) = s
        .get("/api/v1/advisories/CVE-2099-0001/assets", &member)
        .await;
    assert_eq!(impact["assets"], 0);

    let (_, back) = import(&s, &s.admin, &records, true).await;
    assert_eq!(
        back["evaluation"]["matches_opened"], 1,
        "matching again reopens"
    );
    assert_eq!(
        back["evaluation"]["announced"], 0,
        "but is not announced again"
    );
    assert_eq!(announcements(&s, &affected).await.len(), 1);
    assert_eq!(findings(&s, &member, &affected, "").await["total"], 1);
}

#[tokio::test]
async fn importing_advisories_finds_affected_assets_and_announces_each_once_on_sqlite() {
    importing_advisories_finds_affected_assets_and_announces_each_once(sqlite().await).await;
}

#[tokio::test]
async fn importing_advisories_finds_affected_assets_and_announces_each_once_on_postgres() {
    if let Some(s) = start_on_postgres(notify()).await {
        importing_advisories_finds_affected_assets_and_announces_each_once(s).await;
    }
}

#[tokio::test]
async fn an_upload_is_evaluated_at_once_and_a_scan_reporting_the_advisory_supersedes_the_server() {
    let s = sqlite().await;
    let (asset, member) = owned_asset(&s, "upload-eval").await;
    let (status, body) = import(
        &s,
        &s.admin,
        &json!([osv(
            "GHSA-dddd-eeee-ffff",
            &["CVE-2099-0002"],
            "tarry",
            "5.0"
        )]),
        false,
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let (status, body) = upload(
        &s,
        &member,
        &asset,
        &report(vec![], vec![pypi("tarry", Some("4.1"), None)]),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body["advisories"]["matched"],
        json!(["GHSA-dddd-eeee-ffff"])
    );
    assert_eq!(
        body["advisories"]["announced"],
        json!(["GHSA-dddd-eeee-ffff"])
    );
    assert_eq!(
        findings(&s, &member, &asset, "").await["items"][0]["origin"],
        "monitor"
    );

    // The next scan reports the same advisory itself: the scan's finding stands alone.
    let mut scanned = finding("client-vuln", "deps", Severity::Critical);
    scanned.rule_id = "deps-vulnerable".into();
    scanned.details.insert("ecosystem".into(), json!("PyPI"));
    scanned.details.insert("package".into(), json!("Tarry"));
    scanned
        .details
        .insert("advisories".into(), json!(["CVE-2099-0002"]));
    let (status, body) = upload(
        &s,
        &member,
        &asset,
        &report(vec![scanned], vec![pypi("tarry", Some("4.1"), None)]),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let open = findings(&s, &member, &asset, "").await;
    assert_eq!(open["total"], 1, "{open}");
    assert_eq!(open["items"][0]["origin"], "scan");
    let resolved = findings(&s, &member, &asset, "state=resolved").await;
    assert_eq!(resolved["items"][0]["resolution"], "superseded");

    // Upgraded: the scan no longer reports it, and the advisory no longer matches.
    let (status, body) = upload(
        &s,
        &member,
        &asset,
        &report(vec![], vec![pypi("tarry", Some("5.1"), None)]),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["advisories"]["fixed"], json!(["GHSA-dddd-eeee-ffff"]));
    assert_eq!(findings(&s, &member, &asset, "").await["total"], 0);
    assert_eq!(announcements(&s, &asset).await.len(), 1);
}

#[tokio::test]
async fn advisory_data_written_beside_the_server_is_noticed_and_evaluated_once() {
    // No background watch: the test looks itself, so nothing races it.
    let s = start_configured(
        None,
        notify(),
        None,
        ServerConfig {
            advisory_watch_secs: 0,
            ..ServerConfig::default()
        },
    )
    .await;
    let (asset, member) = owned_asset(&s, "watched").await;
    upload(
        &s,
        &member,
        &asset,
        &report(vec![], vec![pypi("watchlib", Some("0.9"), None)]),
    )
    .await;
    // What `corral db import` run against the server's data directory does.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("GHSA-wwww-xxxx-yyyy.json"),
        osv("GHSA-wwww-xxxx-yyyy", &[], "watchlib", "1.0").to_string(),
    )
    .unwrap();
    corral_deps::advisory::import::import_into(s.data_dir(), dir.path(), false, Utc::now())
        .unwrap();

    let state = &s.running.state;
    assert!(
        corral_server::monitor::watch::check_once(state, "watch")
            .await
            .unwrap()
    );
    assert!(
        !corral_server::monitor::watch::check_once(state, "watch")
            .await
            .unwrap(),
        "nothing changed since"
    );
    assert_eq!(findings(&s, &member, &asset, "").await["total"], 1);
    assert_eq!(announcements(&s, &asset).await.len(), 1);
    let (status, status_body) = s.get("/api/v1/advisories", &member).await;
    assert_eq!(status, 200, "{status_body}");
    assert_eq!(status_body["ecosystems"][0]["advisories"], 1);
    assert_eq!(status_body["last_evaluation"]["trigger"], "watch");
}

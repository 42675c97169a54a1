//! The registry workflow end to end over HTTP: registration by tier, reviews and dual
//! sign-off, edits that re-run the policy, duplicates, validation, attestation, off-boarding,
//! overdue checks and the audit log. Runs on SQLite, and on PostgreSQL as well when
//! `CORRAL_TEST_DATABASE_URL` is set.

mod common;

use chrono::{DateTime, Utc};
use common::{TestServer, draft, start, start_on_postgres, unique};
use corral_model::{PolicyConfig, Role};
use corral_server::NotifyConfig;
use serde_json::json;

fn time(v: &serde_json::Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

async fn full_workflow(s: &TestServer) {
    let member = s.token("ana@example.com", Role::Member).await;
    let sec = s.token("sec@example.com", Role::SecurityReviewer).await;
    let biz = s.token("biz@example.com", Role::BusinessApprover).await;

    // Tier 2: approved at once, with the policy's decision recorded.
    let name = unique("weekly-report");
    let out = s
        .register(&member, draft(&name, "ana@example.com", 2))
        .await;
    assert_eq!(out["asset"]["approval"], "approved");
    assert!(out["review"].is_null());
    let (_, detail) = s.get(&format!("/api/v1/assets/{name}"), &member).await;
    assert_eq!(detail["decisions"][0]["kind"], "approved");
    assert_eq!(detail["decisions"][0]["actor"], "policy");

    // Tier 3: a security review due in five business days.
    let conf = unique("churn-model");
    let out = s
        .register(&member, draft(&conf, "ana@example.com", 3))
        .await;
    assert_eq!(out["asset"]["approval"], "pending-review");
    let review = &out["review"];
    assert_eq!(review["required"], json!(["security"]));
    let expected = PolicyConfig::default()
        .review_due(time(&review["opened_at"]))
        .unwrap();
    assert_eq!(time(&review["due_at"]), expected);
    let (_, open) = s.get("/api/v1/reviews", &sec).await;
    assert!(
        open.as_array()
            .unwrap()
            .iter()
            .any(|r| r["asset_name"] == conf)
    );

    // The security reviewer approves with a comment; the asset is approved.
    let (status, acted) = s
        .post(
            &format!("/api/v1/reviews/{conf}/actions"),
            &sec,
            json!({"action": "approve", "comment": "read-only access, fine"}),
        )
        .await;
    assert_eq!(status, 200, "{acted}");
    assert_eq!(acted["approval"], "approved");
    assert_eq!(acted["signed_as"], "security");

    // Tier 4: blocked with the explanation, and the entry kept.
    let reg = unique("payment-reconciler");
    let out = s.register(&member, draft(&reg, "ana@example.com", 4)).await;
    assert_eq!(out["asset"]["approval"], "blocked");
    assert!(
        out["evaluation"]["reason"]
            .as_str()
            .unwrap()
            .contains("tier 4 (regulated)")
    );
    assert!(
        out["evaluation"]["help"]
            .as_str()
            .unwrap()
            .contains("synthetic")
    );
    let (status, kept) = s.get(&format!("/api/v1/assets/{reg}"), &sec).await;
    assert_eq!(status, 200);
    assert_eq!(kept["asset"]["approval"], "blocked");

    // Critical + production: two different approvers, neither the creator.
    let crit = unique("crm-sync");
    let mut body = draft(&crit, "ana@example.com", 2);
    body["status"] = json!("production");
    body["systems"] = json!([{"system": "Salesforce", "access": "writes"}]);
    let out = s.register(&member, body).await;
    assert_eq!(out["asset"]["risk_tier"], "critical");
    assert_eq!(out["review"]["required"], json!(["business", "security"]));
    let path = format!("/api/v1/reviews/{crit}/actions");
    let approve = |c: &str| json!({"action": "approve", "comment": c});
    let (status, first) = s.post(&path, &biz, approve("worth it")).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["approval"], "pending-review");
    assert_eq!(first["review"]["missing"], json!(["security"]));
    let (status, again) = s.post(&path, &biz, approve("me again")).await;
    assert_eq!(status, 409, "{again}");
    let (status, done) = s.post(&path, &sec, approve("safe")).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["approval"], "approved");

    // The creator cannot review their own asset, whatever their role.
    let own = unique("own-work");
    let out = s.register(&sec, draft(&own, "sec@example.com", 3)).await;
    assert_eq!(out["asset"]["approval"], "pending-review");
    let (status, err) = s
        .post(
            &format!("/api/v1/reviews/{own}/actions"),
            &sec,
            approve("mine is fine"),
        )
        .await;
    assert_eq!(status, 403);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("cannot review it")
    );

    // A comment is required.
    let (status, err) = s
        .post(
            &format!("/api/v1/reviews/{own}/actions"),
            &s.admin,
            json!({"action": "reject", "comment": " "}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(err["error"]["fields"][0]["field"], "comment");

    // Editing the data tier re-runs the policy: tier 2 -> 3 opens a review.
    let (status, edited) = s
        .call(
            "PATCH",
            &format!("/api/v1/assets/{name}"),
            Some(&member),
            Some(json!({"data_tier": 3})),
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(edited["asset"]["approval"], "pending-review");
    assert_eq!(edited["review"]["required"], json!(["security"]));
    // A purpose-only edit does not.
    let (_, edited) = s
        .call(
            "PATCH",
            &format!("/api/v1/assets/{name}"),
            Some(&member),
            Some(json!({"purpose": "Builds the weekly pipeline report."})),
        )
        .await;
    assert!(edited["evaluation"].is_null());
    assert_eq!(edited["asset"]["approval"], "pending-review");

    // Request changes, then an edit re-submits the asset.
    let (_, acted) = s
        .post(
            &format!("/api/v1/reviews/{name}/actions"),
            &sec,
            json!({"action": "request-changes", "comment": "use a service account"}),
        )
        .await;
    assert_eq!(acted["approval"], "changes-requested");
    let (_, edited) = s
        .call(
            "PATCH",
            &format!("/api/v1/assets/{name}"),
            Some(&member),
            Some(json!({"purpose": "Uses the reporting service account now."})),
        )
        .await;
    assert_eq!(edited["asset"]["approval"], "pending-review");

    // Attestation.
    let (status, attested) = s
        .post(
            &format!("/api/v1/assets/{crit}/attestations"),
            &member,
            json!({"choice": "still-active"}),
        )
        .await;
    assert_eq!(status, 200, "{attested}");
    assert!(attested["asset"]["last_attested_at"].is_string());

    // Off-boarding hands everything to the successor and lists what needs attention.
    let (status, off) = s
        .post(
            "/api/v1/people/offboard",
            &s.admin,
            json!({"person": "ana@example.com", "successor": "kim@example.com"}),
        )
        .await;
    assert_eq!(status, 200, "{off}");
    assert!(off["changes"].as_array().unwrap().len() >= 4);
    assert!(
        off["attention"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["reason"].as_str().unwrap().contains("no backup owner"))
    );
    let (_, after) = s.get(&format!("/api/v1/assets/{crit}"), &sec).await;
    assert_eq!(after["asset"]["owner_email"], "kim@example.com");

    // Every change is in the audit log, and the log verifies.
    let asset_id = after["asset"]["id"].as_str().unwrap().to_string();
    let (_, audit) = s
        .get(
            &format!("/api/v1/audit/events?subject={asset_id}"),
            &s.admin,
        )
        .await;
    let actions: Vec<_> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    for expected in [
        "asset.registered",
        "review.opened",
        "review.approve",
        "asset.attested",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} in {actions:?}"
        );
    }
    let event_id = audit["events"][0]["id"].as_str().unwrap();
    let (status, proof) = s
        .get(&format!("/api/v1/audit/events/{event_id}/proof"), &s.admin)
        .await;
    assert_eq!(status, 200, "{proof}");
    assert_eq!(proof["format"], "corral-audit-inclusion-proof/v1");
    let (_, verified) = s.get("/api/v1/audit/verify", &s.admin).await;
    assert_eq!(verified["ok"], true, "{verified}");
}

#[tokio::test]
async fn the_full_workflow_runs_over_http_on_sqlite() {
    let s = start().await;
    full_workflow(&s).await;
    s.running.shutdown().await;
}

#[tokio::test]
async fn the_full_workflow_runs_over_http_on_postgres_when_configured() {
    let Some(s) = start_on_postgres(NotifyConfig::default()).await else {
        return;
    };
    full_workflow(&s).await;
    s.running.shutdown().await;
}

#[tokio::test]
async fn a_duplicate_repository_answers_409_pointing_at_the_existing_asset() {
    let s = start().await;
    let mut body = draft("lead-scoring", "ana@example.com", 2);
    body["repository"] = json!("https://git.example.com/sales/lead-scoring");
    let first = s.register(&s.admin, body).await;
    let mut again = draft("lead-scoring-v2", "bob@example.com", 1);
    again["repository"] = json!("git@git.example.com:sales/lead-scoring.git");
    let (status, err) = s.post("/api/v1/assets", &s.admin, again).await;
    assert_eq!(status, 409, "{err}");
    assert_eq!(err["error"]["code"], "duplicate");
    assert_eq!(err["error"]["existing"]["id"], first["asset"]["id"]);
    assert_eq!(err["error"]["existing"]["name"], "lead-scoring");
    s.running.shutdown().await;
}

#[tokio::test]
async fn validation_errors_name_every_field_and_its_rule() {
    let s = start().await;
    let (status, err) = s
        .post(
            "/api/v1/assets",
            &s.admin,
            json!({"name": "Bad Name", "purpose": ""}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(err["error"]["code"], "validation");
    let fields: Vec<_> = err["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "name",
            "purpose",
            "department",
            "data_tier",
            "ai_tool",
            "status"
        ]
    );
    // A value of the wrong kind names its field too.
    let mut body = draft("x", "ana@example.com", 2);
    body["data_tier"] = json!(9);
    let (status, err) = s.post("/api/v1/assets", &s.admin, body).await;
    assert_eq!(status, 422);
    assert_eq!(err["error"]["fields"][0]["field"], "data_tier");
    s.running.shutdown().await;
}

#[tokio::test]
async fn lists_filter_by_tier_status_department_and_text_with_pagination() {
    let s = start().await;
    for i in 0..7 {
        let mut body = draft(&format!("tool-{i}"), "ana@example.com", 1 + (i % 2) as u8);
        body["department"] = json!(if i < 4 { "Sales" } else { "Finance" });
        if i == 6 {
            body["purpose"] = json!("Reconciles the quarterly ledger.");
        }
        s.register(&s.admin, body).await;
    }
    let (_, page) = s.get("/api/v1/assets?tier=2", &s.admin).await;
    assert_eq!(page["total"], 3);
    let (_, page) = s.get("/api/v1/assets?department=finance", &s.admin).await;
    assert_eq!(page["total"], 3);
    let (_, page) = s.get("/api/v1/assets?q=ledger", &s.admin).await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["name"], "tool-6");
    let (_, page) = s
        .get(
            "/api/v1/assets?status=development&per_page=3&page=3",
            &s.admin,
        )
        .await;
    assert_eq!(page["total"], 7);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let (status, err) = s.get("/api/v1/assets?tier=banana", &s.admin).await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["fields"][0]["field"], "tier");
    s.running.shutdown().await;
}

#[tokio::test]
async fn overdue_reviews_are_announced_once_with_an_audit_entry_and_an_event() {
    let s = start().await;
    s.register(&s.admin, draft("late-review", "ana@example.com", 3))
        .await;
    let later = Utc::now() + chrono::Duration::days(30);
    let n = corral_server::overdue::check(&s.running.state, later)
        .await
        .unwrap();
    assert_eq!(n, 1);
    let again = corral_server::overdue::check(&s.running.state, later)
        .await
        .unwrap();
    assert_eq!(again, 0);
    let events = s.running.state.store.events(50, 0).await.unwrap();
    assert!(events.iter().any(
        |e| e.kind == corral_model::EventKind::ReviewOverdue && e.title.contains("late-review")
    ));
    s.running.shutdown().await;
}

#[tokio::test]
async fn a_risk_override_needs_a_reason_and_re_runs_the_policy() {
    let s = start().await;
    let sec = s.token("sec@example.com", Role::SecurityReviewer).await;
    s.register(&s.admin, draft("mailer", "ana@example.com", 2))
        .await;
    let (status, err) = s
        .post(
            "/api/v1/assets/mailer/risk-override",
            &sec,
            json!({"tier": "critical", "reason": ""}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(err["error"]["fields"][0]["field"], "reason");
    let (status, out) = s
        .post(
            "/api/v1/assets/mailer/risk-override",
            &sec,
            json!({"tier": "critical", "reason": "e-mails customer data out"}),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["asset"]["risk_tier"], "critical");
    assert!(out["evaluation"].is_object());
    s.running.shutdown().await;
}

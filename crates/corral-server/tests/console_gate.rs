//! The package gate's console pages over HTTP: the request queue a reviewer answers, the
//! requests a developer follows, and the decision log with its filters and weekly summary;
//! each refused without the right role, and each form refused without the session's CSRF
//! token.

mod browser;
mod common;

use browser::signed_in;
use chrono::{Duration, Utc};
use common::{TestServer, start};
use corral_model::Role;
use corral_store::{AuditEntry, GateDecision, GateRequest, GateRequestStatus};
use uuid::Uuid;

/// Opens a pending request as the gate's recorder does, asked by the client `by`.
async fn open_request(s: &TestServer, project: &str, version: &str, rule: &str, by: &str) -> Uuid {
    let request = GateRequest {
        id: Uuid::new_v4(),
        project: project.into(),
        version: version.into(),
        status: GateRequestStatus::Pending,
        rule: rule.into(),
        reason: format!("`{project}` was held back by {rule}"),
        requested_by: by.into(),
        requested_at: Utc::now() - Duration::hours(3),
        decided_by: None,
        decided_at: None,
        comment: None,
    };
    let mut tx = s.running.state.store.begin().await.unwrap();
    tx.open_gate_request(&request).await.unwrap().unwrap();
    tx.audit(AuditEntry::new("gate", "gate.request.opened").subject(format!("pypi:{project}")));
    tx.commit().await.unwrap();
    request.id
}

async fn request_status(s: &TestServer, id: Uuid) -> GateRequest {
    s.running
        .state
        .store
        .gate_request(id)
        .await
        .unwrap()
        .unwrap()
}

async fn audit_actions(s: &TestServer) -> Vec<(String, String)> {
    s.running
        .state
        .store
        .audit_records(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.event.actor, r.event.action))
        .collect()
}

const ANA_PIP: &str = "user=ana addr=127.0.0.1 agent=pip/24.2";
const BO_UV: &str = "user=bo addr=127.0.0.2 agent=uv/0.5.0";

#[tokio::test]
async fn a_reviewer_answers_package_requests_and_the_requester_sees_the_answers() {
    let s = start().await;
    let typo = open_request(&s, "reqeusts", "", "typosquat", ANA_PIP).await;
    let young = open_request(&s, "tensorflow", "2.18.0", "min-age", ANA_PIP).await;
    let theirs = open_request(&s, "polars", "1.9.0", "min-age", BO_UV).await;

    // The requester sees her own requests and where they stand, not the queue.
    let mut ana = signed_in(&s, "ana@example.com", Role::Member).await;
    let mine = ana.get("/gate/requests").await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert_eq!(mine.count("data-testid=\"my-request\""), 2);
    assert!(mine.has("data-package=\"tensorflow==2.18.0\" data-status=\"pending\""));
    assert!(mine.has("data-package=\"reqeusts\" data-status=\"pending\""));
    assert!(mine.has("`reqeusts` was held back by typosquat"));
    assert!(!mine.has("polars"), "another person's request is not hers");
    assert!(!mine.has("id=\"gate-queue\""));
    assert!(!mine.has("/decide"));
    assert!(mine.has("id=\"nav-gate\""));
    // Nor may she answer one, even with a valid token.
    let refused = ana
        .submit(
            "/gate/requests",
            &format!("/gate/requests/{typo}/decide"),
            &[("action", "approve"), ("comment", "mine")],
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(
        request_status(&s, typo).await.status,
        GateRequestStatus::Pending
    );

    // The reviewer's queue: every pending request with who asked, why and when, and a form.
    let mut sec = signed_in(&s, "sec@example.com", Role::SecurityReviewer).await;
    let queue = sec.get("/gate/requests").await;
    assert_eq!(queue.status, 200);
    assert_eq!(queue.count("data-testid=\"gate-request\""), 3);
    assert!(queue.has("data-package=\"polars==1.9.0\""));
    assert!(queue.has("asked by <strong>bo</strong>"));
    assert!(queue.has("rule <code>min-age</code>"));
    assert!(queue.has("3 hours ago"), "{}", queue.body);
    assert!(queue.has(&format!("action=\"/gate/requests/{theirs}/decide\"")));
    assert!(queue.has("id=\"gate-requests-pending\" class=\"active\""));

    // Without the session's token nothing changes.
    let forged = sec
        .post(
            &format!("/gate/requests/{typo}/decide"),
            &[("csrf", "0123456789abcdef"), ("action", "approve")],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert!(forged.has("This form cannot be accepted"));
    assert_eq!(
        request_status(&s, typo).await.status,
        GateRequestStatus::Pending
    );

    // A comment too long comes back beside its request, as typed.
    let long = "x".repeat(2001);
    let too_long = sec
        .submit(
            "/gate/requests",
            &format!("/gate/requests/{young}/decide"),
            &[("action", "approve"), ("comment", &long)],
        )
        .await;
    assert_eq!(too_long.status, 422, "{}", too_long.body);
    assert!(too_long.has("data-testid=\"gate-request-error\">comment: must be at most 2000"));
    assert!(too_long.has(&format!(">{long}</textarea>")));

    let approved = sec
        .submit(
            "/gate/requests",
            &format!("/gate/requests/{young}/decide"),
            &[("action", "approve"), ("comment", "release notes reviewed")],
        )
        .await;
    assert_eq!(approved.status, 303, "{}", approved.body);
    assert_eq!(
        approved.location.as_deref(),
        Some(format!("/gate/requests?decided={young}").as_str())
    );
    let after = sec.get(approved.location.as_deref().unwrap()).await;
    assert!(after.has("Approved tensorflow==2.18.0"), "{}", after.body);
    assert_eq!(after.count("data-testid=\"gate-request\""), 2);
    let denied = sec
        .submit(
            "/gate/requests",
            &format!("/gate/requests/{typo}/decide"),
            &[("action", "deny"), ("comment", "typosquat of requests")],
        )
        .await;
    assert_eq!(denied.status, 303);

    let stored = request_status(&s, young).await;
    assert_eq!(stored.status, GateRequestStatus::Approved);
    assert_eq!(stored.decided_by.as_deref(), Some("sec@example.com"));
    assert_eq!(stored.comment.as_deref(), Some("release notes reviewed"));
    assert_eq!(
        request_status(&s, typo).await.status,
        GateRequestStatus::Denied
    );
    let actions = audit_actions(&s).await;
    assert!(actions.contains(&("sec@example.com".into(), "gate.request.approved".into())));
    assert!(actions.contains(&("sec@example.com".into(), "gate.request.denied".into())));
    assert!(
        !actions
            .iter()
            .any(|(who, a)| who == "ana@example.com" && a.starts_with("gate.request"))
    );

    // The decided tabs list them with the answer.
    let approved_tab = sec.get("/gate/requests?status=approved").await;
    assert_eq!(approved_tab.count("data-testid=\"gate-request\""), 1);
    assert!(approved_tab.has("approved by sec@example.com"));
    assert!(approved_tab.has("<q>release notes reviewed</q>"));

    // The requester reads both answers.
    let mine = ana.get("/gate/requests").await;
    assert!(mine.has("data-package=\"tensorflow==2.18.0\" data-status=\"approved\""));
    assert!(mine.has("data-package=\"reqeusts\" data-status=\"denied\""));
    assert!(mine.has("<q>typosquat of requests</q>"));

    // An auditor reads the queue and gets no form.
    let mut audit = signed_in(&s, "audit@example.com", Role::Auditor).await;
    let read_only = audit.get("/gate/requests").await;
    assert_eq!(read_only.status, 200);
    assert_eq!(read_only.count("data-testid=\"gate-request\""), 1);
    assert!(read_only.has("id=\"gate-queue-readonly\""));
    assert!(!read_only.has("/decide\""));
}

fn decision(project: &str, outcome: &str, rule: Option<&str>, age: Duration) -> GateDecision {
    GateDecision {
        id: Uuid::new_v4(),
        at: Utc::now() - age,
        project: project.into(),
        version: Some("1.0".into()),
        filename: (outcome == "served").then(|| format!("{project}-1.0-py3-none-any.whl")),
        outcome: outcome.into(),
        rule: rule.map(str::to_string),
        mode: rule.map(|_| {
            if outcome == "dry-run" {
                "dry-run".to_string()
            } else {
                "block".to_string()
            }
        }),
        reason: match rule {
            Some(r) => format!("{project} objected to by {r}"),
            None => "served".into(),
        },
        client: "user=ana addr=127.0.0.1 agent=pip/24.2".into(),
    }
}

#[tokio::test]
async fn the_decision_log_filters_pages_and_counts_the_weeks_objections_per_rule() {
    let s = start().await;
    let minutes = Duration::minutes;
    let mut log = Vec::new();
    for i in 0..3 {
        log.push(decision(
            "reqeusts",
            "withheld",
            Some("typosquat"),
            minutes(i),
        ));
    }
    log.push(decision(
        "reqeusts",
        "refused",
        Some("typosquat"),
        minutes(5),
    ));
    for i in 0..2 {
        log.push(decision(
            "young-pkg",
            "dry-run",
            Some("min-age"),
            minutes(i),
        ));
    }
    for i in 0..60 {
        log.push(decision("requests", "served", None, minutes(10 + i)));
    }
    log.push(decision(
        "evil-pkg",
        "withheld",
        Some("deny-list"),
        Duration::days(10),
    ));
    s.running
        .state
        .store
        .record_gate_decisions(&log)
        .await
        .unwrap();

    let mut sec = signed_in(&s, "sec@example.com", Role::SecurityReviewer).await;
    let all = sec.get("/gate/decisions").await;
    assert_eq!(all.status, 200, "{}", all.body);
    // A week's objections per rule: blocked and would-have-blocked apart; ten days ago is out.
    assert!(all.has("data-testid=\"gate-summary-row\" data-rule=\"typosquat\""));
    let typo_row = &all.body[all.body.find("data-rule=\"typosquat\"").unwrap()..];
    assert!(typo_row.contains("data-testid=\"gate-summary-blocked\">4</a>"));
    let age_row = &all.body[all.body.find("data-rule=\"min-age\"").unwrap()..];
    assert!(age_row.contains("data-testid=\"gate-summary-dry-run\">2</a>"));
    assert!(!all.has("data-rule=\"deny-list\""));
    assert!(all.has("id=\"gate-dry-run-note\">2 objection(s) from rules in dry-run mode"));
    // Newest first, fifty to a page.
    assert_eq!(all.count("data-testid=\"gate-decision\""), 50);
    assert!(all.has("1–50 of 67"));
    assert!(all.has("href=\"/gate/decisions?page=2\" rel=\"next\""));
    let second = sec.get("/gate/decisions?page=2").await;
    assert_eq!(second.count("data-testid=\"gate-decision\""), 17);
    assert!(second.has("data-project=\"evil-pkg\""));

    let dry = sec.get("/gate/decisions?outcome=dry-run").await;
    assert_eq!(dry.count("data-testid=\"gate-decision\""), 2);
    assert_eq!(dry.count("data-outcome=\"would have blocked\""), 2);
    assert!(dry.has("<option value=\"dry-run\" selected>"));

    let blocked = sec
        .get("/gate/decisions?outcome=blocked&rule=typosquat")
        .await;
    assert_eq!(blocked.count("data-testid=\"gate-decision\""), 4);
    assert_eq!(blocked.count("data-outcome=\"refused\""), 1);
    assert!(blocked.has("<option value=\"typosquat\" selected>"));

    // Any spelling of a project name finds it.
    let one = sec.get("/gate/decisions?project=Reqeusts").await;
    assert_eq!(one.count("data-testid=\"gate-decision\""), 4);
    assert!(one.has("value=\"reqeusts\""));
    let none = sec.get("/gate/decisions?project=nothing-here").await;
    assert!(none.has("id=\"gate-decisions-empty\""));
    assert!(none.has("No decision matches these filters."));

    // Members follow their requests but do not read the log (it names clients).
    let mut ana = signed_in(&s, "ana@example.com", Role::Member).await;
    let refused = ana.get("/gate/decisions").await;
    assert_eq!(refused.status, 403);
    assert!(!refused.has("reqeusts"));
    assert!(
        !ana.get("/gate/requests")
            .await
            .has("id=\"gate-tab-decisions\"")
    );
    let mut audit = signed_in(&s, "audit@example.com", Role::Auditor).await;
    assert_eq!(audit.get("/gate/decisions").await.status, 200);
}

#[tokio::test]
async fn the_gate_pages_send_a_visitor_without_a_session_to_sign_in() {
    let s = start().await;
    let mut anonymous = browser::Browser::new(&s);
    for path in ["/gate/requests", "/gate/decisions"] {
        let page = anonymous.get(path).await;
        assert_eq!(page.status, 303, "{path}");
        assert!(
            page.location
                .as_deref()
                .unwrap()
                .starts_with("/sign-in?next="),
            "{path}"
        );
    }
    let id = open_request(&s, "reqeusts", "", "typosquat", ANA_PIP).await;
    let post = anonymous
        .post(
            &format!("/gate/requests/{id}/decide"),
            &[("csrf", "x"), ("action", "approve")],
        )
        .await;
    assert_eq!(post.status, 303, "a form without a session goes to sign-in");
    assert_eq!(
        request_status(&s, id).await.status,
        GateRequestStatus::Pending
    );
}

//! The package gate's records, on SQLite and PostgreSQL: decisions read back as written,
//! one request per project and version, and approvals that may come before anyone asked.

mod support;

use chrono::Utc;
use corral_store::{
    AuditEntry, GateDecision, GateDecisionFilter, GateRequest, GateRequestStatus, GateRuleCount,
};
use support::TestDb;
use uuid::Uuid;

fn request(project: &str, version: &str, by: &str) -> GateRequest {
    GateRequest {
        id: Uuid::new_v4(),
        project: project.into(),
        version: version.into(),
        status: GateRequestStatus::Pending,
        rule: "min-age".into(),
        reason: format!("`{project}` {version} is too young"),
        requested_by: by.into(),
        requested_at: support::now(),
        decided_by: None,
        decided_at: None,
        comment: None,
    }
}

async fn decisions_read_back_newest_first_and_per_project(db: TestDb) {
    let at = support::now();
    let decision = |project: &str, seconds: i64, outcome: &str| GateDecision {
        id: Uuid::new_v4(),
        at: at + chrono::Duration::seconds(seconds),
        project: project.into(),
        version: Some("1.0".into()),
        filename: None,
        outcome: outcome.into(),
        rule: Some("typosquat".into()),
        mode: Some("block".into()),
        reason: "imitates `requests`".into(),
        client: "addr=127.0.0.1".into(),
    };
    let written = vec![
        decision("reqeusts", 0, "withheld"),
        decision("other", 1, "served"),
        decision("reqeusts", 2, "approved"),
    ];
    db.store.record_gate_decisions(&written).await.unwrap();
    let all = db.store.gate_decisions(None, 10).await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0], written[2]);
    let one = db.store.gate_decisions(Some("reqeusts"), 10).await.unwrap();
    assert_eq!(one, vec![written[2].clone(), written[0].clone()]);
    assert_eq!(
        db.store.audit_len().await.unwrap(),
        0,
        "decisions are bookkeeping"
    );
}
on_both_backends!(
    decisions_read_back_newest_first_and_per_project,
    super::decisions_read_back_newest_first_and_per_project
);

async fn a_second_request_for_the_same_version_changes_nothing(db: TestDb) {
    let mut tx = db.store.begin().await.unwrap();
    let first = tx
        .open_gate_request(&request("demo", "2.0", "user=ana"))
        .await
        .unwrap();
    assert!(first.is_some());
    tx.audit(AuditEntry::new("gate", "gate.request.opened"));
    tx.commit().await.unwrap();

    let mut tx = db.store.begin().await.unwrap();
    let second = tx
        .open_gate_request(&request("demo", "2.0", "user=bob"))
        .await
        .unwrap();
    assert_eq!(second, None);
    // Nothing changed, so committing without an audit entry is allowed.
    tx.commit().await.unwrap();

    let list = db.store.gate_requests(None).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].requested_by, "user=ana");
    assert_eq!(list[0].status, GateRequestStatus::Pending);
}
on_both_backends!(
    a_second_request_for_the_same_version_changes_nothing,
    super::a_second_request_for_the_same_version_changes_nothing
);

async fn approving_records_who_when_and_why_even_before_anyone_asked(db: TestDb) {
    let mut tx = db.store.begin().await.unwrap();
    let approved = tx
        .decide_gate_request(
            "demo",
            "",
            GateRequestStatus::Approved,
            "sec@example.com",
            Some("vetted"),
            Utc::now(),
        )
        .await
        .unwrap();
    tx.audit(AuditEntry::new("sec@example.com", "gate.request.approved"));
    tx.commit().await.unwrap();
    assert_eq!(approved.status, GateRequestStatus::Approved);
    assert_eq!(approved.decided_by.as_deref(), Some("sec@example.com"));
    assert_eq!(approved.comment.as_deref(), Some("vetted"));

    let mut tx = db.store.begin().await.unwrap();
    let denied = tx
        .decide_gate_request(
            "demo",
            "",
            GateRequestStatus::Denied,
            "lead@example.com",
            None,
            Utc::now(),
        )
        .await
        .unwrap();
    tx.audit(AuditEntry::new("lead@example.com", "gate.request.denied"));
    tx.commit().await.unwrap();
    assert_eq!(denied.id, approved.id);
    assert_eq!(denied.status, GateRequestStatus::Denied);
    assert!(
        db.store
            .gate_requests(Some(GateRequestStatus::Approved))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(db.store.gate_requests_for("demo").await.unwrap().len(), 1);

    let mut tx = db.store.begin().await.unwrap();
    let err = tx
        .decide_gate_request(
            "demo",
            "",
            GateRequestStatus::Pending,
            "x",
            None,
            Utc::now(),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("approve or deny"), "{err}");
}
on_both_backends!(
    approving_records_who_when_and_why_even_before_anyone_asked,
    super::approving_records_who_when_and_why_even_before_anyone_asked
);

async fn the_decision_log_filters_counts_pages_and_summarises_by_rule(db: TestDb) {
    let now = support::now();
    let decision =
        |project: &str, minutes_ago: i64, outcome: &str, rule: Option<&str>| GateDecision {
            id: Uuid::new_v4(),
            at: now - chrono::Duration::minutes(minutes_ago),
            project: project.into(),
            version: Some("1.0".into()),
            filename: None,
            outcome: outcome.into(),
            rule: rule.map(str::to_string),
            mode: rule.map(|_| "block".to_string()),
            reason: "because".into(),
            client: "addr=127.0.0.1".into(),
        };
    let written = vec![
        decision("reqeusts", 1, "withheld", Some("typosquat")),
        decision("reqeusts", 2, "refused", Some("typosquat")),
        decision("young", 3, "dry-run", Some("min-age")),
        decision("young", 4, "dry-run", Some("min-age")),
        decision("young", 5, "withheld", Some("min-age")),
        decision("requests", 6, "served", None),
        decision("requests", 7, "served", None),
        decision("evil", 60 * 24 * 10, "withheld", Some("deny-list")),
    ];
    db.store.record_gate_decisions(&written).await.unwrap();
    let filter =
        |project: Option<&str>, outcomes: &[&str], rule: Option<&str>| GateDecisionFilter {
            project: project.map(str::to_string),
            outcomes: outcomes.iter().map(|o| o.to_string()).collect(),
            rule: rule.map(str::to_string),
        };

    let everything = GateDecisionFilter::default();
    assert_eq!(db.store.count_gate_decisions(&everything).await.unwrap(), 8);
    let page = db
        .store
        .gate_decision_page(&everything, 3, 2)
        .await
        .unwrap();
    assert_eq!(
        page.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![written[2].id, written[3].id, written[4].id],
        "newest first, after the offset"
    );

    let blocked = filter(None, &["withheld", "refused"], None);
    assert_eq!(db.store.count_gate_decisions(&blocked).await.unwrap(), 4);
    let typosquat_blocked = filter(
        Some("reqeusts"),
        &["withheld", "refused"],
        Some("typosquat"),
    );
    let found = db
        .store
        .gate_decision_page(&typosquat_blocked, 50, 0)
        .await
        .unwrap();
    assert_eq!(found, vec![written[0].clone(), written[1].clone()]);
    let dry = filter(None, &["dry-run"], Some("min-age"));
    assert_eq!(db.store.count_gate_decisions(&dry).await.unwrap(), 2);
    assert_eq!(
        db.store
            .count_gate_decisions(&filter(Some("young"), &["served"], None))
            .await
            .unwrap(),
        0
    );

    let week = db
        .store
        .gate_objections_by_rule(now - chrono::Duration::days(7))
        .await
        .unwrap();
    assert_eq!(
        week,
        vec![
            GateRuleCount {
                rule: "typosquat".into(),
                blocked: 2,
                dry_run: 0
            },
            GateRuleCount {
                rule: "min-age".into(),
                blocked: 1,
                dry_run: 2
            },
        ],
        "most blocked first; served rows and last month's objections left out"
    );
    assert_eq!(
        db.store.gate_decision_rules().await.unwrap(),
        vec!["deny-list", "min-age", "typosquat"]
    );
}
on_both_backends!(
    the_decision_log_filters_counts_pages_and_summarises_by_rule,
    super::the_decision_log_filters_counts_pages_and_summarises_by_rule
);

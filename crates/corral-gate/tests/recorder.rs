//! The decision recorder's bounded queue: when the database falls behind, records of served
//! files are dropped and counted, while objections and package requests wait for room and are
//! all written; a flush waits for everything handed over before it.

use chrono::Utc;
use corral_gate::recorder::Recorder;
use corral_store::{GateDecision, GateRequest, GateRequestStatus, Store};
use uuid::Uuid;

fn decision(project: &str, outcome: &str) -> GateDecision {
    GateDecision {
        id: Uuid::new_v4(),
        at: Utc::now(),
        project: project.into(),
        version: Some("1.0".into()),
        filename: Some(format!("{project}-1.0-py3-none-any.whl")),
        outcome: outcome.into(),
        rule: (outcome != "served").then(|| "typosquat".to_string()),
        mode: (outcome != "served").then(|| "block".to_string()),
        reason: "test".into(),
        client: "addr=127.0.0.1".into(),
    }
}

// A current-thread runtime: the writer task runs only when the test awaits something that
// has to wait, so the queue is full exactly when the test says it is.
#[tokio::test(flavor = "current_thread")]
async fn a_full_queue_drops_served_records_but_keeps_every_objection_and_request() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), None).await.unwrap();
    let recorder = Recorder::with_queue(store.clone(), Vec::new(), 3);

    // Three served records fill the queue; the next five are dropped and counted.
    for i in 0..8 {
        recorder
            .decisions(vec![decision(&format!("served-{i}"), "served")])
            .await;
    }
    assert_eq!(recorder.dropped(), 5);

    // An objection and a request wait for room instead (the writer drains meanwhile).
    recorder
        .decisions(vec![decision("reqeusts", "withheld")])
        .await;
    recorder
        .request(GateRequest {
            id: Uuid::new_v4(),
            project: "reqeusts".into(),
            version: String::new(),
            status: GateRequestStatus::Pending,
            rule: "typosquat".into(),
            reason: "imitates `requests`".into(),
            requested_by: "user=ana".into(),
            requested_at: Utc::now(),
            decided_by: None,
            decided_at: None,
            comment: None,
        })
        .await;
    // A batch mixing a served record with an objection is kept whole.
    for _ in 0..5 {
        recorder
            .decisions(vec![
                decision("mixed", "served"),
                decision("mixed", "dry-run"),
            ])
            .await;
    }
    recorder.flush().await;

    let written = store.gate_decisions(None, 1000).await.unwrap();
    let count = |outcome: &str, project: &str| {
        written
            .iter()
            .filter(|d| d.outcome == outcome && d.project.starts_with(project))
            .count()
    };
    assert_eq!(count("served", "served-"), 3);
    assert_eq!(count("withheld", "reqeusts"), 1);
    assert_eq!(count("dry-run", "mixed"), 5);
    assert_eq!(count("served", "mixed"), 5);
    assert_eq!(
        recorder.dropped(),
        5,
        "kept records are not counted as dropped"
    );
    let requests = store.gate_requests(None).await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].project, "reqeusts");
}

#[tokio::test(flavor = "current_thread")]
async fn flushing_writes_everything_handed_over_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), None).await.unwrap();
    let recorder = Recorder::start(store.clone(), Vec::new());
    for i in 0..1000 {
        recorder
            .decisions(vec![decision(&format!("p{i}"), "served")])
            .await;
    }
    recorder.flush().await;
    assert_eq!(store.gate_decisions(None, 5000).await.unwrap().len(), 1000);
    assert_eq!(recorder.dropped(), 0);
}

//! The web console's records: accounts, sessions and their expiry, sign-in failures, the
//! dashboard's aggregates and browsing the audit log. On SQLite, and on PostgreSQL when
//! `CORRAL_TEST_DATABASE_URL` is set.

mod support;

use chrono::Duration;
use corral_model::{
    Access, ApprovalState, DataTier, DeploymentStatus, RiskTier, Role, SystemAccess,
};
use corral_store::{AuditEntry, AuditFilter, NewSession, SessionLookup, Store};
use support::{TestDb, asset, asset_from, draft, now, register};

async fn add_account(store: &Store, email: &str, role: Role) {
    let mut tx = store.begin().await.unwrap();
    tx.insert_console_account(
        email,
        role,
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        now(),
    )
    .await
    .unwrap();
    tx.audit(AuditEntry::new("test", "console-account.created").subject(email));
    tx.commit().await.unwrap();
}

async fn start(store: &Store, email: &str, idle: Duration, absolute: Duration) -> String {
    let mut tx = store.begin().await.unwrap();
    let (secret, session) = tx
        .start_console_session(
            NewSession {
                email: email.into(),
                role: Role::Member,
                method: "password".into(),
                client: Some("127.0.0.1".into()),
                idle,
                absolute,
            },
            now(),
        )
        .await
        .unwrap();
    assert_eq!(session.email, email);
    assert_eq!(session.csrf_secret.len(), 64);
    tx.audit(AuditEntry::new(email, "console.signed-in"));
    tx.commit().await.unwrap();
    secret.expose().to_string()
}

async fn accounts_are_unique_by_email_and_keep_their_hash_out_of_lists(db: TestDb) {
    add_account(&db.store, "Ana@Example.com", Role::Admin).await;
    let mut tx = db.store.begin().await.unwrap();
    let err = tx
        .insert_console_account("ana@example.com", Role::Member, "x", now())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    drop(tx);
    let creds = db
        .store
        .console_credentials("ANA@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(creds.account.email, "Ana@Example.com");
    assert_eq!(creds.account.role, Role::Admin);
    assert!(creds.password_hash.starts_with("$argon2id$"));
    assert!(!format!("{creds:?}").contains("argon2id"));

    let mut tx = db.store.begin().await.unwrap();
    tx.set_console_role("ana@example.com", Role::Auditor, now())
        .await
        .unwrap();
    tx.set_console_disabled("ana@example.com", true, now())
        .await
        .unwrap();
    let missing = tx
        .set_console_role("nobody@example.com", Role::Admin, now())
        .await
        .unwrap_err();
    assert!(
        missing.to_string().contains("nobody@example.com"),
        "{missing}"
    );
    tx.audit(AuditEntry::new("test", "console-account.changed"));
    tx.commit().await.unwrap();
    let accounts = db.store.console_accounts().await.unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].role, Role::Auditor);
    assert!(!accounts[0].is_enabled());
}
on_both_backends!(
    accounts_are_unique_by_email_and_keep_their_hash_out_of_lists,
    super::accounts_are_unique_by_email_and_keep_their_hash_out_of_lists
);

async fn a_session_is_found_by_its_id_only_until_it_expires_or_ends(db: TestDb) {
    let idle = Duration::minutes(30);
    let id = start(&db.store, "ana@example.com", idle, Duration::hours(8)).await;
    let t0 = now();
    let active = |l: SessionLookup| match l {
        SessionLookup::Active(s) => s,
        other => panic!("expected an active session, got {other:?}"),
    };
    let session = active(db.store.authenticate_session(&id, t0, idle).await.unwrap());
    assert_eq!(session.role, Role::Member);
    assert_eq!(
        db.store
            .authenticate_session("0".repeat(64).as_str(), t0, idle)
            .await
            .unwrap(),
        SessionLookup::Unknown
    );

    // Activity moves the idle expiry forward...
    let later = t0 + Duration::minutes(20);
    let touched = active(
        db.store
            .authenticate_session(&id, later, idle)
            .await
            .unwrap(),
    );
    assert_eq!(touched.idle_expires_at, later + idle);
    // ...so 40 minutes after sign-in it still works, but not after 30 idle minutes.
    active(
        db.store
            .authenticate_session(&id, t0 + Duration::minutes(40), idle)
            .await
            .unwrap(),
    );
    let idle_out = t0 + Duration::minutes(40) + idle;
    assert!(matches!(
        db.store
            .authenticate_session(&id, idle_out, idle)
            .await
            .unwrap(),
        SessionLookup::Expired(_)
    ));

    // The absolute expiry holds however active the session is.
    let busy = start(&db.store, "bo@example.com", idle, Duration::hours(1)).await;
    let mut at = now();
    for _ in 0..2 {
        at += Duration::minutes(25);
        active(
            db.store
                .authenticate_session(&busy, at, idle)
                .await
                .unwrap(),
        );
    }
    at += Duration::minutes(25);
    assert!(matches!(
        db.store
            .authenticate_session(&busy, at, idle)
            .await
            .unwrap(),
        SessionLookup::Expired(_)
    ));

    // Signing out ends it; so does ending every session of the account.
    let mut tx = db.store.begin().await.unwrap();
    assert!(
        tx.end_console_session(&session.id_hash, now())
            .await
            .unwrap()
    );
    tx.audit(AuditEntry::new("ana@example.com", "console.signed-out"));
    tx.commit().await.unwrap();
    assert_eq!(
        db.store
            .authenticate_session(&id, now(), idle)
            .await
            .unwrap(),
        SessionLookup::Unknown
    );
    let other = start(&db.store, "cy@example.com", idle, Duration::hours(8)).await;
    let second = start(&db.store, "cy@example.com", idle, Duration::hours(8)).await;
    assert_eq!(
        db.store
            .active_console_sessions("CY@example.com", now())
            .await
            .unwrap(),
        2
    );
    let mut tx = db.store.begin().await.unwrap();
    assert_eq!(
        tx.end_console_sessions_for("cy@example.com", now())
            .await
            .unwrap(),
        2
    );
    tx.audit(AuditEntry::new(
        "admin@example.com",
        "console-account.disabled",
    ));
    tx.commit().await.unwrap();
    for id in [other, second] {
        assert_eq!(
            db.store
                .authenticate_session(&id, now(), idle)
                .await
                .unwrap(),
            SessionLookup::Unknown
        );
    }
}
on_both_backends!(
    a_session_is_found_by_its_id_only_until_it_expires_or_ends,
    super::a_session_is_found_by_its_id_only_until_it_expires_or_ends
);

async fn the_session_id_itself_is_never_stored(db: TestDb) {
    let id = start(
        &db.store,
        "ana@example.com",
        Duration::minutes(5),
        Duration::hours(1),
    )
    .await;
    let pool = db.raw().await;
    let rows: Vec<(String,)> = sqlx::query_as("SELECT id_hash FROM console_sessions")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_ne!(rows[0].0, id);
    assert_eq!(rows[0].0, corral_store::console_sessions::session_hash(&id));
    pool.close().await;
}
on_both_backends!(
    the_session_id_itself_is_never_stored,
    super::the_session_id_itself_is_never_stored
);

async fn sign_in_failures_are_counted_per_key_within_the_window(db: TestDb) {
    let t0 = now();
    let keys = [
        "account:ana@example.com".to_string(),
        "client:10.0.0.7".to_string(),
    ];
    for i in 0..3 {
        let at = t0 + Duration::minutes(i);
        db.store
            .record_sign_in_failure(&keys, at, at - Duration::minutes(15))
            .await
            .unwrap();
    }
    let counted = db
        .store
        .sign_in_failures(&keys[0], t0 - Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!(counted.count, 3);
    assert_eq!(counted.oldest, Some(t0));
    let later = db
        .store
        .sign_in_failures(&keys[1], t0 + Duration::seconds(30))
        .await
        .unwrap();
    assert_eq!(later.count, 2);
    assert_eq!(later.oldest, Some(t0 + Duration::minutes(1)));
    db.store.clear_sign_in_failures(&keys[0]).await.unwrap();
    assert_eq!(
        db.store
            .sign_in_failures(&keys[0], t0 - Duration::minutes(1))
            .await
            .unwrap()
            .count,
        0
    );
    assert_eq!(
        db.store
            .sign_in_failures(&keys[1], t0 - Duration::minutes(1))
            .await
            .unwrap()
            .count,
        3
    );
}
on_both_backends!(
    sign_in_failures_are_counted_per_key_within_the_window,
    super::sign_in_failures_are_counted_per_key_within_the_window
);

async fn the_breakdown_and_owner_summaries_count_without_loading_assets(db: TestDb) {
    let mut writer = draft("crm-sync");
    writer.data_tier = Some(DataTier::Confidential);
    writer.owner_email = Some("Bo@example.com".into());
    writer.systems = vec![SystemAccess {
        system: "CRM".into(),
        access: Access::Writes,
    }];
    let mut writer = asset_from(writer);
    writer.approval = ApprovalState::PendingReview;
    register(&db.store, &writer).await;
    let mut public = draft("faq-bot");
    public.data_tier = Some(DataTier::Public);
    public.backup_owner_email = Some("cy@example.com".into());
    let mut public = asset_from(public);
    public.approval = ApprovalState::Approved;
    register(&db.store, &public).await;
    let mut plain = asset("weekly-report");
    plain.approval = ApprovalState::Approved;
    plain.status = DeploymentStatus::Production;
    register(&db.store, &plain).await;

    let breakdown = db.store.registry_breakdown().await.unwrap();
    assert_eq!(breakdown.total(), 3);
    assert_eq!(
        breakdown.by_data_tier(),
        [
            (DataTier::Public, 1),
            (DataTier::Internal, 1),
            (DataTier::Confidential, 1),
            (DataTier::Regulated, 0)
        ]
    );
    assert_eq!(
        breakdown.by_risk_tier(),
        [
            (RiskTier::Critical, 1),
            (RiskTier::Standard, 1),
            (RiskTier::Low, 1)
        ]
    );
    assert_eq!(breakdown.by_status()[1], (DeploymentStatus::Production, 1));
    assert_eq!(breakdown.by_approval()[0], (ApprovalState::Approved, 2));
    assert_eq!(
        breakdown.by_approval()[1],
        (ApprovalState::PendingReview, 1)
    );

    let days = db.store.registrations_per_day().await.unwrap();
    assert_eq!(days.iter().map(|(_, n)| n).sum::<u64>(), 3);
    assert_eq!(days.last().unwrap().0, now().date_naive());

    let owners = db.store.owners(None, 10, 0).await.unwrap();
    assert_eq!(owners.total, 2);
    let emails: Vec<_> = owners.items.iter().map(|o| o.email.as_str()).collect();
    assert_eq!(emails, ["ana@example.com", "Bo@example.com"]);
    assert_eq!(owners.items[0].owned, 2);
    assert_eq!(owners.items[0].without_backup, 1);
    assert_eq!(owners.items[1].critical, 1);
    assert_eq!(owners.items[1].pending, 1);
    let bo = db.store.owners(Some("B"), 10, 0).await.unwrap();
    assert_eq!(bo.total, 1);
    assert_eq!(bo.items[0].email, "Bo@example.com");

    assert_eq!(
        db.store
            .count_attestations_due(91, now() + Duration::days(100))
            .await
            .unwrap(),
        2
    );
    assert_eq!(db.store.count_attestations_due(91, now()).await.unwrap(), 0);
}
on_both_backends!(
    the_breakdown_and_owner_summaries_count_without_loading_assets,
    super::the_breakdown_and_owner_summaries_count_without_loading_assets
);

async fn the_audit_log_can_be_browsed_newest_first_with_filters(db: TestDb) {
    for name in ["a-one", "b-two", "c-three"] {
        register(&db.store, &asset(name)).await;
    }
    add_account(&db.store, "admin@example.com", Role::Admin).await;
    let all = db
        .store
        .audit_records_filtered(&AuditFilter::default(), 10)
        .await
        .unwrap();
    let seqs: Vec<u64> = all.iter().map(|r| r.event.seq).collect();
    assert_eq!(seqs, [3, 2, 1, 0]);
    let registered = AuditFilter {
        action: Some("asset.".into()),
        ..Default::default()
    };
    let page = db
        .store
        .audit_records_filtered(&registered, 2)
        .await
        .unwrap();
    assert_eq!(page.len(), 2);
    assert_eq!(page[0].event.seq, 2);
    let next = AuditFilter {
        before: Some(page[1].event.seq),
        ..registered.clone()
    };
    let rest = db.store.audit_records_filtered(&next, 2).await.unwrap();
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].event.seq, 0);
    let by_actor = AuditFilter {
        actor: Some("TEST".into()),
        ..Default::default()
    };
    let found = db
        .store
        .audit_records_filtered(&by_actor, 10)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].event.action, "console-account.created");
    let exact = AuditFilter {
        action: Some("asset.registered".into()),
        subject: Some(all[1].event.subject.clone().unwrap()),
        ..Default::default()
    };
    assert_eq!(
        db.store
            .audit_records_filtered(&exact, 10)
            .await
            .unwrap()
            .len(),
        1
    );
}
on_both_backends!(
    the_audit_log_can_be_browsed_newest_first_with_filters,
    super::the_audit_log_can_be_browsed_newest_first_with_filters
);

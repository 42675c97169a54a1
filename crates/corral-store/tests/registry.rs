//! The registry, reviews, decisions, people, tokens and outbox, on SQLite and PostgreSQL.

mod support;

use chrono::Duration;
use corral_model::asset::normalize_repository;
use corral_model::decision::POLICY_ACTOR;
use corral_model::handover::plan_handover;
use corral_model::review::{ReviewOutcome, Signoff};
use corral_model::{
    ApprovalState, DataTier, Decision, DecisionKind, DeploymentStatus, Event, EventKind, Review,
    RiskTier, Role, SignoffRole,
};
use corral_store::{
    AssetQuery, AssetSort, AuditEntry, ConflictField, DeliveryOutcome, DeliveryStatus, NewToken,
    Person, StoreError,
};
use support::{TestDb, asset, asset_from, draft, now, register};
use uuid::Uuid;

async fn registering_stores_the_asset_and_its_audit_entry_together(db: TestDb) {
    let store = &db.store;
    let mut a = asset("lead-scoring");
    a.repository = Some("https://git.example.com/Sales/Leads.git".into());
    a.backup_owner_email = Some("kim@example.com".into());
    let mut tx = store.begin().await.unwrap();
    tx.insert_asset(&a).await.unwrap();
    tx.audit(AuditEntry::new("ana@example.com", "asset.registered").subject(a.id.to_string()));
    let logged = tx.commit().await.unwrap();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].seq, 0);

    assert_eq!(store.asset(a.id).await.unwrap().as_ref(), Some(&a));
    assert_eq!(
        store.asset_by_name("lead-scoring").await.unwrap().as_ref(),
        Some(&a)
    );
    assert_eq!(
        store
            .asset_by_repository("git@git.example.com:Sales/Leads")
            .await
            .unwrap()
            .map(|x| x.id),
        Some(a.id)
    );
    let records = store
        .audit_records_for(&a.id.to_string(), 10)
        .await
        .unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].event.action, "asset.registered");
    assert!(
        store
            .verify_audit(Default::default())
            .await
            .unwrap()
            .is_intact()
    );
}
on_both_backends!(
    registering_stores_the_asset_and_its_audit_entry_together,
    super::registering_stores_the_asset_and_its_audit_entry_together
);

async fn a_change_without_an_audit_entry_is_refused_and_rolled_back(db: TestDb) {
    let store = &db.store;
    let a = asset("unaudited");
    let mut tx = store.begin().await.unwrap();
    tx.insert_asset(&a).await.unwrap();
    let err = tx.commit().await.unwrap_err();
    assert!(matches!(err, StoreError::Unaudited), "{err}");
    assert!(store.asset(a.id).await.unwrap().is_none());
    assert_eq!(store.audit_len().await.unwrap(), 0);
}
on_both_backends!(
    a_change_without_an_audit_entry_is_refused_and_rolled_back,
    super::a_change_without_an_audit_entry_is_refused_and_rolled_back
);

async fn a_dropped_transaction_leaves_neither_the_change_nor_its_audit_entry(db: TestDb) {
    let store = &db.store;
    let a = asset("abandoned");
    {
        let mut tx = store.begin().await.unwrap();
        tx.insert_asset(&a).await.unwrap();
        tx.audit(AuditEntry::new("ana@example.com", "asset.registered"));
    }
    assert!(store.asset(a.id).await.unwrap().is_none());
    assert_eq!(store.audit_len().await.unwrap(), 0);
    // The log continues without a gap.
    register(store, &asset("kept")).await;
    assert_eq!(store.audit_records(0, 10).await.unwrap()[0].event.seq, 0);
}
on_both_backends!(
    a_dropped_transaction_leaves_neither_the_change_nor_its_audit_entry,
    super::a_dropped_transaction_leaves_neither_the_change_nor_its_audit_entry
);

async fn a_duplicate_name_is_a_conflict_naming_the_existing_asset(db: TestDb) {
    let store = &db.store;
    let first = asset("lead-scoring");
    register(store, &first).await;
    let mut tx = store.begin().await.unwrap();
    let err = tx.insert_asset(&asset("lead-scoring")).await.unwrap_err();
    let conflict = err.conflict().expect("a conflict");
    assert_eq!(conflict.field, ConflictField::Name);
    assert_eq!(conflict.existing_id, first.id);
    assert_eq!(conflict.existing_name, "lead-scoring");
    assert!(err.to_string().contains("`lead-scoring`"), "{err}");
}
on_both_backends!(
    a_duplicate_name_is_a_conflict_naming_the_existing_asset,
    super::a_duplicate_name_is_a_conflict_naming_the_existing_asset
);

async fn the_same_repository_in_another_url_form_is_a_conflict(db: TestDb) {
    let store = &db.store;
    let mut first = asset("lead-scoring");
    first.repository = Some("https://git.example.com/sales/leads".into());
    register(store, &first).await;
    let mut second = asset("lead-scoring-v2");
    second.repository = Some("git@GIT.example.com:sales/leads.git".into());
    assert_eq!(
        normalize_repository(second.repository.as_deref().unwrap()),
        normalize_repository(first.repository.as_deref().unwrap())
    );
    let mut tx = store.begin().await.unwrap();
    let err = tx.insert_asset(&second).await.unwrap_err();
    let conflict = err.conflict().expect("a conflict");
    assert_eq!(conflict.field, ConflictField::Repository);
    assert_eq!(conflict.existing_id, first.id);
    assert_eq!(conflict.existing_name, "lead-scoring");
    // Renaming another asset onto the repository is refused the same way.
    drop(tx);
    let mut other = asset("other");
    register(store, &other).await;
    other.repository = Some("ssh://git@git.example.com/sales/leads".into());
    let mut tx = store.begin().await.unwrap();
    let err = tx.update_asset(&other).await.unwrap_err();
    assert_eq!(err.conflict().unwrap().existing_id, first.id);
}
on_both_backends!(
    the_same_repository_in_another_url_form_is_a_conflict,
    super::the_same_repository_in_another_url_form_is_a_conflict
);

async fn concurrent_registrations_of_one_name_leave_one_winner_and_a_conflict(db: TestDb) {
    let other = db.reopen().await.unwrap();
    let a = asset("race");
    let b = asset("race");
    let (ra, rb) = tokio::join!(
        async {
            let mut tx = db.store.begin().await?;
            tx.insert_asset(&a).await?;
            tx.audit(AuditEntry::new("ana@example.com", "asset.registered"));
            tx.commit().await
        },
        async {
            let mut tx = other.begin().await?;
            tx.insert_asset(&b).await?;
            tx.audit(AuditEntry::new("ana@example.com", "asset.registered"));
            tx.commit().await
        }
    );
    let (ok, err) = match (ra, rb) {
        (Ok(_), Err(e)) => (a.id, e),
        (Err(e), Ok(_)) => (b.id, e),
        other => panic!("expected one winner: {other:?}"),
    };
    assert_eq!(err.conflict().map(|c| c.existing_id), Some(ok), "{err}");
    assert_eq!(db.store.audit_len().await.unwrap(), 1);
}
on_both_backends!(
    concurrent_registrations_of_one_name_leave_one_winner_and_a_conflict,
    super::concurrent_registrations_of_one_name_leave_one_winner_and_a_conflict
);

async fn lists_filter_sort_page_and_count(db: TestDb) {
    let store = &db.store;
    let departments = ["Sales", "Finance", "HR"];
    let mut tx = store.begin().await.unwrap();
    for i in 0..30 {
        let mut d = draft(&format!("tool-{i:02}"));
        d.department = departments[i % 3].into();
        d.data_tier = Some(if i % 2 == 0 {
            DataTier::Internal
        } else {
            DataTier::Confidential
        });
        d.owner_email = Some(format!("owner{}@example.com", i % 5));
        let mut a = asset_from(d);
        a.created_at = now() - Duration::minutes(60 - i as i64);
        a.approval = if i % 2 == 0 {
            ApprovalState::Approved
        } else {
            ApprovalState::PendingReview
        };
        tx.insert_asset(&a).await.unwrap();
    }
    tx.audit(AuditEntry::new("import", "asset.imported"));
    tx.commit().await.unwrap();

    let all = store.list_assets(&AssetQuery::default()).await.unwrap();
    assert_eq!(all.total, 30);
    assert_eq!(all.items.first().unwrap().name, "tool-00");

    let page = store
        .list_assets(&AssetQuery {
            department: Some("sales".into()),
            data_tier: Some(DataTier::Internal),
            sort: AssetSort::Name,
            descending: true,
            limit: 2,
            offset: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    // Sales: 0,3,..,27; internal (even): 0, 6, 12, 18, 24 → descending 24, 18, 12, 6, 0.
    assert_eq!(page.total, 5);
    let names: Vec<_> = page.items.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["tool-18", "tool-12"]);

    let pending = store
        .list_assets(&AssetQuery {
            approval: Some(ApprovalState::PendingReview),
            owner: Some("OWNER1@example.com".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    // odd i with i % 5 == 1: 1, 11, 21
    assert_eq!(pending.total, 3);
    assert!(
        pending
            .items
            .iter()
            .all(|a| a.owner_email == "owner1@example.com")
    );

    let risky = store
        .list_assets(&AssetQuery {
            risk_tier: Some(RiskTier::Standard),
            status: Some(DeploymentStatus::Development),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(risky.limit, 500);
    assert_eq!(risky.total, 30);
}
on_both_backends!(
    lists_filter_sort_page_and_count,
    super::lists_filter_sort_page_and_count
);

async fn list_totals_follow_changes_made_by_another_process(db: TestDb) {
    let store = &db.store;
    let mut tx = store.begin().await.unwrap();
    for i in 0..3 {
        tx.insert_asset(&asset_from(draft(&format!("report-{i}"))))
            .await
            .unwrap();
    }
    tx.audit(AuditEntry::new("import", "asset.imported"));
    tx.commit().await.unwrap();
    // A page smaller than the matches, so the total has to be counted (and is remembered).
    let first_page = AssetQuery {
        limit: 2,
        ..Default::default()
    };
    assert_eq!(store.list_assets(&first_page).await.unwrap().total, 3);
    assert_eq!(store.list_assets(&first_page).await.unwrap().total, 3);

    // Another process registers one more: this store's remembered total must not survive it.
    let other = db.reopen().await.unwrap();
    let mut tx = other.begin().await.unwrap();
    tx.insert_asset(&asset_from(draft("report-3")))
        .await
        .unwrap();
    tx.audit(AuditEntry::new("import", "asset.imported"));
    tx.commit().await.unwrap();
    assert_eq!(store.list_assets(&first_page).await.unwrap().total, 4);

    // Filters are remembered apart: the same values in another filter count on their own.
    let sales = AssetQuery {
        department: Some("Sales".into()),
        limit: 1,
        ..Default::default()
    };
    assert_eq!(store.list_assets(&sales).await.unwrap().total, 4);
    let hr = AssetQuery {
        department: Some("HR".into()),
        limit: 1,
        ..Default::default()
    };
    assert_eq!(store.list_assets(&hr).await.unwrap().total, 0);
}
on_both_backends!(
    list_totals_follow_changes_made_by_another_process,
    super::list_totals_follow_changes_made_by_another_process
);

async fn free_text_matches_name_purpose_department_and_owner_in_any_case(db: TestDb) {
    let store = &db.store;
    let mut d = draft("payroll-check");
    d.purpose = "Checks the 100% payroll export against HR records.".into();
    d.department = "People Ops".into();
    d.repository = Some("https://git.example.com/hr/wage-tools".into());
    register(store, &asset_from(d)).await;
    register(store, &asset("lead-scoring")).await;
    let find = |text: &str| {
        let q = AssetQuery {
            text: Some(text.into()),
            ..Default::default()
        };
        async move {
            store
                .list_assets(&q)
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|a| a.name)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(find("PAYROLL").await, ["payroll-check"]);
    assert_eq!(find("people ops").await, ["payroll-check"]);
    assert_eq!(find("100%").await, ["payroll-check"]);
    assert!(find("_").await.is_empty(), "a bare symbol matches nothing");
    assert!(find("%").await.is_empty(), "a bare symbol matches nothing");
    assert_eq!(find("ana@example").await.len(), 2);
    assert!(find("nothing-like-this").await.is_empty());
    // Words match from their start: a prefix finds the word, a middle does not.
    assert_eq!(find("pay").await, ["payroll-check"]);
    assert!(find("roll").await.is_empty());
    assert_eq!(find("wage-tools").await, ["payroll-check"]);
    // Renaming re-indexes: the new words match, and the old ones stop matching.
    let rename = |from: &'static str, to: &'static str| async move {
        let mut a = store.asset_by_name(from).await.unwrap().unwrap();
        a.name = to.into();
        let mut tx = store.begin().await.unwrap();
        tx.update_asset(&a).await.unwrap();
        tx.audit(AuditEntry::new("test", "asset.updated"));
        tx.commit().await.unwrap();
    };
    rename("payroll-check", "salary-audit").await;
    assert_eq!(find("audit").await, ["salary-audit"]);
    rename("salary-audit", "salary-review").await;
    assert!(find("audit").await.is_empty());
    assert_eq!(find("salary review").await, ["salary-review"]);
}
on_both_backends!(
    free_text_matches_name_purpose_department_and_owner_in_any_case,
    super::free_text_matches_name_purpose_department_and_owner_in_any_case
);

async fn common_and_rare_words_list_the_same_way_whichever_plan_runs(db: TestDb) {
    let store = &db.store;
    // More assets with "ledger" than the rare-word limit, three of them also "quarterly".
    let count = corral_store::search_terms::RARE_TERM_LIMIT as usize + 5;
    let mut tx = store.begin().await.unwrap();
    for i in 0..count {
        let mut d = draft(&format!("ledger-{i:04}"));
        if i % 400 == 7 {
            d.purpose = "Reconciles the quarterly ledger.".into();
        }
        let mut a = asset_from(d);
        a.created_at = now() - Duration::seconds(i as i64);
        tx.insert_asset(&a).await.unwrap();
    }
    tx.audit(AuditEntry::new("import", "asset.imported"));
    tx.commit().await.unwrap();
    let search = |text: &str, limit: u32| AssetQuery {
        text: Some(text.into()),
        limit,
        descending: true,
        ..Default::default()
    };

    let common = store.list_assets(&search("ledger", 3)).await.unwrap();
    assert_eq!(common.total, count as u64);
    let names: Vec<_> = common.items.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["ledger-0000", "ledger-0001", "ledger-0002"]);

    let both = store
        .list_assets(&search("ledger QUARTERLY", 50))
        .await
        .unwrap();
    let names: Vec<_> = both.items.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["ledger-0007", "ledger-0407", "ledger-0807"]);
    assert_eq!(both.total, 3);
}
on_both_backends!(
    common_and_rare_words_list_the_same_way_whichever_plan_runs,
    super::common_and_rare_words_list_the_same_way_whichever_plan_runs
);

async fn reviews_are_queued_by_due_date_and_leave_the_queue_when_closed(db: TestDb) {
    let store = &db.store;
    let a = asset("contract-digest");
    register(store, &a).await;
    let t = now();
    let mut late = Review {
        id: Uuid::now_v7(),
        asset_id: a.id,
        reason: "tier 3 (confidential) data needs a security review".into(),
        opened_at: t - Duration::days(10),
        due_at: t - Duration::days(3),
        required: vec![SignoffRole::Security],
        signoffs: vec![],
        outcome: None,
    };
    let mut soon = late.clone();
    soon.id = Uuid::now_v7();
    soon.due_at = t + Duration::days(2);
    let mut tx = store.begin().await.unwrap();
    tx.open_review(&soon).await.unwrap();
    tx.open_review(&late).await.unwrap();
    tx.audit(AuditEntry::new(POLICY_ACTOR, "review.opened"));
    tx.commit().await.unwrap();

    let open: Vec<_> = store.open_reviews(10, 0).await.unwrap();
    assert_eq!(
        open.iter().map(|r| r.id).collect::<Vec<_>>(),
        [late.id, soon.id]
    );
    let overdue = store.overdue_reviews(t).await.unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0], late);

    late.signoffs.push(Signoff {
        by: "sec@example.com".into(),
        role: SignoffRole::Security,
        comment: "read-only, fine".into(),
        at: t,
    });
    late.outcome = Some(ReviewOutcome {
        state: ApprovalState::Approved,
        by: "sec@example.com".into(),
        comment: "read-only, fine".into(),
        at: t,
    });
    let decision = Decision {
        id: Uuid::now_v7(),
        asset_id: a.id,
        review_id: Some(late.id),
        kind: DecisionKind::Approved,
        actor: "sec@example.com".into(),
        role: Some(SignoffRole::Security),
        comment: "read-only, fine".into(),
        at: t,
    };
    let mut tx = store.begin().await.unwrap();
    tx.update_review(&late).await.unwrap();
    tx.append_decision(&decision).await.unwrap();
    tx.audit(AuditEntry::new("sec@example.com", "review.approved").subject(a.id.to_string()));
    tx.commit().await.unwrap();

    assert_eq!(store.review(late.id).await.unwrap().unwrap(), late);
    assert!(store.overdue_reviews(t).await.unwrap().is_empty());
    assert_eq!(store.open_review_for_asset(a.id).await.unwrap(), Some(soon));
    assert_eq!(store.reviews_for_asset(a.id).await.unwrap().len(), 2);
    assert_eq!(
        store.decisions_for_asset(a.id).await.unwrap(),
        vec![decision]
    );
}
on_both_backends!(
    reviews_are_queued_by_due_date_and_leave_the_queue_when_closed,
    super::reviews_are_queued_by_due_date_and_leave_the_queue_when_closed
);

async fn attestation_is_due_a_period_after_registration_or_the_last_attestation(db: TestDb) {
    let store = &db.store;
    let t = now();
    let mut old = asset("old-report");
    old.approval = ApprovalState::Approved;
    old.created_at = t - Duration::days(120);
    let mut fresh = asset("fresh-report");
    fresh.approval = ApprovalState::Approved;
    register(store, &old).await;
    register(store, &fresh).await;
    let due = store.assets_due_for_attestation(91, t, 50).await.unwrap();
    assert_eq!(due.iter().map(|a| a.id).collect::<Vec<_>>(), [old.id]);

    let mut tx = store.begin().await.unwrap();
    tx.set_attested(old.id, t).await.unwrap();
    tx.audit(AuditEntry::new("ana@example.com", "asset.attested").subject(old.id.to_string()));
    tx.commit().await.unwrap();
    assert!(
        store
            .assets_due_for_attestation(91, t, 50)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.asset(old.id).await.unwrap().unwrap().last_attested_at,
        Some(t)
    );
}
on_both_backends!(
    attestation_is_due_a_period_after_registration_or_the_last_attestation,
    super::attestation_is_due_a_period_after_registration_or_the_last_attestation
);

async fn a_handover_moves_every_asset_and_marks_the_leaver_in_one_commit(db: TestDb) {
    let store = &db.store;
    let mut owned = draft("owned");
    owned.creator_email = "leo@example.com".into();
    owned.backup_owner_email = Some("kim@example.com".into());
    let mut backed = draft("backed");
    backed.creator_email = "kim@example.com".into();
    backed.backup_owner_email = Some("leo@example.com".into());
    let (owned, backed) = (asset_from(owned), asset_from(backed));
    register(store, &owned).await;
    register(store, &backed).await;
    let mut tx = store.begin().await.unwrap();
    tx.upsert_person(&Person::new("Leo@example.com", vec![Role::Member], now()))
        .await
        .unwrap();
    tx.audit(AuditEntry::new("admin@example.com", "person.added"));
    tx.commit().await.unwrap();

    let mine = store
        .list_assets(&AssetQuery {
            involving: Some("leo@example.com".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(mine.total, 2);

    let plan = plan_handover(&mine.items, "leo@example.com", "sam@example.com");
    let mut tx = store.begin().await.unwrap();
    let changed = tx
        .apply_handover(&plan, "leo@example.com", "sam@example.com", now())
        .await
        .unwrap();
    tx.audit(AuditEntry::new("admin@example.com", "person.offboarded"));
    tx.commit().await.unwrap();
    assert_eq!(changed.len(), 2);
    assert_eq!(
        store.asset(owned.id).await.unwrap().unwrap().owner_email,
        "sam@example.com"
    );
    assert_eq!(
        store
            .asset(backed.id)
            .await
            .unwrap()
            .unwrap()
            .backup_owner_email
            .as_deref(),
        Some("sam@example.com")
    );
    let leo = store.person("LEO@example.com").await.unwrap().unwrap();
    assert!(!leo.is_active());
    assert_eq!(leo.successor_email.as_deref(), Some("sam@example.com"));
    assert_eq!(leo.roles, [Role::Member]);
}
on_both_backends!(
    a_handover_moves_every_asset_and_marks_the_leaver_in_one_commit,
    super::a_handover_moves_every_asset_and_marks_the_leaver_in_one_commit
);

async fn a_failed_handover_changes_nothing(db: TestDb) {
    let store = &db.store;
    let mut d = draft("owned");
    d.creator_email = "leo@example.com".into();
    let owned = asset_from(d);
    register(store, &owned).await;
    let mut ghost = owned.clone();
    ghost.id = Uuid::now_v7();
    let plan = plan_handover(
        &[owned.clone(), ghost],
        "leo@example.com",
        "sam@example.com",
    );
    let mut tx = store.begin().await.unwrap();
    let err = tx
        .apply_handover(&plan, "leo@example.com", "sam@example.com", now())
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::NotFound { kind: "asset", .. }),
        "{err}"
    );
    drop(tx);
    assert_eq!(
        store.asset(owned.id).await.unwrap().unwrap().owner_email,
        "leo@example.com"
    );
    assert!(store.person("leo@example.com").await.unwrap().is_none());
}
on_both_backends!(
    a_failed_handover_changes_nothing,
    super::a_failed_handover_changes_nothing
);

async fn tokens_authenticate_until_revoked_and_only_their_hash_is_stored(db: TestDb) {
    let store = &db.store;
    let t = now();
    let mut tx = store.begin().await.unwrap();
    let issued = tx
        .issue_token(
            NewToken {
                name: "ci-upload".into(),
                email: "ana@example.com".into(),
                role: Role::Member,
                expires_at: None,
            },
            t,
        )
        .await
        .unwrap();
    tx.audit(
        AuditEntry::new("ana@example.com", "token.issued")
            .data(serde_json::json!({"token_id": issued.token.id, "name": "ci-upload"})),
    );
    tx.commit().await.unwrap();
    let secret = issued.secret.expose().to_string();

    let found = store.authenticate_token(&secret, t).await.unwrap().unwrap();
    assert_eq!(found.id, issued.token.id);
    assert_eq!(found.last_used_at, Some(t));
    assert!(
        store
            .authenticate_token("corral_wrong", t)
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.authenticate_token("", t).await.unwrap().is_none());

    // Nowhere in the database is the clear token.
    let raw = db.raw().await;
    let hits: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM api_tokens WHERE token_hash = $1 OR name = $1")
            .bind(&secret)
            .fetch_one(&raw)
            .await
            .unwrap(),
        "n",
    );
    assert_eq!(hits, 0);
    let log = serde_json::to_string(&store.audit_records(0, 100).await.unwrap()).unwrap();
    assert!(!log.contains(&secret[7..]));

    let mut tx = store.begin().await.unwrap();
    tx.revoke_token(issued.token.id, t).await.unwrap();
    tx.audit(AuditEntry::new("ana@example.com", "token.revoked"));
    tx.commit().await.unwrap();
    assert!(
        store
            .authenticate_token(&secret, t)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store.tokens(Some("ANA@example.com")).await.unwrap()[0].revoked_at,
        Some(t)
    );
}
on_both_backends!(
    tokens_authenticate_until_revoked_and_only_their_hash_is_stored,
    super::tokens_authenticate_until_revoked_and_only_their_hash_is_stored
);

async fn an_expired_token_does_not_authenticate(db: TestDb) {
    let store = &db.store;
    let t = now();
    let mut tx = store.begin().await.unwrap();
    let issued = tx
        .issue_token(
            NewToken {
                name: "short".into(),
                email: "ana@example.com".into(),
                role: Role::Auditor,
                expires_at: Some(t + Duration::hours(1)),
            },
            t,
        )
        .await
        .unwrap();
    tx.audit(AuditEntry::new("ana@example.com", "token.issued"));
    tx.commit().await.unwrap();
    let secret = issued.secret.expose();
    assert!(store.authenticate_token(secret, t).await.unwrap().is_some());
    assert!(
        store
            .authenticate_token(secret, t + Duration::hours(2))
            .await
            .unwrap()
            .is_none()
    );
}
on_both_backends!(
    an_expired_token_does_not_authenticate,
    super::an_expired_token_does_not_authenticate
);

async fn outbox_deliveries_are_claimed_once_retried_and_recorded(db: TestDb) {
    let store = &db.store;
    let a = asset("lead-scoring");
    let mut event = Event::new(
        EventKind::Registration,
        "lead-scoring was registered",
        "Sales registered lead-scoring (tier 2).",
    );
    event.asset_id = Some(a.id);
    event.at = now() - Duration::seconds(5);
    let targets = vec!["slack-security".to_string(), "webhook-ops".to_string()];
    let mut tx = store.begin().await.unwrap();
    tx.insert_asset(&a).await.unwrap();
    tx.enqueue_event(&event, &targets);
    tx.audit(AuditEntry::new("ana@example.com", "asset.registered"));
    tx.commit().await.unwrap();

    let t = now();
    let claimed = store
        .claim_due_deliveries(t, 10, Duration::seconds(60))
        .await
        .unwrap();
    assert_eq!(claimed.len(), 2);
    assert_eq!(claimed[0].event, event);
    assert!(claimed.iter().all(|c| c.delivery.attempts == 1));
    // Claimed deliveries are leased: nobody else gets them now.
    assert!(
        store
            .claim_due_deliveries(t, 10, Duration::seconds(60))
            .await
            .unwrap()
            .is_empty()
    );
    let (slack, hook) = (&claimed[0].delivery, &claimed[1].delivery);
    store
        .record_delivery(slack.id, DeliveryOutcome::Delivered, t)
        .await
        .unwrap();
    store
        .record_delivery(
            hook.id,
            DeliveryOutcome::Retry {
                error: "HTTP 503 from the webhook".into(),
                retry_at: t + Duration::seconds(30),
            },
            t,
        )
        .await
        .unwrap();
    let again = store
        .claim_due_deliveries(t + Duration::seconds(31), 10, Duration::seconds(60))
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].delivery.target, "webhook-ops");
    assert_eq!(again[0].delivery.attempts, 2);
    assert_eq!(
        again[0].delivery.last_error.as_deref(),
        Some("HTTP 503 from the webhook")
    );
    store
        .record_delivery(
            hook.id,
            DeliveryOutcome::GiveUp {
                error: "x".repeat(2000),
            },
            t,
        )
        .await
        .unwrap();
    let failed = store
        .deliveries(Some(DeliveryStatus::Failed), 10, 0)
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].last_error.as_ref().unwrap().len(), 500);
    let by_event = store.deliveries_for_event(event.id).await.unwrap();
    assert_eq!(by_event[0].status, DeliveryStatus::Delivered);
    assert_eq!(store.events(10, 0).await.unwrap(), vec![event]);
}
on_both_backends!(
    outbox_deliveries_are_claimed_once_retried_and_recorded,
    super::outbox_deliveries_are_claimed_once_retried_and_recorded
);

async fn an_event_rolled_back_with_its_change_is_never_delivered(db: TestDb) {
    let store = &db.store;
    let event = Event::new(EventKind::Registration, "x", "y");
    {
        let mut tx = store.begin().await.unwrap();
        tx.insert_asset(&asset("gone")).await.unwrap();
        tx.enqueue_event(&event, &["slack".to_string()]);
    }
    let claimed = store
        .claim_due_deliveries(now() + Duration::days(1), 10, Duration::seconds(60))
        .await
        .unwrap();
    assert!(claimed.is_empty());
}
on_both_backends!(
    an_event_rolled_back_with_its_change_is_never_delivered,
    super::an_event_rolled_back_with_its_change_is_never_delivered
);

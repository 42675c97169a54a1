//! Findings per asset, inventories and advisory matches, on SQLite and PostgreSQL.

mod support;

use chrono::{Duration, Utc};
use corral_model::{
    AdvisoryMatch, Component, ComponentSource, Confidence, Ecosystem, Finding, FindingOrigin,
    FindingState, Location, MatchedDeclaration, Resolution, Severity,
};
use corral_store::{AuditEntry, FindingChanges, FindingInput, FindingQuery, InventoryItem, Store};
use support::{TestDb, asset, register};
use uuid::Uuid;

fn finding(fingerprint: &str, scanner: &str, severity: Severity) -> Finding {
    Finding {
        scanner: scanner.into(),
        rule_id: format!("{scanner}-rule"),
        title: "A problem".into(),
        severity,
        confidence: Confidence::High,
        location: Location::new("app.py", 3, 1),
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

/// Stores `findings` as scan `scan` of `asset_id`, audited, and returns what changed.
async fn record(
    store: &Store,
    asset_id: Uuid,
    findings: &[Finding],
    scanners: &[&str],
    complete: bool,
) -> FindingChanges {
    let inputs: Vec<FindingInput<'_>> = findings
        .iter()
        .map(|finding| FindingInput {
            finding,
            package: None,
        })
        .collect();
    let scanners: Vec<String> = scanners.iter().map(|s| s.to_string()).collect();
    let mut tx = store.begin().await.unwrap();
    let changes = tx
        .record_scan_findings(
            asset_id,
            Uuid::now_v7(),
            &inputs,
            &scanners,
            complete,
            Utc::now(),
        )
        .await
        .unwrap();
    tx.audit(AuditEntry::new("test", "scan.uploaded").subject(asset_id.to_string()));
    tx.commit().await.unwrap();
    changes
}

async fn all_findings(store: &Store, asset_id: Uuid) -> Vec<corral_model::FindingRecord> {
    store
        .findings(&FindingQuery {
            asset_id: Some(asset_id),
            state: FindingState::All,
            ..Default::default()
        })
        .await
        .unwrap()
        .items
}

async fn a_finding_missing_from_a_newer_complete_scan_is_fixed_and_reopens_when_it_returns(
    db: TestDb,
) {
    let a = asset("uploads-lifecycle");
    register(&db.store, &a).await;
    let leak = finding("f-leak", "secrets", Severity::High);
    let sql = finding("f-sql", "code", Severity::Medium);

    let first = record(
        &db.store,
        a.id,
        &[leak.clone(), sql.clone(), leak.clone()],
        &["secrets", "code"],
        true,
    )
    .await;
    assert_eq!((first.opened, first.duplicates), (2, 1), "{first:?}");
    let stored = all_findings(&db.store, a.id).await;
    assert_eq!(stored.len(), 2, "one record per fingerprint");
    let leak_first_seen = stored
        .iter()
        .find(|r| r.finding.fingerprint == "f-leak")
        .unwrap()
        .first_seen;
    assert!(
        stored
            .iter()
            .all(|r| r.is_open() && r.first_seen == r.last_seen)
    );
    assert_eq!(db.store.open_finding_counts().await.unwrap().high, 1);

    let second = record(
        &db.store,
        a.id,
        std::slice::from_ref(&sql),
        &["secrets", "code"],
        true,
    )
    .await;
    assert_eq!((second.fixed, second.seen_again), (1, 1), "{second:?}");
    let leak_now = db.store.finding(a.id, "f-leak").await.unwrap().unwrap();
    assert_eq!(leak_now.resolution, Some(Resolution::Fixed));
    assert!(leak_now.resolved_at.is_some());
    let counts = db.store.open_finding_counts().await.unwrap();
    assert_eq!((counts.high, counts.medium), (0, 1));
    let sql_now = db.store.finding(a.id, "f-sql").await.unwrap().unwrap();
    assert!(sql_now.last_seen > sql_now.first_seen, "seen again later");

    let third = record(&db.store, a.id, &[sql, leak], &["secrets", "code"], true).await;
    assert_eq!(third.reopened, 1, "{third:?}");
    let leak_again = db.store.finding(a.id, "f-leak").await.unwrap().unwrap();
    assert!(leak_again.is_open());
    assert_eq!(leak_again.resolved_at, None);
    assert_eq!(leak_again.first_seen, leak_first_seen, "first seen is kept");
    assert_eq!(db.store.open_finding_counts().await.unwrap().high, 1);
    assert_eq!(
        db.store
            .open_finding_counts_of_asset(a.id)
            .await
            .unwrap()
            .total(),
        2
    );
}
on_both_backends!(
    a_finding_missing_from_a_newer_complete_scan_is_fixed_and_reopens_when_it_returns,
    super::a_finding_missing_from_a_newer_complete_scan_is_fixed_and_reopens_when_it_returns
);

async fn partial_scans_and_scans_of_other_scanners_fix_nothing(db: TestDb) {
    let a = asset("uploads-partial");
    register(&db.store, &a).await;
    let leak = finding("p-leak", "secrets", Severity::Critical);
    let dep = finding("p-dep", "deps", Severity::Low);
    record(
        &db.store,
        a.id,
        &[leak.clone(), dep.clone()],
        &["secrets", "deps"],
        true,
    )
    .await;

    let partial = record(&db.store, a.id, &[], &["secrets", "deps"], false).await;
    assert_eq!(
        partial.fixed, 0,
        "a partial scan says nothing about what it lacks"
    );
    let secrets_only = record(&db.store, a.id, &[leak], &["secrets"], true).await;
    assert_eq!(secrets_only.fixed, 0, "the deps scanner did not run");
    assert!(
        db.store
            .finding(a.id, "p-dep")
            .await
            .unwrap()
            .unwrap()
            .is_open()
    );

    let deps_again = record(&db.store, a.id, &[], &["deps"], true).await;
    assert_eq!(deps_again.fixed, 1);
    let open = db
        .store
        .findings(&FindingQuery {
            asset_id: Some(a.id),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(open.total, 1);
    assert_eq!(open.items[0].finding.fingerprint, "p-leak");
}
on_both_backends!(
    partial_scans_and_scans_of_other_scanners_fix_nothing,
    super::partial_scans_and_scans_of_other_scanners_fix_nothing
);

async fn finding_lists_page_most_severe_first_and_filter_by_severity(db: TestDb) {
    let a = asset("uploads-list");
    register(&db.store, &a).await;
    let severities = [
        Severity::Low,
        Severity::Critical,
        Severity::Medium,
        Severity::High,
        Severity::Info,
    ];
    let findings: Vec<Finding> = severities
        .iter()
        .enumerate()
        .map(|(i, s)| finding(&format!("l-{i}"), "code", *s))
        .collect();
    record(&db.store, a.id, &findings, &["code"], true).await;
    let first_page = db
        .store
        .findings(&FindingQuery {
            asset_id: Some(a.id),
            limit: 2,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(first_page.total, 5);
    let shown: Vec<Severity> = first_page
        .items
        .iter()
        .map(|r| r.finding.severity)
        .collect();
    assert_eq!(shown, [Severity::Critical, Severity::High]);
    let second_page = db
        .store
        .findings(&FindingQuery {
            asset_id: Some(a.id),
            limit: 2,
            offset: 2,
            ..Default::default()
        })
        .await
        .unwrap();
    let shown: Vec<Severity> = second_page
        .items
        .iter()
        .map(|r| r.finding.severity)
        .collect();
    assert_eq!(shown, [Severity::Medium, Severity::Low]);
    let medium = db
        .store
        .findings(&FindingQuery {
            asset_id: Some(a.id),
            severity: Some(Severity::Medium),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(medium.total, 1);
    assert_eq!(medium.items[0].finding.fingerprint, "l-2");
}
on_both_backends!(
    finding_lists_page_most_severe_first_and_filter_by_severity,
    super::finding_lists_page_most_severe_first_and_filter_by_severity
);

async fn the_trend_carries_the_last_recorded_day_over_days_without_changes(db: TestDb) {
    let a = asset("uploads-trend");
    register(&db.store, &a).await;
    let today = Utc::now().date_naive();
    let ten_days_ago = (today - Duration::days(10)).to_string();
    let four_days_ago = (today - Duration::days(4)).to_string();
    db.sql(&format!(
        "INSERT INTO finding_trend (day, severity, open) VALUES \
         ('{ten_days_ago}', 'high', 7), ('{ten_days_ago}', 'low', 1), \
         ('{four_days_ago}', 'high', 3), ('{four_days_ago}', 'low', 0)"
    ))
    .await;
    record(
        &db.store,
        a.id,
        &[finding("t-1", "code", Severity::Critical)],
        &["code"],
        true,
    )
    .await;

    let trend = db.store.finding_trend(7, today).await.unwrap();
    assert_eq!(trend.len(), 7);
    assert_eq!(trend[0].day, today - Duration::days(6));
    let highs: Vec<u64> = trend.iter().map(|d| d.open.high).collect();
    assert_eq!(
        highs,
        [7, 7, 3, 3, 3, 3, 0],
        "carried from the last recorded day"
    );
    assert_eq!(
        trend[6].open.critical, 1,
        "today's counts are the current ones"
    );
    assert_eq!(trend[5].open.critical, 0);
}
on_both_backends!(
    the_trend_carries_the_last_recorded_day_over_days_without_changes,
    super::the_trend_carries_the_last_recorded_day_over_days_without_changes
);

fn component(name: &str, version: Option<&str>, requirement: Option<&str>) -> Component {
    Component {
        ecosystem: Ecosystem::PyPI,
        name: name.into(),
        version: version.map(Into::into),
        requirement: requirement.map(Into::into),
        source: ComponentSource::Manifest,
        path: "requirements.txt".into(),
        line: Some(1),
        direct: true,
        license: None,
    }
}

async fn replace(store: &Store, asset_id: Uuid, components: &[Component]) -> Uuid {
    let items: Vec<InventoryItem> = components
        .iter()
        .map(|c| InventoryItem {
            package: c.name.to_lowercase().replace('_', "-"),
            component: c.clone(),
        })
        .collect();
    let scan = Uuid::now_v7();
    let mut tx = store.begin().await.unwrap();
    tx.replace_inventory(asset_id, scan, &items, Utc::now())
        .await
        .unwrap();
    tx.audit(AuditEntry::new("test", "scan.uploaded").subject(asset_id.to_string()));
    tx.commit().await.unwrap();
    scan
}

async fn inventories_are_replaced_whole_and_searched_by_normalised_name(db: TestDb) {
    let a = asset("uploads-inventory-a");
    let b = asset("uploads-inventory-b");
    register(&db.store, &a).await;
    register(&db.store, &b).await;
    replace(
        &db.store,
        a.id,
        &[
            component("Flask_Login", Some("0.6.2"), None),
            component("requests", Some("2.19.0"), None),
        ],
    )
    .await;
    let latest = replace(
        &db.store,
        a.id,
        &[component("requests", Some("2.31.0"), None)],
    )
    .await;
    replace(
        &db.store,
        b.id,
        &[component("requests", None, Some(">=2.0"))],
    )
    .await;

    let inventory = db.store.inventory(a.id).await.unwrap();
    assert_eq!(inventory.len(), 1, "the newer scan replaced the inventory");
    assert_eq!(
        db.store
            .inventory_state(a.id)
            .await
            .unwrap()
            .unwrap()
            .scan_id,
        latest
    );
    assert!(
        db.store
            .package_uses(Ecosystem::PyPI, "flask-login", |_, _| true, 50, 0)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    let all = db
        .store
        .package_uses(Ecosystem::PyPI, "requests", |_, _| true, 50, 0)
        .await
        .unwrap();
    assert_eq!((all.total, all.assets), (2, 2));
    let names: Vec<&str> = all
        .items
        .iter()
        .map(|u| u.asset.asset_name.as_str())
        .collect();
    assert_eq!(names, ["uploads-inventory-a", "uploads-inventory-b"]);
    assert_eq!(all.items[0].asset.owner_email, a.owner_email);
    let pinned = db
        .store
        .package_uses(
            Ecosystem::PyPI,
            "requests",
            |version, _| version.is_some(),
            50,
            0,
        )
        .await
        .unwrap();
    assert_eq!((pinned.total, pinned.assets), (1, 1));
    assert_eq!(pinned.items[0].asset.asset_id, a.id);
    let second_page = db
        .store
        .package_uses(Ecosystem::PyPI, "requests", |_, _| true, 1, 1)
        .await
        .unwrap();
    assert_eq!(second_page.items.len(), 1);
    assert_eq!(second_page.items[0].asset.asset_id, b.id);
    let by_asset = db
        .store
        .inventories_with_package(Ecosystem::PyPI, "requests")
        .await
        .unwrap();
    assert_eq!(by_asset.len(), 2);
    assert_eq!(by_asset[&a.id].0, latest);
}
on_both_backends!(
    inventories_are_replaced_whole_and_searched_by_normalised_name,
    super::inventories_are_replaced_whole_and_searched_by_normalised_name
);

fn advisory_match(asset_id: Uuid) -> AdvisoryMatch {
    AdvisoryMatch {
        asset_id,
        ecosystem: Ecosystem::PyPI,
        package: "requests".into(),
        advisory_id: "GHSA-x84v-xcm2-53pg".into(),
        ids: vec![
            "CVE-2018-18074".into(),
            "GHSA-x84v-xcm2-53pg".into(),
            "PYSEC-2018-28".into(),
        ],
        matched: vec![MatchedDeclaration {
            path: "requirements.txt".into(),
            version: Some("2.19.0".into()),
            requirement: None,
        }],
        severity: Severity::High,
        fingerprint: "m-1".into(),
        first_matched: support::now(),
        fixed_at: None,
    }
}

async fn advisory_matches_are_found_by_any_alias_until_fixed_and_notices_are_remembered(
    db: TestDb,
) {
    let a = asset("uploads-matches");
    register(&db.store, &a).await;
    let m = advisory_match(a.id);
    let mut tx = db.store.begin().await.unwrap();
    tx.upsert_match(&m).await.unwrap();
    let monitor = finding("m-1", "deps", Severity::High);
    tx.open_monitor_finding(
        a.id,
        &monitor,
        (Ecosystem::PyPI, "requests"),
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    assert!(tx.announced_ids(a.id, &m.ids).await.unwrap().is_empty());
    tx.record_notices(a.id, &m.ids, Uuid::now_v7(), Utc::now())
        .await
        .unwrap();
    assert_eq!(tx.announced_ids(a.id, &m.ids).await.unwrap().len(), 3);
    tx.audit(AuditEntry::new("test", "advisory.evaluated").subject(a.id.to_string()));
    tx.commit().await.unwrap();

    for alias in ["cve-2018-18074", "PYSEC-2018-28", "GHSA-x84v-xcm2-53pg"] {
        let affected = db.store.assets_affected_by(alias).await.unwrap();
        assert_eq!(affected.len(), 1, "{alias}");
        assert_eq!(affected[0].asset.asset_name, "uploads-matches");
        assert_eq!(affected[0].advisory_match, m);
    }
    assert_eq!(
        db.store.matched_packages().await.unwrap(),
        [(Ecosystem::PyPI, "requests".to_string())]
    );
    let finding_record = db.store.finding(a.id, "m-1").await.unwrap().unwrap();
    assert_eq!(finding_record.origin, FindingOrigin::Monitor);

    let mut tx = db.store.begin().await.unwrap();
    assert!(
        tx.fix_match(
            a.id,
            Ecosystem::PyPI,
            "requests",
            &m.advisory_id,
            Utc::now()
        )
        .await
        .unwrap()
    );
    assert!(
        tx.resolve_finding(a.id, "m-1", Resolution::Fixed, Utc::now())
            .await
            .unwrap()
    );
    assert!(
        !tx.resolve_finding(a.id, "m-1", Resolution::Fixed, Utc::now())
            .await
            .unwrap(),
        "already resolved"
    );
    tx.audit(AuditEntry::new("test", "advisory.evaluated").subject(a.id.to_string()));
    tx.commit().await.unwrap();
    assert!(
        db.store
            .assets_affected_by("CVE-2018-18074")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(db.store.matched_packages().await.unwrap().is_empty());
    assert_eq!(db.store.open_finding_counts().await.unwrap().high, 0);
    let stored = db
        .store
        .matches_of_package(Ecosystem::PyPI, "requests")
        .await
        .unwrap();
    assert!(stored[0].fixed_at.is_some(), "kept as fixed");
}
on_both_backends!(
    advisory_matches_are_found_by_any_alias_until_fixed_and_notices_are_remembered,
    super::advisory_matches_are_found_by_any_alias_until_fixed_and_notices_are_remembered
);

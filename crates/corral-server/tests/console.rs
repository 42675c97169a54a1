//! The web console over HTTP, as a browser without JavaScript uses it: signing in and out,
//! rate limits, session expiry, CSRF, registering by tier, reviewing, dual sign-off, role
//! checks, form validation, off-boarding, attestation, audit verification, settings, scan
//! findings and dependencies, "who uses package X", jobs with their runs, logs, heartbeats
//! and "Run now", and every page rendering for an admin with an empty and a filled registry.

mod browser;
mod common;

use common::{TestServer, draft, start, start_on_postgres};
use corral_model::{
    ApprovalState, Component, ComponentSource, Confidence, Ecosystem, Finding, Location, Report,
    Role, Severity,
};
use corral_runner::cron_schedule::CronSchedule;
use corral_runner::records::{LogLine, LogStream, Ping, PingKind, Run, RunState, Trigger};
use serde_json::{Value, json};

use browser::{Browser, PASSWORD, Page, account, signed_in, value_after};

fn registration<'a>(name: &'a str, tier: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        (
            "purpose",
            "Scores inbound leads every morning so sales calls the warmest first.",
        ),
        ("creator_email", "ana@example.com"),
        ("department", "Sales"),
        ("data_tier", tier),
        ("ai_product", "Claude Code"),
        ("ai_version", "2.1"),
        ("status", "development"),
        ("owner_email", ""),
        ("backup_owner_email", ""),
        ("repository", ""),
        ("system_0", ""),
        ("access_0", "reads"),
    ]
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

#[tokio::test]
async fn signing_in_with_the_right_password_opens_the_console_and_a_wrong_one_does_not() {
    let s = start().await;
    account(&s, "ana@example.com", Role::Member).await;
    let mut b = Browser::new(&s);

    let first = b.get("/assets?tier=3").await;
    assert_eq!(first.status, 303);
    assert_eq!(
        first.location.as_deref(),
        Some("/sign-in?next=%2Fassets%3Ftier%3D3")
    );

    let wrong = b.try_sign_in("ana@example.com", "not the password").await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.has("do not match an account"), "{}", wrong.body);
    assert!(b.session().is_none());
    let unknown = b.try_sign_in("nobody@example.com", PASSWORD).await;
    assert_eq!(unknown.status, 401);
    assert!(unknown.has("do not match an account"));

    let right = b.try_sign_in("Ana@Example.com", PASSWORD).await;
    assert_eq!(right.status, 303);
    let cookie = right
        .set_cookies
        .iter()
        .find(|c| c.starts_with("__Host-corral_session="))
        .expect("a session cookie");
    for attribute in ["Path=/", "HttpOnly", "SameSite=Lax", "Secure"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains("Domain"), "{cookie}");
    let session = b.session().unwrap().clone();
    assert_eq!(session.len(), 64);

    let dashboard = b.get("/").await;
    assert_eq!(dashboard.status, 200);
    assert!(dashboard.has("data-testid=\"signed-in-as\">ana@example.com<"));
    let csp = dashboard.headers["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("script-src"), "no script may run: {csp}");
    assert_eq!(dashboard.headers["x-frame-options"], "DENY");
    assert_eq!(dashboard.headers["x-content-type-options"], "nosniff");
    assert_eq!(dashboard.headers["referrer-policy"], "same-origin");
    assert_eq!(dashboard.headers["cache-control"], "no-store");
    assert!(!dashboard.has("<script"));

    let actions = audit_actions(&s).await;
    assert!(actions.contains(&("ana@example.com".into(), "console.signed-in".into())));
    // The session id is stored only as its hash.
    let stored = s
        .running
        .state
        .store
        .authenticate_session(&session, chrono::Utc::now(), chrono::Duration::minutes(5))
        .await
        .unwrap();
    assert!(matches!(stored, corral_store::SessionLookup::Active(ref x) if x.id_hash != session));
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_for_a_while_and_say_until_when() {
    let s = start().await;
    account(&s, "ana@example.com", Role::Member).await;
    account(&s, "bo@example.com", Role::Member).await;
    let mut b = Browser::new(&s);
    for _ in 0..5 {
        let page = b.try_sign_in("ana@example.com", "guess guess guess").await;
        assert_eq!(page.status, 401);
    }
    // The right password no longer helps, and is not even checked.
    let refused = b.try_sign_in("ana@example.com", PASSWORD).await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert!(
        refused.has("Too many failed sign-ins for this account. Try again after"),
        "{}",
        refused.body
    );
    let wait: i64 = refused.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=15 * 60).contains(&wait), "{wait}");
    assert!(b.session().is_none());
    // Another account from the same address is still below its address's limit.
    b.sign_in("bo@example.com").await;
}

#[tokio::test]
async fn a_session_past_its_expiry_sends_the_browser_back_to_sign_in() {
    let s = start().await;
    let mut b = signed_in(&s, "ana@example.com", Role::Member).await;
    assert_eq!(b.get("/assets").await.status, 200);
    // Move the session's idle expiry into the past, as an hour without requests would.
    let db = s
        .running
        .state
        .store
        .data_dir()
        .join(corral_store::SQLITE_FILE_NAME);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    sqlx::query("UPDATE console_sessions SET idle_expires_at = '2000-01-01T00:00:00.000000Z'")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let expired = b.get("/assets").await;
    assert_eq!(expired.status, 303);
    assert_eq!(
        expired.location.as_deref(),
        Some("/sign-in?next=%2Fassets&expired=1")
    );
    let form = b.get(expired.location.as_deref().unwrap()).await;
    assert!(form.has("Your session expired"), "{}", form.body);
    assert!(form.has("name=\"next\" value=\"/assets\""));
}

#[tokio::test]
async fn signing_out_ends_the_session_even_for_a_copied_cookie() {
    let s = start().await;
    let mut b = signed_in(&s, "ana@example.com", Role::Member).await;
    let copied = b.session().unwrap().clone();
    let out = b.submit("/", "/sign-out", &[]).await;
    assert_eq!(out.status, 303);
    assert_eq!(out.location.as_deref(), Some("/sign-in?signed_out=1"));
    assert!(b.session().is_none(), "the cookie is cleared");
    let mut thief = Browser::new(&s);
    thief.cookies.insert("__Host-corral_session".into(), copied);
    let page = thief.get("/").await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/sign-in?next=%2F"));
    assert!(
        audit_actions(&s)
            .await
            .contains(&("ana@example.com".into(), "console.signed-out".into()))
    );
}

#[tokio::test]
async fn a_post_without_or_with_a_wrong_csrf_token_is_refused_and_changes_nothing() {
    let s = start().await;
    let mut b = signed_in(&s, "ana@example.com", Role::Member).await;
    let fields = registration("lead-scoring", "2");
    let missing = b.post("/assets", &fields).await;
    assert_eq!(missing.status, 403);
    assert!(
        missing.has("This form cannot be accepted"),
        "{}",
        missing.body
    );
    assert!(missing.has("nothing was changed"));
    let mut wrong = vec![("csrf", "0123456789abcdef")];
    wrong.extend_from_slice(&fields);
    assert_eq!(b.post("/assets", &wrong).await.status, 403);
    // Another session's token does not work either.
    let other = signed_in(&s, "bo@example.com", Role::Member).await;
    let mut theirs = Browser::new(&s);
    theirs.cookies = other.cookies.clone();
    let their_token = theirs.get("/").await.csrf();
    let mut stolen = vec![("csrf", their_token.as_str())];
    stolen.extend_from_slice(&fields);
    assert_eq!(b.post("/assets", &stolen).await.status, 403);
    let signed_out = b.post("/sign-out", &[("csrf", "nope")]).await;
    assert_eq!(signed_out.status, 403);

    assert_eq!(s.running.state.store.count_assets().await.unwrap(), 0);
    assert!(
        !audit_actions(&s)
            .await
            .iter()
            .any(|(_, a)| a == "asset.registered" || a == "console.signed-out")
    );
    // The sign-in form has its own token, tied to a cookie.
    let mut fresh = Browser::new(&s);
    let page = fresh
        .post(
            "/sign-in",
            &[
                ("csrf", "x"),
                ("email", "ana@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, 403);
    assert!(fresh.session().is_none());
}

#[tokio::test]
async fn registering_shows_the_outcome_for_each_tier() {
    let s = start().await;
    let mut b = signed_in(&s, "ana@example.com", Role::Member).await;

    let approved = b
        .submit(
            "/assets/new",
            "/assets",
            &registration("weekly-report", "2"),
        )
        .await;
    assert_eq!(approved.status, 201, "{}", approved.body);
    assert!(approved.has("data-outcome=\"approved\""));
    assert!(approved.has("weekly-report is approved"));
    assert!(approved.has("tier 2 (internal) data: approved at once by policy"));

    let review = b
        .submit("/assets/new", "/assets", &registration("churn-model", "3"))
        .await;
    assert_eq!(review.status, 201, "{}", review.body);
    assert!(review.has("data-outcome=\"review\""));
    assert!(review.has("tier 3 (confidential) data needs a security review"));
    let store = &s.running.state.store;
    let asset = store.asset_by_name("churn-model").await.unwrap().unwrap();
    let open = store
        .open_review_for_asset(asset.id)
        .await
        .unwrap()
        .unwrap();
    let due = open.due_at.format("%Y-%m-%d %H:%M UTC").to_string();
    assert!(
        review.has(&format!("<strong id=\"outcome-due\">{due}</strong>")),
        "{}",
        review.body
    );
    assert!(review.has("a security reviewer"));

    let blocked = b
        .submit(
            "/assets/new",
            "/assets",
            &registration("payment-reconciler", "4"),
        )
        .await;
    assert_eq!(blocked.status, 201, "{}", blocked.body);
    assert!(blocked.has("data-outcome=\"blocked\""));
    assert!(blocked.has("tier 4 (regulated) data cannot be processed by AI-built tools"));
    assert!(blocked.has("What to do instead:"));
    assert!(blocked.has("use synthetic or anonymised data"));
    let kept = store
        .asset_by_name("payment-reconciler")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.approval, ApprovalState::Blocked);

    // The audit entry names the person who registered, as for the API.
    let records = store
        .audit_records_for(&asset.id.to_string(), 10)
        .await
        .unwrap();
    assert_eq!(records[0].event.action, "asset.registered");
    assert_eq!(records[0].event.actor, "ana@example.com");
    assert_eq!(records[0].event.data["token"], serde_json::Value::Null);
}

#[tokio::test]
async fn a_form_with_mistakes_comes_back_with_the_input_kept_and_messages_beside_the_fields() {
    let s = start().await;
    let mut b = signed_in(&s, "ana@example.com", Role::Member).await;
    let long = "x".repeat(300);
    let mut fields = registration("lead-scoring", "3");
    fields.retain(|(k, _)| *k != "purpose" && *k != "backup_owner_email" && *k != "ai_version");
    fields.extend([
        ("purpose", long.as_str()),
        ("backup_owner_email", "not-an-email"),
        ("ai_version", ""),
        ("system_1", "Salesforce"),
        ("access_1", "writes"),
    ]);
    let page = b.submit("/assets/new", "/assets", &fields).await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(page.has("id=\"field-name\" name=\"name\" value=\"lead-scoring\""));
    assert!(page.has(&format!(">{long}</textarea>")));
    assert!(page.has("id=\"field-tier-3\" name=\"data_tier\" value=\"3\" checked"));
    assert!(page.has("value=\"Salesforce\""));
    assert!(page.has("<option value=\"writes\" selected>"));
    assert!(page.has("must be at most 280 characters (one sentence); it has 300"));
    assert!(page.has("id=\"error-backup_owner_email\">must be an e-mail address"));
    assert!(page.has("id=\"error-ai_tool\">needs both a product and a version"));
    assert_eq!(s.running.state.store.count_assets().await.unwrap(), 0);

    // A duplicate name points at the existing asset.
    let first = b
        .submit("/assets/new", "/assets", &registration("lead-scoring", "2"))
        .await;
    assert_eq!(first.status, 201);
    let again = b
        .submit("/assets/new", "/assets", &registration("lead-scoring", "2"))
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.has("id=\"error-name\">an asset with this name is already registered"));
    assert!(again.has("id=\"register-existing\">lead-scoring</a>"));
}

#[tokio::test]
async fn a_security_reviewer_approves_a_tier_three_asset_on_the_reviews_page() {
    let s = start().await;
    let mut ana = signed_in(&s, "ana@example.com", Role::Member).await;
    ana.submit("/assets/new", "/assets", &registration("churn-model", "3"))
        .await;
    let store = &s.running.state.store;
    let asset = store.asset_by_name("churn-model").await.unwrap().unwrap();
    let review = store
        .open_review_for_asset(asset.id)
        .await
        .unwrap()
        .unwrap();

    // The creator sees the queue but no form to act.
    let mine = ana.get("/reviews").await;
    assert!(mine.has(&format!("id=\"review-{}\"", review.id)));
    assert!(!mine.has(&format!("id=\"approve-{}\"", review.id)));

    let mut sec = signed_in(&s, "sec@example.com", Role::SecurityReviewer).await;
    let queue = sec.get("/reviews").await;
    assert!(queue.has(&format!("id=\"approve-{}\"", review.id)));
    assert!(queue.has("data-testid=\"review-clock\">due in"));

    // No comment: refused, shown on the review, nothing decided.
    let path = format!("/reviews/{}/act", review.id);
    let bare = sec
        .submit(
            "/reviews",
            &path,
            &[("action", "approve"), ("comment", " ")],
        )
        .await;
    assert_eq!(bare.status, 422);
    assert!(bare.has("a comment is required: say why you approve"));
    assert_eq!(
        store.asset(asset.id).await.unwrap().unwrap().approval,
        ApprovalState::PendingReview
    );

    let done = sec
        .submit(
            "/reviews",
            &path,
            &[("action", "approve"), ("comment", "read-only export, fine")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let after = sec.get(done.location.as_deref().unwrap()).await;
    assert!(
        after.has("Recorded. The review of churn-model is closed: approved."),
        "{}",
        after.body
    );
    assert_eq!(
        store.asset(asset.id).await.unwrap().unwrap().approval,
        ApprovalState::Approved
    );
    let decisions = store.decisions_for_asset(asset.id).await.unwrap();
    let last = decisions.last().unwrap();
    assert_eq!(last.actor, "sec@example.com");
    assert_eq!(last.comment, "read-only export, fine");
    assert!(
        audit_actions(&s)
            .await
            .contains(&("sec@example.com".into(), "review.approve".into()))
    );
}

#[tokio::test]
async fn a_critical_asset_needs_two_different_approvers() {
    let s = start().await;
    let mut ana = signed_in(&s, "ana@example.com", Role::Member).await;
    let mut fields = registration("crm-sync", "2");
    fields.retain(|(k, _)| !["status", "system_0", "access_0"].contains(k));
    fields.extend([
        ("status", "production"),
        ("system_0", "Salesforce"),
        ("access_0", "writes"),
    ]);
    let out = ana.submit("/assets/new", "/assets", &fields).await;
    assert_eq!(out.status, 201, "{}", out.body);
    assert!(out.has("a business approver") && out.has("a security reviewer"));
    let store = &s.running.state.store;
    let asset = store.asset_by_name("crm-sync").await.unwrap().unwrap();
    let review = store
        .open_review_for_asset(asset.id)
        .await
        .unwrap()
        .unwrap();
    let path = format!("/reviews/{}/act", review.id);

    // An admin may sign in either capacity, but only once.
    let mut admin = signed_in(&s, "root@example.com", Role::Admin).await;
    let first = admin
        .submit(
            "/reviews",
            &path,
            &[("action", "approve"), ("comment", "code reviewed")],
        )
        .await;
    assert_eq!(first.status, 303, "{}", first.body);
    let progress = admin.get("/reviews").await;
    assert!(progress.has("1 of 2 sign-offs"), "{}", progress.body);
    let again = admin
        .submit(
            "/reviews",
            &path,
            &[("action", "approve"), ("comment", "me again")],
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(
        again.has("must come from a different person"),
        "{}",
        again.body
    );
    assert!(again.has(">me again</textarea>"), "the comment is kept");
    assert_eq!(
        store.asset(asset.id).await.unwrap().unwrap().approval,
        ApprovalState::PendingReview
    );

    // The admin's sign-off filled the business capacity; a security reviewer completes it.
    let mut biz = signed_in(&s, "biz@example.com", Role::BusinessApprover).await;
    let queue = biz.get("/reviews").await;
    assert!(queue.has("Waiting for a security sign-off, which your role does not give."));
    let mut sec = signed_in(&s, "sec@example.com", Role::SecurityReviewer).await;
    let second = sec
        .submit(
            "/reviews",
            &path,
            &[("action", "approve"), ("comment", "safe to run")],
        )
        .await;
    assert_eq!(second.status, 303, "{}", second.body);
    assert_eq!(
        store.asset(asset.id).await.unwrap().unwrap().approval,
        ApprovalState::Approved
    );
    let detail = biz.get(&format!("/assets/{}", asset.id)).await;
    assert!(
        detail.has("signoff</strong> by root@example.com as business"),
        "{}",
        detail.body
    );
    assert!(
        detail.has("approved</strong> by sec@example.com as security"),
        "{}",
        detail.body
    );
}

#[tokio::test]
async fn roles_decide_what_the_console_offers_and_allows() {
    let s = start().await;
    let mut member = signed_in(&s, "ana@example.com", Role::Member).await;
    let dashboard = member.get("/").await;
    assert!(!dashboard.has("id=\"nav-settings\""));
    assert!(!dashboard.has("id=\"nav-audit\""));
    let settings = member.get("/settings").await;
    assert_eq!(settings.status, 403);
    assert!(
        settings.has("the member role cannot change settings"),
        "{}",
        settings.body
    );
    let token = member
        .submit(
            "/",
            "/settings/tokens",
            &[
                ("name", "x"),
                ("email", "ana@example.com"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(token.status, 403);
    assert_eq!(member.get("/audit").await.status, 403);
    assert_eq!(member.get("/people/offboard").await.status, 403);
    assert_eq!(s.running.state.store.tokens(None).await.unwrap().len(), 1);

    let mut auditor = signed_in(&s, "audit@example.com", Role::Auditor).await;
    let theirs = auditor.get("/").await;
    assert!(!theirs.has("id=\"dashboard-register\""));
    assert!(!theirs.has("id=\"nav-register\""));
    assert!(dashboard.has("id=\"dashboard-register\""));
    assert_eq!(auditor.get("/assets/new").await.status, 403);
    assert_eq!(auditor.get("/audit").await.status, 200);
    let register = auditor
        .submit("/", "/assets", &registration("sneaky", "1"))
        .await;
    assert_eq!(register.status, 403);
    assert_eq!(s.running.state.store.count_assets().await.unwrap(), 0);
}

#[tokio::test]
async fn owners_attest_and_others_cannot() {
    let s = start().await;
    let mut ana = signed_in(&s, "ana@example.com", Role::Member).await;
    ana.submit(
        "/assets/new",
        "/assets",
        &registration("weekly-report", "2"),
    )
    .await;
    let asset = s
        .running
        .state
        .store
        .asset_by_name("weekly-report")
        .await
        .unwrap()
        .unwrap();
    let detail_path = format!("/assets/{}", asset.id);
    let detail = ana.get(&detail_path).await;
    assert!(detail.has("id=\"attest-still-active\""));
    assert!(detail.has("id=\"last-attested\">never<"));
    let done = ana
        .submit(
            &detail_path,
            &format!("{detail_path}/attest"),
            &[("choice", "still-active"), ("comment", "runs every Monday")],
        )
        .await;
    assert_eq!(done.status, 303);
    let after = ana.get(done.location.as_deref().unwrap()).await;
    assert!(after.has("confirmed as still in use"));
    assert!(!after.has("id=\"last-attested\">never<"));

    let mut bo = signed_in(&s, "bo@example.com", Role::Member).await;
    let theirs = bo.get(&detail_path).await;
    assert!(!theirs.has("id=\"attest-form\""));
    let refused = bo
        .submit(
            &detail_path,
            &format!("{detail_path}/attest"),
            &[("choice", "decommission")],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert!(refused.has("only the owner, backup owner or creator"));
}

#[tokio::test]
async fn off_boarding_previews_then_hands_everything_over() {
    let s = start().await;
    let mut ana = signed_in(&s, "ana@example.com", Role::Member).await;
    let mut fields = registration("weekly-report", "2");
    fields.retain(|(k, _)| *k != "backup_owner_email");
    fields.push(("backup_owner_email", "bo@example.com"));
    ana.submit("/assets/new", "/assets", &fields).await;
    let mut admin = signed_in(&s, "root@example.com", Role::Admin).await;

    let invalid = admin
        .get("/people/offboard?person=ana%40example.com&successor=ana%40example.com")
        .await;
    assert_eq!(invalid.status, 422);
    assert!(invalid.has("must be a different person from the one leaving"));

    let preview = admin
        .get("/people/offboard?person=ana%40example.com&successor=cy%40example.com")
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert_eq!(
        preview
            .body
            .matches("data-testid=\"offboard-change\"")
            .count(),
        1
    );
    let store = &s.running.state.store;
    let unchanged = store.asset_by_name("weekly-report").await.unwrap().unwrap();
    assert_eq!(
        unchanged.owner_email, "ana@example.com",
        "a preview changes nothing"
    );

    let csrf = preview.csrf();
    let done = admin
        .post(
            "/people/offboard",
            &[
                ("csrf", &csrf),
                ("person", "ana@example.com"),
                ("successor", "cy@example.com"),
            ],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.has("id=\"offboard-done\">Handed over to cy@example.com"));
    let moved = store.asset_by_name("weekly-report").await.unwrap().unwrap();
    assert_eq!(moved.owner_email, "cy@example.com");
    let people = admin.get("/people").await;
    assert!(people.has("id=\"departed\""));
    let person = admin.get("/people/cy@example.com").await;
    assert!(person.has("weekly-report"));
    assert!(
        audit_actions(&s)
            .await
            .contains(&("root@example.com".into(), "person.offboarded".into()))
    );
}

#[tokio::test]
async fn the_audit_page_filters_and_verifies_the_log() {
    let s = start().await;
    let mut admin = signed_in(&s, "root@example.com", Role::Admin).await;
    admin
        .submit(
            "/assets/new",
            "/assets",
            &registration("weekly-report", "2"),
        )
        .await;
    let filtered = admin.get("/audit?action=asset.").await;
    assert_eq!(filtered.status, 200);
    assert!(filtered.has("<code>asset.registered</code>"));
    assert!(!filtered.has("<code>console.signed-in</code>"));
    let verified = admin.submit("/audit", "/audit/verify", &[]).await;
    assert_eq!(verified.status, 200);
    assert!(verified.has("data-ok=\"true\""), "{}", verified.body);
    assert!(verified.has("The log is intact"));
}

#[tokio::test]
async fn settings_issue_a_token_once_revoke_it_and_manage_accounts() {
    let s = start().await;
    let mut admin = signed_in(&s, "root@example.com", Role::Admin).await;
    let issued = admin
        .submit(
            "/settings",
            "/settings/tokens",
            &[
                ("name", "ci-sales"),
                ("email", "ci@example.com"),
                ("role", "member"),
                ("expires_in_days", "30"),
            ],
        )
        .await;
    assert_eq!(issued.status, 201, "{}", issued.body);
    let token = value_after(&issued.body, "id=\"issued-token-value\">");
    let token = token.split('<').next().unwrap().to_string();
    assert!(token.starts_with("corral_"));
    let (status, whoami) = s.get("/api/v1/whoami", &token).await;
    assert_eq!(status, 200);
    assert_eq!(whoami["email"], "ci@example.com");
    let again = admin.get("/settings").await;
    assert!(!again.has(&token), "the token is shown only once");

    let id = s
        .running
        .state
        .store
        .tokens(None)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == "ci-sales")
        .unwrap()
        .id;
    let revoked = admin
        .submit("/settings", &format!("/settings/tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(revoked.status, 303);
    assert_eq!(s.get("/api/v1/whoami", &token).await.0, 401);

    let bad = admin
        .submit(
            "/settings",
            "/settings/accounts",
            &[
                ("email", "new@example.com"),
                ("role", "member"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.has("id=\"error-account-password\">must be at least 12 characters"));
    assert!(bad.has("value=\"new@example.com\""), "the e-mail is kept");
    let added = admin
        .submit(
            "/settings",
            "/settings/accounts",
            &[
                ("email", "new@example.com"),
                ("role", "member"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let mut newcomer = Browser::new(&s);
    newcomer.sign_in("new@example.com").await;
    assert_eq!(newcomer.get("/settings").await.status, 403);

    // A new role ends the account's sessions; so does disabling it.
    let role = admin
        .submit(
            "/settings",
            "/settings/accounts/new%40example.com/role",
            &[("role", "auditor")],
        )
        .await;
    assert_eq!(role.status, 303);
    assert_eq!(newcomer.get("/").await.status, 303);
    newcomer.sign_in("new@example.com").await;
    assert!(
        newcomer
            .get("/")
            .await
            .has("data-testid=\"signed-in-role\">auditor<")
    );
    let disabled = admin
        .submit(
            "/settings",
            "/settings/accounts/new%40example.com/enabled",
            &[("enabled", "false")],
        )
        .await;
    assert_eq!(disabled.status, 303);
    assert_eq!(newcomer.get("/").await.status, 303);
    let refused = newcomer.try_sign_in("new@example.com", PASSWORD).await;
    assert_eq!(refused.status, 403);
    assert!(refused.has("This account is disabled"));

    // Nobody changes or disables their own account.
    let own = admin
        .submit(
            "/settings",
            "/settings/accounts/root%40example.com/enabled",
            &[("enabled", "false")],
        )
        .await;
    assert_eq!(own.status, 409);
}

/// A finding as a scanner reports it, already redacted as uploads are screened.
fn scan_finding(fingerprint: &str, scanner: &str, rule: &str, severity: Severity) -> Finding {
    Finding {
        scanner: scanner.into(),
        rule_id: rule.into(),
        title: format!("{rule} found"),
        severity,
        confidence: Confidence::High,
        location: Location::new("sync/crm.py", 14, 1),
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

fn pypi_component(name: &str, version: Option<&str>, requirement: Option<&str>) -> Component {
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
        line: Some(2),
        direct: true,
        license: None,
    }
}

fn scan_report(findings: Vec<Finding>, components: Vec<Component>) -> Report {
    let mut r = Report::new("0.1.0", chrono::Utc::now());
    r.scanners = ["secrets", "deps", "code", "ai-config", "license"]
        .map(String::from)
        .to_vec();
    r.roots = vec![".".into()];
    r.findings = findings;
    r.components = components;
    r
}

/// Registers an asset through the API for `owner` and uploads `report` for it.
async fn scanned_asset(s: &TestServer, owner: &str, name: &str, report: &Report) -> String {
    let token = s.token(owner, Role::Member).await;
    let body = s.register(&token, draft(name, owner, 2)).await;
    let id = body["asset"]["id"].as_str().unwrap().to_string();
    let (status, body) = s
        .post(
            &format!("/api/v1/assets/{id}/scans"),
            &token,
            serde_json::to_value(report).unwrap(),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    id
}

#[tokio::test]
async fn uploaded_scans_fill_the_findings_panel_the_asset_page_and_the_packages_page() {
    let s = start().await;
    let token = "ghp_R8x2Lq9Vt4Nw7Ks1Mz6Pc3Hd5Jb0Fy2Ga8Ue";
    let mut leak = scan_finding("leak-1", "secrets", "github-pat", Severity::Critical);
    leak.snippet = Some(format!("GITHUB_TOKEN = \"{token}\""));
    leak.message = format!("a GitHub token: {token}");
    let sql = scan_finding("sql-1", "code", "py-sql-injection", Severity::High);
    let crm = scanned_asset(
        &s,
        "ana@example.com",
        "crm-sync",
        &scan_report(
            vec![leak, sql],
            vec![
                pypi_component("Requests", Some("2.19.0"), None),
                pypi_component("pandas", None, Some(">=2.0")),
            ],
        ),
    )
    .await;
    scanned_asset(
        &s,
        "bo@example.com",
        "fresh-report",
        &scan_report(
            vec![],
            vec![pypi_component("requests", Some("2.31.0"), None)],
        ),
    )
    .await;
    let mut b = signed_in(&s, "cy@example.com", Role::Member).await;

    let dashboard = b.get("/").await;
    assert!(
        !dashboard.has("id=\"findings-empty\""),
        "{}",
        dashboard.body
    );
    assert!(dashboard.has("critical 1, high 1, medium 0, low 0, info 0"));
    assert!(dashboard.has("Open findings over time"));

    let page = b.get(&format!("/assets/{crm}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.body.matches("data-testid=\"asset-finding\"").count(),
        2
    );
    assert!(page.has("<code>github-pat</code>"));
    assert!(page.has("<code>sync/crm.py:14</code>"));
    assert!(page.has("1 critical"));
    assert!(
        !page.has(token) && !page.has(&token[4..]),
        "no secret value on the page"
    );
    assert_eq!(
        page.body
            .matches("data-testid=\"asset-dependency\"")
            .count(),
        2
    );
    assert!(
        page.has("href=\"/packages?name=Requests&#38;ecosystem=pypi\""),
        "{}",
        page.body
    );
    assert!(page.has("<code>&#62;=2.0</code>"));

    // A later complete scan without the leak resolves it as fixed; the page says so.
    let owner = s.token("ana@example.com", Role::Member).await;
    let (status, body) = s
        .post(
            &format!("/api/v1/assets/{crm}/scans"),
            &owner,
            serde_json::to_value(scan_report(
                vec![scan_finding(
                    "sql-1",
                    "code",
                    "py-sql-injection",
                    Severity::High,
                )],
                vec![pypi_component("Requests", Some("2.19.0"), None)],
            ))
            .unwrap(),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let page = b.get(&format!("/assets/{crm}")).await;
    assert!(page.has("1 open · 1 resolved"), "{}", page.body);
    assert!(page.has(&format!("fixed {}", chrono::Utc::now().format("%Y-%m-%d"))));

    let any = b.get("/packages?name=REQUESTS").await;
    assert_eq!(any.status, 200, "{}", any.body);
    assert_eq!(any.body.matches("data-testid=\"package-use\"").count(), 2);
    assert!(any.has("crm-sync") && any.has("fresh-report"));
    assert!(any.has("href=\"/people/ana@example.com\""));
    let old = b
        .get("/packages?name=requests&ecosystem=pypi&range=%3C2.31")
        .await;
    assert_eq!(old.body.matches("data-testid=\"package-use\"").count(), 1);
    assert!(
        old.has("crm-sync") && !old.has("fresh-report"),
        "{}",
        old.body
    );
    assert!(old.has(">in range</span>"));
    let none = b.get("/packages?name=leftpad&ecosystem=npm").await;
    assert!(none.has("id=\"package-none\""));
    let bad = b
        .get("/packages?name=requests&ecosystem=pypi&range=%3E%3E2")
        .await;
    assert_eq!(bad.status, 200);
    assert!(
        bad.has("data-testid=\"package-problem\">range: `&#62;&#62;2` is not a PyPI version range"),
        "{}",
        bad.body
    );
    let unknown = b.get("/packages?name=requests&ecosystem=cargo").await;
    assert!(unknown.has("unknown ecosystem `cargo`"), "{}", unknown.body);
    let landing = b.get("/packages").await;
    assert!(landing.has("id=\"nav-packages\" href=\"/packages\" class=\"active\""));
    assert!(landing.has("id=\"affected-packages-empty\""));
}

/// A finished run of `job` queued `hours_ago`, stored as the runner would leave it.
fn finished_run(job: &Value, state: RunState, hours_ago: i64, log: &[&str]) -> Run {
    let queued = chrono::Utc::now() - chrono::Duration::hours(hours_ago);
    let mut run = Run::queued(
        job["id"].as_str().unwrap().parse().unwrap(),
        job["name"].as_str().unwrap(),
        Trigger::Schedule,
        Some(queued),
        queued,
    );
    run.state = state;
    run.started_at = Some(queued);
    run.finished_at = Some(queued + chrono::Duration::seconds(42));
    run.exit_code = Some(if state == RunState::Succeeded { 0 } else { 1 });
    run.log.lines = log
        .iter()
        .map(|text| LogLine {
            at: queued,
            stream: LogStream::Stdout,
            text: text.to_string(),
        })
        .collect();
    run
}

#[tokio::test]
async fn the_jobs_pages_show_health_history_logs_and_heartbeats_on_sqlite() {
    jobs_pages_show_health_history_logs_and_heartbeats(start().await).await;
}

#[tokio::test]
async fn the_jobs_pages_show_health_history_logs_and_heartbeats_on_postgres() {
    if let Some(s) = start_on_postgres(corral_server::NotifyConfig::default()).await {
        jobs_pages_show_health_history_logs_and_heartbeats(s).await;
    }
}

async fn jobs_pages_show_health_history_logs_and_heartbeats(s: TestServer) {
    let owner = s.token("ana@example.com", Role::Member).await;
    let asset = s
        .register(&owner, draft("lead-report", "ana@example.com", 2))
        .await;
    let (status, job) = s
        .post(
            "/api/v1/jobs",
            &owner,
            json!({
                "name": "lead-report-daily",
                "asset_id": asset["asset"]["id"],
                "command": "python report.py",
                "schedule": {"cron": "0 7 * * *", "timezone": "Europe/Berlin"},
                "secrets": {"CRM_TOKEN": "crm-token"},
            }),
        )
        .await;
    assert_eq!(status, 201, "{job}");
    let store = &s.running.state.store;
    // The failed run ran a commit of a git source; the others predate it.
    let commit = "9c1e5a07b3d24f6e8a0b1c2d3e4f5a6b7c8d9e0f";
    let mut failed = finished_run(
        &job,
        RunState::Failed,
        2,
        &["<b>CRM said 503</b> for ********"],
    );
    failed.source_commit = Some(commit.into());
    for run in [
        finished_run(&job, RunState::Succeeded, 50, &["sent 120 leads"]),
        finished_run(&job, RunState::Succeeded, 26, &["sent 118 leads"]),
        failed,
    ] {
        store.queue_run(&run).await.unwrap();
    }
    let every_hour = json!({"kind": "period", "period_seconds": 3600, "grace_seconds": 600});
    for name in ["laptop-sync", "finance-export", "never-pinged"] {
        let (status, body) = s
            .post(
                "/api/v1/heartbeats",
                &owner,
                json!({"name": name, "schedule": every_hour}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let checks = store.heartbeat_checks().await.unwrap();
    let id_of = |name: &str| checks.iter().find(|c| c.name == name).unwrap().id;
    let now = chrono::Utc::now();
    for (name, minutes_ago) in [("laptop-sync", 65), ("finance-export", 180)] {
        store
            .record_heartbeat_ping(
                id_of(name),
                Ping {
                    at: now - chrono::Duration::minutes(minutes_ago),
                    kind: PingKind::Success,
                    body: String::new(),
                },
            )
            .await
            .unwrap();
    }
    let mut b = signed_in(&s, "ana@example.com", Role::Member).await;

    let list = b.get("/jobs").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.has("data-job=\"lead-report-daily\""));
    assert!(
        list.has("data-testid=\"job-last-state\">failed<"),
        "{}",
        list.body
    );
    assert!(list.has("data-testid=\"job-success-rate\">66%<"));
    assert!(list.has("2 of 3 recent"));
    assert!(list.has("asset <a href=\"/assets/"));
    assert!(list.has("<code>0 7 * * * (Europe/Berlin)</code>"));
    // Checks are shown as they stand now, before the monitor's pass has stored it.
    let state_of = |page: &Page, check: &str| {
        let row = &page.body[page.body.find(&format!("data-check=\"{check}\"")).unwrap()..];
        value_after(row, "data-testid=\"heartbeat-state\">")
            .split('<')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(state_of(&list, "laptop-sync"), "late");
    assert_eq!(state_of(&list, "finance-export"), "down");
    assert_eq!(state_of(&list, "never-pinged"), "new");
    assert!(list.has("every 1 hour, grace 10 minutes"));
    for check in &checks {
        assert!(
            !list.has(&check.id.to_string()),
            "ping ids stay off the page"
        );
    }

    let job_id = job["id"].as_str().unwrap();
    let detail = b.get(&format!("/jobs/{job_id}")).await;
    assert_eq!(detail.status, 200, "{}", detail.body);
    assert_eq!(detail.body.matches("data-testid=\"job-run\"").count(), 3);
    assert_eq!(
        detail
            .body
            .matches("data-testid=\"job-run-commit\"")
            .count(),
        1,
        "only the run of a git source has a commit: {}",
        detail.body
    );
    assert!(
        detail.has(&format!(
            "<code title=\"{commit}\" data-testid=\"job-run-commit\">9c1e5a07b3d2</code>"
        )),
        "{}",
        detail.body
    );
    assert!(detail.has("CRM_TOKEN ← crm-token"));
    assert!(detail.has("id=\"run-now\""));
    let next = CronSchedule::parse("0 7 * * *", "Europe/Berlin")
        .unwrap()
        .next_after(chrono::Utc::now())
        .unwrap();
    assert!(
        detail.has(&next.format("%Y-%m-%d %H:%M UTC").to_string()),
        "the next slot, 07:00 in Berlin: {}",
        detail.body
    );
    let by_name = b.get("/jobs/lead-report-daily").await;
    assert_eq!(by_name.status, 200);

    let runs = store
        .runs_of_job(job_id.parse().unwrap(), 10, 0)
        .await
        .unwrap();
    let failed = runs.iter().find(|r| r.state == RunState::Failed).unwrap();
    let log = b.get(&format!("/jobs/{job_id}/runs/{}", failed.id)).await;
    assert_eq!(log.status, 200, "{}", log.body);
    assert!(
        log.has("&#60;b&#62;CRM said 503&#60;/b&#62; for ********"),
        "{}",
        log.body
    );
    assert!(!log.has("<b>CRM said"));
    assert!(log.has("Exit status</dt><dd>1</dd>"));
    assert!(
        log.has(&format!(
            "<dt>Commit</dt><dd><code title=\"{commit}\" id=\"run-commit\">9c1e5a07b3d2</code>"
        )),
        "{}",
        log.body
    );
    let succeeded = runs
        .iter()
        .find(|r| r.state == RunState::Succeeded)
        .unwrap();
    let without = b
        .get(&format!("/jobs/{job_id}/runs/{}", succeeded.id))
        .await;
    assert_eq!(without.status, 200, "{}", without.body);
    assert!(!without.has("id=\"run-commit\""), "{}", without.body);
    let wrong_job = b
        .get(&format!("/jobs/{job_id}/runs/{}", uuid::Uuid::now_v7()))
        .await;
    assert_eq!(wrong_job.status, 404);
    assert_eq!(b.get("/jobs/no-such-job").await.status, 404);

    // The dashboard reads stored heartbeat states: after the monitor's pass, one is late
    // and one is down.
    let (alerts, _keep) = tokio::sync::mpsc::unbounded_channel();
    corral_server::runner::evaluate_heartbeats(store, &alerts, chrono::Utc::now())
        .await
        .unwrap();
    let dashboard = b.get("/").await;
    assert!(dashboard.has("id=\"jobs-panel\""));
    assert!(
        dashboard.has("1 late · 1 down</span><span class=\"stat-label\">of 3 heartbeat checks"),
        "{}",
        dashboard.body
    );
    assert!(dashboard.has("<span class=\"stat-value text-danger\">1</span><span class=\"stat-label\">failed runs in the last day"));
    // Of the runs that finished in the last day, only the failed one.
    assert!(
        dashboard.has(">0%</span><span class=\"stat-label\">succeeded of 1 finished run in the last day · 1 jobs"),
        "{}",
        dashboard.body
    );
}

#[tokio::test]
async fn run_now_queues_a_manual_run_for_those_who_may_change_the_job_only() {
    let s = start().await;
    let owner_token = s.token("ana@example.com", Role::Member).await;
    let asset = s
        .register(&owner_token, draft("lead-report", "ana@example.com", 2))
        .await;
    let (status, job) = s
        .post(
            "/api/v1/jobs",
            &owner_token,
            json!({"name": "lead-report-daily", "asset_id": asset["asset"]["id"], "command": "true"}),
        )
        .await;
    assert_eq!(status, 201, "{job}");
    let job_id = job["id"].as_str().unwrap();
    let page = format!("/jobs/{job_id}");
    let action = format!("/jobs/{job_id}/run");
    let store = &s.running.state.store;
    let runs = move || async move {
        store
            .runs_of_job(job_id.parse().unwrap(), 10, 0)
            .await
            .unwrap()
    };

    let mut stranger = signed_in(&s, "bo@example.com", Role::Member).await;
    let theirs = stranger.get(&page).await;
    assert!(
        !theirs.has("id=\"run-now\""),
        "not offered to someone who cannot use it"
    );
    let refused = stranger.submit(&page, &action, &[]).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.has("only the owner, backup owner or creator of `lead-report`"));
    let mut auditor = signed_in(&s, "audit@example.com", Role::Auditor).await;
    assert_eq!(auditor.submit(&page, &action, &[]).await.status, 403);
    assert!(runs().await.is_empty());

    let mut owner = signed_in(&s, "ana@example.com", Role::Member).await;
    let forged = owner.post(&action, &[("csrf", "not-the-token")]).await;
    assert_eq!(forged.status, 403);
    assert!(forged.has("This form cannot be accepted"));
    let bare = owner.post(&action, &[]).await;
    assert_eq!(bare.status, 403);
    assert!(
        runs().await.is_empty(),
        "nothing queued without the session's token"
    );

    let done = owner.submit(&page, &action, &[]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let queued = runs().await;
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].trigger, Trigger::Manual);
    assert_eq!(queued[0].state, RunState::Queued);
    assert_eq!(
        done.location.as_deref(),
        Some(format!("/jobs/{job_id}?queued={}", queued[0].id).as_str())
    );
    let after = owner.get(done.location.as_deref().unwrap()).await;
    assert!(after.has("id=\"job-notice\""));
    assert!(after.has("data-testid=\"job-run-state\">queued<"));
    assert!(after.has("manual"));

    let mut admin = signed_in(&s, "root@example.com", Role::Admin).await;
    assert_eq!(admin.submit(&page, &action, &[]).await.status, 303);
    assert_eq!(runs().await.len(), 2);
}

/// Every page a signed-in admin can open, with what it must show.
async fn every_page_renders(s: &TestServer, b: &mut Browser<'_>, filled: bool) {
    let mut pages = vec![
        "/".to_string(),
        "/assets".into(),
        "/assets?q=report&tier=2&page=1".into(),
        "/assets/new".into(),
        "/reviews".into(),
        "/reviews?state=overdue".into(),
        "/people".into(),
        "/people/ana@example.com".into(),
        "/people/offboard".into(),
        "/people/offboard?person=ana%40example.com&successor=cy%40example.com".into(),
        "/packages".into(),
        "/packages?name=requests&ecosystem=pypi&range=%3C3".into(),
        "/jobs".into(),
        "/audit".into(),
        "/settings".into(),
    ];
    if filled {
        let asset = s
            .running
            .state
            .store
            .asset_by_name("churn-model")
            .await
            .unwrap()
            .unwrap();
        pages.push(format!("/assets/{}", asset.id));
        pages.push("/assets/churn-model".into());
    }
    for path in &pages {
        let page = b.get(path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        assert!(page.has("<main id=\"main\""), "{path}");
        assert!(page.has("id=\"sign-out\""), "{path}");
    }
    let dashboard = b.get("/").await;
    let assets = b.get("/assets").await;
    let reviews = b.get("/reviews").await;
    if filled {
        assert!(dashboard.has("data-testid=\"queue-item\""));
        assert!(dashboard.has("<svg class=\"chart chart-bars\""));
        assert!(dashboard.has("id=\"findings-empty\">No scans uploaded yet"));
        assert_eq!(assets.body.matches("data-testid=\"asset-row\"").count(), 3);
        assert!(reviews.has("data-asset=\"churn-model\""));
    } else {
        assert!(dashboard.has("id=\"dashboard-empty\""));
        assert!(dashboard.has("id=\"review-queue-empty\""));
        assert!(assets.has("id=\"assets-empty\""));
        assert!(reviews.has("id=\"reviews-empty\""));
    }
}

#[tokio::test]
async fn every_page_renders_for_an_admin_with_an_empty_and_a_filled_registry() {
    let s = start().await;
    let mut admin = signed_in(&s, "root@example.com", Role::Admin).await;
    every_page_renders(&s, &mut admin, false).await;
    let mut ana = signed_in(&s, "ana@example.com", Role::Member).await;
    for (name, tier) in [
        ("weekly-report", "2"),
        ("churn-model", "3"),
        ("card-matcher", "4"),
    ] {
        let out = ana
            .submit("/assets/new", "/assets", &registration(name, tier))
            .await;
        assert_eq!(out.status, 201, "{}", out.body);
    }
    every_page_renders(&s, &mut admin, true).await;
    let css_path = value_after(&admin.get("/").await.body, "rel=\"stylesheet\" href=\"");
    let css = admin.get(&css_path).await;
    assert_eq!(css.status, 200);
    assert!(
        css.headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert!(
        css.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert_eq!(admin.get("/static/console.0000.css").await.status, 404);
}

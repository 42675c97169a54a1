//! Every endpoint × every role: each role can do exactly what it should and nothing more.
//!
//! Each case builds fresh fixtures, makes the call as one role, and asserts the status; for
//! an allowed call it also asserts the effect, and for a refused change that nothing changed.

mod common;

use common::{TestServer, draft, start};
use corral_model::Role;
use serde_json::{Value, json};

const ROLES: [Role; 5] = [
    Role::Admin,
    Role::SecurityReviewer,
    Role::BusinessApprover,
    Role::Member,
    Role::Auditor,
];

struct Tokens {
    by_role: Vec<(Role, String)>,
}

impl Tokens {
    fn of(&self, role: Role) -> &str {
        &self.by_role.iter().find(|(r, _)| *r == role).unwrap().1
    }
}

fn email(role: Role) -> String {
    format!("{}@example.com", role.as_str())
}

async fn setup() -> (TestServer, Tokens) {
    let s = start().await;
    let mut by_role = Vec::new();
    for role in ROLES {
        by_role.push((role, s.token(&email(role), role).await));
    }
    (s, Tokens { by_role })
}

/// A fresh asset created by the member (so the member owns it), at `tier`.
async fn member_asset(s: &TestServer, t: &Tokens, tag: &str, tier: u8) -> Value {
    let name = format!("{tag}-{}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    s.register(t.of(Role::Member), draft(&name, &email(Role::Member), tier))
        .await["asset"]
        .clone()
}

/// Asserts `status` is `allowed_status` for the roles in `allowed` and 403 for the others.
fn expect(
    role: Role,
    allowed: &[Role],
    allowed_status: u16,
    status: u16,
    body: &Value,
    what: &str,
) {
    let want = if allowed.contains(&role) {
        allowed_status
    } else {
        403
    };
    assert_eq!(status, want, "{what} as {role}: {body}");
    if want == 403 {
        assert_eq!(body["error"]["code"], "forbidden", "{what} as {role}");
    }
}

const EVERYONE: &[Role] = &ROLES;
const NOT_AUDITOR: &[Role] = &[
    Role::Admin,
    Role::SecurityReviewer,
    Role::BusinessApprover,
    Role::Member,
];
const AUDIT_READERS: &[Role] = &[Role::Admin, Role::SecurityReviewer, Role::Auditor];

#[tokio::test]
async fn each_role_can_do_exactly_what_it_should_on_every_endpoint() {
    let (s, t) = setup().await;
    for role in ROLES {
        let tok = t.of(role);

        // Register.
        let name = format!("reg-{}", role.as_str());
        let (status, body) = s
            .post("/api/v1/assets", tok, draft(&name, &email(role), 1))
            .await;
        expect(role, NOT_AUDITOR, 201, status, &body, "register");
        let (found, _) = s
            .get(&format!("/api/v1/assets/{name}"), t.of(Role::Admin))
            .await;
        assert_eq!(
            found == 200,
            NOT_AUDITOR.contains(&role),
            "register effect as {role}"
        );

        // Read endpoints every role may use.
        let asset = member_asset(&s, &t, "read", 1).await;
        let id = asset["id"].as_str().unwrap();
        for path in [
            "/api/v1/assets".to_string(),
            format!("/api/v1/assets/{id}"),
            format!("/api/v1/assets/{id}/decisions"),
            "/api/v1/attestations/overdue".into(),
            "/api/v1/reviews".into(),
            format!("/api/v1/people/{}", email(Role::Member)),
            "/api/v1/whoami".into(),
        ] {
            let (status, body) = s.get(&path, tok).await;
            expect(role, EVERYONE, 200, status, &body, &path);
        }
        let (_, me) = s.get("/api/v1/whoami", tok).await;
        assert_eq!(me["role"], role.as_str());
        let (_, one) = s.get(&format!("/api/v1/assets/{id}"), tok).await;
        assert_eq!(one["asset"]["id"], id);

        // Edit the member's asset: admins (any asset) and the member (own asset) only.
        let asset = member_asset(&s, &t, "edit", 1).await;
        let id = asset["id"].as_str().unwrap();
        let (status, body) = s
            .call(
                "PATCH",
                &format!("/api/v1/assets/{id}"),
                Some(tok),
                Some(json!({"purpose": "Changed purpose."})),
            )
            .await;
        expect(
            role,
            &[Role::Admin, Role::Member],
            200,
            status,
            &body,
            "edit",
        );
        let (_, after) = s
            .get(&format!("/api/v1/assets/{id}"), t.of(Role::Admin))
            .await;
        let changed = after["asset"]["purpose"] == "Changed purpose.";
        assert_eq!(
            changed,
            [Role::Admin, Role::Member].contains(&role),
            "edit effect as {role}"
        );

        // Risk override: admins and security reviewers.
        let (status, body) = s
            .post(
                &format!("/api/v1/assets/{id}/risk-override"),
                tok,
                json!({"tier": "critical", "reason": "sends data out"}),
            )
            .await;
        expect(
            role,
            &[Role::Admin, Role::SecurityReviewer],
            200,
            status,
            &body,
            "override",
        );
        let (_, after) = s
            .get(&format!("/api/v1/assets/{id}"), t.of(Role::Admin))
            .await;
        assert_eq!(
            after["asset"]["risk_tier"] == "critical",
            [Role::Admin, Role::SecurityReviewer].contains(&role),
            "override effect as {role}"
        );

        // Attest the member's asset: admins and the owner.
        let asset = member_asset(&s, &t, "attest", 1).await;
        let id = asset["id"].as_str().unwrap();
        let (status, body) = s
            .post(
                &format!("/api/v1/assets/{id}/attestations"),
                tok,
                json!({"choice": "still-active"}),
            )
            .await;
        expect(
            role,
            &[Role::Admin, Role::Member],
            200,
            status,
            &body,
            "attest",
        );
        let (_, after) = s
            .get(&format!("/api/v1/assets/{id}"), t.of(Role::Admin))
            .await;
        assert_eq!(
            after["asset"]["last_attested_at"].is_string(),
            [Role::Admin, Role::Member].contains(&role),
            "attest effect as {role}"
        );

        // Approve a tier-3 review: admins and security reviewers (a business approver cannot
        // fill a security sign-off; members and auditors cannot review).
        let asset = member_asset(&s, &t, "review", 3).await;
        let id = asset["id"].as_str().unwrap();
        let (status, body) = s
            .post(
                &format!("/api/v1/reviews/{id}/actions"),
                tok,
                json!({"action": "approve", "comment": "fine"}),
            )
            .await;
        let reviewers = [Role::Admin, Role::SecurityReviewer];
        if role == Role::Member {
            // The member created it: refused as their own work or as not a reviewer.
            assert_eq!(status, 403, "{body}");
        } else {
            expect(role, &reviewers, 200, status, &body, "review");
        }
        let (_, after) = s
            .get(&format!("/api/v1/assets/{id}"), t.of(Role::Admin))
            .await;
        assert_eq!(
            after["asset"]["approval"] == "approved",
            reviewers.contains(&role),
            "review effect as {role}"
        );

        // Off-board: admins only.
        let leaver = format!("leaver-{}@example.com", role.as_str());
        let owned = s
            .register(
                t.of(Role::Admin),
                draft(&format!("owned-{}", role.as_str()), &leaver, 1),
            )
            .await;
        let (status, body) = s
            .post(
                "/api/v1/people/offboard",
                tok,
                json!({"person": leaver, "successor": "kim@example.com"}),
            )
            .await;
        expect(role, &[Role::Admin], 200, status, &body, "offboard");
        let oid = owned["asset"]["id"].as_str().unwrap();
        let (_, after) = s
            .get(&format!("/api/v1/assets/{oid}"), t.of(Role::Admin))
            .await;
        assert_eq!(
            after["asset"]["owner_email"] == "kim@example.com",
            role == Role::Admin,
            "offboard effect as {role}"
        );

        // Audit: read by admins, security reviewers and auditors; verify by admins and auditors.
        let (status, body) = s.get("/api/v1/audit/events", tok).await;
        expect(role, AUDIT_READERS, 200, status, &body, "audit events");
        if status == 200 {
            assert!(!body["events"].as_array().unwrap().is_empty());
        }
        let (_, events) = s.get("/api/v1/audit/events", t.of(Role::Admin)).await;
        let event_id = events["events"][0]["id"].as_str().unwrap();
        let (status, body) = s
            .get(&format!("/api/v1/audit/events/{event_id}/proof"), tok)
            .await;
        expect(role, AUDIT_READERS, 200, status, &body, "audit proof");
        let (status, body) = s.get("/api/v1/audit/verify", tok).await;
        expect(
            role,
            &[Role::Admin, Role::Auditor],
            200,
            status,
            &body,
            "audit verify",
        );
        if status == 200 {
            assert_eq!(body["ok"], true);
        }

        // Notifications: admins, security reviewers and auditors.
        let (status, body) = s.get("/api/v1/notifications", tok).await;
        expect(role, AUDIT_READERS, 200, status, &body, "notifications");

        // Tokens: admins only. Issue, list, revoke.
        let (status, body) = s
            .post(
                "/api/v1/tokens",
                tok,
                json!({"name": "ci", "email": "ci@example.com", "role": "member"}),
            )
            .await;
        expect(role, &[Role::Admin], 201, status, &body, "issue token");
        if status == 201 {
            let new = body["token"].as_str().unwrap();
            let (status, me) = s.get("/api/v1/whoami", new).await;
            assert_eq!(status, 200);
            assert_eq!(me["email"], "ci@example.com");
        }
        let (status, body) = s.get("/api/v1/tokens", tok).await;
        expect(role, &[Role::Admin], 200, status, &body, "list tokens");
        if status == 200 {
            assert!(
                body.as_array()
                    .unwrap()
                    .iter()
                    .all(|t| t.get("token").is_none())
            );
        }
        let victim = s.token("victim@example.com", Role::Member).await;
        let (_, who) = s.get("/api/v1/tokens", t.of(Role::Admin)).await;
        let victim_id = who
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["email"] == "victim@example.com" && t["revoked_at"].is_null())
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let (status, body) = s
            .call(
                "DELETE",
                &format!("/api/v1/tokens/{victim_id}"),
                Some(tok),
                None,
            )
            .await;
        expect(role, &[Role::Admin], 200, status, &body, "revoke token");
        let (status, _) = s.get("/api/v1/whoami", &victim).await;
        assert_eq!(
            status == 401,
            role == Role::Admin,
            "revoke effect as {role}"
        );
    }
    s.running.shutdown().await;
}

#[tokio::test]
async fn calls_without_a_valid_token_are_refused_and_public_endpoints_answer() {
    let (s, _t) = setup().await;
    for (method, path) in corral_server::app::ROUTES {
        let path = path
            .replace("{asset}", "x")
            .replace("{review}", "x")
            .replace("{email}", "a@example.com")
            .replace("{id}", "00000000-0000-0000-0000-000000000000");
        let public = ["/healthz", "/metrics", "/api/v1/openapi.json"].contains(&path.as_str());
        let body = (*method != "get" && *method != "delete").then(|| json!({}));
        let (status, answer) = s
            .call(&method.to_uppercase(), &path, None, body.clone())
            .await;
        if public {
            assert_eq!(status, 200, "{method} {path}");
        } else {
            assert_eq!(status, 401, "{method} {path}: {answer}");
            assert_eq!(answer["error"]["code"], "unauthenticated");
            let (status, _) = s
                .call(
                    &method.to_uppercase(),
                    &path,
                    Some("corral_not-a-real-token"),
                    body,
                )
                .await;
            assert_eq!(status, 401, "{method} {path} with a bad token");
        }
    }
    s.running.shutdown().await;
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let (s, _t) = setup().await;
    let (status, doc) = s.call("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(status, 200);
    for (method, path) in corral_server::app::ROUTES {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} is missing from the OpenAPI document"
        );
    }
    assert!(doc["components"]["schemas"]["Asset"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    s.running.shutdown().await;
}

//! Single sign-on against a local identity provider: the whole authorization code flow with
//! PKCE, and each way a sign-in must be refused.

mod identity_provider;

use std::collections::BTreeMap;

use corral_model::Role;
use corral_server::oidc::{OidcConfig, OidcError, OidcProvider, PendingLogin};
use identity_provider::{CLIENT_ID, CLIENT_SECRET, IdentityProvider, Mischief, Person};

const REDIRECT: &str = "http://127.0.0.1:9/auth/oidc/callback";

fn provider_for(idp: &IdentityProvider, default_role: &str) -> OidcProvider {
    let config = OidcConfig {
        issuer: idp.issuer.clone(),
        client_id: CLIENT_ID.into(),
        client_secret_env: "TEST_OIDC_SECRET".into(),
        redirect_url: REDIRECT.into(),
        roles: BTreeMap::from([
            ("corral-admins".into(), "admin".into()),
            ("appsec".into(), "security-reviewer".into()),
        ]),
        default_role: default_role.into(),
        ..OidcConfig::default()
    };
    let settings = config
        .settings(|var| (var == "TEST_OIDC_SECRET").then(|| CLIENT_SECRET.to_string()))
        .unwrap()
        .unwrap();
    OidcProvider::new(settings)
}

/// What a browser does: follow the authorization URL to the provider, which sends it back to
/// the callback with a code and the state.
async fn visit_provider(url: &str) -> (String, String) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = http.get(url).send().await.unwrap();
    assert!(response.status().is_redirection(), "{}", response.status());
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(REDIRECT), "{location}");
    let back = reqwest::Url::parse(&location).unwrap();
    let get = |name: &str| {
        back.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.to_string())
            .unwrap()
    };
    (get("code"), get("state"))
}

async fn sign_in(provider: &OidcProvider) -> Result<corral_server::oidc::Identity, OidcError> {
    let (url, pending) = provider.begin("/reviews").await?;
    let (code, state) = visit_provider(&url).await;
    provider.complete(&pending, &code, &state).await
}

#[tokio::test]
async fn a_person_signs_in_with_the_role_their_groups_give() {
    let idp = IdentityProvider::start(Person::new("Rita@Example.com", &["sales", "appsec"])).await;
    let provider = provider_for(&idp, "member");
    let (url, pending) = provider.begin("/reviews").await.unwrap();
    assert!(url.contains("code_challenge_method=S256"), "{url}");
    assert!(url.contains("scope=openid"), "{url}");
    assert!(
        !url.contains(&pending.pkce_verifier),
        "the verifier never leaves the server"
    );
    let (code, state) = visit_provider(&url).await;
    let who = provider.complete(&pending, &code, &state).await.unwrap();
    assert_eq!(who.email, "rita@example.com");
    assert_eq!(who.role, Role::SecurityReviewer);
    assert_eq!(who.groups, vec!["sales", "appsec"]);
    assert_eq!(who.name.as_deref(), Some("Test Person"));
    assert_eq!(pending.return_to, "/reviews");

    idp.sign_in_as(Person::new("sam@example.com", &["sales"]));
    assert_eq!(sign_in(&provider).await.unwrap().role, Role::Member);
}

#[tokio::test]
async fn a_state_from_another_sign_in_is_refused_before_the_code_is_spent() {
    let idp = IdentityProvider::start(Person::new("rita@example.com", &[])).await;
    let provider = provider_for(&idp, "member");
    let (url, pending) = provider.begin("/").await.unwrap();
    let (code, _state) = visit_provider(&url).await;
    let error = provider
        .complete(&pending, &code, "forged-state")
        .await
        .unwrap_err();
    assert!(matches!(error, OidcError::StateMismatch), "{error}");
    assert_eq!(idp.token_requests(), 0);
}

#[tokio::test]
async fn a_code_without_its_pkce_verifier_is_refused_by_the_provider() {
    let idp = IdentityProvider::start(Person::new("rita@example.com", &[])).await;
    let provider = provider_for(&idp, "member");
    let (url, pending) = provider.begin("/").await.unwrap();
    let (code, state) = visit_provider(&url).await;
    let stolen = PendingLogin {
        pkce_verifier: "an-attacker-guess-that-is-long-enough-to-be-a-verifier-0000".into(),
        ..pending
    };
    let error = provider.complete(&stolen, &code, &state).await.unwrap_err();
    assert!(
        matches!(&error, OidcError::Refused(reason) if reason.contains("invalid_grant")),
        "{error}"
    );
}

#[tokio::test]
async fn tokens_signed_by_an_unpublished_key_or_for_someone_else_are_refused() {
    let idp = IdentityProvider::start(Person::new("rita@example.com", &[])).await;
    let provider = provider_for(&idp, "member");
    for mischief in [
        Mischief::UnpublishedKey,
        Mischief::WrongNonce,
        Mischief::WrongAudience,
    ] {
        idp.misbehave(mischief);
        let error = sign_in(&provider).await.unwrap_err();
        assert!(
            matches!(error, OidcError::InvalidToken(_)),
            "{mischief:?}: {error}"
        );
    }
    idp.misbehave(Mischief::None);
    assert!(sign_in(&provider).await.is_ok());
}

#[tokio::test]
async fn rotated_provider_keys_are_fetched_again() {
    let idp = IdentityProvider::start(Person::new("rita@example.com", &[])).await;
    let provider = provider_for(&idp, "member");
    sign_in(&provider).await.unwrap();
    idp.rotate_keys();
    let who = sign_in(&provider).await.unwrap();
    assert_eq!(who.email, "rita@example.com");
}

#[tokio::test]
async fn unverified_missing_or_unmapped_people_are_refused() {
    let idp = IdentityProvider::start(Person::new("rita@example.com", &["sales"])).await;
    let strict = provider_for(&idp, "none");
    let error = sign_in(&strict).await.unwrap_err();
    assert!(
        matches!(&error, OidcError::NoRole { email, groups } if email == "rita@example.com" && groups == "sales"),
        "{error}"
    );

    let mut unverified = Person::new("rita@example.com", &["corral-admins"]);
    unverified.email_verified = false;
    idp.sign_in_as(unverified);
    let error = sign_in(&strict).await.unwrap_err();
    assert!(matches!(error, OidcError::EmailUnverified(_)), "{error}");

    let mut anonymous = Person::new("x@example.com", &["corral-admins"]);
    anonymous.email = None;
    idp.sign_in_as(anonymous);
    let error = sign_in(&strict).await.unwrap_err();
    assert!(matches!(error, OidcError::NoEmail), "{error}");
}

#[tokio::test]
async fn an_unreachable_provider_is_named_in_the_error() {
    let config = OidcConfig {
        issuer: "http://127.0.0.1:9".into(),
        client_id: CLIENT_ID.into(),
        redirect_url: REDIRECT.into(),
        ..OidcConfig::default()
    };
    let provider = OidcProvider::new(config.settings(|_| None).unwrap().unwrap());
    let error = provider.begin("/").await.unwrap_err();
    assert!(
        matches!(&error, OidcError::Discovery { issuer, .. } if issuer == "http://127.0.0.1:9"),
        "{error}"
    );
}

/// The `name=value` pairs a response sets, by name (empty values are removals).
fn set_cookies(response: &reqwest::Response) -> BTreeMap<String, String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn cookie_header(cookies: &BTreeMap<String, String>) -> String {
    cookies
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

async fn console_server(idp: &IdentityProvider) -> (corral_server::Running, tempfile::TempDir) {
    // SAFETY: set once per process, before any server reads it; every test sets the same value.
    unsafe { std::env::set_var("TEST_OIDC_SECRET", CLIENT_SECRET) };
    let dir = tempfile::tempdir().unwrap();
    let running = corral_server::start(corral_server::ServeOptions {
        data_dir: dir.path().to_path_buf(),
        database_url: None,
        server: corral_server::ServerConfig {
            listen: "127.0.0.1:0".into(),
            periodic_check_secs: 3600,
            oidc: OidcConfig {
                issuer: idp.issuer.clone(),
                client_id: CLIENT_ID.into(),
                client_secret_env: "TEST_OIDC_SECRET".into(),
                redirect_url: REDIRECT.into(),
                roles: BTreeMap::from([("appsec".into(), "security-reviewer".into())]),
                default_role: "none".into(),
                display_name: "Acme SSO".into(),
                ..OidcConfig::default()
            },
            ..Default::default()
        },
        policy: corral_model::PolicyConfig::default(),
        notify: corral_server::NotifyConfig::default(),
        runner: None,
    })
    .await
    .expect("server starts");
    (running, dir)
}

/// Drives the console's single sign-on as a browser would, and returns the final response
/// of the callback with the cookies the browser holds.
async fn console_sign_in(
    running: &corral_server::Running,
) -> (reqwest::Response, BTreeMap<String, String>) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let sign_in = http
        .get(format!("{}/sign-in", running.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(sign_in.contains("Sign in with Acme SSO"), "{sign_in}");

    let start = http
        .get(format!("{}/auth/oidc/start?next=/reviews", running.url))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), 303);
    let mut cookies = set_cookies(&start);
    let provider_url = start.headers()["location"].to_str().unwrap().to_string();
    let (code, state) = visit_provider(&provider_url).await;
    let callback = http
        .get(format!("{}/auth/oidc/callback", running.url))
        .query(&[("code", code.as_str()), ("state", state.as_str())])
        .header("cookie", cookie_header(&cookies))
        .send()
        .await
        .unwrap();
    cookies.extend(set_cookies(&callback));
    (callback, cookies)
}

#[tokio::test]
async fn the_console_signs_people_in_through_the_provider() {
    let idp = IdentityProvider::start(Person::new("rita@example.com", &["appsec"])).await;
    let (running, _dir) = console_server(&idp).await;
    let (callback, cookies) = console_sign_in(&running).await;
    assert_eq!(callback.status(), 303);
    assert_eq!(callback.headers()["location"], "/reviews");
    assert_eq!(
        cookies
            .get(corral_server::oidc::pending_cookie::COOKIE)
            .map(String::as_str),
        Some(""),
        "the pending sign-in is removed once used"
    );
    let reviews = reqwest::Client::new()
        .get(format!("{}/reviews", running.url))
        .header("cookie", cookie_header(&cookies))
        .send()
        .await
        .unwrap();
    assert_eq!(reviews.status(), 200);
    let page = reviews.text().await.unwrap();
    assert!(
        page.contains("rita@example.com"),
        "signed in as the provider's person"
    );

    let log = running
        .state
        .store
        .audit_records_for("rita@example.com", 10)
        .await
        .unwrap();
    let signed_in = log
        .iter()
        .find(|r| r.event.action == "console.signed-in")
        .expect("the sign-in is audited");
    assert_eq!(signed_in.event.actor, "rita@example.com");
    assert_eq!(signed_in.event.data["role"], "security-reviewer");
    assert!(
        signed_in.event.data["method"]
            .as_str()
            .unwrap()
            .starts_with("oidc:"),
        "{}",
        signed_in.event.data
    );
    running.shutdown().await;
}

#[tokio::test]
async fn the_console_refuses_unmapped_people_and_disabled_accounts() {
    let idp = IdentityProvider::start(Person::new("sam@example.com", &["sales"])).await;
    let (running, _dir) = console_server(&idp).await;
    let (callback, cookies) = console_sign_in(&running).await;
    assert_eq!(callback.status(), 403);
    let page = callback.text().await.unwrap();
    assert!(page.contains("in no group that has access"), "{page}");
    assert!(!cookies.keys().any(|k| k.contains("corral_session")));

    // An administrator disabled Rita's console account: the provider cannot override that.
    idp.sign_in_as(Person::new("rita@example.com", &["appsec"]));
    corral_server::accounts::create_account(
        &running.state.store,
        "admin@example.com",
        "rita@example.com",
        corral_model::Role::SecurityReviewer,
        "a long enough password 123",
    )
    .await
    .unwrap();
    corral_server::accounts::set_enabled(
        &running.state.store,
        "admin@example.com",
        "rita@example.com",
        false,
    )
    .await
    .unwrap();
    let (callback, cookies) = console_sign_in(&running).await;
    assert_eq!(callback.status(), 403);
    assert!(callback.text().await.unwrap().contains("disabled"));
    assert!(!cookies.keys().any(|k| k.contains("corral_session")));
    running.shutdown().await;
}

#[tokio::test]
async fn a_callback_without_its_pending_cookie_is_refused() {
    let idp = IdentityProvider::start(Person::new("rita@example.com", &["appsec"])).await;
    let (running, _dir) = console_server(&idp).await;
    let response = reqwest::Client::new()
        .get(format!(
            "{}/auth/oidc/callback?code=code-1&state=whatever",
            running.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("Start again"));
    assert_eq!(idp.token_requests(), 0);
    running.shutdown().await;
}

//! A small OpenID Connect identity provider on 127.0.0.1:0, for the single sign-on tests.
//!
//! It serves discovery, a key set, an authorization endpoint that signs in whoever the test
//! chose (no login page) and redirects back with a code, and a token endpoint that checks the
//! client's secret and the PKCE verifier before it returns an RS256-signed ID token. Knobs let a
//! test sign with a key the provider does not publish, rotate keys, or send a wrong nonce.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use openidconnect::core::{
    CoreGenderClaim, CoreJsonWebKeySet, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreRsaPrivateSigningKey,
};
use openidconnect::{
    AccessToken, AdditionalClaims, Audience, EndUserEmail, EndUserName, IdTokenClaims, IssuerUrl,
    JsonWebKeyId, LocalizedClaim, Nonce, PrivateSigningKey, StandardClaims, SubjectIdentifier,
};
use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

pub const CLIENT_ID: &str = "corral-test";
pub const CLIENT_SECRET: &str = "test-client-secret";

/// Who the provider signs in next, and how it misbehaves.
#[derive(Debug, Clone)]
pub struct Person {
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: String,
    pub groups: Vec<String>,
}

impl Person {
    pub fn new(email: &str, groups: &[&str]) -> Self {
        Self {
            subject: format!("sub-{email}"),
            email: Some(email.into()),
            email_verified: true,
            name: "Test Person".into(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mischief {
    #[default]
    None,
    /// Sign ID tokens with a key the key set does not contain.
    UnpublishedKey,
    /// Put a nonce in the ID token other than the one asked for.
    WrongNonce,
    /// Name another client as the token's audience.
    WrongAudience,
}

struct Grant {
    nonce: String,
    challenge: String,
    redirect_uri: String,
    person: Person,
}

struct Inner {
    issuer: String,
    keys: Vec<(String, CoreRsaPrivateSigningKey)>,
    rogue: CoreRsaPrivateSigningKey,
    person: Person,
    mischief: Mischief,
    grants: HashMap<String, Grant>,
    next_code: u64,
    token_requests: u64,
}

/// The running provider.
#[derive(Clone)]
pub struct IdentityProvider {
    pub issuer: String,
    inner: Arc<Mutex<Inner>>,
}

fn new_key(kid: &str) -> CoreRsaPrivateSigningKey {
    let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).expect("RSA key generation");
    let pem = key.to_pkcs1_pem(LineEnding::LF).expect("PEM encoding");
    CoreRsaPrivateSigningKey::from_pem(&pem, Some(JsonWebKeyId::new(kid.into())))
        .expect("the key just made parses")
}

impl IdentityProvider {
    pub async fn start(person: Person) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let inner = Arc::new(Mutex::new(Inner {
            issuer: issuer.clone(),
            keys: vec![("key-1".into(), new_key("key-1"))],
            rogue: new_key("key-1"),
            person,
            mischief: Mischief::None,
            grants: HashMap::new(),
            next_code: 0,
            token_requests: 0,
        }));
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(inner.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { issuer, inner }
    }

    pub fn sign_in_as(&self, person: Person) {
        self.inner.lock().unwrap().person = person;
    }

    pub fn misbehave(&self, mischief: Mischief) {
        self.inner.lock().unwrap().mischief = mischief;
    }

    /// Replaces the signing key with a new one, published under a new key id.
    pub fn rotate_keys(&self) {
        let mut inner = self.inner.lock().unwrap();
        let kid = format!("key-{}", inner.keys.len() + 1);
        inner.keys = vec![(kid.clone(), new_key(&kid))];
    }

    pub fn token_requests(&self) -> u64 {
        self.inner.lock().unwrap().token_requests
    }
}

async fn discovery(State(inner): State<Arc<Mutex<Inner>>>) -> Json<serde_json::Value> {
    let issuer = inner.lock().unwrap().issuer.clone();
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "scopes_supported": ["openid", "email", "profile"],
    }))
}

async fn jwks(State(inner): State<Arc<Mutex<Inner>>>) -> Json<CoreJsonWebKeySet> {
    let inner = inner.lock().unwrap();
    Json(CoreJsonWebKeySet::new(
        inner
            .keys
            .iter()
            .map(|(_, key)| key.as_verification_key())
            .collect(),
    ))
}

#[derive(Deserialize)]
struct AuthorizeQuery {
    response_type: String,
    client_id: String,
    redirect_uri: String,
    state: String,
    nonce: String,
    code_challenge: String,
    code_challenge_method: String,
}

async fn authorize(
    State(inner): State<Arc<Mutex<Inner>>>,
    Query(q): Query<AuthorizeQuery>,
) -> Response {
    if q.response_type != "code" || q.client_id != CLIENT_ID || q.code_challenge_method != "S256" {
        return (StatusCode::BAD_REQUEST, "bad authorization request").into_response();
    }
    let mut inner = inner.lock().unwrap();
    inner.next_code += 1;
    let code = format!("code-{}", inner.next_code);
    let person = inner.person.clone();
    inner.grants.insert(
        code.clone(),
        Grant {
            nonce: q.nonce,
            challenge: q.code_challenge,
            redirect_uri: q.redirect_uri.clone(),
            person,
        },
    );
    let mut target = reqwest::Url::parse(&q.redirect_uri).unwrap();
    target
        .query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", &q.state);
    Redirect::to(target.as_str()).into_response()
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: String,
    code: String,
    redirect_uri: String,
    code_verifier: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Groups {
    groups: Vec<String>,
}
impl AdditionalClaims for Groups {}

type GroupsIdToken = openidconnect::IdToken<
    Groups,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

fn oauth_error(error: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))).into_response()
}

async fn token(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let Ok(form) = serde_urlencoded::from_str::<TokenForm>(&body) else {
        return oauth_error("invalid_request");
    };
    let mut inner = inner.lock().unwrap();
    inner.token_requests += 1;
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    if headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        != Some(&expected)
    {
        return oauth_error("invalid_client");
    }
    let Some(grant) = inner.grants.remove(&form.code) else {
        return oauth_error("invalid_grant");
    };
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(form.code_verifier.as_bytes()));
    if form.grant_type != "authorization_code"
        || form.redirect_uri != grant.redirect_uri
        || challenge != grant.challenge
    {
        return oauth_error("invalid_grant");
    }
    let access = AccessToken::new(format!("access-{}", form.code));
    let person = &grant.person;
    let now = chrono::Utc::now();
    let mut standard =
        StandardClaims::<CoreGenderClaim>::new(SubjectIdentifier::new(person.subject.clone()))
            .set_name(Some(LocalizedClaim::from(EndUserName::new(
                person.name.clone(),
            ))));
    if let Some(email) = &person.email {
        standard = standard
            .set_email(Some(EndUserEmail::new(email.clone())))
            .set_email_verified(Some(person.email_verified));
    }
    let audience = match inner.mischief {
        Mischief::WrongAudience => "another-client".to_string(),
        _ => CLIENT_ID.to_string(),
    };
    let nonce = match inner.mischief {
        Mischief::WrongNonce => "not-the-nonce".to_string(),
        _ => grant.nonce.clone(),
    };
    let claims = IdTokenClaims::new(
        IssuerUrl::new(inner.issuer.clone()).unwrap(),
        vec![Audience::new(audience)],
        now + chrono::Duration::minutes(5),
        now,
        standard,
        Groups {
            groups: person.groups.clone(),
        },
    )
    .set_nonce(Some(Nonce::new(nonce)));
    let key = match inner.mischief {
        Mischief::UnpublishedKey => &inner.rogue,
        _ => &inner.keys[0].1,
    };
    let id_token = GroupsIdToken::new(
        claims,
        key,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        Some(&access),
        None,
    );
    match id_token {
        Ok(token) => Json(json!({
            "access_token": access.secret(),
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": token.to_string(),
        }))
        .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

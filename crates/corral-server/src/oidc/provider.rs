//! Talking to the identity provider: discovery, the authorization request with PKCE, and the
//! code exchange that ends in a verified identity.
//!
//! The flow is OpenID Connect's authorization code flow with PKCE (S256). [`OidcProvider::begin`]
//! builds the URL the browser is sent to and a [`PendingLogin`] (state, nonce, PKCE verifier)
//! that the caller keeps until the provider sends the browser back. [`OidcProvider::complete`]
//! checks the returned `state` against it, exchanges the code (with the verifier and, for a
//! confidential client, the client secret), verifies the ID token's signature against the
//! provider's published keys, its issuer, audience, expiry and nonce, and the access-token hash
//! when the token carries one, then maps the person's groups to a Corral role.
//!
//! The provider's metadata and keys are fetched on first use and kept for an hour; when an ID
//! token is signed by a key not in the cached set (the provider rotated its keys), they are
//! fetched again once before the token is refused.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use corral_model::Role;
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AsyncHttpClient, AuthorizationCode, ClaimsVerificationError,
    Client, ClientId, ClientSecret, CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, SignatureVerificationError,
    StandardErrorResponse, StandardTokenResponse, TokenResponse,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

use super::config::OidcSettings;

/// How long discovered metadata and keys are reused.
const METADATA_TTL: Duration = Duration::from_secs(3600);
/// How long a provider may take to answer one request.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Every claim of the ID token beyond the standard ones, so the configured groups claim can be
/// read whatever its name.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OtherClaims {
    #[serde(flatten)]
    pub all: BTreeMap<String, serde_json::Value>,
}

impl AdditionalClaims for OtherClaims {}

type IdFields = IdTokenFields<
    OtherClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Tokens = StandardTokenResponse<IdFields, CoreTokenType>;
type ProviderClient = Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Why a sign-in through the provider failed. The messages are for the person signing in
/// and the log; none of them contains a token, code or secret.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error(
        "the identity provider at {issuer} could not be reached or described itself wrongly: {reason}"
    )]
    Discovery { issuer: String, reason: String },
    #[error(
        "the sign-in came back with a state that does not match this browser's sign-in; start again"
    )]
    StateMismatch,
    #[error("the identity provider refused the sign-in: {0}")]
    Refused(String),
    #[error("the identity provider's answer could not be used: {0}")]
    Exchange(String),
    #[error("the identity provider sent no ID token")]
    NoIdToken,
    #[error("the ID token is not valid: {0}")]
    InvalidToken(String),
    #[error("the ID token is signed by a key the identity provider does not publish")]
    UnknownSigningKey,
    #[error(
        "the identity provider did not say who you are by e-mail (the `email` claim is missing)"
    )]
    NoEmail,
    #[error("the identity provider says the e-mail address {0} is not verified")]
    EmailUnverified(String),
    #[error("{email} is in no group that has access to Corral (groups: {groups})")]
    NoRole { email: String, groups: String },
}

/// What the browser must bring back: kept by the caller (in a short-lived cookie) between
/// [`OidcProvider::begin`] and [`OidcProvider::complete`].
#[derive(Clone, Serialize, Deserialize)]
pub struct PendingLogin {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// The console page to return to after signing in (a local path).
    pub return_to: String,
}

impl std::fmt::Debug for PendingLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingLogin")
            .field("return_to", &self.return_to)
            .finish_non_exhaustive()
    }
}

/// A person the provider vouched for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The provider's stable identifier for the person (`sub`).
    pub subject: String,
    pub email: String,
    pub name: Option<String>,
    pub groups: Vec<String>,
    pub role: Role,
}

struct Discovered {
    client: ProviderClient,
    fetched: Instant,
}

/// One configured identity provider.
pub struct OidcProvider {
    settings: OidcSettings,
    http: ProviderHttp,
    discovered: Mutex<Option<Discovered>>,
}

impl OidcProvider {
    pub fn new(settings: OidcSettings) -> Self {
        let http = reqwest::Client::builder()
            // Following redirects from the token endpoint would let a provider steer requests
            // elsewhere; OpenID Connect needs none.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(REQUEST_TIMEOUT)
            .build()
            .expect("a client with a timeout and no redirects always builds");
        Self {
            settings,
            http: ProviderHttp(http),
            discovered: Mutex::new(None),
        }
    }

    pub fn settings(&self) -> &OidcSettings {
        &self.settings
    }

    /// The URL to send the browser to, and what it must bring back.
    pub async fn begin(&self, return_to: &str) -> Result<(String, PendingLogin), OidcError> {
        let client = self.client(false).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in self.settings.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        Ok((
            url.to_string(),
            PendingLogin {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
                return_to: return_to.to_string(),
            },
        ))
    }

    /// Finishes a sign-in from the callback's `code` and `state`.
    pub async fn complete(
        &self,
        pending: &PendingLogin,
        code: &str,
        state: &str,
    ) -> Result<Identity, OidcError> {
        // Compared as digests so the comparison takes the same time wherever they differ.
        if Sha256::digest(state.as_bytes()) != Sha256::digest(pending.state.as_bytes()) {
            return Err(OidcError::StateMismatch);
        }
        let client = self.client(false).await?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| OidcError::Exchange(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(describe_token_error)?;
        match self.verify(&client, &tokens, pending) {
            Err(OidcError::UnknownSigningKey) => {
                // Perhaps the provider rotated its signing keys since they were fetched.
                let fresh = self.client(true).await?;
                self.verify(&fresh, &tokens, pending)
            }
            other => other,
        }
    }

    fn verify(
        &self,
        client: &ProviderClient,
        tokens: &Tokens,
        pending: &PendingLogin,
    ) -> Result<Identity, OidcError> {
        let id_token = tokens.id_token().ok_or(OidcError::NoIdToken)?;
        let verifier = client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &Nonce::new(pending.nonce.clone()))
            .map_err(|e| match e {
                ClaimsVerificationError::SignatureVerification(
                    SignatureVerificationError::NoMatchingKey,
                ) => OidcError::UnknownSigningKey,
                other => OidcError::InvalidToken(error_chain(&other)),
            })?;
        if let Some(expected) = claims.access_token_hash() {
            let alg = id_token
                .signing_alg()
                .map_err(|e| OidcError::InvalidToken(e.to_string()))?;
            let key = id_token
                .signing_key(&verifier)
                .map_err(|e| OidcError::InvalidToken(e.to_string()))?;
            let actual = AccessTokenHash::from_token(tokens.access_token(), alg, key)
                .map_err(|e| OidcError::InvalidToken(e.to_string()))?;
            if actual != *expected {
                return Err(OidcError::InvalidToken(
                    "the access token does not match the ID token's at_hash".into(),
                ));
            }
        }
        let email = claims
            .email()
            .map(|e| e.as_str().trim().to_ascii_lowercase())
            .filter(|e| !e.is_empty())
            .ok_or(OidcError::NoEmail)?;
        if claims.email_verified() == Some(false) {
            return Err(OidcError::EmailUnverified(email));
        }
        let groups = groups_in(claims.additional_claims(), &self.settings.groups_claim);
        let role = self
            .settings
            .role_for(&groups)
            .ok_or_else(|| OidcError::NoRole {
                email: email.clone(),
                groups: if groups.is_empty() {
                    "none".into()
                } else {
                    groups.join(", ")
                },
            })?;
        let name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_string());
        Ok(Identity {
            subject: claims.subject().as_str().to_string(),
            email,
            name,
            groups,
            role,
        })
    }

    /// The client built from the provider's metadata, fetched when missing, stale or `refresh`.
    async fn client(&self, refresh: bool) -> Result<ProviderClient, OidcError> {
        let mut cached = self.discovered.lock().await;
        if let Some(found) = cached.as_ref()
            && !refresh
            && found.fetched.elapsed() < METADATA_TTL
        {
            return Ok(found.client.clone());
        }
        let discovery_error = |reason: String| OidcError::Discovery {
            issuer: self.settings.issuer.clone(),
            reason,
        };
        let issuer = IssuerUrl::new(self.settings.issuer.clone())
            .map_err(|e| discovery_error(e.to_string()))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| discovery_error(error_chain(&e)))?;
        let redirect = RedirectUrl::new(self.settings.redirect_url.clone())
            .map_err(|e| discovery_error(e.to_string()))?;
        // Discovery yields CoreProviderMetadata; the client reads this provider's extra claims.
        let client = ProviderClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            self.settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(redirect);
        *cached = Some(Discovered {
            client: client.clone(),
            fetched: Instant::now(),
        });
        Ok(client)
    }
}

/// The person's groups from the configured claim: a list of strings or a single string.
fn groups_in(claims: &OtherClaims, name: &str) -> Vec<String> {
    match claims.all.get(name) {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(serde_json::Value::String(one)) => vec![one.clone()],
        _ => Vec::new(),
    }
}

/// The HTTP client openidconnect sends its requests through: the server's reqwest, as a
/// named type so the futures it returns are `Send` for every borrow (a closure's are not).
struct ProviderHttp(reqwest::Client);

impl<'c> AsyncHttpClient<'c> for ProviderHttp {
    type Error = reqwest::Error;
    type Future = Pin<
        Box<dyn Future<Output = Result<openidconnect::HttpResponse, reqwest::Error>> + Send + 'c>,
    >;

    fn call(&'c self, request: openidconnect::HttpRequest) -> Self::Future {
        Box::pin(send(&self.0, request))
    }
}

/// Sends one request to the provider with reqwest.
async fn send(
    http: &reqwest::Client,
    request: openidconnect::HttpRequest,
) -> Result<openidconnect::HttpResponse, reqwest::Error> {
    let (parts, body) = request.into_parts();
    let response = http
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await?;
    let mut builder = http::Response::builder().status(response.status());
    for (name, value) in response.headers() {
        builder = builder.header(name, value);
    }
    let body = response.bytes().await?.to_vec();
    Ok(builder
        .body(body)
        .expect("a status and headers taken from a response always build"))
}

fn describe_token_error<E: std::error::Error + 'static>(
    error: openidconnect::RequestTokenError<E, StandardErrorResponse<CoreErrorResponseType>>,
) -> OidcError {
    match error {
        openidconnect::RequestTokenError::ServerResponse(response) => {
            OidcError::Refused(match response.error_description() {
                Some(description) => format!("{} ({description})", response.error()),
                None => response.error().to_string(),
            })
        }
        other => OidcError::Exchange(error_chain(&other)),
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_come_from_a_list_or_a_single_string() {
        let claims: OtherClaims =
            serde_json::from_value(serde_json::json!({"groups": ["a", "b", 3], "team": "x"}))
                .unwrap();
        assert_eq!(groups_in(&claims, "groups"), vec!["a", "b"]);
        assert_eq!(groups_in(&claims, "team"), vec!["x"]);
        assert!(groups_in(&claims, "roles").is_empty());
    }

    #[test]
    fn a_pending_login_never_prints_its_secrets() {
        let pending = PendingLogin {
            state: "state-secret".into(),
            nonce: "nonce-secret".into(),
            pkce_verifier: "verifier-secret".into(),
            return_to: "/assets".into(),
        };
        let shown = format!("{pending:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("/assets"));
    }
}

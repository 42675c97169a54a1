//! A typed client for Corral's `/api/v1` API, used by the command line.
//!
//! One method per endpoint, each returning the same wire type the server serialises. An error
//! answer is decoded into [`ClientError::Api`] with the server's code, message and field list,
//! so the command line can show the server's own explanation instead of a status number.

use std::time::Duration;

use corral_model::asset::AssetDraft;
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::wire::*;

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server answered with an error body.
    #[error("{}", .detail.message)]
    Api {
        status: u16,
        detail: Box<ErrorDetail>,
    },
    /// The server could not be reached or the connection broke.
    #[error("cannot reach the Corral server at {url}: {source}")]
    Transport {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    /// The server answered something this client does not understand.
    #[error("unexpected answer from {url} (HTTP {status}): {message}")]
    Unexpected {
        url: String,
        status: u16,
        message: String,
    },
    /// The server URL is not usable.
    #[error("invalid server URL `{0}`: expected something like http://127.0.0.1:8790")]
    BadUrl(String),
}

impl ClientError {
    /// The server's error detail, when the server answered with one.
    pub fn detail(&self) -> Option<&ErrorDetail> {
        match self {
            ClientError::Api { detail, .. } => Some(detail),
            _ => None,
        }
    }
}

/// A connection to one Corral server with one token.
#[derive(Debug, Clone)]
pub struct Client {
    base: String,
    token: Option<String>,
    http: reqwest::Client,
}

impl Client {
    /// A client for the server at `base` (e.g. `http://127.0.0.1:8790`), authenticating with
    /// `token` when given.
    pub fn new(base: &str, token: Option<String>) -> Result<Self, ClientError> {
        let base = base.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://"))
            || base.len() <= "https://".len()
        {
            return Err(ClientError::BadUrl(base));
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("corral/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|source| ClientError::Transport {
                url: base.clone(),
                source,
            })?;
        Ok(Self { base, token, http })
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: Option<&(dyn ErasedQuery + Sync)>,
        body: Option<&B>,
    ) -> Result<T, ClientError> {
        let url = format!("{}{}", self.base, path);
        let mut request = self.http.request(method, &url);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(query) = query {
            request = request.query(&query.pairs());
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        self.finish(request, url).await
    }

    /// Sends `request` (to `url`) and reads the answer as JSON, or the server's error.
    async fn finish<T: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
        url: String,
    ) -> Result<T, ClientError> {
        let response = request
            .send()
            .await
            .map_err(|source| ClientError::Transport {
                url: url.clone(),
                source,
            })?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|source| ClientError::Transport {
                url: url.clone(),
                source,
            })?;
        if status.is_success() {
            let text: &[u8] = if bytes.is_empty() { b"null" } else { &bytes };
            return serde_json::from_slice(text).map_err(|e| ClientError::Unexpected {
                url,
                status: status.as_u16(),
                message: e.to_string(),
            });
        }
        match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(body) => Err(ClientError::Api {
                status: status.as_u16(),
                detail: Box::new(body.error),
            }),
            Err(_) => Err(ClientError::Unexpected {
                url,
                status: status.as_u16(),
                message: describe_status(status, &bytes),
            }),
        }
    }

    /// Any endpoint, for resources whose types live outside this crate (the runner's jobs
    /// and runs): `method` on `path` with an optional JSON `body`, answer as JSON.
    pub async fn send_json<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, ClientError> {
        self.call::<B, T>(method, path, None, body).await
    }

    /// Any endpoint with a raw body (an archive upload): `method` on `path` with `body` of
    /// `content_type`, answer as JSON.
    pub async fn send_bytes<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<T, ClientError> {
        let url = format!("{}{}", self.base, path);
        let mut request = self
            .http
            .request(method, &url)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        self.finish(request, url).await
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        self.call::<(), T>(Method::GET, path, None, None).await
    }

    pub async fn health(&self) -> Result<Health, ClientError> {
        self.get("/healthz").await
    }

    pub async fn whoami(&self) -> Result<WhoAmI, ClientError> {
        self.get("/api/v1/whoami").await
    }

    pub async fn register(&self, draft: &AssetDraft) -> Result<AssetOutcome, ClientError> {
        self.call(Method::POST, "/api/v1/assets", None, Some(draft))
            .await
    }

    pub async fn list_assets(&self, query: &AssetQuery) -> Result<AssetPage, ClientError> {
        self.call::<(), _>(Method::GET, "/api/v1/assets", Some(query), None)
            .await
    }

    /// `asset` is an id or a name.
    pub async fn asset(&self, asset: &str) -> Result<AssetDetail, ClientError> {
        self.get(&format!("/api/v1/assets/{}", segment(asset)))
            .await
    }

    pub async fn edit_asset(
        &self,
        asset: &str,
        patch: &AssetPatch,
    ) -> Result<AssetOutcome, ClientError> {
        self.call(
            Method::PATCH,
            &format!("/api/v1/assets/{}", segment(asset)),
            None,
            Some(patch),
        )
        .await
    }

    pub async fn override_risk(
        &self,
        asset: &str,
        request: &RiskOverrideRequest,
    ) -> Result<AssetOutcome, ClientError> {
        self.call(
            Method::POST,
            &format!("/api/v1/assets/{}/risk-override", segment(asset)),
            None,
            Some(request),
        )
        .await
    }

    pub async fn attest(
        &self,
        asset: &str,
        request: &AttestRequest,
    ) -> Result<AssetOutcome, ClientError> {
        self.call(
            Method::POST,
            &format!("/api/v1/assets/{}/attestations", segment(asset)),
            None,
            Some(request),
        )
        .await
    }

    pub async fn overdue_attestations(&self) -> Result<Vec<AttestationDue>, ClientError> {
        self.get("/api/v1/attestations/overdue").await
    }

    pub async fn reviews(&self, filter: ReviewFilter) -> Result<Vec<ReviewView>, ClientError> {
        let query = ReviewQuery {
            state: Some(filter),
        };
        self.call::<(), _>(Method::GET, "/api/v1/reviews", Some(&query), None)
            .await
    }

    /// `review` is a review id, or an asset id or name (its open review).
    pub async fn act_on_review(
        &self,
        review: &str,
        request: &ReviewActionRequest,
    ) -> Result<ReviewActionOutcome, ClientError> {
        self.call(
            Method::POST,
            &format!("/api/v1/reviews/{}/actions", segment(review)),
            None,
            Some(request),
        )
        .await
    }

    pub async fn person(&self, email: &str) -> Result<PersonAssets, ClientError> {
        self.get(&format!("/api/v1/people/{}", segment(email)))
            .await
    }

    pub async fn offboard(
        &self,
        request: &OffboardRequest,
    ) -> Result<OffboardOutcome, ClientError> {
        self.call(Method::POST, "/api/v1/people/offboard", None, Some(request))
            .await
    }

    pub async fn issue_token(&self, request: &TokenRequest) -> Result<IssuedToken, ClientError> {
        self.call(Method::POST, "/api/v1/tokens", None, Some(request))
            .await
    }

    pub async fn tokens(&self) -> Result<Vec<TokenInfo>, ClientError> {
        self.get("/api/v1/tokens").await
    }

    pub async fn revoke_token(&self, id: Uuid) -> Result<TokenInfo, ClientError> {
        self.call::<(), _>(Method::DELETE, &format!("/api/v1/tokens/{id}"), None, None)
            .await
    }

    pub async fn notification_status(&self) -> Result<NotificationStatus, ClientError> {
        self.get("/api/v1/notifications").await
    }

    pub async fn audit_events(&self, query: &AuditQuery) -> Result<AuditPage, ClientError> {
        self.call::<(), _>(Method::GET, "/api/v1/audit/events", Some(query), None)
            .await
    }

    /// The inclusion proof of one audit event, as the self-contained proof document.
    pub async fn audit_proof(&self, event_id: Uuid) -> Result<serde_json::Value, ClientError> {
        self.get(&format!("/api/v1/audit/events/{event_id}/proof"))
            .await
    }

    pub async fn audit_verify(&self) -> Result<AuditVerification, ClientError> {
        self.get("/api/v1/audit/verify").await
    }

    /// Uploads a scan report for `asset` (an id or a name); `partial` for a report that
    /// covers only part of the asset (staged files, history).
    pub async fn upload_scan(
        &self,
        asset: &str,
        report: &corral_model::Report,
        partial: bool,
    ) -> Result<ScanUploadOutcome, ClientError> {
        let query = ScanUploadQuery {
            partial: partial.then_some(true),
        };
        self.call(
            Method::POST,
            &format!("/api/v1/assets/{}/scans", segment(asset)),
            Some(&query),
            Some(report),
        )
        .await
    }
}

/// A query string from any serialisable struct, without a dependency on a URL-encoding crate:
/// the struct is turned into JSON and its scalar fields into `key=value` pairs.
trait ErasedQuery {
    fn pairs(&self) -> Vec<(String, String)>;
}

impl<T: Serialize> ErasedQuery for T {
    fn pairs(&self) -> Vec<(String, String)> {
        let Ok(serde_json::Value::Object(map)) = serde_json::to_value(self) else {
            return Vec::new();
        };
        map.into_iter()
            .filter_map(|(k, v)| match v {
                serde_json::Value::Null => None,
                serde_json::Value::String(s) => Some((k, s)),
                other => Some((k, other.to_string())),
            })
            .collect()
    }
}

/// Percent-encodes one path segment (names, e-mails, ids).
fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@' | b'+') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn describe_status(status: StatusCode, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        status
            .canonical_reason()
            .unwrap_or("no explanation")
            .to_string()
    } else {
        text.chars().take(200).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_escape_slashes_and_spaces_but_keep_emails_readable() {
        assert_eq!(segment("ana@example.com"), "ana@example.com");
        assert_eq!(segment("a/b c"), "a%2Fb%20c");
    }

    #[test]
    fn query_pairs_skip_absent_filters_and_render_tiers_as_numbers() {
        let q = AssetQuery {
            tier: Some(corral_model::DataTier::Confidential),
            q: Some("lead".into()),
            ..Default::default()
        };
        let mut pairs = q.pairs();
        pairs.sort();
        assert_eq!(
            pairs,
            [("q".into(), "lead".into()), ("tier".into(), "3".into())]
        );
    }

    #[test]
    fn a_server_url_needs_a_scheme() {
        assert!(matches!(
            Client::new("127.0.0.1:8790", None),
            Err(ClientError::BadUrl(_))
        ));
        assert!(Client::new("http://127.0.0.1:8790/", None).is_ok());
    }
}

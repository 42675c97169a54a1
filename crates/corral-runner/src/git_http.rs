//! Git over HTTP(S) for job sources: gix speaks the smart-HTTP protocol, this module only
//! sends its requests.
//!
//! gix asks an HTTP backend for two things (the `Http` trait of gix-transport): a GET of the
//! ref advertisement and POSTs carrying the negotiation. The backends gix ships bring either
//! libcurl or another major version of reqwest; [`HttpBackend`] uses the blocking client of
//! the reqwest the workspace already builds, with rustls.
//!
//! - **Credentials.** The job's token (a secret named by `source.token_secret`) goes into an
//!   `Authorization` header on every request: HTTP Basic with `source.username` when the job
//!   gives one (what most git hosts want, with a user name such as `oauth2` or the account
//!   name), a Bearer token otherwise. The header is marked sensitive, and no message built
//!   here contains it. gix's own credential helpers are never asked.
//! - **Refusals.** A 401 or 403 is remembered ([`HttpBackend::refusal`]) so the caller can
//!   say plainly that the server refused the credentials (or wants some), and does not fall
//!   back to an older copy of the repository fetched with someone else's token.
//! - **Redirects** are not followed: the request would carry the token to wherever the
//!   server points. A 3xx answer fails the fetch naming the new location.
//! - **Plain `http://`** is accepted only for a server on this machine
//!   ([`plain_http_problem`]): anywhere else the repository and the token would cross the
//!   network unencrypted.
//! - **Stalls.** A connection is given 30 seconds to open, and every read or write two
//!   minutes; a large first fetch may take longer as a whole.
//!
//! A POST's body is collected in memory and sent when gix first reads the answer: a fetch
//! only posts `want` and `have` lines, a few kilobytes even for a large repository.

use std::io::{BufRead, BufReader, Cursor, Read, Write};
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use corral_secretbox::SecretValue;
use gix_transport::client::blocking_io::http::{GetResponse, Http, PostBodyDataKind, PostResponse};
use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, LOCATION};
use sha2::{Digest, Sha256};

/// Credentials for a git repository over HTTP(S), resolved just before a fetch.
#[derive(Clone)]
pub struct HttpCredentials {
    /// The name of the secret the token came from, for messages.
    pub secret: String,
    /// The user name for HTTP Basic; without one the token is sent as a Bearer token.
    pub username: Option<String>,
    pub token: SecretValue,
}

impl std::fmt::Debug for HttpCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpCredentials")
            .field("secret", &self.secret)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl HttpCredentials {
    /// The `Authorization` header's value, marked sensitive.
    fn header(&self) -> Result<HeaderValue, String> {
        let value = match &self.username {
            Some(user) => format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD
                    .encode(format!("{user}:{}", self.token.expose_secret()))
            ),
            None => format!("Bearer {}", self.token.expose_secret()),
        };
        let mut header = HeaderValue::from_str(&value).map_err(|_| {
            format!(
                "secret `{}` cannot be sent in an HTTP header (it holds a line break or another \
                 control character); store the token alone",
                self.secret
            )
        })?;
        header.set_sensitive(true);
        Ok(header)
    }

    /// A digest standing for these credentials, so that repositories fetched with different
    /// tokens never share a mirror.
    pub fn fingerprint(&self) -> String {
        let mut digest = Sha256::new();
        digest.update(b"corral git credentials\0");
        digest.update(self.username.as_deref().unwrap_or("").as_bytes());
        digest.update(b"\0");
        digest.update(self.token.expose_secret().as_bytes());
        hex::encode(digest.finalize())
    }
}

/// Why `url` may not be fetched over plain HTTP, if it is an `http://` URL for a server
/// that is not on this machine.
pub fn plain_http_problem(url: &str) -> Option<String> {
    let rest = strip_scheme(url.trim(), "http://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(bracketed) = host_port.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    if is_loopback(host) {
        return None;
    }
    Some(format!(
        "plain http:// is accepted only for a git server on this machine (localhost, 127.0.0.1, \
         [::1]); `{host}` would receive the repository and any token unencrypted — use https://"
    ))
}

/// Whether `url` is fetched over HTTP(S) (by this module rather than gix's own transports).
pub fn is_http_url(url: &str) -> bool {
    let url = url.trim();
    strip_scheme(url, "http://").is_some() || strip_scheme(url, "https://").is_some()
}

fn strip_scheme<'a>(url: &'a str, scheme: &str) -> Option<&'a str> {
    url.get(..scheme.len())
        .filter(|s| s.eq_ignore_ascii_case(scheme))
        .map(|_| &url[scheme.len()..])
}

fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback()),
    }
}

/// The HTTP status of a refusal: 401 (credentials wanted or wrong) or 403 (not allowed).
pub type Refusal = Arc<Mutex<Option<u16>>>;

/// gix's HTTP backend on reqwest's blocking client.
pub struct HttpBackend {
    client: Client,
    authorization: Option<HeaderValue>,
    refusal: Refusal,
}

impl HttpBackend {
    pub fn new(credentials: Option<&HttpCredentials>) -> Result<Self, String> {
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(30))
            .timeout(Duration::from_secs(120))
            .user_agent(concat!("corral/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {e}"))?;
        Ok(Self {
            client,
            authorization: credentials.map(HttpCredentials::header).transpose()?,
            refusal: Refusal::default(),
        })
    }

    /// Where a 401 or 403 answer is recorded.
    pub fn refusal(&self) -> Refusal {
        self.refusal.clone()
    }

    fn request(
        &self,
        method: reqwest::Method,
        url: &str,
        headers: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> RequestBuilder {
        let mut map = HeaderMap::new();
        for line in headers {
            if let Some((name, value)) = line.as_ref().split_once(':')
                && let (Ok(name), Ok(value)) = (
                    HeaderName::from_bytes(name.trim().as_bytes()),
                    HeaderValue::from_str(value.trim()),
                )
            {
                // gix sets its own agent; the client's names Corral.
                if name != reqwest::header::USER_AGENT {
                    map.insert(name, value);
                }
            }
        }
        if let Some(auth) = &self.authorization {
            map.insert(AUTHORIZATION, auth.clone());
        }
        self.client.request(method, url).headers(map)
    }
}

/// The answer to one request, or why there is none.
type Answer = Result<(Vec<u8>, Response), Failure>;

#[derive(Debug, Clone)]
struct Failure(String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failure {}

impl Failure {
    fn into_io(self) -> std::io::Error {
        std::io::Error::other(self)
    }

    fn into_gix(self) -> gix::Error {
        gix::Error::from_error(self)
    }
}

/// Sends `request` and turns anything but a 2xx answer into a failure.
fn send(request: RequestBuilder, url: &str, refusal: &Refusal) -> Answer {
    let response = request
        .send()
        .map_err(|e| Failure(format!("HTTP request to {url} failed: {}", error_chain(&e))))?;
    let status = response.status();
    if status.is_success() {
        let mut headers = Vec::new();
        for (name, value) in response.headers() {
            headers.extend_from_slice(name.as_str().as_bytes());
            headers.extend_from_slice(b": ");
            headers.extend_from_slice(value.as_bytes());
            headers.push(b'\n');
        }
        return Ok((headers, response));
    }
    if status.as_u16() == 401 || status.as_u16() == 403 {
        *refusal.lock().expect("refusal lock") = Some(status.as_u16());
    }
    if status.is_redirection() {
        let target = response
            .headers()
            .get(LOCATION)
            .and_then(|l| l.to_str().ok())
            .unwrap_or("nowhere named");
        return Err(Failure(format!(
            "the server answered {status} and points to {target}; redirects are not followed \
             (they would carry the token elsewhere): use the repository's final URL"
        )));
    }
    Err(Failure(format!("the server answered {status} for {url}")))
}

/// `e` and its causes on one line (reqwest's own message names only the outermost).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

/// A request whose answer is fetched on first use: a POST is sent once its body is complete.
enum Exchange {
    Collecting {
        request: RequestBuilder,
        body: Vec<u8>,
        url: String,
        refusal: Refusal,
    },
    Sent {
        headers: Option<Vec<u8>>,
        body: Option<Response>,
    },
    Failed(Failure),
    Taken,
}

impl Exchange {
    fn answered(answer: Answer) -> Self {
        match answer {
            Ok((headers, body)) => Exchange::Sent {
                headers: Some(headers),
                body: Some(body),
            },
            Err(failure) => Exchange::Failed(failure),
        }
    }

    /// Sends the request if it has not been sent yet.
    fn send_now(&mut self) {
        if let Exchange::Collecting { .. } = self
            && let Exchange::Collecting {
                request,
                body,
                url,
                refusal,
            } = std::mem::replace(self, Exchange::Taken)
        {
            *self = Exchange::answered(send(request.body(body), &url, &refusal));
        }
    }
}

type Shared = Arc<Mutex<Exchange>>;

/// The response headers, one `Name: value` line each.
pub struct Headers {
    exchange: Shared,
    lines: Option<Cursor<Vec<u8>>>,
}

/// The response body.
pub struct Body {
    exchange: Shared,
    reader: Option<BufReader<Response>>,
}

/// Where gix writes a POST's body.
pub struct PostBody {
    exchange: Shared,
}

impl Headers {
    fn lines(&mut self) -> std::io::Result<&mut Cursor<Vec<u8>>> {
        if self.lines.is_none() {
            let mut exchange = self.exchange.lock().expect("exchange lock");
            exchange.send_now();
            let lines = match &mut *exchange {
                Exchange::Sent { headers, .. } => headers.take().unwrap_or_default(),
                Exchange::Failed(failure) => return Err(failure.clone().into_io()),
                _ => Vec::new(),
            };
            self.lines = Some(Cursor::new(lines));
        }
        Ok(self.lines.as_mut().expect("set above"))
    }
}

impl Read for Headers {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.lines()?.read(buf)
    }
}

impl BufRead for Headers {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.lines()?.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if let Some(lines) = &mut self.lines {
            lines.consume(amount);
        }
    }
}

impl Body {
    fn reader(&mut self) -> std::io::Result<&mut BufReader<Response>> {
        if self.reader.is_none() {
            let mut exchange = self.exchange.lock().expect("exchange lock");
            exchange.send_now();
            let response = match &mut *exchange {
                Exchange::Sent { body, .. } => body.take(),
                Exchange::Failed(failure) => return Err(failure.clone().into_io()),
                _ => None,
            };
            let response = response
                .ok_or_else(|| std::io::Error::other("the HTTP response body was already read"))?;
            self.reader = Some(BufReader::with_capacity(64 * 1024, response));
        }
        Ok(self.reader.as_mut().expect("set above"))
    }
}

impl Read for Body {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.reader()?.read(buf)
    }
}

impl BufRead for Body {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.reader()?.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if let Some(reader) = &mut self.reader {
            reader.consume(amount);
        }
    }
}

impl Write for PostBody {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut *self.exchange.lock().expect("exchange lock") {
            Exchange::Collecting { body, .. } => {
                body.extend_from_slice(buf);
                Ok(buf.len())
            }
            _ => Err(std::io::Error::other(
                "the HTTP request was already sent; nothing more can be added to it",
            )),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Http for HttpBackend {
    type Headers = Headers;
    type ResponseBody = Body;
    type PostBody = PostBody;

    fn get(
        &mut self,
        url: &str,
        _base_url: &str,
        headers: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> gix::Result<GetResponse<Headers, Body>> {
        let request = self.request(reqwest::Method::GET, url, headers);
        let (headers, response) = send(request, url, &self.refusal).map_err(Failure::into_gix)?;
        let exchange = Arc::new(Mutex::new(Exchange::Taken));
        Ok(GetResponse {
            headers: Headers {
                exchange: exchange.clone(),
                lines: Some(Cursor::new(headers)),
            },
            body: Body {
                exchange,
                reader: Some(BufReader::with_capacity(64 * 1024, response)),
            },
        })
    }

    fn post(
        &mut self,
        url: &str,
        _base_url: &str,
        headers: impl IntoIterator<Item = impl AsRef<str>>,
        _body: PostBodyDataKind,
    ) -> gix::Result<PostResponse<Headers, Body, PostBody>> {
        let exchange = Arc::new(Mutex::new(Exchange::Collecting {
            request: self.request(reqwest::Method::POST, url, headers),
            body: Vec::new(),
            url: url.to_string(),
            refusal: self.refusal.clone(),
        }));
        Ok(PostResponse {
            post_body: PostBody {
                exchange: exchange.clone(),
            },
            headers: Headers {
                exchange: exchange.clone(),
                lines: None,
            },
            body: Body {
                exchange,
                reader: None,
            },
        })
    }

    fn configure(&mut self, _config: &dyn std::any::Any) -> gix::Result {
        // gix's http.* settings (proxies, extra headers, TLS versions) are not read:
        // the job's definition is the whole configuration.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_unless_the_server_is_on_this_machine() {
        for url in [
            "http://127.0.0.1:8080/repo.git",
            "http://localhost/repo.git",
            "HTTP://LOCALHOST:9418/x",
            "http://[::1]:3000/repo.git",
            "http://127.8.9.10/repo.git",
        ] {
            assert_eq!(plain_http_problem(url), None, "{url}");
        }
        for (url, host) in [
            ("http://git.internal/sales/report.git", "git.internal"),
            ("http://10.0.0.5:8080/repo.git", "10.0.0.5"),
            (
                "http://localhost.evil.example/repo.git",
                "localhost.evil.example",
            ),
            ("http://[2001:db8::1]/repo.git", "2001:db8::1"),
        ] {
            let problem = plain_http_problem(url).unwrap_or_else(|| panic!("{url} accepted"));
            assert!(problem.contains(&format!("`{host}`")), "{problem}");
            assert!(problem.contains("use https://"), "{problem}");
        }
        assert_eq!(plain_http_problem("https://git.internal/repo.git"), None);
        assert_eq!(plain_http_problem("ssh://git@git.internal/repo.git"), None);
    }

    #[test]
    fn a_user_name_makes_basic_credentials_and_none_a_bearer_token() {
        let token = "tok-Zq4Lm8Tt2Vb7Nc1Hd6Jk";
        let mut credentials = HttpCredentials {
            secret: "git-token".into(),
            username: Some("oauth2".into()),
            token: SecretValue::new(token),
        };
        let basic = credentials.header().unwrap();
        assert!(basic.is_sensitive());
        let encoded = basic.to_str().unwrap().strip_prefix("Basic ").unwrap();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        assert_eq!(decoded, format!("oauth2:{token}").as_bytes());
        let with_user = credentials.fingerprint();

        credentials.username = None;
        assert_eq!(
            credentials.header().unwrap().to_str().unwrap(),
            format!("Bearer {token}")
        );
        assert_ne!(credentials.fingerprint(), with_user);
        assert!(!format!("{credentials:?}").contains(token));

        credentials.token = SecretValue::new("Zq4Lm8\nTt2Vb7");
        let err = credentials.header().unwrap_err();
        assert!(err.contains("secret `git-token`"), "{err}");
        assert!(!err.contains("Zq4Lm8"), "{err}");
    }
}

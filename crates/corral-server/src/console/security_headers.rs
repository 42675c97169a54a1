//! Headers every console response carries.
//!
//! - `Content-Security-Policy`: nothing loads from anywhere but Corral itself, no script runs
//!   at all (the console has none, so an injected `<script>` is dead text), no inline style,
//!   forms post only back to Corral, and no page can be framed.
//! - `X-Frame-Options: DENY` says the same about framing to older browsers.
//! - `Referrer-Policy: same-origin`: asset names in console URLs stay inside Corral.
//! - `X-Content-Type-Options: nosniff`.
//! - `Cache-Control: no-store` for pages (they show registry data to one signed-in person),
//!   unless the response set its own (the hashed static files are cached for a year).

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::middleware::Next;
use axum::response::Response;

/// The console's content security policy.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Middleware adding the headers above.
pub async fn add(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

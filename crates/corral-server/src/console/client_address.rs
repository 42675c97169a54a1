//! Which client a console request comes from, for sign-in rate limits and the session
//! record.
//!
//! By default it is the connection's peer address. Behind a reverse proxy every request
//! comes from the proxy, so `client_address_header` names the header the proxy writes the
//! real address into; the right-most entry is used, because that is the one the trusted
//! proxy appended (entries to its left were sent by the client and can say anything).

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;

use crate::console::config::ConsoleConfig;

/// The client's address as text, or `None` when neither the header nor the connection says.
pub fn client_address(parts: &Parts, config: &ConsoleConfig) -> Option<String> {
    let header = config.client_address_header.trim();
    if !header.is_empty() {
        let from_header = parts
            .headers
            .get_all(header)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| !v.is_empty())
            .map(str::to_string);
        if from_header.is_some() {
            return from_header;
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(headers: &[(&str, &str)], peer: Option<&str>) -> Parts {
        let mut builder = Request::builder().uri("/sign-in");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        let (mut parts, ()) = builder.body(()).unwrap().into_parts();
        if let Some(peer) = peer {
            parts
                .extensions
                .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        }
        parts
    }

    #[test]
    fn the_peer_address_is_used_unless_a_proxy_header_is_configured() {
        let p = parts(&[("x-forwarded-for", "6.6.6.6")], Some("10.0.0.7:51000"));
        assert_eq!(
            client_address(&p, &ConsoleConfig::default()).as_deref(),
            Some("10.0.0.7")
        );
    }

    #[test]
    fn behind_a_proxy_the_right_most_forwarded_address_counts() {
        let config = ConsoleConfig {
            client_address_header: "X-Forwarded-For".into(),
            ..Default::default()
        };
        let p = parts(
            &[("x-forwarded-for", "6.6.6.6, 203.0.113.9")],
            Some("10.0.0.1:443"),
        );
        assert_eq!(client_address(&p, &config).as_deref(), Some("203.0.113.9"));
        let without = parts(&[], Some("10.0.0.1:443"));
        assert_eq!(
            client_address(&without, &config).as_deref(),
            Some("10.0.0.1")
        );
    }
}

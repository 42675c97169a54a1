//! The console's two cookies: the session, and the sign-in form's CSRF value.
//!
//! Both are `HttpOnly` (no script can read them: the console has no scripts, and an injected
//! one would get nothing), `Path=/`, and by default `Secure` with the `__Host-` prefix, which
//! makes the browser refuse them unless they come from a secure origin without a `Domain`,
//! so no sibling host can plant or overwrite them. The session cookie is `SameSite=Lax`, so
//! following a link to the console from a chat message keeps you signed in while no other
//! site can post a form with it; the sign-in cookie is `SameSite=Strict`.
//! `secure_cookies = false` drops `Secure` and the prefix for plain-HTTP deployments.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

use crate::console::config::ConsoleConfig;

/// The session cookie's name.
pub fn session_name(config: &ConsoleConfig) -> &'static str {
    if config.secure_cookies {
        "__Host-corral_session"
    } else {
        "corral_session"
    }
}

/// The sign-in form's CSRF cookie's name.
pub fn sign_in_name(config: &ConsoleConfig) -> &'static str {
    if config.secure_cookies {
        "__Host-corral_sign_in"
    } else {
        "corral_sign_in"
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameSite {
    Lax,
    Strict,
}

/// A `Set-Cookie` value for `name=value` living `max_age_secs`.
pub fn set(
    config: &ConsoleConfig,
    name: &str,
    value: &str,
    max_age_secs: i64,
    same_site: SameSite,
) -> String {
    let same_site = match same_site {
        SameSite::Lax => "Lax",
        SameSite::Strict => "Strict",
    };
    let secure = if config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{name}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite={same_site}{secure}"
    )
}

/// A `Set-Cookie` value that deletes cookie `name`.
pub fn clear(config: &ConsoleConfig, name: &str) -> String {
    set(config, name, "", 0, SameSite::Lax)
}

/// The value of cookie `name` in the request, if present.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn secure_cookies_carry_the_host_prefix_and_every_protection() {
        let config = ConsoleConfig::default();
        let cookie = set(&config, session_name(&config), "abc", 3600, SameSite::Lax);
        assert_eq!(
            cookie,
            "__Host-corral_session=abc; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax; Secure"
        );
    }

    #[test]
    fn plain_http_deployments_drop_secure_and_the_prefix_only() {
        let config = ConsoleConfig {
            secure_cookies: false,
            ..Default::default()
        };
        let cookie = set(&config, sign_in_name(&config), "x", 60, SameSite::Strict);
        assert_eq!(
            cookie,
            "corral_sign_in=x; Path=/; Max-Age=60; HttpOnly; SameSite=Strict"
        );
        assert!(clear(&config, "corral_session").contains("Max-Age=0"));
    }

    #[test]
    fn a_cookie_is_found_among_several_headers_and_pairs() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_static("theme=dark; a=1"));
        headers.append(
            COOKIE,
            HeaderValue::from_static("__Host-corral_session=s3ss; b=2"),
        );
        assert_eq!(
            read(&headers, "__Host-corral_session").as_deref(),
            Some("s3ss")
        );
        assert_eq!(read(&headers, "corral_session"), None);
    }
}

//! The pending sign-in, carried in the browser between leaving for the identity provider and
//! coming back.
//!
//! The state, nonce and PKCE verifier live in one short-lived cookie scoped to the callback
//! path: HttpOnly (no script reads it), Secure, and `SameSite=Lax`, because the provider sends
//! the browser back with a top-level cross-site navigation that `Strict` would strip the
//! cookie from. Keeping it in the browser rather than on the server lets any node of several
//! finish a sign-in another node began. The cookie proves nothing on its own: the state must
//! match the provider's redirect, the nonce the signed ID token, and the verifier the
//! challenge the provider holds.

use super::provider::PendingLogin;

/// The cookie's name.
pub const COOKIE: &str = "corral_oidc_pending";
/// The path the provider sends the browser back to, and the only one the cookie is sent to.
pub const CALLBACK_PATH: &str = "/auth/oidc/callback";
/// How long someone may spend at the provider's sign-in page.
pub const MAX_AGE_SECS: u64 = 600;
/// Longer values are refused unread.
const MAX_LEN: usize = 4096;

/// The `Set-Cookie` value that stores `pending`.
pub fn set_cookie(pending: &PendingLogin, secure: bool) -> String {
    let json = serde_json::to_vec(pending).expect("a pending sign-in always serialises");
    format!(
        "{COOKIE}={}; Path={CALLBACK_PATH}; Max-Age={MAX_AGE_SECS}; HttpOnly; SameSite=Lax{}",
        hex::encode(json),
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes it once used.
pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{COOKIE}=; Path={CALLBACK_PATH}; Max-Age=0; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Reads the pending sign-in from a request's `Cookie` header values; `None` when absent or
/// not one this server wrote.
pub fn read<'a>(cookie_headers: impl IntoIterator<Item = &'a str>) -> Option<PendingLogin> {
    let value = cookie_headers
        .into_iter()
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value)?;
    if value.len() > MAX_LEN {
        return None;
    }
    let pending: PendingLogin = serde_json::from_slice(&hex::decode(value).ok()?).ok()?;
    is_local_path(&pending.return_to).then_some(pending)
}

/// Whether `path` stays on this server: an absolute path, not `//host` or `/\host`, which
/// browsers read as another site.
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(|c| c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(return_to: &str) -> PendingLogin {
        PendingLogin {
            state: "s".into(),
            nonce: "n".into(),
            pkce_verifier: "v".into(),
            return_to: return_to.into(),
        }
    }

    #[test]
    fn round_trips_through_the_cookie_header() {
        let set = set_cookie(&pending("/reviews"), true);
        assert!(set.contains("HttpOnly") && set.contains("Secure") && set.contains("SameSite=Lax"));
        let value = set.split(';').next().unwrap();
        let back = read([format!("other=1; {value}").as_str()]).unwrap();
        assert_eq!(back.return_to, "/reviews");
        assert_eq!(back.pkce_verifier, "v");
    }

    #[test]
    fn refuses_garbage_oversized_and_off_site_returns() {
        assert!(read([format!("{COOKIE}=zz").as_str()]).is_none());
        assert!(read([format!("{COOKIE}={}", "a".repeat(MAX_LEN + 2)).as_str()]).is_none());
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "/a\nb",
        ] {
            let set = set_cookie(&pending(bad), false);
            let value = set.split(';').next().unwrap();
            assert!(read([value]).is_none(), "{bad}");
        }
        assert!(read(["unrelated=1"]).is_none());
    }
}

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

/// The pending sign-in from the cookie's value; `None` when it is not one this server wrote.
pub fn decode(value: &str) -> Option<PendingLogin> {
    if value.len() > MAX_LEN {
        return None;
    }
    serde_json::from_slice(&hex::decode(value).ok()?).ok()
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
        let back = decode(value.strip_prefix(&format!("{COOKIE}=")).unwrap()).unwrap();
        assert_eq!(back.return_to, "/reviews");
        assert_eq!(back.pkce_verifier, "v");
    }

    #[test]
    fn refuses_garbage_and_oversized_values() {
        assert!(decode("zz").is_none());
        assert!(decode(&"a".repeat(MAX_LEN + 2)).is_none());
        assert!(decode(&hex::encode(b"{\"not\": \"a pending sign-in\"}")).is_none());
    }
}

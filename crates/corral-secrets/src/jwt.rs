//! Recognising JSON Web Tokens that carry credentials.
//!
//! Three base64url segments separated by dots are common in code (test vectors, docs), so
//! the regex alone is not enough: a token counts when its header and payload decode to JSON
//! objects, the header names a signing algorithm other than `none`, and it is not the
//! sample every tutorial copies (`"sub": "1234567890", "name": "John Doe"`).

/// Whether `token` (`header.payload.signature`) is a signed JWT worth reporting.
pub(crate) fn is_credential_jwt(token: &[u8]) -> bool {
    let mut parts = token.split(|&b| b == b'.');
    let (Some(header), Some(payload), Some(signature)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    if signature.len() < 16 {
        return false;
    }
    let (Some(header), Some(payload)) = (decode_json(header), decode_json(payload)) else {
        return false;
    };
    let alg = header.get("alg").and_then(|a| a.as_str()).unwrap_or("");
    if alg.is_empty() || alg.eq_ignore_ascii_case("none") {
        return false;
    }
    let Some(claims) = payload.as_object() else {
        return false;
    };
    let is_tutorial_sample = claims.get("sub").and_then(|v| v.as_str()) == Some("1234567890")
        && claims.get("name").and_then(|v| v.as_str()) == Some("John Doe");
    !claims.is_empty() && !is_tutorial_sample
}

fn decode_json(segment: &[u8]) -> Option<serde_json::Value> {
    let bytes = base64url_decode(segment)?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    value.is_object().then_some(value)
}

/// Decodes unpadded (or padded) base64url; `None` on any character outside the alphabet.
fn base64url_decode(input: &[u8]) -> Option<Vec<u8>> {
    let input = match input.iter().position(|&b| b == b'=') {
        Some(end) => &input[..end],
        None => input,
    };
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &b in input {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(data: &[u8]) -> String {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in data.chunks(3) {
            let n = chunk.len();
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..=n {
                out.push(ALPHABET[((v >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out
    }

    fn token(header: &str, payload: &str) -> String {
        format!(
            "{}.{}.{}",
            encode(header.as_bytes()),
            encode(payload.as_bytes()),
            "Qm9ndXNTaWduYXR1cmVCeXRlc0hlcmU"
        )
    }

    #[test]
    fn base64url_round_trips() {
        assert_eq!(
            base64url_decode(encode(b"hello!?").as_bytes()).unwrap(),
            b"hello!?"
        );
    }

    #[test]
    fn a_signed_token_with_claims_is_a_credential() {
        let t = token(
            r#"{"alg":"HS256","typ":"JWT"}"#,
            r#"{"role":"service_role","iss":"x"}"#,
        );
        assert!(is_credential_jwt(t.as_bytes()));
    }

    #[test]
    fn unsigned_and_tutorial_tokens_are_not() {
        let none = token(r#"{"alg":"none"}"#, r#"{"role":"admin"}"#);
        assert!(!is_credential_jwt(none.as_bytes()));
        let sample = token(
            r#"{"alg":"HS256"}"#,
            r#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#,
        );
        assert!(!is_credential_jwt(sample.as_bytes()));
        assert!(!is_credential_jwt(
            b"eyJub3QganNvbg.eyJhIjoxfQ.c2lnbmF0dXJlc2lnbmF0dXJl"
        ));
    }
}

//! Console passwords: the rules a new password must meet, hashing, and checking.
//!
//! Passwords are hashed with argon2id (RFC 9106) using the argon2 crate's defaults (19 MiB of
//! memory, two passes, one lane: the OWASP recommendation) and a 16-byte random salt, and
//! stored as the self-describing PHC string, so stronger parameters can be adopted later
//! without breaking existing hashes. Checking a sign-in for an account that does not exist
//! still runs one argon2 verification ([`verify_unknown`]), so the response time does not
//! tell which e-mails have accounts.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted, in bytes: hashing cost grows with length.
pub const MAX_PASSWORD_BYTES: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("must be at least {MIN_PASSWORD_CHARS} characters; it has {0}")]
    TooShort(usize),
    #[error("must be at most {MAX_PASSWORD_BYTES} bytes")]
    TooLong,
    #[error("must not begin or end with spaces")]
    SurroundingSpace,
    #[error("the operating system's random number generator failed: {0}")]
    Random(String),
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

/// Whether `password` may be set: long enough, not absurdly long, no surrounding spaces
/// (which are invisible and almost always a paste accident).
pub fn check_rules(password: &str) -> Result<(), PasswordError> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(PasswordError::TooLong);
    }
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort(chars));
    }
    if password.trim() != password {
        return Err(PasswordError::SurroundingSpace);
    }
    Ok(())
}

/// The argon2id PHC string of `password` with a fresh random salt.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| PasswordError::Random(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| PasswordError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Whether `password` matches the stored PHC string. A stored value that does not parse
/// matches nothing.
pub fn verify(password: &str, stored: &str) -> bool {
    if password.len() > MAX_PASSWORD_BYTES {
        return false;
    }
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash no password is known for, to spend the same time on unknown accounts.
static DECOY: LazyLock<String> = LazyLock::new(|| {
    let mut bytes = [0u8; 24];
    let _ = getrandom::fill(&mut bytes);
    hash(&hex::encode(bytes)).unwrap_or_default()
});

/// Spends one verification's time on a sign-in for an account that does not exist; always
/// false.
pub fn verify_unknown(password: &str) -> bool {
    let _ = verify(password, &DECOY);
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_salted_and_verifies_only_its_password() {
        let a = hash("correct horse battery").unwrap();
        let b = hash("correct horse battery").unwrap();
        assert!(a.starts_with("$argon2id$v=19$"), "{a}");
        assert_ne!(a, b, "every hash has its own salt");
        assert!(verify("correct horse battery", &a));
        assert!(!verify("correct horse batterx", &a));
        assert!(!verify("correct horse battery", "not a hash"));
    }

    #[test]
    fn the_rules_name_what_is_wrong() {
        assert_eq!(check_rules("short"), Err(PasswordError::TooShort(5)));
        assert_eq!(
            check_rules(" twelve chars ok"),
            Err(PasswordError::SurroundingSpace)
        );
        assert_eq!(
            check_rules(&"x".repeat(MAX_PASSWORD_BYTES + 1)),
            Err(PasswordError::TooLong)
        );
        assert_eq!(check_rules("a long enough passphrase"), Ok(()));
        assert!(
            PasswordError::TooShort(5)
                .to_string()
                .contains("at least 12 characters")
        );
    }

    #[test]
    fn unknown_accounts_never_match() {
        assert!(!verify_unknown("anything at all here"));
    }
}

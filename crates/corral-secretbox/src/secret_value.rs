//! A decrypted secret held in memory.
//!
//! The plaintext is zeroed when the value is dropped, `Debug` prints nothing of it, and there
//! is deliberately no `Display` or `Serialize`: the only way out is
//! [`SecretValue::expose_secret`], which makes every use visible in review.

use zeroize::Zeroizing;

pub struct SecretValue(Zeroizing<String>);

impl SecretValue {
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The plaintext. Callers inject it into a child's environment or the log masker, nowhere
    /// else.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl Clone for SecretValue {
    fn clone(&self) -> Self {
        Self::new(self.0.as_str())
    }
}

impl std::fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretValue(<{} bytes, hidden>)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_value() {
        let value = SecretValue::new("hunter2-and-more");
        let shown = format!("{value:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("16 bytes"), "{shown}");
    }
}

//! Sealing and opening one secret value.
//!
//! A [`SealedSecret`] is what the store keeps: the value encrypted under a fresh random data
//! key, and that data key encrypted under the master key. Both use XChaCha20-Poly1305, whose
//! 192-bit nonces are safe to draw at random for every encryption. The secret's name is bound
//! as associated data to both layers.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::{MasterKey, SecretBoxError, SecretValue};

const FORMAT_VERSION: u8 = 1;

/// An encrypted secret, safe to store and to serialise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedSecret {
    /// Format version, for future changes of algorithm.
    pub v: u8,
    /// Base64 of the 24-byte nonce and the wrapped 32-byte data key (with its tag).
    pub wrapped_key: String,
    /// Base64 of the 24-byte nonce and the encrypted value (with its tag).
    pub ciphertext: String,
}

fn random_nonce() -> Result<[u8; 24], SecretBoxError> {
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).map_err(|e| SecretBoxError::Random(e.to_string()))?;
    Ok(nonce)
}

fn key_aad(name: &str) -> Vec<u8> {
    format!("corral-secret-data-key:v{FORMAT_VERSION}:{name}").into_bytes()
}

fn value_aad(name: &str) -> Vec<u8> {
    format!("corral-secret-value:v{FORMAT_VERSION}:{name}").into_bytes()
}

fn encrypt(key: &[u8; 32], aad: &[u8], plaintext: &[u8]) -> Result<String, SecretBoxError> {
    let cipher = XChaCha20Poly1305::new(Key::from_slice(key));
    let nonce = random_nonce()?;
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| SecretBoxError::Random("encryption failed".into()))?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    Ok(STANDARD.encode(out))
}

fn decrypt(
    key: &[u8; 32],
    aad: &[u8],
    text: &str,
    name: &str,
) -> Result<Zeroizing<Vec<u8>>, SecretBoxError> {
    let fail = || SecretBoxError::Decrypt { name: name.into() };
    let bytes = STANDARD.decode(text).map_err(|_| fail())?;
    if bytes.len() < 24 {
        return Err(fail());
    }
    let (nonce, sealed) = bytes.split_at(24);
    let cipher = XChaCha20Poly1305::new(Key::from_slice(key));
    cipher
        .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad })
        .map(Zeroizing::new)
        .map_err(|_| fail())
}

impl SealedSecret {
    /// Encrypts `value` as the secret called `name`.
    pub fn seal(master: &MasterKey, name: &str, value: &str) -> Result<Self, SecretBoxError> {
        let mut data_key = Zeroizing::new([0u8; 32]);
        getrandom::fill(data_key.as_mut()).map_err(|e| SecretBoxError::Random(e.to_string()))?;
        Ok(Self {
            v: FORMAT_VERSION,
            wrapped_key: encrypt(master.bytes(), &key_aad(name), data_key.as_ref())?,
            ciphertext: encrypt(&data_key, &value_aad(name), value.as_bytes())?,
        })
    }

    /// Decrypts the secret called `name`. Fails when the master key differs, the name differs
    /// from the one it was sealed under, or any byte was altered.
    pub fn open(&self, master: &MasterKey, name: &str) -> Result<SecretValue, SecretBoxError> {
        if self.v != FORMAT_VERSION {
            return Err(SecretBoxError::Decrypt { name: name.into() });
        }
        let data_key = self.data_key(master, name)?;
        let plain = decrypt(&data_key, &value_aad(name), &self.ciphertext, name)?;
        let text = String::from_utf8(plain.to_vec())
            .map_err(|_| SecretBoxError::Decrypt { name: name.into() })?;
        Ok(SecretValue::new(text))
    }

    /// The same secret with its data key wrapped under `new_master` (master key rotation):
    /// the value's ciphertext is untouched.
    pub fn rewrap(
        &self,
        old_master: &MasterKey,
        new_master: &MasterKey,
        name: &str,
    ) -> Result<Self, SecretBoxError> {
        let data_key = self.data_key(old_master, name)?;
        Ok(Self {
            v: self.v,
            wrapped_key: encrypt(new_master.bytes(), &key_aad(name), data_key.as_ref())?,
            ciphertext: self.ciphertext.clone(),
        })
    }

    fn data_key(
        &self,
        master: &MasterKey,
        name: &str,
    ) -> Result<Zeroizing<[u8; 32]>, SecretBoxError> {
        let raw = decrypt(master.bytes(), &key_aad(name), &self.wrapped_key, name)?;
        let key: [u8; 32] = raw
            .as_slice()
            .try_into()
            .map_err(|_| SecretBoxError::Decrypt { name: name.into() })?;
        Ok(Zeroizing::new(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALUE: &str = "sf_live_9Qm2Lr8Tt4Vb7Nc1Hd6Jk3";

    #[test]
    fn a_sealed_secret_opens_to_its_value_and_does_not_contain_it() {
        let master = MasterKey::generate().unwrap();
        let sealed = SealedSecret::seal(&master, "salesforce", VALUE).unwrap();
        let stored = serde_json::to_string(&sealed).unwrap();
        assert!(!stored.contains(VALUE));
        assert!(!stored.contains(&STANDARD.encode(VALUE)));
        let opened = sealed.open(&master, "salesforce").unwrap();
        assert_eq!(opened.expose_secret(), VALUE);
    }

    #[test]
    fn sealing_twice_gives_different_ciphertexts() {
        let master = MasterKey::generate().unwrap();
        let a = SealedSecret::seal(&master, "x", VALUE).unwrap();
        let b = SealedSecret::seal(&master, "x", VALUE).unwrap();
        assert_ne!(a.ciphertext, b.ciphertext);
        assert_ne!(a.wrapped_key, b.wrapped_key);
    }

    #[test]
    fn another_master_key_cannot_open_a_secret() {
        let sealed = SealedSecret::seal(&MasterKey::generate().unwrap(), "x", VALUE).unwrap();
        let err = sealed
            .open(&MasterKey::generate().unwrap(), "x")
            .unwrap_err();
        assert!(matches!(err, SecretBoxError::Decrypt { .. }));
    }

    #[test]
    fn a_ciphertext_moved_to_another_secret_name_does_not_open() {
        let master = MasterKey::generate().unwrap();
        let sealed = SealedSecret::seal(&master, "payroll-db", VALUE).unwrap();
        assert!(sealed.open(&master, "crm-token").is_err());
    }

    #[test]
    fn a_flipped_bit_is_detected() {
        let master = MasterKey::generate().unwrap();
        let mut sealed = SealedSecret::seal(&master, "x", VALUE).unwrap();
        let mut bytes = STANDARD.decode(&sealed.ciphertext).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        sealed.ciphertext = STANDARD.encode(bytes);
        assert!(sealed.open(&master, "x").is_err());
    }

    #[test]
    fn rewrapping_moves_a_secret_to_a_new_master_key() {
        let old = MasterKey::generate().unwrap();
        let new = MasterKey::generate().unwrap();
        let sealed = SealedSecret::seal(&old, "x", VALUE).unwrap();
        let moved = sealed.rewrap(&old, &new, "x").unwrap();
        assert_eq!(moved.ciphertext, sealed.ciphertext);
        assert_eq!(moved.open(&new, "x").unwrap().expose_secret(), VALUE);
        assert!(moved.open(&old, "x").is_err());
    }
}

//! Secrets: random tokens (private links, API tokens, sessions) stored as
//! SHA-256 — a fast hash is right for long random values — and organisers'
//! passwords stored as argon2id, which is slow on purpose.

use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, PasswordHash};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// `bytes` random bytes as lowercase hex.
pub fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    hex::encode(buffer)
}

pub fn sha256(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// Equal in time that does not depend on where the inputs differ.
pub fn constant_time_eq(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len()
        && left
            .iter()
            .zip(right)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

/// What a client's `Idempotency-Key` derives (HKDF-SHA256 over the
/// client's address and the key): where its record is found, and the key
/// that seals the private token of the recorded answer. The server keeps
/// neither the Idempotency-Key nor anything it derives but the lookup
/// hash, so a copy of the database, even with the settings, opens no
/// sealed token without the key that only the client holds; and the same
/// key sent from another client finds nothing.
pub struct ReplayKeys {
    pub lookup: [u8; 32],
    seal: [u8; 32],
}

const NONCE_BYTES: usize = 24;

impl ReplayKeys {
    pub fn derive(client: &str, key: &str) -> ReplayKeys {
        // The length first, so that no other (client, key) pair runs into
        // the same bytes.
        let mut material = (client.len() as u64).to_be_bytes().to_vec();
        material.extend_from_slice(client.as_bytes());
        material.extend_from_slice(key.as_bytes());
        let derived = Hkdf::<Sha256>::new(Some(b"rencontre idempotency v1"), &material);
        let mut lookup = [0u8; 32];
        let mut seal = [0u8; 32];
        // 32 bytes are far below HKDF-SHA256's limit: expanding cannot fail.
        let _ = derived.expand(b"lookup", &mut lookup);
        let _ = derived.expand(b"seal", &mut seal);
        ReplayKeys { lookup, seal }
    }

    /// `secret` encrypted and authenticated (XChaCha20-Poly1305, a random
    /// nonce first), bound to `context` (what the record is about), so a
    /// sealed value moved to another record does not open there.
    pub fn seal(&self, context: &[u8], secret: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce);
        let cipher = XChaCha20Poly1305::new((&self.seal).into());
        let payload = Payload {
            msg: secret,
            aad: context,
        };
        // Encrypting into memory only fails for messages of gigabytes.
        let sealed = cipher
            .encrypt(XNonce::from_slice(&nonce), payload)
            .unwrap_or_default();
        [nonce.as_slice(), &sealed].concat()
    }

    /// The secret sealed with these keys and `context`, or `None`.
    pub fn open(&self, context: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < NONCE_BYTES {
            return None;
        }
        let (nonce, encrypted) = sealed.split_at(NONCE_BYTES);
        let cipher = XChaCha20Poly1305::new((&self.seal).into());
        let payload = Payload {
            msg: encrypted,
            aad: context,
        };
        cipher.decrypt(XNonce::from_slice(nonce), payload).ok()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("a password needs at least {min} characters")]
    TooShort { min: usize },
    #[error("the password could not be hashed")]
    Hashing,
}

pub const MIN_PASSWORD_CHARS: usize = 10;

pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort {
            min: MIN_PASSWORD_CHARS,
        });
    }
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|_| PasswordError::Hashing)?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|_| PasswordError::Hashing)
}

pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_token_opens_only_with_the_same_client_key_and_context() {
        let keys = ReplayKeys::derive("192.0.2.7", "7f0c…retry");
        let sealed = keys.seal(b"registration 1", b"the private token");
        assert!(!sealed.windows(7).any(|w| w == b"private"), "not in clear");
        assert_eq!(
            keys.open(b"registration 1", &sealed).as_deref(),
            Some(&b"the private token"[..])
        );
        assert_eq!(keys.open(b"registration 2", &sealed), None);
        let other_client = ReplayKeys::derive("192.0.2.8", "7f0c…retry");
        assert_ne!(other_client.lookup, keys.lookup);
        assert_eq!(other_client.open(b"registration 1", &sealed), None);
        let other_key = ReplayKeys::derive("192.0.2.7", "7f0c…retrx");
        assert_ne!(other_key.lookup, keys.lookup);
        assert_eq!(other_key.open(b"registration 1", &sealed), None);
        // The client and the key are not simply joined.
        assert_ne!(
            ReplayKeys::derive("a", "bc").lookup,
            ReplayKeys::derive("ab", "c").lookup
        );
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert_eq!(keys.open(b"registration 1", &tampered), None);
        assert_eq!(keys.open(b"registration 1", &sealed[..10]), None);
        assert_ne!(
            keys.seal(b"registration 1", b"x"),
            keys.seal(b"registration 1", b"x")
        );
    }

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("correct horse battery").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("anything", "not a hash"));
        assert!(matches!(
            hash_password("short"),
            Err(PasswordError::TooShort { .. })
        ));
    }

    #[test]
    fn tokens_are_random_hex_of_the_asked_length() {
        let (first, second) = (random_token(20), random_token(20));
        assert_eq!(first.len(), 40);
        assert_ne!(first, second);
        assert!(first.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn constant_time_eq_is_plain_equality() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}

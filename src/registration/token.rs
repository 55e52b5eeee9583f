//! The delegate's private token: 160 random bits, shown once in the private
//! link; only its SHA-256 is stored (a fast hash is right for random secrets).

use rand::RngCore;
use sha2::{Digest, Sha256};

pub struct PrivateToken(String);

impl PrivateToken {
    pub fn generate() -> PrivateToken {
        let mut bytes = [0u8; 20];
        rand::rng().fill_bytes(&mut bytes);
        PrivateToken(hex::encode(bytes))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> [u8; 32] {
        hash_token(&self.0)
    }
}

pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_distinct() {
        let first = PrivateToken::generate();
        let second = PrivateToken::generate();
        assert_eq!(first.as_str().len(), 40, "160 bits in hex");
        assert_ne!(first.as_str(), second.as_str());
        assert_ne!(first.hash(), second.hash());
        assert_eq!(first.hash(), hash_token(first.as_str()));
    }
}

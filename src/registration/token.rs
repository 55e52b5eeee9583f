//! The delegate's private token: 160 random bits, shown once in the private
//! link; only its SHA-256 is stored.

use crate::domain::secret;

pub struct PrivateToken(String);

impl PrivateToken {
    pub fn generate() -> PrivateToken {
        PrivateToken(secret::random_token(20))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> [u8; 32] {
        hash_token(&self.0)
    }
}

pub fn hash_token(token: &str) -> [u8; 32] {
    secret::sha256(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_160_bits_and_are_stored_hashed() {
        let first = PrivateToken::generate();
        let second = PrivateToken::generate();
        assert_eq!(first.as_str().len(), 40, "160 bits in hex");
        assert_ne!(first.as_str(), second.as_str());
        assert_eq!(first.hash(), hash_token(first.as_str()));
        assert_ne!(first.hash(), second.hash());
    }
}

//! Secrets: made from the OS's random source, stored only as argon2id hashes, checked in
//! constant time.

use argon2::{
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Makes a new secret: 32 random bytes, URL-safe base64 (43 characters, no `:`, so that it
/// fits `authorization: Bearer <id>:<secret>`).
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The argon2id PHC string of `secret`, with a fresh salt and the crate's default cost
/// (OWASP's m=19 MiB, t=2, p=1).
pub fn hash(secret: &str) -> String {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).expect("16 bytes are a valid salt");
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .expect("argon2 with default parameters hashes any input")
        .to_string()
}

/// Whether `secret` matches the PHC string `hash`. Slow on purpose (tens of ms): callers
/// cache a success with [`Digest`] below. A malformed hash matches nothing.
pub fn verify(secret: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(secret.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A fast, salted digest of a secret already verified against its argon2 hash, so that
/// later calls with the same secret skip argon2. The salt is random per process: the
/// digest is worthless outside it.
#[derive(Clone)]
pub struct SecretDigest([u8; 32]);

impl std::fmt::Debug for SecretDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretDigest(..)")
    }
}

impl SecretDigest {
    /// The digest of `secret` under `salt`.
    pub fn of(salt: &[u8; 32], secret: &str) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(salt);
        hasher.update(secret.as_bytes());
        Self(hasher.finalize().into())
    }

    /// Equality in constant time.
    pub fn matches(&self, other: &SecretDigest) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_verify_only_themselves() {
        let one = generate();
        let two = generate();
        assert_ne!(one, two);
        assert_eq!(one.len(), 43);
        assert!(!one.contains(':'));
        let hashed = hash(&one);
        assert!(hashed.starts_with("$argon2id$"));
        assert!(!hashed.contains(&one));
        assert!(verify(&one, &hashed));
        assert!(!verify(&two, &hashed));
        assert!(!verify(&one, "$argon2id$not-a-hash"));
    }

    #[test]
    fn digests_compare_by_value() {
        let salt = [7u8; 32];
        assert!(SecretDigest::of(&salt, "a").matches(&SecretDigest::of(&salt, "a")));
        assert!(!SecretDigest::of(&salt, "a").matches(&SecretDigest::of(&salt, "b")));
        assert!(!SecretDigest::of(&[8u8; 32], "a").matches(&SecretDigest::of(&salt, "a")));
    }
}

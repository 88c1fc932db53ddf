//! API tokens: `vx_` + 32 random base62 characters + a 6-character checksum.
//!
//! - 32 base62 characters from the operating system's CSPRNG carry about 190 bits: nobody can
//!   guess one, so a slow password hash would add nothing. The store keeps the SHA-256 of the
//!   whole token ([`TokenHash`]) and finds a key by it in one indexed lookup; the secret itself
//!   is never stored and never compared (two hashes are compared by the database index, which
//!   tells nothing about the secret).
//! - The prefix makes a leaked token recognisable to secret scanners, and `_` lets a
//!   double-click select the whole token (as GitHub's tokens do).
//! - The checksum (the first four bytes of the SHA-256 of the random part, in base62) lets a
//!   mistyped or invented token be refused before the database is asked.

use std::fmt;

use rand::Rng as _;
use rand::distr::Alphanumeric;
use sha2::{Digest, Sha256};
use vuxnav_store::TokenHash;

/// What every token starts with. Never change it: existing tokens carry it.
pub const PREFIX: &str = "vx_";
/// Random characters after the prefix.
const SECRET_LEN: usize = 32;
/// Checksum characters after the random part.
const CHECKSUM_LEN: usize = 6;
/// Characters of the random part shown in a key's hint.
const HINT_LEN: usize = 4;

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A well-formed token: the prefix, the random part and a matching checksum. Its `Debug` and
/// `Display` never show it; [`Token::expose`] does, for the one place that hands it out.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A new random token.
    pub fn generate() -> Self {
        let secret: String = rand::rng().sample_iter(Alphanumeric).take(SECRET_LEN).map(char::from).collect();
        let checksum = checksum(&secret);
        Self(format!("{PREFIX}{secret}{checksum}"))
    }

    /// Checks the form of `text` without asking anyone: the prefix, the length, base62 and
    /// the checksum. The error says nothing about which keys exist.
    pub fn parse(text: &str) -> Result<Self, Malformed> {
        let body = text.strip_prefix(PREFIX).ok_or(Malformed)?;
        if body.len() != SECRET_LEN + CHECKSUM_LEN || !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Malformed);
        }
        let (secret, sum) = body.split_at(SECRET_LEN);
        if checksum(secret) != sum {
            return Err(Malformed);
        }
        Ok(Self(text.to_owned()))
    }

    /// The SHA-256 of the whole token: what the store keeps and looks keys up by.
    pub fn hash(&self) -> TokenHash {
        TokenHash::from_bytes(Sha256::digest(self.0.as_bytes()).into())
    }

    /// The prefix and the first characters, to recognise the key in a list: `vx_AbCd`.
    pub fn hint(&self) -> String {
        self.0.chars().take(PREFIX.len() + HINT_LEN).collect()
    }

    /// The token in clear: shown once, when the key is created.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([REDACTED])")
    }
}

/// Not a vuxnav API token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a vuxnav API key")]
pub struct Malformed;

/// The base62 checksum of the random part, [`CHECKSUM_LEN`] characters.
fn checksum(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    let mut value = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
    let mut text = [b'0'; CHECKSUM_LEN];
    for slot in text.iter_mut().rev() {
        *slot = BASE62[(value % 62) as usize];
        value /= 62;
    }
    text.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_token_parses_and_hashes_to_the_same_value() {
        let token = Token::generate();
        let text = token.expose();
        assert!(text.starts_with("vx_"), "{text}");
        assert_eq!(text.len(), 3 + 32 + 6);
        let parsed = Token::parse(text).expect("a generated token is well-formed");
        assert_eq!(parsed.hash(), token.hash());
        assert_eq!(token.hint(), text[..7]);
    }

    #[test]
    fn two_tokens_differ() {
        assert_ne!(Token::generate(), Token::generate());
    }

    #[test]
    fn a_token_with_a_wrong_prefix_length_alphabet_or_checksum_is_malformed() {
        let good = Token::generate().expose().to_owned();
        let mut flipped = good.clone().into_bytes();
        flipped[5] = if flipped[5] == b'a' { b'b' } else { b'a' };
        let flipped = String::from_utf8(flipped).expect("ASCII");
        for bad in [
            "",
            "vx_",
            "Bearer x",
            &good[1..],
            &good[..good.len() - 1],
            &format!("{good}0"),
            &good.replace("vx_", "vux_"),
            &format!("vx_{}", "é".repeat(38)),
            &flipped,
        ] {
            assert_eq!(Token::parse(bad), Err(Malformed), "{bad:?}");
        }
    }

    #[test]
    fn a_token_never_prints_itself() {
        let token = Token::generate();
        assert!(!format!("{token:?}").contains(&token.expose()[3..]));
    }
}

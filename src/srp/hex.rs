//! Cognito's integer encodings: `padHex` and hashing of padded values.
//!
//! Cognito treats every SRP value as a positive two's-complement integer: the hex of n, a leading "0" to make
//! whole bytes, and "00" more when the top bit is set. Fixed-width encodings agree with it most of the time and
//! then fail for values whose top bits are zero, so every hash input goes through [`padded_bytes`].

use num_bigint::BigUint;
use sha2::{Digest, Sha256};

/// The bytes of `padHex(n)`: big-endian, minimal, with a 0x00 prefix when the top bit is set.
pub fn padded_bytes(n: &BigUint) -> Vec<u8> {
    let mut bytes = n.to_bytes_be();
    if bytes.first().is_some_and(|b| *b >= 0x80) {
        bytes.insert(0, 0);
    }
    bytes
}

/// `padHex(n)` as the official client writes it, lowercase.
pub fn pad_hex(n: &BigUint) -> String {
    encode(&padded_bytes(n))
}

/// Lowercase hex of bytes.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            out.extend(char::from_digit(u32::from(nibble), 16));
        }
    }
    out
}

/// Reads hex as an integer, the way Cognito's SALT and SRP_B are meant: leading zeros carry no meaning and odd
/// lengths are fine. `None` for empty input or a non-hex character.
pub fn parse_int(hex: &str) -> Option<BigUint> {
    if hex.is_empty() || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    BigUint::parse_bytes(hex.as_bytes(), 16)
}

/// SHA-256 over the concatenated `padHex` encodings of the parts, read back as an integer.
pub fn hash_padded(parts: &[&BigUint]) -> BigUint {
    let mut h = Sha256::new();
    for part in parts {
        h.update(padded_bytes(part));
    }
    BigUint::from_bytes_be(&h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(hex: &str) -> BigUint {
        parse_int(hex).unwrap()
    }

    #[test]
    fn pad_hex_follows_the_official_client() {
        assert_eq!(pad_hex(&BigUint::from(0u8)), "00");
        assert_eq!(pad_hex(&big("f")), "0f");
        assert_eq!(pad_hex(&big("7f")), "7f");
        assert_eq!(pad_hex(&big("80")), "0080");
        assert_eq!(pad_hex(&big("123")), "0123");
        assert_eq!(pad_hex(&big("fff")), "0fff");
        assert_eq!(pad_hex(&big("00000abc")), "0abc");
    }

    #[test]
    fn parse_int_rejects_what_is_not_hex() {
        assert!(parse_int("").is_none());
        assert!(parse_int("12g4").is_none());
        assert!(parse_int("-12").is_none());
        assert!(parse_int("+12").is_none());
        assert_eq!(parse_int("0001"), Some(BigUint::from(1u8)));
    }
}

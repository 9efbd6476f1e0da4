//! Cognito's integer encodings: `padHex` and hashing of padded values.
//!
//! Cognito treats every SRP value as a positive two's-complement integer: the hex of n, a leading "0" to make
//! whole bytes, and "00" more when the top bit is set. Fixed-width encodings agree with it most of the time and
//! then fail for values whose top bits are zero, so every hash input goes through [`padded_bytes`].

use sha2::{Digest, Sha256};

use super::Uint;

/// The bytes of `padHex(n)`: big-endian, minimal, with a 0x00 prefix when the top bit is set.
pub fn padded_bytes(n: &Uint) -> Vec<u8> {
    padded_be_bytes(n.to_be_bytes())
}

/// The bytes of `padHex` for an integer given as big-endian bytes (leading zero bytes are dropped first).
pub fn padded_be_bytes(bytes: &[u8]) -> Vec<u8> {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len().saturating_sub(1));
    let minimal = bytes.get(start..).unwrap_or_default();
    let mut out = Vec::with_capacity(minimal.len() + 1);
    if minimal.first().is_none_or(|b| *b >= 0x80) {
        out.push(0);
    }
    out.extend_from_slice(minimal);
    out
}

/// `padHex(n)` as the official client writes it, lowercase.
pub fn pad_hex(n: &Uint) -> String {
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
pub fn parse_int(hex: &str) -> Option<Uint> {
    Uint::from_hex(hex)
}

/// SHA-256 over the concatenated `padHex` encodings of the parts (big-endian bytes of integers).
pub fn hash_padded(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for part in parts {
        h.update(padded_be_bytes(part));
    }
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(hex: &str) -> Uint {
        parse_int(hex).unwrap()
    }

    #[test]
    fn pad_hex_follows_the_official_client() {
        assert_eq!(pad_hex(&Uint::from(0)), "00");
        assert_eq!(pad_hex(&big("f")), "0f");
        assert_eq!(pad_hex(&big("7f")), "7f");
        assert_eq!(pad_hex(&big("80")), "0080");
        assert_eq!(pad_hex(&big("123")), "0123");
        assert_eq!(pad_hex(&big("fff")), "0fff");
        assert_eq!(pad_hex(&big("00000abc")), "0abc");
        assert_eq!(padded_be_bytes(&[0, 0, 0x80]), [0, 0x80]);
        assert_eq!(padded_be_bytes(&[0, 0]), [0]);
        assert_eq!(padded_be_bytes(&[]), [0]);
    }

    #[test]
    fn parse_int_rejects_what_is_not_hex() {
        assert!(parse_int("").is_none());
        assert!(parse_int("12g4").is_none());
        assert!(parse_int("-12").is_none());
        assert!(parse_int("+12").is_none());
        assert_eq!(parse_int("0001"), Some(Uint::from(1)));
    }
}

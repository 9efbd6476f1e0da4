//! Software-token MFA: RFC 6238 TOTP (HMAC-SHA1, 30-second steps, 6 digits) over an RFC 4648 base32
//! secret, as authenticator apps and Cognito use it. Codes one step early or late are accepted for clock
//! drift.

use hmac::{Hmac, Mac};
use sha1::Sha1;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
pub const STEP_SECS: u64 = 30;
/// Cognito's secrets are 32 base32 characters: 20 random bytes, the HMAC-SHA1 key size.
pub const SECRET_BYTES: usize = 20;

/// Base32 without padding.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Decodes base32 (case-insensitive, `=` padding and spaces ignored); `None` on any other character.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| *c != '=' && *c != ' ') {
        let upper = c.to_ascii_uppercase();
        let value = ALPHABET.iter().position(|&a| char::from(a) == upper)? as u32;
        buffer = ((buffer << 5) | value) & 0xffff;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// A new random secret, base32-encoded.
pub fn new_secret() -> String {
    base32_encode(&crate::util::random_bytes(SECRET_BYTES))
}

/// The 6-digit code for time step `counter` (RFC 4226 HOTP with dynamic truncation).
pub fn hotp(key: &[u8], counter: u64) -> Option<String> {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).ok()?;
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest.last()? & 0x0f);
    let [b0, b1, b2, b3] = <[u8; 4]>::try_from(digest.get(offset..offset + 4)?).ok()?;
    let value = u32::from_be_bytes([b0 & 0x7f, b1, b2, b3]);
    Some(format!("{:06}", value % 1_000_000))
}

/// The code an authenticator shows at `unix_time` (the tests' authenticator app).
#[cfg_attr(not(test), allow(dead_code))]
pub fn code_at(secret_b32: &str, unix_time: u64) -> Option<String> {
    hotp(&base32_decode(secret_b32)?, unix_time / STEP_SECS)
}

/// Checks `code` against the steps around `unix_time` (±1 step).
pub fn verify(secret_b32: &str, code: &str, unix_time: u64) -> bool {
    let Some(key) = base32_decode(secret_b32) else {
        return false;
    };
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let step = unix_time / STEP_SECS;
    [step.saturating_sub(1), step, step + 1]
        .into_iter()
        .filter_map(|s| hotp(&key, s))
        .any(|expected| crate::srp::constant_time_eq(expected.as_bytes(), code.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_sha1_vectors() {
        // RFC 6238 appendix B, SHA-1 key "12345678901234567890", truncated to 6 digits.
        let secret = base32_encode(b"12345678901234567890");
        assert_eq!(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        for (t, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ] {
            assert_eq!(code_at(&secret, t).as_deref(), Some(code), "t={t}");
        }
    }

    #[test]
    fn base32_round_trip_and_window() {
        for len in 0..25 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(base32_decode(&base32_encode(&bytes)), Some(bytes));
        }
        assert_eq!(base32_decode("gezdgnbv").as_deref(), Some(&b"12345"[..]));
        assert_eq!(base32_decode("1!"), None);
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        let now = 1_700_000_000;
        let code = code_at(&secret, now).unwrap();
        assert!(verify(&secret, &code, now));
        assert!(verify(&secret, &code, now + STEP_SECS));
        assert!(verify(&secret, &code, now - STEP_SECS));
        assert!(!verify(&secret, &code, now + 3 * STEP_SECS));
        assert!(!verify(&secret, "12345", now));
        assert!(!verify("!!", &code, now));
    }
}

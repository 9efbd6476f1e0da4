//! Small helpers: clock, random identifiers, and Cognito's masking of code destinations.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::{Rng, RngCore};

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A random (version 4) UUID in its lowercase hyphenated form, as Cognito uses for `sub` and JWT ids.
pub fn uuid_v4() -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    uuid_from_bytes(&b)
}

/// A version-4-shaped UUID made of (the first 16 of) `bytes`, for stable decoys.
pub fn uuid_from_bytes(bytes: &[u8]) -> String {
    let mut b = [0u8; 16];
    for (d, s) in b.iter_mut().zip(bytes) {
        *d = *s;
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// `len` random bytes.
pub fn random_bytes(len: usize) -> Vec<u8> {
    let mut b = vec![0u8; len];
    rand::thread_rng().fill_bytes(&mut b);
    b
}

/// An opaque random string (base64url) carrying `len` bytes of entropy.
pub fn opaque_token(len: usize) -> String {
    URL_SAFE_NO_PAD.encode(random_bytes(len))
}

/// `len` random characters from `alphabet` (uniformly: `gen_range` rejects biased draws).
fn random_from(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len)
        .filter_map(|_| alphabet.get(rng.gen_range(0..alphabet.len())))
        .map(|&b| b as char)
        .collect()
}

/// Lowercase letters and digits, the alphabet of Cognito app-client ids and secrets.
pub fn random_lower_alnum(len: usize) -> String {
    random_from(b"abcdefghijklmnopqrstuvwxyz0123456789", len)
}

/// Mixed-case letters and digits, the alphabet of the part of a pool id after the region.
pub fn random_alnum(len: usize) -> String {
    random_from(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        len,
    )
}

/// An app-client secret (Cognito's are 51 lowercase alphanumerics).
pub fn random_secret(len: usize) -> String {
    random_lower_alnum(len)
}

/// A six-digit confirmation code.
pub fn confirmation_code() -> String {
    format!("{:06}", rand::thread_rng().gen_range(0..1_000_000u32))
}

/// Masks an email like Cognito: `alice@example.com` → `a***@e***`.
pub fn mask_email(email: &str) -> String {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    format!("{}***@{}***", first(local), first(domain))
}

/// Masks a phone number like Cognito: `+15551234567` → `+*******4567`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    let keep = chars.len().saturating_sub(4);
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 && *c == '+' || i >= keep {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

/// Decodes `%XX` escapes in a URL path segment (for `/__emulator__/codes/<username>`).
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_shape() {
        let u = uuid_v4();
        assert_eq!(u.len(), 36);
        assert_eq!(u.as_bytes()[14], b'4');
        assert!(matches!(u.as_bytes()[19], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(u, uuid_v4());
    }

    #[test]
    fn masks() {
        assert_eq!(mask_email("alice@example.com"), "a***@e***");
        assert_eq!(mask_phone("+15551234567"), "+*******4567");
        assert_eq!(mask_phone("12"), "12");
    }

    #[test]
    fn codes_and_decoding() {
        let c = confirmation_code();
        assert_eq!(c.len(), 6);
        assert!(c.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(percent_decode("a%40b.com").as_deref(), Some("a@b.com"));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%4"), None);
    }
}

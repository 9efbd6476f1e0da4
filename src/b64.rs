//! Base64 (RFC 4648): the standard alphabet with padding, and the URL-safe alphabet without.
//!
//! Why not the `base64` crate: its general-purpose engine (configurable alphabets, padding modes, chunked SIMD-
//! friendly decoding) was ~6 KB of the wasm for the SDK's four uses, all of a few dozen bytes: SECRET_HASH, the
//! password claim signature and the device verifier (encoded), SECRET_BLOCK (decoded, standard) and the JWT
//! payload (decoded, base64url). Decoding is strict, as the crate's `STANDARD` and `URL_SAFE_NO_PAD` engines
//! are: canonical padding only where padding belongs, no stray characters, and zero unused bits in the last
//! symbol, so a text has one decoding and a malformed one is an error rather than a guess.

/// `bytes` in the standard alphabet, padded with `=` to a multiple of four characters.
#[must_use]
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let mut group = 0u32;
        for (i, b) in chunk.iter().enumerate() {
            group |= u32::from(*b) << (16 - 8 * i);
        }
        // A chunk of n bytes fills n + 1 symbols; the rest of the four are padding.
        for i in 0..4 {
            out.push(if i <= chunk.len() { symbol(group >> (18 - 6 * i)) } else { '=' });
        }
    }
    out
}

/// Decodes the standard alphabet with canonical padding (a length that is a multiple of four), or `None`.
#[must_use]
pub fn decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 != 0 {
        return None;
    }
    // At most two `=`, and only at the end; any other `=` is refused below as a stray character. Because the
    // length is a multiple of four, the symbols left over are exactly as many as the padding says.
    let symbols = text.strip_suffix("==").or_else(|| text.strip_suffix('=')).unwrap_or(text);
    decode_symbols(symbols, false)
}

/// Decodes the URL-safe alphabet (`-` and `_`) without padding, or `None`.
#[must_use]
pub fn decode_url(text: &str) -> Option<Vec<u8>> {
    decode_symbols(text, true)
}

/// The symbol for the low six bits of `v`. Arithmetic rather than a table lookup: nothing to index.
fn symbol(v: u32) -> char {
    let v = (v & 63) as u8;
    char::from(match v {
        0..=25 => b'A' + v,
        26..=51 => b'a' + (v - 26),
        52..=61 => b'0' + (v - 52),
        62 => b'+',
        _ => b'/',
    })
}

/// The six-bit value of symbol `c` in the standard or URL-safe alphabet.
fn value(c: u8, url_safe: bool) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' if !url_safe => 62,
        b'/' if !url_safe => 63,
        b'-' if url_safe => 62,
        b'_' if url_safe => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decodes unpadded symbols: whole groups of four, then a tail of two or three symbols whose unused low bits
/// must be zero. A tail of one symbol cannot encode a byte and is refused.
fn decode_symbols(text: &str, url_safe: bool) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let (mut group, mut count) = (0u32, 0u32);
    for c in text.bytes() {
        group = (group << 6) | value(c, url_safe)?;
        count += 1;
        if count == 4 {
            out.extend_from_slice(&[(group >> 16) as u8, (group >> 8) as u8, group as u8]);
            (group, count) = (0, 0);
        }
    }
    match count {
        0 => {}
        2 if group & 0xf == 0 => out.push((group >> 4) as u8),
        3 if group & 0x3 == 0 => out.extend_from_slice(&[(group >> 10) as u8, (group >> 2) as u8]),
        _ => return None,
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    use base64::Engine as _;

    /// RFC 4648 §10.
    const VECTORS: [(&str, &str); 7] = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];

    #[test]
    fn rfc_4648_vectors() {
        for (plain, encoded) in VECTORS {
            assert_eq!(encode(plain.as_bytes()), encoded);
            assert_eq!(decode(encoded).as_deref(), Some(plain.as_bytes()), "{encoded}");
            let unpadded = crate::text::trim_end_byte(encoded, b'=');
            assert_eq!(decode_url(unpadded).as_deref(), Some(plain.as_bytes()), "{unpadded}");
        }
    }

    #[test]
    fn alphabets_differ_in_62_and_63() {
        assert_eq!(encode(&[0xfb, 0xff]), "+/8=");
        assert_eq!(decode("+/8=").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(decode_url("-_8").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(decode("-_8="), None);
        assert_eq!(decode_url("+/8"), None);
    }

    #[test]
    fn malformed_texts_are_refused() {
        for bad in ["Zg", "Zg=", "Zg===", "Z===", "====", "Zh==", "Zm9=", "Zm9vY===", "Zm9v!A==", "Zm 9v", "=Zm9", "Zg==Zg==", "Zm9vYmFy\n"] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
        for bad in ["Z", "Zh", "Zm9", "Zm9vY", "Zg==", "Zm8=", "Zm9v+", "Zm9v/", "Zm.9"] {
            assert_eq!(decode_url(bad), None, "{bad:?}");
        }
    }

    /// Agrees with the `base64` crate's `STANDARD` and `URL_SAFE_NO_PAD` engines, which the SDK used before.
    #[test]
    fn agrees_with_the_base64_crate() {
        let bytes: Vec<u8> = (0..300u32).map(|i| (i.wrapping_mul(151) ^ (i >> 3)) as u8).collect();
        for len in 0..bytes.len() {
            let data = &bytes[..len];
            let standard = STANDARD.encode(data);
            assert_eq!(encode(data), standard);
            assert_eq!(decode(&standard).as_deref(), Some(data));
            assert_eq!(decode_url(&URL_SAFE_NO_PAD.encode(data)).as_deref(), Some(data));
        }
        // Every two- and three-symbol tail: accepted and decoded exactly when the crate accepts it.
        let symbols: Vec<char> = "AZaz09+/-_=.Bb".chars().collect();
        for a in &symbols {
            for b in &symbols {
                for tail in [format!("{a}{b}=="), format!("AAAA{a}{b}"), format!("{a}{b}A="), format!("{a}{b}Q")] {
                    assert_eq!(decode(&tail), STANDARD.decode(&tail).ok(), "{tail:?}");
                    assert_eq!(decode_url(&tail), URL_SAFE_NO_PAD.decode(&tail).ok(), "{tail:?}");
                }
            }
        }
    }
}

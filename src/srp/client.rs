//! The client side of Cognito's SRP-6a, one function per formula.
//!
//! Each `compute_*` is the formula in its doc comment and nothing else, so the known-answer tests can check
//! every intermediate value against the official client.

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::hex::{hash_padded, padded_be_bytes, padded_bytes};
use super::{group, mont, Uint};

/// HKDF info. HKDF-Expand appends the block counter 0x01 itself, so the HMAC input is this label ‖ 0x01, which
/// is how the official client writes it out by hand.
const DERIVED_KEY_INFO: &[u8] = b"Caldera Derived Key";

/// A = g^a mod N.
#[must_use]
pub fn compute_a(a: &Uint) -> Uint {
    Uint::from_be_bytes(&public_a(&words(a)))
}

/// A = g^a mod N as 384 big-endian bytes, for `a` as little-endian 32-bit words (constant-time in `a` for a
/// given length).
pub(crate) fn public_a(a: &[u32]) -> [u8; 384] {
    mont::from_mont(&mont::pow_g(a))
}

/// Little-endian 32-bit words of an integer, as many as its minimal bytes need.
fn words(v: &Uint) -> Vec<u32> {
    let bytes = v.to_be_bytes();
    if bytes == [0] {
        return Vec::new();
    }
    mont::words_from_be_bytes(bytes)
}

/// u = H(padHex(A) ‖ padHex(B)).
#[must_use]
pub fn compute_u(a_pub: &Uint, b_pub: &Uint) -> Uint {
    Uint::from_be_bytes(&hash_padded(&[a_pub.to_be_bytes(), b_pub.to_be_bytes()]))
}

/// x = H(padHex(salt) ‖ H(poolName ‖ userIdForSrp ‖ ":" ‖ password)), the password UTF-8 encoded.
#[must_use]
pub fn compute_x(salt: &Uint, pool_name: &str, user_id_for_srp: &str, password: &str) -> Uint {
    Uint::from_be_bytes(&x_digest(salt, pool_name, user_id_for_srp, password))
}

/// x as the 32 bytes of its digest, leading zeros kept: what the exponentiations use.
pub(crate) fn x_digest(salt: &Uint, pool_name: &str, user_id_for_srp: &str, password: &str) -> [u8; 32] {
    let identity = Sha256::new()
        .chain_update(pool_name.as_bytes())
        .chain_update(user_id_for_srp.as_bytes())
        .chain_update(b":")
        .chain_update(password.as_bytes())
        .finalize();
    Sha256::new().chain_update(padded_bytes(salt)).chain_update(identity).finalize().into()
}

/// S = (B − k·g^x)^(a + u·x) mod N, with B − k·g^x brought into [0, N). Neither x nor a + u·x is reduced.
#[must_use]
pub fn compute_s(a: &Uint, b_pub: &Uint, u: &Uint, x: &Uint) -> Uint {
    let b = mont::to_mont(b_pub.to_be_bytes());
    Uint::from_be_bytes(&shared_secret(&words(a), &b, &words(u), &words(x)))
}

/// S as 384 big-endian bytes, for `a`, `u` and `x` as little-endian 32-bit words and B in Montgomery form.
/// Constant-time in `a` and `x` (and in everything derived from them: g^x, the base B − k·g^x, the exponent
/// a + u·x and S) for given word lengths; B and u are public.
pub(crate) fn shared_secret(a: &[u32], b_pub: &mont::Fe, u: &[u32], x: &[u32]) -> [u8; 384] {
    let kgx = mont::mont_mul(&k_mont(), &mont::pow_g(x));
    let base = mont::sub_mod(b_pub, &kgx);
    let exponent = mont::add_mul(a, u, x);
    // a + u·x < 2^bits for these word lengths: 513 bits for sign-in's 256-bit a, u and x, not the 17 words'
    // 544. The length is public; the value does not enter it.
    let bits = 32 * a.len().max(u.len() + x.len()) + 1;
    mont::from_mont(&mont::pow_bits(&base, &exponent, bits))
}

/// k in Montgomery form, computed once.
fn k_mont() -> mont::Fe {
    static K: std::sync::OnceLock<mont::Fe> = std::sync::OnceLock::new();
    *K.get_or_init(|| mont::to_mont(group().k.to_be_bytes()))
}

/// key = HKDF-SHA256(ikm = padHex(S), salt = padHex(u), info = "Caldera Derived Key"), first 16 bytes.
#[must_use]
pub fn compute_key(s: &Uint, u: &Uint) -> [u8; 16] {
    key_from_bytes(s.to_be_bytes(), u.to_be_bytes())
}

/// [`compute_key`] for S and u as big-endian bytes (leading zero bytes are dropped, as padHex does).
pub(crate) fn key_from_bytes(s: &[u8], u: &[u8]) -> [u8; 16] {
    let hk = Hkdf::<Sha256>::new(Some(&padded_be_bytes(u)), &padded_be_bytes(s));
    let mut key = [0u8; 16];
    // 16 bytes is within HKDF-SHA256's 8160-byte limit, so expand cannot fail.
    let _ = hk.expand(DERIVED_KEY_INFO, &mut key);
    key
}

/// PASSWORD_CLAIM_SIGNATURE = base64(HMAC-SHA256(key, poolName ‖ userIdForSrp ‖ secretBlock ‖ timestamp)).
#[must_use]
pub fn compute_signature(
    key: &[u8; 16],
    pool_name: &str,
    user_id_for_srp: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> String {
    // HMAC accepts keys of any length.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(pool_name.as_bytes());
    mac.update(user_id_for_srp.as_bytes());
    mac.update(secret_block);
    mac.update(timestamp.as_bytes());
    crate::b64::encode(&mac.finalize().into_bytes())
}

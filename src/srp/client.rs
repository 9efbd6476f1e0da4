//! The client side of Cognito's SRP-6a, one function per formula.
//!
//! Each `compute_*` is the formula in its doc comment and nothing else, so the known-answer tests can check
//! every intermediate value against the official client.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use sha2::{Digest, Sha256};

use super::hex::{hash_padded, padded_bytes};
use super::mont;

/// HKDF info. HKDF-Expand appends the block counter 0x01 itself, so the HMAC input is this label ‖ 0x01, which
/// is how the official client writes it out by hand.
const DERIVED_KEY_INFO: &[u8] = b"Caldera Derived Key";

/// A = g^a mod N.
#[must_use]
pub fn compute_a(a: &BigUint) -> BigUint {
    public_a(&a.to_u32_digits())
}

/// A = g^a mod N for `a` as little-endian 32-bit words (constant-time in `a` for a given length).
pub(crate) fn public_a(a: &[u32]) -> BigUint {
    BigUint::from_bytes_be(&mont::from_mont(&mont::pow_g(a)))
}

/// u = H(padHex(A) ‖ padHex(B)).
#[must_use]
pub fn compute_u(a_pub: &BigUint, b_pub: &BigUint) -> BigUint {
    hash_padded(&[a_pub, b_pub])
}

/// x = H(padHex(salt) ‖ H(poolName ‖ userIdForSrp ‖ ":" ‖ password)), the password UTF-8 encoded.
#[must_use]
pub fn compute_x(salt: &BigUint, pool_name: &str, user_id_for_srp: &str, password: &str) -> BigUint {
    BigUint::from_bytes_be(&x_digest(salt, pool_name, user_id_for_srp, password))
}

/// x as the 32 bytes of its digest, leading zeros kept: what the exponentiations use.
pub(crate) fn x_digest(salt: &BigUint, pool_name: &str, user_id_for_srp: &str, password: &str) -> [u8; 32] {
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
pub fn compute_s(a: &BigUint, b_pub: &BigUint, u: &BigUint, x: &BigUint) -> BigUint {
    shared_secret(&a.to_u32_digits(), b_pub, &u.to_u32_digits(), &x.to_u32_digits())
}

/// S for `a`, `u` and `x` as little-endian 32-bit words. Constant-time in `a` and `x` (and in everything derived
/// from them: g^x, the base B − k·g^x, the exponent a + u·x and S) for given word lengths; B and u are public.
pub(crate) fn shared_secret(a: &[u32], b_pub: &BigUint, u: &[u32], x: &[u32]) -> BigUint {
    let kgx = mont::mont_mul(&mont::k(), &mont::pow_g(x));
    let base = mont::sub_mod(&mont::to_mont(b_pub), &kgx);
    let exponent = mont::add_mul(a, u, x);
    BigUint::from_bytes_be(&mont::from_mont(&mont::pow(&base, &exponent)))
}

/// key = HKDF-SHA256(ikm = padHex(S), salt = padHex(u), info = "Caldera Derived Key"), first 16 bytes.
#[must_use]
pub fn compute_key(s: &BigUint, u: &BigUint) -> [u8; 16] {
    let hk = Hkdf::<Sha256>::new(Some(&padded_bytes(u)), &padded_bytes(s));
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
    BASE64.encode(mac.finalize().into_bytes())
}

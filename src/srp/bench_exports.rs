//! wasm-bindgen exports for the benchmark harness (`make bench`, tests/bench/): built only with the `bench`
//! feature, never part of the shipped package.
#![allow(missing_docs)]

use num_bigint::BigUint;
use wasm_bindgen::prelude::*;

use super::{hex, mont, SrpClient, Uint, VerifierChallenge, PRIVATE_EPHEMERAL_BYTES};

fn int(hex_str: &str) -> Result<Uint, JsError> {
    hex::parse_int(hex_str).ok_or_else(|| JsError::new("not hex"))
}

fn words(v: &Uint) -> Vec<u32> {
    if v.is_zero() { Vec::new() } else { mont::words_from_be_bytes(v.to_be_bytes()) }
}

/// The SRP client computation of one sign-in: A from 32 random bytes, then the password claim signature.
/// Returns "A-hex signature" so the harness can check it against the other implementations.
#[wasm_bindgen(js_name = benchSrpClient)]
#[allow(clippy::too_many_arguments)]
pub fn bench_srp_client(
    random: &[u8],
    salt: &str,
    srp_b: &str,
    secret_block: &str,
    user_id_for_srp: &str,
    pool_name: &str,
    password: &str,
    timestamp: &str,
) -> Result<String, JsError> {
    let random: [u8; PRIVATE_EPHEMERAL_BYTES] =
        random.try_into().map_err(|_| JsError::new("random must be 32 bytes"))?;
    let client = SrpClient::new(&random).map_err(|e| JsError::new(&e.to_string()))?;
    let a_pub = client.public_a_hex();
    let challenge = VerifierChallenge { salt, srp_b, secret_block, user_id_for_srp };
    let signature = client
        .password_claim_signature(&challenge, pool_name, password, timestamp)
        .map_err(|e| JsError::new(&e.to_string()))?;
    Ok(format!("{a_pub} {signature}"))
}

/// base^exp mod N with the SDK's constant-time fixed-window exponentiation.
#[wasm_bindgen(js_name = benchModpow)]
pub fn bench_modpow(base_hex: &str, exp_hex: &str) -> Result<String, JsError> {
    let (base, exp) = (int(base_hex)?, int(exp_hex)?);
    let r = mont::from_mont(&mont::pow(&mont::to_mont(base.to_be_bytes()), &words(&exp)));
    Ok(Uint::from_be_bytes(&r).to_hex())
}

/// g^exp mod N as the SDK computes A and g^x (the comb for exponents up to 256 bits).
#[wasm_bindgen(js_name = benchModpowG)]
pub fn bench_modpow_g(exp_hex: &str) -> Result<String, JsError> {
    let exp = int(exp_hex)?;
    Ok(Uint::from_be_bytes(&mont::from_mont(&mont::pow_g(&words(&exp)))).to_hex())
}

/// base^exp mod N with num-bigint's `modpow` (what the SDK used before), for comparison.
#[wasm_bindgen(js_name = benchModpowNumBigint)]
pub fn bench_modpow_num_bigint(base_hex: &str, exp_hex: &str) -> Result<String, JsError> {
    let big = |v: Uint| BigUint::from_bytes_be(v.to_be_bytes());
    let (base, exp) = (big(int(base_hex)?), big(int(exp_hex)?));
    Ok(base.modpow(&exp, &big(super::group().n.clone())).to_str_radix(16))
}

/// `iters` Montgomery squarings (`square`) or multiplications of a fixed value; returns a limb so the work is kept.
#[wasm_bindgen(js_name = benchMontLoop)]
pub fn bench_mont_loop(iters: u32, square: bool) -> u32 {
    let mut x = mont::to_mont(&[0x5a; 384]);
    let y = x;
    for _ in 0..iters {
        x = if square { mont::mont_sqr(&x) } else { mont::mont_mul(&x, &y) };
    }
    x.0.first().copied().unwrap_or(0) as u32
}

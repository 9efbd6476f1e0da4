//! Known-answer tests: every intermediate SRP value against what amazon-cognito-identity-js computes for the
//! same inputs (`tests/vectors/srp.json`, written by `tests/vectors/generate.mjs`).
#![cfg(not(target_arch = "wasm32"))]

use cognito_wasm::srp::{
    compute_a, compute_key, compute_s, compute_signature, compute_u, compute_x, format_timestamp, hex,
    SrpClient, Uint, VerifierChallenge,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct Vectors {
    srp: Vec<SrpVector>,
    timestamps: Vec<TimestampVector>,
}

#[derive(Deserialize)]
#[allow(non_snake_case)]
struct SrpVector {
    name: String,
    pool_name: String,
    user_id_for_srp: String,
    password: String,
    a: String,
    A: String,
    B: String,
    salt: String,
    u: String,
    x: String,
    S: String,
    key: String,
    secret_block: String,
    timestamp: String,
    signature: String,
}

#[derive(Deserialize)]
struct TimestampVector {
    unix_ms: i64,
    formatted: String,
}

fn vectors() -> Vectors {
    serde_json::from_str(include_str!("vectors/srp.json")).expect("tests/vectors/srp.json is readable")
}

fn int(v: &str) -> Uint {
    hex::parse_int(v).unwrap_or_else(|| panic!("not hex: {v}"))
}

#[test]
fn every_intermediate_value_matches_the_official_client() {
    let vectors = vectors();
    assert!(vectors.srp.len() >= 50, "only {} vectors", vectors.srp.len());
    for v in &vectors.srp {
        let (a, b, salt) = (int(&v.a), int(&v.B), int(&v.salt));
        let a_pub = compute_a(&a);
        assert_eq!(a_pub, int(&v.A), "bad A: {}", v.name);
        let u = compute_u(&a_pub, &b);
        assert_eq!(u, int(&v.u), "bad u: {}", v.name);
        let x = compute_x(&salt, &v.pool_name, &v.user_id_for_srp, &v.password);
        assert_eq!(x, int(&v.x), "bad x: {}", v.name);
        let s = compute_s(&a, &b, &u, &x);
        assert_eq!(s, int(&v.S), "bad S: {}", v.name);
        let key = compute_key(&s, &u);
        assert_eq!(hex::encode(&key), v.key, "bad key: {}", v.name);
        let block = base64_decode(&v.secret_block);
        let signature = compute_signature(&key, &v.pool_name, &v.user_id_for_srp, &block, &v.timestamp);
        assert_eq!(signature, v.signature, "bad signature: {}", v.name);
    }
}

#[test]
fn the_client_state_machine_signs_what_the_official_client_signs() {
    for v in &vectors().srp {
        let client = SrpClient::with_private(int(&v.a)).unwrap();
        assert_eq!(client.public_a_hex(), v.A, "SRP_A as sent: {}", v.name);
        let challenge = VerifierChallenge {
            salt: &v.salt,
            srp_b: &v.B,
            secret_block: &v.secret_block,
            user_id_for_srp: &v.user_id_for_srp,
        };
        let signature = client.password_claim_signature(&challenge, &v.pool_name, &v.password, &v.timestamp);
        assert_eq!(signature.as_deref(), Ok(v.signature.as_str()), "{}", v.name);
    }
}

#[test]
fn timestamps_match_the_official_date_helper() {
    let vectors = vectors();
    assert!(vectors.timestamps.len() >= 20);
    for t in &vectors.timestamps {
        assert_eq!(format_timestamp(t.unix_ms.div_euclid(1000)), t.formatted, "at {} ms", t.unix_ms);
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).expect("vector secret blocks are base64")
}

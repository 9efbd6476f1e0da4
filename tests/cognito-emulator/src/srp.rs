//! Server side of Cognito's SRP-6a variant (USER_SRP_AUTH → PASSWORD_VERIFIER).
//!
//! Every value that is hashed goes through [`pad_hex`] first, exactly as the official client does: the
//! numbers are treated as positive two's-complement integers, so a value whose top bit is set gets a
//! leading zero byte. Getting this wrong fails only for a fraction of values, which is why the tests below
//! exercise small and "high-bit" numbers explicitly.

use std::sync::OnceLock;

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use num_traits::Zero;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// RFC 3526 group 15: the 3072-bit MODP prime.
const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
);

/// HKDF info string fixed by Cognito; the HKDF block counter 0x01 is appended by `expand`.
const DERIVED_KEY_INFO: &[u8] = b"Caldera Derived Key";

/// The SRP group: prime N, generator g = 2 and multiplier k = H(padHex(N) ‖ padHex(g)).
pub struct Group {
    pub n: BigUint,
    pub g: BigUint,
    pub k: BigUint,
}

/// The group is fixed, so it is computed once.
pub fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(|| {
        // N_HEX is a compile-time constant of valid hex digits, so parsing cannot fail; fall back to zero
        // rather than panic to honour the no-panic rule.
        let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap_or_default();
        let g = BigUint::from(2u32);
        let k = hash_ints(&[&n, &g]);
        Group { n, g, k }
    })
}

/// Cognito's `padHex`: lowercase hex; a leading "0" if the length is odd; "00" if the first digit is 8–f.
// Kept as the reference definition that `padded_bytes` is tested against.
#[cfg_attr(not(test), allow(dead_code))]
pub fn pad_hex(n: &BigUint) -> String {
    let mut hex = n.to_str_radix(16);
    if hex.len() % 2 == 1 {
        hex.insert(0, '0');
    } else if hex.starts_with(['8', '9', 'a', 'b', 'c', 'd', 'e', 'f']) {
        hex.insert_str(0, "00");
    }
    hex
}

/// The bytes `padHex(n)` decodes to: big-endian magnitude, with a 0x00 in front when the top bit is set.
pub fn padded_bytes(n: &BigUint) -> Vec<u8> {
    let mut bytes = n.to_bytes_be();
    if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        bytes.insert(0, 0);
    }
    bytes
}

/// H(padHex(a) ‖ padHex(b) ‖ …) read back as an integer.
pub fn hash_ints(values: &[&BigUint]) -> BigUint {
    let mut h = Sha256::new();
    for v in values {
        h.update(padded_bytes(v));
    }
    BigUint::from_bytes_be(&h.finalize())
}

/// Parses a hex integer as SRP values travel on the wire (any length, odd allowed, no sign, no prefix).
pub fn parse_hex(text: &str) -> Option<BigUint> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    BigUint::parse_bytes(text.as_bytes(), 16)
}

/// x = H(padHex(salt) ‖ H(poolName ‖ userIdForSrp ‖ ":" ‖ password)).
pub fn private_x(
    salt: &BigUint,
    pool_name: &str,
    user_id_for_srp: &str,
    password: &str,
) -> BigUint {
    let inner = Sha256::new()
        .chain_update(pool_name.as_bytes())
        .chain_update(user_id_for_srp.as_bytes())
        .chain_update(b":")
        .chain_update(password.as_bytes())
        .finalize();
    let outer = Sha256::new()
        .chain_update(padded_bytes(salt))
        .chain_update(inner)
        .finalize();
    BigUint::from_bytes_be(&outer)
}

/// v = g^x mod N: what the server stores instead of the password.
pub fn verifier(salt: &BigUint, pool_name: &str, user_id_for_srp: &str, password: &str) -> BigUint {
    let grp = group();
    grp.g.modpow(
        &private_x(salt, pool_name, user_id_for_srp, password),
        &grp.n,
    )
}

/// A random positive integer of `bytes` bytes.
pub fn random_int(bytes: usize) -> BigUint {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    BigUint::from_bytes_be(&buf)
}

/// The server's ephemeral pair for one challenge.
#[derive(Debug, Clone)]
pub struct ServerEphemeral {
    pub b: BigUint,
    pub big_b: BigUint,
}

impl ServerEphemeral {
    /// b random (256 bits), B = (k·v + g^b) mod N, drawn again in the (astronomically unlikely) case B ≡ 0.
    pub fn generate(v: &BigUint) -> Self {
        let grp = group();
        loop {
            let b = random_int(32);
            if b.is_zero() {
                continue;
            }
            let big_b = (&grp.k * v + grp.g.modpow(&b, &grp.n)) % &grp.n;
            if !big_b.is_zero() {
                return ServerEphemeral { b, big_b };
            }
        }
    }
}

/// Why a PASSWORD_VERIFIER answer could not be checked.
#[derive(Debug, PartialEq, Eq)]
pub enum SrpError {
    /// u = H(A ‖ B) came out zero: the exchange must be aborted.
    ZeroScrambler,
    /// The claim signature is not valid base64.
    BadSignatureEncoding,
    /// Key derivation failed (cannot happen for a 16-byte output; typed instead of panicking).
    KeyDerivation,
}

/// The 16-byte key both sides derive: HKDF-SHA256(ikm = padHex(S), salt = padHex(u), "Caldera Derived Key").
pub fn server_session_key(
    big_a: &BigUint,
    big_b: &BigUint,
    b: &BigUint,
    v: &BigUint,
) -> Result<[u8; 16], SrpError> {
    let grp = group();
    let u = hash_ints(&[big_a, big_b]);
    if u.is_zero() {
        return Err(SrpError::ZeroScrambler);
    }
    let s = (big_a * v.modpow(&u, &grp.n)).modpow(b, &grp.n);
    derive_key(&s, &u)
}

/// HKDF step shared by the server computation and the test client.
pub fn derive_key(s: &BigUint, u: &BigUint) -> Result<[u8; 16], SrpError> {
    let hk = Hkdf::<Sha256>::new(Some(&padded_bytes(u)), &padded_bytes(s));
    let mut okm = [0u8; 16];
    hk.expand(DERIVED_KEY_INFO, &mut okm)
        .map_err(|_| SrpError::KeyDerivation)?;
    Ok(okm)
}

/// HMAC-SHA256(key, poolName ‖ userIdForSrp ‖ secretBlock ‖ timestamp) as a ready-to-finalize MAC.
pub fn claim_mac(
    key: &[u8; 16],
    pool_name: &str,
    user_id_for_srp: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> Result<Hmac<Sha256>, SrpError> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(|_| SrpError::KeyDerivation)?;
    mac.update(pool_name.as_bytes());
    mac.update(user_id_for_srp.as_bytes());
    mac.update(secret_block);
    mac.update(timestamp.as_bytes());
    Ok(mac)
}

/// Checks PASSWORD_CLAIM_SIGNATURE in constant time. `Ok(false)` means a wrong password (or wrong anything).
pub fn verify_claim(
    key: &[u8; 16],
    pool_name: &str,
    user_id_for_srp: &str,
    secret_block: &[u8],
    timestamp: &str,
    signature_b64: &str,
) -> Result<bool, SrpError> {
    use base64::Engine;
    let Ok(signature) = base64::engine::general_purpose::STANDARD.decode(signature_b64.trim())
    else {
        return Err(SrpError::BadSignatureEncoding);
    };
    let mac = claim_mac(key, pool_name, user_id_for_srp, secret_block, timestamp)?;
    Ok(mac.verify_slice(&signature).is_ok())
}

/// Constant-time equality for verifiers (USER_PASSWORD_AUTH recomputes v and compares).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
pub mod test_client {
    //! A minimal client-side SRP computation, independent of the server path, used to produce real
    //! signatures in tests (the same formulas the official client uses).
    use super::*;

    pub struct Client {
        pub a: BigUint,
        pub big_a: BigUint,
    }

    impl Client {
        pub fn new() -> Self {
            let grp = group();
            let a = random_int(128);
            let big_a = grp.g.modpow(&a, &grp.n);
            Client { a, big_a }
        }

        pub fn with_a(a: BigUint) -> Self {
            let grp = group();
            let big_a = grp.g.modpow(&a, &grp.n);
            Client { a, big_a }
        }

        /// S = (B − k·g^x)^(a + u·x) mod N, key = HKDF(S, u).
        pub fn session_key(
            &self,
            big_b: &BigUint,
            salt: &BigUint,
            pool: &str,
            id: &str,
            pw: &str,
        ) -> [u8; 16] {
            let grp = group();
            let u = hash_ints(&[&self.big_a, big_b]);
            let x = private_x(salt, pool, id, pw);
            let gx = grp.g.modpow(&x, &grp.n);
            let kgx = (&grp.k * gx) % &grp.n;
            let base = ((big_b % &grp.n) + &grp.n - kgx) % &grp.n;
            let exp = &self.a + &u * &x;
            let s = base.modpow(&exp, &grp.n);
            derive_key(&s, &u).unwrap()
        }

        // Mirrors the official client's inputs one for one, which reads better in tests than a struct.
        #[allow(clippy::too_many_arguments)]
        pub fn signature(
            &self,
            big_b: &BigUint,
            salt: &BigUint,
            pool: &str,
            id: &str,
            pw: &str,
            secret_block: &[u8],
            timestamp: &str,
        ) -> String {
            use base64::Engine;
            let key = self.session_key(big_b, salt, pool, id, pw);
            let tag = claim_mac(&key, pool, id, secret_block, timestamp)
                .unwrap()
                .finalize()
                .into_bytes();
            base64::engine::general_purpose::STANDARD.encode(tag)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_client::Client;
    use super::*;

    fn int(hex: &str) -> BigUint {
        BigUint::parse_bytes(hex.as_bytes(), 16).unwrap()
    }

    #[test]
    fn pad_hex_rules() {
        assert_eq!(pad_hex(&BigUint::zero()), "00");
        assert_eq!(pad_hex(&int("1")), "01");
        assert_eq!(pad_hex(&int("7f")), "7f");
        assert_eq!(pad_hex(&int("80")), "0080");
        assert_eq!(pad_hex(&int("abc")), "0abc");
        assert_eq!(pad_hex(&int("ffff")), "00ffff");
        assert_eq!(pad_hex(&int("123456")), "123456");
        // padded_bytes is exactly the hex decoding of pad_hex
        for h in ["0", "1", "7f", "80", "abc", "ffff", "123456", "0000ff"] {
            let n = int(h);
            let decoded: Vec<u8> = (0..pad_hex(&n).len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&pad_hex(&n)[i..i + 2], 16).unwrap())
                .collect();
            assert_eq!(padded_bytes(&n), decoded, "value {h}");
        }
    }

    #[test]
    fn multiplier_k_is_hash_of_padded_n_and_g() {
        let grp = group();
        assert_eq!(grp.n.bits(), 3072);
        let mut bytes = vec![0u8];
        bytes.extend(grp.n.to_bytes_be());
        bytes.push(2);
        assert_eq!(grp.k, BigUint::from_bytes_be(&Sha256::digest(&bytes)));
    }

    #[test]
    fn parse_hex_accepts_odd_length_and_rejects_junk() {
        assert_eq!(parse_hex("abc"), Some(int("abc")));
        assert_eq!(parse_hex("00ff"), Some(int("ff")));
        assert_eq!(parse_hex(""), None);
        assert_eq!(parse_hex("0x12"), None);
        assert_eq!(parse_hex("12 3"), None);
        assert_eq!(parse_hex("+12"), None);
    }

    fn round_trip(salt: &BigUint, client: &Client) {
        let (pool, id, pw) = (
            "Emul4tor",
            "7d3f6c1e-0000-4000-8000-000000000001",
            "Corr3ct!horse",
        );
        let v = verifier(salt, pool, id, pw);
        let eph = ServerEphemeral::generate(&v);
        let block = b"opaque secret block";
        let ts = "Wed Nov 5 09:05:07 UTC 2026";
        let key = server_session_key(&client.big_a, &eph.big_b, &eph.b, &v).unwrap();
        assert_eq!(key, client.session_key(&eph.big_b, salt, pool, id, pw));

        let good = client.signature(&eph.big_b, salt, pool, id, pw, block, ts);
        assert_eq!(verify_claim(&key, pool, id, block, ts, &good), Ok(true));

        let wrong_pw = client.signature(&eph.big_b, salt, pool, id, "Wr0ng!horse", block, ts);
        assert_eq!(
            verify_claim(&key, pool, id, block, ts, &wrong_pw),
            Ok(false)
        );
        // the signature covers the timestamp and the secret block
        assert_eq!(
            verify_claim(&key, pool, id, block, "Wed Nov 5 09:05:08 UTC 2026", &good),
            Ok(false)
        );
        assert_eq!(verify_claim(&key, pool, id, b"other", ts, &good), Ok(false));
        assert_eq!(
            verify_claim(&key, pool, id, block, ts, "not base64!"),
            Err(SrpError::BadSignatureEncoding)
        );
    }

    #[test]
    fn srp_round_trip_random_values() {
        for _ in 0..3 {
            round_trip(&random_int(16), &Client::new());
        }
    }

    #[test]
    fn srp_round_trip_edge_values() {
        // salt with a high top bit (needs "00"), a short salt (leading zeros lost), and a small A.
        round_trip(&int("ff00000000000000000000000000000a"), &Client::new());
        round_trip(&int("000000000000000000000000000000ab"), &Client::new());
        round_trip(&random_int(16), &Client::with_a(BigUint::from(3u32)));
    }

    #[test]
    fn verifier_depends_on_every_input() {
        let salt = int("0123456789abcdef0123456789abcdef");
        let v = verifier(&salt, "Pool", "id", "pw");
        assert_ne!(v, verifier(&salt, "Pool", "id", "pX"));
        assert_ne!(v, verifier(&salt, "Pool", "iX", "pw"));
        assert_ne!(v, verifier(&salt, "PoolX", "id", "pw"));
        assert_ne!(v, verifier(&int("1"), "Pool", "id", "pw"));
    }

    /// Known answers produced by the official client (amazon-cognito-identity-js), including the edge
    /// cases where fixed-width encodings go wrong.
    #[test]
    fn official_client_vectors() {
        use base64::Engine;
        let text = include_str!("../../vectors/srp.json");
        let vectors: serde_json::Value = serde_json::from_str(text).unwrap();
        let cases = vectors["srp"].as_array().unwrap();
        assert!(cases.len() > 50);
        for c in cases {
            let s = |k: &str| c[k].as_str().unwrap().to_string();
            let name = s("name");
            let (pool, id, pw) = (s("pool_name"), s("user_id_for_srp"), s("password"));
            let salt = parse_hex(&s("salt")).unwrap();
            let big_b = parse_hex(&s("B")).unwrap();
            let client = Client::with_a(parse_hex(&s("a")).unwrap());
            assert_eq!(client.big_a, parse_hex(&s("A")).unwrap(), "{name}: A");
            assert_eq!(
                private_x(&salt, &pool, &id, &pw),
                parse_hex(&s("x")).unwrap(),
                "{name}: x"
            );
            let u = hash_ints(&[&client.big_a, &big_b]);
            assert_eq!(u, parse_hex(&s("u")).unwrap(), "{name}: u");
            let key = derive_key(&parse_hex(&s("S")).unwrap(), &u).unwrap();
            let key_hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(key_hex, s("key"), "{name}: key");
            assert_eq!(
                client.session_key(&big_b, &salt, &pool, &id, &pw),
                key,
                "{name}: client key"
            );
            let block = base64::engine::general_purpose::STANDARD
                .decode(s("secret_block"))
                .unwrap();
            assert_eq!(
                verify_claim(&key, &pool, &id, &block, &s("timestamp"), &s("signature")),
                Ok(true),
                "{name}: signature"
            );
            assert!(
                crate::timestamp::parse(&s("timestamp")).is_ok(),
                "{name}: timestamp"
            );
        }
        for t in vectors["timestamps"].as_array().unwrap() {
            let secs = t["unix_ms"].as_i64().unwrap() / 1000;
            let formatted = t["formatted"].as_str().unwrap();
            assert_eq!(crate::timestamp::parse(formatted), Ok(secs), "{formatted}");
            assert_eq!(crate::timestamp::format(secs), formatted);
        }
    }

    #[test]
    fn constant_time_eq_works() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}

//! Cognito's SRP-6a (USER_SRP_AUTH → PASSWORD_VERIFIER), pure math over values passed in.
//!
//! No randomness, clock or I/O is read here: the caller supplies the private ephemeral's random bytes and the
//! time to sign, which keeps every result reproducible against the official client's known answers.
//!
//! # Speed and timing
//! The exponentiations use fixed-size Montgomery arithmetic (`mont`): 110 limbs of 28 bits, a fixed 5-bit
//! window for S = (B − k·g^x)^(a + u·x) (513-bit exponent: its public length, not 17 words), and a 6-tooth
//! fixed-base comb for g^a and g^x (256-bit exponents). The wasm build computes the products with SIMD128
//! (`mont::simd`, two products per instruction); native builds and `cargo test` use the scalar code.
//!
//! Constant-time (no branch or memory index depends on the value, only on fixed or public lengths): g^a, g^x,
//! k·g^x, B − k·g^x, a + u·x, the exponentiation to S and S's conversion out of Montgomery form — everything that
//! touches the private ephemeral `a` or the password-derived `x`. Table entries are chosen by reading all of them
//! and masking, as crypto-bigint does (with SIMD: two limbs of every entry at a time). `a` is always 32 bytes and `x` always 32 digest bytes, so the exponent
//! lengths do not depend on their values either.
//!
//! Not constant-time, and why that is acceptable:
//! - Operations on public values: parsing SALT and SRP_B into [`Uint`], B's Montgomery form (which reduces it
//!   mod N), the B ≡ 0 check, u, A's hex. The server and any observer know them.
//! - SHA-256, HMAC and HKDF (RustCrypto, constant-time themselves), but S enters HKDF as `padHex(S)`, whose
//!   length depends on S's leading zero bytes. The protocol fixes that encoding and the official client has the
//!   same length dependence; it reveals about one bit of S once in ~256 sign-ins, and S is used only once.
//! - The known-answer entry points `compute_a`, `compute_s` and [`SrpClient::with_private`] take [`Uint`]s,
//!   whose length (leading zero bytes) steers the work; the sign-in path ([`SrpClient::new`] and
//!   [`SrpClient::password_claim_signature`]) uses fixed 32-byte `a` and `x`.
//! - WebAssembly engines give no timing guarantee for `i64.mul` and make no promise that masks stay masks after
//!   JIT compilation; this is the same footing as every constant-time library compiled to wasm.

mod client;
mod group;
pub mod hex;
mod mont;
mod timestamp;
mod uint;
#[cfg(all(feature = "bench", target_arch = "wasm32"))]
mod bench_exports;


pub use client::{compute_a, compute_key, compute_s, compute_signature, compute_u, compute_x};
pub use group::{group, Group};
pub use timestamp::format_timestamp;
pub use uint::Uint;

/// Random bytes the private ephemeral `a` is made from: 256 bits, RFC 5054's minimum.
pub const PRIVATE_EPHEMERAL_BYTES: usize = 32;

/// Why a PASSWORD_VERIFIER challenge could not be answered. Every variant is the server's or the random source's
/// fault, never the user's: a wrong password is only found out by the server.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SrpError {
    /// A challenge parameter is missing or is not what Cognito sends (hex for SALT and SRP_B, base64 for
    /// SECRET_BLOCK); the field is named.
    MalformedChallenge(&'static str),
    /// B ≡ 0 (mod N): a server (or an attacker) sending it would make the shared secret predictable.
    BIsZero,
    /// u = 0: the password would drop out of the shared secret.
    UIsZero,
    /// The random source gave all zero bytes, so `a` would be zero.
    NoEntropy,
}

impl SrpError {
    /// What went wrong, in words.
    #[must_use]
    pub fn message(&self) -> String {
        match self {
            Self::MalformedChallenge(field) => ["the PASSWORD_VERIFIER challenge has a malformed ", field].concat(),
            Self::BIsZero => "the server's SRP_B is 0 mod N; refusing to continue".into(),
            Self::UIsZero => "the SRP scrambling parameter u is 0; refusing to continue".into(),
            Self::NoEntropy => "the random source returned only zero bytes".into(),
        }
    }
}

impl std::fmt::Display for SrpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for SrpError {}

/// What Cognito's PASSWORD_VERIFIER challenge carries, as received.
#[derive(Debug, Clone, Copy)]
pub struct VerifierChallenge<'a> {
    /// SALT: hex of an integer.
    pub salt: &'a str,
    /// SRP_B: hex of an integer.
    pub srp_b: &'a str,
    /// SECRET_BLOCK: base64, echoed back and signed.
    pub secret_block: &'a str,
    /// USER_ID_FOR_SRP: the user's internal id, which with aliases differs from what the user typed.
    pub user_id_for_srp: &'a str,
}

/// One SRP exchange's client state: the private ephemeral `a` and the public `A` sent in InitiateAuth.
pub struct SrpClient {
    /// `a` as little-endian 32-bit words: always 8 from [`SrpClient::new`], whatever their values.
    a: Vec<u32>,
    /// A as 384 big-endian bytes (leading zeros kept).
    a_pub: [u8; 384],
}

impl std::fmt::Debug for SrpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `a` is secret: never printed.
        f.debug_struct("SrpClient").field("a_pub", &Uint::from_be_bytes(&self.a_pub)).finish_non_exhaustive()
    }
}

impl SrpClient {
    /// Starts an exchange with `a` made from fresh random bytes.
    pub fn new(random: &[u8; PRIVATE_EPHEMERAL_BYTES]) -> Result<Self, SrpError> {
        if random.iter().fold(0, |acc, b| acc | b) == 0 {
            return Err(SrpError::NoEntropy);
        }
        Ok(Self::from_words(mont::words_from_be_bytes(random)))
    }

    /// Starts an exchange with a given `a`; used by known-answer tests.
    pub fn with_private(a: Uint) -> Result<Self, SrpError> {
        if a.is_zero() {
            return Err(SrpError::NoEntropy);
        }
        Ok(Self::from_words(mont::words_from_be_bytes(a.to_be_bytes())))
    }

    fn from_words(a: Vec<u32>) -> Self {
        let a_pub = client::public_a(&a);
        Self { a, a_pub }
    }

    /// SRP_A for InitiateAuth: plain lowercase hex, no padding (the server pads it itself).
    #[must_use]
    pub fn public_a_hex(&self) -> String {
        Uint::from_be_bytes(&self.a_pub).to_hex()
    }

    /// PASSWORD_CLAIM_SIGNATURE for the challenge, signed at `timestamp` (see [`format_timestamp`]).
    pub fn password_claim_signature(
        &self,
        challenge: &VerifierChallenge<'_>,
        pool_name: &str,
        password: &str,
        timestamp: &str,
    ) -> Result<String, SrpError> {
        let salt = hex::parse_int(challenge.salt).ok_or(SrpError::MalformedChallenge("SALT"))?;
        let b_pub = hex::parse_int(challenge.srp_b).ok_or(SrpError::MalformedChallenge("SRP_B"))?;
        let secret_block =
            crate::b64::decode(challenge.secret_block).ok_or(SrpError::MalformedChallenge("SECRET_BLOCK"))?;
        let b_mont = mont::to_mont(b_pub.to_be_bytes());
        if mont::is_zero(&b_mont) {
            return Err(SrpError::BIsZero);
        }
        let u = hex::hash_padded(&[&self.a_pub, b_pub.to_be_bytes()]);
        if u == [0; 32] {
            return Err(SrpError::UIsZero);
        }
        let x = client::x_digest(&salt, pool_name, challenge.user_id_for_srp, password);
        let s = client::shared_secret(
            &self.a,
            &b_mont,
            &mont::words_from_be_bytes(&u),
            &mont::words_from_be_bytes(&x),
        );
        let key = client::key_from_bytes(&s, &u);
        Ok(compute_signature(&key, pool_name, challenge.user_id_for_srp, &secret_block, timestamp))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn challenge<'a>(salt: &'a str, srp_b: &'a str) -> VerifierChallenge<'a> {
        VerifierChallenge { salt, srp_b, secret_block: "AAEC", user_id_for_srp: "user" }
    }

    #[test]
    fn rejects_b_that_is_zero_mod_n() {
        let client = SrpClient::with_private(Uint::from(7)).unwrap();
        let n_hex = group().n.to_hex();
        for b in ["0", "000", n_hex.as_str()] {
            let err = client.password_claim_signature(&challenge("ab", b), "pool", "pw", "t").unwrap_err();
            assert_eq!(err, SrpError::BIsZero, "B = {b}");
        }
    }

    #[test]
    fn rejects_malformed_challenge_fields() {
        let client = SrpClient::with_private(Uint::from(7)).unwrap();
        let cases = [
            (challenge("", "ab"), "SALT"),
            (challenge("xy", "ab"), "SALT"),
            (challenge("ab", ""), "SRP_B"),
            (VerifierChallenge { secret_block: "not base64!", ..challenge("ab", "cd") }, "SECRET_BLOCK"),
        ];
        for (c, field) in cases {
            let err = client.password_claim_signature(&c, "pool", "pw", "t").unwrap_err();
            assert_eq!(err, SrpError::MalformedChallenge(field));
        }
    }

    #[test]
    fn zero_private_ephemeral_is_refused() {
        assert_eq!(SrpClient::new(&[0; PRIVATE_EPHEMERAL_BYTES]).unwrap_err(), SrpError::NoEntropy);
    }

    #[test]
    fn public_a_is_unpadded_hex() {
        let client = SrpClient::with_private(Uint::from(1)).unwrap();
        assert_eq!(client.public_a_hex(), "2");
    }
}

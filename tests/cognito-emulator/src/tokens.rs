//! RS256 JSON Web Tokens and the pool's JWKS, so resource servers and client libraries can verify the
//! emulator's ID and access tokens exactly as they verify Cognito's.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs1v15::{Signature, SigningKey as Pkcs1SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Cognito signs with 2048-bit RSA keys.
pub const KEY_BITS: usize = 2048;

/// Why a key could not be created or loaded.
#[derive(Debug)]
pub enum KeyError {
    Generate(String),
    Decode(String),
    Encode(String),
}

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyError::Generate(e) => write!(f, "cannot generate RSA key: {e}"),
            KeyError::Decode(e) => write!(f, "cannot read RSA key: {e}"),
            KeyError::Encode(e) => write!(f, "cannot encode RSA key: {e}"),
        }
    }
}

impl std::error::Error for KeyError {}

/// Why a presented token is not acceptable. Expiry and revocation are judged by the caller, which knows
/// the clock and the revocation lists.
#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    /// Not three base64url parts with JSON header/payload.
    Malformed,
    /// Wrong algorithm, unknown key id, or the signature does not verify.
    BadSignature,
}

/// The pool's signing key with its public JWK parts precomputed.
#[derive(Clone)]
pub struct SigningKey {
    pub kid: String,
    private: RsaPrivateKey,
    n_b64: String,
    e_b64: String,
}

impl SigningKey {
    pub fn generate(bits: usize) -> Result<Self, KeyError> {
        let private = RsaPrivateKey::new(&mut rand::thread_rng(), bits)
            .map_err(|e| KeyError::Generate(e.to_string()))?;
        Ok(Self::from_private(private))
    }

    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, KeyError> {
        let private =
            RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| KeyError::Decode(e.to_string()))?;
        Ok(Self::from_private(private))
    }

    pub fn to_pkcs8_pem(&self) -> Result<String, KeyError> {
        self.private
            .to_pkcs8_pem(LineEnding::LF)
            .map(|pem| pem.to_string())
            .map_err(|e| KeyError::Encode(e.to_string()))
    }

    fn from_private(private: RsaPrivateKey) -> Self {
        let n = private.n().to_bytes_be();
        let e = private.e().to_bytes_be();
        // A stable key id derived from the modulus, like a thumbprint.
        let kid = URL_SAFE_NO_PAD.encode(&Sha256::digest(&n)[..18]);
        SigningKey {
            kid,
            n_b64: URL_SAFE_NO_PAD.encode(&n),
            e_b64: URL_SAFE_NO_PAD.encode(&e),
            private,
        }
    }

    /// Signs `claims` as a compact JWS with header `{"kid", "alg": "RS256"}` (Cognito's header shape).
    pub fn sign(&self, claims: &Value) -> String {
        let header = serde_json::json!({ "kid": self.kid, "alg": "RS256" });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signer = Pkcs1SigningKey::<Sha256>::new(self.private.clone());
        let signature = signer.sign(signing_input.as_bytes());
        format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        )
    }

    /// Checks the signature and returns the claims.
    pub fn verify(&self, token: &str) -> Result<Value, TokenError> {
        let parts: Vec<&str> = token.split('.').collect();
        let [header_b64, payload_b64, signature_b64] = parts.as_slice() else {
            return Err(TokenError::Malformed);
        };
        let header = decode_json(header_b64)?;
        let claims = decode_json(payload_b64)?;
        if header.get("alg").and_then(Value::as_str) != Some("RS256")
            || header.get("kid").and_then(Value::as_str) != Some(self.kid.as_str())
        {
            return Err(TokenError::BadSignature);
        }
        let signature_bytes = URL_SAFE_NO_PAD
            .decode(signature_b64)
            .map_err(|_| TokenError::Malformed)?;
        let signature = Signature::try_from(signature_bytes.as_slice())
            .map_err(|_| TokenError::BadSignature)?;
        let verifier = VerifyingKey::<Sha256>::new(self.private.to_public_key());
        verifier
            .verify(format!("{header_b64}.{payload_b64}").as_bytes(), &signature)
            .map_err(|_| TokenError::BadSignature)?;
        Ok(claims)
    }

    /// The JWKS document served at `/<poolId>/.well-known/jwks.json`.
    pub fn jwks(&self) -> Value {
        serde_json::json!({ "keys": [{
            "alg": "RS256", "e": self.e_b64, "kid": self.kid, "kty": "RSA", "n": self.n_b64, "use": "sig"
        }]})
    }
}

/// Reads a token's claims without checking anything (used to recognise JWTs handed to RevokeToken).
pub fn peek_claims(token: &str) -> Option<Value> {
    let mut parts = token.split('.');
    let (_, payload, _, None) = (parts.next()?, parts.next()?, parts.next()?, parts.next()) else {
        return None;
    };
    decode_json(payload).ok()
}

fn decode_json(part: &str) -> Result<Value, TokenError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| TokenError::Malformed)?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(TokenError::Malformed),
    }
}

#[cfg(test)]
pub mod test_key {
    use super::SigningKey;
    use std::sync::OnceLock;

    /// One key for the whole test run: RSA generation is slow in debug builds.
    pub fn shared() -> SigningKey {
        static KEY: OnceLock<SigningKey> = OnceLock::new();
        KEY.get_or_init(|| SigningKey::generate(super::KEY_BITS).unwrap())
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;

    #[test]
    fn jwt_verifies_with_the_published_jwk() {
        let key = test_key::shared();
        let claims = serde_json::json!({"sub": "abc", "token_use": "id", "exp": 1});
        let token = key.sign(&claims);
        assert_eq!(key.verify(&token), Ok(claims.clone()));
        assert_eq!(peek_claims(&token), Some(claims));

        // Verify RS256 by hand with only n and e from the JWKS: s^e mod n must be the PKCS#1 v1.5
        // encoding of SHA-256(header.payload).
        let jwks = key.jwks();
        let jwk = &jwks["keys"][0];
        assert_eq!(jwk["kty"], "RSA");
        assert_eq!(jwk["alg"], "RS256");
        assert_eq!(jwk["use"], "sig");
        assert_eq!(jwk["kid"], key.kid.as_str());
        let n =
            BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap());
        let e =
            BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(jwk["e"].as_str().unwrap()).unwrap());
        assert_eq!(n.bits(), 2048);
        let (signing_input, sig) = token.rsplit_once('.').unwrap();
        let header: Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(signing_input.split('.').next().unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(header, serde_json::json!({"kid": key.kid, "alg": "RS256"}));
        let s = BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(sig).unwrap());
        let em = s.modpow(&e, &n).to_bytes_be(); // leading 0x00 dropped
        let digest_info_prefix: [u8; 19] = [
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x01, 0x05, 0x00, 0x04, 0x20,
        ];
        let mut expected = vec![0x01];
        expected.extend(std::iter::repeat_n(0xff, 256 - 3 - 19 - 32));
        expected.push(0x00);
        expected.extend(digest_info_prefix);
        expected.extend(Sha256::digest(signing_input.as_bytes()));
        assert_eq!(em, expected);
    }

    #[test]
    fn tampered_tokens_are_rejected() {
        let key = test_key::shared();
        let token = key.sign(&serde_json::json!({"sub": "abc"}));
        let (head, _) = token.rsplit_once('.').unwrap();
        let forged_payload = URL_SAFE_NO_PAD.encode(r#"{"sub":"evil"}"#);
        let header = head.split('.').next().unwrap();
        let sig = token.rsplit('.').next().unwrap();
        assert_eq!(
            key.verify(&format!("{header}.{forged_payload}.{sig}")),
            Err(TokenError::BadSignature)
        );
        assert_eq!(key.verify("a.b"), Err(TokenError::Malformed));
        assert_eq!(key.verify("!!.!!.!!"), Err(TokenError::Malformed));
        assert_eq!(key.verify(""), Err(TokenError::Malformed));
    }

    #[test]
    fn pem_round_trip_keeps_the_key() {
        let key = test_key::shared();
        let again = SigningKey::from_pkcs8_pem(&key.to_pkcs8_pem().unwrap()).unwrap();
        assert_eq!(again.kid, key.kid);
        assert_eq!(again.jwks(), key.jwks());
        assert!(SigningKey::from_pkcs8_pem("garbage").is_err());
    }
}

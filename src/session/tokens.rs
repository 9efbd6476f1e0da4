//! Cognito's tokens and the claims the client reads from them.
//!
//! The client decodes JWT payloads without verifying signatures: it received the tokens from Cognito over
//! TLS and only reads expiry and identity from them. Servers receiving the tokens must verify them.


use crate::protocol::Json;

/// A token is not a JWT this client can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError(pub String);

impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "malformed token: {}", self.0)
    }
}

impl std::error::Error for TokenError {}

/// The three tokens of a session, as Cognito issued them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens {
    pub id_token: String,
    pub access_token: String,
    /// Absent only when a session was stored without one by another library.
    pub refresh_token: Option<String>,
}

/// A decoded JWT payload with the claims the client relies on checked to be present.
#[derive(Debug, Clone, PartialEq)]
pub struct Claims {
    /// Expiry, seconds since the epoch.
    pub exp: i64,
    /// Issue time, seconds since the epoch.
    pub iat: i64,
    /// Every claim, for the app to read: a JSON object.
    pub all: Json,
}

impl Claims {
    /// Decodes and checks a token's payload.
    pub fn from_token(token: &str) -> Result<Self, TokenError> {
        let all = decode_payload(token)?;
        let number = |name: &str| {
            all.get(name)
                .and_then(Json::as_i64)
                .ok_or_else(|| TokenError(["the payload has no numeric `", name, "` claim"].concat()))
        };
        Ok(Self { exp: number("exp")?, iat: number("iat")?, all })
    }

    /// A string claim, if present.
    #[must_use]
    pub fn string(&self, name: &str) -> Option<&str> {
        self.all.get(name).and_then(Json::as_str)
    }
}

/// The payload (second part) of a JWT as a JSON object.
pub fn decode_payload(token: &str) -> Result<Json, TokenError> {
    // Exactly three parts, split with `text::split_once` rather than `str::split` (see there why).
    let payload = match crate::text::split_once(token, b'.').and_then(|(_, rest)| crate::text::split_once(rest, b'.')) {
        Some((payload, signature)) if !signature.bytes().any(|b| b == b'.') => payload,
        _ => return Err(TokenError("not three dot-separated parts".into())),
    };
    // Some encoders pad base64url; the JWT spec does not, so accept both.
    let bytes = crate::b64::decode_url(crate::text::trim_end_byte(payload, b'='))
        .ok_or_else(|| TokenError("payload is not base64url".into()))?;
    let text = String::from_utf8(bytes).map_err(|_| TokenError("payload is not UTF-8".into()))?;
    match Json::parse(&text) {
        Ok(payload @ Json::Object(_)) => Ok(payload),
        Ok(_) => Err(TokenError("payload is not a JSON object".into())),
        Err(e) => Err(TokenError(["payload is not JSON: ", &e.0].concat())),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    /// An unsigned JWT with the given payload, for tests.
    pub(crate) fn jwt(payload: &serde_json::Value) -> String {
        let enc = |v: &serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
        format!("{}.{}.sig", enc(&serde_json::json!({"alg":"RS256","kid":"k"})), enc(payload))
    }

    #[test]
    fn reads_exp_iat_and_other_claims() {
        let claims = Claims::from_token(&jwt(&serde_json::json!({"exp": 200, "iat": 100, "sub": "s"}))).unwrap();
        assert_eq!((claims.exp, claims.iat, claims.string("sub")), (200, 100, Some("s")));
    }

    #[test]
    fn rejects_what_is_not_a_readable_jwt() {
        for bad in ["", "a.b", "a.b.c.d", "a.!!!.c", &format!("a.{}.c", URL_SAFE_NO_PAD.encode("[1]"))] {
            assert!(decode_payload(bad).is_err(), "{bad:?}");
        }
        let no_exp = jwt(&serde_json::json!({"iat": 1}));
        assert!(Claims::from_token(&no_exp).is_err());
    }
}

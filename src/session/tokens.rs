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
    /// Every claim, for the app to read: a JSON object. Shared, since sessions are cloned from the claims cache on
    /// every getSession() and the claims never change.
    pub all: std::rc::Rc<Json>,
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
        Ok(Self { exp: number("exp")?, iat: number("iat")?, all: std::rc::Rc::new(all) })
    }

    /// A string claim, if present.
    #[must_use]
    pub fn string(&self, name: &str) -> Option<&str> {
        self.all.get(name).and_then(Json::as_str)
    }

    /// How long the token was issued for (`exp − iat`), saturating: the claims come from outside.
    #[must_use]
    pub fn lifetime_secs(&self) -> i64 {
        self.exp.saturating_sub(self.iat)
    }
}

/// The claims of the last two tokens decoded (a session's ID and access tokens). getSession() reads the same
/// tokens from storage on every call, and decoding both JWTs again each time was a fifth of its time.
#[derive(Debug, Default)]
pub struct ClaimsCache(std::cell::RefCell<[Option<(String, Claims)>; 2]>);

impl ClaimsCache {
    /// `token`'s claims: remembered when it is one of the last two decoded, else decoded and remembered in place
    /// of the older one.
    pub fn claims(&self, token: &str) -> Result<Claims, TokenError> {
        let mut slots = self.0.borrow_mut();
        for (known, claims) in slots.iter().flatten() {
            if crate::text::same(known, token) {
                return Ok(claims.clone());
            }
        }
        let claims = Claims::from_token(token)?;
        let [older, newer] = &mut *slots;
        *older = newer.take();
        *newer = Some((token.to_owned(), claims.clone()));
        Ok(claims)
    }
}

/// Whether a token's `iss` claim names the user pool `pool_id` as its issuer: Cognito's issuer URL for the pool,
/// `https://cognito-idp.<region>.amazonaws.com/<poolId>`, or, when the client talks to another `endpoint` (the
/// emulator, a proxy, a local stand-in), that endpoint's origin followed by `/<poolId>`, which is how such
/// endpoints issue. Cognito's own issuer is accepted with an endpoint too: a proxy in front of Cognito passes
/// Cognito's tokens through unchanged.
///
/// The whole URL is compared (trailing slashes aside), not only its last segment: a token from any other issuer
/// that happens to end in this pool's id (`https://evil.example/us-east-1_Pool`) is not this pool's. Origins are
/// compared ignoring ASCII case, as host names are.
#[must_use]
pub fn issuer_matches(iss: &str, pool_id: &str, endpoint: Option<&str>) -> bool {
    let iss = crate::text::trim_end_byte(iss, b'/');
    // `<origin>/<poolId>`, split by lengths over bytes (no substring search).
    let Some(origin_len) = iss.len().checked_sub(pool_id.len() + 1) else { return false };
    let (Some(origin), Some(tail)) = (iss.get(..origin_len), iss.get(origin_len..)) else { return false };
    if pool_id.is_empty() || tail.as_bytes().first() != Some(&b'/') || tail.get(1..) != Some(pool_id) {
        return false;
    }
    let region = crate::text::split_once(pool_id, b'_').map_or("", |(region, _)| region);
    let cognito = ["https://cognito-idp.", region, ".amazonaws.com"].concat();
    origin == cognito || endpoint.is_some_and(|e| !origin.is_empty() && origin.eq_ignore_ascii_case(origin_of(e)))
}

/// `scheme://host[:port]` of a URL: everything before the first `/` after `://` (all of it when there is none).
fn origin_of(url: &str) -> &str {
    let bytes = url.as_bytes();
    let authority = (0..bytes.len()).find(|&i| bytes.get(i..i + 3) == Some(b"://")).map_or(0, |i| i + 3);
    let end = bytes.iter().skip(authority).position(|b| matches!(b, b'/' | b'?' | b'#')).map_or(url.len(), |n| authority + n);
    url.get(..end).unwrap_or(url)
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
    fn issuer_is_this_pools_whole_url() {
        let pool = "us-east-1_Pool";
        let ok = [
            ("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool", None),
            ("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool/", None),
            ("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool//", None),
            // Through the emulator or another endpoint: its origin, whatever path the endpoint URL has.
            ("http://127.0.0.1:9229/us-east-1_Pool", Some("http://127.0.0.1:9229/")),
            ("http://127.0.0.1:9229/us-east-1_Pool", Some("http://127.0.0.1:9229")),
            ("https://auth.example.com/us-east-1_Pool", Some("HTTPS://Auth.Example.com/cognito/?x=1")),
            // A proxy passing Cognito's own tokens through.
            ("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool", Some("https://auth.example.com/")),
        ];
        for (iss, endpoint) in ok {
            assert!(issuer_matches(iss, pool, endpoint), "{iss} {endpoint:?}");
        }
        let refused = [
            ("https://evil.example/us-east-1_Pool", None),
            ("https://evil.example/us-east-1_Pool", Some("http://127.0.0.1:9229/")),
            // Another pool whose id ends the same, or this pool's id ending another's.
            ("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_MyPool", None),
            ("https://cognito-idp.us-east-1.amazonaws.com/xus-east-1_Pool", None),
            ("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool2", None),
            ("https://cognito-idp.us-east-1.amazonaws.comus-east-1_Pool", None),
            // Another region, a look-alike host, a path in between, plain http, another port.
            ("https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_Pool", None),
            ("https://cognito-idp.us-east-1.amazonaws.com.evil.example/us-east-1_Pool", None),
            ("https://cognito-idp.us-east-1.amazonaws.com/x/us-east-1_Pool", None),
            ("http://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool", None),
            ("http://127.0.0.1:9230/us-east-1_Pool", Some("http://127.0.0.1:9229/")),
            ("http://127.0.0.1:9229/us-east-1_Pool", None),
            ("us-east-1_Pool", None),
            ("/us-east-1_Pool", Some("")),
            ("", None),
        ];
        for (iss, endpoint) in refused {
            assert!(!issuer_matches(iss, pool, endpoint), "{iss} {endpoint:?}");
        }
        assert!(!issuer_matches("https://cognito-idp..amazonaws.com/", "", None));
    }

    /// A claim given twice reads as `JSON.parse` reads it: the last one.
    #[test]
    fn a_repeated_claim_reads_as_its_last_value() {
        let token = format!("e30.{}.sig", URL_SAFE_NO_PAD.encode(r#"{"exp":1,"iat":0,"sub":"a","exp":2,"sub":"b"}"#));
        let claims = Claims::from_token(&token).unwrap();
        assert_eq!((claims.exp, claims.string("sub"), claims.lifetime_secs()), (2, Some("b"), 2));
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

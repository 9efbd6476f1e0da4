//! Sign-in through managed login (Cognito's hosted pages, and through them Google, Facebook, Apple, Amazon, OIDC
//! and SAML providers): the authorization-code grant with PKCE.
//!
//! The browser's half is JavaScript (`pkg-template/redirect.js`): it makes the authorize URL, keeps the flow
//! (state, PKCE verifier, nonce) in this tab's sessionStorage, checks the return's `state`, and posts the code
//! to the token endpoint, all with the platform's URL, crypto and fetch, which cost the package a tenth of what
//! the same in Rust did. What must not depend on the shell stays here: the token endpoint's answer read and
//! named ([`redeemed`]), the ID token checked against the flow's nonce and this pool and client, and the session
//! stored as every other sign-in's, under the official client's keys, so refresh, cross-tab events and acij /
//! Amplify compatibility are the same; and the `/logout` URL at sign-out ([`take_logout_url`]).

use crate::protocol::oauth::{self, form};
use crate::session::{Claims, Session, Storage, Tokens};

use super::{AuthEvent, Config, Error, Platform};

/// Tokens whose `exp` is this close behind the local clock still count as unexpired: clocks differ.
const CLOCK_SKEW_SECS: i64 = 300;

/// The `oauth` option: the pool's managed-login domain and the app's URLs registered with the app client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthSettings {
    /// `https://<prefix>.auth.<region>.amazoncognito.com`, a custom domain, or the emulator's origin; no
    /// trailing slash.
    pub domain: String,
    /// The callback URL managed login returns to (one of the app client's callback URLs, exactly).
    pub redirect_sign_in: String,
    /// Where `/logout` sends the browser after a sign-out (one of the client's sign-out URLs).
    pub redirect_sign_out: Option<String>,
    /// Requested scopes; `openid` is required, as sessions need an ID token.
    pub scopes: Vec<String>,
}

impl OAuthSettings {
    /// Checks the settings as Cognito would only at the first redirect: an https domain (http for loopback
    /// hosts, where the emulator runs), absolute URLs, and `openid` among the scopes.
    pub fn new(domain: &str, redirect_sign_in: String, redirect_sign_out: Option<String>, scopes: Option<Vec<String>>) -> Result<Self, Error> {
        let domain = crate::text::trim_end_byte(domain, b'/');
        let loopback = ["http://localhost", "http://127.0.0.1", "http://[::1]"]
            .iter()
            .any(|h| domain.strip_prefix(h).is_some_and(|rest| rest.is_empty() || rest.starts_with(':')));
        let host = domain.strip_prefix("https://").unwrap_or("");
        if !(loopback || (!host.is_empty() && !host.bytes().any(|b| matches!(b, b'/' | b'?' | b'#' | b'@')))) {
            return Err(Error::InvalidParameter(
                ["oauth.domain \"", domain, "\" is not an https origin (http only for localhost)"].concat(),
            ));
        }
        for (name, url) in [("oauth.redirectSignIn", Some(&redirect_sign_in)), ("oauth.redirectSignOut", redirect_sign_out.as_ref())] {
            if let Some(url) = url {
                if !crate::text::split_once(url, b':').is_some_and(|(scheme, rest)| !scheme.is_empty() && rest.starts_with("//")) {
                    return Err(Error::InvalidParameter([name, " \"", url, "\" is not an absolute URL"].concat()));
                }
            }
        }
        let scopes = scopes.unwrap_or_else(|| ["openid", "email", "profile"].map(str::to_owned).to_vec());
        if !scopes.iter().any(|s| s == "openid") {
            return Err(Error::InvalidParameter("oauth.scopes must include openid: a session needs an ID token".into()));
        }
        if scopes.iter().any(|s| s.is_empty() || s.bytes().any(|b| b == b' ')) {
            return Err(Error::InvalidParameter("oauth.scopes are names without spaces".into()));
        }
        Ok(Self { domain: domain.to_owned(), redirect_sign_in, redirect_sign_out, scopes })
    }

    fn endpoint(&self, path: &str) -> String {
        [&self.domain, path].concat()
    }
}

/// What a completed redirect sign-in hands back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completed {
    pub custom_state: Option<String>,
}

/// Amplify's marker of a session that came from managed login (`CognitoIdentityServiceProvider.<clientId>.
/// oauthSignIn` = `true,false`): its signOut then ends the managed-login session too, and so does ours, whichever
/// library signed the user in.
fn managed_login_key(config: &Config) -> String {
    ["CognitoIdentityServiceProvider.", config.client_id(), ".oauthSignIn"].concat()
}

/// A session that did not come from managed login (a password or passwordless sign-in): a marker left by an
/// earlier one (Amplify's signOut keeps it) would otherwise send this session's sign-out through `/logout`.
pub fn forget_managed_login<P: Platform>(p: &P, config: &Config) -> Result<(), Error> {
    Ok(p.storage().remove_item(&managed_login_key(config))?)
}

/// The token endpoint's answer to the code of a flow with `nonce` (as the shell received it: status and body)
/// made the session: a named OAuth error (`invalid_grant`, …) otherwise, and nothing stored.
pub fn redeemed<P: Platform>(p: &P, config: &Config, status: u16, body: &str, nonce: &str, custom_state: Option<String>) -> Result<Completed, Error> {
    let answer = oauth::token_answer(&oauth::read_answer(status, body)?)?;
    adopt(p, config, answer, nonce, custom_state)
}

/// Makes the token endpoint's answer to a redirect sign-in the session, as every sign-in's: checks the ID token
/// against `nonce` (the flow's) and this pool and client, stores the tokens under the shared keys with Amplify's
/// managed-login marker, and announces `signedIn`; nothing is stored when a check fails.
fn adopt<P: Platform>(p: &P, config: &Config, answer: oauth::TokenAnswer, nonce: &str, custom_state: Option<String>) -> Result<Completed, Error> {
    let id_token = answer.id_token.ok_or_else(|| Error::Protocol("the token endpoint answered without an id_token".into()))?;
    let refresh_token = answer.refresh_token.ok_or_else(|| Error::Protocol("the token endpoint answered without a refresh_token".into()))?;
    check_id_token(config, &Claims::from_token(&id_token)?, nonce, p.now_millis() / 1000)?;
    let access = Claims::from_token(&answer.access_token)?;
    let username = access.string("username").ok_or_else(|| Error::Protocol("the access token names no username".into()))?.to_owned();
    let tokens = Tokens { id_token, access_token: answer.access_token, refresh_token: Some(refresh_token) };
    let session = Session::new(username, tokens, p.now_secs())?;
    super::sessions(p, config).save(&session)?;
    p.storage().set_item(&managed_login_key(config), "true,false")?;
    p.emit(AuthEvent::SignedIn);
    Ok(Completed { custom_state })
}

/// The ID token is this pool's, for this client, unexpired, and answers this flow's nonce (OpenID Connect Core
/// §3.1.3.7): a code injected from another flow brings a token with another nonce.
fn check_id_token(config: &Config, id: &Claims, nonce: &str, now_secs: i64) -> Result<(), Error> {
    if !id.string("nonce").is_some_and(|n| crate::text::same(n, nonce)) {
        return Err(Error::InvalidState {
            name: "OAuthNonceMismatchException",
            message: "the ID token's nonce is not the one this sign-in sent".into(),
        });
    }
    let iss = id.string("iss").unwrap_or("");
    let problem = if !crate::session::issuer_matches(iss, config.user_pool_id(), config.endpoint.as_deref()) {
        "was issued by another issuer than this user pool"
    } else if id.string("aud") != Some(config.client_id()) {
        "is for another app client"
    } else if id.exp + CLOCK_SKEW_SECS <= now_secs {
        "has expired"
    } else {
        return Ok(());
    };
    Err(Error::Protocol(["the ID token from the token endpoint ", problem].concat()))
}

/// If the signed-in session came from managed login and the app has a sign-out URL: forgets that and returns
/// the `/logout` URL that ends the managed-login session and comes back to `redirectSignOut`.
pub fn take_logout_url<P: Platform>(p: &P, config: &Config) -> Result<Option<String>, Error> {
    let key = managed_login_key(config);
    let managed = p.storage().get_item(&key)?.is_some_and(|v| v.starts_with("true"));
    p.storage().remove_item(&key)?;
    let Some(s) = config.oauth.as_ref().filter(|_| managed) else { return Ok(None) };
    Ok(s.redirect_sign_out.as_ref().map(|to| {
        [&s.endpoint("/logout"), "?", &form(&[("client_id", Some(config.client_id())), ("logout_uri", Some(to))])].concat()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::fake::FakePlatform;
    use crate::session::tests_jwt as jwt;
    use serde_json::json;

    const POOL: &str = "us-east-1_Pool1";

    fn config() -> Config {
        let mut c = Config::new(POOL, "client1").unwrap();
        c.oauth = Some(OAuthSettings::new("https://auth.example.com/", "https://app.example/cb".into(), Some("https://app.example/".into()), None).unwrap());
        c
    }

    fn platform() -> FakePlatform {
        FakePlatform::new(|op, _| panic!("no Cognito API call expected: {op:?}"))
    }

    /// The token endpoint's answer with tokens for `nonce`.
    fn answer(p: &FakePlatform, nonce: &str) -> String {
        let now = p.now_millis.get() / 1000;
        let iss = format!("https://cognito-idp.us-east-1.amazonaws.com/{POOL}");
        let id = jwt(&json!({"iss": iss, "aud": "client1", "exp": now + 3600, "iat": now, "nonce": nonce, "cognito:username": "google_1"}));
        let access = jwt(&json!({"iss": iss, "client_id": "client1", "exp": now + 3600, "iat": now, "username": "google_1"}));
        json!({"id_token": id, "access_token": access, "refresh_token": "r1", "token_type": "Bearer", "expires_in": 3600}).to_string()
    }

    #[test]
    fn a_redeemed_code_is_the_session_and_sign_out_goes_through_logout() {
        let p = platform();
        let c = config();
        let done = redeemed(&p, &c, 200, &answer(&p, "n1"), "n1", Some("/orders/7".into())).unwrap();
        assert_eq!(done.custom_state.as_deref(), Some("/orders/7"));
        let storage = p.storage.snapshot();
        assert_eq!(storage.get("CognitoIdentityServiceProvider.client1.LastAuthUser").map(String::as_str), Some("google_1"));
        assert_eq!(storage.get("CognitoIdentityServiceProvider.client1.google_1.refreshToken").map(String::as_str), Some("r1"));
        assert_eq!(storage.get("CognitoIdentityServiceProvider.client1.oauthSignIn").map(String::as_str), Some("true,false"));
        assert_eq!(*p.announced.borrow(), ["signedIn"]);
        let logout = take_logout_url(&p, &c).unwrap().unwrap();
        assert_eq!(logout, "https://auth.example.com/logout?client_id=client1&logout_uri=https%3A%2F%2Fapp.example%2F");
        assert_eq!(take_logout_url(&p, &c).unwrap(), None, "the marker is used up");
    }

    #[test]
    fn a_refused_code_or_another_flows_tokens_keep_the_signed_in_user() {
        let c = config();
        let cases = [
            (400, r#"{"error":"invalid_grant","error_description":"Code expired"}"#.to_owned(), "invalid_grant"),
            (500, "<html>proxy</html>".to_owned(), "ProtocolError"),
            (200, String::new(), "OAuthNonceMismatchException"),
        ];
        for (status, body, name) in cases {
            let p = platform();
            p.storage.set_item("CognitoIdentityServiceProvider.client1.LastAuthUser", "alice").unwrap();
            let body = if body.is_empty() { answer(&p, "another flow's nonce") } else { body };
            let e = redeemed(&p, &c, status, &body, "n1", None).unwrap_err();
            assert_eq!(e.name(), name, "{body}");
            assert_eq!(p.storage.snapshot().len(), 1, "{name}: the signed-in user is kept");
            assert!(p.announced.borrow().is_empty(), "{name}");
        }
    }

    #[test]
    fn without_a_managed_login_session_or_a_sign_out_url_there_is_no_logout() {
        let p = platform();
        assert_eq!(take_logout_url(&p, &config()).unwrap(), None);
        let mut c = config();
        c.oauth.as_mut().unwrap().redirect_sign_out = None;
        p.storage.set_item("CognitoIdentityServiceProvider.client1.oauthSignIn", "true,false").unwrap();
        assert_eq!(take_logout_url(&p, &c).unwrap(), None);
        assert!(p.storage.snapshot().is_empty());
    }

    #[test]
    fn id_tokens_of_another_pool_client_or_time_are_refused() {
        let c = config();
        let iss = format!("https://cognito-idp.us-east-1.amazonaws.com/{POOL}");
        let claims = |v: serde_json::Value| Claims::from_token(&jwt(&v)).unwrap();
        let ok = claims(json!({"iss": iss, "aud": "client1", "exp": 2000, "iat": 900, "nonce": "n"}));
        assert!(check_id_token(&c, &ok, "n", 1000).is_ok());
        assert!(check_id_token(&c, &ok, "n", 2000 + CLOCK_SKEW_SECS).is_err());
        let evil = claims(json!({"iss": "https://evil.example/us-east-1_Pool1", "aud": "client1", "exp": 2000, "iat": 900, "nonce": "n"}));
        assert!(matches!(check_id_token(&c, &evil, "n", 1000), Err(Error::Protocol(_))));
        let other = claims(json!({"iss": iss, "aud": "client2", "exp": 2000, "iat": 900, "nonce": "n"}));
        assert!(matches!(check_id_token(&c, &other, "n", 1000), Err(Error::Protocol(_))));
        let no_nonce = claims(json!({"iss": iss, "aud": "client1", "exp": 2000, "iat": 900}));
        assert_eq!(check_id_token(&c, &no_nonce, "n", 1000).unwrap_err().name(), "OAuthNonceMismatchException");
    }

    #[test]
    fn adopting_an_incomplete_or_unreadable_answer_stores_nothing() {
        let c = config();
        let p = platform();
        let answer = |id: Option<&str>, refresh: Option<&str>| oauth::TokenAnswer {
            id_token: id.map(str::to_owned),
            access_token: "not.a.jwt".into(),
            refresh_token: refresh.map(str::to_owned),
        };
        for a in [answer(None, Some("r")), answer(Some("x.y.z"), None), answer(Some("garbage"), Some("r"))] {
            assert!(matches!(adopt(&p, &c, a, "n", None), Err(Error::Protocol(_))));
        }
        let now = p.now_millis.get() / 1000;
        let iss = format!("https://cognito-idp.us-east-1.amazonaws.com/{POOL}");
        let id = jwt(&json!({"iss": iss, "aud": "client1", "exp": now + 60, "iat": now, "nonce": "n"}));
        let no_username = jwt(&json!({"exp": now + 60, "iat": now}));
        let a = oauth::TokenAnswer { id_token: Some(id), access_token: no_username, refresh_token: Some("r".into()) };
        assert!(matches!(adopt(&p, &c, a, "n", None), Err(Error::Protocol(_))));
        assert!(p.storage.snapshot().is_empty() && p.announced.borrow().is_empty());
    }

    #[test]
    fn settings_are_checked() {
        let ok = |d: &str| OAuthSettings::new(d, "https://app/cb".into(), None, None).is_ok();
        assert!(ok("https://auth.example.com") && ok("http://localhost:9229") && ok("http://127.0.0.1:1234/"));
        assert!(!ok("http://auth.example.com") && !ok("auth.example.com") && !ok("http://localhost.evil.com") && !ok("https://"));
        assert!(OAuthSettings::new("https://a.b", "/cb".into(), None, None).is_err());
        assert!(OAuthSettings::new("https://a.b", "myapp://cb".into(), None, None).is_ok());
        assert!(OAuthSettings::new("https://a.b", "https://app/cb".into(), None, Some(vec!["email".into()])).is_err());
    }
}

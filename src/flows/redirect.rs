//! Sign-in through managed login (Cognito's hosted pages, and through them Google, Facebook, Apple, Amazon, OIDC
//! and SAML providers): the authorization-code grant with PKCE.
//!
//! [`begin`] makes the authorize URL and keeps what the return needs (the state, the PKCE verifier, the nonce) in
//! transient storage, this tab's own; the app (or the JS shell) sends the browser there. [`complete`] takes the
//! URL the browser came back on, checks its `state` against the flow this tab started, redeems the code at the
//! token endpoint, checks the ID token, and stores the session as every other sign-in does: under the official
//! client's keys, so refresh, cross-tab events and acij / Amplify compatibility are the same. The flow is
//! removed on every return, failed or not, so a verifier is never left behind and a state is good once.

use crate::protocol::oauth::{self, form, param, query};
use crate::protocol::{FromJson, Json, JsonError, ToJson};
use crate::session::{Claims, Session, Storage, Tokens};

use super::{AuthEvent, Config, Error, Platform};

/// How long a started flow waits for the browser to come back: time for a provider's sign-in page and a
/// second factor, not for an abandoned tab.
pub const FLOW_LIFETIME_MILLIS: i64 = 15 * 60 * 1000;

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

/// What an app may ask of one redirect sign-in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedirectOptions {
    /// `Google`, `Facebook`, `SignInWithApple`, `LoginWithAmazon`, `COGNITO` or a provider's own name; none: the
    /// managed login page with every provider of the client.
    pub provider: Option<String>,
    /// The app's own data, handed back after the return; kept here, never sent to Cognito or navigated to.
    pub custom_state: Option<String>,
    pub login_hint: Option<String>,
    pub lang: Option<String>,
    /// `login` (ask again even with a managed-login session), `none`, …: passed as is.
    pub prompt: Option<String>,
    /// A nonce of the app's; one is made otherwise.
    pub nonce: Option<String>,
}

/// A redirect sign-in this tab started and that has not come back yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRedirect {
    pub state: String,
    pub verifier: String,
    pub nonce: String,
    pub redirect_uri: String,
    pub custom_state: Option<String>,
    pub expires_at_millis: i64,
}

impl ToJson for PendingRedirect {
    fn to_json(&self) -> Json {
        Json::object()
            .with("state", &self.state)
            .with("verifier", &self.verifier)
            .with("nonce", &self.nonce)
            .with("redirectUri", &self.redirect_uri)
            .with_some("customState", self.custom_state.as_ref())
            .with("expiresAt", self.expires_at_millis)
    }
}

impl FromJson for PendingRedirect {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self {
            state: v.field("state")?,
            verifier: v.field("verifier")?,
            nonce: v.field("nonce")?,
            redirect_uri: v.field("redirectUri")?,
            custom_state: v.field("customState")?,
            expires_at_millis: v.field("expiresAt")?,
        })
    }
}

/// The key of this tab's pending redirect.
fn pending_key(config: &Config) -> String {
    ["cognito-wasm.", config.client_id(), ".pendingRedirect"].concat()
}

/// Amplify's marker of a session that came from managed login (`CognitoIdentityServiceProvider.<clientId>.
/// oauthSignIn` = `true,false`): its signOut then ends the managed-login session too, and so does ours, whichever
/// library signed the user in.
fn managed_login_key(config: &Config) -> String {
    ["CognitoIdentityServiceProvider.", config.client_id(), ".oauthSignIn"].concat()
}

fn settings(config: &Config) -> Result<&OAuthSettings, Error> {
    config.oauth.as_ref().ok_or_else(|| {
        Error::InvalidParameter("redirect sign-in needs the oauth option: { domain, redirectSignIn, … }".into())
    })
}

/// `n` random bytes as base64url: 32 give a verifier of 43 characters, RFC 7636's minimum, with 256 bits.
fn random_text<P: Platform>(p: &P, n: usize) -> Result<String, Error> {
    let mut bytes = vec![0u8; n];
    p.fill(&mut bytes).map_err(Error::Random)?;
    Ok(crate::b64::encode_url(&bytes))
}

/// Starts a redirect sign-in: the authorize URL to send the browser to, and the flow, which is also kept in
/// transient storage for [`complete`] (a server keeps the flow itself and passes it back).
pub fn begin<P: Platform>(p: &P, config: &Config, options: RedirectOptions) -> Result<(String, PendingRedirect), Error> {
    let s = settings(config)?;
    let flow = PendingRedirect {
        state: random_text(p, 32)?,
        verifier: random_text(p, 32)?,
        nonce: match options.nonce {
            Some(nonce) if !nonce.is_empty() => nonce,
            _ => random_text(p, 16)?,
        },
        redirect_uri: s.redirect_sign_in.clone(),
        custom_state: options.custom_state,
        expires_at_millis: p.now_millis() + FLOW_LIFETIME_MILLIS,
    };
    let scope = s.scopes.join(" ");
    let challenge = oauth::s256(&flow.verifier);
    let query = form(&[
        ("response_type", Some("code")),
        ("client_id", Some(config.client_id())),
        ("redirect_uri", Some(&flow.redirect_uri)),
        ("scope", Some(&scope)),
        ("state", Some(&flow.state)),
        ("nonce", Some(&flow.nonce)),
        ("code_challenge", Some(&challenge)),
        ("code_challenge_method", Some("S256")),
        ("identity_provider", options.provider.as_deref()),
        ("login_hint", options.login_hint.as_deref()),
        ("lang", options.lang.as_deref()),
        ("prompt", options.prompt.as_deref()),
    ]);
    p.transient_storage().set_item(&pending_key(config), &flow.to_json().to_text())?;
    Ok(([&s.endpoint("/oauth2/authorize"), "?", &query].concat(), flow))
}

/// What a completed redirect sign-in hands back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completed {
    pub custom_state: Option<String>,
}

fn state_mismatch(message: &str) -> Error {
    Error::InvalidState { name: "OAuthStateMismatchException", message: message.to_owned() }
}

/// Whether `url` is a return from managed login: the callback URL with a `state` and a `code` or an `error`.
#[must_use]
pub fn is_return(config: &Config, url: &str) -> bool {
    let Some(s) = &config.oauth else { return false };
    let q = query(url);
    oauth::without_query(url) == oauth::without_query(&s.redirect_sign_in)
        && param(&q, "state").is_some()
        && (param(&q, "code").is_some() || param(&q, "error").is_some())
}

/// Completes a redirect sign-in from the URL the browser came back on, with the flow this tab started (or
/// `flow`, kept by a server). The flow is used up whatever happens; a failure changes no session.
pub async fn complete<P: Platform>(p: &P, config: &Config, url: &str, flow: Option<PendingRedirect>) -> Result<Completed, Error> {
    let s = settings(config)?;
    let key = pending_key(config);
    let stored = p.transient_storage().get_item(&key)?;
    p.transient_storage().remove_item(&key)?;
    let flow = match flow {
        Some(flow) => flow,
        None => stored
            .and_then(|text| Json::parse(&text).ok().and_then(|j| PendingRedirect::from_json(&j).ok()))
            .ok_or_else(|| state_mismatch("no redirect sign-in of this tab is waiting for this answer (already completed, or started in another tab)"))?,
    };
    let q = query(url);
    if !param(&q, "state").is_some_and(|state| crate::text::same(state, &flow.state)) {
        return Err(state_mismatch("the state in the URL is not the one this sign-in sent"));
    }
    if p.now_millis() >= flow.expires_at_millis {
        return Err(Error::InvalidState {
            name: "OAuthFlowExpiredException",
            message: "the redirect sign-in took longer than 15 minutes: start it again".into(),
        });
    }
    if let Some(error) = param(&q, "error") {
        return Err(oauth::oauth_error(error, param(&q, "error_description").unwrap_or(""), 400).into());
    }
    let code = param(&q, "code").ok_or_else(|| Error::InvalidParameter("the URL has neither code nor error".into()))?;
    let body = form(&[
        ("grant_type", Some("authorization_code")),
        ("client_id", Some(config.client_id())),
        ("code", Some(code)),
        ("redirect_uri", Some(&flow.redirect_uri)),
        ("code_verifier", Some(&flow.verifier)),
    ]);
    let answer = post(p, &s.endpoint("/oauth2/token"), basic_auth(config).as_deref(), body).await?;
    adopt(p, config, oauth::token_answer(&answer)?, &flow.nonce, flow.custom_state)
}

/// Makes the token endpoint's answer to a redirect sign-in the session, as every sign-in's: checks the ID token
/// against `nonce` (the flow's) and this pool and client, stores the tokens under the shared keys with Amplify's
/// managed-login marker, and announces `signedIn` (and `customState`). The part of a return that must stay in the
/// core whatever shell redeems the code; nothing is stored when a check fails.
pub fn adopt<P: Platform>(p: &P, config: &Config, answer: oauth::TokenAnswer, nonce: &str, custom_state: Option<String>) -> Result<Completed, Error> {
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
    if let Some(custom) = &custom_state {
        p.emit(AuthEvent::CustomState(custom.clone()));
    }
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

/// `Basic base64(clientId:clientSecret)`, as Cognito requires of clients with a secret.
fn basic_auth(config: &Config) -> Option<String> {
    let secret = config.client_secret()?;
    Some(["Basic ", &crate::b64::encode([config.client_id(), ":", secret].concat().as_bytes())].concat())
}

/// Posts a form to a managed-login endpoint and reads its JSON answer (not repeated: a code is single-use).
async fn post<P: Platform>(p: &P, url: &str, authorization: Option<&str>, body: String) -> Result<Json, Error> {
    let response = p.post_form(url, authorization, body).await.map_err(|e| match e {
        crate::protocol::TransportError::Network(m) => Error::Network(m),
        crate::protocol::TransportError::Timeout(m) => Error::Timeout(m),
    })?;
    Ok(oauth::read_answer(response.status, &response.body)?)
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

/// `/oauth2/userInfo` with the session's fresh access token: the user's attributes as far as its scopes reach.
pub async fn fetch_user_info<P: Platform>(p: &P, config: &Config) -> Result<Json, Error> {
    let s = settings(config)?;
    let access = super::current::access_token(p, config).await?;
    post(p, &s.endpoint("/oauth2/userInfo"), Some(&["Bearer ", &access].concat()), String::new()).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::fake::FakePlatform;
    use crate::session::tests_jwt as jwt;
    use crate::test_support::block_on;
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

    /// The token endpoint of a pool that answers with tokens carrying `nonce`.
    fn answer_with(p: &FakePlatform, nonce: &'static str) {
        let now = p.now_millis.get() / 1000;
        let iss = format!("https://cognito-idp.us-east-1.amazonaws.com/{POOL}");
        let id = jwt(&json!({"iss": iss, "aud": "client1", "exp": now + 3600, "iat": now, "nonce": nonce, "cognito:username": "google_1"}));
        let access = jwt(&json!({"iss": iss, "client_id": "client1", "exp": now + 3600, "iat": now, "username": "google_1"}));
        let body = json!({"id_token": id, "access_token": access, "refresh_token": "r1", "token_type": "Bearer", "expires_in": 3600}).to_string();
        *p.form_responder.borrow_mut() = Some(Box::new(move |_, _, _| (200, body.clone())));
    }

    fn callback(flow: &PendingRedirect) -> String {
        format!("https://app.example/cb?code=c0de&state={}", flow.state)
    }

    #[test]
    fn the_authorize_url_carries_pkce_state_nonce_and_the_options() {
        let p = platform();
        let options = RedirectOptions { provider: Some("Google".into()), login_hint: Some("a@b.c".into()), ..Default::default() };
        let (url, flow) = begin(&p, &config(), options).unwrap();
        assert!(url.starts_with("https://auth.example.com/oauth2/authorize?response_type=code&client_id=client1&"), "{url}");
        let q = query(&url);
        assert_eq!(param(&q, "redirect_uri"), Some("https://app.example/cb"));
        assert_eq!(param(&q, "scope"), Some("openid email profile"));
        assert_eq!(param(&q, "state"), Some(flow.state.as_str()));
        assert_eq!(param(&q, "nonce"), Some(flow.nonce.as_str()));
        assert_eq!(param(&q, "code_challenge"), Some(oauth::s256(&flow.verifier).as_str()));
        assert_eq!(param(&q, "code_challenge_method"), Some("S256"));
        assert_eq!(param(&q, "identity_provider"), Some("Google"));
        assert_eq!(param(&q, "login_hint"), Some("a@b.c"));
        assert_eq!(param(&q, "prompt"), None);
        assert_eq!(flow.verifier.len(), 43);
        assert!(flow.verifier.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert!(p.transient.snapshot().contains_key("cognito-wasm.client1.pendingRedirect"));
    }

    #[test]
    fn a_return_redeems_the_code_with_the_verifier_and_stores_the_session() {
        let p = platform();
        let c = config();
        let (_, flow) = begin(&p, &c, RedirectOptions { custom_state: Some("/orders/7".into()), ..Default::default() }).unwrap();
        let nonce: &'static str = Box::leak(flow.nonce.clone().into_boxed_str());
        answer_with(&p, nonce);
        assert!(is_return(&c, &callback(&flow)));
        let done = block_on(complete(&p, &c, &callback(&flow), None)).unwrap();
        assert_eq!(done.custom_state.as_deref(), Some("/orders/7"));
        let (url, auth, body) = p.forms.borrow()[0].clone();
        assert_eq!(url, "https://auth.example.com/oauth2/token");
        assert_eq!(auth, None);
        let sent = query(&format!("?{body}"));
        assert_eq!(param(&sent, "grant_type"), Some("authorization_code"));
        assert_eq!(param(&sent, "code"), Some("c0de"));
        assert_eq!(param(&sent, "code_verifier"), Some(flow.verifier.as_str()));
        assert_eq!(param(&sent, "redirect_uri"), Some("https://app.example/cb"));
        let storage = p.storage.snapshot();
        assert_eq!(storage.get("CognitoIdentityServiceProvider.client1.LastAuthUser").map(String::as_str), Some("google_1"));
        assert_eq!(storage.get("CognitoIdentityServiceProvider.client1.oauthSignIn").map(String::as_str), Some("true,false"));
        assert!(p.transient.snapshot().is_empty(), "the verifier is gone");
        assert_eq!(*p.announced.borrow(), ["signedIn", "customState"]);
        // The state is good once.
        let again = block_on(complete(&p, &c, &callback(&flow), None)).unwrap_err();
        assert_eq!(again.name(), "OAuthStateMismatchException");
        // Sign-out then goes through /logout.
        let logout = take_logout_url(&p, &c).unwrap().unwrap();
        assert_eq!(logout, "https://auth.example.com/logout?client_id=client1&logout_uri=https%3A%2F%2Fapp.example%2F");
        assert_eq!(take_logout_url(&p, &c).unwrap(), None);
    }

    #[test]
    fn failed_returns_use_the_flow_up_and_keep_the_session() {
        let c = config();
        type Case = (&'static str, fn(&PendingRedirect) -> String, &'static str);
        let cases: [Case; 5] = [
            ("tampered state", |f| format!("https://app.example/cb?code=c&state={}x", f.state), "OAuthStateMismatchException"),
            ("no state", |_| "https://app.example/cb?code=c".into(), "OAuthStateMismatchException"),
            ("provider error", |f| format!("https://app.example/cb?error=access_denied&error_description=User+cancelled&state={}", f.state), "access_denied"),
            ("nonce of another flow", callback, "OAuthNonceMismatchException"),
            ("refused code", callback, "invalid_grant"),
        ];
        for (what, url, name) in cases {
            let p = platform();
            p.storage.set_item("CognitoIdentityServiceProvider.client1.LastAuthUser", "alice").unwrap();
            let (_, flow) = begin(&p, &c, RedirectOptions::default()).unwrap();
            answer_with(&p, "another-nonce");
            if name == "invalid_grant" {
                *p.form_responder.borrow_mut() = Some(Box::new(|_, _, _| (400, r#"{"error":"invalid_grant"}"#.into())));
            }
            let e = block_on(complete(&p, &c, &url(&flow), None)).unwrap_err();
            assert_eq!(e.name(), name, "{what}: {e}");
            assert!(p.transient.snapshot().is_empty(), "{what}: the verifier is gone");
            assert_eq!(p.storage.snapshot().len(), 1, "{what}: the signed-in user is kept");
            assert!(p.announced.borrow().is_empty(), "{what}");
        }
        // A flow from another tab (its storage) is unknown here; an expired one is refused.
        let p = platform();
        let other = platform();
        let (_, flow) = begin(&other, &c, RedirectOptions::default()).unwrap();
        assert_eq!(block_on(complete(&p, &c, &callback(&flow), None)).unwrap_err().name(), "OAuthStateMismatchException");
        let (_, flow) = begin(&p, &c, RedirectOptions::default()).unwrap();
        p.now_millis.set(p.now_millis.get() + FLOW_LIFETIME_MILLIS);
        assert_eq!(block_on(complete(&p, &c, &callback(&flow), None)).unwrap_err().name(), "OAuthFlowExpiredException");
        assert!(p.forms.borrow().is_empty(), "no code was sent anywhere");
    }

    #[test]
    fn clients_with_a_secret_use_basic_auth_and_servers_pass_the_flow_back() {
        let p = platform();
        let c = config().with_client_secret("s3cret").unwrap();
        let (_, flow) = begin(&p, &c, RedirectOptions { nonce: Some("n1".into()), ..Default::default() }).unwrap();
        p.transient.remove_item("cognito-wasm.client1.pendingRedirect").unwrap();
        answer_with(&p, "n1");
        block_on(complete(&p, &c, &callback(&flow), Some(flow.clone()))).unwrap();
        let auth = p.forms.borrow()[0].1.clone().unwrap();
        assert_eq!(auth, format!("Basic {}", crate::b64::encode(b"client1:s3cret")));
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
        let c = Config::new(POOL, "client1").unwrap();
        assert!(matches!(begin(&platform(), &c, RedirectOptions::default()), Err(Error::InvalidParameter(_))));
    }
}

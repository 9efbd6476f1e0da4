//! Managed login: the OAuth 2.0 / OpenID Connect endpoints of a pool's domain (`/oauth2/authorize`, `/login`,
//! `/oauth2/idpresponse`, `/oauth2/token`, `/oauth2/userInfo`, `/oauth2/revoke`, `/logout`) and the simulated
//! identity providers behind them (`/__providers__/<name>/authorize`).
//!
//! Every pool's domain is the emulator's own origin; the pool is the one of the request's `client_id`. What is
//! in flight (authorize requests, codes, managed-login sessions, the providers' codes) lives in memory only,
//! as short-lived server state does in Cognito: a restart ends it.

mod authorize;
pub mod form;
mod token;

use std::collections::HashMap;

use serde_json::Value;

use crate::app::App;
use crate::pool::MfaType;
use form::parse_form;

/// Codes are valid for five minutes and once, as Cognito's authorization codes are.
pub const CODE_TTL: u64 = 300;
/// An authorize request (the login page, a trip to a provider) may take this long.
pub const REQUEST_TTL: u64 = 900;
/// The managed-login session cookie lasts an hour, as Cognito's does.
pub const SESSION_TTL: u64 = 3600;
pub const SESSION_COOKIE: &str = "cognito";

/// What an endpoint answers, independent of the HTTP layer.
#[derive(Debug, PartialEq)]
pub enum Answer {
    /// 302 to this URL (absolute, or a path on the emulator's own origin), with a `Set-Cookie` value that
    /// starts or ends the managed-login session.
    Redirect {
        location: String,
        set_cookie: Option<String>,
    },
    Page {
        status: u16,
        html: String,
    },
    Json {
        status: u16,
        body: Value,
        /// For 401s from the userInfo endpoint (RFC 6750).
        www_authenticate: Option<String>,
    },
    /// A status without a body (the revocation endpoint's 200).
    Empty {
        status: u16,
    },
}

/// An authorize request on its way through the login page or a provider.
#[derive(Debug, Clone)]
pub struct AuthorizeRequest {
    pub pool_id: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub scopes: Vec<String>,
    pub code_challenge: Option<String>,
    pub nonce: Option<String>,
    pub login_hint: Option<String>,
    pub created_at: u64,
    /// Set once the password was right and a second factor is asked for.
    pub mfa: Option<PendingMfa>,
}

/// The second factor the login page asks for after the password.
#[derive(Debug, Clone)]
pub struct PendingMfa {
    pub user_key: String,
    pub kind: MfaType,
}

/// An authorization code handed to the app: whose, and for which request.
#[derive(Debug, Clone)]
pub struct AuthCode {
    pub request: AuthorizeRequest,
    pub user_key: String,
    pub auth_time: u64,
    pub issued_at: u64,
}

/// The managed-login session a browser holds in its cookie: a second authorize needs no password.
#[derive(Debug, Clone)]
pub struct LoginSession {
    pub pool_id: String,
    pub user_key: String,
    pub auth_time: u64,
    pub expires_at: u64,
}

/// The identity a simulated provider asserts.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderIdentity {
    pub provider: String,
    pub user_id: String,
    pub claims: HashMap<String, String>,
}

/// A simulated provider's authorization code, redeemed by `/oauth2/idpresponse`.
#[derive(Debug, Clone)]
pub struct ProviderCode {
    pub identity: ProviderIdentity,
    pub issued_at: u64,
}

/// The in-flight managed-login state.
#[derive(Debug, Default)]
pub struct Grants {
    pub requests: HashMap<String, AuthorizeRequest>,
    pub codes: HashMap<String, AuthCode>,
    pub sessions: HashMap<String, LoginSession>,
    pub provider_codes: HashMap<String, ProviderCode>,
}

impl Grants {
    /// Drops what has expired, so the maps stay bounded by what a test does in a few minutes.
    pub fn sweep(&mut self, now: u64) {
        self.requests
            .retain(|_, r| now < r.created_at + REQUEST_TTL);
        self.codes.retain(|_, c| now < c.issued_at + CODE_TTL);
        self.sessions.retain(|_, s| now < s.expires_at);
        self.provider_codes
            .retain(|_, c| now < c.issued_at + CODE_TTL);
    }
}

/// An HTTP request to one of the managed-login paths, already split.
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

impl Request<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The managed-login session id from the `Cookie` header.
    fn session_cookie(&self) -> Option<String> {
        self.header("Cookie")?
            .split(';')
            .filter_map(|c| c.trim().split_once('='))
            .find(|(name, _)| *name == SESSION_COOKIE)
            .map(|(_, v)| v.to_string())
            .filter(|v| !v.is_empty())
    }

    fn query(&self) -> Vec<(String, String)> {
        parse_form(self.query)
    }

    fn form(&self) -> Vec<(String, String)> {
        parse_form(&String::from_utf8_lossy(self.body))
    }
}

/// Answers a managed-login request, or `None` when the path is not one of managed login's.
pub fn route(app: &App, r: &Request<'_>) -> Option<Answer> {
    let cookie = r.session_cookie();
    let answer = match (r.method, r.path) {
        ("GET" | "HEAD", "/oauth2/authorize") => {
            authorize::authorize(app, &r.query(), cookie.as_deref())
        }
        ("GET" | "HEAD", "/login") => authorize::login_form(app, &r.query()),
        ("POST", "/login") => authorize::login_submit(app, &r.form()),
        ("GET" | "HEAD", "/oauth2/idpresponse") => authorize::idp_response(app, &r.query()),
        ("GET" | "HEAD", "/logout") => authorize::logout(app, &r.query(), cookie.as_deref()),
        ("POST", "/oauth2/token") => token::token(app, r.header("Authorization"), &r.form()),
        ("GET" | "POST", "/oauth2/userInfo") => token::user_info(app, r.header("Authorization")),
        ("POST", "/oauth2/revoke") => token::revoke(app, r.header("Authorization"), &r.form()),
        ("GET" | "HEAD", path) => {
            let name = path
                .strip_prefix("/__providers__/")?
                .strip_suffix("/authorize")?;
            authorize::provider_authorize(app, &crate::util::percent_decode(name)?, &r.query())
        }
        _ => return None,
    };
    Some(answer)
}

/// A minimal HTML page (every text in it escaped by the caller with [`escape`]).
pub fn page(status: u16, title: &str, body: &str) -> Answer {
    Answer::Page {
        status,
        html: format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n{body}\n</body></html>\n",
            escape(title)
        ),
    }
}

/// An error page: where Cognito shows one instead of redirecting (an unknown client, a redirect_uri that is
/// not registered), because redirecting would hand the error to a URL nobody vouched for.
pub fn error_page(error: &str, description: &str) -> Answer {
    page(
        400,
        "Error",
        &format!(
            "<h1>An error was encountered with the requested page.</h1>\n<p id=\"error\">{}</p>\n<p id=\"error_description\">{}</p>",
            escape(error),
            escape(description)
        ),
    )
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

//! The browser side of managed login: `/oauth2/authorize`, the login page (`/login`, with a second factor
//! when the user has one), the simulated identity providers, `/oauth2/idpresponse` and `/logout`.
//!
//! Errors go where Cognito sends them: before the client and its `redirect_uri` are known to belong together
//! there is nobody to tell but the browser (an error page); after that the app hears it on its callback URL
//! (`?error=…&error_description=…&state=…`).

use serde_json::json;

use super::form::{encode, form_param, with_query};
use super::{
    error_page, escape, page, Answer, AuthCode, AuthorizeRequest, LoginSession, PendingMfa,
    ProviderCode, ProviderIdentity, REQUEST_TTL, SESSION_COOKIE, SESSION_TTL,
};
use crate::app::App;
use crate::challenge::SESSION_TTL_SECS;
use crate::codes::{self, Channel};
use crate::ops::{admin_new_user, mfa_need, password_matches, MfaNeed};
use crate::pool::{ClientConfig, IdentityProvider, MfaType, OAuthFlow};
use crate::state::{user_key, PoolState, UserStatus};
use crate::{totp, util};

type Params = [(String, String)];

/// Where a simulated provider sends its answer (Cognito's own redirect URI at every provider).
const IDP_RESPONSE: &str = "/oauth2/idpresponse";
/// The scopes Cognito grants only together with `openid`.
const NEEDS_OPENID: [&str; 3] = ["email", "phone", "profile"];

fn redirect(location: String) -> Answer {
    Answer::Redirect {
        location,
        set_cookie: None,
    }
}

/// The app's callback with an OAuth error, `state` passed back untouched.
fn redirect_error(
    redirect_uri: &str,
    error: &str,
    description: &str,
    state: Option<&str>,
) -> Answer {
    let mut params = vec![("error_description", description), ("error", error)];
    if let Some(s) = state {
        params.push(("state", s));
    }
    redirect(with_query(redirect_uri, &params))
}

fn session_cookie(id: &str) -> String {
    format!("{SESSION_COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age={SESSION_TTL}")
}

fn cleared_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// The scopes an authorize request is granted: the requested ones when the client allows each of them
/// (`email`, `phone` and `profile` only with `openid`), else all of the client's.
fn granted_scopes(client: &ClientConfig, requested: Option<&str>) -> Result<Vec<String>, String> {
    let Some(requested) = requested else {
        return Ok(client.oauth.scopes.clone());
    };
    let mut scopes: Vec<String> = Vec::new();
    for s in requested.split([' ', '+']).filter(|s| !s.is_empty()) {
        if !client.oauth.scopes.iter().any(|c| c == s) {
            return Err(format!("The client may not request the scope {s}."));
        }
        if !scopes.iter().any(|have| have == s) {
            scopes.push(s.to_string());
        }
    }
    if scopes.is_empty() {
        return Ok(client.oauth.scopes.clone());
    }
    if let Some(s) = scopes
        .iter()
        .find(|s| NEEDS_OPENID.contains(&s.as_str()))
        .filter(|_| !scopes.iter().any(|s| s == "openid"))
    {
        return Err(format!("The scope {s} needs the openid scope."));
    }
    Ok(scopes)
}

/// RFC 7636: a S256 challenge is 43 base64url characters; up to 128 are accepted.
fn challenge_ok(challenge: &str) -> bool {
    (43..=128).contains(&challenge.len())
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `GET /oauth2/authorize`.
pub fn authorize(app: &App, params: &Params, cookie: Option<&str>) -> Answer {
    let p = |name| form_param(params, name);
    let store = app.store();
    let Some(client) = p("client_id").and_then(|id| app.client(&store, &id).ok()) else {
        return error_page(
            "invalid_request",
            "client_id is missing or not an app client of any user pool.",
        );
    };
    let Some(pool) = store.pool(&client.pool_id) else {
        return error_page("invalid_request", "The client's user pool is gone.");
    };
    let oauth = &client.client.oauth;
    let Some(redirect_uri) = p("redirect_uri").filter(|u| oauth.callback_urls.contains(u)) else {
        return error_page(
            "redirect_mismatch",
            "redirect_uri is missing or not one of the client's callback URLs.",
        );
    };
    let state = p("state");
    let fail = |error: &str, description: &str| {
        redirect_error(&redirect_uri, error, description, state.as_deref())
    };
    match p("response_type").as_deref() {
        Some("code") if oauth.flows.contains(&OAuthFlow::Code) => {}
        Some("code") => {
            return fail(
                "unauthorized_client",
                "The client may not use the authorization code grant.",
            )
        }
        Some("token") => {
            return fail(
                "unsupported_response_type",
                "The emulator does not reproduce the implicit grant.",
            )
        }
        Some(_) => return fail("unsupported_response_type", "response_type must be code."),
        None => return fail("invalid_request", "response_type is required."),
    }
    let scopes = match granted_scopes(&client.client, p("scope").as_deref()) {
        Ok(s) => s,
        Err(why) => return fail("invalid_scope", &why),
    };
    let code_challenge = match (p("code_challenge"), p("code_challenge_method").as_deref()) {
        (None, None) => None,
        (Some(c), Some("S256")) if challenge_ok(&c) => Some(c),
        (Some(_), Some("S256")) => {
            return fail(
                "invalid_request",
                "code_challenge must be 43 to 128 base64url characters.",
            )
        }
        (None, Some("S256")) => {
            return fail(
                "invalid_request",
                "code_challenge is required with code_challenge_method.",
            )
        }
        (_, None) => {
            return fail(
                "invalid_request",
                "code_challenge_method is required with code_challenge.",
            )
        }
        (_, Some(_)) => {
            return fail(
                "invalid_request",
                "code_challenge_method must be S256: the plain method is not supported.",
            )
        }
    };
    let provider = p("identity_provider");
    if let Some(name) = &provider {
        let enabled = oauth.identity_providers.contains(name)
            && (name == "COGNITO" || pool.config.identity_provider(name).is_some());
        if !enabled {
            return fail(
                "invalid_request",
                &format!("The identity provider {name} is not enabled for this client."),
            );
        }
    }
    let now = util::now();
    let request = AuthorizeRequest {
        pool_id: client.pool_id.clone(),
        client_id: client.client.client_id.clone(),
        redirect_uri: redirect_uri.clone(),
        state: state.clone(),
        scopes,
        code_challenge,
        nonce: p("nonce"),
        login_hint: p("login_hint"),
        created_at: now,
        mfa: None,
    };
    let prompt = p("prompt");
    let mut grants = app.oauth();
    grants.sweep(now);
    // A live managed-login session signs the user in without a page, unless the app asks for a fresh
    // sign-in or for a provider by name.
    let session = cookie
        .and_then(|c| grants.sessions.get(c))
        .filter(|s| s.pool_id == client.pool_id && pool.users.contains_key(&s.user_key))
        .cloned();
    match (provider.as_deref(), session, prompt.as_deref()) {
        (Some(name), _, _) if name != "COGNITO" => {
            let id = util::opaque_token(32);
            let location = provider_url(name, &id, request.login_hint.as_deref());
            grants.requests.insert(id, request);
            redirect(location)
        }
        (_, Some(s), p) if p != Some("login") => {
            issue_code(&mut grants.codes, request, &s.user_key, s.auth_time, None)
        }
        (_, _, Some("none")) => fail("login_required", "The user is not signed in."),
        _ => {
            let id = util::opaque_token(32);
            grants.requests.insert(id.clone(), request);
            redirect(format!("/login?request={id}"))
        }
    }
}

/// The simulated provider's authorize URL for one request (its `state` is the request's id).
fn provider_url(name: &str, request_id: &str, login_hint: Option<&str>) -> String {
    let mut params = vec![
        ("response_type", "code"),
        ("client_id", "cognito-emulator"),
        ("redirect_uri", IDP_RESPONSE),
        ("scope", "openid email profile"),
        ("state", request_id),
    ];
    if let Some(hint) = login_hint {
        params.push(("login_hint", hint));
    }
    with_query(
        &format!("/__providers__/{}/authorize", encode(name)),
        &params,
    )
}

/// Hands the app its code: a redirect to the callback with `code` and `state`.
fn issue_code(
    codes: &mut std::collections::HashMap<String, AuthCode>,
    request: AuthorizeRequest,
    user_key: &str,
    auth_time: u64,
    set_cookie: Option<String>,
) -> Answer {
    let code = util::uuid_v4();
    let mut params = vec![("code", code.as_str())];
    if let Some(s) = &request.state {
        params.push(("state", s));
    }
    let location = with_query(&request.redirect_uri, &params);
    codes.insert(
        code.clone(),
        AuthCode {
            request,
            user_key: user_key.to_string(),
            auth_time,
            issued_at: util::now(),
        },
    );
    Answer::Redirect {
        location,
        set_cookie,
    }
}

/// Ends a request with a signed-in user: a new managed-login session (the cookie) and the app's code.
fn signed_in(app: &App, request_id: &str, user_key: &str) -> Answer {
    let mut grants = app.oauth();
    let Some(request) = grants.requests.remove(request_id) else {
        return expired();
    };
    let now = util::now();
    let session = util::opaque_token(32);
    grants.sessions.insert(
        session.clone(),
        LoginSession {
            pool_id: request.pool_id.clone(),
            user_key: user_key.to_string(),
            auth_time: now,
            expires_at: now + SESSION_TTL,
        },
    );
    issue_code(
        &mut grants.codes,
        request,
        user_key,
        now,
        Some(session_cookie(&session)),
    )
}

fn expired() -> Answer {
    error_page(
        "invalid_request",
        "The sign-in request is unknown or has expired: start again from the app.",
    )
}

/// The request a login page or a provider answer belongs to, while it is still valid.
fn live_request(app: &App, id: Option<&str>) -> Option<AuthorizeRequest> {
    let now = util::now();
    let mut grants = app.oauth();
    grants.sweep(now);
    grants
        .requests
        .get(id?)
        .filter(|r| now < r.created_at + REQUEST_TTL)
        .cloned()
}

/// What the login page shows besides its form.
struct LoginPage<'a> {
    request_id: &'a str,
    providers: &'a [String],
    username: &'a str,
    error: Option<&'a str>,
}

fn login_page(l: &LoginPage<'_>) -> Answer {
    let mut body = String::from("<h1>Sign in</h1>\n");
    if let Some(e) = l.error {
        body.push_str(&format!(
            "<p id=\"error\" role=\"alert\">{}</p>\n",
            escape(e)
        ));
    }
    if l.providers.iter().any(|p| p == "COGNITO") {
        body.push_str(&format!(
            "<form method=\"post\" action=\"/login\">\n<input type=\"hidden\" name=\"request\" value=\"{}\">\n\
<label>Username <input id=\"username\" name=\"username\" autocomplete=\"username\" value=\"{}\"></label>\n\
<label>Password <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\"></label>\n\
<button id=\"signin\" type=\"submit\">Sign in</button>\n</form>\n",
            escape(l.request_id),
            escape(l.username)
        ));
    }
    let others: Vec<&String> = l.providers.iter().filter(|p| *p != "COGNITO").collect();
    if !others.is_empty() {
        body.push_str("<ul>\n");
        for name in others {
            body.push_str(&format!(
                "<li><a id=\"provider-{0}\" href=\"{1}\">Continue with {0}</a></li>\n",
                escape(name),
                escape(&provider_url(name, l.request_id, None))
            ));
        }
        body.push_str("</ul>\n");
    }
    page(200, "Sign in", &body)
}

fn mfa_page(request_id: &str, kind: MfaType, error: Option<&str>) -> Answer {
    let what = match kind {
        MfaType::SoftwareTokenMfa => "the code from your authenticator app",
        MfaType::SmsMfa => "the code we sent by SMS",
        MfaType::EmailOtp => "the code we sent by email",
    };
    let mut body = String::from("<h1>Multi-factor authentication</h1>\n");
    if let Some(e) = error {
        body.push_str(&format!(
            "<p id=\"error\" role=\"alert\">{}</p>\n",
            escape(e)
        ));
    }
    body.push_str(&format!(
        "<form method=\"post\" action=\"/login\">\n<input type=\"hidden\" name=\"request\" value=\"{}\">\n\
<label>Enter {what} <input id=\"code\" name=\"code\" autocomplete=\"one-time-code\"></label>\n\
<button id=\"verify\" type=\"submit\">Sign in</button>\n</form>\n",
        escape(request_id)
    ));
    page(200, "Multi-factor authentication", &body)
}

/// The client's identity providers, for the login page.
fn client_providers(app: &App, client_id: &str) -> Option<Vec<String>> {
    let store = app.store();
    app.client(&store, client_id)
        .ok()
        .map(|c| c.client.oauth.identity_providers)
}

/// `GET /login?request=…`.
pub fn login_form(app: &App, params: &Params) -> Answer {
    let id = form_param(params, "request");
    let Some(request) = live_request(app, id.as_deref()) else {
        return expired();
    };
    let Some(providers) = client_providers(app, &request.client_id) else {
        return expired();
    };
    login_page(&LoginPage {
        request_id: id.as_deref().unwrap_or(""),
        providers: &providers,
        username: request.login_hint.as_deref().unwrap_or(""),
        error: None,
    })
}

/// `POST /login`: the password (then, for users with MFA, the code), checked as a sign-in checks them.
pub fn login_submit(app: &App, form: &Params) -> Answer {
    let id = form_param(form, "request").unwrap_or_default();
    let Some(request) = live_request(app, Some(&id)) else {
        return expired();
    };
    let Some(providers) = client_providers(app, &request.client_id) else {
        return expired();
    };
    if !providers.iter().any(|p| p == "COGNITO") {
        return error_page(
            "invalid_request",
            "This app client does not sign in the user pool's own users.",
        );
    }
    if let Some(pending) = request.mfa {
        return check_mfa_code(
            app,
            &id,
            &request.pool_id,
            &pending,
            form_param(form, "code"),
        );
    }
    let username = form_param(form, "username").unwrap_or_default();
    let again = |error: &str| {
        login_page(&LoginPage {
            request_id: &id,
            providers: &providers,
            username: &username,
            error: Some(error),
        })
    };
    let mut store = app.store();
    let Some(pool) = store.pool_mut(&request.pool_id) else {
        return expired();
    };
    let Some(key) = pool.resolve(&username) else {
        return again("Incorrect username or password.");
    };
    let Some(user) = pool.users.get(&key) else {
        return again("Incorrect username or password.");
    };
    let password = form_param(form, "password").unwrap_or_default();
    match user.status {
        UserStatus::Unconfirmed => return again("User is not confirmed."),
        UserStatus::ExternalProvider => return again("Incorrect username or password."),
        UserStatus::ForceChangePassword => {
            return again(
                "This user must replace a temporary password; the emulator's login page does not offer that: \
                 sign in once through the API first.",
            )
        }
        UserStatus::Confirmed => {}
    }
    match password_matches(pool, user, &password) {
        Ok(true) => {}
        Ok(false) => return again("Incorrect username or password."),
        Err(e) => return error_page("server_error", &e.message),
    }
    let kind = match mfa_need(&pool.config, user) {
        MfaNeed::None => {
            drop(store);
            return signed_in(app, &id, &key);
        }
        MfaNeed::Challenge(kind) => kind,
        MfaNeed::Select(kinds) => match kinds.first() {
            Some(kind) => *kind,
            None => return error_page("server_error", "No second factor to select."),
        },
        MfaNeed::Setup(_) => {
            return again(
                "This user must set up MFA; the emulator's login page does not offer that: sign in once \
                 through the API first.",
            )
        }
    };
    let channel = match kind {
        MfaType::SmsMfa => Some(Channel::Sms),
        MfaType::EmailOtp => Some(Channel::Email),
        MfaType::SoftwareTokenMfa => None,
    };
    if let (Some(channel), Some(user)) = (channel, pool.users.get_mut(&key)) {
        codes::deliver(user, kind.name(), channel, None, SESSION_TTL_SECS);
        if let Err(e) = app.persist(&store) {
            return error_page("server_error", &e.message);
        }
    }
    drop(store);
    if let Some(r) = app.oauth().requests.get_mut(&id) {
        r.mfa = Some(PendingMfa {
            user_key: key,
            kind,
        });
    }
    mfa_page(&id, kind, None)
}

/// The second step of the login page: a TOTP code, or the SMS / email code just sent.
fn check_mfa_code(
    app: &App,
    id: &str,
    pool_id: &str,
    pending: &PendingMfa,
    code: Option<String>,
) -> Answer {
    let code = code.unwrap_or_default();
    let mut store = app.store();
    let Some(user) = store
        .pool_mut(pool_id)
        .and_then(|p| p.users.get_mut(&pending.user_key))
    else {
        return expired();
    };
    let ok = match pending.kind {
        MfaType::SoftwareTokenMfa => user
            .mfa
            .totp_secret
            .as_deref()
            .is_some_and(|s| totp::verify(s, &code, util::now())),
        MfaType::SmsMfa | MfaType::EmailOtp => {
            match user.usable_code_mut(pending.kind.name(), None) {
                Some(sent) if sent.code == code && util::now() < sent.expires_at => {
                    sent.used = true;
                    true
                }
                _ => false,
            }
        }
    };
    if !ok {
        return mfa_page(id, pending.kind, Some("Invalid code received for user."));
    }
    if let Err(e) = app.persist(&store) {
        return error_page("server_error", &e.message);
    }
    drop(store);
    signed_in(app, id, &pending.user_key)
}

/// `GET /__providers__/<name>/authorize`: a simulated identity provider. It answers at once when the
/// identity is in the query (`email`, `sub`, `name`, or a `login_hint` the app passed through Cognito),
/// shows a page to type one otherwise, and answers `access_denied` when the user cancels (`cancel=1`) or a
/// test asks for a provider error (`error=…&error_description=…`).
pub fn provider_authorize(app: &App, name: &str, params: &Params) -> Answer {
    let p = |n| form_param(params, n);
    if p("redirect_uri").as_deref() != Some(IDP_RESPONSE) {
        return error_page(
            "invalid_request",
            "This provider only answers Cognito's /oauth2/idpresponse.",
        );
    }
    let state = p("state").unwrap_or_default();
    let answer = |pairs: &[(&str, &str)]| {
        let mut pairs = pairs.to_vec();
        pairs.push(("state", &state));
        redirect(with_query(IDP_RESPONSE, &pairs))
    };
    if p("cancel").is_some() {
        return answer(&[
            ("error", "access_denied"),
            ("error_description", "The user cancelled the sign-in."),
        ]);
    }
    if let Some(error) = p("error") {
        let description = p("error_description").unwrap_or_default();
        return answer(&[("error", &error), ("error_description", &description)]);
    }
    let email = p("email").or_else(|| p("login_hint"));
    let user_id = p("sub").or_else(|| email.as_deref().map(numeric_id));
    let Some(user_id) = user_id else {
        return provider_page(name, params);
    };
    let mut claims = std::collections::HashMap::new();
    claims.insert("sub".to_string(), user_id.clone());
    if let Some(e) = &email {
        claims.insert("email".to_string(), e.clone());
        claims.insert("email_verified".to_string(), "true".to_string());
    }
    if let Some(n) = p("name") {
        claims.insert("name".to_string(), n);
    }
    let code = util::opaque_token(32);
    app.oauth().provider_codes.insert(
        code.clone(),
        ProviderCode {
            identity: ProviderIdentity {
                provider: name.to_string(),
                user_id,
                claims,
            },
            issued_at: util::now(),
        },
    );
    answer(&[("code", &code)])
}

/// A provider-style user id (Google's are 21 digits) derived from the email, so the same email is the
/// same provider user on every sign-in.
fn numeric_id(email: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(email.to_lowercase().as_bytes());
    let mut id: String = digest
        .iter()
        .map(|b| char::from(b'0' + b % 10))
        .take(21)
        .collect();
    id.replace_range(0..1, "1");
    id
}

fn provider_page(name: &str, params: &Params) -> Answer {
    let hidden: String = params
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "email" | "name" | "sub" | "cancel"))
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
                escape(k),
                escape(v)
            )
        })
        .collect();
    let query: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain([("cancel", "1")])
        .collect();
    let cancel = with_query(
        &format!("/__providers__/{}/authorize", encode(name)),
        &query,
    );
    page(
        200,
        &format!("Sign in with {name}"),
        &format!(
            "<h1>{0} (simulated by cognito-emulator)</h1>\n<form method=\"get\">\n{hidden}\
<label>Email <input id=\"email\" name=\"email\" type=\"email\"></label>\n\
<label>Name <input id=\"name\" name=\"name\"></label>\n\
<label>{0} user id (optional) <input id=\"sub\" name=\"sub\"></label>\n\
<button id=\"continue\" type=\"submit\">Continue</button>\n</form>\n\
<p><a id=\"cancel\" href=\"{1}\">Cancel</a></p>",
            escape(name),
            escape(&cancel)
        ),
    )
}

/// `GET /oauth2/idpresponse`: the provider's answer. A provider error goes to the app as is; an identity
/// becomes (or finds) the pool's federated user, who is then signed in like a password user.
pub fn idp_response(app: &App, params: &Params) -> Answer {
    let p = |n| form_param(params, n);
    let mut store = app.store();
    let (request, provider_code) = {
        let mut grants = app.oauth();
        grants.sweep(util::now());
        let Some(request) = p("state").and_then(|s| grants.requests.get(&s).cloned()) else {
            return expired();
        };
        let code = p("code").and_then(|c| grants.provider_codes.remove(&c));
        (request, code)
    };
    let id = p("state").unwrap_or_default();
    let fail = |error: &str, description: &str| {
        app.oauth().requests.remove(&id);
        redirect_error(
            &request.redirect_uri,
            error,
            description,
            request.state.as_deref(),
        )
    };
    if let Some(error) = p("error") {
        return fail(&error, &p("error_description").unwrap_or_default());
    }
    let Some(provider_code) = provider_code else {
        return fail(
            "invalid_request",
            "The identity provider's code is unknown or expired.",
        );
    };
    let identity = provider_code.identity;
    let Some(pool) = store.pool_mut(&request.pool_id) else {
        return expired();
    };
    let Some(provider) = pool.config.identity_provider(&identity.provider).cloned() else {
        return fail(
            "invalid_request",
            "The identity provider is not configured for the user pool.",
        );
    };
    let key = federated_user(pool, &provider, &identity);
    if let Err(e) = app.persist(&store) {
        return error_page("server_error", &e.message);
    }
    drop(store);
    signed_in(app, &id, &key)
}

/// The pool's user for a provider identity, made on the first sign-in (`<provider>_<id>`, lower-cased as
/// Cognito writes it, status EXTERNAL_PROVIDER, the `identities` attribute); the mapped attributes are
/// refreshed from the provider on every sign-in, as Cognito does.
fn federated_user(
    pool: &mut PoolState,
    provider: &IdentityProvider,
    identity: &ProviderIdentity,
) -> String {
    let username = format!("{}_{}", provider.name.to_lowercase(), identity.user_id);
    let key = user_key(&username);
    if !pool.users.contains_key(&key) {
        let pool_name = pool.pool_name().to_string();
        let mut user = admin_new_user(
            &pool_name,
            Some(&username),
            &util::random_secret(32),
            UserStatus::ExternalProvider,
        );
        let identities = json!([{
            "userId": identity.user_id,
            "providerName": provider.name,
            "providerType": provider.provider_type.name(),
            "issuer": null,
            "primary": "true",
            "dateCreated": (user.created_at * 1000).to_string(),
        }]);
        user.set_attribute("identities", &identities.to_string());
        pool.users.insert(key.clone(), user);
    }
    let defaults = [("email", "email"), ("name", "name")];
    let mapping: Vec<(&str, &str)> = if provider.attribute_mapping.is_empty() {
        defaults.to_vec()
    } else {
        provider
            .attribute_mapping
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    };
    if let Some(user) = pool.users.get_mut(&key) {
        for (attribute, claim) in mapping {
            if let Some(value) = identity.claims.get(claim) {
                user.set_attribute(attribute, value);
            }
        }
    }
    key
}

/// `GET /logout`: ends the managed-login session and returns to a registered sign-out URL (`logout_uri`),
/// or, given `redirect_uri` and `response_type` instead, starts a new sign-in.
pub fn logout(app: &App, params: &Params, cookie: Option<&str>) -> Answer {
    let p = |n| form_param(params, n);
    let client = {
        let store = app.store();
        p("client_id").and_then(|id| app.client(&store, &id).ok())
    };
    let Some(client) = client else {
        return error_page(
            "invalid_request",
            "client_id is missing or not an app client of any user pool.",
        );
    };
    let location = match (p("logout_uri"), p("redirect_uri")) {
        (Some(uri), _) if client.client.oauth.logout_urls.contains(&uri) => uri,
        (Some(_), _) => {
            return error_page(
                "redirect_mismatch",
                "logout_uri is not one of the client's sign-out URLs.",
            )
        }
        (None, Some(_)) => {
            let pairs: Vec<(&str, &str)> = params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            with_query("/oauth2/authorize", &pairs)
        }
        (None, None) => {
            return error_page(
                "invalid_request",
                "logout_uri (or redirect_uri and response_type) is required.",
            )
        }
    };
    if let Some(c) = cookie {
        app.oauth().sessions.remove(c);
    }
    Answer::Redirect {
        location,
        set_cookie: Some(cleared_cookie()),
    }
}

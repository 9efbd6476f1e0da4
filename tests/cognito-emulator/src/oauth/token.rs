//! The back-channel endpoints of managed login: `/oauth2/token` (authorization_code with PKCE,
//! refresh_token, client_credentials), `/oauth2/userInfo` and `/oauth2/revoke`, form-encoded in and JSON out, with OAuth's
//! error names (`{"error": "invalid_grant", …}`).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::form::form_param;
use super::{Answer, CODE_TTL};
use crate::app::{App, ClientRef, Extras};
use crate::ops::{authenticate_access_token, refresh_session};
use crate::pool::OAuthFlow;
use crate::state::{refresh_key, RefreshRecord, Store};
use crate::{srp, util};

type Params = [(String, String)];

fn json_answer(status: u16, body: Value) -> Answer {
    Answer::Json {
        status,
        body,
        www_authenticate: None,
    }
}

/// An OAuth error (RFC 6749 §5.2). Cognito's token endpoint answers all of them with 400.
fn oauth_error(status: u16, error: &str, description: &str) -> Answer {
    json_answer(
        status,
        json!({ "error": error, "error_description": description }),
    )
}

/// The client a token or revocation request authenticates as: HTTP Basic (`client_id:client_secret`, as
/// Cognito requires of clients with a secret) or `client_id` (and `client_secret`) in the form.
fn authenticate_client(
    app: &App,
    store: &Store,
    authorization: Option<&str>,
    form: &Params,
    invalid_client_status: u16,
) -> Result<ClientRef, Answer> {
    let invalid = || {
        oauth_error(
            invalid_client_status,
            "invalid_client",
            "Client authentication failed.",
        )
    };
    let (client_id, secret) = match authorization.and_then(|h| h.strip_prefix("Basic ")) {
        Some(encoded) => {
            let decoded = STANDARD
                .decode(encoded.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(invalid)?;
            let (id, secret) = decoded.split_once(':').ok_or_else(invalid)?;
            (id.to_string(), Some(secret.to_string()))
        }
        None => match form_param(form, "client_id") {
            Some(id) => (id, form_param(form, "client_secret")),
            None => {
                return Err(oauth_error(
                    400,
                    "invalid_request",
                    "client_id is required.",
                ))
            }
        },
    };
    let client = app.client(store, &client_id).map_err(|_| invalid())?;
    match (&client.client.secret, secret) {
        (None, _) => Ok(client),
        (Some(expected), Some(given))
            if srp::constant_time_eq(expected.as_bytes(), given.as_bytes()) =>
        {
            Ok(client)
        }
        _ => Err(invalid()),
    }
}

fn token_response(
    app: &App,
    id_token: Option<String>,
    access_token: String,
    refresh_token: Option<String>,
) -> Answer {
    let mut body = json!({
        "access_token": access_token,
        "expires_in": app.config.access_token_ttl,
        "token_type": "Bearer",
    });
    if let Some(obj) = body.as_object_mut() {
        if let Some(t) = id_token {
            obj.insert("id_token".into(), json!(t));
        }
        if let Some(t) = refresh_token {
            obj.insert("refresh_token".into(), json!(t));
        }
    }
    json_answer(200, body)
}

/// Whether a scope list (space-separated) includes `openid`, without which Cognito issues no ID token.
fn has_openid(scope: &str) -> bool {
    scope.split(' ').any(|s| s == "openid")
}

/// `POST /oauth2/token`.
pub fn token(app: &App, authorization: Option<&str>, form: &Params) -> Answer {
    let mut store = app.store();
    let client = match authenticate_client(app, &store, authorization, form, 400) {
        Ok(c) => c,
        Err(answer) => return answer,
    };
    match form_param(form, "grant_type").as_deref() {
        Some("authorization_code") => authorization_code(app, &mut store, &client, form),
        Some("refresh_token") => {
            let Some(token) = form_param(form, "refresh_token") else {
                return oauth_error(400, "invalid_request", "refresh_token is required.");
            };
            match refresh_session(app, &mut store, &client, &token, None) {
                Ok(r) => {
                    let id = r
                        .scope
                        .as_deref()
                        .is_none_or(has_openid)
                        .then_some(r.tokens.id_token);
                    token_response(app, id, r.tokens.access_token, r.refresh_token)
                }
                Err(e) => oauth_error(400, "invalid_grant", &e.message),
            }
        }
        Some("client_credentials") => client_credentials(app, &store, &client, form),
        Some(_) => oauth_error(
            400,
            "unsupported_grant_type",
            "grant_type must be authorization_code, refresh_token or client_credentials.",
        ),
        None => oauth_error(400, "invalid_request", "grant_type is required."),
    }
}

/// RFC 7636's verifier: 43 to 128 unreserved characters.
fn verifier_ok(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// The authorization-code grant: the code once, within five minutes, by the client it was issued to,
/// with the authorize request's exact `redirect_uri` and — when it had a challenge — the PKCE verifier.
/// A failed attempt uses the code up too, so a stolen code cannot be tried twice.
fn authorization_code(app: &App, store: &mut Store, client: &ClientRef, form: &Params) -> Answer {
    let (Some(code), Some(redirect_uri)) =
        (form_param(form, "code"), form_param(form, "redirect_uri"))
    else {
        return oauth_error(
            400,
            "invalid_request",
            "code and redirect_uri are required.",
        );
    };
    let grant = app.oauth().codes.remove(&code);
    let now = util::now();
    let Some(grant) = grant.filter(|g| now < g.issued_at + CODE_TTL) else {
        return oauth_error(
            400,
            "invalid_grant",
            "The code is unknown, used or expired.",
        );
    };
    if grant.request.client_id != client.client.client_id {
        return oauth_error(
            400,
            "invalid_grant",
            "The code was issued to another client.",
        );
    }
    if grant.request.redirect_uri != redirect_uri {
        return oauth_error(
            400,
            "invalid_grant",
            "redirect_uri does not match the authorize request's.",
        );
    }
    if let Some(challenge) = &grant.request.code_challenge {
        let Some(verifier) = form_param(form, "code_verifier") else {
            return oauth_error(400, "invalid_request", "code_verifier is required.");
        };
        let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        if !verifier_ok(&verifier)
            || !srp::constant_time_eq(computed.as_bytes(), challenge.as_bytes())
        {
            return oauth_error(
                400,
                "invalid_grant",
                "code_verifier does not match the code_challenge.",
            );
        }
    }
    let scope = grant.request.scopes.join(" ");
    let origin_jti = util::uuid_v4();
    let refresh_token = util::opaque_token(96);
    let Some(pool) = store.pool_mut(&client.pool_id) else {
        return oauth_error(400, "invalid_grant", "The user pool is gone.");
    };
    if !pool.users.contains_key(&grant.user_key) {
        return oauth_error(400, "invalid_grant", "The user no longer exists.");
    }
    pool.refresh_tokens.insert(
        refresh_key(&refresh_token),
        RefreshRecord {
            client_id: client.client.client_id.clone(),
            user_key: grant.user_key.clone(),
            origin_jti: origin_jti.clone(),
            auth_time: grant.auth_time,
            issued_at: now,
            expires_at: now + app.config.refresh_token_ttl,
            revoked: false,
            device_key: None,
            rotated_until: None,
            scope: Some(scope.clone()),
        },
    );
    let issued = store.pool(&client.pool_id).and_then(|pool| {
        let user = pool.users.get(&grant.user_key)?;
        Some(app.issue_tokens(
            store,
            pool,
            user,
            &client.client.client_id,
            &origin_jti,
            grant.auth_time,
            Extras {
                device_key: None,
                scope: Some(&scope),
                nonce: grant.request.nonce.as_deref(),
            },
        ))
    });
    let tokens = match issued {
        Some(Ok(t)) => t,
        Some(Err(e)) => return oauth_error(500, "server_error", &e.message),
        None => return oauth_error(400, "invalid_grant", "The user no longer exists."),
    };
    if let Err(e) = app.persist(store) {
        return oauth_error(500, "server_error", &e.message);
    }
    let id_token = has_openid(&scope).then_some(tokens.id_token);
    token_response(app, id_token, tokens.access_token, Some(refresh_token))
}

/// A resource-server scope (`<identifier>/<name>`), the only kind the client-credentials grant hands out.
fn is_custom_scope(scope: &str) -> bool {
    scope.contains('/') && scope != "aws.cognito.signin.user.admin"
}

/// The client-credentials grant (machine to machine): a client with a secret and the flow enabled gets an
/// access token for itself — `sub` is the client id, no user, no ID or refresh token — with the custom scopes
/// it asks for, or all of its custom scopes when it names none, as Cognito grants them.
fn client_credentials(app: &App, store: &Store, client: &ClientRef, form: &Params) -> Answer {
    let c = &client.client;
    if c.secret.is_none() || !c.oauth.flows.contains(&OAuthFlow::ClientCredentials) {
        return oauth_error(
            400,
            "unauthorized_client",
            "The client may not use the client_credentials grant.",
        );
    }
    let allowed: Vec<&str> = c
        .oauth
        .scopes
        .iter()
        .map(String::as_str)
        .filter(|s| is_custom_scope(s))
        .collect();
    let requested: Vec<&str> = match form_param(form, "scope") {
        Some(s) => s
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(|s| allowed.iter().find(|a| **a == s).copied().ok_or(s))
            .collect::<Result<_, _>>()
            .unwrap_or_default(),
        None => allowed.clone(),
    };
    if requested.is_empty() {
        return oauth_error(
            400,
            "invalid_scope",
            "The client_credentials grant needs custom scopes of the client's resource servers.",
        );
    }
    let Some(key) = store.key(&client.pool_id) else {
        return oauth_error(500, "server_error", "Pool has no signing key.");
    };
    let now = util::now();
    let claims = json!({
        "sub": c.client_id,
        "token_use": "access",
        "scope": requested.join(" "),
        "auth_time": now,
        "iss": app.issuer(&client.pool_id),
        "exp": now + app.config.access_token_ttl,
        "iat": now,
        "jti": util::uuid_v4(),
        "client_id": c.client_id,
    });
    token_response(app, None, key.sign(&claims), None)
}

fn bearer_error(status: u16, error: &str, description: &str) -> Answer {
    Answer::Json {
        status,
        body: json!({ "error": error, "error_description": description }),
        www_authenticate: Some(format!(
            "Bearer error=\"{error}\", error_description=\"{}\"",
            description.replace('"', "'")
        )),
    }
}

/// `GET|POST /oauth2/userInfo`: the user's attributes, as far as the access token's scopes reach
/// (`openid`: sub and username; `email`, `phone`, `profile` their attributes;
/// `aws.cognito.signin.user.admin` all), every value a string as Cognito sends them.
pub fn user_info(app: &App, authorization: Option<&str>) -> Answer {
    let Some(token) = authorization.and_then(|h| h.strip_prefix("Bearer ")) else {
        return bearer_error(401, "invalid_request", "An access token is required.");
    };
    let token = token.trim();
    let store = app.store();
    let caller = match authenticate_access_token(app, &store, token) {
        Ok(c) => c,
        Err(e) => return bearer_error(401, "invalid_token", &e.message),
    };
    let scope = crate::tokens::peek_claims(token)
        .and_then(|c| c.get("scope").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_default();
    let scopes: Vec<&str> = scope.split(' ').collect();
    let admin = scopes.contains(&"aws.cognito.signin.user.admin");
    if !scopes.contains(&"openid") && !admin {
        return bearer_error(
            403,
            "insufficient_scope",
            "The access token needs the openid scope.",
        );
    }
    let Ok(user) = caller.user(&store) else {
        return bearer_error(401, "invalid_token", "The user no longer exists.");
    };
    let mut body = Map::new();
    for a in &user.attributes {
        let family = match a.name.as_str() {
            "sub" => "openid",
            "email" | "email_verified" => "email",
            "phone_number" | "phone_number_verified" => "phone",
            _ => "profile",
        };
        if admin || scopes.contains(&family) {
            body.insert(a.name.clone(), json!(a.value));
        }
    }
    body.insert("sub".into(), json!(user.sub));
    body.insert("username".into(), json!(user.username));
    json_answer(200, Value::Object(body))
}

/// `POST /oauth2/revoke`: revokes a refresh token and every token of its session (RFC 7009: an unknown
/// token is no error).
pub fn revoke(app: &App, authorization: Option<&str>, form: &Params) -> Answer {
    let mut store = app.store();
    let client = match authenticate_client(app, &store, authorization, form, 401) {
        Ok(c) => c,
        Err(answer) => return answer,
    };
    let Some(token) = form_param(form, "token") else {
        return oauth_error(400, "invalid_request", "token is required.");
    };
    if crate::tokens::peek_claims(&token).is_some() {
        return oauth_error(
            400,
            "unsupported_token_type",
            "Only refresh tokens can be revoked.",
        );
    }
    let Some(pool) = store.pool_mut(&client.pool_id) else {
        return Answer::Empty { status: 200 };
    };
    let Some(record) = pool.refresh_tokens.get_mut(&refresh_key(&token)) else {
        return Answer::Empty { status: 200 };
    };
    if record.client_id != client.client.client_id {
        return oauth_error(
            400,
            "unauthorized_client",
            "The token was not issued to this client.",
        );
    }
    record.revoked = true;
    let origin = record.origin_jti.clone();
    pool.revoked_origin_jtis.insert(origin);
    if let Err(e) = app.persist(&store) {
        return oauth_error(500, "server_error", &e.message);
    }
    Answer::Empty { status: 200 }
}

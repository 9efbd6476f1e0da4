//! Operations on a signed-in session: GetUser, RevokeToken, GlobalSignOut.

use serde_json::{json, Value};

use super::{check_client_id, Body};
use crate::app::App;
use crate::errors::{CognitoError, ErrorKind, Validation};
use crate::state::{refresh_key, user_key, Store};
use crate::tokens;
use crate::util;

/// Validates an access token for a user-facing operation and returns the user's store key.
fn authenticate(app: &App, store: &Store, token: &str) -> Result<String, CognitoError> {
    let invalid = || CognitoError::not_authorized("Invalid Access Token");
    let claims = app.key.verify(token).map_err(|_| invalid())?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    let number = |name: &str| claims.get(name).and_then(Value::as_u64);
    if text("token_use") != Some("access") || text("iss") != Some(app.issuer.as_str()) {
        return Err(invalid());
    }
    let (Some(username), Some(sub), Some(exp), Some(iat)) =
        (text("username"), text("sub"), number("exp"), number("iat"))
    else {
        return Err(invalid());
    };
    if util::now() >= exp {
        return Err(CognitoError::not_authorized("Access Token has expired"));
    }
    let revoked = || CognitoError::not_authorized("Access Token has been revoked");
    if text("origin_jti").is_some_and(|j| store.data.revoked_origin_jtis.contains(j)) {
        return Err(revoked());
    }
    let key = user_key(username);
    let user = store
        .data
        .users
        .get(&key)
        .filter(|u| u.sub == sub)
        .ok_or_else(|| CognitoError::new(ErrorKind::UserNotFound, "User does not exist."))?;
    if user.tokens_revoked_before.is_some_and(|t| iat < t) {
        return Err(revoked());
    }
    Ok(key)
}

fn access_token(body: &Body) -> Result<String, CognitoError> {
    let mut v = Validation::new();
    let token = body.required(&mut v, "AccessToken")?;
    v.finish()?;
    Ok(token)
}

pub fn get_user(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let token = access_token(body)?;
    let store = app.store();
    let key = authenticate(app, &store, &token)?;
    let user = store
        .data
        .users
        .get(&key)
        .ok_or_else(|| CognitoError::internal("User vanished."))?;
    let attributes: Vec<Value> = user
        .attributes
        .iter()
        .map(|a| json!({ "Name": a.name, "Value": a.value }))
        .collect();
    Ok(json!({ "Username": user.username, "UserAttributes": attributes }))
}

pub fn global_sign_out(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let token = access_token(body)?;
    let mut store = app.store();
    let key = authenticate(app, &store, &token)?;
    let now = util::now();
    let mut origins = Vec::new();
    for record in store
        .data
        .refresh_tokens
        .values_mut()
        .filter(|r| r.user_key == key)
    {
        record.revoked = true;
        origins.push(record.origin_jti.clone());
    }
    store.data.revoked_origin_jtis.extend(origins);
    if let Some(user) = store.data.users.get_mut(&key) {
        user.tokens_revoked_before = Some(now);
    }
    app.persist(&store)?;
    Ok(json!({}))
}

pub fn revoke_token(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let mut v = Validation::new();
    let token = body.required(&mut v, "Token")?;
    let client_id = body.required(&mut v, "ClientId")?;
    body.string("ClientSecret")?;
    if body.string("Token")?.is_some()
        && (token.is_empty()
            || !token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_=.".contains(c)))
    {
        v.invalid(
            "token",
            "Member must satisfy regular expression pattern: [A-Za-z0-9-_=.]+",
        );
    }
    if !client_id.is_empty() {
        check_client_id(&mut v, &client_id);
    }
    v.finish()?;
    app.check_client(&client_id)?;

    if tokens::peek_claims(&token).is_some_and(|c| c.get("token_use").is_some()) {
        return Err(CognitoError::new(
            ErrorKind::UnsupportedTokenType,
            "Unsupported token type",
        ));
    }
    let mut store = app.store();
    // Like OAuth token revocation (RFC 7009), an unknown or already revoked token is not an error.
    let Some(record) = store.data.refresh_tokens.get_mut(&refresh_key(&token)) else {
        return Ok(json!({}));
    };
    if record.client_id != client_id {
        return Err(CognitoError::new(
            ErrorKind::Unauthorized,
            "The token was not issued to this client.",
        ));
    }
    record.revoked = true;
    let origin = record.origin_jti.clone();
    store.data.revoked_origin_jtis.insert(origin);
    app.persist(&store)?;
    Ok(json!({}))
}

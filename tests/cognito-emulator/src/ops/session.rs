//! Operations on a signed-in session: GetUser, RevokeToken, GlobalSignOut, and the refresh-token exchanges
//! (REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::access::{access_token, authenticate};
use super::{check_client_id, check_secret_hash, Body};
use crate::app::{App, ClientRef, Extras, IssuedTokens};
use crate::errors::{CognitoError, ErrorKind, Validation};
use crate::pool::MfaType;
use crate::state::{refresh_key, PoolState, RefreshRecord, Store, User};
use crate::tokens;
use crate::util;

/// The MFA part of GetUser: `MFAOptions` (legacy SMS), `PreferredMfaSetting`, `UserMFASettingList`.
pub fn mfa_settings(user: &User) -> (Vec<Value>, Option<&'static str>, Vec<&'static str>) {
    let mut list = Vec::new();
    if user.mfa.sms_enabled {
        list.push(MfaType::SmsMfa.name());
    }
    if user.mfa.totp_secret.is_some() && user.mfa.totp_enabled {
        list.push(MfaType::SoftwareTokenMfa.name());
    }
    if user.mfa.email_enabled {
        list.push(MfaType::EmailOtp.name());
    }
    let options = if user.mfa.sms_enabled {
        vec![json!({"DeliveryMedium": "SMS", "AttributeName": "phone_number"})]
    } else {
        Vec::new()
    };
    (options, user.mfa.preferred.map(MfaType::name), list)
}

pub fn get_user(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let token = access_token(body)?;
    let store = app.store();
    let caller = authenticate(app, &store, &token)?;
    let user = caller.user(&store)?;
    let attributes: Vec<Value> = user
        .attributes
        .iter()
        .map(|a| json!({ "Name": a.name, "Value": a.value }))
        .collect();
    let mut out = json!({ "Username": user.username, "UserAttributes": attributes });
    let (options, preferred, list) = mfa_settings(user);
    if let Some(obj) = out.as_object_mut() {
        if !options.is_empty() {
            obj.insert("MFAOptions".into(), json!(options));
        }
        if let Some(p) = preferred {
            obj.insert("PreferredMfaSetting".into(), json!(p));
        }
        if !list.is_empty() {
            obj.insert("UserMFASettingList".into(), json!(list));
        }
    }
    Ok(out)
}

pub fn global_sign_out(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let token = access_token(body)?;
    let mut store = app.store();
    let caller = authenticate(app, &store, &token)?;
    let now = util::now();
    let pool = caller.pool_mut(&mut store)?;
    let mut origins = Vec::new();
    for record in pool
        .refresh_tokens
        .values_mut()
        .filter(|r| r.user_key == caller.user_key)
    {
        record.revoked = true;
        origins.push(record.origin_jti.clone());
    }
    pool.revoked_origin_jtis.extend(origins);
    if let Some(user) = pool.users.get_mut(&caller.user_key) {
        user.tokens_revoked_before = Some(now);
    }
    app.persist(&store)?;
    Ok(json!({}))
}

fn token_pattern_ok(token: &str) -> bool {
    !token.is_empty()
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_=.".contains(c))
}

/// A client secret must accompany requests from clients that have one.
fn check_client_secret(client: &ClientRef, given: Option<&str>) -> Result<(), CognitoError> {
    match &client.client.secret {
        None => Ok(()),
        Some(secret) if given.is_some_and(|g| srp_eq(g, secret)) => Ok(()),
        Some(_) => Err(CognitoError::not_authorized(format!(
            "Client {} is configured with secret but ClientSecret was not received or is wrong",
            client.client.client_id
        ))),
    }
}

fn srp_eq(a: &str, b: &str) -> bool {
    crate::srp::constant_time_eq(a.as_bytes(), b.as_bytes())
}

pub fn revoke_token(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let mut v = Validation::new();
    let token = body.required(&mut v, "Token")?;
    let client_id = body.required(&mut v, "ClientId")?;
    let client_secret = body.string("ClientSecret")?;
    if body.string("Token")?.is_some() && !token_pattern_ok(&token) {
        v.invalid(
            "token",
            "Member must satisfy regular expression pattern: [A-Za-z0-9-_=.]+",
        );
    }
    if !client_id.is_empty() {
        check_client_id(&mut v, &client_id);
    }
    v.finish()?;
    let mut store = app.store();
    let client = app.client(&store, &client_id)?;
    check_client_secret(&client, client_secret.as_deref())?;

    if tokens::peek_claims(&token).is_some_and(|c| c.get("token_use").is_some()) {
        return Err(CognitoError::new(
            ErrorKind::UnsupportedTokenType,
            "Unsupported token type",
        ));
    }
    let Some(pool) = store.pool_mut(&client.pool_id) else {
        return Ok(json!({}));
    };
    // Like OAuth token revocation (RFC 7009), an unknown or already revoked token is not an error.
    let Some(record) = pool.refresh_tokens.get_mut(&refresh_key(&token)) else {
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
    pool.revoked_origin_jtis.insert(origin);
    app.persist(&store)?;
    Ok(json!({}))
}

/// Checks a refresh token for `client` and returns its record. The caller holds the store lock across the
/// check and whatever it does with the record, so a rotation cannot race another use of the same token.
fn usable_refresh_record(
    pool: &PoolState,
    client: &ClientRef,
    token: &str,
) -> Result<RefreshRecord, CognitoError> {
    let invalid = || CognitoError::not_authorized("Invalid Refresh Token");
    let record = pool
        .refresh_tokens
        .get(&refresh_key(token))
        .ok_or_else(invalid)?;
    if record.client_id != client.client.client_id {
        return Err(invalid());
    }
    let now = util::now();
    let revoked = || CognitoError::not_authorized("Refresh Token has been revoked");
    if record.revoked
        || pool.revoked_origin_jtis.contains(&record.origin_jti)
        || record.rotated_until.is_some_and(|t| now >= t)
    {
        return Err(revoked());
    }
    if now >= record.expires_at {
        return Err(CognitoError::not_authorized("Refresh Token has expired"));
    }
    let user = pool.users.get(&record.user_key).ok_or_else(invalid)?;
    if user
        .tokens_revoked_before
        .is_some_and(|t| record.issued_at < t)
    {
        return Err(revoked());
    }
    Ok(record.clone())
}

/// REFRESH_TOKEN_AUTH: new ID and access tokens from the same session (`origin_jti`); no new refresh token.
pub fn refresh_auth(
    app: &App,
    client: &ClientRef,
    params: &BTreeMap<String, String>,
) -> Result<Value, CognitoError> {
    let token = params.get("REFRESH_TOKEN").ok_or_else(|| {
        CognitoError::invalid_parameter("Missing required parameter REFRESH_TOKEN")
    })?;
    if client.client.refresh_token_rotation {
        return Err(CognitoError::not_authorized(
            "Refresh token rotation is enabled for this client: use GetTokensFromRefreshToken",
        ));
    }
    let store = app.store();
    let pool = store
        .pool(&client.pool_id)
        .ok_or_else(|| CognitoError::internal("Pool vanished."))?;
    let record = usable_refresh_record(pool, client, token)?;
    let user = pool
        .users
        .get(&record.user_key)
        .ok_or_else(|| CognitoError::not_authorized("Invalid Refresh Token"))?;
    // Cognito hashes the internal username here (no USERNAME parameter is needed): `cognito:username`,
    // which in a pool with UsernameAttributes is the UUID that is also the sub.
    check_secret_hash(
        &client.client,
        params.get("SECRET_HASH").map(String::as_str),
        &user.username,
    )?;
    let device = record
        .device_key
        .clone()
        .or_else(|| params.get("DEVICE_KEY").cloned());
    let tokens = app.issue_tokens(
        &store,
        pool,
        user,
        &client.client.client_id,
        &record.origin_jti,
        record.auth_time,
        Extras {
            device_key: device.as_deref(),
            scope: record.scope.as_deref(),
            nonce: None,
        },
    )?;
    Ok(json!({
        "ChallengeParameters": {},
        "AuthenticationResult": {
            "AccessToken": tokens.access_token,
            "ExpiresIn": app.config.access_token_ttl,
            "IdToken": tokens.id_token,
            "TokenType": "Bearer",
        },
    }))
}

/// What one refresh hands out.
pub struct Refreshed {
    pub tokens: IssuedTokens,
    /// The replacement refresh token, for clients that rotate them.
    pub refresh_token: Option<String>,
    /// The session's OAuth scopes (`None` for API sign-ins).
    pub scope: Option<String>,
}

/// Checks `token`, rotates it when the client rotates refresh tokens (the old one keeps working for the
/// client's grace period) and issues new tokens of the same session. The caller holds the store lock
/// across all of it, so of two concurrent uses of a token the second sees it rotated.
pub fn refresh_session(
    app: &App,
    store: &mut Store,
    client: &ClientRef,
    token: &str,
    device_key: Option<String>,
) -> Result<Refreshed, CognitoError> {
    let record = usable_refresh_record(
        store
            .pool(&client.pool_id)
            .ok_or_else(|| CognitoError::internal("Pool vanished."))?,
        client,
        token,
    )?;
    let now = util::now();
    let new_refresh = client
        .client
        .refresh_token_rotation
        .then(|| util::opaque_token(96));
    let pool = store
        .pool_mut(&client.pool_id)
        .ok_or_else(|| CognitoError::internal("Pool vanished."))?;
    if let Some(new_token) = &new_refresh {
        if let Some(old) = pool.refresh_tokens.get_mut(&refresh_key(token)) {
            if old.rotated_until.is_none() {
                old.rotated_until = Some(now + client.client.retry_grace_period_seconds);
            }
        }
        pool.refresh_tokens.insert(
            refresh_key(new_token),
            RefreshRecord {
                issued_at: now,
                expires_at: now + app.config.refresh_token_ttl,
                rotated_until: None,
                ..record.clone()
            },
        );
    }
    let device = record.device_key.clone().or(device_key);
    let pool = store
        .pool(&client.pool_id)
        .ok_or_else(|| CognitoError::internal("Pool vanished."))?;
    let user = pool
        .users
        .get(&record.user_key)
        .ok_or_else(|| CognitoError::not_authorized("Invalid Refresh Token"))?;
    let tokens = app.issue_tokens(
        store,
        pool,
        user,
        &client.client.client_id,
        &record.origin_jti,
        record.auth_time,
        Extras {
            device_key: device.as_deref(),
            scope: record.scope.as_deref(),
            nonce: None,
        },
    )?;
    app.persist(store)?;
    Ok(Refreshed {
        tokens,
        refresh_token: new_refresh,
        scope: record.scope,
    })
}

/// GetTokensFromRefreshToken: like REFRESH_TOKEN_AUTH, and for clients with rotation a new refresh token
/// that replaces the old one (which keeps working for the client's grace period).
pub fn get_tokens_from_refresh_token(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let mut v = Validation::new();
    let token = body.required(&mut v, "RefreshToken")?;
    let client_id = body.required(&mut v, "ClientId")?;
    let client_secret = body.string("ClientSecret")?;
    let device_key = body.string("DeviceKey")?;
    body.string_map("ClientMetadata")?;
    if !client_id.is_empty() {
        check_client_id(&mut v, &client_id);
    }
    v.finish()?;
    let client = {
        let store = app.store();
        app.client(&store, &client_id)?
    };
    check_client_secret(&client, client_secret.as_deref())?;
    let mut store = app.store();
    let refreshed = refresh_session(app, &mut store, &client, &token, device_key)?;
    let tokens = refreshed.tokens;
    let new_refresh = refreshed.refresh_token;
    let mut result = json!({
        "AccessToken": tokens.access_token,
        "ExpiresIn": app.config.access_token_ttl,
        "IdToken": tokens.id_token,
        "TokenType": "Bearer",
    });
    if let (Some(t), Some(obj)) = (new_refresh, result.as_object_mut()) {
        obj.insert("RefreshToken".into(), json!(t));
    }
    Ok(json!({ "AuthenticationResult": result }))
}

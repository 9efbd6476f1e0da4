//! Test-only configuration endpoints (never in real Cognito): `POST /__emulator__/pools` creates a pool
//! with its settings and app clients, `POST /__emulator__/users` puts a user straight into a pool — with
//! a permanent password (CONFIRMED), or a temporary one (FORCE_CHANGE_PASSWORD, like AdminCreateUser),
//! verified attributes and MFA already set up.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::App;
use crate::errors::{CognitoError, ErrorKind};
use crate::ops::{admin_new_user, check_attribute_values, sign_in_attribute};
use crate::pool::{self, MfaType, PoolRequest};
use crate::state::{user_key, Attribute, PoolState, UserStatus};
use crate::totp;

fn bad_request(message: impl Into<String>) -> CognitoError {
    CognitoError::invalid_parameter(message)
}

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, CognitoError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        &b"{}"[..]
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| bad_request(format!("Invalid request body: {e}")))
}

/// `POST /__emulator__/pools` → `{"poolId", "clients": [{"clientId", "clientSecret"}]}`.
pub fn create_pool(app: &App, body: &[u8]) -> Result<Value, CognitoError> {
    let request: PoolRequest = parse(body)?;
    let (config, clients) = request.build().map_err(|e| bad_request(e.0))?;
    let region = app
        .config
        .pool_id
        .split_once('_')
        .map(|(r, _)| r.to_string())
        .unwrap_or_else(|| "us-east-1".into());
    let key = app.new_signing_key().map_err(|e| {
        eprintln!("cognito-emulator: {e}");
        CognitoError::internal("Cannot create a signing key.")
    })?;
    let mut store = app.store();
    let pool_id = loop {
        let id = pool::new_pool_id(&region);
        if store.pool(&id).is_none() {
            break id;
        }
    };
    let pool = PoolState::new(&pool_id, &key, config, clients.clone())
        .map_err(|e| CognitoError::internal(e.to_string()))?;
    store.add_pool(pool, key);
    app.persist(&store)?;
    eprintln!("created pool {pool_id}");
    Ok(json!({
        "poolId": pool_id,
        "clients": clients.iter().map(|c| json!({"clientId": c.client_id, "clientSecret": c.secret})).collect::<Vec<_>>(),
    }))
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct MfaRequest {
    #[serde(default)]
    sms: bool,
    #[serde(default)]
    email: bool,
    totp_secret: Option<String>,
    preferred: Option<MfaType>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct UserRequest {
    pool_id: Option<String>,
    username: String,
    password: Option<String>,
    temporary_password: Option<String>,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
    mfa: Option<MfaRequest>,
}

/// `POST /__emulator__/users` → `{"username", "sub"}`.
pub fn create_user(app: &App, body: &[u8]) -> Result<Value, CognitoError> {
    let request: UserRequest = parse(body)?;
    let (password, status) = match (&request.password, &request.temporary_password) {
        (Some(p), None) => (p, UserStatus::Confirmed),
        (None, Some(p)) => (p, UserStatus::ForceChangePassword),
        _ => {
            return Err(bad_request(
                "Give exactly one of password and temporaryPassword.",
            ))
        }
    };
    if request.username.is_empty() || request.username.chars().any(char::is_whitespace) {
        return Err(bad_request("username must be non-empty without spaces."));
    }
    crate::password::check(password)?;
    let attributes: Vec<Attribute> = request
        .attributes
        .iter()
        .map(|(name, value)| Attribute {
            name: name.clone(),
            value: value.clone(),
        })
        .collect();
    check_attribute_values(&attributes)?;
    let mfa = request.mfa.unwrap_or_default();
    if let Some(secret) = &mfa.totp_secret {
        if totp::base32_decode(secret).is_none_or(|k| k.is_empty()) {
            return Err(bad_request("mfa.totpSecret must be base32."));
        }
    }
    let mut store = app.store();
    let pool_id = request
        .pool_id
        .clone()
        .unwrap_or_else(|| app.config.pool_id.clone());
    let pool = store.pool_mut(&pool_id).ok_or_else(|| {
        CognitoError::new(
            ErrorKind::ResourceNotFound,
            format!("User pool {pool_id} does not exist."),
        )
    })?;
    let sign_in = sign_in_attribute(&pool.config, &request.username)?;
    let exists = match sign_in {
        Some(_) => pool.resolve(&request.username).is_some(),
        None => pool.users.contains_key(&user_key(&request.username)),
    };
    if exists {
        return Err(CognitoError::new(
            ErrorKind::UsernameExists,
            "User account already exists",
        ));
    }
    let internal = sign_in.is_none().then_some(request.username.as_str());
    let mut user = admin_new_user(pool.pool_name(), internal, password, status);
    let mut attributes = attributes;
    if let Some(attr) = sign_in {
        attributes.retain(|a| a.name != attr.name());
        attributes.push(Attribute {
            name: attr.name().to_string(),
            value: request.username.clone(),
        });
    }
    for a in &attributes {
        user.set_attribute(&a.name, &a.value);
        if a.name == "email" || a.name == "phone_number" {
            user.set_attribute(&format!("{}_verified", a.name), "true");
        }
    }
    user.mfa.sms_enabled = mfa.sms;
    user.mfa.email_enabled = mfa.email;
    user.mfa.totp_enabled = mfa.totp_secret.is_some();
    user.mfa.totp_secret = mfa.totp_secret.map(|s| s.to_ascii_uppercase());
    user.mfa.preferred = mfa.preferred;
    let sub = user.sub.clone();
    let username = user.username.clone();
    pool.users.insert(user_key(&username), user);
    app.persist(&store)?;
    Ok(json!({ "username": username, "sub": sub }))
}

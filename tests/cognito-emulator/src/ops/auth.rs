//! InitiateAuth: USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH, CUSTOM_AUTH (with or without SRP)
//! and USER_AUTH (choice-based: PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, and the ConfirmSignUp
//! session). RespondToAuthChallenge lives in `respond.rs`; what follows the first factor in `flow.rs`.

use std::collections::BTreeMap;

use num_bigint::BigUint;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::flow::{self, invalid_session, missing_parameter, stored_int};
use super::{check_client_id, check_secret_hash, session, Body};
use crate::app::{App, ClientRef};
use crate::challenge::{AuthSession, CodeKind, Progress, Step};
use crate::errors::{CognitoError, ErrorKind, Validation};
use crate::pool::FirstFactor;
use crate::srp;
use crate::state::{user_key, PoolState, Store, User};
use crate::util;

pub use super::respond::respond_to_auth_challenge;

const AUTH_FLOWS: &[&str] = &[
    "USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "CUSTOM_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "USER_PASSWORD_AUTH",
    "ADMIN_USER_PASSWORD_AUTH",
    "USER_AUTH",
];

pub fn param<'a>(
    params: &'a BTreeMap<String, String>,
    name: &str,
) -> Result<&'a str, CognitoError> {
    params
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| missing_parameter(name))
}

pub fn user_not_found(pool: &PoolState) -> CognitoError {
    if pool.config.prevent_user_existence_errors {
        CognitoError::incorrect_credentials()
    } else {
        CognitoError::new(ErrorKind::UserNotFound, "User does not exist.")
    }
}

pub fn pool_of<'a>(store: &'a Store, client: &ClientRef) -> Result<&'a PoolState, CognitoError> {
    store
        .pool(&client.pool_id)
        .ok_or_else(|| CognitoError::internal("Pool vanished."))
}

/// Checks AuthParameters.SECRET_HASH: Cognito computes it over the USERNAME parameter exactly as sent (the
/// alias or email when that is what the user typed, not the internal username).
fn check_hash(
    client: &ClientRef,
    params: &BTreeMap<String, String>,
    sent: &str,
) -> Result<(), CognitoError> {
    check_secret_hash(
        &client.client,
        params.get("SECRET_HASH").map(String::as_str),
        sent,
    )
}

pub fn initiate_auth(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let mut v = Validation::new();
    let flow_name = body.required(&mut v, "AuthFlow")?;
    let client_id = body.required(&mut v, "ClientId")?;
    let params = body.string_map("AuthParameters")?.unwrap_or_default();
    body.string_map("ClientMetadata")?;
    let session_id = body.string("Session")?;
    if body.string("AuthFlow")?.is_some() && !AUTH_FLOWS.contains(&flow_name.as_str()) {
        v.not_in_enum("authFlow", &flow_name, AUTH_FLOWS);
    }
    if !client_id.is_empty() {
        check_client_id(&mut v, &client_id);
    }
    v.finish()?;
    let mut store = app.store();
    let client = app.client(&store, &client_id)?;

    match flow_name.as_str() {
        "USER_SRP_AUTH" => start_srp(app, &mut store, &client, &params, Progress::default()),
        "USER_PASSWORD_AUTH" => password_auth(app, &mut store, &client, &params),
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
            drop(store);
            session::refresh_auth(app, &client, &params)
        }
        "ADMIN_NO_SRP_AUTH" | "ADMIN_USER_PASSWORD_AUTH" => Err(CognitoError::invalid_parameter(
            "Initiate Auth method not supported.",
        )),
        "CUSTOM_AUTH" => custom_auth(app, &mut store, &client, &params),
        "USER_AUTH" => user_auth(app, &mut store, &client, &params, session_id.as_deref()),
        other => Err(CognitoError::invalid_parameter(format!(
            "{other} flow not enabled for this client"
        ))),
    }
}

/// Looks the user up and checks the secret hash; unknown users are UserNotFoundException (or, with
/// user-existence-error prevention, "Incorrect username or password.").
fn known_user<'a>(
    store: &'a Store,
    client: &ClientRef,
    params: &BTreeMap<String, String>,
) -> Result<&'a User, CognitoError> {
    let username = param(params, "USERNAME")?;
    let pool = pool_of(store, client)?;
    let user = pool.user(username);
    check_hash(client, params, username)?;
    user.ok_or_else(|| user_not_found(pool))
}

/// A session for the user, carrying the DEVICE_KEY the client presented.
fn session_for(
    client: &ClientRef,
    user: &User,
    params: &BTreeMap<String, String>,
    progress: Progress,
) -> AuthSession {
    let mut s = flow::new_session(&client.pool_id, &client.client.client_id, user);
    s.progress = progress;
    if s.progress.device_key.is_none() {
        s.progress.device_key = params.get("DEVICE_KEY").cloned();
    }
    s
}

/// USER_SRP_AUTH (and the SRP half of CUSTOM_AUTH and USER_AUTH): a PASSWORD_VERIFIER challenge with a
/// fresh server ephemeral B.
pub fn start_srp(
    app: &App,
    store: &mut Store,
    client: &ClientRef,
    params: &BTreeMap<String, String>,
    progress: Progress,
) -> Result<Value, CognitoError> {
    let username = param(params, "USERNAME")?;
    let big_a = flow::parse_srp_a(param(params, "SRP_A")?)?;
    let pool = pool_of(store, client)?;
    let user = pool.user(username);
    check_hash(client, params, username)?;
    let (s, salt, verifier) = match user {
        Some(u) => (
            session_for(client, u, params, progress),
            stored_int(&u.srp_salt_hex)?,
            stored_int(&u.srp_verifier_hex)?,
        ),
        None if pool.config.prevent_user_existence_errors => {
            // A decoy that looks like a real challenge and is stable per username, so repeated attempts
            // do not reveal that the account is missing; it can never be answered correctly.
            let seed = Sha256::new()
                .chain_update(pool.pool_id.as_bytes())
                .chain_update(user_key(username).as_bytes())
                .finalize();
            let (salt_bytes, id_bytes) = seed.split_at(16);
            // What a real account would show: the name as typed, or in a pool with UsernameAttributes
            // a UUID.
            let decoy_id = if pool.config.username_attributes.is_empty() {
                username.to_string()
            } else {
                util::uuid_from_bytes(id_bytes)
            };
            let s = AuthSession {
                pool_id: client.pool_id.clone(),
                client_id: client.client.client_id.clone(),
                user_key: None,
                username: decoy_id.clone(),
                user_id_for_srp: decoy_id,
                step: Step::AutoSignIn,
                expires_at: 0,
                failures: 0,
                progress,
            };
            (s, BigUint::from_bytes_be(salt_bytes), srp::random_int(32))
        }
        None => return Err(user_not_found(pool)),
    };
    let pending = flow::new_srp(verifier, big_a);
    let mut p: Vec<(&str, String)> = flow::srp_params(&pending, &salt);
    p.push(("USERNAME", s.username.clone()));
    p.push(("USER_ID_FOR_SRP", s.user_id_for_srp.clone()));
    let p: Map<String, Value> = p
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::String(v)))
        .collect();
    Ok(flow::challenge(app, s, Step::PasswordVerifier(pending), p))
}

/// Checks a clear-text password by recomputing the SRP verifier.
pub fn password_matches(
    pool: &PoolState,
    user: &User,
    password: &str,
) -> Result<bool, CognitoError> {
    let salt = stored_int(&user.srp_salt_hex)?;
    let expected = stored_int(&user.srp_verifier_hex)?;
    let actual = srp::verifier(&salt, pool.pool_name(), &user.srp_id, password);
    Ok(srp::constant_time_eq(
        &srp::padded_bytes(&actual),
        &srp::padded_bytes(&expected),
    ))
}

/// USER_PASSWORD_AUTH: the password travels in the clear.
fn password_auth(
    app: &App,
    store: &mut Store,
    client: &ClientRef,
    params: &BTreeMap<String, String>,
) -> Result<Value, CognitoError> {
    let password = param(params, "PASSWORD")?;
    let user = known_user(store, client, params)?;
    if !password_matches(pool_of(store, client)?, user, password)? {
        return Err(CognitoError::incorrect_credentials());
    }
    flow::check_device_known(user, params.get("DEVICE_KEY"))?;
    let mut s = session_for(client, user, params, Progress::default());
    s.progress.password_verified = true;
    flow::advance(app, store, s)
}

/// CUSTOM_AUTH: with SRP_A and CHALLENGE_NAME=SRP_A the password comes first (CUSTOM_WITH_SRP); either way
/// the configured rounds follow.
fn custom_auth(
    app: &App,
    store: &mut Store,
    client: &ClientRef,
    params: &BTreeMap<String, String>,
) -> Result<Value, CognitoError> {
    if pool_of(store, client)?.config.custom_auth.is_none() {
        return Err(CognitoError::invalid_parameter(
            "Custom auth lambda trigger is not configured for the user pool.",
        ));
    }
    let progress = Progress {
        custom: true,
        ..Progress::default()
    };
    if params.contains_key("SRP_A") {
        return start_srp(app, store, client, params, progress);
    }
    let user = known_user(store, client, params)?;
    flow::check_device_known(user, params.get("DEVICE_KEY"))?;
    let s = session_for(client, user, params, progress);
    flow::advance(app, store, s)
}

/// The first factors USER_AUTH offers this user, in Cognito's spelling.
fn available_first_factors(pool: &PoolState, user: &User) -> Vec<String> {
    let mut out = Vec::new();
    for f in &pool.config.first_auth_factors {
        match f {
            FirstFactor::Password => {
                out.push("PASSWORD".to_string());
                out.push("PASSWORD_SRP".to_string());
            }
            FirstFactor::EmailOtp if user.attribute("email").is_some() => {
                out.push("EMAIL_OTP".to_string())
            }
            FirstFactor::SmsOtp if user.attribute("phone_number").is_some() => {
                out.push("SMS_OTP".to_string())
            }
            _ => {}
        }
    }
    out
}

/// USER_AUTH: the ConfirmSignUp session signs in at once; an available PREFERRED_CHALLENGE starts that
/// factor; otherwise SELECT_CHALLENGE lists the factors in `AvailableChallenges`.
fn user_auth(
    app: &App,
    store: &mut Store,
    client: &ClientRef,
    params: &BTreeMap<String, String>,
    session_id: Option<&str>,
) -> Result<Value, CognitoError> {
    if let Some(id) = session_id {
        let s = app.sessions().remove(id).ok_or_else(invalid_session)?;
        let username = param(params, "USERNAME")?;
        let names_user = s.user_key.is_some()
            && (pool_of(store, client)?.resolve(username) == s.user_key
                || username == s.user_id_for_srp);
        if !matches!(s.step, Step::AutoSignIn)
            || s.client_id != client.client.client_id
            || s.expires_at < util::now()
            || !names_user
        {
            return Err(invalid_session());
        }
        let user = known_user(store, client, params)?;
        let mut s = session_for(client, user, params, Progress::default());
        s.progress.skip_mfa = true;
        return flow::advance(app, store, s);
    }
    let user = known_user(store, client, params)?;
    let available = available_first_factors(pool_of(store, client)?, user);
    let s = session_for(client, user, params, Progress::default());
    match params.get("PREFERRED_CHALLENGE") {
        Some(p) if available.contains(p) => {
            start_first_factor(app, store, client, s, p, params, false)
        }
        _ => Ok(flow::challenge(
            app,
            s,
            Step::SelectChallenge(available),
            Map::new(),
        )),
    }
}

/// Starts one USER_AUTH first factor. `inputs` holds PASSWORD or SRP_A (AuthParameters, or the
/// SELECT_CHALLENGE answer); when they are missing after a selection, a PASSWORD / PASSWORD_SRP
/// challenge asks for them.
pub fn start_first_factor(
    app: &App,
    store: &mut Store,
    client: &ClientRef,
    mut s: AuthSession,
    factor: &str,
    inputs: &BTreeMap<String, String>,
    selected: bool,
) -> Result<Value, CognitoError> {
    match factor {
        "PASSWORD" => match inputs.get("PASSWORD") {
            Some(password) => check_password_then_advance(app, store, client, s, password),
            None if selected => Ok(flow::challenge(app, s, Step::Password, Map::new())),
            None => Err(missing_parameter("PASSWORD")),
        },
        "PASSWORD_SRP" => match inputs.get("SRP_A") {
            Some(_) => {
                let mut params = inputs.clone();
                params.insert("USERNAME".into(), s.username.clone());
                start_srp(app, store, client, &params, s.progress)
            }
            None if selected => Ok(flow::challenge(app, s, Step::PasswordSrp, Map::new())),
            None => Err(missing_parameter("SRP_A")),
        },
        "EMAIL_OTP" | "SMS_OTP" => {
            s.progress.skip_mfa = true;
            let kind = if factor == "EMAIL_OTP" {
                CodeKind::EmailOtp
            } else {
                CodeKind::SmsOtp
            };
            flow::issue_code(app, store, s, kind, None)
        }
        other => Err(CognitoError::invalid_parameter(format!(
            "The challenge {other} is not available for this user."
        ))),
    }
}

/// PASSWORD as a USER_AUTH factor: check it, then on to NEW_PASSWORD_REQUIRED / MFA / tokens.
pub fn check_password_then_advance(
    app: &App,
    store: &mut Store,
    client: &ClientRef,
    mut s: AuthSession,
    password: &str,
) -> Result<Value, CognitoError> {
    let key = s
        .user_key
        .clone()
        .ok_or_else(CognitoError::incorrect_credentials)?;
    let pool = pool_of(store, client)?;
    let user = pool
        .users
        .get(&key)
        .ok_or_else(CognitoError::incorrect_credentials)?;
    if !password_matches(pool, user, password)? {
        return Err(CognitoError::incorrect_credentials());
    }
    s.progress.password_verified = true;
    flow::advance(app, store, s)
}

/// Used by tests and the auto sign-in path: a ConfirmSignUp session for `user`.
pub fn sign_up_session(app: &App, pool_id: &str, client_id: &str, user: &User) -> String {
    let mut s = flow::new_session(pool_id, client_id, user);
    s.step = Step::AutoSignIn;
    flow::register(app, s)
}

//! InitiateAuth (USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH) and RespondToAuthChallenge
//! (PASSWORD_VERIFIER).

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use num_bigint::BigUint;
use num_traits::Zero;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{check_client_id, Body};
use crate::app::{App, Challenge};
use crate::errors::{CognitoError, ErrorKind, Validation};
use crate::srp::{self, ServerEphemeral};
use crate::state::{refresh_key, user_key, RefreshRecord, Store, User, UserStatus};
use crate::timestamp;
use crate::util;

/// A challenge's Session is valid for 3 minutes.
const CHALLENGE_TTL_SECS: u64 = 180;
/// How far the client's TIMESTAMP may be from the server clock.
const TIMESTAMP_TOLERANCE_SECS: i64 = 300;

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

const CHALLENGE_NAMES: &[&str] = &[
    "SMS_MFA",
    "EMAIL_OTP",
    "SOFTWARE_TOKEN_MFA",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "PASSWORD_VERIFIER",
    "CUSTOM_CHALLENGE",
    "SELECT_CHALLENGE",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
    "ADMIN_NO_SRP_AUTH",
    "NEW_PASSWORD_REQUIRED",
    "SMS_OTP",
    "PASSWORD",
    "WEB_AUTHN",
    "PASSWORD_SRP",
];

fn missing_parameter(name: &str) -> CognitoError {
    CognitoError::invalid_parameter(format!("Missing required parameter {name}"))
}

fn param<'a>(params: &'a BTreeMap<String, String>, name: &str) -> Result<&'a str, CognitoError> {
    params
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| missing_parameter(name))
}

fn invalid_session() -> CognitoError {
    CognitoError::not_authorized("Invalid session for the user, session is expired.")
}

fn stored_int(hex: &str) -> Result<BigUint, CognitoError> {
    srp::parse_hex(hex).ok_or_else(|| CognitoError::internal("Corrupt SRP record."))
}

pub fn initiate_auth(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let mut v = Validation::new();
    let flow = body.required(&mut v, "AuthFlow")?;
    let client_id = body.required(&mut v, "ClientId")?;
    let params = body.string_map("AuthParameters")?.unwrap_or_default();
    body.string_map("ClientMetadata")?;
    body.string("Session")?;
    if body.string("AuthFlow")?.is_some() && !AUTH_FLOWS.contains(&flow.as_str()) {
        v.not_in_enum("authFlow", &flow, AUTH_FLOWS);
    }
    if !client_id.is_empty() {
        check_client_id(&mut v, &client_id);
    }
    v.finish()?;
    app.check_client(&client_id)?;

    match flow.as_str() {
        "USER_SRP_AUTH" => start_srp(app, &client_id, &params),
        "USER_PASSWORD_AUTH" => password_auth(app, &client_id, &params),
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => refresh_auth(app, &client_id, &params),
        "ADMIN_NO_SRP_AUTH" | "ADMIN_USER_PASSWORD_AUTH" => Err(CognitoError::invalid_parameter(
            "Initiate Auth method not supported.",
        )),
        "CUSTOM_AUTH" => Err(CognitoError::invalid_parameter(
            "Custom auth lambda trigger is not configured for the user pool.",
        )),
        other => Err(CognitoError::invalid_parameter(format!(
            "{other} flow not enabled for this client"
        ))),
    }
}

/// USER_SRP_AUTH: issue a PASSWORD_VERIFIER challenge with a fresh server ephemeral B.
fn start_srp(
    app: &App,
    client_id: &str,
    params: &BTreeMap<String, String>,
) -> Result<Value, CognitoError> {
    let username = param(params, "USERNAME")?;
    let srp_a = param(params, "SRP_A")?;
    let big_a = srp::parse_hex(srp_a)
        .ok_or_else(|| CognitoError::invalid_parameter("SRP_A must be a hexadecimal integer."))?;
    if (&big_a % &srp::group().n).is_zero() {
        return Err(CognitoError::invalid_parameter("SRP_A cannot be 0 mod N."));
    }

    let (user_key, stored_username, user_id_for_srp, salt, verifier) = {
        let store = app.store();
        match store.user(username) {
            Some(u) => (
                Some(user_key(&u.username)),
                u.username.clone(),
                u.sub.clone(),
                stored_int(&u.srp_salt_hex)?,
                stored_int(&u.srp_verifier_hex)?,
            ),
            None if app.config.prevent_user_existence_errors => {
                // A decoy that looks like a real challenge and is stable per username, so repeated
                // attempts do not reveal that the account is missing; it can never be answered correctly.
                let seed = Sha256::new()
                    .chain_update(app.config.pool_id.as_bytes())
                    .chain_update(user_key(username).as_bytes())
                    .finalize();
                let fake_id = format!("{:x}", BigUint::from_bytes_be(&seed[16..32]));
                (
                    None,
                    username.to_string(),
                    fake_id,
                    BigUint::from_bytes_be(&seed[..16]),
                    srp::random_int(32),
                )
            }
            None => {
                return Err(CognitoError::new(
                    ErrorKind::UserNotFound,
                    "User does not exist.",
                ))
            }
        }
    };

    let ephemeral = ServerEphemeral::generate(&verifier);
    let challenge = Challenge {
        session: util::opaque_token(96),
        secret_block: util::random_bytes(64),
        client_id: client_id.to_string(),
        user_key,
        username: stored_username,
        user_id_for_srp,
        big_a,
        ephemeral,
        verifier,
        expires_at: util::now() + CHALLENGE_TTL_SECS,
    };
    let response = json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "Session": challenge.session,
        "ChallengeParameters": {
            "SALT": salt.to_str_radix(16),
            "SRP_B": challenge.ephemeral.big_b.to_str_radix(16),
            "SECRET_BLOCK": STANDARD.encode(&challenge.secret_block),
            "USERNAME": challenge.username,
            "USER_ID_FOR_SRP": challenge.user_id_for_srp,
        },
    });
    let mut challenges = app.challenges();
    let now = util::now();
    challenges.retain(|_, c| c.expires_at >= now);
    challenges.insert(challenge.session.clone(), challenge);
    Ok(response)
}

/// USER_PASSWORD_AUTH: the password travels in the clear; it is checked by recomputing the verifier.
fn password_auth(
    app: &App,
    client_id: &str,
    params: &BTreeMap<String, String>,
) -> Result<Value, CognitoError> {
    let username = param(params, "USERNAME")?;
    let password = param(params, "PASSWORD")?;
    let mut store = app.store();
    let Some(user) = store.user(username) else {
        return Err(if app.config.prevent_user_existence_errors {
            CognitoError::incorrect_credentials()
        } else {
            CognitoError::new(ErrorKind::UserNotFound, "User does not exist.")
        });
    };
    let salt = stored_int(&user.srp_salt_hex)?;
    let expected = stored_int(&user.srp_verifier_hex)?;
    let actual = srp::verifier(&salt, app.config.pool_name(), &user.sub, password);
    if !srp::constant_time_eq(&srp::padded_bytes(&actual), &srp::padded_bytes(&expected)) {
        return Err(CognitoError::incorrect_credentials());
    }
    let key = user_key(&user.username);
    sign_in(app, &mut store, &key, client_id)
}

/// REFRESH_TOKEN_AUTH: new ID and access tokens from the same session (`origin_jti`); no new refresh token.
fn refresh_auth(
    app: &App,
    client_id: &str,
    params: &BTreeMap<String, String>,
) -> Result<Value, CognitoError> {
    let token = param(params, "REFRESH_TOKEN")?;
    let store = app.store();
    let invalid = || CognitoError::not_authorized("Invalid Refresh Token");
    let record = store
        .data
        .refresh_tokens
        .get(&refresh_key(token))
        .ok_or_else(invalid)?;
    if record.client_id != client_id {
        return Err(invalid());
    }
    if record.revoked || store.data.revoked_origin_jtis.contains(&record.origin_jti) {
        return Err(CognitoError::not_authorized(
            "Refresh Token has been revoked",
        ));
    }
    if util::now() >= record.expires_at {
        return Err(CognitoError::not_authorized("Refresh Token has expired"));
    }
    let user = store.data.users.get(&record.user_key).ok_or_else(invalid)?;
    if user
        .tokens_revoked_before
        .is_some_and(|t| record.issued_at < t)
    {
        return Err(CognitoError::not_authorized(
            "Refresh Token has been revoked",
        ));
    }
    let tokens = app.issue_tokens(user, client_id, &record.origin_jti, record.auth_time);
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

/// The end of every successful password check: refuses unconfirmed users (only now, so the status is
/// never revealed without the password), then issues a refresh token and the first ID/access tokens.
fn sign_in(
    app: &App,
    store: &mut Store,
    key: &str,
    client_id: &str,
) -> Result<Value, CognitoError> {
    let user: &User = store
        .data
        .users
        .get(key)
        .ok_or_else(CognitoError::incorrect_credentials)?;
    if user.status == UserStatus::Unconfirmed {
        return Err(CognitoError::new(
            ErrorKind::UserNotConfirmed,
            "User is not confirmed.",
        ));
    }
    let now = util::now();
    let origin_jti = util::uuid_v4();
    let refresh_token = util::opaque_token(96);
    let tokens = app.issue_tokens(user, client_id, &origin_jti, now);
    store.data.refresh_tokens.insert(
        refresh_key(&refresh_token),
        RefreshRecord {
            client_id: client_id.to_string(),
            user_key: key.to_string(),
            origin_jti,
            auth_time: now,
            issued_at: now,
            expires_at: now + app.config.refresh_token_ttl,
            revoked: false,
        },
    );
    app.persist(store)?;
    Ok(json!({
        "ChallengeParameters": {},
        "AuthenticationResult": {
            "AccessToken": tokens.access_token,
            "ExpiresIn": app.config.access_token_ttl,
            "IdToken": tokens.id_token,
            "RefreshToken": refresh_token,
            "TokenType": "Bearer",
        },
    }))
}

pub fn respond_to_auth_challenge(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let mut v = Validation::new();
    let client_id = body.required(&mut v, "ClientId")?;
    let challenge_name = body.required(&mut v, "ChallengeName")?;
    let session = body.string("Session")?;
    let responses = body.string_map("ChallengeResponses")?.unwrap_or_default();
    body.string_map("ClientMetadata")?;
    if body.string("ChallengeName")?.is_some()
        && !CHALLENGE_NAMES.contains(&challenge_name.as_str())
    {
        v.not_in_enum("challengeName", &challenge_name, CHALLENGE_NAMES);
    }
    if !client_id.is_empty() {
        check_client_id(&mut v, &client_id);
    }
    v.finish()?;
    app.check_client(&client_id)?;
    if challenge_name != "PASSWORD_VERIFIER" {
        return Err(invalid_session());
    }

    let username = param(&responses, "USERNAME")?;
    let secret_block_b64 = param(&responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = param(&responses, "PASSWORD_CLAIM_SIGNATURE")?;
    let ts_text = param(&responses, "TIMESTAMP")?;
    let ts = timestamp::parse(ts_text)
        .map_err(|_| CognitoError::invalid_parameter("TIMESTAMP format is invalid"))?;
    let secret_block = STANDARD
        .decode(secret_block_b64)
        .map_err(|_| invalid_session())?;

    // Single use: the challenge is consumed by any answer, right or wrong. The official client sends the
    // Session; other clients omit it and Cognito then relies on the secret block, so both work here.
    let challenge = {
        let mut challenges = app.challenges();
        let found = match &session {
            Some(s) => challenges.remove(s),
            None => {
                let key = challenges
                    .iter()
                    .find(|(_, c)| c.secret_block == secret_block)
                    .map(|(k, _)| k.clone());
                key.and_then(|k| challenges.remove(&k))
            }
        };
        found.ok_or_else(invalid_session)?
    };
    let now = util::now();
    if now > challenge.expires_at || challenge.client_id != client_id {
        return Err(invalid_session());
    }
    if !srp::constant_time_eq(&challenge.secret_block, &secret_block) {
        return Err(CognitoError::incorrect_credentials());
    }
    let Some(key) = challenge.user_key.clone() else {
        return Err(CognitoError::incorrect_credentials());
    };
    let names_user = user_key(username) == key || username == challenge.user_id_for_srp;
    if !names_user {
        return Err(CognitoError::incorrect_credentials());
    }
    if (now as i64 - ts).abs() > TIMESTAMP_TOLERANCE_SECS {
        eprintln!(
            "cognito-emulator: TIMESTAMP {ts_text:?} is more than 5 minutes from the server clock"
        );
        return Err(CognitoError::incorrect_credentials());
    }

    let session_key = srp::server_session_key(
        &challenge.big_a,
        &challenge.ephemeral.big_b,
        &challenge.ephemeral.b,
        &challenge.verifier,
    );
    let valid = match session_key {
        Ok(k) => srp::verify_claim(
            &k,
            app.config.pool_name(),
            &challenge.user_id_for_srp,
            &challenge.secret_block,
            ts_text,
            signature,
        )
        .unwrap_or(false),
        Err(_) => false,
    };
    if !valid {
        return Err(CognitoError::incorrect_credentials());
    }
    let mut store = app.store();
    sign_in(app, &mut store, &key, &client_id)
}

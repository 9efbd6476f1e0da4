//! The sign-in pipeline shared by every flow once the first factor is known: NEW_PASSWORD_REQUIRED, the
//! custom-auth rounds, device authentication, MFA, and finally the tokens.
//!
//! Each step records what was proven in the session's [`Progress`] and calls [`advance`] again, which
//! decides the next challenge from the pool's settings and the user's state, in Cognito's order:
//! new password → custom rounds → a remembered device (which replaces MFA) → MFA → a known but not
//! remembered device → tokens (with NewDeviceMetadata for a new device when the pool tracks devices).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use num_bigint::BigUint;
use serde_json::{json, Map, Value};

use crate::app::{App, Extras};
use crate::challenge::{AuthSession, CodeKind, Progress, SrpPending, Step, SESSION_TTL_SECS};
use crate::codes::{self, Channel};
use crate::errors::{CognitoError, ErrorKind};
use crate::pool::{DeviceTracking, MfaMode, MfaType, PoolConfig};
use crate::srp::{self, ServerEphemeral};
use crate::state::{user_key, Device, PoolState, RefreshRecord, Store, User, UserStatus};
use crate::timestamp;
use crate::util;

/// How far the client's TIMESTAMP may be from the server clock.
const TIMESTAMP_TOLERANCE_SECS: i64 = 300;

pub fn missing_parameter(name: &str) -> CognitoError {
    CognitoError::invalid_parameter(format!("Missing required parameter {name}"))
}

pub fn invalid_session() -> CognitoError {
    CognitoError::not_authorized("Invalid session for the user, session is expired.")
}

fn pool_gone() -> CognitoError {
    CognitoError::internal("Pool vanished.")
}

pub fn stored_int(hex: &str) -> Result<BigUint, CognitoError> {
    srp::parse_hex(hex).ok_or_else(|| CognitoError::internal("Corrupt SRP record."))
}

/// Cognito refuses a DEVICE_KEY it does not know for the user (forgotten, or never this user's) with
/// ResourceNotFoundException "Device does not exist." — on USER_PASSWORD_AUTH and CUSTOM_AUTH without SRP
/// (InitiateAuth) and on PASSWORD_VERIFIER (RespondToAuthChallenge), where Amplify and
/// amazon-cognito-identity-js catch it, forget the device and retry.
pub fn check_device_known(user: &User, device_key: Option<&String>) -> Result<(), CognitoError> {
    match device_key {
        Some(k) if !user.devices.contains_key(k) => Err(device_does_not_exist()),
        _ => Ok(()),
    }
}

pub fn device_does_not_exist() -> CognitoError {
    CognitoError::new(ErrorKind::ResourceNotFound, "Device does not exist.")
}

/// A session for `user` with nothing proven yet (the step is set when a challenge is issued).
pub fn new_session(pool_id: &str, client_id: &str, user: &User) -> AuthSession {
    AuthSession {
        pool_id: pool_id.to_string(),
        client_id: client_id.to_string(),
        user_key: Some(user_key(&user.username)),
        username: user.username.clone(),
        user_id_for_srp: if user.srp_id.is_empty() {
            user.username.clone()
        } else {
            user.srp_id.clone()
        },
        step: Step::AutoSignIn,
        expires_at: 0,
        failures: 0,
        progress: Progress::default(),
    }
}

/// Registers the session under a fresh Session id with `step` pending and renders the challenge.
pub fn challenge(app: &App, mut s: AuthSession, step: Step, params: Map<String, Value>) -> Value {
    let name = step.name();
    let available = match &step {
        Step::SelectChallenge(list) => Some(list.clone()),
        _ => None,
    };
    s.step = step;
    s.failures = 0;
    let id = register(app, s);
    let mut out = json!({
        "ChallengeName": name,
        "Session": id,
        "ChallengeParameters": params,
    });
    if let (Some(list), Some(obj)) = (available, out.as_object_mut()) {
        obj.insert("AvailableChallenges".into(), json!(list));
    }
    out
}

/// Stores a session under a new id (valid for 3 minutes from now) and returns the id.
pub fn register(app: &App, mut s: AuthSession) -> String {
    let now = util::now();
    s.expires_at = now + SESSION_TTL_SECS;
    let id = util::opaque_token(96);
    let mut sessions = app.sessions();
    sessions.retain(|_, c| c.expires_at >= now);
    sessions.insert(id.clone(), s);
    id
}

/// Puts a session back under its old id after a wrong code, so the client may retry.
pub fn reinstate(app: &App, id: &str, s: AuthSession) {
    app.sessions().insert(id.to_string(), s);
}

fn params(pairs: &[(&str, String)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.clone())))
        .collect()
}

/// What MFA a sign-in needs.
#[derive(Debug, PartialEq, Eq)]
pub enum MfaNeed {
    None,
    Challenge(MfaType),
    Select(Vec<MfaType>),
    Setup(Vec<MfaType>),
}

/// Cognito's MFA decision. With MFA required, a user's phone number counts as SMS MFA and a verified
/// software token as TOTP even without an explicit preference; with MFA optional only enabled factors count.
pub fn mfa_need(config: &PoolConfig, user: &User) -> MfaNeed {
    let required = config.mfa == MfaMode::On;
    let has_phone = user.attribute("phone_number").is_some();
    let has_email = user.attribute("email").is_some();
    let mut enabled = Vec::new();
    if config.offers(MfaType::SmsMfa) && has_phone && (user.mfa.sms_enabled || required) {
        enabled.push(MfaType::SmsMfa);
    }
    if config.offers(MfaType::SoftwareTokenMfa)
        && user.mfa.totp_secret.is_some()
        && (user.mfa.totp_enabled || required)
    {
        enabled.push(MfaType::SoftwareTokenMfa);
    }
    if config.offers(MfaType::EmailOtp) && has_email && user.mfa.email_enabled {
        enabled.push(MfaType::EmailOtp);
    }
    match config.mfa {
        MfaMode::Off => MfaNeed::None,
        MfaMode::Optional if enabled.is_empty() => MfaNeed::None,
        MfaMode::On if enabled.is_empty() => {
            let can_setup = [
                MfaType::SoftwareTokenMfa,
                MfaType::EmailOtp,
                MfaType::SmsMfa,
            ]
            .into_iter()
            .filter(|t| config.offers(*t))
            .filter(|t| *t != MfaType::SmsMfa || has_phone)
            .collect();
            MfaNeed::Setup(can_setup)
        }
        _ => match user.mfa.preferred.filter(|p| enabled.contains(p)) {
            Some(p) => MfaNeed::Challenge(p),
            None => match enabled.as_slice() {
                [only] => MfaNeed::Challenge(*only),
                _ => MfaNeed::Select(enabled),
            },
        },
    }
}

fn names_json(types: &[MfaType]) -> String {
    json!(types.iter().map(|t| t.name()).collect::<Vec<_>>()).to_string()
}

/// The attributes the pool requires, for NEW_PASSWORD_REQUIRED and the attribute checks.
pub fn required_attributes(config: &PoolConfig, user: &User) -> Vec<String> {
    match &config.required_attributes {
        Some(list) => list.clone(),
        // The historical rule: email or phone number. Only "email" is reported missing when neither is set.
        None if user.attribute("email").is_none() && user.attribute("phone_number").is_none() => {
            vec!["email".into()]
        }
        None => Vec::new(),
    }
}

/// NEW_PASSWORD_REQUIRED's parameters: the current attributes (without `sub`) and the required ones still
/// missing, both as JSON strings.
fn new_password_params(config: &PoolConfig, user: &User) -> Map<String, Value> {
    let current: Map<String, Value> = user
        .attributes
        .iter()
        .filter(|a| a.name != "sub")
        .map(|a| (a.name.clone(), Value::String(a.value.clone())))
        .collect();
    let missing: Vec<String> = required_attributes(config, user)
        .into_iter()
        .filter(|name| user.attribute(name).is_none())
        .map(|name| format!("userAttributes.{name}"))
        .collect();
    params(&[
        ("userAttributes", Value::Object(current).to_string()),
        ("requiredAttributes", json!(missing).to_string()),
    ])
}

/// Issues the challenge for one MFA type, sending a code where the type uses one.
pub fn issue_mfa(
    app: &App,
    store: &mut Store,
    s: AuthSession,
    mfa: MfaType,
) -> Result<Value, CognitoError> {
    let kind = match mfa {
        MfaType::SoftwareTokenMfa => {
            return Ok(challenge(app, s, Step::SoftwareTokenMfa, Map::new()));
        }
        MfaType::SmsMfa => CodeKind::SmsMfa,
        MfaType::EmailOtp => CodeKind::EmailOtp,
    };
    issue_code(app, store, s, kind, None)
}

/// Sends a code by SMS or email and issues the challenge answered with it. `setup_email` sends to an
/// address that is not yet the user's (email-MFA setup).
pub fn issue_code(
    app: &App,
    store: &mut Store,
    s: AuthSession,
    kind: CodeKind,
    setup_email: Option<String>,
) -> Result<Value, CognitoError> {
    let key = s.user_key.clone().ok_or_else(invalid_session)?;
    let user = store
        .pool_mut(&s.pool_id)
        .ok_or_else(pool_gone)?
        .users
        .get_mut(&key)
        .ok_or_else(CognitoError::incorrect_credentials)?;
    let channel = if kind.by_sms() {
        Channel::Sms
    } else {
        Channel::Email
    };
    let sent = codes::deliver(
        user,
        kind.challenge_name(),
        channel,
        setup_email.as_deref(),
        SESSION_TTL_SECS,
    );
    app.persist(store)?;
    let p = params(&[
        (
            "CODE_DELIVERY_DELIVERY_MEDIUM",
            sent.delivery_medium.clone(),
        ),
        ("CODE_DELIVERY_DESTINATION", sent.destination.clone()),
    ]);
    Ok(challenge(
        app,
        s,
        Step::Code {
            kind,
            code: sent.code,
            setup_email,
        },
        p,
    ))
}

/// Decides and issues the next step of a sign-in whose first factor is done.
pub fn advance(app: &App, store: &mut Store, mut s: AuthSession) -> Result<Value, CognitoError> {
    let key = s
        .user_key
        .clone()
        .ok_or_else(CognitoError::incorrect_credentials)?;
    let pool = store.pool(&s.pool_id).ok_or_else(pool_gone)?;
    let config = pool.config.clone();
    let user = pool
        .users
        .get(&key)
        .ok_or_else(CognitoError::incorrect_credentials)?;
    if user.status == UserStatus::Unconfirmed {
        return Err(CognitoError::new(
            ErrorKind::UserNotConfirmed,
            "User is not confirmed.",
        ));
    }
    if s.progress.password_verified
        && user.status == UserStatus::ForceChangePassword
        && !s.progress.new_password_done
    {
        let p = new_password_params(&config, user);
        return Ok(challenge(app, s, Step::NewPasswordRequired, p));
    }
    if s.progress.custom {
        let rounds = config
            .custom_auth
            .as_ref()
            .map(|c| c.challenges.as_slice())
            .unwrap_or_default();
        if let Some(round) = rounds.get(s.progress.custom_round) {
            let mut p: Map<String, Value> = round
                .parameters
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            p.insert("USERNAME".into(), json!(user.username));
            let round = s.progress.custom_round;
            return Ok(challenge(app, s, Step::CustomChallenge { round }, p));
        }
    }
    let device = s
        .progress
        .device_key
        .as_ref()
        .and_then(|k| user.devices.get(k))
        .filter(|d| d.confirmed)
        .cloned();
    let username = user.username.clone();
    if let Some(d) = &device {
        if d.remembered && !s.progress.device_done {
            s.progress.skip_mfa = true;
            return Ok(device_challenge(app, s, &username));
        }
    }
    if !s.progress.custom && !s.progress.skip_mfa && !s.progress.mfa_done {
        match mfa_need(&config, user) {
            MfaNeed::None => {}
            MfaNeed::Challenge(t) => return issue_mfa(app, store, s, t),
            MfaNeed::Select(options) => {
                let p = params(&[("MFAS_CAN_CHOOSE", names_json(&options))]);
                return Ok(challenge(app, s, Step::SelectMfaType(options), p));
            }
            MfaNeed::Setup(can_setup) => {
                if can_setup.is_empty() {
                    return Err(CognitoError::invalid_parameter(
                        "MFA is required but the pool offers no MFA type this user can set up.",
                    ));
                }
                let p = params(&[("MFAS_CAN_SETUP", names_json(&can_setup))]);
                let step = Step::MfaSetup {
                    can_setup,
                    totp_secret: None,
                    verified: false,
                };
                return Ok(challenge(app, s, step, p));
            }
        }
    }
    if device.is_some() && !s.progress.device_done {
        return Ok(device_challenge(app, s, &username));
    }
    finish(app, store, s, device.is_some())
}

fn device_challenge(app: &App, s: AuthSession, username: &str) -> Value {
    let p = params(&[("USERNAME", username.to_string())]);
    challenge(app, s, Step::DeviceSrpAuth, p)
}

/// Issues the tokens: a refresh token, ID and access tokens, and NewDeviceMetadata when the pool tracks
/// devices and the client did not authenticate a known one.
pub fn finish(
    app: &App,
    store: &mut Store,
    s: AuthSession,
    known_device: bool,
) -> Result<Value, CognitoError> {
    let key = s
        .user_key
        .clone()
        .ok_or_else(CognitoError::incorrect_credentials)?;
    let now = util::now();
    let pool = store.pool_mut(&s.pool_id).ok_or_else(pool_gone)?;
    let tracking = pool.config.device_tracking;
    let region = pool.region().to_string();
    let user = pool
        .users
        .get_mut(&key)
        .ok_or_else(CognitoError::incorrect_credentials)?;
    let (device_key, new_device) = match (&s.progress.device_key, known_device) {
        (Some(k), true) => {
            if let Some(d) = user.devices.get_mut(k) {
                d.last_authenticated = now;
            }
            (Some(k.clone()), None)
        }
        _ if tracking != DeviceTracking::Off => {
            let device = Device {
                device_key: format!("{region}_{}", util::uuid_v4()),
                device_group_key: format!("-{}", util::random_alnum(9)),
                name: None,
                salt_hex: None,
                verifier_hex: None,
                confirmed: false,
                remembered: false,
                created_at: now,
                last_modified: now,
                last_authenticated: now,
            };
            let meta = json!({
                "DeviceKey": device.device_key,
                "DeviceGroupKey": device.device_group_key,
            });
            let device_key = device.device_key.clone();
            user.devices.insert(device_key.clone(), device);
            (Some(device_key), Some(meta))
        }
        _ => (None, None),
    };
    let origin_jti = util::uuid_v4();
    let refresh_token = util::opaque_token(96);
    pool.refresh_tokens.insert(
        crate::state::refresh_key(&refresh_token),
        RefreshRecord {
            client_id: s.client_id.clone(),
            user_key: key.clone(),
            origin_jti: origin_jti.clone(),
            auth_time: now,
            issued_at: now,
            expires_at: now + app.config.refresh_token_ttl,
            revoked: false,
            device_key: device_key.clone(),
            rotated_until: None,
            scope: None,
        },
    );
    let pool: &PoolState = store.pool(&s.pool_id).ok_or_else(pool_gone)?;
    let user = pool
        .users
        .get(&key)
        .ok_or_else(CognitoError::incorrect_credentials)?;
    let tokens = app.issue_tokens(
        store,
        pool,
        user,
        &s.client_id,
        &origin_jti,
        now,
        Extras::device(device_key.as_deref()),
    )?;
    app.persist(store)?;
    let mut result = json!({
        "AccessToken": tokens.access_token,
        "ExpiresIn": app.config.access_token_ttl,
        "IdToken": tokens.id_token,
        "RefreshToken": refresh_token,
        "TokenType": "Bearer",
    });
    if let (Some(meta), Some(obj)) = (new_device, result.as_object_mut()) {
        obj.insert("NewDeviceMetadata".into(), meta);
    }
    Ok(json!({ "ChallengeParameters": {}, "AuthenticationResult": result }))
}

/// A fresh SRP exchange against `verifier`.
pub fn new_srp(verifier: BigUint, big_a: BigUint) -> SrpPending {
    SrpPending {
        secret_block: util::random_bytes(64),
        ephemeral: ServerEphemeral::generate(&verifier),
        big_a,
        verifier,
    }
}

/// Parses SRP_A and refuses A ≡ 0 (mod N).
pub fn parse_srp_a(text: &str) -> Result<BigUint, CognitoError> {
    let big_a = srp::parse_hex(text)
        .ok_or_else(|| CognitoError::invalid_parameter("SRP_A must be a hexadecimal integer."))?;
    if (&big_a % &srp::group().n) == BigUint::default() {
        return Err(CognitoError::invalid_parameter("SRP_A cannot be 0 mod N."));
    }
    Ok(big_a)
}

/// The challenge parameters of a (device) password verifier.
pub fn srp_params(srp: &SrpPending, salt: &BigUint) -> Vec<(&'static str, String)> {
    vec![
        ("SALT", salt.to_str_radix(16)),
        ("SRP_B", srp.ephemeral.big_b.to_str_radix(16)),
        ("SECRET_BLOCK", STANDARD.encode(&srp.secret_block)),
    ]
}

/// Checks PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP and PASSWORD_CLAIM_SIGNATURE of a (device) password
/// verifier answer. `realm` is the pool name (or the device group key), `id` USER_ID_FOR_SRP (or the
/// device key). Any mismatch is "Incorrect username or password.", as in Cognito.
pub fn check_srp_claim(
    srp: &SrpPending,
    realm: &str,
    id: &str,
    responses: &std::collections::BTreeMap<String, String>,
) -> Result<(), CognitoError> {
    let get = |name: &str| {
        responses
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| missing_parameter(name))
    };
    let block_b64 = get("PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = get("PASSWORD_CLAIM_SIGNATURE")?;
    let ts_text = get("TIMESTAMP")?;
    let ts = timestamp::parse(ts_text)
        .map_err(|_| CognitoError::invalid_parameter("TIMESTAMP format is invalid"))?;
    let block = STANDARD
        .decode(block_b64)
        .map_err(|_| CognitoError::incorrect_credentials())?;
    if !srp::constant_time_eq(&srp.secret_block, &block) {
        return Err(CognitoError::incorrect_credentials());
    }
    if (util::now() as i64 - ts).abs() > TIMESTAMP_TOLERANCE_SECS {
        eprintln!(
            "cognito-emulator: TIMESTAMP {ts_text:?} is more than 5 minutes from the server clock"
        );
        return Err(CognitoError::incorrect_credentials());
    }
    let valid = srp::server_session_key(
        &srp.big_a,
        &srp.ephemeral.big_b,
        &srp.ephemeral.b,
        &srp.verifier,
    )
    .ok()
    .and_then(|k| srp::verify_claim(&k, realm, id, &srp.secret_block, ts_text, signature).ok())
    .unwrap_or(false);
    if valid {
        Ok(())
    } else {
        Err(CognitoError::incorrect_credentials())
    }
}

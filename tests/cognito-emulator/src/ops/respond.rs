//! RespondToAuthChallenge: one handler per pending step. Each checks the answer, records what was proven
//! and hands over to [`flow::advance`] for the next step.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::auth::{self, pool_of};
use super::flow::{self, invalid_session, missing_parameter, stored_int};
use super::{check_client_id, check_secret_hash, signup, Body};
use crate::app::{App, ClientRef};
use crate::challenge::{AuthSession, CodeKind, Step, MAX_CODE_FAILURES};
use crate::errors::{CognitoError, ErrorKind, Validation};
use crate::password;
use crate::pool::MfaType;
use crate::srp;
use crate::state::{Attribute, Store, UserStatus};
use crate::totp;
use crate::util;

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

fn code_mismatch(message: &str) -> CognitoError {
    CognitoError::new(ErrorKind::CodeMismatch, message)
}

/// Finds and removes the session being answered. The official client always sends the Session; other
/// clients omit it on PASSWORD_VERIFIER, where Cognito then relies on the secret block.
fn take_session(
    app: &App,
    session_id: Option<&str>,
    responses: &BTreeMap<String, String>,
) -> Result<(String, AuthSession), CognitoError> {
    let mut sessions = app.sessions();
    let id = match session_id {
        Some(id) => id.to_string(),
        None => {
            let block = responses
                .get("PASSWORD_CLAIM_SECRET_BLOCK")
                .and_then(|b| {
                    use base64::Engine;
                    base64::engine::general_purpose::STANDARD.decode(b).ok()
                })
                .ok_or_else(|| missing_parameter("Session"))?;
            sessions
                .iter()
                .find(|(_, s)| match &s.step {
                    Step::PasswordVerifier(p) => p.secret_block == block,
                    _ => false,
                })
                .map(|(k, _)| k.clone())
                .ok_or_else(invalid_session)?
        }
    };
    let s = sessions.remove(&id).ok_or_else(invalid_session)?;
    Ok((id, s))
}

pub fn respond_to_auth_challenge(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let mut v = Validation::new();
    let client_id = body.required(&mut v, "ClientId")?;
    let challenge_name = body.required(&mut v, "ChallengeName")?;
    let session_id = body.string("Session")?;
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
    let mut store = app.store();
    let client = app.client(&store, &client_id)?;
    let username = auth::param(&responses, "USERNAME")?.to_string();
    // The client is authenticated before the session is looked at: SECRET_HASH over USERNAME as sent.
    check_secret_hash(
        &client.client,
        responses.get("SECRET_HASH").map(String::as_str),
        &username,
    )?;

    let (id, s) = take_session(app, session_id.as_deref(), &responses)?;
    if util::now() > s.expires_at || s.client_id != client_id {
        return Err(invalid_session());
    }
    if s.step.name() != challenge_name {
        let waiting = s.step.name();
        flow::reinstate(app, &id, s);
        return Err(CognitoError::invalid_parameter(format!(
            "The session is waiting for {waiting}, not {challenge_name}."
        )));
    }
    let Some(key) = s.user_key.clone() else {
        // The decoy of user-existence-error prevention: nothing can answer it.
        return Err(CognitoError::incorrect_credentials());
    };
    // USERNAME may be the internal username (what the official client sends: USER_ID_FOR_SRP) or any other
    // name the user signs in with.
    let names_user = pool_of(&store, &client)?.resolve(&username).as_deref() == Some(key.as_str())
        || username == s.user_id_for_srp;
    if !names_user {
        return Err(CognitoError::incorrect_credentials());
    }
    // A malformed answer (missing parameter, policy violation) does not use the session up, nor does an
    // unknown DEVICE_KEY on PASSWORD_VERIFIER: clients answer the same challenge again without it.
    let kept = s.clone();
    let result = answer(app, &mut store, &client, id.clone(), s, &key, &responses);
    if let Err(e) = &result {
        let retry_without_device =
            matches!(kept.step, Step::PasswordVerifier(_)) && *e == flow::device_does_not_exist();
        if matches!(
            e.kind,
            ErrorKind::InvalidParameter | ErrorKind::InvalidPassword
        ) || retry_without_device
        {
            flow::reinstate(app, &id, kept);
        }
    }
    result
}

/// Dispatches on the pending step.
fn answer(
    app: &App,
    store: &mut Store,
    client: &ClientRef,
    id: String,
    mut s: AuthSession,
    key: &str,
    responses: &BTreeMap<String, String>,
) -> Result<Value, CognitoError> {
    match s.step.clone() {
        Step::PasswordVerifier(srp) => {
            let realm = pool_of(store, client)?.pool_name().to_string();
            flow::check_srp_claim(&srp, &realm, &s.user_id_for_srp, responses)?;
            let user = pool_of(store, client)?
                .users
                .get(key)
                .ok_or_else(CognitoError::incorrect_credentials)?;
            flow::check_device_known(user, responses.get("DEVICE_KEY"))?;
            if let Some(device) = responses.get("DEVICE_KEY") {
                s.progress.device_key = Some(device.clone());
            }
            s.progress.password_verified = true;
            flow::advance(app, store, s)
        }
        Step::DeviceSrpAuth => device_srp_auth(app, store, client, s, key, responses),
        Step::DevicePasswordVerifier { srp, device_key } => {
            let user = pool_of(store, client)?
                .users
                .get(key)
                .ok_or_else(CognitoError::incorrect_credentials)?;
            let group = user
                .devices
                .get(&device_key)
                .map(|d| d.device_group_key.clone())
                .ok_or_else(device_not_found)?;
            flow::check_srp_claim(&srp, &group, &device_key, responses)?;
            s.progress.device_key = Some(device_key);
            s.progress.device_done = true;
            flow::advance(app, store, s)
        }
        Step::NewPasswordRequired => new_password(app, store, client, s, key, responses),
        Step::SelectMfaType(options) => {
            let choice = auth::param(responses, "ANSWER")?;
            match MfaType::from_name(choice).filter(|t| options.contains(t)) {
                Some(t) => flow::issue_mfa(app, store, s, t),
                None => Err(CognitoError::invalid_parameter(format!(
                    "Invalid ANSWER {choice}: choose one of MFAS_CAN_CHOOSE."
                ))),
            }
        }
        Step::MfaSetup {
            can_setup,
            totp_secret,
            verified,
        } => {
            if let Some(email) = responses.get("EMAIL") {
                if !can_setup.contains(&MfaType::EmailOtp) {
                    return Err(CognitoError::invalid_parameter(
                        "Email MFA cannot be set up in this user pool.",
                    ));
                }
                if !signup::is_email(email) {
                    return Err(CognitoError::invalid_parameter(
                        "Invalid email address format.",
                    ));
                }
                return flow::issue_code(app, store, s, CodeKind::EmailOtp, Some(email.clone()));
            }
            let (Some(secret), true) = (totp_secret, verified) else {
                return Err(CognitoError::invalid_parameter(
                    "MFA setup is not complete: verify a software token (AssociateSoftwareToken, \
                     VerifySoftwareToken) or send EMAIL.",
                ));
            };
            let user = user_mut(store, client, key)?;
            user.mfa.totp_secret = Some(secret);
            user.mfa.totp_enabled = true;
            user.mfa.preferred.get_or_insert(MfaType::SoftwareTokenMfa);
            app.persist(store)?;
            s.progress.mfa_done = true;
            flow::advance(app, store, s)
        }
        Step::Code {
            kind,
            code,
            setup_email,
        } => {
            let given = auth::param(responses, kind.response_key())?;
            if !srp::constant_time_eq(given.as_bytes(), code.as_bytes()) {
                return retry_or_fail(app, id, s, "Invalid code or auth state for the user.");
            }
            let user = user_mut(store, client, key)?;
            if let Some(sent) = user.usable_code_mut(kind.challenge_name(), None) {
                sent.used = true;
            }
            if let Some(email) = setup_email {
                user.set_attribute("email", &email);
                user.set_attribute("email_verified", "true");
                user.mfa.email_enabled = true;
                user.mfa.preferred.get_or_insert(MfaType::EmailOtp);
            }
            if kind == CodeKind::SmsMfa || kind == CodeKind::SmsOtp {
                user.set_attribute("phone_number_verified", "true");
            }
            app.persist(store)?;
            s.progress.mfa_done = true;
            flow::advance(app, store, s)
        }
        Step::SoftwareTokenMfa => {
            let given = auth::param(responses, "SOFTWARE_TOKEN_MFA_CODE")?;
            let secret = pool_of(store, client)?
                .users
                .get(key)
                .and_then(|u| u.mfa.totp_secret.clone())
                .unwrap_or_default();
            if !totp::verify(&secret, given, util::now()) {
                return retry_or_fail(app, id, s, "Invalid code received for user");
            }
            s.progress.mfa_done = true;
            flow::advance(app, store, s)
        }
        Step::CustomChallenge { round } => {
            let given = auth::param(responses, "ANSWER")?;
            let rules = pool_of(store, client)?.config.custom_auth.clone();
            let expected = rules
                .as_ref()
                .and_then(|r| r.challenges.get(round))
                .map(|r| r.answer.clone())
                .ok_or_else(invalid_session)?;
            if srp::constant_time_eq(given.as_bytes(), expected.as_bytes()) {
                s.progress.custom_round = round + 1;
                s.progress.custom_failures = 0;
            } else {
                s.progress.custom_failures += 1;
                let max = rules.map(|r| r.max_attempts).unwrap_or(1);
                if s.progress.custom_failures >= max {
                    return Err(CognitoError::incorrect_credentials());
                }
            }
            // Like a define-auth-challenge trigger: the next round, the same round again, or tokens.
            flow::advance(app, store, s)
        }
        Step::SelectChallenge(available) => {
            let choice = auth::param(responses, "ANSWER")?;
            if !available.iter().any(|a| a == choice) {
                return Err(CognitoError::invalid_parameter(format!(
                    "The challenge {choice} is not available for this user."
                )));
            }
            let choice = choice.to_string();
            auth::start_first_factor(app, store, client, s, &choice, responses, true)
        }
        Step::Password => {
            let password = auth::param(responses, "PASSWORD")?.to_string();
            auth::check_password_then_advance(app, store, client, s, &password)
        }
        Step::PasswordSrp => {
            let mut params = responses.clone();
            params.insert("USERNAME".into(), s.username.clone());
            auth::start_srp(app, store, client, &params, s.progress)
        }
        Step::AutoSignIn => Err(invalid_session()),
    }
}

fn device_not_found() -> CognitoError {
    CognitoError::new(ErrorKind::ResourceNotFound, "Device does not exist.")
}

fn user_mut<'a>(
    store: &'a mut Store,
    client: &ClientRef,
    key: &str,
) -> Result<&'a mut crate::state::User, CognitoError> {
    store
        .pool_mut(&client.pool_id)
        .and_then(|p| p.users.get_mut(key))
        .ok_or_else(CognitoError::incorrect_credentials)
}

/// A wrong code keeps the session usable for a few more tries, then it is gone.
fn retry_or_fail(
    app: &App,
    id: String,
    mut s: AuthSession,
    message: &str,
) -> Result<Value, CognitoError> {
    s.failures += 1;
    if s.failures < MAX_CODE_FAILURES {
        flow::reinstate(app, &id, s);
    }
    Err(code_mismatch(message))
}

/// DEVICE_SRP_AUTH answered with {USERNAME, DEVICE_KEY, SRP_A}: a DEVICE_PASSWORD_VERIFIER challenge
/// against the verifier stored by ConfirmDevice.
fn device_srp_auth(
    app: &App,
    store: &mut Store,
    client: &ClientRef,
    s: AuthSession,
    key: &str,
    responses: &BTreeMap<String, String>,
) -> Result<Value, CognitoError> {
    let device_key = auth::param(responses, "DEVICE_KEY")?.to_string();
    let big_a = flow::parse_srp_a(auth::param(responses, "SRP_A")?)?;
    let user = pool_of(store, client)?
        .users
        .get(key)
        .ok_or_else(CognitoError::incorrect_credentials)?;
    let device = user
        .devices
        .get(&device_key)
        .filter(|d| d.confirmed)
        .ok_or_else(device_not_found)?;
    let (Some(salt_hex), Some(verifier_hex)) = (&device.salt_hex, &device.verifier_hex) else {
        return Err(device_not_found());
    };
    let salt = stored_int(salt_hex)?;
    let pending = flow::new_srp(stored_int(verifier_hex)?, big_a);
    let mut p: Map<String, Value> = flow::srp_params(&pending, &salt)
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::String(v)))
        .collect();
    p.insert("USERNAME".into(), Value::String(user.username.clone()));
    p.insert("DEVICE_KEY".into(), Value::String(device_key.clone()));
    Ok(flow::challenge(
        app,
        s,
        Step::DevicePasswordVerifier {
            srp: pending,
            device_key,
        },
        p,
    ))
}

/// NEW_PASSWORD_REQUIRED answered with NEW_PASSWORD and `userAttributes.<name>` entries.
fn new_password(
    app: &App,
    store: &mut Store,
    client: &ClientRef,
    mut s: AuthSession,
    key: &str,
    responses: &BTreeMap<String, String>,
) -> Result<Value, CognitoError> {
    let new_password = auth::param(responses, "NEW_PASSWORD")?;
    if !password::has_valid_shape(new_password) {
        return Err(CognitoError::invalid_parameter(
            "1 validation error detected: Value at 'password' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$",
        ));
    }
    password::check(new_password)?;
    let attributes: Vec<Attribute> = responses
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("userAttributes.").map(|name| Attribute {
                name: name.to_string(),
                value: v.clone(),
            })
        })
        .collect();
    signup::check_attribute_values(&attributes)?;
    let pool = store
        .pool_mut(&client.pool_id)
        .ok_or_else(|| CognitoError::internal("Pool vanished."))?;
    let pool_name = pool.pool_name().to_string();
    let config = pool.config.clone();
    let user = pool
        .users
        .get_mut(key)
        .ok_or_else(CognitoError::incorrect_credentials)?;
    let mut updated = user.clone();
    for a in &attributes {
        updated.set_attribute(&a.name, &a.value);
    }
    if let Some(missing) = flow::required_attributes(&config, &updated)
        .into_iter()
        .find(|name| updated.attribute(name).is_none())
    {
        return Err(CognitoError::invalid_parameter(format!(
            "Invalid attributes given, {missing} is missing"
        )));
    }
    updated.set_password(&pool_name, new_password);
    updated.status = UserStatus::Confirmed;
    *user = updated;
    app.persist(store)?;
    s.progress.new_password_done = true;
    flow::advance(app, store, s)
}

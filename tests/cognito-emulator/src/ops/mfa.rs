//! Software-token (TOTP) setup and MFA preferences: AssociateSoftwareToken and VerifySoftwareToken, either
//! inside an MFA_SETUP challenge (with its Session) or for a signed-in user (with an AccessToken), and
//! SetUserMFAPreference.

use serde_json::{json, Value};

use super::access::authenticate;
use super::flow::{self, invalid_session};
use super::Body;
use crate::app::App;
use crate::challenge::Step;
use crate::errors::{CognitoError, ErrorKind, Validation};
use crate::pool::MfaType;
use crate::totp;
use crate::util;

fn exactly_one_of_token_and_session(
    token: &Option<String>,
    session: &Option<String>,
) -> Result<(), CognitoError> {
    if token.is_some() == session.is_some() {
        return Err(CognitoError::invalid_parameter(
            "Exactly one of AccessToken and Session is required.",
        ));
    }
    Ok(())
}

/// Takes a pending MFA_SETUP session that offers SOFTWARE_TOKEN_MFA.
fn take_setup_session(app: &App, id: &str) -> Result<crate::challenge::AuthSession, CognitoError> {
    let s = app.sessions().remove(id).ok_or_else(invalid_session)?;
    if util::now() > s.expires_at {
        return Err(invalid_session());
    }
    match &s.step {
        Step::MfaSetup { can_setup, .. } if can_setup.contains(&MfaType::SoftwareTokenMfa) => Ok(s),
        _ => Err(invalid_session()),
    }
}

pub fn associate_software_token(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let token = body.string("AccessToken")?;
    let session = body.string("Session")?;
    exactly_one_of_token_and_session(&token, &session)?;
    let secret = totp::new_secret();
    if let Some(id) = session {
        let mut s = take_setup_session(app, &id)?;
        if let Step::MfaSetup {
            totp_secret,
            verified,
            ..
        } = &mut s.step
        {
            *totp_secret = Some(secret.clone());
            *verified = false;
        }
        let session = flow::register(app, s);
        return Ok(json!({ "SecretCode": secret, "Session": session }));
    }
    let token = token.unwrap_or_default();
    let mut store = app.store();
    let caller = authenticate(app, &store, &token)?;
    caller.user_mut(&mut store)?.mfa.pending_totp_secret = Some(secret.clone());
    app.persist(&store)?;
    Ok(json!({ "SecretCode": secret }))
}

/// Cognito's answer to a wrong code here is EnableSoftwareTokenMFAException, not CodeMismatchException.
fn code_mismatch() -> CognitoError {
    CognitoError::new(
        ErrorKind::EnableSoftwareTokenMfa,
        "Code mismatch and fail enable Software Token MFA",
    )
}

pub fn verify_software_token(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let mut v = Validation::new();
    let code = body.required(&mut v, "UserCode")?;
    body.string("FriendlyDeviceName")?;
    if body.string("UserCode")?.is_some()
        && (code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()))
    {
        v.invalid(
            "userCode",
            "Member must satisfy regular expression pattern: [0-9]+",
        );
    }
    v.finish()?;
    let token = body.string("AccessToken")?;
    let session = body.string("Session")?;
    exactly_one_of_token_and_session(&token, &session)?;
    let now = util::now();
    if let Some(id) = session {
        let mut s = take_setup_session(app, &id)?;
        let Step::MfaSetup {
            totp_secret: Some(secret),
            verified,
            ..
        } = &mut s.step
        else {
            return Err(CognitoError::invalid_parameter(
                "Call AssociateSoftwareToken before VerifySoftwareToken.",
            ));
        };
        if !totp::verify(secret, &code, now) {
            // The session survives a wrong code, as the client may try again.
            app.sessions().insert(id, s);
            return Err(code_mismatch());
        }
        *verified = true;
        let session = flow::register(app, s);
        return Ok(json!({ "Status": "SUCCESS", "Session": session }));
    }
    let token = token.unwrap_or_default();
    let mut store = app.store();
    let caller = authenticate(app, &store, &token)?;
    let user = caller.user_mut(&mut store)?;
    let Some(secret) = user.mfa.pending_totp_secret.clone() else {
        return Err(CognitoError::invalid_parameter(
            "Call AssociateSoftwareToken before VerifySoftwareToken.",
        ));
    };
    if !totp::verify(&secret, &code, now) {
        return Err(code_mismatch());
    }
    user.mfa.totp_secret = Some(secret);
    user.mfa.pending_totp_secret = None;
    app.persist(&store)?;
    Ok(json!({ "Status": "SUCCESS" }))
}

/// One `*MfaSettings` structure: `{Enabled, PreferredMfa}`.
fn settings(body: &Body, name: &str) -> Result<Option<(bool, bool)>, CognitoError> {
    Ok(match body.object(name)? {
        Some(s) => Some((
            s.boolean("Enabled")?.unwrap_or(false),
            s.boolean("PreferredMfa")?.unwrap_or(false),
        )),
        None => None,
    })
}

pub fn set_user_mfa_preference(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let mut v = Validation::new();
    let token = body.required(&mut v, "AccessToken")?;
    v.finish()?;
    let sms = settings(body, "SMSMfaSettings")?;
    let totp_settings = settings(body, "SoftwareTokenMfaSettings")?;
    let email = settings(body, "EmailMfaSettings")?;
    let preferred_count = [sms, totp_settings, email]
        .iter()
        .flatten()
        .filter(|(enabled, preferred)| *enabled && *preferred)
        .count();
    if preferred_count > 1 {
        return Err(CognitoError::invalid_parameter(
            "Only one MFA method can be preferred.",
        ));
    }
    let mut store = app.store();
    let caller = authenticate(app, &store, &token)?;
    let offers = caller.pool(&store)?.config.mfa_types.clone();
    let user = caller.user_mut(&mut store)?;
    let mut mfa = user.mfa.clone();
    let (mut sms_on, mut totp_on, mut email_on) =
        (mfa.sms_enabled, mfa.totp_enabled, mfa.email_enabled);
    let mut apply = |t: MfaType, setting: Option<(bool, bool)>, enabled: &mut bool| {
        if let Some((on, preferred)) = setting {
            *enabled = on;
            if on && preferred {
                mfa.preferred = Some(t);
            } else if mfa.preferred == Some(t) {
                mfa.preferred = None;
            }
        }
    };
    apply(MfaType::SmsMfa, sms, &mut sms_on);
    apply(MfaType::SoftwareTokenMfa, totp_settings, &mut totp_on);
    apply(MfaType::EmailOtp, email, &mut email_on);
    let refuse = |t: MfaType| !offers.contains(&t);
    if (sms_on && !mfa.sms_enabled && refuse(MfaType::SmsMfa))
        || (totp_on && !mfa.totp_enabled && refuse(MfaType::SoftwareTokenMfa))
        || (email_on && !mfa.email_enabled && refuse(MfaType::EmailOtp))
    {
        return Err(CognitoError::invalid_parameter(
            "The user pool does not offer this MFA type.",
        ));
    }
    if sms_on && user.attribute("phone_number").is_none() {
        return Err(CognitoError::invalid_parameter(
            "User does not have a phone number for SMS MFA.",
        ));
    }
    if totp_on && mfa.totp_secret.is_none() {
        return Err(CognitoError::invalid_parameter(
            "User has not verified software token mfa",
        ));
    }
    if email_on && user.attribute("email").is_none() {
        return Err(CognitoError::invalid_parameter(
            "User does not have an email address for email MFA.",
        ));
    }
    mfa.sms_enabled = sms_on;
    mfa.totp_enabled = totp_on;
    mfa.email_enabled = email_on;
    user.mfa = mfa;
    app.persist(&store)?;
    Ok(json!({}))
}

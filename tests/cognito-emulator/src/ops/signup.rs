//! SignUp, ConfirmSignUp and ResendConfirmationCode.

use serde_json::{json, Value};

use super::{check_client_id, check_username, Body};
use crate::app::App;
use crate::errors::{CognitoError, ErrorKind, Validation};
use crate::password;
use crate::srp;
use crate::state::{user_key, Attribute, SentCode, User, UserStatus};
use crate::util;

/// Codes are valid for 24 hours, as Cognito's sign-up codes.
const CODE_TTL_SECS: u64 = 24 * 3600;

/// Standard attributes a client may write at sign-up (plus any `custom:` attribute).
const WRITABLE_ATTRIBUTES: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
];

/// Attributes only Cognito itself may set.
const PROTECTED_ATTRIBUTES: &[&str] = &["sub", "email_verified", "phone_number_verified"];

fn schema_error(detail: String) -> CognitoError {
    CognitoError::invalid_parameter(format!(
        "Attributes did not conform to the schema: {detail}"
    ))
}

fn check_attributes(attributes: &[Attribute]) -> Result<(), CognitoError> {
    for a in attributes {
        if PROTECTED_ATTRIBUTES.contains(&a.name.as_str()) {
            return Err(CognitoError::not_authorized(
                "A client attempted to write unauthorized attribute",
            ));
        }
        let custom = a
            .name
            .strip_prefix("custom:")
            .is_some_and(|rest| !rest.is_empty());
        if !custom && !WRITABLE_ATTRIBUTES.contains(&a.name.as_str()) {
            return Err(schema_error(format!(
                "{}: Attribute does not exist in the schema.\n",
                a.name
            )));
        }
        match a.name.as_str() {
            "email" if !is_email(&a.value) => {
                return Err(CognitoError::invalid_parameter(
                    "Invalid email address format.",
                ))
            }
            "phone_number" if !is_phone(&a.value) => {
                return Err(CognitoError::invalid_parameter(
                    "Invalid phone number format.",
                ))
            }
            _ => {}
        }
    }
    let has = |n: &str| attributes.iter().any(|a| a.name == n);
    if !has("email") && !has("phone_number") {
        return Err(schema_error(
            "email: The attribute email is required\n".into(),
        ));
    }
    Ok(())
}

fn is_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

fn is_phone(value: &str) -> bool {
    value.strip_prefix('+').is_some_and(|digits| {
        (4..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Generates a code for `user`, logs it (the emulator's "delivery") and stores it.
fn send_code(user: &mut User, purpose: &str) -> SentCode {
    let (medium, attribute, destination) =
        match (user.attribute("email"), user.attribute("phone_number")) {
            (Some(email), _) => ("EMAIL", "email", util::mask_email(email)),
            (None, Some(phone)) => ("SMS", "phone_number", util::mask_phone(phone)),
            (None, None) => ("EMAIL", "email", String::new()),
        };
    let now = util::now();
    let sent = SentCode {
        code: util::confirmation_code(),
        purpose: purpose.to_string(),
        destination,
        delivery_medium: medium.to_string(),
        attribute_name: attribute.to_string(),
        sent_at: now,
        expires_at: now + CODE_TTL_SECS,
        used: false,
    };
    eprintln!(
        "code for {}: {} ({}, {} {})",
        user.username, sent.code, sent.purpose, sent.delivery_medium, sent.destination
    );
    user.last_code = Some(sent.clone());
    sent
}

fn delivery_details(sent: &SentCode) -> Value {
    json!({
        "Destination": sent.destination,
        "DeliveryMedium": sent.delivery_medium,
        "AttributeName": sent.attribute_name,
    })
}

pub fn sign_up(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let mut v = Validation::new();
    let client_id = body.required(&mut v, "ClientId")?;
    let username = body.required(&mut v, "Username")?;
    let password = body.required(&mut v, "Password")?;
    let attributes = body
        .attributes(&mut v, "UserAttributes")?
        .unwrap_or_default();
    body.attributes(&mut v, "ValidationData")?;
    body.string_map("ClientMetadata")?;
    body.string("SecretHash")?;
    if !client_id.is_empty() {
        check_client_id(&mut v, &client_id);
    }
    if body.string("Username")?.is_some() {
        check_username(&mut v, &username);
    }
    if body.string("Password")?.is_some() && !password::has_valid_shape(&password) {
        v.invalid(
            "password",
            "Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$",
        );
    }
    v.finish()?;
    app.check_client(&client_id)?;
    password::check(&password)?;
    check_attributes(&attributes)?;

    let mut store = app.store();
    if store.user(&username).is_some() {
        return Err(CognitoError::new(
            ErrorKind::UsernameExists,
            "User already exists",
        ));
    }
    let sub = util::uuid_v4();
    let salt = srp::random_int(16);
    let verifier = srp::verifier(&salt, app.config.pool_name(), &sub, &password);
    let mut user = User {
        username: username.clone(),
        sub: sub.clone(),
        status: UserStatus::Unconfirmed,
        attributes: vec![Attribute {
            name: "sub".into(),
            value: sub.clone(),
        }],
        srp_salt_hex: salt.to_str_radix(16),
        srp_verifier_hex: verifier.to_str_radix(16),
        created_at: util::now(),
        last_code: None,
        tokens_revoked_before: None,
    };
    for a in attributes {
        user.set_attribute(&a.name, &a.value);
    }
    let sent = send_code(&mut user, "SIGN_UP");
    store.data.users.insert(user_key(&username), user);
    app.persist(&store)?;
    Ok(json!({
        "UserConfirmed": false,
        "UserSub": sub,
        "CodeDeliveryDetails": delivery_details(&sent),
    }))
}

pub fn confirm_sign_up(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let mut v = Validation::new();
    let client_id = body.required(&mut v, "ClientId")?;
    let username = body.required(&mut v, "Username")?;
    let code = body.required(&mut v, "ConfirmationCode")?;
    body.string_map("ClientMetadata")?;
    body.string("SecretHash")?;
    if !client_id.is_empty() {
        check_client_id(&mut v, &client_id);
    }
    if body.string("Username")?.is_some() {
        check_username(&mut v, &username);
    }
    if body.string("ConfirmationCode")?.is_some()
        && (code.is_empty() || code.chars().count() > 2048 || code.chars().any(char::is_whitespace))
    {
        v.invalid(
            "confirmationCode",
            "Member must satisfy regular expression pattern: [\\S]+",
        );
    }
    v.finish()?;
    app.check_client(&client_id)?;

    let prevent = app.config.prevent_user_existence_errors;
    let mut store = app.store();
    let Some(user) = store.user_mut(&username) else {
        return Err(if prevent {
            code_mismatch()
        } else {
            CognitoError::new(
                ErrorKind::UserNotFound,
                "Username/client id combination not found.",
            )
        });
    };
    if user.status == UserStatus::Confirmed {
        return Err(CognitoError::not_authorized(
            "User cannot be confirmed. Current status is CONFIRMED",
        ));
    }
    let now = util::now();
    let Some(sent) = user
        .last_code
        .as_mut()
        .filter(|c| !c.used && c.purpose == "SIGN_UP")
    else {
        return Err(code_mismatch());
    };
    if !srp::constant_time_eq(sent.code.as_bytes(), code.as_bytes()) {
        return Err(code_mismatch());
    }
    if now > sent.expires_at {
        return Err(CognitoError::new(
            ErrorKind::ExpiredCode,
            "Invalid code provided, please request a code again.",
        ));
    }
    sent.used = true;
    let verified = format!("{}_verified", sent.attribute_name);
    user.status = UserStatus::Confirmed;
    user.set_attribute(&verified, "true");
    app.persist(&store)?;
    Ok(json!({ "Session": util::opaque_token(48) }))
}

fn code_mismatch() -> CognitoError {
    CognitoError::new(
        ErrorKind::CodeMismatch,
        "Invalid verification code provided, please try again.",
    )
}

pub fn resend_confirmation_code(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let mut v = Validation::new();
    let client_id = body.required(&mut v, "ClientId")?;
    let username = body.required(&mut v, "Username")?;
    body.string_map("ClientMetadata")?;
    body.string("SecretHash")?;
    if !client_id.is_empty() {
        check_client_id(&mut v, &client_id);
    }
    if body.string("Username")?.is_some() {
        check_username(&mut v, &username);
    }
    v.finish()?;
    app.check_client(&client_id)?;

    let mut store = app.store();
    let Some(user) = store.user_mut(&username) else {
        if app.config.prevent_user_existence_errors {
            // Cognito answers as if a code went out, so callers cannot probe for accounts.
            return Ok(json!({ "CodeDeliveryDetails": {
                "Destination": util::mask_email(&username), "DeliveryMedium": "EMAIL", "AttributeName": "email"
            }}));
        }
        return Err(CognitoError::new(
            ErrorKind::UserNotFound,
            "Username/client id combination not found.",
        ));
    };
    if user.status == UserStatus::Confirmed {
        return Err(CognitoError::invalid_parameter(
            "User is already confirmed.",
        ));
    }
    let sent = send_code(user, "SIGN_UP");
    app.persist(&store)?;
    Ok(json!({ "CodeDeliveryDetails": delivery_details(&sent) }))
}

//! SignUp, ConfirmSignUp and ResendConfirmationCode.

use serde_json::{json, Value};

use super::{check_client_id, check_secret_hash, check_username, Body};
use crate::app::{App, ClientRef};
use crate::codes::{self, Channel, ACCOUNT_CODE_TTL_SECS};
use crate::errors::{CognitoError, ErrorKind, Validation};
use crate::password;
use crate::pool::PoolConfig;
use crate::srp;
use crate::state::{user_key, Attribute, User, UserStatus};
use crate::util;

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

/// Refuses attributes a client may not write and malformed emails / phone numbers.
pub fn check_attribute_values(attributes: &[Attribute]) -> Result<(), CognitoError> {
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
    Ok(())
}

/// The pool's required attributes must all be present at sign-up (by default: an email or a phone).
fn check_attributes(config: &PoolConfig, attributes: &[Attribute]) -> Result<(), CognitoError> {
    check_attribute_values(attributes)?;
    let has = |n: &str| attributes.iter().any(|a| a.name == n);
    match &config.required_attributes {
        Some(required) => {
            if let Some(missing) = required.iter().find(|r| !has(r)) {
                return Err(schema_error(format!(
                    "{missing}: The attribute {missing} is required\n"
                )));
            }
        }
        None if !has("email") && !has("phone_number") => {
            return Err(schema_error(
                "email: The attribute email is required\n".into(),
            ));
        }
        None => {}
    }
    Ok(())
}

pub fn is_email(value: &str) -> bool {
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

pub fn is_phone(value: &str) -> bool {
    value.strip_prefix('+').is_some_and(|digits| {
        (4..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

/// The SecretHash member for clients with a secret, computed over the Username the caller sent.
fn check_body_hash(client: &ClientRef, body: &Body, username: &str) -> Result<(), CognitoError> {
    let hash = body.string("SecretHash")?;
    check_secret_hash(&client.client, hash.as_deref(), &[username])
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
    let mut store = app.store();
    let client = app.client(&store, &client_id)?;
    check_body_hash(&client, body, &username)?;
    password::check(&password)?;
    let pool = store
        .pool_mut(&client.pool_id)
        .ok_or_else(|| CognitoError::internal("Pool vanished."))?;
    check_attributes(&pool.config, &attributes)?;
    if pool.user(&username).is_some() {
        return Err(CognitoError::new(
            ErrorKind::UsernameExists,
            "User already exists",
        ));
    }
    let mut user = new_user(
        pool.pool_name(),
        &username,
        &password,
        UserStatus::Unconfirmed,
    );
    for a in attributes {
        user.set_attribute(&a.name, &a.value);
    }
    let sent = codes::deliver(
        &mut user,
        "SIGN_UP",
        Channel::Auto,
        None,
        ACCOUNT_CODE_TTL_SECS,
    );
    let sub = user.sub.clone();
    pool.users.insert(user_key(&username), user);
    app.persist(&store)?;
    Ok(json!({
        "UserConfirmed": false,
        "UserSub": sub,
        "CodeDeliveryDetails": codes::delivery_details(&sent),
    }))
}

/// A user with a fresh `sub` and the SRP verifier of `password` (the password itself is not kept).
pub fn new_user(pool_name: &str, username: &str, password: &str, status: UserStatus) -> User {
    let sub = util::uuid_v4();
    let salt = srp::random_int(16);
    let verifier = srp::verifier(&salt, pool_name, &sub, password);
    let now = util::now();
    User {
        username: username.to_string(),
        sub: sub.clone(),
        status,
        attributes: vec![Attribute {
            name: "sub".into(),
            value: sub,
        }],
        srp_salt_hex: salt.to_str_radix(16),
        srp_verifier_hex: verifier.to_str_radix(16),
        created_at: now,
        codes: Vec::new(),
        tokens_revoked_before: None,
        mfa: Default::default(),
        devices: Default::default(),
    }
}

/// The `[\S]+` pattern of ConfirmationCode (at most 2048 characters).
pub fn check_code_shape(v: &mut Validation, member: &str, code: &str) {
    if code.is_empty() || code.chars().count() > 2048 || code.chars().any(char::is_whitespace) {
        v.invalid(
            member,
            "Member must satisfy regular expression pattern: [\\S]+",
        );
    }
}

pub fn confirm_sign_up(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let mut v = Validation::new();
    let client_id = body.required(&mut v, "ClientId")?;
    let username = body.required(&mut v, "Username")?;
    let code = body.required(&mut v, "ConfirmationCode")?;
    body.string_map("ClientMetadata")?;
    body.boolean("ForceAliasCreation")?;
    if !client_id.is_empty() {
        check_client_id(&mut v, &client_id);
    }
    if body.string("Username")?.is_some() {
        check_username(&mut v, &username);
    }
    if body.string("ConfirmationCode")?.is_some() {
        check_code_shape(&mut v, "confirmationCode", &code);
    }
    v.finish()?;
    let mut store = app.store();
    let client = app.client(&store, &client_id)?;
    check_body_hash(&client, body, &username)?;

    let pool = store
        .pool_mut(&client.pool_id)
        .ok_or_else(|| CognitoError::internal("Pool vanished."))?;
    let prevent = pool.config.prevent_user_existence_errors;
    let Some(user) = pool.user_mut(&username) else {
        return Err(if prevent {
            code_mismatch()
        } else {
            CognitoError::new(
                ErrorKind::UserNotFound,
                "Username/client id combination not found.",
            )
        });
    };
    if user.status != UserStatus::Unconfirmed {
        return Err(CognitoError::not_authorized(
            "User cannot be confirmed. Current status is CONFIRMED",
        ));
    }
    use_code(user, "SIGN_UP", None, &code)?;
    let verified = user
        .codes
        .last()
        .map(|c| format!("{}_verified", c.attribute_name))
        .unwrap_or_else(|| "email_verified".into());
    user.status = UserStatus::Confirmed;
    user.set_attribute(&verified, "true");
    let user = user.clone();
    app.persist(&store)?;
    drop(store);
    // The Session lets USER_AUTH sign the user in without the password (Amplify's autoSignIn).
    let session = super::auth::sign_up_session(app, &client.pool_id, &client_id, &user);
    Ok(json!({ "Session": session }))
}

/// Checks and consumes the newest code for `purpose`: CodeMismatchException when it differs (or none is
/// pending), ExpiredCodeException when it is too old.
pub fn use_code(
    user: &mut User,
    purpose: &str,
    attribute: Option<&str>,
    code: &str,
) -> Result<(), CognitoError> {
    let now = util::now();
    let Some(sent) = user.usable_code_mut(purpose, attribute) else {
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
    Ok(())
}

pub fn code_mismatch() -> CognitoError {
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
    if !client_id.is_empty() {
        check_client_id(&mut v, &client_id);
    }
    if body.string("Username")?.is_some() {
        check_username(&mut v, &username);
    }
    v.finish()?;
    let mut store = app.store();
    let client = app.client(&store, &client_id)?;
    check_body_hash(&client, body, &username)?;

    let pool = store
        .pool_mut(&client.pool_id)
        .ok_or_else(|| CognitoError::internal("Pool vanished."))?;
    let prevent = pool.config.prevent_user_existence_errors;
    let Some(user) = pool.user_mut(&username) else {
        if prevent {
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
    if user.status != UserStatus::Unconfirmed {
        return Err(CognitoError::invalid_parameter(
            "User is already confirmed.",
        ));
    }
    let sent = codes::deliver(user, "SIGN_UP", Channel::Auto, None, ACCOUNT_CODE_TTL_SECS);
    app.persist(&store)?;
    Ok(json!({ "CodeDeliveryDetails": codes::delivery_details(&sent) }))
}

//! SignUp, ConfirmSignUp and ResendConfirmationCode.

use serde_json::{json, Value};

use super::{check_client_id, check_secret_hash, check_username, Body};
use crate::app::{App, ClientRef};
use crate::codes::{self, Channel, ACCOUNT_CODE_TTL_SECS};
use crate::errors::{CognitoError, ErrorKind, Validation};
use crate::password;
use crate::pool::{PoolConfig, SignInAttribute};
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
    check_secret_hash(&client.client, hash.as_deref(), username)
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
    let sign_in = sign_in_attribute(&pool.config, &username)?;
    let mut attributes = attributes;
    if let Some(attr) = sign_in {
        // The sign-in name is that attribute's value.
        attributes.retain(|a| a.name != attr.name());
        attributes.push(Attribute {
            name: attr.name().to_string(),
            value: username.clone(),
        });
    }
    check_attributes(&pool.config, &attributes)?;
    let exists = match sign_in {
        Some(_) => pool.resolve(&username).is_some(),
        None => pool.users.contains_key(&user_key(&username)),
    };
    if exists {
        return Err(CognitoError::new(
            ErrorKind::UsernameExists,
            match sign_in {
                Some(attr) => format!("An account with the given {} already exists.", attr.name()),
                None => "User already exists".to_string(),
            },
        ));
    }
    let internal = sign_in.is_none().then_some(username.as_str());
    let mut user = new_user(
        pool.pool_name(),
        internal,
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
    pool.users.insert(user_key(&user.username), user);
    app.persist(&store)?;
    Ok(json!({
        "UserConfirmed": false,
        "UserSub": sub,
        "CodeDeliveryDetails": codes::delivery_details(&sent),
    }))
}

/// Which UsernameAttributes attribute `username` is, in a pool whose users sign in with one (None in other
/// pools). Refuses names that are none of them, and — in a pool with email or phone aliases — usernames in
/// an alias's format, as Cognito does.
pub fn sign_in_attribute(
    config: &PoolConfig,
    username: &str,
) -> Result<Option<SignInAttribute>, CognitoError> {
    let allowed = &config.username_attributes;
    if allowed.is_empty() {
        for (attr, looks_like) in [
            (SignInAttribute::Email, is_email(username)),
            (SignInAttribute::PhoneNumber, is_phone(username)),
        ] {
            if looks_like && config.alias_attributes.contains(&attr) {
                let format = if attr == SignInAttribute::Email {
                    "email"
                } else {
                    "phone number"
                };
                return Err(CognitoError::invalid_parameter(format!(
                    "Username cannot be of {format} format, since user pool is configured for {} alias.",
                    attr.name()
                )));
            }
        }
        return Ok(None);
    }
    let email = allowed.contains(&SignInAttribute::Email);
    let phone = allowed.contains(&SignInAttribute::PhoneNumber);
    if email && is_email(username) {
        return Ok(Some(SignInAttribute::Email));
    }
    if phone && is_phone(username) {
        return Ok(Some(SignInAttribute::PhoneNumber));
    }
    Err(CognitoError::invalid_parameter(match (email, phone) {
        (true, true) => "Username should be either an email or a phone number.",
        (true, false) => "Username should be an email.",
        _ => "Username should be a phone number.",
    }))
}

/// A user with a fresh `sub` and the SRP verifier of `password` over the username (the password itself is
/// not kept). `username` None: the username is the sub, as in pools with UsernameAttributes.
pub fn new_user(
    pool_name: &str,
    username: Option<&str>,
    password: &str,
    status: UserStatus,
) -> User {
    let sub = util::uuid_v4();
    let now = util::now();
    let mut user = User {
        username: username.map_or_else(|| sub.clone(), str::to_string),
        sub: sub.clone(),
        status,
        attributes: vec![Attribute {
            name: "sub".into(),
            value: sub,
        }],
        srp_salt_hex: String::new(),
        srp_verifier_hex: String::new(),
        srp_id: String::new(),
        created_at: now,
        codes: Vec::new(),
        tokens_revoked_before: None,
        mfa: Default::default(),
        devices: Default::default(),
    };
    user.set_password(pool_name, password);
    user
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

//! Account operations: ForgotPassword / ConfirmForgotPassword, ChangePassword, the attribute operations
//! (UpdateUserAttributes, GetUserAttributeVerificationCode, VerifyUserAttribute, DeleteUserAttributes)
//! and DeleteUser.

use serde_json::{json, Value};

use super::access::{access_token, authenticate};
use super::auth::password_matches;
use super::signup::{check_attribute_values, check_code_shape, code_mismatch, use_code};
use super::{check_client_id, check_secret_hash, check_username, Body};
use crate::app::App;
use crate::codes::{self, Channel, ACCOUNT_CODE_TTL_SECS};
use crate::errors::{CognitoError, ErrorKind, Validation};
use crate::ops::flow::required_attributes;
use crate::password;
use crate::state::{PoolState, UserStatus};
use crate::util;

/// Attributes whose new values must be verified with a code.
const VERIFIABLE: &[&str] = &["email", "phone_number"];

fn user_not_found() -> CognitoError {
    CognitoError::new(
        ErrorKind::UserNotFound,
        "Username/client id combination not found.",
    )
}

fn check_password_member(
    v: &mut Validation,
    body: &Body,
    name: &str,
    value: &str,
) -> Result<(), CognitoError> {
    if body.string(name)?.is_some() && !password::has_valid_shape(value) {
        v.invalid(
            &super::camel_case(name),
            "Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$",
        );
    }
    Ok(())
}

pub fn forgot_password(app: &App, body: &Body) -> Result<Value, CognitoError> {
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
    check_secret_hash(
        &client.client,
        body.string("SecretHash")?.as_deref(),
        &username,
    )?;
    let pool = store
        .pool_mut(&client.pool_id)
        .ok_or_else(|| CognitoError::internal("Pool vanished."))?;
    let prevent = pool.config.prevent_user_existence_errors;
    let Some(user) = pool.user_mut(&username) else {
        if prevent {
            // Cognito pretends a code went out, so callers cannot probe for accounts.
            return Ok(json!({ "CodeDeliveryDetails": {
                "Destination": util::mask_email(&username), "DeliveryMedium": "EMAIL", "AttributeName": "email"
            }}));
        }
        return Err(user_not_found());
    };
    let verified = |name: &str| user.attribute(&format!("{name}_verified")) == Some("true");
    let channel = if user.attribute("email").is_some() && verified("email") {
        Channel::Email
    } else if user.attribute("phone_number").is_some() && verified("phone_number") {
        Channel::Sms
    } else {
        return Err(CognitoError::invalid_parameter(
            "Cannot reset password for the user as there is no registered/verified email or phone_number",
        ));
    };
    let sent = codes::deliver(
        user,
        "FORGOT_PASSWORD",
        channel,
        None,
        ACCOUNT_CODE_TTL_SECS,
    );
    app.persist(&store)?;
    Ok(json!({ "CodeDeliveryDetails": codes::delivery_details(&sent) }))
}

pub fn confirm_forgot_password(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let mut v = Validation::new();
    let client_id = body.required(&mut v, "ClientId")?;
    let username = body.required(&mut v, "Username")?;
    let code = body.required(&mut v, "ConfirmationCode")?;
    let new_password = body.required(&mut v, "Password")?;
    body.string_map("ClientMetadata")?;
    if !client_id.is_empty() {
        check_client_id(&mut v, &client_id);
    }
    if body.string("Username")?.is_some() {
        check_username(&mut v, &username);
    }
    if body.string("ConfirmationCode")?.is_some() {
        check_code_shape(&mut v, "confirmationCode", &code);
    }
    check_password_member(&mut v, body, "Password", &new_password)?;
    v.finish()?;
    let mut store = app.store();
    let client = app.client(&store, &client_id)?;
    check_secret_hash(
        &client.client,
        body.string("SecretHash")?.as_deref(),
        &username,
    )?;
    password::check(&new_password)?;
    let pool = store
        .pool_mut(&client.pool_id)
        .ok_or_else(|| CognitoError::internal("Pool vanished."))?;
    let pool_name = pool.pool_name().to_string();
    let prevent = pool.config.prevent_user_existence_errors;
    let Some(user) = pool.user_mut(&username) else {
        return Err(if prevent {
            code_mismatch()
        } else {
            user_not_found()
        });
    };
    use_code(user, "FORGOT_PASSWORD", None, &code)?;
    user.set_password(&pool_name, &new_password);
    if user.status == UserStatus::ForceChangePassword {
        user.status = UserStatus::Confirmed;
    }
    app.persist(&store)?;
    Ok(json!({}))
}

pub fn change_password(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let mut v = Validation::new();
    let token = body.required(&mut v, "AccessToken")?;
    let previous = body.required(&mut v, "PreviousPassword")?;
    let proposed = body.required(&mut v, "ProposedPassword")?;
    check_password_member(&mut v, body, "ProposedPassword", &proposed)?;
    v.finish()?;
    let mut store = app.store();
    let caller = authenticate(app, &store, &token)?;
    let pool: &PoolState = caller.pool(&store)?;
    let pool_name = pool.pool_name().to_string();
    if !password_matches(pool, caller.user(&store)?, &previous)? {
        return Err(CognitoError::incorrect_credentials());
    }
    password::check(&proposed)?;
    caller
        .user_mut(&mut store)?
        .set_password(&pool_name, &proposed);
    app.persist(&store)?;
    Ok(json!({}))
}

pub fn update_user_attributes(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let mut v = Validation::new();
    let token = body.required(&mut v, "AccessToken")?;
    let attributes = body.attributes(&mut v, "UserAttributes")?;
    if attributes.is_none() {
        v.missing("userAttributes");
    }
    body.string_map("ClientMetadata")?;
    v.finish()?;
    let attributes = attributes.unwrap_or_default();
    check_attribute_values(&attributes)?;
    let mut store = app.store();
    let caller = authenticate(app, &store, &token)?;
    let user = caller.user_mut(&mut store)?;
    let mut deliveries = Vec::new();
    for a in &attributes {
        let changed = user.attribute(&a.name) != Some(a.value.as_str());
        user.set_attribute(&a.name, &a.value);
        // Cognito's default (no "keep original value while an update is pending"): the new value replaces
        // the old one at once, unverified, and a code goes to the new address.
        if changed && VERIFIABLE.contains(&a.name.as_str()) {
            user.set_attribute(&format!("{}_verified", a.name), "false");
            let channel = if a.name == "email" {
                Channel::Email
            } else {
                Channel::Sms
            };
            let sent = codes::deliver(
                user,
                "VERIFY_ATTRIBUTE",
                channel,
                None,
                ACCOUNT_CODE_TTL_SECS,
            );
            deliveries.push(codes::delivery_details(&sent));
        }
    }
    app.persist(&store)?;
    Ok(json!({ "CodeDeliveryDetailsList": deliveries }))
}

fn attribute_name(body: &Body) -> Result<(String, String), CognitoError> {
    let mut v = Validation::new();
    let token = body.required(&mut v, "AccessToken")?;
    let name = body.required(&mut v, "AttributeName")?;
    v.finish()?;
    Ok((token, name))
}

pub fn get_user_attribute_verification_code(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let (token, name) = attribute_name(body)?;
    body.string_map("ClientMetadata")?;
    if !VERIFIABLE.contains(&name.as_str()) {
        return Err(CognitoError::invalid_parameter(format!(
            "Attribute {name} cannot be verified: only email and phone_number can."
        )));
    }
    let mut store = app.store();
    let caller = authenticate(app, &store, &token)?;
    let user = caller.user_mut(&mut store)?;
    if user.attribute(&name).is_none() {
        return Err(CognitoError::invalid_parameter(format!(
            "The user has no {name} to verify."
        )));
    }
    let channel = if name == "email" {
        Channel::Email
    } else {
        Channel::Sms
    };
    let sent = codes::deliver(
        user,
        "VERIFY_ATTRIBUTE",
        channel,
        None,
        ACCOUNT_CODE_TTL_SECS,
    );
    app.persist(&store)?;
    Ok(json!({ "CodeDeliveryDetails": codes::delivery_details(&sent) }))
}

pub fn verify_user_attribute(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let (token, name) = attribute_name(body)?;
    let mut v = Validation::new();
    let code = body.required(&mut v, "Code")?;
    if body.string("Code")?.is_some() {
        check_code_shape(&mut v, "code", &code);
    }
    v.finish()?;
    let mut store = app.store();
    let caller = authenticate(app, &store, &token)?;
    let user = caller.user_mut(&mut store)?;
    use_code(user, "VERIFY_ATTRIBUTE", Some(&name), &code)?;
    user.set_attribute(&format!("{name}_verified"), "true");
    app.persist(&store)?;
    Ok(json!({}))
}

pub fn delete_user_attributes(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let mut v = Validation::new();
    let token = body.required(&mut v, "AccessToken")?;
    let names = body.string_list("UserAttributeNames")?;
    if names.is_none() {
        v.missing("userAttributeNames");
    }
    v.finish()?;
    let names = names.unwrap_or_default();
    let mut store = app.store();
    let caller = authenticate(app, &store, &token)?;
    let config = caller.pool(&store)?.config.clone();
    let user = caller.user_mut(&mut store)?;
    let mut after = user.clone();
    for name in &names {
        if name == "sub" || name.ends_with("_verified") {
            return Err(CognitoError::not_authorized(
                "A client attempted to write unauthorized attribute",
            ));
        }
        after.remove_attribute(name);
        after.remove_attribute(&format!("{name}_verified"));
    }
    let still_required = required_attributes(&config, &after);
    if let Some(name) = names.iter().find(|n| still_required.contains(n)) {
        return Err(CognitoError::invalid_parameter(format!(
            "Cannot delete the required attribute {name}."
        )));
    }
    *user = after;
    app.persist(&store)?;
    Ok(json!({}))
}

pub fn delete_user(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let token = access_token(body)?;
    let mut store = app.store();
    let caller = authenticate(app, &store, &token)?;
    let pool = caller.pool_mut(&mut store)?;
    pool.users.remove(&caller.user_key);
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
    app.persist(&store)?;
    Ok(json!({}))
}

//! Remembered devices: ConfirmDevice (stores the device's SRP verifier), UpdateDeviceStatus, ListDevices,
//! GetDevice and ForgetDevice. A confirmed, remembered device later signs in through DEVICE_SRP_AUTH and
//! skips MFA.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use num_bigint::BigUint;
use serde_json::{json, Value};

use super::access::{authenticate, Caller};
use super::Body;
use crate::app::App;
use crate::errors::{CognitoError, ErrorKind, Validation};
use crate::pool::DeviceTracking;
use crate::state::{Device, Store};
use crate::util;

fn not_found() -> CognitoError {
    CognitoError::new(ErrorKind::ResourceNotFound, "Device does not exist.")
}

fn device_json(d: &Device) -> Value {
    let mut attributes = vec![
        json!({"Name": "device_status", "Value": "valid"}),
        json!({"Name": "dev:device_remembered_status",
               "Value": if d.remembered { "remembered" } else { "not_remembered" }}),
    ];
    if let Some(name) = &d.name {
        attributes.push(json!({"Name": "device_name", "Value": name}));
    }
    json!({
        "DeviceKey": d.device_key,
        "DeviceAttributes": attributes,
        "DeviceCreateDate": d.created_at,
        "DeviceLastModifiedDate": d.last_modified,
        "DeviceLastAuthenticatedDate": d.last_authenticated,
    })
}

/// The AccessToken and DeviceKey members every device operation takes (DeviceKey optional for GetDevice
/// and ForgetDevice, where it defaults to the token's device).
fn token_and_device(
    body: &Body,
    device_required: bool,
) -> Result<(String, Option<String>), CognitoError> {
    let mut v = Validation::new();
    let token = body.required(&mut v, "AccessToken")?;
    let device = if device_required {
        Some(body.required(&mut v, "DeviceKey")?)
    } else {
        body.string("DeviceKey")?
    };
    v.finish()?;
    Ok((token, device))
}

fn device_key_or_token(caller: &Caller, given: Option<String>) -> Result<String, CognitoError> {
    given
        .or_else(|| caller.device_key.clone())
        .ok_or_else(|| CognitoError::invalid_parameter("Missing required parameter DeviceKey"))
}

fn device_mut<'a>(
    store: &'a mut Store,
    caller: &Caller,
    key: &str,
) -> Result<&'a mut Device, CognitoError> {
    caller
        .user_mut(store)?
        .devices
        .get_mut(key)
        .ok_or_else(not_found)
}

/// Decodes a base64 big-endian integer (the PasswordVerifier and Salt of DeviceSecretVerifierConfig).
fn b64_int(text: &str, member: &str) -> Result<BigUint, CognitoError> {
    let bytes = STANDARD
        .decode(text)
        .map_err(|_| CognitoError::invalid_parameter(format!("{member} is not valid base64")))?;
    if bytes.is_empty() {
        return Err(CognitoError::invalid_parameter(format!(
            "{member} is empty"
        )));
    }
    Ok(BigUint::from_bytes_be(&bytes))
}

pub fn confirm_device(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let (token, device_key) = token_and_device(body, true)?;
    let device_key = device_key.unwrap_or_default();
    let name = body.string("DeviceName")?;
    let config = body.object("DeviceSecretVerifierConfig")?;
    let (verifier, salt) = match &config {
        Some(c) => (
            c.string("PasswordVerifier")?
                .map(|t| b64_int(&t, "PasswordVerifier"))
                .transpose()?,
            c.string("Salt")?.map(|t| b64_int(&t, "Salt")).transpose()?,
        ),
        None => (None, None),
    };
    let (Some(verifier), Some(salt)) = (verifier, salt) else {
        return Err(CognitoError::invalid_parameter(
            "DeviceSecretVerifierConfig needs PasswordVerifier and Salt.",
        ));
    };
    let mut store = app.store();
    let caller = authenticate(app, &store, &token)?;
    let tracking = caller.pool(&store)?.config.device_tracking;
    if tracking == DeviceTracking::Off {
        return Err(CognitoError::invalid_parameter(
            "Device tracking is not enabled for this user pool.",
        ));
    }
    let now = util::now();
    let device = device_mut(&mut store, &caller, &device_key)?;
    device.verifier_hex = Some(verifier.to_str_radix(16));
    device.salt_hex = Some(salt.to_str_radix(16));
    device.confirmed = true;
    device.name = name.or_else(|| device.name.clone());
    device.remembered = tracking == DeviceTracking::Always;
    device.last_modified = now;
    app.persist(&store)?;
    Ok(json!({ "UserConfirmationNecessary": tracking == DeviceTracking::UserOptIn }))
}

pub fn update_device_status(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let (token, device_key) = token_and_device(body, true)?;
    let device_key = device_key.unwrap_or_default();
    let mut v = Validation::new();
    let status = body.string("DeviceRememberedStatus")?;
    if let Some(s) = &status {
        if s != "remembered" && s != "not_remembered" {
            v.not_in_enum(
                "deviceRememberedStatus",
                s,
                &["remembered", "not_remembered"],
            );
        }
    }
    v.finish()?;
    let mut store = app.store();
    let caller = authenticate(app, &store, &token)?;
    let device = device_mut(&mut store, &caller, &device_key)?;
    if !device.confirmed {
        return Err(not_found());
    }
    device.remembered = status.as_deref() == Some("remembered");
    device.last_modified = util::now();
    app.persist(&store)?;
    Ok(json!({}))
}

pub fn list_devices(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let (token, _) = token_and_device(body, false)?;
    let limit = body.integer("Limit")?.unwrap_or(60).clamp(1, 60) as usize;
    let start = body.string("PaginationToken")?;
    let store = app.store();
    let caller = authenticate(app, &store, &token)?;
    let user = caller.user(&store)?;
    let mut devices: Vec<&Device> = user
        .devices
        .values()
        .filter(|d| d.confirmed)
        .filter(|d| start.as_ref().is_none_or(|s| &d.device_key >= s))
        .collect();
    let next = devices.get(limit).map(|d| d.device_key.clone());
    devices.truncate(limit);
    let mut out = json!({ "Devices": devices.into_iter().map(device_json).collect::<Vec<_>>() });
    if let (Some(token), Some(obj)) = (next, out.as_object_mut()) {
        obj.insert("PaginationToken".into(), json!(token));
    }
    Ok(out)
}

pub fn get_device(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let (token, device_key) = token_and_device(body, false)?;
    let store = app.store();
    let caller = authenticate(app, &store, &token)?;
    let key = device_key_or_token(&caller, device_key)?;
    let device = caller
        .user(&store)?
        .devices
        .get(&key)
        .filter(|d| d.confirmed)
        .ok_or_else(not_found)?;
    Ok(json!({ "Device": device_json(device) }))
}

pub fn forget_device(app: &App, body: &Body) -> Result<Value, CognitoError> {
    let (token, device_key) = token_and_device(body, false)?;
    let mut store = app.store();
    let caller = authenticate(app, &store, &token)?;
    let key = device_key_or_token(&caller, device_key)?;
    caller
        .user_mut(&mut store)?
        .devices
        .remove(&key)
        .ok_or_else(not_found)?;
    app.persist(&store)?;
    Ok(json!({}))
}

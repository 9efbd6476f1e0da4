//! The Cognito operations (`X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`) and the
//! request-body reading they share.

mod access;
mod account;
mod auth;
mod devices;
mod flow;
mod mfa;
mod respond;
mod session;
mod signup;

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::app::App;
use crate::errors::{CognitoError, ErrorKind, Validation};
use crate::pool::ClientConfig;
use crate::state::Attribute;

pub use access::{authenticate as authenticate_access_token, pool_of_token};
pub use auth::password_matches;
pub use flow::{mfa_need, MfaNeed};
pub use session::refresh_session;
pub use signup::{check_attribute_values, new_user as admin_new_user, sign_in_attribute};

/// Operations this emulator implements.
pub const OPERATIONS: &[&str] = &[
    "SignUp",
    "ConfirmSignUp",
    "ResendConfirmationCode",
    "InitiateAuth",
    "RespondToAuthChallenge",
    "GetUser",
    "RevokeToken",
    "GlobalSignOut",
    "AssociateSoftwareToken",
    "VerifySoftwareToken",
    "SetUserMFAPreference",
    "ConfirmDevice",
    "UpdateDeviceStatus",
    "ListDevices",
    "GetDevice",
    "ForgetDevice",
    "ForgotPassword",
    "ConfirmForgotPassword",
    "ChangePassword",
    "UpdateUserAttributes",
    "GetUserAttributeVerificationCode",
    "VerifyUserAttribute",
    "DeleteUserAttributes",
    "DeleteUser",
    "GetTokensFromRefreshToken",
];

/// Runs one operation on a raw JSON body.
pub fn dispatch(app: &App, operation: &str, body: &[u8]) -> Result<Value, CognitoError> {
    if !OPERATIONS.contains(&operation) {
        return Err(unknown_operation(operation));
    }
    let body = Body::parse(body)?;
    // Accepted wherever Cognito accepts them; the emulator has no advanced security to feed them to.
    body.object("UserContextData")?;
    body.object("AnalyticsMetadata")?;
    match operation {
        "SignUp" => signup::sign_up(app, &body),
        "ConfirmSignUp" => signup::confirm_sign_up(app, &body),
        "ResendConfirmationCode" => signup::resend_confirmation_code(app, &body),
        "InitiateAuth" => auth::initiate_auth(app, &body),
        "RespondToAuthChallenge" => auth::respond_to_auth_challenge(app, &body),
        "GetUser" => session::get_user(app, &body),
        "RevokeToken" => session::revoke_token(app, &body),
        "GlobalSignOut" => session::global_sign_out(app, &body),
        "GetTokensFromRefreshToken" => session::get_tokens_from_refresh_token(app, &body),
        "AssociateSoftwareToken" => mfa::associate_software_token(app, &body),
        "VerifySoftwareToken" => mfa::verify_software_token(app, &body),
        "SetUserMFAPreference" => mfa::set_user_mfa_preference(app, &body),
        "ConfirmDevice" => devices::confirm_device(app, &body),
        "UpdateDeviceStatus" => devices::update_device_status(app, &body),
        "ListDevices" => devices::list_devices(app, &body),
        "GetDevice" => devices::get_device(app, &body),
        "ForgetDevice" => devices::forget_device(app, &body),
        "ForgotPassword" => account::forgot_password(app, &body),
        "ConfirmForgotPassword" => account::confirm_forgot_password(app, &body),
        "ChangePassword" => account::change_password(app, &body),
        "UpdateUserAttributes" => account::update_user_attributes(app, &body),
        "GetUserAttributeVerificationCode" => {
            account::get_user_attribute_verification_code(app, &body)
        }
        "VerifyUserAttribute" => account::verify_user_attribute(app, &body),
        "DeleteUserAttributes" => account::delete_user_attributes(app, &body),
        "DeleteUser" => account::delete_user(app, &body),
        _ => Err(unknown_operation(operation)),
    }
}

/// Real Cognito answers an unknown X-Amz-Target with `{"__type":"UnknownOperationException"}` and no
/// message at all; the emulator says what it did not recognise, so every error carries a message.
pub fn unknown_operation(target: &str) -> CognitoError {
    let message = if target.is_empty() {
        "Missing or malformed X-Amz-Target header: expected \
         AWSCognitoIdentityProviderService.<Operation>"
            .to_string()
    } else {
        format!("Unknown operation {target}")
    };
    CognitoError::new(ErrorKind::UnknownOperation, message)
}

/// Best-effort: the pool a request body belongs to (by ClientId, access token or Session), for the
/// per-pool request counters.
pub fn pool_of_request(app: &App, body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let text = |name: &str| value.get(name).and_then(Value::as_str);
    if let Some(client_id) = text("ClientId") {
        if let Some(pool) = app.store().pool_id_of_client(client_id) {
            return Some(pool);
        }
    }
    if let Some(token) = text("AccessToken") {
        return pool_of_token(app, token);
    }
    let session = text("Session")?;
    app.sessions().get(session).map(|s| s.pool_id.clone())
}

/// The SECRET_HASH: base64(HMAC-SHA256(client secret, username ‖ client id)).
pub fn secret_hash(secret: &str, username: &str, client_id: &str) -> String {
    match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(username.as_bytes());
            mac.update(client_id.as_bytes());
            STANDARD.encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// For clients with a secret: `provided` must be the SECRET_HASH of exactly `username`, the name Cognito
/// hashes for the operation (the USERNAME / Username as sent; for refresh, the internal username).
pub fn check_secret_hash(
    client: &ClientConfig,
    provided: Option<&str>,
    username: &str,
) -> Result<(), CognitoError> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let id = &client.client_id;
    let Some(provided) = provided else {
        return Err(CognitoError::not_authorized(format!(
            "Client {id} is configured with secret but SECRET_HASH was not received"
        )));
    };
    if crate::srp::constant_time_eq(
        secret_hash(secret, username, id).as_bytes(),
        provided.as_bytes(),
    ) {
        Ok(())
    } else {
        Err(CognitoError::not_authorized(format!(
            "Unable to verify secret hash for client {id}"
        )))
    }
}

/// A request body: a JSON object whose members are read with AWS's typing rules (a member of the wrong
/// JSON type is a SerializationException; a missing required one is a validation error).
pub struct Body {
    members: Map<String, Value>,
}

fn serialization_error(message: impl Into<String>) -> CognitoError {
    CognitoError::new(ErrorKind::Serialization, message)
}

impl Body {
    pub fn parse(bytes: &[u8]) -> Result<Body, CognitoError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Body {
                members: Map::new(),
            });
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(members)) => Ok(Body { members }),
            Ok(_) => Err(serialization_error("Start of structure or map expected")),
            Err(e) => Err(serialization_error(format!(
                "Malformed JSON request body: {e}"
            ))),
        }
    }

    /// An optional string member (`null` counts as absent).
    pub fn string(&self, name: &str) -> Result<Option<String>, CognitoError> {
        match self.members.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(serialization_error(format!(
                "Expected a string value for member '{name}'"
            ))),
        }
    }

    /// A required string member; records it as missing in `v` (AWS names members in camelCase).
    pub fn required(&self, v: &mut Validation, name: &str) -> Result<String, CognitoError> {
        match self.string(name)? {
            Some(s) => Ok(s),
            None => {
                v.missing(&camel_case(name));
                Ok(String::new())
            }
        }
    }

    /// An optional map of strings (AuthParameters, ChallengeResponses, ClientMetadata, …).
    pub fn string_map(&self, name: &str) -> Result<Option<BTreeMap<String, String>>, CognitoError> {
        match self.members.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(map)) => {
                let mut out = BTreeMap::new();
                for (k, v) in map {
                    match v {
                        Value::String(s) => {
                            out.insert(k.clone(), s.clone());
                        }
                        Value::Null => {}
                        _ => {
                            return Err(serialization_error(format!(
                                "Expected string values in map '{name}'"
                            )))
                        }
                    }
                }
                Ok(Some(out))
            }
            Some(_) => Err(serialization_error(format!(
                "Expected a map for member '{name}'"
            ))),
        }
    }

    /// An optional nested structure (DeviceSecretVerifierConfig, SMSMfaSettings, UserContextData, …).
    pub fn object(&self, name: &str) -> Result<Option<Body>, CognitoError> {
        match self.members.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(members)) => Ok(Some(Body {
                members: members.clone(),
            })),
            Some(_) => Err(serialization_error(format!(
                "Expected a structure for member '{name}'"
            ))),
        }
    }

    /// An optional boolean member.
    pub fn boolean(&self, name: &str) -> Result<Option<bool>, CognitoError> {
        match self.members.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(serialization_error(format!(
                "Expected a boolean value for member '{name}'"
            ))),
        }
    }

    /// An optional non-negative integer member.
    pub fn integer(&self, name: &str) -> Result<Option<u64>, CognitoError> {
        match self.members.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n.as_u64().map(Some).ok_or_else(|| {
                serialization_error(format!("Expected a non-negative integer for '{name}'"))
            }),
            Some(_) => Err(serialization_error(format!(
                "Expected a number for member '{name}'"
            ))),
        }
    }

    /// An optional list of strings (UserAttributeNames).
    pub fn string_list(&self, name: &str) -> Result<Option<Vec<String>>, CognitoError> {
        match self.members.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| {
                    i.as_str().map(str::to_string).ok_or_else(|| {
                        serialization_error(format!("Expected strings in list '{name}'"))
                    })
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(serialization_error(format!(
                "Expected a list for member '{name}'"
            ))),
        }
    }

    /// An optional list of `{Name, Value}` attributes (UserAttributes, ValidationData).
    pub fn attributes(
        &self,
        v: &mut Validation,
        name: &str,
    ) -> Result<Option<Vec<Attribute>>, CognitoError> {
        let items = match self.members.get(name) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Array(items)) => items,
            Some(_) => {
                return Err(serialization_error(format!(
                    "Expected a list for member '{name}'"
                )))
            }
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Value::Object(obj) = item else {
                return Err(serialization_error(format!(
                    "Expected a structure in list '{name}'"
                )));
            };
            let field = |f: &str| match obj.get(f) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(serialization_error(format!(
                    "Expected a string value for member '{f}'"
                ))),
            };
            let prefix = format!("{}.{}.member", camel_case(name), i + 1);
            let attr_name = field("Name")?;
            let value = field("Value")?;
            if attr_name.is_none() {
                v.missing(&format!("{prefix}.name"));
            }
            if let Some(value) = &value {
                if value.chars().count() > 2048 {
                    v.invalid(
                        &format!("{prefix}.value"),
                        "Member must have length less than or equal to 2048",
                    );
                }
            }
            out.push(Attribute {
                name: attr_name.unwrap_or_default(),
                value: value.unwrap_or_default(),
            });
        }
        Ok(Some(out))
    }
}

/// `ClientId` → `clientId`, the spelling AWS uses in validation messages.
fn camel_case(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The `[\p{L}\p{M}\p{S}\p{N}\p{P}]+` pattern of `Username` (1–128 characters, no spaces or controls).
pub fn check_username(v: &mut Validation, username: &str) {
    let n = username.chars().count();
    if n > 128 {
        v.invalid(
            "username",
            "Member must have length less than or equal to 128",
        );
    } else if n == 0
        || username
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        v.invalid(
            "username",
            "Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
        );
    }
}

/// `ClientId`: 1–128 characters of `[\w+]+`.
pub fn check_client_id(v: &mut Validation, client_id: &str) {
    if client_id.is_empty()
        || client_id.len() > 128
        || !client_id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '+')
    {
        v.invalid(
            "clientId",
            "Member must satisfy regular expression pattern: [\\w+]+",
        );
    }
}

#[cfg(test)]
mod tests;

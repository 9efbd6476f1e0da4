//! The Cognito operations (`X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`) and the
//! request-body reading they share.

mod auth;
mod session;
mod signup;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::app::App;
use crate::errors::{CognitoError, ErrorKind, Validation};
use crate::state::Attribute;

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
];

/// Runs one operation on a raw JSON body.
pub fn dispatch(app: &App, operation: &str, body: &[u8]) -> Result<Value, CognitoError> {
    if !OPERATIONS.contains(&operation) {
        return Err(CognitoError::new(
            ErrorKind::UnknownOperation,
            String::new(),
        ));
    }
    let body = Body::parse(body)?;
    match operation {
        "SignUp" => signup::sign_up(app, &body),
        "ConfirmSignUp" => signup::confirm_sign_up(app, &body),
        "ResendConfirmationCode" => signup::resend_confirmation_code(app, &body),
        "InitiateAuth" => auth::initiate_auth(app, &body),
        "RespondToAuthChallenge" => auth::respond_to_auth_challenge(app, &body),
        "GetUser" => session::get_user(app, &body),
        "RevokeToken" => session::revoke_token(app, &body),
        "GlobalSignOut" => session::global_sign_out(app, &body),
        _ => Err(CognitoError::new(
            ErrorKind::UnknownOperation,
            String::new(),
        )),
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

//! Results as plain JS objects with camelCase fields.

use serde::Serialize;
use serde_json::{Map, Value};
use wasm_bindgen::JsValue;

use crate::flows::sign_up::SignUpOutput;
use crate::flows::Error;
use crate::protocol::types::CodeDeliveryDetails;
use crate::session::Session;

/// Serialises to plain objects (not `Map`s), as JS code expects.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, Error> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| Error::Protocol(format!("result not representable in JS: {e}")))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeDelivery {
    destination: Option<String>,
    delivery_medium: Option<String>,
    attribute_name: Option<String>,
}

impl From<CodeDeliveryDetails> for CodeDelivery {
    fn from(d: CodeDeliveryDetails) -> Self {
        Self { destination: d.destination, delivery_medium: d.delivery_medium, attribute_name: d.attribute_name }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignUpResult {
    user_confirmed: bool,
    user_sub: String,
    code_delivery_details: Option<CodeDelivery>,
}

impl From<SignUpOutput> for SignUpResult {
    fn from(o: SignUpOutput) -> Self {
        Self { user_confirmed: o.user_confirmed, user_sub: o.user_sub, code_delivery_details: o.code_delivery.map(Into::into) }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResendResult {
    pub code_delivery_details: Option<CodeDelivery>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInResult {
    is_signed_in: bool,
    next_step: NextStep,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NextStep {
    sign_in_step: &'static str,
}

impl SignInResult {
    pub fn done() -> Self {
        Self { is_signed_in: true, next_step: NextStep { sign_in_step: "DONE" } }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionResult<'a> {
    id_token: &'a str,
    access_token: &'a str,
    refresh_token: Option<&'a str>,
    id_token_payload: &'a Map<String, Value>,
    access_token_payload: &'a Map<String, Value>,
    /// When the first token expires, in local milliseconds since the epoch (comparable with `Date.now()`).
    expires_at: i64,
}

impl<'a> From<&'a Session> for SessionResult<'a> {
    fn from(s: &'a Session) -> Self {
        Self {
            id_token: &s.tokens.id_token,
            access_token: &s.tokens.access_token,
            refresh_token: s.tokens.refresh_token.as_deref(),
            id_token_payload: &s.id_claims.all,
            access_token_payload: &s.access_claims.all,
            expires_at: s.local_expires_at_millis(),
        }
    }
}

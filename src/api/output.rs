//! Results as plain JS objects with camelCase fields, shaped as Amplify v6 shapes them where it has an
//! equivalent, so that migrating code reads the same fields.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};
use wasm_bindgen::JsValue;

use crate::flows::account::AttributeUpdate;
use crate::flows::devices::Device;
use crate::flows::mfa::{MfaPreference, TotpSetup};
use crate::flows::sign_in::{MfaType, NextStep};
use crate::flows::sign_up::SignUpOutput;
use crate::flows::Error;
use crate::protocol::types::{CodeDeliveryDetails, StringMap};
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
pub struct ConfirmSignUpResult {
    is_sign_up_complete: bool,
    next_step: SignUpStep,
    /// The automatic sign-in's result when sign-up asked for one.
    auto_sign_in: Option<SignInResult>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SignUpStep {
    sign_up_step: &'static str,
}

impl ConfirmSignUpResult {
    pub fn new(auto: Option<NextStep>) -> Self {
        Self {
            is_sign_up_complete: true,
            next_step: SignUpStep { sign_up_step: "DONE" },
            auto_sign_in: auto.map(SignInResult::from),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryResult {
    pub code_delivery_details: Option<CodeDelivery>,
}

impl DeliveryResult {
    pub fn new(d: Option<CodeDeliveryDetails>) -> Self {
        Self { code_delivery_details: d.map(Into::into) }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInResult {
    is_signed_in: bool,
    next_step: SignInStep,
}

/// `nextStep`: `signInStep` and the fields that step carries.
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct SignInStep {
    sign_in_step: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    missing_attributes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_delivery_details: Option<CodeDelivery>,
    #[serde(rename = "allowedMFATypes", skip_serializing_if = "Option::is_none")]
    allowed_mfa_types: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    totp_setup_details: Option<TotpDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    additional_info: Option<StringMap>,
    #[serde(skip_serializing_if = "Option::is_none")]
    available_challenges: Option<Vec<String>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TotpDetails {
    shared_secret: String,
    setup_uri: String,
}

impl From<TotpSetup> for TotpDetails {
    fn from(t: TotpSetup) -> Self {
        Self { shared_secret: t.shared_secret, setup_uri: t.setup_uri }
    }
}

fn mfa_names(types: Vec<MfaType>) -> Option<Vec<&'static str>> {
    Some(types.into_iter().map(MfaType::name).collect())
}

impl From<NextStep> for SignInResult {
    fn from(step: NextStep) -> Self {
        let mut out = SignInStep { sign_in_step: step.name(), ..SignInStep::default() };
        let is_signed_in = step == NextStep::Done;
        match step {
            NextStep::NewPasswordRequired { missing_attributes } => out.missing_attributes = Some(missing_attributes),
            NextStep::SmsCode { delivery } | NextStep::EmailCode { delivery } => {
                out.code_delivery_details = Some(delivery.into());
            }
            NextStep::MfaSelection { allowed } | NextStep::MfaSetupSelection { allowed } => {
                out.allowed_mfa_types = mfa_names(allowed);
            }
            NextStep::TotpSetup { shared_secret, setup_uri } => {
                out.totp_setup_details = Some(TotpDetails { shared_secret, setup_uri });
            }
            NextStep::CustomChallenge { parameters } => out.additional_info = Some(parameters),
            NextStep::FirstFactorSelection { available } => out.available_challenges = Some(available),
            NextStep::Done | NextStep::TotpCode | NextStep::EmailSetup | NextStep::Password => {}
        }
        Self { is_signed_in, next_step: out }
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
    /// The user's groups (`cognito:groups`).
    groups: Vec<&'a str>,
    /// The access token's OAuth scopes.
    scopes: Vec<&'a str>,
}

impl<'a> From<&'a Session> for SessionResult<'a> {
    fn from(s: &'a Session) -> Self {
        let groups = s
            .access_claims
            .all
            .get("cognito:groups")
            .and_then(Value::as_array)
            .map(|g| g.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let scopes = s.access_claims.string("scope").map(|v| v.split_whitespace().collect()).unwrap_or_default();
        Self {
            groups,
            scopes,
            id_token: &s.tokens.id_token,
            access_token: &s.tokens.access_token,
            refresh_token: s.tokens.refresh_token.as_deref(),
            id_token_payload: &s.id_claims.all,
            access_token_payload: &s.access_claims.all,
            expires_at: s.local_expires_at_millis(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResetPasswordResult {
    is_password_reset: bool,
    next_step: ResetPasswordStep,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResetPasswordStep {
    reset_password_step: &'static str,
    code_delivery_details: Option<CodeDelivery>,
}

impl ResetPasswordResult {
    pub fn new(d: Option<CodeDeliveryDetails>) -> Self {
        Self {
            is_password_reset: false,
            next_step: ResetPasswordStep {
                reset_password_step: "CONFIRM_RESET_PASSWORD_WITH_CODE",
                code_delivery_details: d.map(Into::into),
            },
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttributeUpdateResult {
    is_updated: bool,
    next_step: AttributeStep,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AttributeStep {
    update_attribute_step: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_delivery_details: Option<CodeDelivery>,
}

pub fn attribute_updates(updates: BTreeMap<String, AttributeUpdate>) -> BTreeMap<String, AttributeUpdateResult> {
    updates
        .into_iter()
        .map(|(name, update)| {
            let result = match update {
                AttributeUpdate::Done => AttributeUpdateResult {
                    is_updated: true,
                    next_step: AttributeStep { update_attribute_step: "DONE", code_delivery_details: None },
                },
                AttributeUpdate::ConfirmWithCode(d) => AttributeUpdateResult {
                    is_updated: false,
                    next_step: AttributeStep {
                        update_attribute_step: "CONFIRM_ATTRIBUTE_WITH_CODE",
                        code_delivery_details: Some(d.into()),
                    },
                },
            };
            (name, result)
        })
        .collect()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MfaPreferenceResult {
    enabled: Vec<&'static str>,
    preferred: Option<&'static str>,
}

impl From<MfaPreference> for MfaPreferenceResult {
    fn from(m: MfaPreference) -> Self {
        Self { enabled: m.enabled.into_iter().map(MfaType::name).collect(), preferred: m.preferred.map(MfaType::name) }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceResult {
    id: String,
    name: Option<String>,
    created_at: Option<i64>,
    last_modified_at: Option<i64>,
    last_authenticated_at: Option<i64>,
}

impl From<Device> for DeviceResult {
    fn from(d: Device) -> Self {
        Self {
            id: d.id,
            name: d.name,
            created_at: d.created_at,
            last_modified_at: d.last_modified_at,
            last_authenticated_at: d.last_authenticated_at,
        }
    }
}

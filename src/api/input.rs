//! JS arguments, read into Rust types. Unknown fields are refused: a misspelt option is a bug to report, not to
//! ignore.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use wasm_bindgen::JsValue;

use crate::flows::sign_in::{Answer, AuthFlow, SignInInput};
use crate::flows::sign_up::SignUpInput;
use crate::flows::{Error, Metadata};

/// Reads `value` as `T`, or says which argument was wrong and how. Goes through a JSON value because
/// serde-wasm-bindgen reads only the fields a struct names, which would let a misspelt option pass unnoticed.
pub fn from_js<T: DeserializeOwned>(what: &str, value: JsValue) -> Result<T, Error> {
    if value.is_undefined() || value.is_null() {
        return Err(Error::InvalidParameter(format!("{what} is required")));
    }
    let invalid = |reason: String| Error::InvalidParameter(format!("{what}: {}", reason.trim_start_matches("Error: ")));
    let json: serde_json::Value = serde_wasm_bindgen::from_value(value).map_err(|e| invalid(e.to_string()))?;
    serde_json::from_value(json).map_err(|e| invalid(e.to_string()))
}

/// Like [`from_js`], with the defaults when the argument is left out.
pub fn from_js_or_default<T: DeserializeOwned + Default>(what: &str, value: JsValue) -> Result<T, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    from_js(what, value)
}

/// The constructor's options, except `storage`, which may hold functions and is read separately.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuthOptions {
    pub user_pool_id: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub endpoint: Option<String>,
    pub device_name: Option<String>,
    pub app_name: Option<String>,
    /// Refresh tokens when they expire within this many seconds (60 by default).
    pub refresh_margin_seconds: Option<u32>,
    /// Keep tokens fresh in the background while the page is open.
    #[serde(default)]
    pub auto_refresh: bool,
}

/// `{ encodedData }`, as Cognito's advanced-security script produces it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserContextData {
    pub encoded_data: String,
}

/// The pass-through fields several calls accept.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct MetadataArgs {
    #[serde(default)]
    pub client_metadata: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub user_context_data: Option<UserContextData>,
}

impl From<MetadataArgs> for Metadata {
    fn from(m: MetadataArgs) -> Self {
        Metadata { client_metadata: m.client_metadata, encoded_data: m.user_context_data.map(|u| u.encoded_data) }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignUpArgs {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub auto_sign_in: bool,
    #[serde(default)]
    pub client_metadata: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub user_context_data: Option<UserContextData>,
}

impl From<SignUpArgs> for SignUpInput {
    fn from(a: SignUpArgs) -> Self {
        SignUpInput {
            username: a.username,
            password: a.password,
            attributes: a.attributes.into_iter().collect(),
            auto_sign_in: a.auto_sign_in,
            metadata: MetadataArgs { client_metadata: a.client_metadata, user_context_data: a.user_context_data }.into(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfirmSignUpArgs {
    pub username: String,
    pub code: String,
    #[serde(default)]
    pub client_metadata: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub user_context_data: Option<UserContextData>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UsernameArgs {
    pub username: String,
    #[serde(default)]
    pub client_metadata: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub user_context_data: Option<UserContextData>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignInArgs {
    pub username: String,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub auth_flow: Option<String>,
    #[serde(default)]
    pub preferred_challenge: Option<String>,
    #[serde(default)]
    pub client_metadata: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub user_context_data: Option<UserContextData>,
}

impl SignInArgs {
    pub fn into_input(self) -> Result<SignInInput, Error> {
        let auth_flow = self.auth_flow.as_deref().map_or(Ok(AuthFlow::UserSrp), AuthFlow::parse)?;
        if self.preferred_challenge.is_some() && auth_flow != AuthFlow::UserAuth {
            return Err(Error::InvalidParameter("preferredChallenge applies only to authFlow USER_AUTH".into()));
        }
        Ok(SignInInput {
            username: self.username,
            password: self.password,
            auth_flow,
            preferred_challenge: self.preferred_challenge,
            metadata: MetadataArgs { client_metadata: self.client_metadata, user_context_data: self.user_context_data }
                .into(),
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfirmSignInArgs {
    pub challenge_response: String,
    #[serde(default)]
    pub options: Option<ConfirmSignInOptions>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfirmSignInOptions {
    #[serde(default)]
    pub user_attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub friendly_device_name: Option<String>,
    #[serde(default)]
    pub client_metadata: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub user_context_data: Option<UserContextData>,
}

impl From<ConfirmSignInArgs> for Answer {
    fn from(a: ConfirmSignInArgs) -> Self {
        let options = a.options.unwrap_or_default();
        let metadata = (options.client_metadata.is_some() || options.user_context_data.is_some()).then(|| {
            MetadataArgs { client_metadata: options.client_metadata, user_context_data: options.user_context_data }.into()
        });
        Answer {
            response: a.challenge_response,
            user_attributes: options.user_attributes,
            friendly_device_name: options.friendly_device_name,
            metadata,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetSessionArgs {
    #[serde(default)]
    pub force_refresh: bool,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignOutArgs {
    #[serde(default)]
    pub global: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfirmResetPasswordArgs {
    pub username: String,
    pub confirmation_code: String,
    pub new_password: String,
    #[serde(default)]
    pub client_metadata: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub user_context_data: Option<UserContextData>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdatePasswordArgs {
    pub old_password: String,
    pub new_password: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateUserAttributesArgs {
    pub user_attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub client_metadata: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AttributeKeyArgs {
    pub user_attribute_key: String,
    #[serde(default)]
    pub client_metadata: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfirmUserAttributeArgs {
    pub user_attribute_key: String,
    pub confirmation_code: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeleteUserAttributesArgs {
    pub user_attribute_keys: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerifyTotpArgs {
    pub code: String,
    #[serde(default)]
    pub friendly_device_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MfaPreferenceArgs {
    #[serde(default)]
    pub sms: Option<String>,
    #[serde(default)]
    pub totp: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

pub fn metadata(client_metadata: Option<BTreeMap<String, String>>, user_context_data: Option<UserContextData>) -> Metadata {
    MetadataArgs { client_metadata, user_context_data }.into()
}

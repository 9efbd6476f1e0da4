//! JS arguments, read into Rust types. Unknown fields are refused: a misspelt option is a bug to report, not to
//! ignore.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use wasm_bindgen::JsValue;

use crate::flows::sign_up::SignUpInput;
use crate::flows::Error;

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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuthOptions {
    pub user_pool_id: String,
    pub client_id: String,
    pub endpoint: Option<String>,
    pub storage: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignUpArgs {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

impl From<SignUpArgs> for SignUpInput {
    fn from(a: SignUpArgs) -> Self {
        SignUpInput { username: a.username, password: a.password, attributes: a.attributes.into_iter().collect() }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfirmSignUpInput {
    pub username: String,
    pub code: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResendInput {
    pub username: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignInInput {
    pub username: String,
    pub password: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetSessionInput {
    #[serde(default)]
    pub force_refresh: bool,
}

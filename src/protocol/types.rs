//! Request and response bodies, field for field as Cognito's API reference names them.
//!
//! Responses are read leniently (unknown fields ignored, optional fields defaulted) because Cognito adds fields
//! over time; requests carry only what is set.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A string-to-string map: AuthParameters, ChallengeParameters, ChallengeResponses, ClientMetadata.
pub type StringMap = BTreeMap<String, String>;

/// One user attribute, `{ "Name": "email", "Value": "a@example.com" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeType {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

/// Where a confirmation code was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CodeDeliveryDetails {
    pub destination: Option<String>,
    pub delivery_medium: Option<String>,
    pub attribute_name: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpRequest {
    pub client_id: String,
    pub username: String,
    pub password: String,
    pub user_attributes: Vec<AttributeType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpResponse {
    pub user_confirmed: bool,
    pub user_sub: String,
    #[serde(default)]
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmSignUpRequest {
    pub client_id: String,
    pub username: String,
    pub confirmation_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ConfirmSignUpResponse {
    /// Lets the confirmed user sign in without the password again (USER_AUTH); absent on older pools.
    pub session: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResendConfirmationCodeRequest {
    pub client_id: String,
    pub username: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ResendConfirmationCodeResponse {
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitiateAuthRequest {
    pub auth_flow: String,
    pub client_id: String,
    pub auth_parameters: StringMap,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RespondToAuthChallengeRequest {
    pub client_id: String,
    pub challenge_name: String,
    pub challenge_responses: StringMap,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
}

/// The answer to InitiateAuth and RespondToAuthChallenge: either a next challenge or the tokens.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AuthResponse {
    pub challenge_name: Option<String>,
    pub session: Option<String>,
    pub challenge_parameters: StringMap,
    pub authentication_result: Option<AuthenticationResult>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AuthenticationResult {
    pub access_token: String,
    pub id_token: String,
    /// Absent when refreshing with REFRESH_TOKEN_AUTH: the old refresh token stays valid.
    pub refresh_token: Option<String>,
    pub expires_in: Option<u64>,
    pub token_type: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessTokenRequest {
    pub access_token: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserResponse {
    pub username: String,
    #[serde(default)]
    pub user_attributes: Vec<AttributeType>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RevokeTokenRequest {
    pub token: String,
    pub client_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

/// A body with nothing in it that matters: RevokeToken and GlobalSignOut answer `{}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Empty {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_use_cognito_field_names_and_omit_unset_options() {
        let req = SignUpRequest {
            client_id: "c".into(),
            username: "u".into(),
            password: "p".into(),
            user_attributes: vec![AttributeType { name: "email".into(), value: "a@example.com".into() }],
            secret_hash: None,
            client_metadata: None,
        };
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            serde_json::json!({"ClientId":"c","Username":"u","Password":"p",
                               "UserAttributes":[{"Name":"email","Value":"a@example.com"}]})
        );
    }

    #[test]
    fn auth_response_reads_challenge_or_tokens() {
        let challenge: AuthResponse = serde_json::from_str(
            r#"{"ChallengeName":"PASSWORD_VERIFIER","Session":"s","ChallengeParameters":{"SALT":"ab"},"Extra":1}"#,
        )
        .unwrap();
        assert_eq!(challenge.challenge_name.as_deref(), Some("PASSWORD_VERIFIER"));
        assert_eq!(challenge.challenge_parameters.get("SALT").map(String::as_str), Some("ab"));
        let tokens: AuthResponse = serde_json::from_str(
            r#"{"ChallengeParameters":{},"AuthenticationResult":{"AccessToken":"a","IdToken":"i","ExpiresIn":3600,"TokenType":"Bearer"}}"#,
        )
        .unwrap();
        let result = tokens.authentication_result.unwrap();
        assert_eq!((result.access_token.as_str(), result.refresh_token), ("a", None));
    }
}

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

/// Advanced security's device fingerprint, collected by the app (Cognito's `amazon-cognito-advanced-security-data`
/// script) and passed through untouched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserContextData {
    pub encoded_data: String,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<UserContextData>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<UserContextData>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<UserContextData>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitiateAuthRequest {
    pub auth_flow: String,
    pub client_id: String,
    pub auth_parameters: StringMap,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<UserContextData>,
    /// ConfirmSignUp's session, which lets USER_AUTH sign the new user in without a password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<UserContextData>,
}

/// The answer to InitiateAuth and RespondToAuthChallenge: either a next challenge or the tokens.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AuthResponse {
    pub challenge_name: Option<String>,
    pub session: Option<String>,
    pub challenge_parameters: StringMap,
    pub authentication_result: Option<AuthenticationResult>,
    /// USER_AUTH without a preferred challenge: the first factors the user may choose from.
    pub available_challenges: Vec<String>,
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
    /// Present when the pool tracks devices and this device is new: confirm it with ConfirmDevice.
    pub new_device_metadata: Option<NewDeviceMetadata>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NewDeviceMetadata {
    pub device_key: String,
    pub device_group_key: String,
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
    #[serde(default)]
    pub preferred_mfa_setting: Option<String>,
    #[serde(default, rename = "UserMFASettingList")]
    pub user_mfa_setting_list: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RevokeTokenRequest {
    pub token: String,
    pub client_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ForgotPasswordRequest {
    pub client_id: String,
    pub username: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<UserContextData>,
}

/// The answer to ForgotPassword, ResendConfirmationCode and GetUserAttributeVerificationCode.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CodeDeliveryResponse {
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmForgotPasswordRequest {
    pub client_id: String,
    pub username: String,
    pub confirmation_code: String,
    pub password: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<UserContextData>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChangePasswordRequest {
    pub access_token: String,
    pub previous_password: String,
    pub proposed_password: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributesRequest {
    pub access_token: String,
    pub user_attributes: Vec<AttributeType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UpdateUserAttributesResponse {
    pub code_delivery_details_list: Vec<CodeDeliveryDetails>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserAttributeVerificationCodeRequest {
    pub access_token: String,
    pub attribute_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifyUserAttributeRequest {
    pub access_token: String,
    pub attribute_name: String,
    pub code: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteUserAttributesRequest {
    pub access_token: String,
    pub user_attribute_names: Vec<String>,
}

/// AssociateSoftwareToken: with an access token when signed in, or with a sign-in's Session during MFA_SETUP.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateSoftwareTokenRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AssociateSoftwareTokenResponse {
    pub secret_code: String,
    pub session: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifySoftwareTokenRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    pub user_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub friendly_device_name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VerifySoftwareTokenResponse {
    pub status: Option<String>,
    pub session: Option<String>,
}

/// One factor's setting in SetUserMFAPreference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MfaSettings {
    pub enabled: bool,
    pub preferred_mfa: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SetUserMfaPreferenceRequest {
    #[serde(rename = "AccessToken")]
    pub access_token: String,
    #[serde(rename = "SMSMfaSettings", skip_serializing_if = "Option::is_none")]
    pub sms: Option<MfaSettings>,
    #[serde(rename = "SoftwareTokenMfaSettings", skip_serializing_if = "Option::is_none")]
    pub totp: Option<MfaSettings>,
    #[serde(rename = "EmailMfaSettings", skip_serializing_if = "Option::is_none")]
    pub email: Option<MfaSettings>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceSecretVerifierConfig {
    pub password_verifier: String,
    pub salt: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceRequest {
    pub access_token: String,
    pub device_key: String,
    pub device_secret_verifier_config: DeviceSecretVerifierConfig,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ConfirmDeviceResponse {
    /// True when the pool lets users choose whether to remember devices (UpdateDeviceStatus).
    pub user_confirmation_necessary: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateDeviceStatusRequest {
    pub access_token: String,
    pub device_key: String,
    pub device_remembered_status: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesRequest {
    pub access_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListDevicesResponse {
    pub devices: Vec<DeviceType>,
    pub pagination_token: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeviceType {
    pub device_key: String,
    pub device_attributes: Vec<AttributeType>,
    /// Seconds since the epoch, as Cognito's JSON numbers.
    pub device_create_date: Option<f64>,
    pub device_last_modified_date: Option<f64>,
    pub device_last_authenticated_date: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ForgetDeviceRequest {
    pub access_token: String,
    pub device_key: String,
}

/// GetTokensFromRefreshToken: refreshes, and rotates the refresh token when the app client is set to.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTokensFromRefreshTokenRequest {
    pub refresh_token: String,
    pub client_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
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
            user_context_data: None,
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

//! Request and response bodies, field for field as Cognito's API reference names them.
//!
//! Responses are read leniently (unknown fields ignored, optional fields defaulted) because Cognito adds fields
//! over time; requests carry only what is set.

use super::json::{FromJson, Json, JsonError, ToJson};

pub use super::string_map::{SortedMap, StringMap};

/// One user attribute, `{ "Name": "email", "Value": "a@example.com" }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeType {
    pub name: String,
    pub value: String,
}

impl AttributeType {
    /// `(name, value)` pairs as attributes: one loop shared by sign-up and attribute updates, rather than a
    /// `map`/`collect` compiled at each.
    #[must_use]
    pub fn list(pairs: Vec<(String, String)>) -> Vec<Self> {
        let mut attributes = Vec::with_capacity(pairs.len());
        for (name, value) in pairs {
            attributes.push(Self { name, value });
        }
        attributes
    }
}

/// Advanced security's device fingerprint, collected by the app (Cognito's `amazon-cognito-advanced-security-data`
/// script) and passed through untouched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserContextData {
    pub encoded_data: String,
}

/// Where a confirmation code was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeDeliveryDetails {
    pub destination: Option<String>,
    pub delivery_medium: Option<String>,
    pub attribute_name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SignUpRequest {
    pub client_id: String,
    pub username: String,
    pub password: String,
    pub user_attributes: Vec<AttributeType>,
    pub secret_hash: Option<String>,
    pub client_metadata: Option<StringMap>,
    pub user_context_data: Option<UserContextData>,
}

#[derive(Debug, Clone)]
pub struct SignUpResponse {
    pub user_confirmed: bool,
    pub user_sub: String,
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

#[derive(Debug, Clone)]
pub struct ConfirmSignUpRequest {
    pub client_id: String,
    pub username: String,
    pub confirmation_code: String,
    pub secret_hash: Option<String>,
    pub client_metadata: Option<StringMap>,
    pub user_context_data: Option<UserContextData>,
}

#[derive(Debug, Clone, Default)]
pub struct ConfirmSignUpResponse {
    /// Lets the confirmed user sign in without the password again (USER_AUTH); absent on older pools.
    pub session: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ResendConfirmationCodeRequest {
    pub client_id: String,
    pub username: String,
    pub secret_hash: Option<String>,
    pub client_metadata: Option<StringMap>,
    pub user_context_data: Option<UserContextData>,
}

#[derive(Debug, Clone)]
pub struct InitiateAuthRequest {
    pub auth_flow: String,
    pub client_id: String,
    pub auth_parameters: StringMap,
    pub client_metadata: Option<StringMap>,
    pub user_context_data: Option<UserContextData>,
    /// ConfirmSignUp's session, which lets USER_AUTH sign the new user in without a password.
    pub session: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RespondToAuthChallengeRequest {
    pub client_id: String,
    pub challenge_name: String,
    pub challenge_responses: StringMap,
    pub session: Option<String>,
    pub client_metadata: Option<StringMap>,
    pub user_context_data: Option<UserContextData>,
}

/// The answer to InitiateAuth and RespondToAuthChallenge: either a next challenge or the tokens.
#[derive(Debug, Clone, Default)]
pub struct AuthResponse {
    pub challenge_name: Option<String>,
    pub session: Option<String>,
    pub challenge_parameters: StringMap,
    pub authentication_result: Option<AuthenticationResult>,
    /// USER_AUTH without a preferred challenge: the first factors the user may choose from.
    pub available_challenges: Vec<String>,
}

#[derive(Debug, Clone, Default)]
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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewDeviceMetadata {
    pub device_key: String,
    pub device_group_key: String,
}

#[derive(Debug, Clone)]
pub struct AccessTokenRequest {
    pub access_token: String,
}

#[derive(Debug, Clone)]
pub struct GetUserResponse {
    pub username: String,
    pub user_attributes: Vec<AttributeType>,
    pub preferred_mfa_setting: Option<String>,
    pub user_mfa_setting_list: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct RevokeTokenRequest {
    pub token: String,
    pub client_id: String,
    pub client_secret: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ForgotPasswordRequest {
    pub client_id: String,
    pub username: String,
    pub secret_hash: Option<String>,
    pub client_metadata: Option<StringMap>,
    pub user_context_data: Option<UserContextData>,
}

/// The answer to ForgotPassword, ResendConfirmationCode and GetUserAttributeVerificationCode.
#[derive(Debug, Clone, Default)]
pub struct CodeDeliveryResponse {
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

#[derive(Debug, Clone)]
pub struct ConfirmForgotPasswordRequest {
    pub client_id: String,
    pub username: String,
    pub confirmation_code: String,
    pub password: String,
    pub secret_hash: Option<String>,
    pub client_metadata: Option<StringMap>,
    pub user_context_data: Option<UserContextData>,
}

#[derive(Debug, Clone)]
pub struct ChangePasswordRequest {
    pub access_token: String,
    pub previous_password: String,
    pub proposed_password: String,
}

#[derive(Debug, Clone)]
pub struct UpdateUserAttributesRequest {
    pub access_token: String,
    pub user_attributes: Vec<AttributeType>,
    pub client_metadata: Option<StringMap>,
}

#[derive(Debug, Clone, Default)]
pub struct UpdateUserAttributesResponse {
    pub code_delivery_details_list: Vec<CodeDeliveryDetails>,
}

#[derive(Debug, Clone)]
pub struct GetUserAttributeVerificationCodeRequest {
    pub access_token: String,
    pub attribute_name: String,
    pub client_metadata: Option<StringMap>,
}

#[derive(Debug, Clone)]
pub struct VerifyUserAttributeRequest {
    pub access_token: String,
    pub attribute_name: String,
    pub code: String,
}

#[derive(Debug, Clone)]
pub struct DeleteUserAttributesRequest {
    pub access_token: String,
    pub user_attribute_names: Vec<String>,
}

/// AssociateSoftwareToken: with an access token when signed in, or with a sign-in's Session during MFA_SETUP.
#[derive(Debug, Clone)]
pub struct AssociateSoftwareTokenRequest {
    pub access_token: Option<String>,
    pub session: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AssociateSoftwareTokenResponse {
    pub secret_code: String,
    pub session: Option<String>,
}

#[derive(Debug, Clone)]
pub struct VerifySoftwareTokenRequest {
    pub access_token: Option<String>,
    pub session: Option<String>,
    pub user_code: String,
    pub friendly_device_name: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct VerifySoftwareTokenResponse {
    pub status: Option<String>,
    pub session: Option<String>,
}

/// One factor's setting in SetUserMFAPreference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MfaSettings {
    pub enabled: bool,
    pub preferred_mfa: bool,
}

#[derive(Debug, Clone)]
pub struct SetUserMfaPreferenceRequest {
    pub access_token: String,
    pub sms: Option<MfaSettings>,
    pub totp: Option<MfaSettings>,
    pub email: Option<MfaSettings>,
}

#[derive(Debug, Clone)]
pub struct DeviceSecretVerifierConfig {
    pub password_verifier: String,
    pub salt: String,
}

#[derive(Debug, Clone)]
pub struct ConfirmDeviceRequest {
    pub access_token: String,
    pub device_key: String,
    pub device_secret_verifier_config: DeviceSecretVerifierConfig,
    pub device_name: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ConfirmDeviceResponse {
    /// True when the pool lets users choose whether to remember devices (UpdateDeviceStatus).
    pub user_confirmation_necessary: bool,
}

#[derive(Debug, Clone)]
pub struct UpdateDeviceStatusRequest {
    pub access_token: String,
    pub device_key: String,
    pub device_remembered_status: String,
}

#[derive(Debug, Clone)]
pub struct ListDevicesRequest {
    pub access_token: String,
    pub limit: Option<u32>,
    pub pagination_token: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ListDevicesResponse {
    pub devices: Vec<DeviceType>,
    pub pagination_token: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct DeviceType {
    pub device_key: String,
    pub device_attributes: Vec<AttributeType>,
    /// Milliseconds since the epoch (Cognito sends seconds with a fraction).
    pub device_create_date: Option<i64>,
    pub device_last_modified_date: Option<i64>,
    pub device_last_authenticated_date: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct ForgetDeviceRequest {
    pub access_token: String,
    pub device_key: String,
}

/// GetTokensFromRefreshToken: refreshes, and rotates the refresh token when the app client is set to.
#[derive(Debug, Clone)]
pub struct GetTokensFromRefreshTokenRequest {
    pub refresh_token: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub device_key: Option<String>,
    pub client_metadata: Option<StringMap>,
}

/// A body with nothing in it that matters: RevokeToken and GlobalSignOut answer `{}`.
#[derive(Debug, Clone, Default)]
pub struct Empty {}

// ------------------------------------------------------------------------------------- bodies as JSON
//
// Requests write only what is set; responses read leniently (see the module documentation).

/// The three pass-through fields most user-pool requests share.
fn with_extras(body: Json, secret_hash: Option<&String>, metadata: Option<&StringMap>, context: Option<&UserContextData>) -> Json {
    body.with_some("SecretHash", secret_hash).with_some("ClientMetadata", metadata).with_some("UserContextData", context)
}

impl ToJson for AttributeType {
    fn to_json(&self) -> Json {
        Json::object().with("Name", &self.name).with("Value", &self.value)
    }
}

impl FromJson for AttributeType {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self { name: v.field("Name")?, value: v.field::<Option<String>>("Value")?.unwrap_or_default() })
    }
}

impl ToJson for UserContextData {
    fn to_json(&self) -> Json {
        Json::object().with("EncodedData", &self.encoded_data)
    }
}

impl FromJson for CodeDeliveryDetails {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self {
            destination: v.field("Destination")?,
            delivery_medium: v.field("DeliveryMedium")?,
            attribute_name: v.field("AttributeName")?,
        })
    }
}

impl ToJson for SignUpRequest {
    fn to_json(&self) -> Json {
        let body = Json::object()
            .with("ClientId", &self.client_id)
            .with("Username", &self.username)
            .with("Password", &self.password)
            .with("UserAttributes", &self.user_attributes);
        with_extras(body, self.secret_hash.as_ref(), self.client_metadata.as_ref(), self.user_context_data.as_ref())
    }
}

impl FromJson for SignUpResponse {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self {
            user_confirmed: v.field("UserConfirmed")?,
            user_sub: v.field("UserSub")?,
            code_delivery_details: v.field("CodeDeliveryDetails")?,
        })
    }
}

impl ToJson for ConfirmSignUpRequest {
    fn to_json(&self) -> Json {
        let body = Json::object()
            .with("ClientId", &self.client_id)
            .with("Username", &self.username)
            .with("ConfirmationCode", &self.confirmation_code);
        with_extras(body, self.secret_hash.as_ref(), self.client_metadata.as_ref(), self.user_context_data.as_ref())
    }
}

impl FromJson for ConfirmSignUpResponse {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self { session: v.field("Session")? })
    }
}

impl ToJson for ResendConfirmationCodeRequest {
    fn to_json(&self) -> Json {
        let body = Json::object().with("ClientId", &self.client_id).with("Username", &self.username);
        with_extras(body, self.secret_hash.as_ref(), self.client_metadata.as_ref(), self.user_context_data.as_ref())
    }
}

impl ToJson for InitiateAuthRequest {
    fn to_json(&self) -> Json {
        let body = Json::object()
            .with("AuthFlow", &self.auth_flow)
            .with("ClientId", &self.client_id)
            .with("AuthParameters", &self.auth_parameters);
        with_extras(body, None, self.client_metadata.as_ref(), self.user_context_data.as_ref()).with_some("Session", self.session.as_ref())
    }
}

impl ToJson for RespondToAuthChallengeRequest {
    fn to_json(&self) -> Json {
        let body = Json::object()
            .with("ClientId", &self.client_id)
            .with("ChallengeName", &self.challenge_name)
            .with("ChallengeResponses", &self.challenge_responses)
            .with_some("Session", self.session.as_ref());
        with_extras(body, None, self.client_metadata.as_ref(), self.user_context_data.as_ref())
    }
}

impl FromJson for AuthResponse {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self {
            challenge_name: v.field("ChallengeName")?,
            session: v.field("Session")?,
            challenge_parameters: v.field("ChallengeParameters")?,
            authentication_result: v.field("AuthenticationResult")?,
            available_challenges: v.field("AvailableChallenges")?,
        })
    }
}

impl FromJson for AuthenticationResult {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self {
            access_token: v.field::<Option<String>>("AccessToken")?.unwrap_or_default(),
            id_token: v.field::<Option<String>>("IdToken")?.unwrap_or_default(),
            refresh_token: v.field("RefreshToken")?,
            expires_in: v.field("ExpiresIn")?,
            token_type: v.field("TokenType")?,
            new_device_metadata: v.field("NewDeviceMetadata")?,
        })
    }
}

impl FromJson for NewDeviceMetadata {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self {
            device_key: v.field::<Option<String>>("DeviceKey")?.unwrap_or_default(),
            device_group_key: v.field::<Option<String>>("DeviceGroupKey")?.unwrap_or_default(),
        })
    }
}

impl ToJson for AccessTokenRequest {
    fn to_json(&self) -> Json {
        Json::object().with("AccessToken", &self.access_token)
    }
}

impl FromJson for GetUserResponse {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self {
            username: v.field("Username")?,
            user_attributes: v.field("UserAttributes")?,
            preferred_mfa_setting: v.field("PreferredMfaSetting")?,
            user_mfa_setting_list: v.field("UserMFASettingList")?,
        })
    }
}

impl ToJson for RevokeTokenRequest {
    fn to_json(&self) -> Json {
        Json::object()
            .with("Token", &self.token)
            .with("ClientId", &self.client_id)
            .with_some("ClientSecret", self.client_secret.as_ref())
    }
}

impl ToJson for ForgotPasswordRequest {
    fn to_json(&self) -> Json {
        let body = Json::object().with("ClientId", &self.client_id).with("Username", &self.username);
        with_extras(body, self.secret_hash.as_ref(), self.client_metadata.as_ref(), self.user_context_data.as_ref())
    }
}

impl FromJson for CodeDeliveryResponse {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self { code_delivery_details: v.field("CodeDeliveryDetails")? })
    }
}

impl ToJson for ConfirmForgotPasswordRequest {
    fn to_json(&self) -> Json {
        let body = Json::object()
            .with("ClientId", &self.client_id)
            .with("Username", &self.username)
            .with("ConfirmationCode", &self.confirmation_code)
            .with("Password", &self.password);
        with_extras(body, self.secret_hash.as_ref(), self.client_metadata.as_ref(), self.user_context_data.as_ref())
    }
}

impl ToJson for ChangePasswordRequest {
    fn to_json(&self) -> Json {
        Json::object()
            .with("AccessToken", &self.access_token)
            .with("PreviousPassword", &self.previous_password)
            .with("ProposedPassword", &self.proposed_password)
    }
}

impl ToJson for UpdateUserAttributesRequest {
    fn to_json(&self) -> Json {
        Json::object()
            .with("AccessToken", &self.access_token)
            .with("UserAttributes", &self.user_attributes)
            .with_some("ClientMetadata", self.client_metadata.as_ref())
    }
}

impl FromJson for UpdateUserAttributesResponse {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self { code_delivery_details_list: v.field("CodeDeliveryDetailsList")? })
    }
}

impl ToJson for GetUserAttributeVerificationCodeRequest {
    fn to_json(&self) -> Json {
        Json::object()
            .with("AccessToken", &self.access_token)
            .with("AttributeName", &self.attribute_name)
            .with_some("ClientMetadata", self.client_metadata.as_ref())
    }
}

impl ToJson for VerifyUserAttributeRequest {
    fn to_json(&self) -> Json {
        Json::object()
            .with("AccessToken", &self.access_token)
            .with("AttributeName", &self.attribute_name)
            .with("Code", &self.code)
    }
}

impl ToJson for DeleteUserAttributesRequest {
    fn to_json(&self) -> Json {
        Json::object()
            .with("AccessToken", &self.access_token)
            .with("UserAttributeNames", self.user_attribute_names.clone())
    }
}

impl ToJson for AssociateSoftwareTokenRequest {
    fn to_json(&self) -> Json {
        Json::object().with_some("AccessToken", self.access_token.as_ref()).with_some("Session", self.session.as_ref())
    }
}

impl FromJson for AssociateSoftwareTokenResponse {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self {
            secret_code: v.field::<Option<String>>("SecretCode")?.unwrap_or_default(),
            session: v.field("Session")?,
        })
    }
}

impl ToJson for VerifySoftwareTokenRequest {
    fn to_json(&self) -> Json {
        Json::object()
            .with_some("AccessToken", self.access_token.as_ref())
            .with_some("Session", self.session.as_ref())
            .with("UserCode", &self.user_code)
            .with_some("FriendlyDeviceName", self.friendly_device_name.as_ref())
    }
}

impl FromJson for VerifySoftwareTokenResponse {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self { status: v.field("Status")?, session: v.field("Session")? })
    }
}

impl ToJson for MfaSettings {
    fn to_json(&self) -> Json {
        Json::object().with("Enabled", self.enabled).with("PreferredMfa", self.preferred_mfa)
    }
}

impl ToJson for SetUserMfaPreferenceRequest {
    fn to_json(&self) -> Json {
        Json::object()
            .with("AccessToken", &self.access_token)
            .with_some("SMSMfaSettings", self.sms.as_ref())
            .with_some("SoftwareTokenMfaSettings", self.totp.as_ref())
            .with_some("EmailMfaSettings", self.email.as_ref())
    }
}

impl ToJson for DeviceSecretVerifierConfig {
    fn to_json(&self) -> Json {
        Json::object().with("PasswordVerifier", &self.password_verifier).with("Salt", &self.salt)
    }
}

impl ToJson for ConfirmDeviceRequest {
    fn to_json(&self) -> Json {
        Json::object()
            .with("AccessToken", &self.access_token)
            .with("DeviceKey", &self.device_key)
            .with("DeviceSecretVerifierConfig", &self.device_secret_verifier_config)
            .with_some("DeviceName", self.device_name.as_ref())
    }
}

impl FromJson for ConfirmDeviceResponse {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self { user_confirmation_necessary: v.field::<Option<bool>>("UserConfirmationNecessary")?.unwrap_or(false) })
    }
}

impl ToJson for UpdateDeviceStatusRequest {
    fn to_json(&self) -> Json {
        Json::object()
            .with("AccessToken", &self.access_token)
            .with("DeviceKey", &self.device_key)
            .with("DeviceRememberedStatus", &self.device_remembered_status)
    }
}

impl ToJson for ListDevicesRequest {
    fn to_json(&self) -> Json {
        Json::object()
            .with("AccessToken", &self.access_token)
            .with_some("Limit", self.limit)
            .with_some("PaginationToken", self.pagination_token.as_ref())
    }
}

impl FromJson for ListDevicesResponse {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self { devices: v.field("Devices")?, pagination_token: v.field("PaginationToken")? })
    }
}

impl FromJson for DeviceType {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        let date = |key: &str| match v.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(d) => epoch_millis(d).map(Some).ok_or_else(|| JsonError::expected("seconds since the epoch").in_field(key)),
        };
        Ok(Self {
            device_key: v.field::<Option<String>>("DeviceKey")?.unwrap_or_default(),
            device_attributes: v.field("DeviceAttributes")?,
            device_create_date: date("DeviceCreateDate")?,
            device_last_modified_date: date("DeviceLastModifiedDate")?,
            device_last_authenticated_date: date("DeviceLastAuthenticatedDate")?,
        })
    }
}

/// Cognito's dates are JSON numbers of seconds, with a fraction (`1700000000.123`) or in exponent form
/// (`1.700000000123E9`). Read to whole milliseconds with integer arithmetic, which keeps float parsing out of
/// the wasm; `None` when the text is not such a number or out of range.
fn epoch_millis(value: &Json) -> Option<i64> {
    let Json::Number(text) = value else { return None };
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (text.get(..at)?, i32::try_from(crate::digits::parse_i64(text.get(at + 1..)?)?).ok()?),
        None => (text.as_str(), 0),
    };
    let (int, frac) = crate::text::split_once(mantissa, b'.').unwrap_or((mantissa, ""));
    let negative = int.starts_with('-');
    let mut digits: i64 = 0;
    for c in crate::text::trim_start_byte(int, b'-').bytes().chain(frac.bytes()) {
        digits = digits.checked_mul(10)?.checked_add(i64::from(c.checked_sub(b'0').filter(|d| *d < 10)?))?;
    }
    // value = digits × 10^(exponent − fraction digits); in milliseconds, three more.
    let scale = exponent.checked_sub(i32::try_from(frac.len()).ok()?)?.checked_add(3)?;
    let millis = if scale >= 0 {
        digits.checked_mul(10_i64.checked_pow(scale.unsigned_abs())?)?
    } else {
        10_i64.checked_pow(scale.unsigned_abs()).map_or(0, |d| digits / d)
    };
    Some(if negative { -millis } else { millis })
}

impl ToJson for ForgetDeviceRequest {
    fn to_json(&self) -> Json {
        Json::object().with("AccessToken", &self.access_token).with("DeviceKey", &self.device_key)
    }
}

impl ToJson for GetTokensFromRefreshTokenRequest {
    fn to_json(&self) -> Json {
        Json::object()
            .with("RefreshToken", &self.refresh_token)
            .with("ClientId", &self.client_id)
            .with_some("ClientSecret", self.client_secret.as_ref())
            .with_some("DeviceKey", self.device_key.as_ref())
            .with_some("ClientMetadata", self.client_metadata.as_ref())
    }
}

impl FromJson for Empty {
    fn from_json(_: &Json) -> Result<Self, JsonError> {
        Ok(Self {})
    }
}

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
            req.to_json().to_text(),
            r#"{"ClientId":"c","Username":"u","Password":"p","UserAttributes":[{"Name":"email","Value":"a@example.com"}]}"#
        );
    }

    #[test]
    fn auth_response_reads_challenge_or_tokens() {
        let read = |text: &str| AuthResponse::from_json(&Json::parse(text).unwrap()).unwrap();
        let challenge =
            read(r#"{"ChallengeName":"PASSWORD_VERIFIER","Session":"s","ChallengeParameters":{"SALT":"ab"},"Extra":1}"#);
        assert_eq!(challenge.challenge_name.as_deref(), Some("PASSWORD_VERIFIER"));
        assert_eq!(challenge.challenge_parameters.get("SALT").map(String::as_str), Some("ab"));
        let tokens = read(
            r#"{"ChallengeParameters":{},"AuthenticationResult":{"AccessToken":"a","IdToken":"i","ExpiresIn":3600,"TokenType":"Bearer"}}"#,
        );
        let result = tokens.authentication_result.unwrap();
        assert_eq!((result.access_token.as_str(), result.refresh_token, result.expires_in), ("a", None, Some(3600)));
    }

    #[test]
    fn wrong_types_in_a_response_are_errors_naming_the_field() {
        let e = AuthResponse::from_json(&Json::parse(r#"{"Session":5}"#).unwrap()).unwrap_err();
        assert_eq!(e.0, "Session: expected a string");
    }

    #[test]
    fn device_dates_read_to_whole_milliseconds() {
        let millis = |text: &str| epoch_millis(&Json::parse(text).unwrap());
        assert_eq!(millis("1700000000"), Some(1_700_000_000_000));
        assert_eq!(millis("1700000000.1239"), Some(1_700_000_000_123));
        assert_eq!(millis("1.700000000123E9"), Some(1_700_000_000_123));
        assert_eq!(millis("1.7e+9"), Some(1_700_000_000_000));
        assert_eq!(millis("-1.5"), Some(-1500));
        assert_eq!(millis("1e300"), None);
        assert_eq!(millis("\"1\""), None);
        let device = DeviceType::from_json(&Json::parse(r#"{"DeviceKey":"k","DeviceCreateDate":1.7E9}"#).unwrap()).unwrap();
        assert_eq!((device.device_create_date, device.device_last_modified_date), (Some(1_700_000_000_000), None));
    }
}

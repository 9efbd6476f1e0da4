//! Request and response bodies, field for field as Cognito's API reference names them.
//!
//! Responses are read leniently (unknown fields ignored, optional fields defaulted) because Cognito adds fields
//! over time; requests carry only what is set.

use super::body::bodies;
use super::json::{FromJson, Json, JsonError, ToJson};

pub use super::string_map::{SortedMap, StringMap};

// One declaration per body (`bodies!`, in body.rs): each field's JSON name sits next to the field, rather than in
// a reader or writer of its own that has to be kept in step with the struct.
bodies! {
    /// One user attribute, `{ "Name": "email", "Value": "a@example.com" }`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct AttributeType: ToJson + FromJson {
        pub name: String = "Name",
        pub value: String = "Value" or default,
    }

    /// Advanced security's device fingerprint, collected by the app (Cognito's `amazon-cognito-advanced-security-data`
    /// script) and passed through untouched.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct UserContextData: ToJson {
        pub encoded_data: String = "EncodedData",
    }

    /// Where a confirmation code was sent.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct CodeDeliveryDetails: FromJson {
        pub destination: Option<String> = "Destination",
        pub delivery_medium: Option<String> = "DeliveryMedium",
        pub attribute_name: Option<String> = "AttributeName",
    }

    #[derive(Debug, Clone)]
    pub struct SignUpRequest: ToJson {
        pub client_id: String = "ClientId",
        pub username: String = "Username",
        pub password: String = "Password",
        pub user_attributes: Vec<AttributeType> = "UserAttributes",
        pub secret_hash: Option<String> = "SecretHash",
        pub client_metadata: Option<StringMap> = "ClientMetadata",
        pub user_context_data: Option<UserContextData> = "UserContextData",
    }

    #[derive(Debug, Clone)]
    pub struct SignUpResponse: FromJson {
        pub user_confirmed: bool = "UserConfirmed",
        pub user_sub: String = "UserSub",
        pub code_delivery_details: Option<CodeDeliveryDetails> = "CodeDeliveryDetails",
    }

    #[derive(Debug, Clone)]
    pub struct ConfirmSignUpRequest: ToJson {
        pub client_id: String = "ClientId",
        pub username: String = "Username",
        pub confirmation_code: String = "ConfirmationCode",
        pub secret_hash: Option<String> = "SecretHash",
        pub client_metadata: Option<StringMap> = "ClientMetadata",
        pub user_context_data: Option<UserContextData> = "UserContextData",
    }

    #[derive(Debug, Clone, Default)]
    pub struct ConfirmSignUpResponse: FromJson {
        /// Lets the confirmed user sign in without the password again (USER_AUTH); absent on older pools.
        pub session: Option<String> = "Session",
    }

    #[derive(Debug, Clone)]
    pub struct ResendConfirmationCodeRequest: ToJson {
        pub client_id: String = "ClientId",
        pub username: String = "Username",
        pub secret_hash: Option<String> = "SecretHash",
        pub client_metadata: Option<StringMap> = "ClientMetadata",
        pub user_context_data: Option<UserContextData> = "UserContextData",
    }

    #[derive(Debug, Clone)]
    pub struct InitiateAuthRequest: ToJson {
        pub auth_flow: String = "AuthFlow",
        pub client_id: String = "ClientId",
        pub auth_parameters: StringMap = "AuthParameters",
        pub client_metadata: Option<StringMap> = "ClientMetadata",
        pub user_context_data: Option<UserContextData> = "UserContextData",
        /// ConfirmSignUp's session, which lets USER_AUTH sign the new user in without a password.
        pub session: Option<String> = "Session",
    }

    #[derive(Debug, Clone)]
    pub struct RespondToAuthChallengeRequest: ToJson {
        pub client_id: String = "ClientId",
        pub challenge_name: String = "ChallengeName",
        pub challenge_responses: StringMap = "ChallengeResponses",
        pub session: Option<String> = "Session",
        pub client_metadata: Option<StringMap> = "ClientMetadata",
        pub user_context_data: Option<UserContextData> = "UserContextData",
    }

    /// The answer to InitiateAuth and RespondToAuthChallenge: either a next challenge or the tokens.
    #[derive(Debug, Clone, Default)]
    pub struct AuthResponse: FromJson {
        pub challenge_name: Option<String> = "ChallengeName",
        pub session: Option<String> = "Session",
        pub challenge_parameters: StringMap = "ChallengeParameters",
        pub authentication_result: Option<AuthenticationResult> = "AuthenticationResult",
        /// USER_AUTH without a preferred challenge: the first factors the user may choose from.
        pub available_challenges: Vec<String> = "AvailableChallenges",
    }

    #[derive(Debug, Clone, Default)]
    pub struct AuthenticationResult: FromJson {
        pub access_token: String = "AccessToken" or default,
        pub id_token: String = "IdToken" or default,
        /// Absent when refreshing with REFRESH_TOKEN_AUTH: the old refresh token stays valid.
        pub refresh_token: Option<String> = "RefreshToken",
        pub expires_in: Option<u64> = "ExpiresIn",
        pub token_type: Option<String> = "TokenType",
        /// Present when the pool tracks devices and this device is new: confirm it with ConfirmDevice.
        pub new_device_metadata: Option<NewDeviceMetadata> = "NewDeviceMetadata",
    }

    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct NewDeviceMetadata: FromJson {
        pub device_key: String = "DeviceKey" or default,
        pub device_group_key: String = "DeviceGroupKey" or default,
    }

    #[derive(Debug, Clone)]
    pub struct AccessTokenRequest: ToJson {
        pub access_token: String = "AccessToken",
    }

    #[derive(Debug, Clone)]
    pub struct GetUserResponse: FromJson {
        pub username: String = "Username",
        pub user_attributes: Vec<AttributeType> = "UserAttributes",
        pub preferred_mfa_setting: Option<String> = "PreferredMfaSetting",
        pub user_mfa_setting_list: Vec<String> = "UserMFASettingList",
    }

    #[derive(Debug, Clone)]
    pub struct RevokeTokenRequest: ToJson {
        pub token: String = "Token",
        pub client_id: String = "ClientId",
        pub client_secret: Option<String> = "ClientSecret",
    }

    #[derive(Debug, Clone)]
    pub struct ForgotPasswordRequest: ToJson {
        pub client_id: String = "ClientId",
        pub username: String = "Username",
        pub secret_hash: Option<String> = "SecretHash",
        pub client_metadata: Option<StringMap> = "ClientMetadata",
        pub user_context_data: Option<UserContextData> = "UserContextData",
    }

    /// The answer to ForgotPassword, ResendConfirmationCode and GetUserAttributeVerificationCode.
    #[derive(Debug, Clone, Default)]
    pub struct CodeDeliveryResponse: FromJson {
        pub code_delivery_details: Option<CodeDeliveryDetails> = "CodeDeliveryDetails",
    }

    #[derive(Debug, Clone)]
    pub struct ConfirmForgotPasswordRequest: ToJson {
        pub client_id: String = "ClientId",
        pub username: String = "Username",
        pub confirmation_code: String = "ConfirmationCode",
        pub password: String = "Password",
        pub secret_hash: Option<String> = "SecretHash",
        pub client_metadata: Option<StringMap> = "ClientMetadata",
        pub user_context_data: Option<UserContextData> = "UserContextData",
    }

    #[derive(Debug, Clone)]
    pub struct ChangePasswordRequest: ToJson {
        pub access_token: String = "AccessToken",
        pub previous_password: String = "PreviousPassword",
        pub proposed_password: String = "ProposedPassword",
    }

    #[derive(Debug, Clone)]
    pub struct UpdateUserAttributesRequest: ToJson {
        pub access_token: String = "AccessToken",
        pub user_attributes: Vec<AttributeType> = "UserAttributes",
        pub client_metadata: Option<StringMap> = "ClientMetadata",
    }

    #[derive(Debug, Clone, Default)]
    pub struct UpdateUserAttributesResponse: FromJson {
        pub code_delivery_details_list: Vec<CodeDeliveryDetails> = "CodeDeliveryDetailsList",
    }

    #[derive(Debug, Clone)]
    pub struct GetUserAttributeVerificationCodeRequest: ToJson {
        pub access_token: String = "AccessToken",
        pub attribute_name: String = "AttributeName",
        pub client_metadata: Option<StringMap> = "ClientMetadata",
    }

    #[derive(Debug, Clone)]
    pub struct VerifyUserAttributeRequest: ToJson {
        pub access_token: String = "AccessToken",
        pub attribute_name: String = "AttributeName",
        pub code: String = "Code",
    }

    #[derive(Debug, Clone)]
    pub struct DeleteUserAttributesRequest: ToJson {
        pub access_token: String = "AccessToken",
        pub user_attribute_names: Vec<String> = "UserAttributeNames",
    }

    /// AssociateSoftwareToken: with an access token when signed in, or with a sign-in's Session during MFA_SETUP.
    #[derive(Debug, Clone)]
    pub struct AssociateSoftwareTokenRequest: ToJson {
        pub access_token: Option<String> = "AccessToken",
        pub session: Option<String> = "Session",
    }

    #[derive(Debug, Clone, Default)]
    pub struct AssociateSoftwareTokenResponse: FromJson {
        pub secret_code: String = "SecretCode" or default,
        pub session: Option<String> = "Session",
    }

    #[derive(Debug, Clone)]
    pub struct VerifySoftwareTokenRequest: ToJson {
        pub access_token: Option<String> = "AccessToken",
        pub session: Option<String> = "Session",
        pub user_code: String = "UserCode",
        pub friendly_device_name: Option<String> = "FriendlyDeviceName",
    }

    #[derive(Debug, Clone, Default)]
    pub struct VerifySoftwareTokenResponse: FromJson {
        pub status: Option<String> = "Status",
        pub session: Option<String> = "Session",
    }

    /// One factor's setting in SetUserMFAPreference.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct MfaSettings: ToJson {
        pub enabled: bool = "Enabled",
        pub preferred_mfa: bool = "PreferredMfa",
    }

    #[derive(Debug, Clone)]
    pub struct SetUserMfaPreferenceRequest: ToJson {
        pub access_token: String = "AccessToken",
        pub sms: Option<MfaSettings> = "SMSMfaSettings",
        pub totp: Option<MfaSettings> = "SoftwareTokenMfaSettings",
        pub email: Option<MfaSettings> = "EmailMfaSettings",
    }

    #[derive(Debug, Clone)]
    pub struct DeviceSecretVerifierConfig: ToJson {
        pub password_verifier: String = "PasswordVerifier",
        pub salt: String = "Salt",
    }

    #[derive(Debug, Clone)]
    pub struct ConfirmDeviceRequest: ToJson {
        pub access_token: String = "AccessToken",
        pub device_key: String = "DeviceKey",
        pub device_secret_verifier_config: DeviceSecretVerifierConfig = "DeviceSecretVerifierConfig",
        pub device_name: Option<String> = "DeviceName",
    }

    #[derive(Debug, Clone, Default)]
    pub struct ConfirmDeviceResponse: FromJson {
        /// True when the pool lets users choose whether to remember devices (UpdateDeviceStatus).
        pub user_confirmation_necessary: bool = "UserConfirmationNecessary" or default,
    }

    #[derive(Debug, Clone)]
    pub struct UpdateDeviceStatusRequest: ToJson {
        pub access_token: String = "AccessToken",
        pub device_key: String = "DeviceKey",
        pub device_remembered_status: String = "DeviceRememberedStatus",
    }

    #[derive(Debug, Clone)]
    pub struct ListDevicesRequest: ToJson {
        pub access_token: String = "AccessToken",
        pub limit: Option<u32> = "Limit",
        pub pagination_token: Option<String> = "PaginationToken",
    }

    #[derive(Debug, Clone, Default)]
    pub struct ListDevicesResponse: FromJson {
        pub devices: Vec<DeviceType> = "Devices",
        pub pagination_token: Option<String> = "PaginationToken",
    }

    #[derive(Debug, Clone)]
    pub struct ForgetDeviceRequest: ToJson {
        pub access_token: String = "AccessToken",
        pub device_key: String = "DeviceKey",
    }

    /// GetTokensFromRefreshToken: refreshes, and rotates the refresh token when the app client is set to.
    #[derive(Debug, Clone)]
    pub struct GetTokensFromRefreshTokenRequest: ToJson {
        pub refresh_token: String = "RefreshToken",
        pub client_id: String = "ClientId",
        pub client_secret: Option<String> = "ClientSecret",
        pub device_key: Option<String> = "DeviceKey",
        pub client_metadata: Option<StringMap> = "ClientMetadata",
    }
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

// ------------------------------------------------------------------------------------------ by hand
//
// What the table does not fit: DeviceType, whose dates are read by `epoch_millis` rather than `Json::field` (a
// reader hook in `bodies!` for one body would be more macro than the impl it saves), and Empty, which reads nothing.

#[derive(Debug, Clone, Default)]
pub struct DeviceType {
    pub device_key: String,
    pub device_attributes: Vec<AttributeType>,
    /// Milliseconds since the epoch (Cognito sends seconds with a fraction).
    pub device_create_date: Option<i64>,
    pub device_last_modified_date: Option<i64>,
    pub device_last_authenticated_date: Option<i64>,
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

/// A body with nothing in it that matters: RevokeToken and GlobalSignOut answer `{}`.
#[derive(Debug, Clone, Default)]
pub struct Empty {}

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

    /// The pass-through run is written by `with_extras` (see `bodies!`): members in declaration order all the same,
    /// with InitiateAuth's Session after it and RespondToAuthChallenge's before it.
    #[test]
    fn pass_through_fields_are_sent_in_declaration_order() {
        let mut metadata = StringMap::new();
        metadata.insert("k".into(), "v".into());
        let context = || Some(UserContextData { encoded_data: "e".into() });
        let initiate = InitiateAuthRequest {
            auth_flow: "USER_AUTH".into(),
            client_id: "c".into(),
            auth_parameters: StringMap::new(),
            client_metadata: Some(metadata.clone()),
            user_context_data: context(),
            session: Some("s".into()),
        };
        assert_eq!(
            initiate.to_json().to_text(),
            concat!(
                r#"{"AuthFlow":"USER_AUTH","ClientId":"c","AuthParameters":{},"ClientMetadata":{"k":"v"},"#,
                r#""UserContextData":{"EncodedData":"e"},"Session":"s"}"#,
            )
        );
        let respond = RespondToAuthChallengeRequest {
            client_id: "c".into(),
            challenge_name: "SMS_MFA".into(),
            challenge_responses: StringMap::new(),
            session: Some("s".into()),
            client_metadata: None,
            user_context_data: context(),
        };
        assert_eq!(
            respond.to_json().to_text(),
            concat!(
                r#"{"ClientId":"c","ChallengeName":"SMS_MFA","ChallengeResponses":{},"Session":"s","#,
                r#""UserContextData":{"EncodedData":"e"}}"#,
            )
        );
        let forgot = ForgotPasswordRequest {
            client_id: "c".into(),
            username: "u".into(),
            secret_hash: Some("h".into()),
            client_metadata: Some(metadata),
            user_context_data: None,
        };
        assert_eq!(
            forgot.to_json().to_text(),
            r#"{"ClientId":"c","Username":"u","SecretHash":"h","ClientMetadata":{"k":"v"}}"#
        );
    }

    #[test]
    fn fields_marked_or_default_may_be_absent_and_others_may_not() {
        let read = |text: &str| AttributeType::from_json(&Json::parse(text).unwrap());
        assert_eq!(read(r#"{"Name":"email"}"#).unwrap().value, "");
        assert_eq!(read(r#"{"Value":"a"}"#).unwrap_err().0, "Name: missing");
        let e = SignUpResponse::from_json(&Json::parse(r#"{"UserConfirmed":true}"#).unwrap()).unwrap_err();
        assert_eq!(e.0, "UserSub: missing");
        let confirm = ConfirmDeviceResponse::from_json(&Json::parse(r#"{"UserConfirmationNecessary":null}"#).unwrap());
        assert!(!confirm.unwrap().user_confirmation_necessary);
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

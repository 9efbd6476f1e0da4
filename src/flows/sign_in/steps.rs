//! What a sign-in waits for, and how that is shown to the app as its next step.
//!
//! [`Waiting`] is the state that survives a page reload (it is stored with the pending sign-in); [`NextStep`] is
//! derived from it, so a reloaded page shows exactly the step the user left.

use crate::protocol::types::{CodeDeliveryDetails, StringMap};
use crate::protocol::{FromJson, Json, JsonError, ToJson};

use super::super::Error;

/// A second factor, named as Amplify names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaType {
    Sms,
    Totp,
    Email,
}

impl MfaType {
    /// The challenge Cognito sends for this factor.
    #[must_use]
    pub const fn challenge(self) -> &'static str {
        match self {
            Self::Sms => "SMS_MFA",
            Self::Totp => "SOFTWARE_TOKEN_MFA",
            Self::Email => "EMAIL_OTP",
        }
    }

    #[must_use]
    pub fn from_challenge(name: &str) -> Option<Self> {
        match name {
            "SMS_MFA" => Some(Self::Sms),
            "SOFTWARE_TOKEN_MFA" => Some(Self::Totp),
            "EMAIL_OTP" => Some(Self::Email),
            _ => None,
        }
    }

    /// `SMS`, `TOTP` or `EMAIL`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Sms => "SMS",
            Self::Totp => "TOTP",
            Self::Email => "EMAIL",
        }
    }

    /// Reads `SMS`, `TOTP` or `EMAIL` (the app's answer to a selection).
    pub fn parse(name: &str) -> Result<Self, Error> {
        match name.trim().to_ascii_uppercase().as_str() {
            "SMS" | "SMS_MFA" => Ok(Self::Sms),
            "TOTP" | "SOFTWARE_TOKEN_MFA" => Ok(Self::Totp),
            "EMAIL" | "EMAIL_OTP" => Ok(Self::Email),
            _ => Err(Error::InvalidParameter(["\"", name, "\" is not an MFA type: use 'SMS', 'TOTP' or 'EMAIL'"].concat())),
        }
    }

    /// The factors named in a JSON-string list of challenge names (MFAS_CAN_CHOOSE, MFAS_CAN_SETUP).
    #[must_use]
    pub fn list_from_json(json: Option<&String>) -> Vec<Self> {
        Self::list(&json_strings(json))
    }

    /// The factors among challenge names, unknown names skipped. A loop rather than `filter_map` and `collect`,
    /// shared by the callers: less wasm.
    #[must_use]
    pub fn list(names: &[String]) -> Vec<Self> {
        let mut types = Vec::new();
        for name in names {
            if let Some(t) = Self::from_challenge(name) {
                types.push(t);
            }
        }
        types
    }
}

/// The strings of a challenge parameter that holds a JSON list of strings (`["SMS_MFA","SOFTWARE_TOKEN_MFA"]`);
/// empty when absent or unreadable, as Cognito only sends such lists when they matter.
pub fn json_strings(json: Option<&String>) -> Vec<String> {
    json.and_then(|j| Json::parse(j).ok()).and_then(|v| Vec::from_json(&v).ok()).unwrap_or_default()
}

/// What a pending sign-in waits for from the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Waiting {
    /// A Cognito challenge answered by the user: NEW_PASSWORD_REQUIRED, SMS_MFA, EMAIL_OTP, SMS_OTP,
    /// SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE, CUSTOM_CHALLENGE.
    Challenge { name: String, parameters: StringMap },
    /// SELECT_CHALLENGE (USER_AUTH): the first factors the user may choose.
    FirstFactorSelection { available: Vec<String> },
    /// A first factor was chosen that needs the password (PASSWORD, or PASSWORD_SRP when `srp`).
    Password { srp: bool },
    /// MFA_SETUP with more than one factor to choose from.
    MfaSetupSelection { allowed: Vec<MfaType> },
    /// MFA_SETUP for TOTP: the secret is associated; the first code from the authenticator app is awaited.
    TotpSetup { secret: String },
    /// MFA_SETUP for email: the address to send codes to is awaited.
    EmailSetup,
}

/// What the app should do next to finish signing in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    /// Signed in.
    Done,
    /// `CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED`: a new password, and the required attributes still missing.
    NewPasswordRequired { missing_attributes: Vec<String> },
    /// `CONFIRM_SIGN_IN_WITH_SMS_CODE`.
    SmsCode { delivery: CodeDeliveryDetails },
    /// `CONFIRM_SIGN_IN_WITH_EMAIL_CODE`.
    EmailCode { delivery: CodeDeliveryDetails },
    /// `CONFIRM_SIGN_IN_WITH_TOTP_CODE`.
    TotpCode,
    /// `CONTINUE_SIGN_IN_WITH_MFA_SELECTION`.
    MfaSelection { allowed: Vec<MfaType> },
    /// `CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION`.
    MfaSetupSelection { allowed: Vec<MfaType> },
    /// `CONTINUE_SIGN_IN_WITH_TOTP_SETUP`: show the secret (or its URI as a QR code), then confirm with a code.
    TotpSetup { shared_secret: String, setup_uri: String },
    /// `CONTINUE_SIGN_IN_WITH_EMAIL_SETUP`: the email address for codes.
    EmailSetup,
    /// `CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE`, with what the pool's create-challenge trigger made public.
    CustomChallenge { parameters: StringMap },
    /// `CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION`.
    FirstFactorSelection { available: Vec<String> },
    /// `CONFIRM_SIGN_IN_WITH_PASSWORD`.
    Password,
}

impl NextStep {
    /// The step's name, as Amplify v6 names it.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Done => "DONE",
            Self::NewPasswordRequired { .. } => "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED",
            Self::SmsCode { .. } => "CONFIRM_SIGN_IN_WITH_SMS_CODE",
            Self::EmailCode { .. } => "CONFIRM_SIGN_IN_WITH_EMAIL_CODE",
            Self::TotpCode => "CONFIRM_SIGN_IN_WITH_TOTP_CODE",
            Self::MfaSelection { .. } => "CONTINUE_SIGN_IN_WITH_MFA_SELECTION",
            Self::MfaSetupSelection { .. } => "CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION",
            Self::TotpSetup { .. } => "CONTINUE_SIGN_IN_WITH_TOTP_SETUP",
            Self::EmailSetup => "CONTINUE_SIGN_IN_WITH_EMAIL_SETUP",
            Self::CustomChallenge { .. } => "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE",
            Self::FirstFactorSelection { .. } => "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION",
            Self::Password => "CONFIRM_SIGN_IN_WITH_PASSWORD",
        }
    }
}

/// The challenges a user answers through `confirmSignIn`.
pub const USER_ANSWERED: [&str; 7] = [
    "NEW_PASSWORD_REQUIRED",
    "SMS_MFA",
    "EMAIL_OTP",
    "SMS_OTP",
    "SOFTWARE_TOKEN_MFA",
    "SELECT_MFA_TYPE",
    "CUSTOM_CHALLENGE",
];

impl Waiting {
    /// The step to show for this state. `account` names the user in TOTP set-up URIs; `app_name` is the issuer.
    #[must_use]
    pub fn next_step(&self, account: &str, app_name: &str) -> NextStep {
        match self {
            Self::Challenge { name, parameters } => challenge_step(name, parameters),
            Self::FirstFactorSelection { available } => NextStep::FirstFactorSelection { available: available.clone() },
            Self::Password { .. } => NextStep::Password,
            Self::MfaSetupSelection { allowed } => NextStep::MfaSetupSelection { allowed: allowed.clone() },
            Self::TotpSetup { secret } => {
                NextStep::TotpSetup { shared_secret: secret.clone(), setup_uri: totp_setup_uri(app_name, account, secret) }
            }
            Self::EmailSetup => NextStep::EmailSetup,
        }
    }
}

fn challenge_step(name: &str, parameters: &StringMap) -> NextStep {
    let delivery = || CodeDeliveryDetails {
        destination: parameters.get("CODE_DELIVERY_DESTINATION").cloned(),
        delivery_medium: parameters.get("CODE_DELIVERY_DELIVERY_MEDIUM").cloned(),
        attribute_name: None,
    };
    match name {
        "NEW_PASSWORD_REQUIRED" => {
            let required = json_strings(parameters.get("requiredAttributes"));
            let missing_attributes =
                required.iter().map(|a| a.strip_prefix("userAttributes.").unwrap_or(a).to_owned()).collect();
            NextStep::NewPasswordRequired { missing_attributes }
        }
        "SMS_MFA" | "SMS_OTP" => NextStep::SmsCode { delivery: delivery() },
        "EMAIL_OTP" => NextStep::EmailCode { delivery: delivery() },
        "SOFTWARE_TOKEN_MFA" => NextStep::TotpCode,
        "SELECT_MFA_TYPE" => NextStep::MfaSelection { allowed: MfaType::list_from_json(parameters.get("MFAS_CAN_CHOOSE")) },
        _ => NextStep::CustomChallenge { parameters: parameters.clone() },
    }
}

/// `otpauth://totp/<issuer>:<account>?secret=<secret>&issuer=<issuer>`, the URI authenticator apps scan.
#[must_use]
pub fn totp_setup_uri(issuer: &str, account: &str, secret: &str) -> String {
    let issuer = percent_encode(issuer);
    ["otpauth://totp/", &issuer, ":", &percent_encode(account), "?secret=", secret, "&issuer=", &issuer].concat()
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            // By hand rather than `format!("%{b:02X}")`: no hex formatting code or string per byte.
            let digit = |n: u8| char::from(if n < 10 { b'0' + n } else { b'A' + n - 10 });
            out.push('%');
            out.push(digit(b >> 4));
            out.push(digit(b & 15));
        }
    }
    out
}

// Stored with the pending sign-in as earlier versions wrote it: `kind` names the variant.

impl ToJson for MfaType {
    fn to_json(&self) -> Json {
        Json::from(match self {
            Self::Sms => "Sms",
            Self::Totp => "Totp",
            Self::Email => "Email",
        })
    }
}

impl FromJson for MfaType {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        match v.as_str() {
            Some("Sms") => Ok(Self::Sms),
            Some("Totp") => Ok(Self::Totp),
            Some("Email") => Ok(Self::Email),
            _ => Err(JsonError::expected("Sms, Totp or Email")),
        }
    }
}

impl ToJson for Waiting {
    fn to_json(&self) -> Json {
        let tagged = |kind: &str| Json::object().with("kind", kind);
        match self {
            Self::Challenge { name, parameters } => tagged("Challenge").with("name", name).with("parameters", parameters),
            Self::FirstFactorSelection { available } => {
                tagged("FirstFactorSelection").with("available", available.clone())
            }
            Self::Password { srp } => tagged("Password").with("srp", *srp),
            Self::MfaSetupSelection { allowed } => tagged("MfaSetupSelection").with("allowed", allowed),
            Self::TotpSetup { secret } => tagged("TotpSetup").with("secret", secret),
            Self::EmailSetup => tagged("EmailSetup"),
        }
    }
}

impl FromJson for Waiting {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(match v.field::<String>("kind")?.as_str() {
            "Challenge" => Self::Challenge { name: v.field("name")?, parameters: v.field("parameters")? },
            "FirstFactorSelection" => Self::FirstFactorSelection { available: v.field("available")? },
            "Password" => Self::Password { srp: v.field("srp")? },
            "MfaSetupSelection" => Self::MfaSetupSelection { allowed: v.field("allowed")? },
            "TotpSetup" => Self::TotpSetup { secret: v.field("secret")? },
            "EmailSetup" => Self::EmailSetup,
            _ => return Err(JsonError::expected("a known kind").in_field("kind")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unreserved characters pass; every other byte, UTF-8 included, is `%` and two upper-case hex digits.
    #[test]
    fn percent_encoding_escapes_all_but_unreserved() {
        assert_eq!(percent_encode("aZ09-._~"), "aZ09-._~");
        assert_eq!(percent_encode("My App/é:\u{0}\u{7f}"), "My%20App%2F%C3%A9%3A%00%7F");
    }

    #[test]
    fn new_password_step_lists_missing_attributes_without_prefix() {
        let parameters = StringMap::from([(
            "requiredAttributes".to_owned(),
            r#"["userAttributes.given_name","userAttributes.family_name"]"#.to_owned(),
        )]);
        let step = Waiting::Challenge { name: "NEW_PASSWORD_REQUIRED".into(), parameters }.next_step("u", "App");
        assert_eq!(step, NextStep::NewPasswordRequired { missing_attributes: vec!["given_name".into(), "family_name".into()] });
        assert_eq!(step.name(), "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED");
    }

    #[test]
    fn mfa_selection_reads_cognitos_json_list() {
        let parameters =
            StringMap::from([("MFAS_CAN_CHOOSE".to_owned(), r#"["SMS_MFA","SOFTWARE_TOKEN_MFA"]"#.to_owned())]);
        let step = Waiting::Challenge { name: "SELECT_MFA_TYPE".into(), parameters }.next_step("u", "App");
        assert_eq!(step, NextStep::MfaSelection { allowed: vec![MfaType::Sms, MfaType::Totp] });
    }

    #[test]
    fn totp_uri_is_percent_encoded() {
        assert_eq!(
            totp_setup_uri("My App", "a@b.c", "JBSWY3DP"),
            "otpauth://totp/My%20App:a%40b.c?secret=JBSWY3DP&issuer=My%20App"
        );
    }

    #[test]
    fn mfa_type_names_round_trip() {
        for t in [MfaType::Sms, MfaType::Totp, MfaType::Email] {
            assert_eq!(MfaType::parse(t.name()).unwrap(), t);
            assert_eq!(MfaType::from_challenge(t.challenge()), Some(t));
        }
        assert!(MfaType::parse("VOICE").is_err());
    }
}

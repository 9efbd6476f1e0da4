//! The signed-in user's second factors: TOTP set-up and MFA preferences.

use crate::protocol::types::{
    AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, GetUserResponse, MfaSettings,
    SetUserMfaPreferenceRequest, VerifySoftwareTokenRequest, VerifySoftwareTokenResponse,
};
use crate::protocol::{call, Json, Operation, ToJson};

use super::current::signed_in;
use super::error::require;
use super::one_request::{read, OneRequest};
use super::sign_in::steps::totp_setup_uri;
use super::sign_in::MfaType;
use super::{Config, Error, Platform};

/// A TOTP secret to show the user, as text and as an `otpauth://` URI for a QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpSetup {
    pub shared_secret: String,
    pub setup_uri: String,
}

/// AssociateSoftwareToken for the signed-in user.
pub async fn set_up_totp<P: Platform>(p: &P, config: &Config) -> Result<TotpSetup, Error> {
    let session = signed_in(p, config).await?;
    let request = AssociateSoftwareTokenRequest { access_token: Some(session.tokens.access_token.clone()), session: None };
    let response: AssociateSoftwareTokenResponse = call(p, Operation::AssociateSoftwareToken, &request).await?;
    if response.secret_code.is_empty() {
        return Err(Error::Protocol("AssociateSoftwareToken answered without a SecretCode".into()));
    }
    let account = session.id_claims.string("cognito:username").unwrap_or(&session.username);
    let setup_uri = totp_setup_uri(&config.app_name, account, &response.secret_code);
    Ok(TotpSetup { shared_secret: response.secret_code, setup_uri })
}

/// VerifySoftwareToken with the first code from the authenticator app ([`totp_verified`] reads the answer).
pub fn verify_totp_setup(code: &str, friendly_device_name: Option<String>) -> Result<OneRequest, Error> {
    require("code", code)?;
    let user_code = code.trim().to_owned();
    Ok(OneRequest::for_user(Operation::VerifySoftwareToken, move |access_token| {
        VerifySoftwareTokenRequest { access_token: Some(access_token), session: None, user_code, friendly_device_name }
            .to_json()
    }))
}

/// Whether VerifySoftwareToken's answer says the code was right.
pub fn totp_verified(answer: &Json) -> Result<(), Error> {
    let response: VerifySoftwareTokenResponse = read(Operation::VerifySoftwareToken, answer)?;
    match response.status.as_deref() {
        None | Some("SUCCESS") => Ok(()),
        Some(other) => Err(Error::Protocol(["VerifySoftwareToken answered ", other].concat())),
    }
}

/// One factor's wished state, as Amplify names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preference {
    Enabled,
    Disabled,
    Preferred,
    NotPreferred,
}

impl Preference {
    pub fn parse(name: &str) -> Result<Self, Error> {
        match name {
            "ENABLED" => Ok(Self::Enabled),
            "DISABLED" => Ok(Self::Disabled),
            "PREFERRED" => Ok(Self::Preferred),
            "NOT_PREFERRED" => Ok(Self::NotPreferred),
            other => Err(Error::InvalidParameter([
                "\"", other, "\" is not one of ENABLED, DISABLED, PREFERRED, NOT_PREFERRED",
            ]
            .concat())),
        }
    }

    const fn settings(self) -> MfaSettings {
        match self {
            Self::Enabled | Self::NotPreferred => MfaSettings { enabled: true, preferred_mfa: false },
            Self::Disabled => MfaSettings { enabled: false, preferred_mfa: false },
            Self::Preferred => MfaSettings { enabled: true, preferred_mfa: true },
        }
    }
}

/// SetUserMFAPreference; factors left `None` are not changed.
pub fn update_mfa_preference(
    sms: Option<Preference>,
    totp: Option<Preference>,
    email: Option<Preference>,
) -> Result<OneRequest, Error> {
    if sms.is_none() && totp.is_none() && email.is_none() {
        return Err(Error::InvalidParameter("name at least one of sms, totp, email".into()));
    }
    let [sms, totp, email] = [sms, totp, email].map(|p| p.map(Preference::settings));
    Ok(OneRequest::for_user(Operation::SetUserMFAPreference, move |access_token| {
        SetUserMfaPreferenceRequest { access_token, sms, totp, email }.to_json()
    }))
}

/// The user's enabled second factors and the preferred one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaPreference {
    pub enabled: Vec<MfaType>,
    pub preferred: Option<MfaType>,
}

/// The MFA settings, from GetUser's answer (`account::get_user`).
pub fn mfa_preference(answer: &Json) -> Result<MfaPreference, Error> {
    let user: GetUserResponse = read(Operation::GetUser, answer)?;
    Ok(MfaPreference {
        enabled: MfaType::list(&user.user_mfa_setting_list),
        preferred: user.preferred_mfa_setting.as_deref().and_then(MfaType::from_challenge),
    })
}


//! The signed-in user's second factors: TOTP set-up and MFA preferences.

use crate::protocol::types::{
    AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, Empty, MfaSettings,
    SetUserMfaPreferenceRequest, VerifySoftwareTokenRequest, VerifySoftwareTokenResponse,
};
use crate::protocol::{call, Operation};

use super::account::get_user;
use super::current::{access_token, signed_in};
use super::error::require;
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

/// VerifySoftwareToken with the first code from the authenticator app.
pub async fn verify_totp_setup<P: Platform>(
    p: &P,
    config: &Config,
    code: &str,
    friendly_device_name: Option<String>,
) -> Result<(), Error> {
    require("code", code)?;
    let access_token = access_token(p, config).await?;
    let request = VerifySoftwareTokenRequest {
        access_token: Some(access_token),
        session: None,
        user_code: code.trim().to_owned(),
        friendly_device_name,
    };
    let response: VerifySoftwareTokenResponse = call(p, Operation::VerifySoftwareToken, &request).await?;
    match response.status.as_deref() {
        None | Some("SUCCESS") => Ok(()),
        Some(other) => Err(Error::Protocol(format!("VerifySoftwareToken answered {other}"))),
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
pub async fn update_mfa_preference<P: Platform>(
    p: &P,
    config: &Config,
    sms: Option<Preference>,
    totp: Option<Preference>,
    email: Option<Preference>,
) -> Result<(), Error> {
    if sms.is_none() && totp.is_none() && email.is_none() {
        return Err(Error::InvalidParameter("name at least one of sms, totp, email".into()));
    }
    let access_token = access_token(p, config).await?;
    let request = SetUserMfaPreferenceRequest {
        access_token,
        sms: sms.map(Preference::settings),
        totp: totp.map(Preference::settings),
        email: email.map(Preference::settings),
    };
    let _: Empty = call(p, Operation::SetUserMFAPreference, &request).await?;
    Ok(())
}

/// The user's enabled second factors and the preferred one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaPreference {
    pub enabled: Vec<MfaType>,
    pub preferred: Option<MfaType>,
}

/// Reads the MFA settings from GetUser.
pub async fn fetch_mfa_preference<P: Platform>(p: &P, config: &Config) -> Result<MfaPreference, Error> {
    let user = get_user(p, config).await?;
    Ok(MfaPreference {
        enabled: MfaType::list(&user.user_mfa_setting_list),
        preferred: user.preferred_mfa_setting.as_deref().and_then(MfaType::from_challenge),
    })
}


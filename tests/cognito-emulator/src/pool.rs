//! Per-pool settings: what a test configures through `POST /__emulator__/pools` (MFA, device tracking,
//! required attributes, choice-based first factors, the custom-auth rules that stand in for the Lambda
//! triggers) and the app clients (secret, refresh-token rotation).
//!
//! Every field of the request is optional, so a test names only what it cares about; the defaults are those
//! of a new Cognito pool as this emulator always behaved (MFA off, no device tracking, password only).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::util;

/// The pool's MFA enforcement (`MfaConfiguration`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MfaMode {
    #[default]
    Off,
    Optional,
    On,
}

/// A second factor, named as Cognito names the challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MfaType {
    SmsMfa,
    SoftwareTokenMfa,
    EmailOtp,
}

impl MfaType {
    pub const ALL: [MfaType; 3] = [
        MfaType::SmsMfa,
        MfaType::SoftwareTokenMfa,
        MfaType::EmailOtp,
    ];

    pub fn name(self) -> &'static str {
        match self {
            MfaType::SmsMfa => "SMS_MFA",
            MfaType::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA",
            MfaType::EmailOtp => "EMAIL_OTP",
        }
    }

    pub fn from_name(name: &str) -> Option<MfaType> {
        MfaType::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// `DeviceConfiguration`: OFF (no tracking), ALWAYS (every confirmed device is remembered) or USER_OPT_IN
/// (remembered only after UpdateDeviceStatus).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeviceTracking {
    #[default]
    Off,
    Always,
    UserOptIn,
}

/// First factors of choice-based sign-in (USER_AUTH). PASSWORD stands for both PASSWORD and PASSWORD_SRP,
/// as in the pool's `AllowedFirstAuthFactors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FirstFactor {
    Password,
    EmailOtp,
    SmsOtp,
}

/// An attribute users may sign in with: the pool's `UsernameAttributes` (email, phone_number: the
/// attribute *is* the sign-in name, the internal username is a UUID) or `AliasAttributes` (email,
/// phone_number, preferred_username: an alias for a chosen username).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInAttribute {
    Email,
    PhoneNumber,
    PreferredUsername,
}

impl SignInAttribute {
    /// The user attribute's name.
    pub fn name(self) -> &'static str {
        match self {
            SignInAttribute::Email => "email",
            SignInAttribute::PhoneNumber => "phone_number",
            SignInAttribute::PreferredUsername => "preferred_username",
        }
    }

    pub fn from_name(name: &str) -> Option<SignInAttribute> {
        [
            SignInAttribute::Email,
            SignInAttribute::PhoneNumber,
            SignInAttribute::PreferredUsername,
        ]
        .into_iter()
        .find(|a| a.name() == name)
    }
}

/// One CUSTOM_CHALLENGE round: the public parameters "create auth challenge" would return and the answer
/// "verify auth challenge" accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomRound {
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
    pub answer: String,
}

/// The rules that replace the define/create/verify auth challenge Lambda triggers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CustomAuth {
    pub challenges: Vec<CustomRound>,
    /// Wrong answers allowed per round before the sign-in fails (a typical define trigger allows 3).
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
}

fn default_max_attempts() -> u32 {
    3
}

/// An app client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientConfig {
    pub client_id: String,
    pub secret: Option<String>,
    /// RefreshTokenRotation Feature ENABLED: REFRESH_TOKEN_AUTH is refused, GetTokensFromRefreshToken rotates.
    #[serde(default)]
    pub refresh_token_rotation: bool,
    #[serde(default)]
    pub retry_grace_period_seconds: u64,
    /// The managed-login settings (`CallbackURLs`, `LogoutURLs`, `AllowedOAuthFlows`, …).
    #[serde(default)]
    pub oauth: OAuthClient,
}

impl ClientConfig {
    pub fn public(client_id: &str) -> ClientConfig {
        ClientConfig {
            client_id: client_id.to_string(),
            secret: None,
            refresh_token_rotation: false,
            retry_grace_period_seconds: 0,
            oauth: OAuthClient::default(),
        }
    }
}

/// An OAuth 2.0 grant a client may use (`AllowedOAuthFlows`: `code`, `implicit`, `client_credentials`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OAuthFlow {
    Code,
    Implicit,
    ClientCredentials,
}

/// An app client's managed-login settings. A client without callback URLs cannot use `/oauth2/authorize`,
/// as in Cognito, where `CallbackURLs` must list every `redirect_uri` exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuthClient {
    pub callback_urls: Vec<String>,
    pub logout_urls: Vec<String>,
    pub flows: Vec<OAuthFlow>,
    pub scopes: Vec<String>,
    /// `SupportedIdentityProviders`: `COGNITO` (the pool's own users) and the names of the pool's providers.
    pub identity_providers: Vec<String>,
}

impl Default for OAuthClient {
    fn default() -> Self {
        OAuthClient {
            callback_urls: Vec::new(),
            logout_urls: Vec::new(),
            flows: vec![OAuthFlow::Code],
            scopes: [
                "openid",
                "email",
                "phone",
                "profile",
                "aws.cognito.signin.user.admin",
            ]
            .map(String::from)
            .to_vec(),
            identity_providers: vec!["COGNITO".into()],
        }
    }
}

/// The kind of a federated identity provider (`ProviderType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProviderType {
    Google,
    Facebook,
    SignInWithApple,
    LoginWithAmazon,
    #[serde(rename = "OIDC")]
    Oidc,
    #[serde(rename = "SAML")]
    Saml,
}

impl ProviderType {
    pub fn name(self) -> &'static str {
        match self {
            ProviderType::Google => "Google",
            ProviderType::Facebook => "Facebook",
            ProviderType::SignInWithApple => "SignInWithApple",
            ProviderType::LoginWithAmazon => "LoginWithAmazon",
            ProviderType::Oidc => "OIDC",
            ProviderType::Saml => "SAML",
        }
    }
}

/// A pool's identity provider. The social ones are named after their type, as Cognito requires
/// (`Google`, `Facebook`, …); OIDC and SAML providers have a name of their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IdentityProvider {
    pub name: String,
    #[serde(rename = "type")]
    pub provider_type: ProviderType,
    /// User-pool attribute → the provider's claim (`AttributeMapping`). Without it: `email` → `email`
    /// and `name` → `name`.
    #[serde(default)]
    pub attribute_mapping: BTreeMap<String, String>,
}

/// How a pool behaves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolConfig {
    pub mfa: MfaMode,
    pub mfa_types: Vec<MfaType>,
    pub device_tracking: DeviceTracking,
    /// `None`: the historical rule of this emulator, an email or a phone number is required.
    pub required_attributes: Option<Vec<String>>,
    pub first_auth_factors: Vec<FirstFactor>,
    pub custom_auth: Option<CustomAuth>,
    pub prevent_user_existence_errors: bool,
    /// `UsernameAttributes`: users sign up and in with one of these; their username is a UUID (the sub).
    #[serde(default)]
    pub username_attributes: Vec<SignInAttribute>,
    /// `AliasAttributes`: users have a chosen username and may also sign in with a verified alias.
    #[serde(default)]
    pub alias_attributes: Vec<SignInAttribute>,
    #[serde(default)]
    pub identity_providers: Vec<IdentityProvider>,
}

impl Default for PoolConfig {
    fn default() -> Self {
        PoolConfig {
            mfa: MfaMode::Off,
            mfa_types: MfaType::ALL.to_vec(),
            device_tracking: DeviceTracking::Off,
            required_attributes: None,
            first_auth_factors: vec![FirstFactor::Password],
            custom_auth: None,
            prevent_user_existence_errors: false,
            username_attributes: Vec::new(),
            alias_attributes: Vec::new(),
            identity_providers: Vec::new(),
        }
    }
}

impl PoolConfig {
    pub fn offers(&self, t: MfaType) -> bool {
        self.mfa_types.contains(&t)
    }

    pub fn identity_provider(&self, name: &str) -> Option<&IdentityProvider> {
        self.identity_providers.iter().find(|p| p.name == name)
    }
}

/// The body of `POST /__emulator__/pools`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PoolRequest {
    pub mfa: Option<MfaMode>,
    pub mfa_types: Option<Vec<MfaType>>,
    pub device_tracking: Option<DeviceTracking>,
    pub required_attributes: Option<Vec<String>>,
    pub first_auth_factors: Option<Vec<FirstFactor>>,
    pub custom_auth: Option<CustomAuth>,
    pub prevent_user_existence_errors: Option<bool>,
    pub username_attributes: Option<Vec<SignInAttribute>>,
    pub alias_attributes: Option<Vec<SignInAttribute>>,
    pub identity_providers: Option<Vec<IdentityProvider>>,
    pub clients: Option<Vec<ClientRequest>>,
}

/// One entry of `clients` in `POST /__emulator__/pools`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ClientRequest {
    #[serde(default)]
    pub secret: bool,
    #[serde(default)]
    pub refresh_token_rotation: bool,
    #[serde(default)]
    pub retry_grace_period_seconds: u64,
    /// Managed-login settings; each field left out keeps its default (see [`OAuthClient`]).
    #[serde(default)]
    pub oauth: OAuthClientRequest,
}

/// `oauth` of one client in `POST /__emulator__/pools`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OAuthClientRequest {
    pub callback_urls: Option<Vec<String>>,
    pub logout_urls: Option<Vec<String>>,
    pub flows: Option<Vec<OAuthFlow>>,
    pub scopes: Option<Vec<String>>,
    pub identity_providers: Option<Vec<String>>,
}

impl OAuthClientRequest {
    fn build(self) -> OAuthClient {
        let d = OAuthClient::default();
        OAuthClient {
            callback_urls: self.callback_urls.unwrap_or(d.callback_urls),
            logout_urls: self.logout_urls.unwrap_or(d.logout_urls),
            flows: self.flows.unwrap_or(d.flows),
            scopes: self.scopes.unwrap_or(d.scopes),
            identity_providers: self.identity_providers.unwrap_or(d.identity_providers),
        }
    }
}

/// Why a pool request was refused (reported as a 400 with this message).
#[derive(Debug, PartialEq, Eq)]
pub struct PoolRequestError(pub String);

impl PoolRequest {
    /// Turns the request into a configuration and freshly generated clients.
    pub fn build(self) -> Result<(PoolConfig, Vec<ClientConfig>), PoolRequestError> {
        let defaults = PoolConfig::default();
        let config = PoolConfig {
            mfa: self.mfa.unwrap_or(defaults.mfa),
            mfa_types: self.mfa_types.unwrap_or(defaults.mfa_types),
            device_tracking: self.device_tracking.unwrap_or(defaults.device_tracking),
            required_attributes: self.required_attributes,
            first_auth_factors: self
                .first_auth_factors
                .unwrap_or(defaults.first_auth_factors),
            custom_auth: self.custom_auth,
            prevent_user_existence_errors: self.prevent_user_existence_errors.unwrap_or(false),
            username_attributes: self.username_attributes.unwrap_or_default(),
            alias_attributes: self.alias_attributes.unwrap_or_default(),
            identity_providers: self.identity_providers.unwrap_or_default(),
        };
        check_identity_providers(&config.identity_providers).map_err(PoolRequestError)?;
        check_sign_in_attributes(&config.username_attributes, &config.alias_attributes)
            .map_err(PoolRequestError)?;
        if config.mfa == MfaMode::On && config.mfa_types.is_empty() {
            return Err(PoolRequestError(
                "mfa ON needs at least one entry in mfaTypes".into(),
            ));
        }
        if config.first_auth_factors.is_empty() {
            return Err(PoolRequestError(
                "firstAuthFactors must not be empty".into(),
            ));
        }
        if let Some(grace) = self
            .clients
            .iter()
            .flatten()
            .map(|c| c.retry_grace_period_seconds)
            .find(|g| *g > 60)
        {
            return Err(PoolRequestError(format!(
                "retryGracePeriodSeconds must be 0-60, got {grace}"
            )));
        }
        let requests = self
            .clients
            .unwrap_or_else(|| vec![ClientRequest::default()]);
        if requests.is_empty() {
            return Err(PoolRequestError("clients must not be empty".into()));
        }
        let clients: Vec<ClientConfig> = requests
            .into_iter()
            .map(|c| ClientConfig {
                client_id: util::random_lower_alnum(26),
                secret: c.secret.then(|| util::random_secret(51)),
                refresh_token_rotation: c.refresh_token_rotation,
                retry_grace_period_seconds: c.retry_grace_period_seconds,
                oauth: c.oauth.build(),
            })
            .collect();
        for c in &clients {
            check_oauth_client(&config, c).map_err(PoolRequestError)?;
        }
        Ok((config, clients))
    }
}

/// UsernameAttributes and AliasAttributes exclude each other, as in Cognito; only email and phone_number can
/// be the username.
pub fn check_sign_in_attributes(
    username: &[SignInAttribute],
    alias: &[SignInAttribute],
) -> Result<(), String> {
    if !username.is_empty() && !alias.is_empty() {
        return Err("usernameAttributes and aliasAttributes cannot both be set".into());
    }
    if username.contains(&SignInAttribute::PreferredUsername) {
        return Err("usernameAttributes may hold only email and phone_number".into());
    }
    Ok(())
}

/// Provider names are unique, `COGNITO` is reserved, and a social provider is named after its type (as
/// CreateIdentityProvider requires).
fn check_identity_providers(providers: &[IdentityProvider]) -> Result<(), String> {
    for (i, p) in providers.iter().enumerate() {
        let social = !matches!(p.provider_type, ProviderType::Oidc | ProviderType::Saml);
        if social && p.name != p.provider_type.name() {
            return Err(format!(
                "a {} provider must be named {0}",
                p.provider_type.name()
            ));
        }
        let bad_name =
            p.name.is_empty() || p.name.len() > 32 || p.name.eq_ignore_ascii_case("COGNITO");
        if bad_name || p.name.contains(|c: char| c.is_whitespace() || c == '_') {
            return Err(format!("invalid identity provider name {:?}", p.name));
        }
        if providers[..i].iter().any(|q| q.name == p.name) {
            return Err(format!("identity provider {} is listed twice", p.name));
        }
    }
    Ok(())
}

/// A client's callback and sign-out URLs are absolute without a fragment: https, http only on localhost,
/// or an app's own scheme (`myapp://callback`), as Cognito allows; a client
/// credentials grant needs a secret, and its identity providers exist in the pool.
fn check_oauth_client(pool: &PoolConfig, client: &ClientConfig) -> Result<(), String> {
    let o = &client.oauth;
    for url in o.callback_urls.iter().chain(&o.logout_urls) {
        if !allowed_redirect_url(url) {
            return Err(format!(
                "callback and logout URLs must be https, http on localhost, or an app scheme, without a fragment: {url}"
            ));
        }
    }
    if o.flows.contains(&OAuthFlow::ClientCredentials) && client.secret.is_none() {
        return Err("the client_credentials flow needs a client with a secret".into());
    }
    if let Some(p) = o
        .identity_providers
        .iter()
        .find(|p| *p != "COGNITO" && pool.identity_provider(p).is_none())
    {
        return Err(format!("identity provider {p} is not in the pool"));
    }
    Ok(())
}

pub(crate) fn allowed_redirect_url(url: &str) -> bool {
    if url.contains('#') {
        return false;
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || rest.is_empty() {
        return false;
    }
    if !scheme.eq_ignore_ascii_case("http") {
        return true;
    }
    let host = rest.split(['/', '?']).next().unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    host == "localhost" || host == "127.0.0.1" || host.ends_with(".localhost")
}

/// The social providers `--callback-url` gives the default pool.
const SOCIAL_PROVIDERS: [ProviderType; 4] = [
    ProviderType::Google,
    ProviderType::Facebook,
    ProviderType::SignInWithApple,
    ProviderType::LoginWithAmazon,
];

/// Managed login for the default pool (`--callback-url`): the four social providers (added when missing, named
/// after their type as Cognito requires), and every client with `urls` as its callback and sign-out URLs and
/// those providers and COGNITO as its identity providers. Applied at every start, so that the command line and
/// not an older state file decides.
pub fn enable_managed_login(
    config: &mut PoolConfig,
    clients: &mut [ClientConfig],
    urls: &[String],
) {
    for t in SOCIAL_PROVIDERS {
        if config.identity_provider(t.name()).is_none() {
            config.identity_providers.push(IdentityProvider {
                name: t.name().into(),
                provider_type: t,
                attribute_mapping: BTreeMap::new(),
            });
        }
    }
    for client in clients {
        client.oauth.callback_urls = urls.to_vec();
        client.oauth.logout_urls = urls.to_vec();
        let mut providers = vec!["COGNITO".to_string()];
        providers.extend(SOCIAL_PROVIDERS.map(|t| t.name().to_string()));
        client.oauth.identity_providers = providers;
    }
}

/// A new pool id: `<region>_<9 alphanumerics>`, like Cognito's.
pub fn new_pool_id(region: &str) -> String {
    format!("{region}_{}", util::random_alnum(9))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_parsing() {
        let req: PoolRequest = serde_json::from_str("{}").unwrap();
        let (config, clients) = req.build().unwrap();
        assert_eq!(config, PoolConfig::default());
        assert_eq!(clients.len(), 1);
        assert_eq!(clients[0].client_id.len(), 26);
        assert!(clients[0].secret.is_none());

        let req: PoolRequest = serde_json::from_str(
            r#"{"mfa":"ON","mfaTypes":["SOFTWARE_TOKEN_MFA"],"deviceTracking":"USER_OPT_IN",
            "firstAuthFactors":["PASSWORD","EMAIL_OTP"],"customAuth":{"challenges":[{"parameters":{"q":"2+2"},"answer":"4"}]},
            "clients":[{"secret":true},{"refreshTokenRotation":true,"retryGracePeriodSeconds":10}]}"#,
        )
        .unwrap();
        let (config, clients) = req.build().unwrap();
        assert_eq!(config.mfa, MfaMode::On);
        assert_eq!(config.custom_auth.unwrap().max_attempts, 3);
        assert_eq!(clients[0].secret.as_deref().map(str::len), Some(51));
        assert!(clients[1].refresh_token_rotation);
        assert!(serde_json::from_str::<PoolRequest>(r#"{"bogus":1}"#).is_err());
        assert!(serde_json::from_str::<PoolRequest>(r#"{"mfa":"SOMETIMES"}"#).is_err());
        let bad: PoolRequest = serde_json::from_str(r#"{"mfa":"ON","mfaTypes":[]}"#).unwrap();
        assert!(bad.build().is_err());
        let (config, _) =
            serde_json::from_str::<PoolRequest>(r#"{"usernameAttributes":["email"]}"#)
                .unwrap()
                .build()
                .unwrap();
        assert_eq!(config.username_attributes, vec![SignInAttribute::Email]);
        for bad in [
            r#"{"usernameAttributes":["email"],"aliasAttributes":["phone_number"]}"#,
            r#"{"usernameAttributes":["preferred_username"]}"#,
        ] {
            let req: PoolRequest = serde_json::from_str(bad).unwrap();
            assert!(req.build().is_err(), "{bad}");
        }
        assert!(
            serde_json::from_str::<PoolRequest>(r#"{"aliasAttributes":["nickname"]}"#).is_err()
        );
        let (config, clients) = serde_json::from_str::<PoolRequest>(
            r#"{"identityProviders":[{"name":"Google","type":"Google"},{"name":"Corp","type":"OIDC","attributeMapping":{"email":"mail"}}],
            "clients":[{"oauth":{"callbackUrls":["http://localhost:5173/cb"],"logoutUrls":["myapp://signed-out"],"identityProviders":["COGNITO","Google","Corp"]}}]}"#,
        )
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(
            config.identity_provider("Corp").unwrap().provider_type,
            ProviderType::Oidc
        );
        assert_eq!(clients[0].oauth.flows, vec![OAuthFlow::Code]);
        assert_eq!(
            clients[0].oauth.callback_urls,
            vec!["http://localhost:5173/cb".to_string()]
        );
        for bad in [
            r#"{"identityProviders":[{"name":"Gmail","type":"Google"}]}"#,
            r#"{"identityProviders":[{"name":"COGNITO","type":"OIDC"}]}"#,
            r#"{"identityProviders":[{"name":"A","type":"OIDC"},{"name":"A","type":"SAML"}]}"#,
            r#"{"clients":[{"oauth":{"callbackUrls":["http://app.example/cb"]}}]}"#,
            r#"{"clients":[{"oauth":{"callbackUrls":["https://app.example/cb#x"]}}]}"#,
            r#"{"clients":[{"oauth":{"callbackUrls":["/cb"]}}]}"#,
            r#"{"clients":[{"oauth":{"flows":["client_credentials"]}}]}"#,
            r#"{"clients":[{"oauth":{"identityProviders":["Google"]}}]}"#,
        ] {
            let req: PoolRequest = serde_json::from_str(bad).unwrap();
            assert!(req.build().is_err(), "{bad}");
        }
        let id = new_pool_id("us-east-1");
        assert!(id.starts_with("us-east-1_") && id.len() == 19);
    }
}

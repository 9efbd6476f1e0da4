//! Signing in: every authentication flow and challenge Cognito offers a public client, as one state machine.
//!
//! [`sign_in`] starts a flow and [`confirm_sign_in`] answers whatever the user was asked. Between them, Cognito's
//! challenges are either answered here without the user (PASSWORD_VERIFIER and the device challenges, which need
//! only secrets this device holds) or turned into a [`Waiting`] state, stored as a [`Pending`] sign-in and shown
//! to the app as a [`NextStep`]. The password is used within one call and never stored.

pub mod pending;
pub mod steps;


use crate::protocol::types::{
    AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, AuthResponse, AuthenticationResult,
    InitiateAuthRequest, RespondToAuthChallengeRequest, StringMap, VerifySoftwareTokenRequest,
    VerifySoftwareTokenResponse,
};
use crate::protocol::{call, Operation};
use crate::session::{Claims, Session, Storage, StorageKeys, Tokens};
use crate::srp::{format_timestamp, SrpClient, VerifierChallenge, PRIVATE_EPHEMERAL_BYTES};

use super::device_secrets::{self, StoredDevice};
use super::devices;
use super::error::require;
use super::{AuthEvent, Config, Error, Metadata, Platform};

pub use pending::{Context, Pending, PendingStore, PENDING_LIFETIME_MILLIS};
pub use steps::{MfaType, NextStep, Waiting};

/// Cognito's authentication flows for public clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFlow {
    /// SRP: the password never leaves the device (the default).
    UserSrp,
    /// The password is sent to Cognito over TLS (for user migration triggers).
    UserPassword,
    /// SRP, then the pool's custom challenges.
    CustomWithSrp,
    /// Only the pool's custom challenges.
    CustomWithoutSrp,
    /// Choice-based: the user picks a first factor (password, SRP, email or SMS code).
    UserAuth,
}

impl AuthFlow {
    pub fn parse(name: &str) -> Result<Self, Error> {
        match name {
            "USER_SRP_AUTH" => Ok(Self::UserSrp),
            "USER_PASSWORD_AUTH" => Ok(Self::UserPassword),
            "CUSTOM_WITH_SRP" => Ok(Self::CustomWithSrp),
            "CUSTOM_WITHOUT_SRP" => Ok(Self::CustomWithoutSrp),
            "USER_AUTH" => Ok(Self::UserAuth),
            other => Err(Error::InvalidParameter([
                "authFlow \"",
                other,
                "\" is not one of USER_SRP_AUTH, USER_PASSWORD_AUTH, CUSTOM_WITH_SRP, CUSTOM_WITHOUT_SRP, USER_AUTH",
            ]
            .concat())),
        }
    }
}

/// How to sign in.
#[derive(Debug, Clone)]
pub struct SignInInput {
    pub username: String,
    pub password: Option<String>,
    pub auth_flow: AuthFlow,
    /// USER_AUTH only: PASSWORD, PASSWORD_SRP, EMAIL_OTP or SMS_OTP.
    pub preferred_challenge: Option<String>,
    pub metadata: Metadata,
}

/// The user's answer to the pending step.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    /// The code, new password, choice, email address or custom answer the step asked for.
    pub response: String,
    /// NEW_PASSWORD_REQUIRED: values for the required attributes still missing.
    pub user_attributes: StringMap,
    /// TOTP set-up: a name for the authenticator.
    pub friendly_device_name: Option<String>,
    /// Replaces the sign-in's metadata for this and later requests when set.
    pub metadata: Option<Metadata>,
}

/// Starts signing in. Refused while a user is signed in or another sign-in waits for the user, so that one
/// user's tokens never silently replace another's (sign out, or `cancel_sign_in`, first).
pub async fn sign_in<P: Platform>(p: &P, config: &Config, input: SignInInput) -> Result<NextStep, Error> {
    require("username", &input.username)?;
    ensure_idle(p, config)?;
    begin(p, config, &input, None).await
}

/// Signs a just-confirmed user in with ConfirmSignUp's Session (USER_AUTH), without asking for the password.
pub async fn auto_sign_in<P: Platform>(
    p: &P,
    config: &Config,
    username: &str,
    session: String,
    metadata: Metadata,
) -> Result<NextStep, Error> {
    ensure_idle(p, config)?;
    let input = SignInInput {
        username: username.to_owned(),
        password: None,
        auth_flow: AuthFlow::UserAuth,
        preferred_challenge: None,
        metadata,
    };
    begin(p, config, &input, Some(session)).await
}

/// Runs a sign-in with this device's secrets, and again without them when Cognito answers that the device does
/// not exist (forgotten on another device, deleted by an admin): the failed run has dropped the stale secrets,
/// and the user then signs in as on a new device (MFA included) and can remember it anew, rather than being
/// locked out by a key nobody knows. Each failed run drops one set of secrets (the one found from the typed
/// name, then the one under USER_ID_FOR_SRP), so three runs at most.
async fn begin<P: Platform>(p: &P, config: &Config, input: &SignInInput, session: Option<String>) -> Result<NextStep, Error> {
    let mut runs = 0;
    loop {
        runs += 1;
        // Boxed: the loop's future then holds a pointer rather than the whole run's state (less wasm).
        match Box::pin(start(p, config, input, session.clone())).await {
            // Not with ConfirmSignUp's Session: it is single-use, and the failed run may have spent it. The
            // stale secrets are gone all the same, so the user's next sign-in (with the password) goes through.
            Err(e) if runs < 3 && session.is_none() && device_secrets::is_stale(&e) => {}
            result => return result,
        }
    }
}

/// One run of a sign-in: InitiateAuth (with `session` for USER_AUTH after ConfirmSignUp) and what follows
/// without the user.
async fn start<P: Platform>(p: &P, config: &Config, input: &SignInInput, session: Option<String>) -> Result<NextStep, Error> {
    let keys = StorageKeys::new(config.client_id());
    p.storage().preload(&device_secrets::keys_of(&keys, &[&input.username])).await?;
    let device = device_secrets::find(p.storage(), &keys, &input.username)?;
    let mut attempt = Attempt::new(p, config, input, device);
    let mut params = attempt.base_parameters();
    let password = |flow: &str| {
        input.password.clone().filter(|pw| !pw.is_empty()).ok_or_else(|| {
            Error::InvalidParameter(["password is required for ", flow].concat())
        })
    };
    let flow = match input.auth_flow {
        AuthFlow::UserSrp => {
            attempt.password = Some(password("USER_SRP_AUTH")?);
            params.insert("SRP_A".into(), attempt.start_srp()?);
            "USER_SRP_AUTH"
        }
        AuthFlow::UserPassword => {
            params.insert("PASSWORD".into(), password("USER_PASSWORD_AUTH")?);
            "USER_PASSWORD_AUTH"
        }
        AuthFlow::CustomWithSrp => {
            attempt.password = Some(password("CUSTOM_WITH_SRP")?);
            params.insert("SRP_A".into(), attempt.start_srp()?);
            params.insert("CHALLENGE_NAME".into(), "SRP_A".into());
            "CUSTOM_AUTH"
        }
        AuthFlow::CustomWithoutSrp => "CUSTOM_AUTH",
        AuthFlow::UserAuth => {
            match input.preferred_challenge.as_deref() {
                None => {}
                Some("PASSWORD") => {
                    params.insert("PASSWORD".into(), password("USER_AUTH with PASSWORD")?);
                }
                Some("PASSWORD_SRP") => {
                    attempt.password = Some(password("USER_AUTH with PASSWORD_SRP")?);
                    params.insert("SRP_A".into(), attempt.start_srp()?);
                }
                Some("EMAIL_OTP" | "SMS_OTP") => {}
                Some(other) => {
                    return Err(Error::InvalidParameter([
                        "preferredChallenge \"",
                        other,
                        "\" is not one of PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP",
                    ]
                    .concat()))
                }
            }
            if let Some(preferred) = &input.preferred_challenge {
                params.insert("PREFERRED_CHALLENGE".into(), preferred.clone());
            }
            "USER_AUTH"
        }
    };
    let response = attempt.initiate(flow, params, session).await?;
    attempt.advance(response).await
}

/// Answers the pending step. A wrong code, or a failure in passing (network, timeout, 5xx: RespondToAuthChallenge
/// is not repeated automatically, as its code and Session are single-use), keeps the sign-in pending so the user
/// can try again; an answer Cognito refuses for good (NotAuthorizedException: session expired, too many
/// attempts) ends it, and so does a device Cognito no longer knows (its secrets are dropped; signing in again
/// goes on without it).
pub async fn confirm_sign_in<P: Platform>(p: &P, config: &Config, answer: Answer) -> Result<NextStep, Error> {
    let store = PendingStore::new(p.transient_storage(), config.client_id());
    let Some(pending) = store.load(p.now_millis())? else {
        return Err(Error::InvalidState {
            name: "NoPendingSignInException",
            message: "there is no sign-in waiting for an answer: call signIn first (a pending sign-in lasts 3 minutes)"
                .into(),
        });
    };
    require("challengeResponse", &answer.response)?;
    let mut attempt = Attempt::resume(p, config, pending.context).await?;
    if let Some(metadata) = answer.metadata.clone() {
        attempt.ctx.metadata = metadata;
    }
    let result = attempt.answer(pending.waiting, answer).await;
    if matches!(&result, Err(e) if e.is_service("NotAuthorizedException") || device_secrets::is_stale(e)) {
        store.clear()?;
    }
    result
}

/// Abandons a pending sign-in, so that `sign_in` can start afresh.
pub fn cancel_sign_in<P: Platform>(p: &P, config: &Config) -> Result<(), Error> {
    PendingStore::new(p.transient_storage(), config.client_id()).clear()
}

/// The step a pending sign-in waits on, if there is one (e.g. to restore a page after a reload).
pub fn pending_step<P: Platform>(p: &P, config: &Config) -> Result<Option<NextStep>, Error> {
    let pending = PendingStore::new(p.transient_storage(), config.client_id()).load(p.now_millis())?;
    Ok(pending.map(|pending| pending.waiting.next_step(&pending.context.typed_username, &config.app_name)))
}

/// Refused while a user is signed in or a sign-in is pending.
fn ensure_idle<P: Platform>(p: &P, config: &Config) -> Result<(), Error> {
    if let Some(current) = super::sessions(p, config).load()? {
        return Err(Error::InvalidState {
            name: "UserAlreadyAuthenticatedException",
            message: [&current.username, " is already signed in; sign out first"].concat(),
        });
    }
    if PendingStore::new(p.transient_storage(), config.client_id()).load(p.now_millis())?.is_some() {
        return Err(Error::InvalidState {
            name: "SignInPendingException",
            message: "another sign-in is waiting for confirmSignIn; answer it or call cancelSignIn first".into(),
        });
    }
    Ok(())
}

/// What the user's answer leads to: a response to the named challenge, or another step to wait for.
enum Next {
    Respond(String, StringMap),
    Wait(Waiting),
}

/// One sign-in in progress within a call: the carried [`Context`] plus what lives only in memory.
struct Attempt<'a, P: Platform> {
    p: &'a P,
    config: &'a Config,
    ctx: Context,
    password: Option<String>,
    srp: Option<SrpClient>,
    /// The device secrets whose key `ctx.device_key` sends.
    device: Option<StoredDevice>,
}

impl<'a, P: Platform> Attempt<'a, P> {
    fn new(p: &'a P, config: &'a Config, input: &SignInInput, device: Option<StoredDevice>) -> Self {
        let ctx = Context {
            typed_username: input.username.clone(),
            username: input.username.clone(),
            user_id_for_srp: None,
            device_key: device.as_ref().map(|d| d.secrets.key.clone()),
            session: None,
            metadata: input.metadata.clone(),
        };
        Self { p, config, ctx, password: None, srp: None, device }
    }

    /// The sign-in `ctx` describes, with the device secrets it was sending: under USER_ID_FOR_SRP once known,
    /// else where the typed name leads. Gone meanwhile (forgotten in another tab), the sign-in goes on without
    /// them.
    async fn resume(p: &'a P, config: &'a Config, mut ctx: Context) -> Result<Self, Error> {
        let keys = StorageKeys::new(config.client_id());
        let mut device = None;
        if let Some(key) = ctx.device_key.clone() {
            let names = [ctx.user_id_for_srp.as_deref().unwrap_or_default(), &ctx.typed_username];
            p.storage().preload(&device_secrets::keys_of(&keys, &names)).await?;
            if let Some(owner) = &ctx.user_id_for_srp {
                let secrets = device_secrets::load(p.storage(), &keys, owner)?;
                device = secrets.map(|secrets| StoredDevice { owner: owner.clone(), secrets });
            }
            if device.is_none() {
                device = device_secrets::find(p.storage(), &keys, &ctx.typed_username)?;
            }
            device = device.filter(|d| d.secrets.key == key);
        }
        ctx.device_key = device.as_ref().map(|d| d.secrets.key.clone());
        Ok(Self { p, config, ctx, password: None, srp: None, device })
    }

    /// A fresh SRP exchange; returns SRP_A.
    fn start_srp(&mut self) -> Result<String, Error> {
        let mut random = [0u8; PRIVATE_EPHEMERAL_BYTES];
        self.p.fill(&mut random).map_err(Error::Random)?;
        let srp = SrpClient::new(&random)?;
        let a = srp.public_a_hex();
        self.srp = Some(srp);
        Ok(a)
    }

    /// USERNAME, plus SECRET_HASH and DEVICE_KEY where they apply: what every request of a sign-in carries.
    fn base_parameters(&self) -> StringMap {
        let mut params = StringMap::from([("USERNAME".to_owned(), self.ctx.username.clone())]);
        if let Some(hash) = self.config.secret_hash(&self.ctx.username) {
            params.insert("SECRET_HASH".into(), hash);
        }
        if let Some(key) = &self.ctx.device_key {
            params.insert("DEVICE_KEY".into(), key.clone());
        }
        params
    }

    async fn initiate(&mut self, flow: &str, params: StringMap, session: Option<String>) -> Result<AuthResponse, Error> {
        let request = InitiateAuthRequest {
            auth_flow: flow.to_owned(),
            client_id: self.config.client_id().to_owned(),
            auth_parameters: params,
            client_metadata: self.ctx.metadata.client_metadata(),
            user_context_data: self.ctx.metadata.user_context_data(),
            session,
        };
        let result = call(self.p, Operation::InitiateAuth, &request).await.map_err(Error::from);
        self.check_device(result)
    }

    async fn respond(&mut self, challenge: &str, responses: StringMap) -> Result<AuthResponse, Error> {
        let request = RespondToAuthChallengeRequest {
            client_id: self.config.client_id().to_owned(),
            challenge_name: challenge.to_owned(),
            challenge_responses: responses,
            session: self.ctx.session.clone(),
            client_metadata: self.ctx.metadata.client_metadata(),
            user_context_data: self.ctx.metadata.user_context_data(),
        };
        let result = call(self.p, Operation::RespondToAuthChallenge, &request).await.map_err(Error::from);
        self.check_device(result)
    }

    /// Passes a request's result on, after dropping the device's secrets if Cognito answered that the device key
    /// the request carried does not exist, so that the sign-in can be repeated without it (see [`begin`]).
    fn check_device(&self, result: Result<AuthResponse, Error>) -> Result<AuthResponse, Error> {
        if let (Err(e), Some(d)) = (&result, &self.device) {
            if device_secrets::is_stale(e) {
                let keys = StorageKeys::new(self.config.client_id());
                device_secrets::remove_if_still(self.p.storage(), &keys, &d.owner, &d.secrets.key)?;
            }
        }
        result
    }

    /// Follows Cognito's answers until the tokens arrive or the user must act.
    async fn advance(mut self, mut response: AuthResponse) -> Result<NextStep, Error> {
        // Every challenge the user answers ends in the one `wait` below.
        let waiting = loop {
            if let Some(result) = response.authentication_result.take() {
                return self.finish(result).await;
            }
            let Some(name) = response.challenge_name.take() else {
                return Err(Error::Protocol("Cognito answered with neither a challenge nor tokens".into()));
            };
            if let Some(session) = response.session.take() {
                self.ctx.session = Some(session);
            }
            let params = std::mem::take(&mut response.challenge_parameters);
            if let Some(username) = params.get("USERNAME").filter(|u| !u.is_empty()) {
                self.ctx.username = username.clone();
            }
            // The challenges answered here, without the user, all go through the one `respond` below.
            let r = match name.as_str() {
                "PASSWORD_VERIFIER" => self.answer_password_verifier(&params).await?,
                "DEVICE_SRP_AUTH" => self.answer_device_srp_auth()?,
                "DEVICE_PASSWORD_VERIFIER" => self.answer_device_password_verifier(&params)?,
                "MFA_SETUP" => {
                    let allowed: Vec<MfaType> = MfaType::list_from_json(params.get("MFAS_CAN_SETUP"))
                        .into_iter()
                        .filter(|t| *t != MfaType::Sms)
                        .collect();
                    break match allowed.as_slice() {
                        [] => return Err(unsupported("MFA_SETUP without a factor that can be set up while signing in")),
                        [MfaType::Totp] => self.totp_setup().await?,
                        [MfaType::Email] => Waiting::EmailSetup,
                        _ => Waiting::MfaSetupSelection { allowed },
                    };
                }
                "SELECT_CHALLENGE" => {
                    let mut available = std::mem::take(&mut response.available_challenges);
                    if available.is_empty() {
                        available = steps::json_strings(params.get("AvailableChallenges"));
                    }
                    break Waiting::FirstFactorSelection { available };
                }
                other if steps::USER_ANSWERED.contains(&other) => {
                    break Waiting::Challenge { name, parameters: params };
                }
                other => return Err(unsupported(other)),
            };
            response = self.respond(&name, r).await?;
        };
        self.wait(waiting)
    }

    /// Applies the user's answer to what the sign-in waited for.
    async fn answer(mut self, waiting: Waiting, answer: Answer) -> Result<NextStep, Error> {
        let text = answer.response.trim().to_owned();
        // Each branch names the challenge to respond to, or what to wait for next: one `respond` and one `wait`
        // below instead of one per branch (fewer await points, a smaller future).
        let next = match waiting {
            Waiting::Challenge { name, .. } => {
                let mut r = self.base_parameters();
                match name.as_str() {
                    "NEW_PASSWORD_REQUIRED" => {
                        // Passwords are taken as typed, spaces included.
                        r.insert("NEW_PASSWORD".into(), answer.response.clone());
                        for (attribute, value) in answer.user_attributes.iter() {
                            r.insert(["userAttributes.", attribute].concat(), value.clone());
                        }
                    }
                    "SMS_MFA" => {
                        r.insert("SMS_MFA_CODE".into(), text);
                    }
                    "SMS_OTP" => {
                        r.insert("SMS_OTP_CODE".into(), text);
                    }
                    "EMAIL_OTP" => {
                        r.insert("EMAIL_OTP_CODE".into(), text);
                    }
                    "SOFTWARE_TOKEN_MFA" => {
                        r.insert("SOFTWARE_TOKEN_MFA_CODE".into(), text);
                    }
                    "SELECT_MFA_TYPE" => {
                        r.insert("ANSWER".into(), MfaType::parse(&text)?.challenge().to_owned());
                    }
                    _ => {
                        r.insert("ANSWER".into(), answer.response.clone());
                    }
                }
                Next::Respond(name, r)
            }
            Waiting::FirstFactorSelection { available } => {
                let choice = text.to_ascii_uppercase();
                if !available.contains(&choice) {
                    // Joined by hand: `join` on `String`s would compile a second copy of std's join code, which
                    // the crate otherwise uses only on `&str`s.
                    let mut message = ["\"", &text, "\" is not one of the offered first factors: "].concat();
                    for (i, name) in available.iter().enumerate() {
                        if i > 0 {
                            message.push_str(", ");
                        }
                        message.push_str(name);
                    }
                    return Err(Error::InvalidParameter(message));
                }
                match choice.as_str() {
                    "PASSWORD" => Next::Wait(Waiting::Password { srp: false }),
                    "PASSWORD_SRP" => Next::Wait(Waiting::Password { srp: true }),
                    _ => {
                        let mut r = self.base_parameters();
                        r.insert("ANSWER".into(), choice);
                        Next::Respond("SELECT_CHALLENGE".to_owned(), r)
                    }
                }
            }
            Waiting::Password { srp } => {
                let mut r = self.base_parameters();
                if srp {
                    self.password = Some(answer.response.clone());
                    r.insert("ANSWER".into(), "PASSWORD_SRP".into());
                    r.insert("SRP_A".into(), self.start_srp()?);
                } else {
                    r.insert("ANSWER".into(), "PASSWORD".into());
                    r.insert("PASSWORD".into(), answer.response.clone());
                }
                Next::Respond("SELECT_CHALLENGE".to_owned(), r)
            }
            Waiting::MfaSetupSelection { allowed } => {
                let choice = MfaType::parse(&text)?;
                if !allowed.contains(&choice) {
                    return Err(Error::InvalidParameter(["\"", &text, "\" is not offered for set-up here"].concat()));
                }
                Next::Wait(match choice {
                    MfaType::Totp => self.totp_setup().await?,
                    _ => Waiting::EmailSetup,
                })
            }
            Waiting::TotpSetup { .. } => {
                let request = VerifySoftwareTokenRequest {
                    access_token: None,
                    session: self.ctx.session.clone(),
                    user_code: text,
                    friendly_device_name: answer.friendly_device_name.clone(),
                };
                let verified: VerifySoftwareTokenResponse = call(self.p, Operation::VerifySoftwareToken, &request).await?;
                if verified.status.as_deref().is_some_and(|s| s != "SUCCESS") {
                    return Err(Error::Protocol(["VerifySoftwareToken answered ", verified.status.as_deref().unwrap_or_default()].concat()));
                }
                if let Some(session) = verified.session {
                    self.ctx.session = Some(session);
                }
                Next::Respond("MFA_SETUP".to_owned(), self.base_parameters())
            }
            Waiting::EmailSetup => {
                let mut r = self.base_parameters();
                r.insert("EMAIL".into(), text);
                Next::Respond("MFA_SETUP".to_owned(), r)
            }
        };
        match next {
            Next::Respond(challenge, r) => {
                let response = self.respond(&challenge, r).await?;
                self.advance(response).await
            }
            Next::Wait(waiting) => self.wait(waiting),
        }
    }

    /// PASSWORD_VERIFIER: proves the password with SRP (the responses to send).
    async fn answer_password_verifier(&mut self, params: &StringMap) -> Result<StringMap, Error> {
        let (Some(srp), Some(password)) = (&self.srp, &self.password) else {
            return Err(Error::Protocol("Cognito sent PASSWORD_VERIFIER to a sign-in that did not start SRP".into()));
        };
        let challenge = verifier_challenge(params, None)?;
        let timestamp = format_timestamp(self.p.now_secs());
        let signature = srp.password_claim_signature(&challenge, self.config.pool_name(), password, &timestamp)?;
        let user_id = challenge.user_id_for_srp.to_owned();
        let secret_block = challenge.secret_block.to_owned();
        // Device secrets live under USER_ID_FOR_SRP (this SDK's and the official client's); only now is that name
        // known, and they win over what the typed name led to, as in the official client. Secrets a pointer led
        // to under another username are not this user's and are not sent.
        let keys = StorageKeys::new(self.config.client_id());
        self.p.storage().preload(&device_secrets::keys_of(&keys, &[&user_id])).await?;
        match device_secrets::load(self.p.storage(), &keys, &user_id)? {
            Some(secrets) => self.device = Some(StoredDevice { owner: user_id.clone(), secrets }),
            None => {
                let typed = &self.ctx.typed_username;
                if self.device.as_ref().is_some_and(|d| d.owner != user_id && d.owner != *typed) {
                    self.device = None;
                }
            }
        }
        self.ctx.device_key = self.device.as_ref().map(|d| d.secrets.key.clone());
        self.ctx.user_id_for_srp = Some(user_id);
        let mut r = self.base_parameters();
        r.insert("PASSWORD_CLAIM_SECRET_BLOCK".into(), secret_block);
        r.insert("PASSWORD_CLAIM_SIGNATURE".into(), signature);
        r.insert("TIMESTAMP".into(), timestamp);
        Ok(r)
    }

    /// DEVICE_SRP_AUTH: starts an SRP exchange for the remembered device (the responses to send).
    fn answer_device_srp_auth(&mut self) -> Result<StringMap, Error> {
        if self.device.is_none() {
            return Err(Error::Protocol("Cognito asked for DEVICE_SRP_AUTH but this device holds no device key".into()));
        }
        let srp_a = self.start_srp()?;
        let mut r = self.base_parameters();
        r.insert("SRP_A".into(), srp_a);
        Ok(r)
    }

    /// DEVICE_PASSWORD_VERIFIER: the same proof as PASSWORD_VERIFIER, with the device's group key, key and
    /// random password in place of the pool name, user id and password (the responses to send).
    fn answer_device_password_verifier(&mut self, params: &StringMap) -> Result<StringMap, Error> {
        let (Some(srp), Some(device)) = (&self.srp, &self.device) else {
            return Err(Error::Protocol("DEVICE_PASSWORD_VERIFIER before DEVICE_SRP_AUTH".into()));
        };
        let device = &device.secrets;
        let challenge = verifier_challenge(params, Some(&device.key))?;
        let timestamp = format_timestamp(self.p.now_secs());
        let signature = srp.password_claim_signature(&challenge, &device.group_key, &device.password, &timestamp)?;
        let secret_block = challenge.secret_block.to_owned();
        let mut r = self.base_parameters();
        r.insert("PASSWORD_CLAIM_SECRET_BLOCK".into(), secret_block);
        r.insert("PASSWORD_CLAIM_SIGNATURE".into(), signature);
        r.insert("TIMESTAMP".into(), timestamp);
        Ok(r)
    }

    /// MFA_SETUP for TOTP: associates a secret with the sign-in's session; the sign-in then waits for the first
    /// code.
    async fn totp_setup(&mut self) -> Result<Waiting, Error> {
        let request = AssociateSoftwareTokenRequest { access_token: None, session: self.ctx.session.clone() };
        let associated: AssociateSoftwareTokenResponse = call(self.p, Operation::AssociateSoftwareToken, &request).await?;
        if associated.secret_code.is_empty() {
            return Err(Error::Protocol("AssociateSoftwareToken answered without a SecretCode".into()));
        }
        if let Some(session) = associated.session {
            self.ctx.session = Some(session);
        }
        Ok(Waiting::TotpSetup { secret: associated.secret_code })
    }

    /// Stores the sign-in as pending and says what the user must do.
    fn wait(self, waiting: Waiting) -> Result<NextStep, Error> {
        let step = waiting.next_step(&self.ctx.typed_username, &self.config.app_name);
        let pending = Pending {
            context: self.ctx,
            waiting,
            expires_at_millis: self.p.now_millis() + PENDING_LIFETIME_MILLIS,
        };
        PendingStore::new(self.p.transient_storage(), self.config.client_id()).save(&pending)?;
        Ok(step)
    }

    /// Stores the tokens, confirms a new device (its secrets under the session's username), makes the typed name
    /// lead to the device secrets, and ends the pending sign-in.
    async fn finish(self, result: AuthenticationResult) -> Result<NextStep, Error> {
        let Some(refresh_token) = result.refresh_token.filter(|t| !t.is_empty()) else {
            return Err(Error::Protocol("sign-in answered without a refresh token".into()));
        };
        // Stored under USER_ID_FOR_SRP as the official client does; without SRP, under Cognito's own username.
        let username = match &self.ctx.user_id_for_srp {
            Some(id) => id.clone(),
            None => Claims::from_token(&result.access_token)?
                .string("username")
                .map_or_else(|| self.ctx.username.clone(), str::to_owned),
        };
        let tokens =
            Tokens { id_token: result.id_token, access_token: result.access_token, refresh_token: Some(refresh_token) };
        let session = Session::new(username, tokens, self.p.now_secs())?;
        super::sessions(self.p, self.config).save(&session)?;
        super::redirect::forget_managed_login(self.p, self.config)?;
        PendingStore::new(self.p.transient_storage(), self.config.client_id()).clear()?;
        self.p.emit(AuthEvent::SignedIn);
        // The user is signed in either way: a device that could not be confirmed is simply not remembered, and a
        // typed name that could not be linked finds the secrets at PASSWORD_VERIFIER instead; the next sign-in
        // asks for MFA at worst.
        if let Some(metadata) = result.new_device_metadata.filter(|m| !m.device_key.is_empty()) {
            let access_token = &session.tokens.access_token;
            // Boxed: its state (a ConfirmDevice request) then stays out of the sign-in's future (less wasm).
            let _ = Box::pin(devices::confirm_new(self.p, self.config, access_token, metadata, &session.username)).await;
        }
        let keys = StorageKeys::new(self.config.client_id());
        let (typed, owner) = (&self.ctx.typed_username, &session.username);
        if self.p.storage().preload(&device_secrets::keys_of(&keys, &[typed, owner])).await.is_ok() {
            let _ = device_secrets::adopt(self.p.storage(), &keys, typed, owner);
        }
        Ok(NextStep::Done)
    }
}

/// SALT, SRP_B, SECRET_BLOCK and the SRP identity from a verifier challenge's parameters.
fn verifier_challenge<'p>(params: &'p StringMap, device_key: Option<&'p str>) -> Result<VerifierChallenge<'p>, Error> {
    let param = |name: &'static str| {
        params
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| Error::Protocol(["verifier challenge without ", name].concat()))
    };
    Ok(VerifierChallenge {
        salt: param("SALT")?,
        srp_b: param("SRP_B")?,
        secret_block: param("SECRET_BLOCK")?,
        user_id_for_srp: match device_key {
            Some(key) => key,
            None => param("USER_ID_FOR_SRP")?,
        },
    })
}

fn unsupported(challenge: &str) -> Error {
    Error::InvalidState {
        name: "UnsupportedChallengeException",
        message: ["Cognito asked for ", challenge, ", which this client cannot answer"].concat(),
    }
}

#[cfg(test)]
mod tests;

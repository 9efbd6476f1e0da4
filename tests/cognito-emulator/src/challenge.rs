//! An authentication in progress (Cognito's `Session`): which challenge is pending and what the user has
//! already proven. Sessions live in memory only, for 3 minutes, like Cognito's.

use num_bigint::BigUint;

use crate::pool::MfaType;
use crate::srp::ServerEphemeral;

/// A challenge's Session is valid for 3 minutes.
pub const SESSION_TTL_SECS: u64 = 180;
/// Wrong codes accepted on one session before it is discarded.
pub const MAX_CODE_FAILURES: u32 = 3;

/// The server half of an SRP exchange (user password or device secret).
#[derive(Debug, Clone)]
pub struct SrpPending {
    pub secret_block: Vec<u8>,
    pub big_a: BigUint,
    pub ephemeral: ServerEphemeral,
    pub verifier: BigUint,
}

/// A challenge answered with a code Cognito "sent".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    SmsMfa,
    EmailOtp,
    SmsOtp,
}

impl CodeKind {
    pub fn challenge_name(self) -> &'static str {
        match self {
            CodeKind::SmsMfa => "SMS_MFA",
            CodeKind::EmailOtp => "EMAIL_OTP",
            CodeKind::SmsOtp => "SMS_OTP",
        }
    }

    /// The ChallengeResponses key that carries the code.
    pub fn response_key(self) -> &'static str {
        match self {
            CodeKind::SmsMfa => "SMS_MFA_CODE",
            CodeKind::EmailOtp => "EMAIL_OTP_CODE",
            CodeKind::SmsOtp => "SMS_OTP_CODE",
        }
    }

    pub fn by_sms(self) -> bool {
        !matches!(self, CodeKind::EmailOtp)
    }
}

/// What the client must answer next.
#[derive(Debug, Clone)]
pub enum Step {
    PasswordVerifier(SrpPending),
    DeviceSrpAuth,
    DevicePasswordVerifier {
        srp: SrpPending,
        device_key: String,
    },
    NewPasswordRequired,
    SelectMfaType(Vec<MfaType>),
    MfaSetup {
        can_setup: Vec<MfaType>,
        /// Secret from AssociateSoftwareToken; `verified` once VerifySoftwareToken accepted a code.
        totp_secret: Option<String>,
        verified: bool,
    },
    Code {
        kind: CodeKind,
        code: String,
        /// For email-MFA setup: the address being verified (it becomes the user's email).
        setup_email: Option<String>,
    },
    SoftwareTokenMfa,
    CustomChallenge {
        round: usize,
    },
    SelectChallenge(Vec<String>),
    /// SELECT_CHALLENGE answered with PASSWORD or PASSWORD_SRP but without the password / SRP_A.
    Password,
    PasswordSrp,
    /// ConfirmSignUp's Session: USER_AUTH with it signs the user in without a password.
    AutoSignIn,
}

impl Step {
    /// The ChallengeName this step is answered under.
    pub fn name(&self) -> &'static str {
        match self {
            Step::PasswordVerifier(_) => "PASSWORD_VERIFIER",
            Step::DeviceSrpAuth => "DEVICE_SRP_AUTH",
            Step::DevicePasswordVerifier { .. } => "DEVICE_PASSWORD_VERIFIER",
            Step::NewPasswordRequired => "NEW_PASSWORD_REQUIRED",
            Step::SelectMfaType(_) => "SELECT_MFA_TYPE",
            Step::MfaSetup { .. } => "MFA_SETUP",
            Step::Code { kind, .. } => kind.challenge_name(),
            Step::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA",
            Step::CustomChallenge { .. } => "CUSTOM_CHALLENGE",
            Step::SelectChallenge(_) => "SELECT_CHALLENGE",
            Step::Password => "PASSWORD",
            Step::PasswordSrp => "PASSWORD_SRP",
            Step::AutoSignIn => "(sign-up session)",
        }
    }
}

/// What the user has proven so far in this authentication.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// A password was checked (so NEW_PASSWORD_REQUIRED may follow).
    pub password_verified: bool,
    pub new_password_done: bool,
    /// CUSTOM_AUTH: the configured rounds run after the (optional) password.
    pub custom: bool,
    pub custom_round: usize,
    /// Wrong answers to the current custom round.
    pub custom_failures: u32,
    /// A one-time code first factor, auto sign-in or a remembered device: no MFA.
    pub skip_mfa: bool,
    pub mfa_done: bool,
    /// DEVICE_KEY the client presented.
    pub device_key: Option<String>,
    pub device_done: bool,
}

/// One authentication in progress.
#[derive(Debug, Clone)]
pub struct AuthSession {
    pub pool_id: String,
    pub client_id: String,
    /// `None` for the decoy challenge issued for an unknown user under user-existence-error prevention.
    pub user_key: Option<String>,
    pub username: String,
    pub user_id_for_srp: String,
    pub step: Step,
    pub expires_at: u64,
    pub failures: u32,
    pub progress: Progress,
}

//! When a failed request is sent again: which failures count as passing, which operations may be repeated, and
//! how long to wait in between. Pure decisions; the transport does the waiting.
//!
//! The backoff is the AWS SDKs' "standard" retry mode: 3 attempts, the n-th repeat after a random wait in
//! [0, min(20 s, 100 ms · 2^(n−1))] ("full jitter"), or after the service's `Retry-After` when it asked for longer.

use super::error::Error;
use super::json::Json;
use super::operation::Operation;

/// How failed requests are repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included: 1 never repeats a request.
    pub max_attempts: u32,
    /// The backoff before the first repeat is at most this; it doubles with each further repeat.
    pub base_millis: u32,
    /// No wait is longer; a `Retry-After` asking for longer ends the retries instead.
    pub cap_millis: u32,
}

impl RetryPolicy {
    /// The AWS SDKs' standard mode.
    pub const STANDARD: Self = Self { max_attempts: 3, base_millis: 100, cap_millis: 20_000 };
    /// Every request is sent once.
    pub const NEVER: Self = Self { max_attempts: 1, base_millis: 0, cap_millis: 0 };

    /// The wait before the next attempt after `error` ended attempt number `attempt` (counted from 1) of a
    /// request whose repeats are `safety`, or `None` when the error is final. `random` is uniform over `u32`.
    #[must_use]
    pub fn delay(&self, attempt: u32, error: &Error, safety: Safety, random: u32) -> Option<u32> {
        if attempt >= self.max_attempts {
            return None;
        }
        let repeat = match safety {
            Safety::Repeatable => error.retryable(),
            Safety::OnlyIfRefused => is_refused(error),
        };
        if !repeat {
            return None;
        }
        let ceiling = (u64::from(self.base_millis) << (attempt - 1).min(31)).min(u64::from(self.cap_millis));
        let jittered = (u64::from(random) * (ceiling + 1)) >> 32;
        let asked = match error {
            Error::Service(e) => e.retry_after_secs.map(|s| u64::from(s) * 1000),
            _ => None,
        };
        match asked {
            Some(asked) if asked > u64::from(self.cap_millis) => None,
            Some(asked) => u32::try_from(asked.max(jittered)).ok(),
            None => u32::try_from(jittered).ok(),
        }
    }
}

/// Whether sending a request again can do harm if the first one was carried out and only its answer was lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safety {
    /// Repeating it changes nothing the first did not: repeated after any passing failure (a network error, a
    /// timeout, a 5xx, throttling).
    Repeatable,
    /// A repeat could consume a one-time code or a challenge Session twice, send the user a second code that
    /// invalidates the first, or fail because the first succeeded (the user then exists, the password has
    /// changed): repeated only when Cognito refused it before carrying it out (throttling).
    OnlyIfRefused,
}

impl Safety {
    /// The safety of sending `body` as `operation` again.
    ///
    /// - Repeatable: reads (GetUser, ListDevices), setting a state to a given value (SetUserMFAPreference,
    ///   UpdateDeviceStatus, ConfirmDevice with the same verifier, DeleteUserAttributes, RevokeToken),
    ///   USER_SRP_AUTH (each InitiateAuth opens a new SRP session; only the last one answered is used),
    ///   refreshes (REFRESH_TOKEN_AUTH does not rotate; a GetTokensFromRefreshToken whose answer was lost has
    ///   already rotated the token server-side, so the repeat cannot lose more than the loss did, and within the
    ///   client's RetryGracePeriodSeconds it succeeds), and AssociateSoftwareToken with an access token (a new
    ///   secret replaces the unverified one).
    /// - Only if refused: SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword,
    ///   ChangePassword, UpdateUserAttributes and GetUserAttributeVerificationCode (they send codes),
    ///   VerifyUserAttribute, VerifySoftwareToken, RespondToAuthChallenge (codes and Sessions are single-use),
    ///   AssociateSoftwareToken with a Session, InitiateAuth with USER_PASSWORD_AUTH (it may send an MFA code
    ///   at once), USER_AUTH and CUSTOM_AUTH (they may send a code or run a challenge trigger), DeleteUser,
    ///   ForgetDevice and GlobalSignOut (a repeat after success fails).
    #[must_use]
    pub fn of(operation: Operation, body: &Json) -> Self {
        let field = |name: &str| body.get(name).and_then(Json::as_str);
        let repeatable = match operation {
            Operation::InitiateAuth => {
                matches!(field("AuthFlow"), Some("USER_SRP_AUTH" | "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN"))
            }
            Operation::AssociateSoftwareToken => field("Session").is_none(),
            Operation::GetTokensFromRefreshToken
            | Operation::GetUser
            | Operation::ListDevices
            | Operation::RevokeToken
            | Operation::SetUserMFAPreference
            | Operation::UpdateDeviceStatus
            | Operation::ConfirmDevice
            | Operation::DeleteUserAttributes => true,
            _ => false,
        };
        if repeatable {
            Self::Repeatable
        } else {
            Self::OnlyIfRefused
        }
    }
}

/// Cognito refused the request before carrying it out: throttling.
fn is_refused(error: &Error) -> bool {
    matches!(error.service_name(), Some("TooManyRequestsException" | "ThrottlingException"))
}

#[cfg(test)]
mod tests {
    use super::super::error::ServiceError;
    use super::*;

    fn service(name: &str, status: u16, retry_after_secs: Option<u32>) -> Error {
        Error::Service(ServiceError { name: name.into(), message: String::new(), status, retry_after_secs })
    }

    #[test]
    fn passing_failures_of_repeatable_requests_are_repeated_twice() {
        let p = RetryPolicy::STANDARD;
        for e in [
            Error::Network("fetch failed".into()),
            Error::Timeout("10000 ms".into()),
            service("InternalErrorException", 500, None),
            service("ServiceUnavailableException", 503, None),
            service("TooManyRequestsException", 400, None),
        ] {
            assert!(p.delay(1, &e, Safety::Repeatable, 0).is_some(), "{e:?}");
            assert!(p.delay(2, &e, Safety::Repeatable, 0).is_some(), "{e:?}");
            assert_eq!(p.delay(3, &e, Safety::Repeatable, 0), None, "{e:?}");
        }
    }

    #[test]
    fn final_answers_are_not_repeated() {
        let p = RetryPolicy::STANDARD;
        for e in [service("NotAuthorizedException", 400, None), Error::Protocol("unreadable".into())] {
            assert_eq!(p.delay(1, &e, Safety::Repeatable, 0), None, "{e:?}");
        }
    }

    #[test]
    fn unsafe_requests_are_repeated_only_when_throttled() {
        let p = RetryPolicy::STANDARD;
        assert!(p.delay(1, &service("TooManyRequestsException", 400, None), Safety::OnlyIfRefused, 0).is_some());
        for e in [Error::Network("x".into()), Error::Timeout("x".into()), service("InternalErrorException", 500, None)] {
            assert_eq!(p.delay(1, &e, Safety::OnlyIfRefused, 0), None, "{e:?}");
        }
    }

    #[test]
    fn backoff_is_full_jitter_doubling_up_to_the_cap() {
        let p = RetryPolicy::STANDARD;
        let e = Error::Network("x".into());
        assert_eq!(p.delay(1, &e, Safety::Repeatable, 0), Some(0));
        assert_eq!(p.delay(1, &e, Safety::Repeatable, u32::MAX), Some(100));
        assert_eq!(p.delay(2, &e, Safety::Repeatable, u32::MAX), Some(200));
        assert_eq!(p.delay(2, &e, Safety::Repeatable, 1 << 31), Some(100));
        let long = RetryPolicy { max_attempts: 40, ..p };
        assert_eq!(long.delay(20, &e, Safety::Repeatable, u32::MAX), Some(20_000));
        assert_eq!(long.delay(39, &e, Safety::Repeatable, u32::MAX), Some(20_000));
    }

    #[test]
    fn retry_after_is_a_lower_bound_and_past_the_cap_ends_retries() {
        let p = RetryPolicy::STANDARD;
        assert_eq!(p.delay(1, &service("ServiceUnavailableException", 503, Some(2)), Safety::Repeatable, 0), Some(2000));
        assert_eq!(p.delay(1, &service("ServiceUnavailableException", 503, Some(21)), Safety::Repeatable, 0), None);
    }

    #[test]
    fn one_attempt_disables_retries() {
        let p = RetryPolicy { max_attempts: 1, ..RetryPolicy::STANDARD };
        assert_eq!(p.delay(1, &Error::Network("x".into()), Safety::Repeatable, 0), None);
        assert_eq!(RetryPolicy::NEVER.delay(1, &Error::Network("x".into()), Safety::Repeatable, 0), None);
    }

    #[test]
    fn safety_per_operation() {
        let flow = |f: &str| Json::parse(&format!(r#"{{"AuthFlow":"{f}"}}"#)).unwrap();
        assert_eq!(Safety::of(Operation::InitiateAuth, &flow("USER_SRP_AUTH")), Safety::Repeatable);
        assert_eq!(Safety::of(Operation::InitiateAuth, &flow("REFRESH_TOKEN_AUTH")), Safety::Repeatable);
        assert_eq!(Safety::of(Operation::InitiateAuth, &flow("USER_PASSWORD_AUTH")), Safety::OnlyIfRefused);
        assert_eq!(Safety::of(Operation::InitiateAuth, &flow("USER_AUTH")), Safety::OnlyIfRefused);
        assert_eq!(Safety::of(Operation::InitiateAuth, &flow("CUSTOM_AUTH")), Safety::OnlyIfRefused);
        let none = Json::object();
        assert_eq!(Safety::of(Operation::GetTokensFromRefreshToken, &none), Safety::Repeatable);
        assert_eq!(Safety::of(Operation::GetUser, &none), Safety::Repeatable);
        assert_eq!(Safety::of(Operation::AssociateSoftwareToken, &none), Safety::Repeatable);
        let session = Json::parse(r#"{"Session":"s"}"#).unwrap();
        assert_eq!(Safety::of(Operation::AssociateSoftwareToken, &session), Safety::OnlyIfRefused);
        for op in [Operation::RespondToAuthChallenge, Operation::SignUp, Operation::ConfirmSignUp,
                   Operation::ConfirmForgotPassword, Operation::VerifySoftwareToken, Operation::GlobalSignOut] {
            assert_eq!(Safety::of(op, &none), Safety::OnlyIfRefused, "{op:?}");
        }
    }
}

//! What a call to Cognito can end in, other than success.

use std::fmt;

/// An error answer from Cognito: the exception name and its message, as the service sent them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// Cognito's exception name, e.g. `NotAuthorizedException`.
    pub name: String,
    /// Cognito's message, e.g. `Incorrect username or password.`.
    pub message: String,
    /// The HTTP status it came with.
    pub status: u16,
    /// How long the service asked the caller to wait before trying again (its `Retry-After` header, in
    /// seconds), when it said.
    pub retry_after_secs: Option<u32>,
}

impl ServiceError {
    /// Whether the same request may succeed if sent again later: throttling and the service's own failures.
    #[must_use]
    pub fn retryable(&self) -> bool {
        self.status >= 500
            || matches!(
                self.name.as_str(),
                "TooManyRequestsException"
                    | "ThrottlingException"
                    | "InternalErrorException"
                    | "ServiceUnavailableException"
                    | "RequestTimeoutException"
            )
    }
}

/// Why a call to Cognito did not succeed, sorted by who is at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Cognito answered with an error.
    Service(ServiceError),
    /// The request never got a whole answer: offline, DNS, CORS, a reset connection, a body cut short. Always
    /// retryable.
    Network(String),
    /// No answer came within the request timeout, and the request was abandoned. Retryable.
    Timeout(String),
    /// Cognito (or whatever answered in its place) sent something that is not Cognito's protocol.
    Protocol(String),
}

impl Error {
    /// Whether the same request may succeed if sent again later: a passing service failure, no answer, or no
    /// answer in time.
    #[must_use]
    pub fn retryable(&self) -> bool {
        match self {
            Self::Service(e) => e.retryable(),
            Self::Network(_) | Self::Timeout(_) => true,
            Self::Protocol(_) => false,
        }
    }

    /// A service error's name, if this is one.
    #[must_use]
    pub fn service_name(&self) -> Option<&str> {
        match self {
            Self::Service(e) => Some(&e.name),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Service(e) => write!(f, "{}: {}", e.name, e.message),
            Self::Network(m) => write!(f, "network error: {m}"),
            Self::Timeout(m) => write!(f, "timeout: {m}"),
            Self::Protocol(m) => write!(f, "unexpected response: {m}"),
        }
    }
}

impl std::error::Error for Error {}

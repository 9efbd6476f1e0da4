//! The one error type of the flows, which the JS boundary maps to `Error` objects, and the check of a caller's
//! arguments that refuses empty ones with it ([`require`]).

use std::fmt;

use crate::protocol::{self, ServiceError};
use crate::session::{StorageError, TokenError};
use crate::srp::SrpError;

/// Why a flow did not complete, sorted by who is at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Cognito refused: wrong password, unknown user, bad code, throttling…
    Service(ServiceError),
    /// No answer from Cognito; nothing was changed locally. Retryable.
    Network(String),
    /// Cognito did not answer within the request timeout (or a cross-tab lock was not granted within its
    /// bound); nothing was changed locally. Retryable.
    Timeout(String),
    /// Cognito's answer broke the protocol (including an SRP challenge that cannot be answered safely).
    Protocol(String),
    /// The caller's input was refused before any request was made.
    InvalidParameter(String),
    /// The call does not fit the current state, e.g. signing in while a user is signed in.
    InvalidState { name: &'static str, message: String },
    /// Session storage failed.
    Storage(String),
    /// The platform could not provide secure random bytes.
    Random(String),
}

impl Error {
    /// The name the error is known by in JS: Cognito's exception name for service errors.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::Service(e) => &e.name,
            Self::Network(_) => "NetworkError",
            Self::Timeout(_) => "TimeoutError",
            Self::Protocol(_) => "ProtocolError",
            Self::InvalidParameter(_) => "InvalidParameterException",
            Self::InvalidState { name, .. } => name,
            Self::Storage(_) => "StorageError",
            Self::Random(_) => "RandomSourceError",
        }
    }

    /// The human-readable message; Cognito's own for service errors.
    #[must_use]
    pub fn message(&self) -> &str {
        match self {
            Self::Service(e) => &e.message,
            Self::Network(m)
            | Self::Timeout(m)
            | Self::Protocol(m)
            | Self::InvalidParameter(m)
            | Self::InvalidState { message: m, .. }
            | Self::Storage(m)
            | Self::Random(m) => m,
        }
    }

    /// Whether trying the same call again later may succeed.
    #[must_use]
    pub fn retryable(&self) -> bool {
        match self {
            Self::Service(e) => e.retryable(),
            Self::Network(_) | Self::Timeout(_) => true,
            _ => false,
        }
    }

    /// Whether Cognito answered with this exception name.
    #[must_use]
    pub fn is_service(&self, name: &str) -> bool {
        matches!(self, Self::Service(e) if e.name == name)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name(), self.message())
    }
}

impl std::error::Error for Error {}

/// Rejects an empty required field before any request: Cognito would only answer with a less clear error.
pub(crate) fn require(field: &str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::InvalidParameter([field, " is required"].concat()));
    }
    Ok(())
}

impl From<protocol::Error> for Error {
    fn from(e: protocol::Error) -> Self {
        match e {
            protocol::Error::Service(s) => Self::Service(s),
            protocol::Error::Network(m) => Self::Network(m),
            protocol::Error::Timeout(m) => Self::Timeout(m),
            protocol::Error::Protocol(m) => Self::Protocol(m),
        }
    }
}

impl From<SrpError> for Error {
    fn from(e: SrpError) -> Self {
        Self::Protocol(e.message())
    }
}

impl From<StorageError> for Error {
    fn from(e: StorageError) -> Self {
        Self::Storage(e.0)
    }
}

impl From<TokenError> for Error {
    fn from(e: TokenError) -> Self {
        Self::Protocol(["Cognito issued an unreadable token: ", &e.0].concat())
    }
}

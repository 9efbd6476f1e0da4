//! What happened to the session, for the app's listeners in this tab and the others.

use super::Error;

/// A change to the signed-in state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthEvent {
    SignedIn,
    SignedOut,
    /// New tokens are stored.
    TokenRefresh,
    /// A refresh failed for a passing reason; the session is kept.
    TokenRefreshFailure(Error),
    /// Cognito refused the refresh token; the session was removed.
    SessionExpired,
}

impl AuthEvent {
    /// The event's name as listeners see it.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Self::SignedIn => "signedIn",
            Self::SignedOut => "signedOut",
            Self::TokenRefresh => "tokenRefresh",
            Self::TokenRefreshFailure(_) => "tokenRefreshFailure",
            Self::SessionExpired => "sessionExpired",
        }
    }

    /// Whether other tabs should hear of it: changes to the shared session, not one tab's failures.
    #[must_use]
    pub const fn is_shared(&self) -> bool {
        !matches!(self, Self::TokenRefreshFailure(_))
    }

    /// Reads a shared event's name, as another tab sent it.
    #[must_use]
    pub fn from_shared_name(name: &str) -> Option<Self> {
        match name {
            "signedIn" => Some(Self::SignedIn),
            "signedOut" => Some(Self::SignedOut),
            "tokenRefresh" => Some(Self::TokenRefresh),
            "sessionExpired" => Some(Self::SessionExpired),
            _ => None,
        }
    }
}

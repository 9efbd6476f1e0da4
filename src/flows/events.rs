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
}

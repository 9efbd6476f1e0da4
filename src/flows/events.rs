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
    /// A redirect sign-in came back with the app's `customState` (this tab only).
    CustomState(String),
    /// A redirect sign-in the page completed by itself on load failed (this tab only).
    SignInWithRedirectFailure(Error),
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
            Self::CustomState(_) => "customState",
            Self::SignInWithRedirectFailure(_) => "signInWithRedirectFailure",
        }
    }

    /// Whether other tabs should hear of it: changes to the shared session, not one tab's failures.
    #[must_use]
    pub const fn is_shared(&self) -> bool {
        !matches!(self, Self::TokenRefreshFailure(_) | Self::CustomState(_) | Self::SignInWithRedirectFailure(_))
    }
}

//! The signed-in user's session, for the operations that act on that user.

use crate::session::Session;

use super::get_session::{get_session, GetSessionOptions};
use super::{Config, Error, Platform};

/// The current session with fresh tokens, or `UserUnAuthenticatedException` (Amplify's name) when nobody is
/// signed in.
pub async fn signed_in<P: Platform>(p: &P, config: &Config) -> Result<Session, Error> {
    get_session(p, config, GetSessionOptions::for_config(config)).await?.ok_or_else(|| Error::InvalidState {
        name: "UserUnAuthenticatedException",
        message: "no user is signed in".into(),
    })
}

/// The current session's fresh access token, or `UserUnAuthenticatedException` as [`signed_in`] gives: for the
/// operations that need nothing else of the session.
///
/// The session is dropped in here, once, and the callers hold only the token across their awaits, so the
/// session's drop code is not repeated in each caller's state machine.
pub async fn access_token<P: Platform>(p: &P, config: &Config) -> Result<String, Error> {
    Ok(signed_in(p, config).await?.tokens.access_token)
}

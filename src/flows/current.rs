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

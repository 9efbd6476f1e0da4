//! What a user does: sign up, confirm, sign in, keep the session fresh, sign out.
//!
//! Each flow is a state machine whose states are plain values (see [`sign_in`]) plus a short driver that runs it
//! over a [`Platform`]: the transport, storage, clock and random source, all injected. The drivers are the only
//! code here that awaits anything, and the platform is the only thing they await.
//!
//! Each module uses only modules on lines below its own (tests aside):
//! - [`mfa`], [`sign_up`]: TOTP set-up and MFA preferences (with [`sign_in`]'s MFA types); sign-up, whose
//!   automatic sign-in is a [`sign_in`]
//! - [`account`], [`sign_in`]: the user's own account; signing in, with device SRP
//! - [`devices`]: device operations with the signed-in user's access token (confirming a new one after sign-in)
//! - [`one_request`]: the operations that are one request (password reset, attributes, MFA preferences…) as
//!   data, and the one driver that sends them
//! - `current`: the signed-in user's session
//! - [`redirect`]: sign-in through managed login (authorization code with PKCE), stored as other sign-ins are
//! - [`get_session`], [`sign_out`]: the session, refreshed; sign-out
//! - [`device_secrets`]: this device's remembered-device secrets in storage
//! - `config`, `events`, `metadata`: the client's settings, what happened, what a request passes on
//! - `error`: the [`Error`] type and `require`, the check of a caller's arguments
//!
//! The one exception: a [`Config`] holds the [`get_session::Refresher`] every flow of its client shares, so
//! `config` and `get_session` use each other.

pub mod account;
mod config;
mod current;
pub mod device_secrets;
pub mod devices;
mod error;
mod events;
mod metadata;
pub mod get_session;
pub mod mfa;
pub mod one_request;
pub mod redirect;
pub mod sign_in;
pub mod sign_out;
pub mod sign_up;

#[cfg(test)]
pub(crate) mod fake;

pub use config::Config;
pub use error::Error;
pub use events::AuthEvent;
pub use metadata::Metadata;

use crate::protocol::Transport;
use crate::session::{Clock, Storage};

pub use current::signed_in;

/// A source of cryptographically secure random bytes.
pub trait Random {
    /// Fills `buf`; the text says why it could not.
    fn fill(&self, buf: &mut [u8]) -> Result<(), String>;
}

/// How the tabs of one origin take turns refreshing, and how a tab waits.
#[allow(async_fn_in_trait)] // used generically; futures are not Send on wasm.
pub trait Coordinator {
    /// Held while refreshing; dropping it releases the lock.
    type Guard;

    /// Takes the lock named `name`, shared with the other tabs of this origin. The flag says whether another
    /// holder had it first (it then probably just refreshed, and its tokens may still be on their way here).
    /// Waits at most `timeout_millis` for another holder, then fails with [`Error::Timeout`]: a tab frozen while
    /// holding the lock (a background tab the browser suspended) must not block every other tab for ever.
    async fn lock(&self, name: &str, timeout_millis: u32) -> Result<(Self::Guard, bool), Error>;

    /// Waits, so that another tab's storage writes can arrive.
    async fn sleep(&self, millis: u32);

    /// Tells this tab's listeners, and for shared events the other tabs', what happened.
    fn emit(&self, event: AuthEvent);
}

/// Everything a flow needs from the outside world.
pub trait Platform: Transport + Clock + Random + Coordinator {
    /// The storage both kinds of data live in.
    type Store: Storage;

    /// Where sessions and device secrets are kept (localStorage in browsers by default).
    fn storage(&self) -> &Self::Store;

    /// Where a sign-in waiting for the user's answer to a challenge is kept: it must survive a reload of this
    /// page but is no business of other tabs (sessionStorage in browsers).
    fn transient_storage(&self) -> &Self::Store;
}

/// The session store of `config`'s client, reading only sessions its pool issued.
pub(crate) fn sessions<'a, P: Platform>(p: &'a P, config: &'a Config) -> crate::session::SessionStore<'a, P::Store> {
    crate::session::SessionStore::new(p.storage(), config.client_id())
        .for_pool(config.user_pool_id(), config.endpoint.as_deref())
        .with_claims_cache(config.claims_cache())
}

//! What a user does: sign up, confirm, sign in, keep the session fresh, sign out.
//!
//! Each flow is a state machine whose states are plain values (see [`sign_in`]) plus a short driver that runs it
//! over a [`Platform`]: the transport, storage, clock and random source, all injected. The drivers are the only
//! code here that awaits anything, and the platform is the only thing they await.

mod config;
mod error;
pub mod get_session;
pub mod sign_in;
pub mod sign_out;
pub mod sign_up;

#[cfg(test)]
pub(crate) mod fake;

pub use config::Config;
pub use error::Error;

use crate::protocol::Transport;
use crate::session::{Clock, Storage};

/// A source of cryptographically secure random bytes.
pub trait Random {
    /// Fills `buf`; the text says why it could not.
    fn fill(&self, buf: &mut [u8]) -> Result<(), String>;
}

/// Everything a flow needs from the outside world.
pub trait Platform: Transport + Storage + Clock + Random {}

impl<T: Transport + Storage + Clock + Random> Platform for T {}

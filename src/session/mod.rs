//! A signed-in user's tokens: how they are decoded, where they are stored, and when they need refreshing.
//!
//! Storage and time come in through [`Storage`] and [`Clock`]; nothing here touches the browser.

mod clock;
mod keys;
mod storage;
mod store;
mod tokens;

pub use clock::Clock;
pub use keys::StorageKeys;
pub use storage::{MemoryStorage, Storage, StorageError};
pub use store::{Session, SessionStore};
pub use tokens::{decode_payload, Claims, TokenError, Tokens};

/// Tokens are refreshed when either expires within this many seconds, so that a request made right after
/// `getSession()` does not carry a token that expires in flight.
pub const DEFAULT_REFRESH_MARGIN_SECS: i64 = 60;

/// An unsigned JWT with the given payload, for the crate's tests.
#[cfg(test)]
pub(crate) fn tests_jwt(payload: &serde_json::Value) -> String {
    tokens::tests::jwt(payload)
}

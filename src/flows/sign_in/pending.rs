//! A sign-in waiting for the user, kept in transient storage so that it survives a page reload.

use serde::{Deserialize, Serialize};

use crate::session::Storage;

use super::super::{Error, Metadata};
use super::steps::Waiting;

/// Cognito's challenge Session lives three minutes; the pending sign-in is dropped with it.
pub const PENDING_LIFETIME_MILLIS: i64 = 3 * 60 * 1000;

/// Who is signing in and how far Cognito has got: what a sign-in carries from one request to the next.
/// Never holds the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    /// What the user typed; device secrets are also kept under it.
    pub typed_username: String,
    /// Cognito's USERNAME for challenge responses and SECRET_HASH.
    pub username: String,
    /// USER_ID_FOR_SRP, when an SRP step revealed it: the name tokens are stored under.
    pub user_id_for_srp: Option<String>,
    /// The device key sent with this sign-in, if any.
    pub device_key: Option<String>,
    /// Cognito's Session for the next RespondToAuthChallenge.
    pub session: Option<String>,
    pub metadata: Metadata,
}

/// A sign-in waiting for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub context: Context,
    pub waiting: Waiting,
    pub expires_at_millis: i64,
}

/// Where the pending sign-in of one app client is kept.
pub struct PendingStore<'a, S: Storage> {
    storage: &'a S,
    key: String,
}

impl<'a, S: Storage> PendingStore<'a, S> {
    pub fn new(storage: &'a S, client_id: &str) -> Self {
        Self { storage, key: format!("cognito-wasm.{client_id}.pendingSignIn") }
    }

    /// The pending sign-in if there is one that has not expired at `now_millis`; expired or unreadable ones are
    /// removed.
    pub async fn load(&self, now_millis: i64) -> Result<Option<Pending>, Error> {
        let Some(text) = self.storage.get_item(&self.key).await? else {
            return Ok(None);
        };
        match serde_json::from_str::<Pending>(&text) {
            Ok(p) if p.expires_at_millis > now_millis => Ok(Some(p)),
            _ => {
                self.clear().await?;
                Ok(None)
            }
        }
    }

    pub async fn save(&self, pending: &Pending) -> Result<(), Error> {
        let text = serde_json::to_string(pending).map_err(|e| Error::Storage(e.to_string()))?;
        Ok(self.storage.set_item(&self.key, &text).await?)
    }

    pub async fn clear(&self) -> Result<(), Error> {
        Ok(self.storage.remove_item(&self.key).await?)
    }
}

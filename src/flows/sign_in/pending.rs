//! A sign-in waiting for the user, kept in transient storage so that it survives a page reload.

use crate::protocol::{FromJson, Json, JsonError, ToJson};
use crate::session::Storage;

use super::super::{Error, Metadata};
use super::steps::Waiting;

/// Cognito's challenge Session lives three minutes; the pending sign-in is dropped with it.
pub const PENDING_LIFETIME_MILLIS: i64 = 3 * 60 * 1000;

/// Who is signing in and how far Cognito has got: what a sign-in carries from one request to the next.
/// Never holds the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// What the user typed: device secrets are found from it before Cognito names the user (see `device_secrets`).
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
        Self { storage, key: ["cognito-wasm.", client_id, ".pendingSignIn"].concat() }
    }

    /// The pending sign-in if there is one that has not expired at `now_millis`; expired or unreadable ones are
    /// removed.
    pub fn load(&self, now_millis: i64) -> Result<Option<Pending>, Error> {
        let Some(text) = self.storage.get_item(&self.key)? else {
            return Ok(None);
        };
        match Json::parse(&text).and_then(|json| Pending::from_json(&json)) {
            Ok(p) if p.expires_at_millis > now_millis => Ok(Some(p)),
            _ => {
                self.clear()?;
                Ok(None)
            }
        }
    }

    pub fn save(&self, pending: &Pending) -> Result<(), Error> {
        Ok(self.storage.set_item(&self.key, &pending.to_json().to_text())?)
    }

    pub fn clear(&self) -> Result<(), Error> {
        Ok(self.storage.remove_item(&self.key)?)
    }
}

// Stored as JSON with the fields' Rust names, as earlier versions wrote it.

impl ToJson for Context {
    fn to_json(&self) -> Json {
        Json::object()
            .with("typed_username", &self.typed_username)
            .with("username", &self.username)
            .with("user_id_for_srp", self.user_id_for_srp.as_ref())
            .with("device_key", self.device_key.as_ref())
            .with("session", self.session.as_ref())
            .with("metadata", &self.metadata)
    }
}

impl FromJson for Context {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self {
            typed_username: v.field("typed_username")?,
            username: v.field("username")?,
            user_id_for_srp: v.field("user_id_for_srp")?,
            device_key: v.field("device_key")?,
            session: v.field("session")?,
            metadata: v.field("metadata")?,
        })
    }
}

impl ToJson for Pending {
    fn to_json(&self) -> Json {
        Json::object()
            .with("context", &self.context)
            .with("waiting", &self.waiting)
            .with("expires_at_millis", self.expires_at_millis)
    }
}

impl FromJson for Pending {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self {
            context: v.field("context")?,
            waiting: v.field("waiting")?,
            expires_at_millis: v.field("expires_at_millis")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::sign_in::MfaType;
    use crate::protocol::types::StringMap;

    fn pending(waiting: Waiting) -> Pending {
        let context = Context {
            typed_username: "Alice".into(),
            username: "alice".into(),
            user_id_for_srp: Some("sub-1".into()),
            device_key: None,
            session: Some("s".into()),
            metadata: Metadata { client_metadata: Some(StringMap::from([("k".into(), "v".into())])), encoded_data: None },
        };
        Pending { context, waiting, expires_at_millis: 5 }
    }

    #[test]
    fn every_waiting_state_survives_storage() {
        let states = [
            Waiting::Challenge { name: "SMS_MFA".into(), parameters: StringMap::from([("a".into(), "b".into())]) },
            Waiting::FirstFactorSelection { available: vec!["PASSWORD".into(), "EMAIL_OTP".into()] },
            Waiting::Password { srp: true },
            Waiting::MfaSetupSelection { allowed: vec![MfaType::Totp, MfaType::Email, MfaType::Sms] },
            Waiting::TotpSetup { secret: "S3CR3T".into() },
            Waiting::EmailSetup,
        ];
        for waiting in states {
            let original = pending(waiting);
            let stored = original.to_json().to_text();
            assert_eq!(pending_of(&stored), original, "{stored}");
        }
    }

    fn pending_of(text: &str) -> Pending {
        Pending::from_json(&Json::parse(text).unwrap()).unwrap()
    }

    /// What earlier versions (serde_json) wrote is still read, so a sign-in pending across an upgrade goes on.
    #[test]
    fn reads_the_earlier_format() {
        let earlier = r#"{"context":{"typed_username":"Alice","username":"alice","user_id_for_srp":"sub-1","device_key":null,"session":"s","metadata":{"client_metadata":{"k":"v"},"encoded_data":null}},"waiting":{"kind":"MfaSetupSelection","allowed":["Totp","Email","Sms"]},"expires_at_millis":5}"#;
        let expected = pending(Waiting::MfaSetupSelection { allowed: vec![MfaType::Totp, MfaType::Email, MfaType::Sms] });
        assert_eq!(pending_of(earlier), expected);
        assert_eq!(expected.to_json().to_text(), earlier);
    }
}

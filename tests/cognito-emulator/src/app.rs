//! The running emulator: configuration, signing key, durable store and the short-lived SRP challenges,
//! shared by all HTTP worker threads.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};

use num_bigint::BigUint;
use serde_json::{json, Map, Value};

use crate::cli::Config;
use crate::errors::{CognitoError, ErrorKind};
use crate::srp::ServerEphemeral;
use crate::state::{StateError, Store, User};
use crate::tokens::{KeyError, SigningKey};
use crate::util;

/// An outstanding PASSWORD_VERIFIER challenge: everything needed to check the client's answer.
#[derive(Debug, Clone)]
pub struct Challenge {
    pub session: String,
    pub secret_block: Vec<u8>,
    pub client_id: String,
    /// `None` for the decoy challenge issued for an unknown user under user-existence-error prevention.
    pub user_key: Option<String>,
    pub username: String,
    pub user_id_for_srp: String,
    pub big_a: BigUint,
    pub ephemeral: ServerEphemeral,
    pub verifier: BigUint,
    pub expires_at: u64,
}

/// ID and access token of one issuance.
pub struct IssuedTokens {
    pub id_token: String,
    pub access_token: String,
}

pub struct App {
    pub config: Config,
    /// `iss` of every token: the emulator's own base URL plus the pool id.
    pub issuer: String,
    pub key: SigningKey,
    store: Mutex<Store>,
    challenges: Mutex<HashMap<String, Challenge>>,
    request_counts: Mutex<BTreeMap<String, u64>>,
}

/// A poisoned lock only means another worker panicked mid-request; the data is still usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl App {
    /// Opens (or creates) the pool state. `new_key` is only called when no persisted key exists.
    pub fn new(
        config: Config,
        base_url: &str,
        new_key: impl FnOnce() -> Result<SigningKey, KeyError>,
    ) -> Result<App, StateError> {
        let (store, key) = Store::open(&config.pool_id, config.state_file.as_deref(), new_key)?;
        Ok(App {
            issuer: format!("{}/{}", base_url.trim_end_matches('/'), config.pool_id),
            config,
            key,
            store: Mutex::new(store),
            challenges: Mutex::new(HashMap::new()),
            request_counts: Mutex::new(BTreeMap::new()),
        })
    }

    pub fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    pub fn challenges(&self) -> MutexGuard<'_, HashMap<String, Challenge>> {
        lock(&self.challenges)
    }

    pub fn count_request(&self, operation: &str) {
        *lock(&self.request_counts)
            .entry(operation.to_string())
            .or_insert(0) += 1;
    }

    pub fn request_counts(&self) -> BTreeMap<String, u64> {
        lock(&self.request_counts).clone()
    }

    /// Writes the store; a failure is Cognito's InternalErrorException.
    pub fn persist(&self, store: &Store) -> Result<(), CognitoError> {
        store.save().map_err(|e| {
            eprintln!("cognito-emulator: cannot persist state: {e}");
            CognitoError::internal("Internal server error.")
        })
    }

    /// Unknown app clients are ResourceNotFoundException, as in Cognito.
    pub fn check_client(&self, client_id: &str) -> Result<(), CognitoError> {
        if self.config.client_ids.iter().any(|c| c == client_id) {
            Ok(())
        } else {
            Err(CognitoError::new(
                ErrorKind::ResourceNotFound,
                format!("User pool client {client_id} does not exist."),
            ))
        }
    }

    /// Mints an ID and an access token for `user`, tied to `origin_jti` (the refresh token's session).
    pub fn issue_tokens(
        &self,
        user: &User,
        client_id: &str,
        origin_jti: &str,
        auth_time: u64,
    ) -> IssuedTokens {
        let now = util::now();
        let event_id = util::uuid_v4();

        let mut id = Map::new();
        for attr in &user.attributes {
            let value = match attr.name.as_str() {
                "email_verified" | "phone_number_verified" => Value::Bool(attr.value == "true"),
                _ => Value::String(attr.value.clone()),
            };
            id.insert(attr.name.clone(), value);
        }
        id.insert("sub".into(), json!(user.sub));
        id.insert("iss".into(), json!(self.issuer));
        id.insert("cognito:username".into(), json!(user.username));
        id.insert("origin_jti".into(), json!(origin_jti));
        id.insert("aud".into(), json!(client_id));
        id.insert("event_id".into(), json!(event_id));
        id.insert("token_use".into(), json!("id"));
        id.insert("auth_time".into(), json!(auth_time));
        id.insert("exp".into(), json!(now + self.config.id_token_ttl));
        id.insert("iat".into(), json!(now));
        id.insert("jti".into(), json!(util::uuid_v4()));

        let access = json!({
            "sub": user.sub,
            "iss": self.issuer,
            "client_id": client_id,
            "origin_jti": origin_jti,
            "event_id": event_id,
            "token_use": "access",
            "scope": "aws.cognito.signin.user.admin",
            "auth_time": auth_time,
            "exp": now + self.config.access_token_ttl,
            "iat": now,
            "jti": util::uuid_v4(),
            "username": user.username,
        });
        IssuedTokens {
            id_token: self.key.sign(&Value::Object(id)),
            access_token: self.key.sign(&access),
        }
    }
}

#[cfg(test)]
pub fn test_app(config: Config) -> App {
    match App::new(config, "http://127.0.0.1:1", || {
        Ok(crate::tokens::test_key::shared())
    }) {
        Ok(app) => app,
        Err(e) => panic!("test app: {e}"),
    }
}

//! The running emulator: command-line configuration, the durable store of every pool, the authentication
//! sessions in progress and the request counters, shared by all HTTP worker threads.
//!
//! Lock order: the store before the sessions and before the managed-login grants; no code holds either of
//! them while taking the store.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};

use serde_json::{json, Map, Value};

use crate::challenge::AuthSession;
use crate::cli::Config;
use crate::errors::{CognitoError, ErrorKind};
use crate::faults::Faults;
use crate::oauth::Grants;
use crate::pool::ClientConfig;
use crate::state::{DefaultPool, PoolState, StateError, Store, User};
use crate::tokens::{KeyError, SigningKey};
use crate::util;

/// ID and access token of one issuance.
pub struct IssuedTokens {
    pub id_token: String,
    pub access_token: String,
}

/// What else shapes an issuance: the device the session is on, and for managed-login sessions the granted
/// scopes and the authorize request's `nonce`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras<'a> {
    pub device_key: Option<&'a str>,
    /// Space-separated; `None`: `aws.cognito.signin.user.admin`, what the API sign-ins grant.
    pub scope: Option<&'a str>,
    pub nonce: Option<&'a str>,
}

impl<'a> Extras<'a> {
    pub fn device(device_key: Option<&'a str>) -> Extras<'a> {
        Extras {
            device_key,
            ..Extras::default()
        }
    }
}

/// Makes signing keys for new pools (RSA generation in the binary, a shared key in unit tests).
pub type KeySource = Box<dyn Fn() -> Result<SigningKey, KeyError> + Send + Sync>;

pub struct App {
    pub config: Config,
    /// The emulator's own URL without the trailing slash; issuers are `<base_url>/<poolId>`.
    pub base_url: String,
    store: Mutex<Store>,
    sessions: Mutex<HashMap<String, AuthSession>>,
    /// Operation → count, per pool id ("" for requests no pool could be named for).
    request_counts: Mutex<BTreeMap<String, BTreeMap<String, u64>>>,
    /// Test-only faults armed through `/__emulator__/faults`.
    faults: Mutex<Faults>,
    /// Managed login in flight: authorize requests, codes, login sessions (after the store in lock order).
    oauth: Mutex<Grants>,
    new_key: KeySource,
}

/// A poisoned lock only means another worker panicked mid-request; the data is still usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Where a token-bearing request belongs: the pool and its app client.
#[derive(Debug, Clone)]
pub struct ClientRef {
    pub pool_id: String,
    pub client: ClientConfig,
}

impl App {
    /// Opens (or creates) the state. `new_key` makes the default pool's key when none is persisted, and the
    /// key of every pool created later.
    pub fn new(config: Config, base_url: &str, new_key: KeySource) -> Result<App, StateError> {
        let store = Store::open(
            DefaultPool {
                pool_id: &config.pool_id,
                client_ids: &config.client_ids,
                prevent_user_existence_errors: config.prevent_user_existence_errors,
                username_attributes: &config.username_attributes,
                callback_urls: &config.callback_urls,
            },
            config.state_file.as_deref(),
            &new_key,
        )?;
        Ok(App {
            base_url: base_url.trim_end_matches('/').to_string(),
            config,
            store: Mutex::new(store),
            sessions: Mutex::new(HashMap::new()),
            request_counts: Mutex::new(BTreeMap::new()),
            faults: Mutex::new(Faults::default()),
            oauth: Mutex::new(Grants::default()),
            new_key,
        })
    }

    pub fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    pub fn sessions(&self) -> MutexGuard<'_, HashMap<String, AuthSession>> {
        lock(&self.sessions)
    }

    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        lock(&self.faults)
    }

    pub fn oauth(&self) -> MutexGuard<'_, Grants> {
        lock(&self.oauth)
    }

    pub fn new_signing_key(&self) -> Result<SigningKey, KeyError> {
        (self.new_key)()
    }

    pub fn issuer(&self, pool_id: &str) -> String {
        format!("{}/{pool_id}", self.base_url)
    }

    pub fn count_request(&self, pool_id: Option<&str>, operation: &str) {
        let mut counts = lock(&self.request_counts);
        *counts
            .entry(pool_id.unwrap_or("").to_string())
            .or_default()
            .entry(operation.to_string())
            .or_insert(0) += 1;
    }

    /// Counts for one pool, or summed over all pools (and requests no pool was found for).
    pub fn request_counts(&self, pool_id: Option<&str>) -> BTreeMap<String, u64> {
        let counts = lock(&self.request_counts);
        match pool_id {
            Some(p) => counts.get(p).cloned().unwrap_or_default(),
            None => {
                let mut total = BTreeMap::new();
                for (op, n) in counts.values().flatten() {
                    *total.entry(op.clone()).or_insert(0) += n;
                }
                total
            }
        }
    }

    /// Writes the store; a failure is Cognito's InternalErrorException.
    pub fn persist(&self, store: &Store) -> Result<(), CognitoError> {
        store.save().map_err(|e| {
            eprintln!("cognito-emulator: cannot persist state: {e}");
            CognitoError::internal("Internal server error.")
        })
    }

    /// Finds the pool of an app client; unknown clients are ResourceNotFoundException, as in Cognito.
    pub fn client(&self, store: &Store, client_id: &str) -> Result<ClientRef, CognitoError> {
        store
            .data
            .pools
            .values()
            .find_map(|p| {
                p.client(client_id).map(|c| ClientRef {
                    pool_id: p.pool_id.clone(),
                    client: c.clone(),
                })
            })
            .ok_or_else(|| {
                CognitoError::new(
                    ErrorKind::ResourceNotFound,
                    format!("User pool client {client_id} does not exist."),
                )
            })
    }

    /// Mints an ID and an access token for `user`, tied to `origin_jti` (the refresh token's session).
    /// A federated user's `identities` attribute (JSON text) becomes the `identities` claim, and the
    /// pool's automatic group for that provider (`<poolId>_<Provider>`) its `cognito:groups`.
    #[allow(clippy::too_many_arguments)]
    pub fn issue_tokens(
        &self,
        store: &Store,
        pool: &PoolState,
        user: &User,
        client_id: &str,
        origin_jti: &str,
        auth_time: u64,
        extras: Extras<'_>,
    ) -> Result<IssuedTokens, CognitoError> {
        let key = store
            .key(&pool.pool_id)
            .ok_or_else(|| CognitoError::internal("Pool has no signing key."))?;
        let issuer = self.issuer(&pool.pool_id);
        let now = util::now();
        let event_id = util::uuid_v4();

        let mut id = Map::new();
        for attr in &user.attributes {
            let value = match attr.name.as_str() {
                "email_verified" | "phone_number_verified" => Value::Bool(attr.value == "true"),
                "identities" => serde_json::from_str(&attr.value).unwrap_or(Value::Null),
                _ => Value::String(attr.value.clone()),
            };
            id.insert(attr.name.clone(), value);
        }
        let provider = id
            .get("identities")
            .and_then(|i| i.get(0))
            .and_then(|i| i.get("providerName"))
            .and_then(Value::as_str)
            .map(|p| format!("{}_{p}", pool.pool_id));
        if let Some(group) = &provider {
            id.insert("cognito:groups".into(), json!([group]));
        }
        if let Some(nonce) = extras.nonce {
            id.insert("nonce".into(), json!(nonce));
        }
        id.insert("sub".into(), json!(user.sub));
        id.insert("iss".into(), json!(issuer));
        id.insert("cognito:username".into(), json!(user.username));
        id.insert("origin_jti".into(), json!(origin_jti));
        id.insert("aud".into(), json!(client_id));
        id.insert("event_id".into(), json!(event_id));
        id.insert("token_use".into(), json!("id"));
        id.insert("auth_time".into(), json!(auth_time));
        id.insert("exp".into(), json!(now + self.config.id_token_ttl));
        id.insert("iat".into(), json!(now));
        id.insert("jti".into(), json!(util::uuid_v4()));

        let mut access = json!({
            "sub": user.sub,
            "iss": issuer,
            "client_id": client_id,
            "origin_jti": origin_jti,
            "event_id": event_id,
            "token_use": "access",
            "scope": extras.scope.unwrap_or("aws.cognito.signin.user.admin"),
            "auth_time": auth_time,
            "exp": now + self.config.access_token_ttl,
            "iat": now,
            "jti": util::uuid_v4(),
            "username": user.username,
        });
        if let Some(obj) = access.as_object_mut() {
            if let Some(device) = extras.device_key {
                obj.insert("device_key".into(), json!(device));
            }
            if let Some(group) = provider {
                obj.insert("cognito:groups".into(), json!([group]));
            }
        }
        Ok(IssuedTokens {
            id_token: key.sign(&Value::Object(id)),
            access_token: key.sign(&access),
        })
    }
}

#[cfg(test)]
pub fn test_app(config: Config) -> App {
    match App::new(
        config,
        "http://127.0.0.1:1",
        Box::new(|| Ok(crate::tokens::test_key::shared())),
    ) {
        Ok(app) => app,
        Err(e) => panic!("test app: {e}"),
    }
}

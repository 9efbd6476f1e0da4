//! The durable state of every pool (configuration, clients, users with their MFA settings and devices,
//! signing key, refresh tokens, revocations) and its persistence.
//!
//! With `--state-file` every mutation is written to a temporary file and renamed over the real one, so a
//! crash never leaves a half-written file; without it the state lives in memory only. Files written by the
//! single-pool version (format 1) are still read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::pool::{enable_managed_login, ClientConfig, MfaType, PoolConfig, SignInAttribute};
use crate::tokens::{KeyError, SigningKey};

const FORMAT_VERSION: u32 = 2;
/// How many sent codes a user keeps (the test endpoint shows the newest).
const KEPT_CODES: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    Unconfirmed,
    Confirmed,
    /// Created by an administrator with a temporary password: must answer NEW_PASSWORD_REQUIRED.
    ForceChangePassword,
    /// Made by a sign-in through a federated identity provider (`<Provider>_<id>`): no password.
    ExternalProvider,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    pub name: String,
    pub value: String,
}

/// A code "sent" to a user; kept after use so the test endpoint can still show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentCode {
    pub code: String,
    /// SIGN_UP, FORGOT_PASSWORD, VERIFY_ATTRIBUTE, SMS_MFA, EMAIL_OTP, SMS_OTP.
    pub purpose: String,
    pub destination: String,
    pub delivery_medium: String,
    pub attribute_name: String,
    pub sent_at: u64,
    pub expires_at: u64,
    pub used: bool,
}

/// A user's second factors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct UserMfa {
    pub sms_enabled: bool,
    pub email_enabled: bool,
    /// Base32 TOTP secret, once verified.
    pub totp_secret: Option<String>,
    /// Software-token MFA switched on (MFA_SETUP, or SetUserMFAPreference after VerifySoftwareToken).
    #[serde(default)]
    pub totp_enabled: bool,
    /// Secret handed out by AssociateSoftwareToken (with an access token) and not yet verified.
    pub pending_totp_secret: Option<String>,
    pub preferred: Option<MfaType>,
}

/// A device Cognito handed out a key for (NewDeviceMetadata); usable for DEVICE_SRP_AUTH once confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub device_key: String,
    pub device_group_key: String,
    pub name: Option<String>,
    pub salt_hex: Option<String>,
    pub verifier_hex: Option<String>,
    pub confirmed: bool,
    pub remembered: bool,
    pub created_at: u64,
    pub last_modified: u64,
    pub last_authenticated: u64,
}

/// A user. The password itself is never stored: only the SRP salt and verifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub username: String,
    pub sub: String,
    pub status: UserStatus,
    pub attributes: Vec<Attribute>,
    pub srp_salt_hex: String,
    pub srp_verifier_hex: String,
    /// The USER_ID_FOR_SRP the verifier is computed over: the username. Users of state files written before
    /// the emulator modelled internal usernames have verifiers over the sub; for them this is the sub (set on
    /// load) until their password changes.
    #[serde(default)]
    pub srp_id: String,
    pub created_at: u64,
    /// Every code sent, oldest first (at most [`KEPT_CODES`]).
    #[serde(default)]
    pub codes: Vec<SentCode>,
    /// Set by GlobalSignOut: tokens issued before this second are revoked.
    pub tokens_revoked_before: Option<u64>,
    #[serde(default)]
    pub mfa: UserMfa,
    /// Keyed by device key.
    #[serde(default)]
    pub devices: BTreeMap<String, Device>,
}

impl User {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    }

    pub fn set_attribute(&mut self, name: &str, value: &str) {
        match self.attributes.iter_mut().find(|a| a.name == name) {
            Some(a) => a.value = value.to_string(),
            None => self.attributes.push(Attribute {
                name: name.to_string(),
                value: value.to_string(),
            }),
        }
    }

    pub fn remove_attribute(&mut self, name: &str) {
        self.attributes.retain(|a| a.name != name);
    }

    /// Replaces the password: a new salt and a verifier over the username (USER_ID_FOR_SRP).
    pub fn set_password(&mut self, pool_name: &str, password: &str) {
        let salt = crate::srp::random_int(16);
        self.srp_id = self.username.clone();
        self.srp_verifier_hex =
            crate::srp::verifier(&salt, pool_name, &self.srp_id, password).to_str_radix(16);
        self.srp_salt_hex = salt.to_str_radix(16);
    }

    /// Whether `name` is this user's value of the sign-in attribute `attr` (emails and preferred usernames
    /// case-insensitively), and — when `verified` — that value may be used as an alias: a verified email or
    /// phone number, or the preferred username of a confirmed user.
    fn signs_in_with(&self, attr: SignInAttribute, name: &str, verified: bool) -> bool {
        let Some(value) = self.attribute(attr.name()) else {
            return false;
        };
        let same = match attr {
            SignInAttribute::PhoneNumber => value == name,
            _ => value.to_lowercase() == name.to_lowercase(),
        };
        let usable = !verified
            || match attr {
                SignInAttribute::PreferredUsername => self.status != UserStatus::Unconfirmed,
                _ => self.attribute(&format!("{}_verified", attr.name())) == Some("true"),
            };
        same && usable
    }

    /// Records a sent code; an earlier unused code for the same purpose and attribute stops being valid,
    /// as in Cognito where only the newest code works.
    pub fn record_code(&mut self, sent: SentCode) {
        for old in self.codes.iter_mut().filter(|c| {
            !c.used && c.purpose == sent.purpose && c.attribute_name == sent.attribute_name
        }) {
            old.used = true;
        }
        self.codes.push(sent);
        let excess = self.codes.len().saturating_sub(KEPT_CODES);
        self.codes.drain(..excess);
    }

    /// The newest still-usable code for `purpose` (and `attribute`, when given).
    pub fn usable_code_mut(
        &mut self,
        purpose: &str,
        attribute: Option<&str>,
    ) -> Option<&mut SentCode> {
        self.codes.iter_mut().rev().find(|c| {
            !c.used && c.purpose == purpose && attribute.is_none_or(|a| c.attribute_name == a)
        })
    }

    #[cfg(test)]
    pub fn latest_code(&self) -> Option<&SentCode> {
        self.codes.last()
    }
}

/// A refresh token's server-side record (the token itself is opaque and only its hash is stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshRecord {
    pub client_id: String,
    pub user_key: String,
    pub origin_jti: String,
    pub auth_time: u64,
    pub issued_at: u64,
    pub expires_at: u64,
    pub revoked: bool,
    /// The device the session was authenticated on, carried into refreshed access tokens.
    #[serde(default)]
    pub device_key: Option<String>,
    /// Set when the token was rotated away: it still works until this second (the grace period).
    #[serde(default)]
    pub rotated_until: Option<u64>,
    /// The OAuth scopes granted through managed login (space-separated), carried into refreshed access
    /// tokens; `None` for API sign-ins (`aws.cognito.signin.user.admin`).
    #[serde(default)]
    pub scope: Option<String>,
}

/// Everything of one pool that survives a restart.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PoolState {
    pub pool_id: String,
    pub signing_key_pem: String,
    #[serde(default)]
    pub config: PoolConfig,
    #[serde(default)]
    pub clients: Vec<ClientConfig>,
    /// Keyed by the lower-cased username: user names are case-insensitive.
    pub users: BTreeMap<String, User>,
    /// Keyed by SHA-256 (hex) of the refresh token.
    pub refresh_tokens: BTreeMap<String, RefreshRecord>,
    /// `origin_jti`s whose access and ID tokens are revoked (RevokeToken, GlobalSignOut).
    pub revoked_origin_jtis: BTreeSet<String>,
    /// Creation order, so lookups across pools prefer the newest pool deterministically.
    #[serde(default)]
    pub created_at: u64,
}

impl PoolState {
    pub fn new(
        pool_id: &str,
        key: &SigningKey,
        config: PoolConfig,
        clients: Vec<ClientConfig>,
    ) -> Result<PoolState, KeyError> {
        Ok(PoolState {
            pool_id: pool_id.to_string(),
            signing_key_pem: key.to_pkcs8_pem()?,
            config,
            clients,
            users: BTreeMap::new(),
            refresh_tokens: BTreeMap::new(),
            revoked_origin_jtis: BTreeSet::new(),
            created_at: crate::util::now(),
        })
    }

    /// The pool name used in SRP: the part of the pool id after `_`.
    pub fn pool_name(&self) -> &str {
        self.pool_id
            .split_once('_')
            .map(|(_, name)| name)
            .unwrap_or(&self.pool_id)
    }

    /// The region prefix of the pool id (device keys start with it).
    pub fn region(&self) -> &str {
        self.pool_id
            .split_once('_')
            .map(|(region, _)| region)
            .unwrap_or("us-east-1")
    }

    pub fn client(&self, client_id: &str) -> Option<&ClientConfig> {
        self.clients.iter().find(|c| c.client_id == client_id)
    }

    /// The key of the user a client names in `USERNAME` / `Username`: the username itself
    /// (case-insensitively), else — in a pool with UsernameAttributes — the user whose email or phone number
    /// it is, or — in a pool with AliasAttributes — the user with that verified alias.
    pub fn resolve(&self, name: &str) -> Option<String> {
        let key = user_key(name);
        if self.users.contains_key(&key) {
            return Some(key);
        }
        let (attributes, verified) = if self.config.username_attributes.is_empty() {
            (&self.config.alias_attributes, true)
        } else {
            (&self.config.username_attributes, false)
        };
        attributes.iter().find_map(|attr| {
            self.users
                .iter()
                .find(|(_, u)| u.signs_in_with(*attr, name, verified))
                .map(|(k, _)| k.clone())
        })
    }

    /// The user a client names (see [`PoolState::resolve`]).
    pub fn user(&self, name: &str) -> Option<&User> {
        self.resolve(name).and_then(|k| self.users.get(&k))
    }

    pub fn user_mut(&mut self, name: &str) -> Option<&mut User> {
        let key = self.resolve(name)?;
        self.users.get_mut(&key)
    }

    /// Finds a user by sign-in name (see [`PoolState::resolve`]) or by `sub`.
    pub fn user_key_by_name_or_sub(&self, name: &str) -> Option<String> {
        if let Some(key) = self.resolve(name) {
            return Some(key);
        }
        self.users
            .iter()
            .find(|(_, u)| u.sub == name)
            .map(|(k, _)| k.clone())
    }
}

/// The whole file: every pool, plus which one the command line named.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StateData {
    pub version: u32,
    pub default_pool_id: String,
    pub pools: BTreeMap<String, PoolState>,
}

#[derive(Debug)]
pub enum StateError {
    Io(PathBuf, std::io::Error),
    Parse(PathBuf, serde_json::Error),
    WrongPool {
        path: PathBuf,
        found: String,
        expected: String,
    },
    Key(KeyError),
}

impl std::fmt::Display for StateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StateError::Io(p, e) => write!(f, "state file {}: {e}", p.display()),
            StateError::Parse(p, e) => write!(f, "state file {} is not valid: {e}", p.display()),
            StateError::WrongPool {
                path,
                found,
                expected,
            } => write!(
                f,
                "state file {} belongs to pool {found}, not {expected}",
                path.display()
            ),
            StateError::Key(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for StateError {}

/// The lookup key for a username.
pub fn user_key(username: &str) -> String {
    username.to_lowercase()
}

/// The lookup key for a refresh token.
pub fn refresh_key(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The state, the pools' signing keys and where (if anywhere) it is persisted.
pub struct Store {
    pub data: StateData,
    keys: BTreeMap<String, SigningKey>,
    path: Option<PathBuf>,
}

/// What the default pool looks like when it has to be created.
pub struct DefaultPool<'a> {
    pub pool_id: &'a str,
    pub client_ids: &'a [String],
    pub prevent_user_existence_errors: bool,
    pub username_attributes: &'a [SignInAttribute],
    /// `--callback-url`: managed login for this pool (`pool::enable_managed_login`).
    pub callback_urls: &'a [String],
}

fn read_file(path: &Path) -> Result<StateData, StateError> {
    let text = std::fs::read_to_string(path).map_err(|e| StateError::Io(path.to_path_buf(), e))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| StateError::Parse(path.to_path_buf(), e))?;
    let version = value.get("version").and_then(serde_json::Value::as_u64);
    if version == Some(1) {
        // The single-pool format: the pool itself is the top-level object.
        let pool: PoolState =
            serde_json::from_value(value).map_err(|e| StateError::Parse(path.to_path_buf(), e))?;
        return Ok(StateData {
            version: FORMAT_VERSION,
            default_pool_id: pool.pool_id.clone(),
            pools: BTreeMap::from([(pool.pool_id.clone(), pool)]),
        });
    }
    serde_json::from_value(value).map_err(|e| StateError::Parse(path.to_path_buf(), e))
}

impl Store {
    /// Loads the state file if it exists; otherwise starts with only the default pool, keyed by `new_key`
    /// (and writes the file at once so the key survives a restart).
    pub fn open(
        default: DefaultPool<'_>,
        path: Option<&Path>,
        new_key: impl FnOnce() -> Result<SigningKey, KeyError>,
    ) -> Result<Store, StateError> {
        if let Some(path) = path.filter(|p| p.exists()) {
            let mut data = read_file(path)?;
            if data.default_pool_id != default.pool_id {
                return Err(StateError::WrongPool {
                    path: path.to_path_buf(),
                    found: data.default_pool_id,
                    expected: default.pool_id.to_string(),
                });
            }
            let mut keys = BTreeMap::new();
            for pool in data.pools.values_mut() {
                for user in pool.users.values_mut().filter(|u| u.srp_id.is_empty()) {
                    user.srp_id = user.sub.clone();
                }
                let key =
                    SigningKey::from_pkcs8_pem(&pool.signing_key_pem).map_err(StateError::Key)?;
                if pool.clients.is_empty() && pool.pool_id == default.pool_id {
                    pool.clients = default
                        .client_ids
                        .iter()
                        .map(|c| ClientConfig::public(c))
                        .collect();
                    pool.config.prevent_user_existence_errors =
                        default.prevent_user_existence_errors;
                }
                if pool.pool_id == default.pool_id && !default.callback_urls.is_empty() {
                    enable_managed_login(
                        &mut pool.config,
                        &mut pool.clients,
                        default.callback_urls,
                    );
                }
                keys.insert(pool.pool_id.clone(), key);
            }
            return Ok(Store {
                data,
                keys,
                path: Some(path.to_path_buf()),
            });
        }
        let key = new_key().map_err(StateError::Key)?;
        let config = PoolConfig {
            prevent_user_existence_errors: default.prevent_user_existence_errors,
            username_attributes: default.username_attributes.to_vec(),
            ..PoolConfig::default()
        };
        let mut config = config;
        let mut clients: Vec<ClientConfig> = default
            .client_ids
            .iter()
            .map(|c| ClientConfig::public(c))
            .collect();
        if !default.callback_urls.is_empty() {
            enable_managed_login(&mut config, &mut clients, default.callback_urls);
        }
        let pool =
            PoolState::new(default.pool_id, &key, config, clients).map_err(StateError::Key)?;
        let store = Store {
            data: StateData {
                version: FORMAT_VERSION,
                default_pool_id: default.pool_id.to_string(),
                pools: BTreeMap::from([(default.pool_id.to_string(), pool)]),
            },
            keys: BTreeMap::from([(default.pool_id.to_string(), key)]),
            path: path.map(Path::to_path_buf),
        };
        store.save()?;
        Ok(store)
    }

    /// Writes the state (temp file + rename) when a state file is configured.
    pub fn save(&self) -> Result<(), StateError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let json = serde_json::to_vec_pretty(&self.data)
            .map_err(|e| StateError::Parse(path.clone(), e))?;
        let mut tmp = path.clone().into_os_string();
        tmp.push(format!(".tmp{}", std::process::id()));
        let tmp = PathBuf::from(tmp);
        std::fs::write(&tmp, json).map_err(|e| StateError::Io(tmp.clone(), e))?;
        std::fs::rename(&tmp, path).map_err(|e| StateError::Io(path.clone(), e))
    }

    /// Adds a pool with its own key.
    pub fn add_pool(&mut self, pool: PoolState, key: SigningKey) {
        self.keys.insert(pool.pool_id.clone(), key);
        self.data.pools.insert(pool.pool_id.clone(), pool);
    }

    pub fn pool(&self, pool_id: &str) -> Option<&PoolState> {
        self.data.pools.get(pool_id)
    }

    pub fn pool_mut(&mut self, pool_id: &str) -> Option<&mut PoolState> {
        self.data.pools.get_mut(pool_id)
    }

    pub fn key(&self, pool_id: &str) -> Option<&SigningKey> {
        self.keys.get(pool_id)
    }

    /// The pool an app client belongs to.
    pub fn pool_id_of_client(&self, client_id: &str) -> Option<String> {
        self.data
            .pools
            .values()
            .find(|p| p.client(client_id).is_some())
            .map(|p| p.pool_id.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::test_key;

    fn user() -> User {
        User {
            username: "Alice".into(),
            sub: "s".into(),
            status: UserStatus::Confirmed,
            attributes: vec![],
            srp_salt_hex: "01".into(),
            srp_verifier_hex: "02".into(),
            srp_id: "Alice".into(),
            created_at: 1,
            codes: vec![],
            tokens_revoked_before: None,
            mfa: UserMfa::default(),
            devices: BTreeMap::new(),
        }
    }

    fn default_pool(id: &str) -> DefaultPool<'_> {
        DefaultPool {
            pool_id: id,
            client_ids: &[],
            prevent_user_existence_errors: false,
            username_attributes: &[],
            callback_urls: &[],
        }
    }

    #[test]
    fn callback_urls_give_the_default_pool_managed_login_at_every_start() {
        let dir =
            std::env::temp_dir().join(format!("cognito-emulator-state-{}", crate::util::uuid_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        let clients = vec!["c1".to_string()];
        let open = |urls: &[String]| {
            Store::open(
                DefaultPool {
                    client_ids: &clients,
                    callback_urls: urls,
                    ..default_pool("us-east-1_X")
                },
                Some(&path),
                || Ok(test_key::shared()),
            )
            .unwrap()
        };
        let first = ["http://localhost:8080/".to_string()];
        let store = open(&first);
        let pool = store.pool("us-east-1_X").unwrap();
        let names: Vec<_> = pool
            .config
            .identity_providers
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(
            names,
            ["Google", "Facebook", "SignInWithApple", "LoginWithAmazon"]
        );
        let oauth = &pool.clients[0].oauth;
        assert_eq!(oauth.callback_urls, first);
        assert_eq!(oauth.logout_urls, first);
        assert_eq!(oauth.identity_providers[0], "COGNITO");
        assert_eq!(oauth.identity_providers.len(), 5);
        // A later start with other URLs, from the state file: the command line decides, nothing is doubled.
        let second = ["http://127.0.0.1:9000/".to_string()];
        let store = open(&second);
        let pool = store.pool("us-east-1_X").unwrap();
        assert_eq!(pool.config.identity_providers.len(), 4);
        assert_eq!(pool.clients[0].oauth.callback_urls, second);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn persists_and_reloads_every_pool() {
        let dir =
            std::env::temp_dir().join(format!("cognito-emulator-state-{}", crate::util::uuid_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        let mut store = Store::open(default_pool("us-east-1_X"), Some(&path), || {
            Ok(test_key::shared())
        })
        .unwrap();
        let kid = store.key("us-east-1_X").unwrap().kid.clone();
        store
            .pool_mut("us-east-1_X")
            .unwrap()
            .users
            .insert("alice".into(), user());
        let key = test_key::shared();
        let second = PoolState::new(
            "us-east-1_Y",
            &key,
            PoolConfig::default(),
            vec![ClientConfig::public("c2")],
        )
        .unwrap();
        store.add_pool(second, key);
        store.save().unwrap();
        let again = Store::open(default_pool("us-east-1_X"), Some(&path), || {
            panic!("must not generate a new key")
        })
        .unwrap();
        assert_eq!(again.key("us-east-1_X").unwrap().kid, kid);
        let pool = again.pool("us-east-1_X").unwrap();
        assert_eq!(
            pool.user("ALICE").map(|u| u.username.as_str()),
            Some("Alice")
        );
        assert_eq!(pool.user_key_by_name_or_sub("s").as_deref(), Some("alice"));
        assert_eq!(
            again.pool_id_of_client("c2").as_deref(),
            Some("us-east-1_Y")
        );
        assert!(matches!(
            Store::open(default_pool("us-east-1_Z"), Some(&path), || Ok(
                test_key::shared()
            )),
            Err(StateError::WrongPool { .. })
        ));
        std::fs::write(&path, "{not json").unwrap();
        assert!(matches!(
            Store::open(default_pool("us-east-1_X"), Some(&path), || Ok(
                test_key::shared()
            )),
            Err(StateError::Parse(..))
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn reads_the_single_pool_format() {
        let dir =
            std::env::temp_dir().join(format!("cognito-emulator-v1-{}", crate::util::uuid_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        let v1 = serde_json::json!({
            "version": 1, "pool_id": "us-east-1_X",
            "signing_key_pem": test_key::shared().to_pkcs8_pem().unwrap(),
            "users": {"alice": {"username": "Alice", "sub": "s", "status": "CONFIRMED", "attributes": [],
                "srp_salt_hex": "01", "srp_verifier_hex": "02", "created_at": 1, "last_code": null,
                "tokens_revoked_before": null}},
            "refresh_tokens": {}, "revoked_origin_jtis": []
        });
        std::fs::write(&path, v1.to_string()).unwrap();
        let clients = vec!["c1".to_string()];
        let store = Store::open(
            DefaultPool {
                pool_id: "us-east-1_X",
                client_ids: &clients,
                prevent_user_existence_errors: false,
                username_attributes: &[],
                callback_urls: &[],
            },
            Some(&path),
            || panic!("no new key"),
        )
        .unwrap();
        assert_eq!(
            store.pool_id_of_client("c1").as_deref(),
            Some("us-east-1_X")
        );
        let alice = store.pool("us-east-1_X").unwrap().user("alice").unwrap();
        // Written before internal usernames were modelled: the verifier is over the sub.
        assert_eq!(alice.srp_id, "s");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn newer_codes_supersede_older_ones() {
        let mut u = user();
        let code = |c: &str, purpose: &str| SentCode {
            code: c.into(),
            purpose: purpose.into(),
            destination: String::new(),
            delivery_medium: "EMAIL".into(),
            attribute_name: "email".into(),
            sent_at: 0,
            expires_at: u64::MAX,
            used: false,
        };
        u.record_code(code("1", "SIGN_UP"));
        u.record_code(code("2", "FORGOT_PASSWORD"));
        u.record_code(code("3", "SIGN_UP"));
        assert_eq!(
            u.usable_code_mut("SIGN_UP", None).map(|c| c.code.clone()),
            Some("3".into())
        );
        assert_eq!(
            u.usable_code_mut("FORGOT_PASSWORD", Some("email"))
                .map(|c| c.code.clone()),
            Some("2".into())
        );
        assert_eq!(u.latest_code().map(|c| c.code.as_str()), Some("3"));
        for i in 0..30 {
            u.record_code(code(&i.to_string(), "SMS_MFA"));
        }
        assert_eq!(u.codes.len(), KEPT_CODES);
    }
}

//! The pool's durable state (users, signing key, refresh tokens, revocations) and its persistence.
//!
//! With `--state-file` every mutation is written to a temporary file and renamed over the real one, so a
//! crash never leaves a half-written file; without it the state lives in memory only.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::tokens::{KeyError, SigningKey};

const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    Unconfirmed,
    Confirmed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    pub name: String,
    pub value: String,
}

/// The last code "sent" to a user; kept after use so the test endpoint can still show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentCode {
    pub code: String,
    pub purpose: String,
    pub destination: String,
    pub delivery_medium: String,
    pub attribute_name: String,
    pub sent_at: u64,
    pub expires_at: u64,
    pub used: bool,
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
    pub created_at: u64,
    pub last_code: Option<SentCode>,
    /// Set by GlobalSignOut: tokens issued before this second are revoked.
    pub tokens_revoked_before: Option<u64>,
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
}

/// Everything that survives a restart.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PoolState {
    pub version: u32,
    pub pool_id: String,
    pub signing_key_pem: String,
    /// Keyed by the lower-cased username: user names are case-insensitive.
    pub users: BTreeMap<String, User>,
    /// Keyed by SHA-256 (hex) of the refresh token.
    pub refresh_tokens: BTreeMap<String, RefreshRecord>,
    /// `origin_jti`s whose access and ID tokens are revoked (RevokeToken, GlobalSignOut).
    pub revoked_origin_jtis: BTreeSet<String>,
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

/// The state plus where (if anywhere) it is persisted.
pub struct Store {
    pub data: PoolState,
    path: Option<PathBuf>,
}

impl Store {
    /// Loads the state file if it exists; otherwise starts empty with a key from `new_key` (and writes the
    /// file at once so the key survives a restart).
    pub fn open(
        pool_id: &str,
        path: Option<&Path>,
        new_key: impl FnOnce() -> Result<SigningKey, KeyError>,
    ) -> Result<(Store, SigningKey), StateError> {
        if let Some(path) = path {
            if path.exists() {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| StateError::Io(path.to_path_buf(), e))?;
                let data: PoolState = serde_json::from_str(&text)
                    .map_err(|e| StateError::Parse(path.to_path_buf(), e))?;
                if data.pool_id != pool_id {
                    return Err(StateError::WrongPool {
                        path: path.to_path_buf(),
                        found: data.pool_id,
                        expected: pool_id.to_string(),
                    });
                }
                let key =
                    SigningKey::from_pkcs8_pem(&data.signing_key_pem).map_err(StateError::Key)?;
                return Ok((
                    Store {
                        data,
                        path: Some(path.to_path_buf()),
                    },
                    key,
                ));
            }
        }
        let key = new_key().map_err(StateError::Key)?;
        let data = PoolState {
            version: FORMAT_VERSION,
            pool_id: pool_id.to_string(),
            signing_key_pem: key.to_pkcs8_pem().map_err(StateError::Key)?,
            users: BTreeMap::new(),
            refresh_tokens: BTreeMap::new(),
            revoked_origin_jtis: BTreeSet::new(),
        };
        let store = Store {
            data,
            path: path.map(Path::to_path_buf),
        };
        store.save()?;
        Ok((store, key))
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

    pub fn user(&self, username: &str) -> Option<&User> {
        self.data.users.get(&user_key(username))
    }

    pub fn user_mut(&mut self, username: &str) -> Option<&mut User> {
        self.data.users.get_mut(&user_key(username))
    }

    /// Finds a user by username or by `sub` (the USER_ID_FOR_SRP the official client sends back).
    pub fn user_key_by_name_or_sub(&self, name: &str) -> Option<String> {
        let key = user_key(name);
        if self.data.users.contains_key(&key) {
            return Some(key);
        }
        self.data
            .users
            .iter()
            .find(|(_, u)| u.sub == name)
            .map(|(k, _)| k.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::test_key;

    #[test]
    fn persists_and_reloads() {
        let dir =
            std::env::temp_dir().join(format!("cognito-emulator-state-{}", crate::util::uuid_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        let (mut store, key) =
            Store::open("us-east-1_X", Some(&path), || Ok(test_key::shared())).unwrap();
        store.data.users.insert(
            "alice".into(),
            User {
                username: "Alice".into(),
                sub: "s".into(),
                status: UserStatus::Confirmed,
                attributes: vec![],
                srp_salt_hex: "01".into(),
                srp_verifier_hex: "02".into(),
                created_at: 1,
                last_code: None,
                tokens_revoked_before: None,
            },
        );
        store.save().unwrap();
        let (again, key2) = Store::open("us-east-1_X", Some(&path), || {
            panic!("must not generate a new key")
        })
        .unwrap();
        assert_eq!(key2.kid, key.kid);
        assert_eq!(
            again.user("ALICE").map(|u| u.username.as_str()),
            Some("Alice")
        );
        assert_eq!(again.user_key_by_name_or_sub("s").as_deref(), Some("alice"));
        assert!(matches!(
            Store::open("us-east-1_Y", Some(&path), || Ok(test_key::shared())),
            Err(StateError::WrongPool { .. })
        ));
        std::fs::write(&path, "{not json").unwrap();
        assert!(matches!(
            Store::open("us-east-1_X", Some(&path), || Ok(test_key::shared())),
            Err(StateError::Parse(..))
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

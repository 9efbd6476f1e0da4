//! The key-value storage sessions are kept in.

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::protocol::types::StringMap;

/// A storage backend failed (quota exceeded, access denied, a user-supplied store threw).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageError(pub String);

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "storage failed: {}", self.0)
    }
}

impl std::error::Error for StorageError {}

/// String key-value storage: Web Storage, memory, or a store the app supplies. Async because app-supplied
/// stores (React Native's AsyncStorage, encrypted stores) are.
#[allow(async_fn_in_trait)] // used generically; futures are not Send on wasm.
pub trait Storage {
    async fn get_item(&self, key: &str) -> Result<Option<String>, StorageError>;
    async fn set_item(&self, key: &str, value: &str) -> Result<(), StorageError>;
    async fn remove_item(&self, key: &str) -> Result<(), StorageError>;
}

/// Storage that lives as long as the value: Node's default, and the tests'.
///
/// Kept in a [`StringMap`] rather than a `BTreeMap`, whose B-tree code would otherwise be compiled into the wasm
/// build for this alone.
#[derive(Debug, Default)]
pub struct MemoryStorage {
    items: RefCell<StringMap>,
}

impl MemoryStorage {
    /// A snapshot of everything stored, for tests and debugging.
    #[must_use]
    pub fn snapshot(&self) -> BTreeMap<String, String> {
        self.items.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}

impl Storage for MemoryStorage {
    async fn get_item(&self, key: &str) -> Result<Option<String>, StorageError> {
        Ok(self.items.borrow().get(key).cloned())
    }

    async fn set_item(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.items.borrow_mut().insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    async fn remove_item(&self, key: &str) -> Result<(), StorageError> {
        self.items.borrow_mut().remove(key);
        Ok(())
    }
}

//! The browser (and Node) side of the core's traits: fetch, Web Storage, `crypto.getRandomValues`, `Date.now`.
//!
//! Only global functions that browsers, Web Workers and Node ≥ 20 all have are used, so one build serves them all.

mod fetch;
mod web_storage;

pub use fetch::FetchTransport;
pub use web_storage::WebStorage;

use crate::flows::{Platform, Random};
use crate::protocol::{HttpResponse, Operation, Transport, TransportError};
use crate::session::{Clock, MemoryStorage, Storage, StorageError};

/// A storage area: Web Storage where the environment has it, memory elsewhere.
pub enum StorageBackend {
    Web(WebStorage),
    Memory(MemoryStorage),
}

impl StorageBackend {
    /// `localStorage` or `sessionStorage` if this environment has it, memory otherwise (Node, some workers).
    #[must_use]
    pub fn web_or_memory(name: &str) -> Self {
        WebStorage::global(name).map_or_else(|_| Self::Memory(MemoryStorage::default()), Self::Web)
    }
}

impl Storage for StorageBackend {
    async fn get_item(&self, key: &str) -> Result<Option<String>, StorageError> {
        match self {
            Self::Web(s) => s.get_item(key).await,
            Self::Memory(s) => s.get_item(key).await,
        }
    }

    async fn set_item(&self, key: &str, value: &str) -> Result<(), StorageError> {
        match self {
            Self::Web(s) => s.set_item(key, value).await,
            Self::Memory(s) => s.set_item(key, value).await,
        }
    }

    async fn remove_item(&self, key: &str) -> Result<(), StorageError> {
        match self {
            Self::Web(s) => s.remove_item(key).await,
            Self::Memory(s) => s.remove_item(key).await,
        }
    }
}

/// The platform the flows run on in wasm.
pub struct WebPlatform {
    pub transport: FetchTransport,
    /// Sessions and device secrets.
    pub storage: StorageBackend,
    /// Pending sign-ins: sessionStorage where there is one.
    pub transient: StorageBackend,
}

impl Transport for WebPlatform {
    async fn send(&self, operation: Operation, body: String) -> Result<HttpResponse, TransportError> {
        self.transport.send(operation, body).await
    }
}

impl Platform for WebPlatform {
    type Store = StorageBackend;

    fn storage(&self) -> &StorageBackend {
        &self.storage
    }

    fn transient_storage(&self) -> &StorageBackend {
        &self.transient
    }
}

impl Clock for WebPlatform {
    fn now_millis(&self) -> i64 {
        js_sys::Date::now() as i64
    }
}

impl Random for WebPlatform {
    fn fill(&self, buf: &mut [u8]) -> Result<(), String> {
        getrandom::fill(buf).map_err(|e| format!("crypto.getRandomValues failed: {e}"))
    }
}

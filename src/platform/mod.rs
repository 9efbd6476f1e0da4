//! The browser (and Node) side of the core's traits: fetch, Web Storage, `crypto.getRandomValues`, `Date.now`.
//!
//! Only global functions that browsers, Web Workers and Node ≥ 20 all have are used, so one build serves them all.

mod fetch;
mod web_storage;

pub use fetch::FetchTransport;
pub use web_storage::WebStorage;

use crate::flows::Random;
use crate::protocol::{HttpResponse, Operation, Transport, TransportError};
use crate::session::{Clock, MemoryStorage, Storage, StorageError};

/// Where sessions are kept.
pub enum StorageBackend {
    Web(WebStorage),
    Memory(MemoryStorage),
}

/// The platform the flows run on in wasm.
pub struct WebPlatform {
    pub transport: FetchTransport,
    pub storage: StorageBackend,
}

impl Transport for WebPlatform {
    async fn send(&self, operation: Operation, body: String) -> Result<HttpResponse, TransportError> {
        self.transport.send(operation, body).await
    }
}

impl Storage for WebPlatform {
    async fn get_item(&self, key: &str) -> Result<Option<String>, StorageError> {
        match &self.storage {
            StorageBackend::Web(s) => s.get_item(key).await,
            StorageBackend::Memory(s) => s.get_item(key).await,
        }
    }

    async fn set_item(&self, key: &str, value: &str) -> Result<(), StorageError> {
        match &self.storage {
            StorageBackend::Web(s) => s.set_item(key, value).await,
            StorageBackend::Memory(s) => s.set_item(key, value).await,
        }
    }

    async fn remove_item(&self, key: &str) -> Result<(), StorageError> {
        match &self.storage {
            StorageBackend::Web(s) => s.remove_item(key).await,
            StorageBackend::Memory(s) => s.remove_item(key).await,
        }
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

//! The browser (and Node) side of the core's traits: Web Storage, cookies and the app's storage object,
//! `crypto.getRandomValues`, `Date.now`; requests, the cross-tab lock, timers and the listeners through
//! pkg-template/driver.js, which does them in JavaScript and gives Rust one Promise to await for each wait.
//!
//! Only global functions that browsers, Web Workers and Node ≥ 20 all have are used, so one build serves them all.

mod cookie_storage;
mod coordination;
mod fetch;
mod js_storage;
mod web_storage;

pub use cookie_storage::{CookieOptions, CookieStorage};
pub use coordination::{EventHub, LockGuard};
pub use fetch::FetchTransport;
pub use js_storage::JsStorage;
use js_storage::Waiting;
pub use web_storage::WebStorage;

use crate::flows::{AuthEvent, Coordinator, Error, Platform, Random};
use crate::protocol::{HttpResponse, Operation, RetryPolicy, Transport, TransportError};
use crate::session::{Clock, MemoryStorage, Storage, StorageError};

/// A storage area: Web Storage where the environment has it, memory elsewhere.
pub enum StorageBackend {
    Web(WebStorage),
    Memory(MemoryStorage),
    Cookie(CookieStorage),
    Js(JsStorage),
}

impl StorageBackend {
    /// `localStorage` or `sessionStorage` if this environment has it, memory otherwise (Node, some workers).
    #[must_use]
    pub fn web_or_memory(name: &str) -> Self {
        WebStorage::global(name).map_or_else(|_| Self::Memory(MemoryStorage::default()), Self::Web)
    }
}

/// Web Storage, memory and cookies answer at once; only the app's own storage object may need reading ahead.
impl Storage for StorageBackend {
    fn get_item(&self, key: &str) -> Result<Option<String>, StorageError> {
        match self {
            Self::Web(s) => s.get(key),
            Self::Memory(s) => s.get(key),
            Self::Cookie(s) => s.get(key),
            Self::Js(s) => s.get_item(key),
        }
    }

    fn set_item(&self, key: &str, value: &str) -> Result<(), StorageError> {
        match self {
            Self::Web(s) => s.set(key, value),
            Self::Memory(s) => s.set(key, value),
            Self::Cookie(s) => s.set(key, value),
            Self::Js(s) => s.set_item(key, value),
        }
    }

    fn remove_item(&self, key: &str) -> Result<(), StorageError> {
        match self {
            Self::Web(s) => s.remove(key),
            Self::Memory(s) => s.remove(key),
            Self::Cookie(s) => s.remove(key),
            Self::Js(s) => s.remove_item(key),
        }
    }

    fn preload(&self, keys: &[String]) -> impl std::future::Future<Output = Result<(), StorageError>> {
        match self {
            Self::Js(s) => s.load(keys),
            _ => Waiting::Ready(None),
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
    pub events: std::rc::Rc<EventHub>,
    /// How failed requests are repeated (`retries` option).
    pub retries: RetryPolicy,
}

impl Transport for WebPlatform {
    async fn send(&self, operation: Operation, body: String) -> Result<HttpResponse, TransportError> {
        self.transport.send(operation, body).await
    }

    fn retry_policy(&self) -> RetryPolicy {
        self.retries
    }

    async fn pause(&self, millis: u32) {
        coordination::sleep(millis).await;
    }

    fn jitter(&self) -> u32 {
        (js_sys::Math::random() * 4_294_967_296.0) as u32
    }
}

impl Coordinator for WebPlatform {
    type Guard = LockGuard;

    /// With the app's own storage object, the lock is released only once the writes made under it have
    /// finished, and what it holds is read again once the lock is ours: the holder before may have written it.
    async fn lock(&self, name: &str, timeout_millis: u32) -> Result<(LockGuard, bool), Error> {
        let (mut guard, waited) = coordination::lock(name, timeout_millis).await?;
        if let StorageBackend::Js(s) = &self.storage {
            guard.release_after(s.settled());
            s.reread().await?;
        }
        Ok((guard, waited))
    }

    async fn sleep(&self, millis: u32) {
        coordination::sleep(millis).await;
    }

    fn emit(&self, event: AuthEvent) {
        self.events.emit(&event);
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

/// An operation of the API as [`WebPlatform::operation`] runs it: boxed, so that one instance serves them all.
pub type Flow = std::pin::Pin<Box<dyn std::future::Future<Output = Result<wasm_bindgen::JsValue, Error>>>>;

impl WebPlatform {
    /// Runs one operation of the API. With the app's own storage object, what the operation may read is read
    /// ahead first, and the operation ends once its writes have, failing if one of them did.
    pub async fn operation(&self, flow: Flow) -> Result<wasm_bindgen::JsValue, Error> {
        let StorageBackend::Js(s) = &self.storage else {
            return flow.await;
        };
        let result = match s.begin().await {
            Ok(()) => flow.await,
            Err(e) => Err(e.into()),
        };
        let ended = s.end().await;
        let value = result?;
        ended?;
        Ok(value)
    }
}

impl Clock for WebPlatform {
    fn now_millis(&self) -> i64 {
        js_sys::Date::now() as i64
    }
}

impl Random for WebPlatform {
    fn fill(&self, buf: &mut [u8]) -> Result<(), String> {
        // A fixed message: getrandom's own (its Display) would bring in the formatting code for a line that says
        // the same.
        getrandom::fill(buf).map_err(|_| "crypto.getRandomValues is missing or failed".to_owned())
    }
}

//! Taking turns across tabs, waiting, and telling listeners here and in other tabs what happened: done by
//! pkg-template/driver.js's `lock` (Web Locks, or the localStorage fallback), `sleep` and `events` (the listeners
//! and a BroadcastChannel). The lock and the wait are one Promise each for Rust to await.

use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::flows::{AuthEvent, Error};

use super::fetch::{as_array, describe};

#[wasm_bindgen(module = "/pkg-template/driver.js")]
extern "C" {
    /// Resolves with `[release, waited]`, rejects with `[timedOut, error]`.
    #[wasm_bindgen(js_name = lock)]
    fn driver_lock(name: &str, timeout_millis: u32) -> Promise;
    #[wasm_bindgen(js_name = sleep)]
    fn driver_sleep(millis: u32) -> Promise;
}

/// Releases the cross-tab lock when dropped.
pub struct LockGuard {
    /// The driver's `release(after)`.
    release: JsValue,
    /// What gives a Promise for the app's storage object's unfinished writes: a Web Lock is released once that
    /// settles.
    after: Option<Function>,
}

impl LockGuard {
    /// Releases the lock only once the Promise `settled()` gives when the guard drops has settled (the writes
    /// made under the lock), so that the next holder reads them.
    /// Done for Web Locks; the storage fallback's entry is removed at once (a store the app supplies without
    /// Web Locks is the one case where another tab may read ahead of the last writes).
    pub fn release_after(&mut self, settled: Option<Function>) {
        self.after = settled;
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        let after = self.after.as_ref().and_then(|f| f.call0(&JsValue::NULL).ok()).unwrap_or(JsValue::UNDEFINED);
        if let Some(release) = self.release.dyn_ref::<Function>() {
            let _ = release.call1(&JsValue::NULL, &after);
        }
    }
}

/// Takes the named cross-tab lock, waiting at most `timeout_millis` for another holder (then
/// [`Error::Timeout`]); the flag says whether another holder had it first. Any other failure of the lock is
/// [`Error::Storage`].
pub async fn lock(name: &str, timeout_millis: u32) -> Result<(LockGuard, bool), Error> {
    match JsFuture::from(driver_lock(name, timeout_millis)).await {
        Ok(held) => {
            let held = as_array(held);
            Ok((LockGuard { release: held.get(0), after: None }, held.get(1).is_truthy()))
        }
        Err(failure) => {
            let failure = as_array(failure);
            if failure.get(0).is_truthy() {
                Err(Error::Timeout("another tab held the refresh lock for longer than this tab waits".into()))
            } else {
                Err(Error::Storage(describe(&failure.get(1))))
            }
        }
    }
}

/// Waits `millis`.
pub async fn sleep(millis: u32) {
    let _ = JsFuture::from(driver_sleep(millis)).await;
}

/// The app's `onAuthStateChange` listeners and the channel to the other tabs: the driver's `events`.
pub struct EventHub {
    hub: Events,
    /// Turns an error into the JS value listeners receive; given by the API layer, which owns that mapping.
    error_to_js: fn(&Error) -> JsValue,
}

#[wasm_bindgen(module = "/pkg-template/driver.js")]
extern "C" {
    type Events;
    #[wasm_bindgen(js_name = events)]
    fn driver_events(client_id: &str) -> Events;
    #[wasm_bindgen(method)]
    fn subscribe(this: &Events, listener: &Function) -> Function;
    #[wasm_bindgen(method)]
    fn emit(this: &Events, event: &str, shared: bool, error: JsValue);
    #[wasm_bindgen(method)]
    fn close(this: &Events);
}

impl EventHub {
    /// A hub for the client `client_id`, listening to the other tabs where BroadcastChannel exists.
    pub fn new(client_id: &str, error_to_js: fn(&Error) -> JsValue) -> Rc<Self> {
        Rc::new(Self { hub: driver_events(client_id), error_to_js })
    }

    /// Adds a listener; returns the function that removes it.
    pub fn subscribe(&self, listener: &Function) -> Function {
        self.hub.subscribe(listener)
    }

    /// Tells this tab's listeners and, for shared events, the other tabs'.
    pub fn emit(&self, event: &AuthEvent) {
        let error = match event {
            AuthEvent::TokenRefreshFailure(error) => (self.error_to_js)(error),
            _ => JsValue::UNDEFINED,
        };
        self.hub.emit(event.name(), event.is_shared(), error);
    }
}

impl Drop for EventHub {
    fn drop(&mut self) {
        self.hub.close();
    }
}

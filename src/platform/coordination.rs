//! Taking turns across tabs, waiting, and telling listeners here and in other tabs what happened
//! (BroadcastChannel). The locks (Web Locks, or the localStorage fallback) and the timers are `lock` and `sleep`
//! in pkg-template/driver.js: each is one Promise for Rust to await.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::flows::{AuthEvent, Error};

use super::fetch::describe;

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
            let held = Array::from(&held);
            Ok((LockGuard { release: held.get(0), after: None }, held.get(1).is_truthy()))
        }
        Err(failure) => {
            let failure = Array::from(&failure);
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

fn global(name: &str) -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// The app's `onAuthStateChange` listeners, and the channel to the other tabs of this origin and client.
pub struct EventHub {
    /// Turns an error into the JS value listeners receive; given by the API layer, which owns that mapping.
    error_to_js: fn(&Error) -> JsValue,
    listeners: RefCell<Vec<(u32, Function)>>,
    next_id: Cell<u32>,
    channel: Option<web_sys::BroadcastChannel>,
    /// Keeps the channel's message handler alive as long as the hub.
    _on_message: Option<Closure<dyn FnMut(web_sys::MessageEvent)>>,
}

impl EventHub {
    /// A hub for the client `client_id`, listening to the other tabs where BroadcastChannel exists.
    pub fn new(client_id: &str, error_to_js: fn(&Error) -> JsValue) -> Rc<Self> {
        let channel = global("BroadcastChannel")
            .and_then(|_| web_sys::BroadcastChannel::new(&format!("cognito-wasm.{client_id}")).ok());
        Rc::new_cyclic(|weak: &std::rc::Weak<Self>| {
            let on_message = channel.as_ref().map(|channel| {
                let weak = weak.clone();
                let handler = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |message: web_sys::MessageEvent| {
                    let name = message.data().as_string().unwrap_or_default();
                    if let (Some(hub), Some(event)) = (weak.upgrade(), AuthEvent::from_shared_name(&name)) {
                        hub.dispatch(&event);
                    }
                });
                channel.set_onmessage(Some(handler.as_ref().unchecked_ref()));
                handler
            });
            Self { error_to_js, listeners: RefCell::default(), next_id: Cell::new(0), channel, _on_message: on_message }
        })
    }

    /// Adds a listener; returns its id for [`EventHub::unsubscribe`].
    pub fn subscribe(&self, listener: Function) -> u32 {
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1));
        self.listeners.borrow_mut().push((id, listener));
        id
    }

    pub fn unsubscribe(&self, id: u32) {
        self.listeners.borrow_mut().retain(|(i, _)| *i != id);
    }

    /// Tells this tab's listeners and, for shared events, the other tabs'.
    pub fn emit(&self, event: &AuthEvent) {
        if event.is_shared() {
            if let Some(channel) = &self.channel {
                let _ = channel.post_message(&JsValue::from_str(event.name()));
            }
        }
        self.dispatch(event);
    }

    /// Calls every listener with `{ event, error? }`. A throwing listener does not stop the others.
    fn dispatch(&self, event: &AuthEvent) {
        let payload = js_sys::Object::new();
        let _ = Reflect::set(&payload, &JsValue::from_str("event"), &JsValue::from_str(event.name()));
        if let AuthEvent::TokenRefreshFailure(error) = event {
            let _ = Reflect::set(&payload, &JsValue::from_str("error"), &(self.error_to_js)(error));
        }
        let listeners: Vec<Function> = self.listeners.borrow().iter().map(|(_, f)| f.clone()).collect();
        for listener in listeners {
            let _ = listener.call1(&JsValue::NULL, &payload);
        }
    }
}

impl Drop for EventHub {
    fn drop(&mut self) {
        if let Some(channel) = &self.channel {
            channel.set_onmessage(None);
            channel.close();
        }
    }
}

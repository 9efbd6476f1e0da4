//! Taking turns across tabs (Web Locks), waiting (setTimeout), and telling listeners here and in other tabs
//! what happened (BroadcastChannel).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::flows::{AuthEvent, Error};

use super::fetch::describe;

/// Releases the cross-tab lock when dropped.
pub struct LockGuard {
    held: Held,
}

enum Held {
    /// Nothing to release: no other tabs can exist (Node).
    Nothing,
    /// A Web Lock, released by resolving the promise its callback returned.
    WebLock(Function),
    /// The storage fallback's entry, removed if it is still ours.
    Storage { storage: web_sys::Storage, key: String, token: String },
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        match std::mem::replace(&mut self.held, Held::Nothing) {
            Held::Nothing => {}
            Held::WebLock(release) => {
                let _ = release.call0(&JsValue::NULL);
            }
            Held::Storage { storage, key, token } => {
                if storage.get_item(&key).ok().flatten().is_some_and(|v| v.starts_with(&token)) {
                    let _ = storage.remove_item(&key);
                }
            }
        }
    }
}

fn global(name: &str) -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// `navigator.locks`, where the environment has it (browsers and workers; not Node).
fn web_locks() -> Option<JsValue> {
    let navigator = global("navigator")?;
    Reflect::get(&navigator, &JsValue::from_str("locks")).ok().filter(|v| v.is_object())
}

/// Requests the lock; resolves with the guard once granted, or with `None` if `if_available` and it is taken.
async fn request_lock(locks: &JsValue, name: &str, if_available: bool) -> Result<Option<LockGuard>, Error> {
    let request: Function = Reflect::get(locks, &JsValue::from_str("request"))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| Error::Storage("navigator.locks.request is missing".into()))?;
    // The lock is held until the callback's promise settles: that promise is resolved by the guard's drop.
    let mut release: Option<Function> = None;
    let held = Promise::new(&mut |resolve, _| release = Some(resolve));
    let mut granted: Option<Function> = None;
    let mut refused: Option<Function> = None;
    let granted_promise = Promise::new(&mut |resolve, reject| {
        granted = Some(resolve);
        refused = Some(reject);
    });
    let (Some(release), Some(granted), Some(refused)) = (release, granted, refused) else {
        return Err(Error::Storage("could not create the lock's promises".into()));
    };
    let callback = Closure::once_into_js(move |lock: JsValue| -> Promise {
        let _ = granted.call1(&JsValue::NULL, &JsValue::from_bool(!lock.is_null()));
        held
    });
    let options = js_sys::Object::new();
    let _ = Reflect::set(&options, &JsValue::from_str("ifAvailable"), &JsValue::from_bool(if_available));
    let outcome = request
        .call3(locks, &JsValue::from_str(name), &options, &callback)
        .map_err(|e| Error::Storage(format!("navigator.locks.request failed: {}", describe(&e))))?;
    // The request's own promise settles when the lock is released; if it rejects (the request was refused or
    // aborted) before the grant, the wait below must end too.
    if let Ok(catch) = Reflect::get(&outcome, &JsValue::from_str("catch")).and_then(JsCast::dyn_into::<Function>) {
        let _ = catch.call1(&outcome, &refused);
    }
    let acquired = JsFuture::from(granted_promise).await.map_err(|e| Error::Storage(describe(&e)))?;
    if acquired.as_bool() == Some(true) {
        Ok(Some(LockGuard { held: Held::WebLock(release) }))
    } else {
        let _ = release.call0(&JsValue::NULL);
        Ok(None)
    }
}

/// Takes the named cross-tab lock; the flag says whether another holder had it first. Uses Web Locks; where
/// they are missing but localStorage is there (older browsers), an entry in localStorage; where neither is
/// (Node: no other tabs), nothing.
pub async fn lock(name: &str) -> Result<(LockGuard, bool), Error> {
    let Some(locks) = web_locks() else {
        return Ok(storage_lock(name).await);
    };
    if let Some(guard) = request_lock(&locks, name, true).await? {
        return Ok((guard, false));
    }
    match request_lock(&locks, name, false).await? {
        Some(guard) => Ok((guard, true)),
        None => Err(Error::Storage("the refresh lock was not granted".into())),
    }
}

/// How long a storage lock entry counts: a tab that died holding it blocks the others no longer than this.
const STORAGE_LOCK_MILLIS: i64 = 5000;
/// How long a tab waits after writing its entry before trusting it: other tabs' competing writes arrive within it.
const STORAGE_LOCK_SETTLE_MILLIS: u32 = 40;

/// The fallback lock: an entry `<token>|<expiry>` in localStorage. Write, wait for competing writes to arrive,
/// then read back: whoever's token is there holds it. Not as strict as Web Locks (two tabs may both win when
/// storage is slow), but it keeps refreshes to one in the common case.
async fn storage_lock(name: &str) -> (LockGuard, bool) {
    let storage = global("localStorage").and_then(|s| s.dyn_into::<web_sys::Storage>().ok());
    let Some(storage) = storage else {
        return (LockGuard { held: Held::Nothing }, false);
    };
    let mut token = String::new();
    crate::digits::push_hex(&mut token, (js_sys::Math::random() * 9e15) as u64);
    // Whole milliseconds, so that neither writing nor reading the entry needs float formatting or parsing.
    let now_millis = || js_sys::Date::now() as i64;
    let deadline = now_millis() + STORAGE_LOCK_MILLIS;
    let mut waited = false;
    loop {
        let now = now_millis();
        let holder = storage.get_item(name).ok().flatten().and_then(|v| {
            let (owner, expires) = crate::text::split_once(&v, b'|')?;
            let expires = crate::digits::parse_i64(expires)?;
            (expires > now && owner != token).then_some(())
        });
        if holder.is_some() && now < deadline {
            waited = true;
            sleep(25).await;
            continue;
        }
        let mut entry = [&token, "|"].concat();
        crate::digits::push_i64(&mut entry, now + STORAGE_LOCK_MILLIS);
        let _ = storage.set_item(name, &entry);
        sleep(STORAGE_LOCK_SETTLE_MILLIS).await;
        let ours = storage.get_item(name).ok().flatten().is_some_and(|v| v.starts_with(&token));
        if ours || now_millis() >= deadline {
            return (LockGuard { held: Held::Storage { storage, key: name.to_owned(), token } }, waited);
        }
        waited = true;
    }
}

/// Waits `millis` with the global `setTimeout`.
pub async fn sleep(millis: u32) {
    let Some(set_timeout) = global("setTimeout").and_then(|f| f.dyn_into::<Function>().ok()) else {
        return;
    };
    let promise = Promise::new(&mut |resolve, _| {
        let _ = set_timeout.call2(&JsValue::NULL, &resolve, &JsValue::from(millis));
    });
    let _ = JsFuture::from(promise).await;
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

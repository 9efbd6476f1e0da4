//! Taking turns across tabs (Web Locks), waiting (setTimeout), and telling listeners here and in other tabs
//! what happened (BroadcastChannel).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::flows::{AuthEvent, Error};
use crate::session::{lock_entry, lock_held_by_other, lock_owned_by};

use super::fetch::{describe, Deadline};

/// Releases the cross-tab lock when dropped.
pub struct LockGuard {
    held: Held,
    /// What gives a Promise for the app's storage object's unfinished writes: a Web Lock is released once that
    /// settles.
    after: Option<Function>,
}

impl LockGuard {
    fn new(held: Held) -> Self {
        Self { held, after: None }
    }

    /// Releases the lock only once the Promise `settled()` gives when the guard drops has settled (the writes
    /// made under the lock), so that the next holder reads them.
    /// Done for Web Locks; the storage fallback's entry is removed at once (a store the app supplies without
    /// Web Locks is the one case where another tab may read ahead of the last writes).
    pub fn release_after(&mut self, settled: Option<Function>) {
        self.after = settled;
    }
}

enum Held {
    /// Nothing to release: no other tabs can exist (Node).
    Nothing,
    /// A Web Lock, released by resolving the promise its callback returned.
    WebLock(Function),
    /// The storage fallback's entry, removed if it is still ours; renewed by `renewal` while held.
    Storage { storage: web_sys::Storage, key: String, token: String, renewal: Option<Renewal> },
}

/// The interval that renews a held storage lock's expiry, cleared with the guard.
struct Renewal {
    id: JsValue,
    _tick: Closure<dyn FnMut()>,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        match std::mem::replace(&mut self.held, Held::Nothing) {
            Held::Nothing => {}
            Held::WebLock(release) => {
                let after = self.after.as_ref().and_then(|f| f.call0(&JsValue::NULL).ok()).unwrap_or(JsValue::UNDEFINED);
                let _ = release.call1(&JsValue::NULL, &after);
            }
            Held::Storage { storage, key, token, renewal } => {
                if let (Some(renewal), Some(clear)) = (renewal, global_fn("clearInterval")) {
                    let _ = clear.call1(&JsValue::NULL, &renewal.id);
                }
                if lock_owned_by(storage.get_item(&key).ok().flatten().as_deref(), &token) {
                    let _ = storage.remove_item(&key);
                }
            }
        }
    }
}

fn global(name: &str) -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn global_fn(name: &str) -> Option<Function> {
    global(name).and_then(|f| f.dyn_into().ok())
}

/// `navigator.locks`, where the environment has it (browsers and workers; not Node).
fn web_locks() -> Option<JsValue> {
    let navigator = global("navigator")?;
    Reflect::get(&navigator, &JsValue::from_str("locks")).ok().filter(|v| v.is_object())
}

/// Requests the lock; resolves with the guard once granted, or with `None` if `if_available` and it is taken.
/// A waiting request (not `if_available`) gives up after `timeout_millis` with [`Error::Timeout`], through the
/// request's `signal` option; any other failure (a `SecurityError` in an opaque origin, a throwing polyfill) is
/// [`Error::Storage`], on which the caller falls back to the storage lock.
async fn request_lock(locks: &JsValue, name: &str, if_available: bool, timeout_millis: u32) -> Result<Option<LockGuard>, Error> {
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
    // `signal` cannot go with `ifAvailable` (the request then fails), and that request does not wait anyway.
    // Dropped (clearing its timer) once the wait is over; aborting after the grant would do nothing.
    let deadline = if if_available { None } else { Deadline::arm(timeout_millis) };
    if let Some(deadline) = &deadline {
        let _ = Reflect::set(&options, &JsValue::from_str("signal"), &deadline.signal());
    }
    let outcome = request
        .call3(locks, &JsValue::from_str(name), &options, &callback)
        .map_err(|e| Error::Storage(["navigator.locks.request failed: ", &describe(&e)].concat()))?;
    // The request's own promise settles when the lock is released; if it rejects (the request was refused or
    // aborted) before the grant, the wait below must end too.
    if let Ok(catch) = Reflect::get(&outcome, &JsValue::from_str("catch")).and_then(JsCast::dyn_into::<Function>) {
        let _ = catch.call1(&outcome, &refused);
    }
    let acquired = match JsFuture::from(granted_promise).await {
        Ok(acquired) => acquired,
        Err(_) if deadline.as_ref().is_some_and(Deadline::expired) => return Err(lock_timeout()),
        Err(e) => return Err(Error::Storage(describe(&e))),
    };
    if acquired.as_bool() == Some(true) {
        Ok(Some(LockGuard::new(Held::WebLock(release))))
    } else {
        let _ = release.call0(&JsValue::NULL);
        Ok(None)
    }
}

/// Takes the named cross-tab lock, waiting at most `timeout_millis` for another holder (then
/// [`Error::Timeout`]); the flag says whether another holder had it first. Uses Web Locks; where they are
/// missing or refuse (a `SecurityError` in sandboxed frames and other opaque origins) but localStorage is
/// there, an entry in localStorage; where neither is (Node: no other tabs), nothing.
pub async fn lock(name: &str, timeout_millis: u32) -> Result<(LockGuard, bool), Error> {
    let Some(locks) = web_locks() else {
        return storage_lock(name, timeout_millis).await;
    };
    let waited = match request_lock(&locks, name, true, timeout_millis).await {
        Ok(Some(guard)) => return Ok((guard, false)),
        Ok(None) => request_lock(&locks, name, false, timeout_millis).await,
        // Web Locks refused the request itself: take turns through storage rather than fail the refresh.
        Err(_) => return storage_lock(name, timeout_millis).await,
    };
    match waited {
        Ok(Some(guard)) => Ok((guard, true)),
        Ok(None) => Err(Error::Storage("the refresh lock was not granted".into())),
        // Another tab holds the Web Lock: a storage lock now would let both refresh, so the error stands.
        Err(e) => Err(e),
    }
}

/// How long a storage lock entry counts past its last renewal: a tab that died holding it blocks the others no
/// longer than this, while a live holder renews it every [`STORAGE_LOCK_RENEW_MILLIS`] however long it holds it.
const STORAGE_LOCK_MILLIS: i64 = 5000;
/// How often a holder renews its entry: well within [`STORAGE_LOCK_MILLIS`], so that a late timer (a busy page)
/// does not let it lapse.
const STORAGE_LOCK_RENEW_MILLIS: i32 = 1000;
/// How long a tab waits after writing its entry before trusting it: other tabs' competing writes arrive within it.
const STORAGE_LOCK_SETTLE_MILLIS: u32 = 40;

/// The fallback lock: an entry `<token>|<expiry>` in localStorage (`session::lock_entry`). Write, wait for
/// competing writes to arrive, then read back: whoever's token is there holds it, renews it while held, and
/// removes it when done. Not as strict as Web Locks (two tabs may both win when storage is slow), but it keeps
/// refreshes to one in the common case. A live holder's entry is waited for at most `timeout_millis`.
async fn storage_lock(name: &str, timeout_millis: u32) -> Result<(LockGuard, bool), Error> {
    let storage = global("localStorage").and_then(|s| s.dyn_into::<web_sys::Storage>().ok());
    let Some(storage) = storage else {
        return Ok((LockGuard::new(Held::Nothing), false));
    };
    let mut token = String::new();
    crate::digits::push_hex(&mut token, (js_sys::Math::random() * 9e15) as u64);
    let deadline = now_millis().saturating_add(timeout_millis.into());
    let mut waited = false;
    loop {
        let now = now_millis();
        let entry = storage.get_item(name).ok().flatten();
        if lock_held_by_other(entry.as_deref(), &token, now, STORAGE_LOCK_MILLIS) {
            if now >= deadline {
                return Err(lock_timeout());
            }
            waited = true;
            sleep(25).await;
            continue;
        }
        let _ = storage.set_item(name, &lock_entry(&token, now + STORAGE_LOCK_MILLIS));
        sleep(STORAGE_LOCK_SETTLE_MILLIS).await;
        if lock_owned_by(storage.get_item(name).ok().flatten().as_deref(), &token) {
            let renewal = renew_storage_lock(&storage, name, &token);
            return Ok((LockGuard::new(Held::Storage { storage, key: name.to_owned(), token, renewal }), waited));
        }
        waited = true;
    }
}

/// The wait for the lock gave up after its bound. A fixed message, not one naming the lock and the bound: the
/// caller's constant says both, and the formatting code was not worth its bytes.
fn lock_timeout() -> Error {
    Error::Timeout("another tab held the refresh lock for longer than this tab waits".into())
}

/// Whole milliseconds, so that neither writing nor reading lock entries needs float formatting or parsing.
fn now_millis() -> i64 {
    js_sys::Date::now() as i64
}

/// Starts renewing a held storage lock: every [`STORAGE_LOCK_RENEW_MILLIS`], while the entry is still exactly
/// ours, its expiry moves on. Without it, a holder busy past [`STORAGE_LOCK_MILLIS`] (a refresh with retries)
/// lost the lock silently to the next tab. `None` where there is no `setInterval` (the entry then just expires).
fn renew_storage_lock(storage: &web_sys::Storage, name: &str, token: &str) -> Option<Renewal> {
    let set_interval = global_fn("setInterval")?;
    let (storage, key, token) = (storage.clone(), name.to_owned(), token.to_owned());
    let tick = Closure::<dyn FnMut()>::new(move || {
        if lock_owned_by(storage.get_item(&key).ok().flatten().as_deref(), &token) {
            let _ = storage.set_item(&key, &lock_entry(&token, now_millis() + STORAGE_LOCK_MILLIS));
        }
    });
    let id = set_interval.call2(&JsValue::NULL, tick.as_ref(), &JsValue::from(STORAGE_LOCK_RENEW_MILLIS)).ok()?;
    Some(Renewal { id, _tick: tick })
}

/// Waits `millis` with the global `setTimeout`.
pub async fn sleep(millis: u32) {
    let Some(set_timeout) = global_fn("setTimeout") else {
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

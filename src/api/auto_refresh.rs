//! `autoRefresh: true`: keeps the tokens fresh while the page is open.
//!
//! A timer fires shortly before the tokens' expiry and calls getSession, which refreshes (once across tabs) and
//! schedules the next timer. Timers in hidden tabs fire late or not at all, and a sleeping machine stops them,
//! so the page's return (`visibilitychange` to visible, `pageshow`) checks again at once; getSession re-reads
//! expiry and takes the lock itself, so a late or duplicate check costs nothing.

use std::rc::{Rc, Weak};

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;

use crate::flows::get_session::{get_session, GetSessionOptions};
use crate::flows::sign_in::NextStep;
use crate::session::Session;

use super::Inner;

/// Retry delay after a failed refresh (offline, throttled).
const RETRY_MILLIS: f64 = 30_000.0;
/// Browsers run timers longer than this at once.
const MAX_TIMER_MILLIS: f64 = 2_147_483_647.0;

fn global_fn(name: &str) -> Option<Function> {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name)).ok()?.dyn_into().ok()
}

/// Starts watching: an immediate check, and re-checks when the page comes back.
pub fn start(inner: &Rc<Inner>) {
    check_soon(Rc::downgrade(inner), 0.0);
    let Some(add) = global_fn("addEventListener") else { return };
    let document = Reflect::get(&js_sys::global(), &JsValue::from_str("document")).unwrap_or(JsValue::UNDEFINED);
    let weak = Rc::downgrade(inner);
    let on_return = Closure::<dyn FnMut()>::new(move || {
        let hidden = Reflect::get(&document, &JsValue::from_str("visibilityState"))
            .ok()
            .and_then(|v| v.as_string())
            .is_some_and(|state| state == "hidden");
        if !hidden {
            check_soon(weak.clone(), 0.0);
        }
    });
    let handler: &JsValue = on_return.as_ref();
    let _ = add.call2(&JsValue::NULL, &JsValue::from_str("visibilitychange"), handler);
    let _ = add.call2(&JsValue::NULL, &JsValue::from_str("pageshow"), handler);
    // Lives as long as the page: the listeners hold only a weak reference to the client.
    on_return.forget();
}

/// Schedules the next check shortly before `session` needs refreshing; stops when there is none.
pub fn schedule(inner: &Rc<Inner>, session: Option<&Session>) {
    let Some(session) = session else {
        stop(inner);
        return;
    };
    let expires_at = session.local_expires_at_millis();
    let margin_millis = session.margin_secs(inner.config.refresh_margin_secs).saturating_mul(1000);
    let (refresh_at, now) = (expires_at.saturating_sub(margin_millis) as f64, js_sys::Date::now());
    // A session already due was kept because its refresh failed in passing (it is still valid, inside the
    // margin): try again after the retry pause, not at once, or every tab would retry each second until expiry.
    let delay = if refresh_at > now { refresh_at - now } else { RETRY_MILLIS.min(expires_at as f64 - now) };
    check_soon(Rc::downgrade(inner), delay.max(1000.0));
}

/// After a completed sign-in, starts the timer.
pub fn after_sign_in(inner: &Rc<Inner>, step: &NextStep) {
    if inner.auto_refresh && *step == NextStep::Done {
        check_soon(Rc::downgrade(inner), 0.0);
    }
}

/// Cancels the pending timer.
pub fn stop(inner: &Inner) {
    if let (Some(id), Some(clear)) = (inner.timer.take(), global_fn("clearTimeout")) {
        let _ = clear.call1(&JsValue::NULL, &JsValue::from(id));
    }
}

fn check_soon(weak: Weak<Inner>, delay: f64) {
    let Some(inner) = weak.upgrade() else { return };
    stop(&inner);
    let Some(set_timeout) = global_fn("setTimeout") else { return };
    let mut tick = inner.tick.borrow_mut();
    let callback = tick.get_or_insert_with(|| {
        Closure::new(move || {
            if let Some(inner) = weak.upgrade() {
                inner.timer.set(None);
                wasm_bindgen_futures::spawn_local(check(inner));
            }
        })
    });
    let id = set_timeout.call2(&JsValue::NULL, callback.as_ref(), &JsValue::from(delay.min(MAX_TIMER_MILLIS)));
    inner.timer.set(id.ok().and_then(|id| id.as_f64()).map(|id| id as i32));
}

async fn check(inner: Rc<Inner>) {
    let i = Rc::clone(&inner);
    let refresh = Box::pin(async move {
        let options = GetSessionOptions::for_config(&i.config);
        let session = get_session(&i.platform, &i.config, options).await?;
        schedule(&i, session.as_ref());
        Ok(JsValue::UNDEFINED)
    });
    // The failure was announced as tokenRefreshFailure; the session is kept and tried again later.
    if inner.platform.operation(refresh).await.is_err() {
        check_soon(Rc::downgrade(&inner), RETRY_MILLIS);
    }
}

//! Sessions in real browsers: auth events, background refresh, the storage adapters and the authorization
//! header, against the emulator (`COGNITO_ENDPOINT` at build time, default `http://127.0.0.1:9339/`).
#![cfg(target_arch = "wasm32")]

use cognito_wasm::api::CognitoAuth;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ENDPOINT: &str = match option_env!("COGNITO_ENDPOINT") {
    Some(e) => e,
    None => "http://127.0.0.1:9339/",
};
const PASSWORD: &str = "Passw0rd!";

#[wasm_bindgen(inline_js = r#"
export async function createPool(endpoint) {
  const response = await fetch(endpoint + '__emulator__/pools', { method: 'POST', body: '{}' });
  return (await response.json());
}
export async function createUser(endpoint, poolId, username, password) {
  const body = JSON.stringify({ poolId, username, password, attributes: { email: username + '@example.com' } });
  const response = await fetch(endpoint + '__emulator__/users', { method: 'POST', body });
  if (!response.ok) throw new Error(await response.text());
}
export function recorder() {
  const events = [];
  return { events, listener: (e) => events.push(e.event) };
}
/** A storage object with Promise-returning methods over a Map, and a log of what it was asked; its writes take
 *  `writeMs` (a macrotask at least: a database's). */
export function asyncStore(writeMs) {
  const map = new Map();
  const calls = [];
  const written = () => new Promise((resolve) => setTimeout(resolve, writeMs));
  return {
    map, calls,
    async getItem(key) { calls.push('get'); await null; return map.has(key) ? map.get(key) : null; },
    async setItem(key, value) { calls.push('set'); await written(); map.set(key, value); },
    async removeItem(key) { calls.push('remove'); await written(); map.delete(key); },
  };
}
export async function refreshCount(endpoint, poolId) {
  const counts = await (await fetch(endpoint + '__emulator__/requests?poolId=' + poolId)).json();
  return (counts.GetTokensFromRefreshToken || 0) + (counts.InitiateAuth || 0);
}
export function hideWebLocks() {
  const original = Object.getOwnPropertyDescriptor(Navigator.prototype, 'locks');
  Object.defineProperty(Navigator.prototype, 'locks', { configurable: true, get: () => undefined });
  return () => Object.defineProperty(Navigator.prototype, 'locks', original);
}
export function both(a, b) { return Promise.all([a, b]); }
export function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }
export function cookieNames() { return document.cookie.split(';').map((c) => decodeURIComponent(c.trim().split('=')[0])); }
export function clearAll() {
  localStorage.clear(); sessionStorage.clear();
  for (const name of cookieNames()) document.cookie = encodeURIComponent(name) + '=; Max-Age=0; Path=/';
}
"#)]
extern "C" {
    async fn createPool(endpoint: &str) -> JsValue;
    #[wasm_bindgen(catch)]
    async fn createUser(endpoint: &str, pool_id: &str, username: &str, password: &str) -> Result<(), JsValue>;
    fn recorder() -> JsValue;
    fn asyncStore(write_ms: u32) -> JsValue;
    async fn sleep(ms: u32);
    async fn refreshCount(endpoint: &str, pool_id: &str) -> JsValue;
    fn hideWebLocks() -> js_sys::Function;
    fn both(a: &js_sys::Promise, b: &js_sys::Promise) -> js_sys::Promise;
    fn cookieNames() -> js_sys::Array;
    fn clearAll();
}

/// The wrapper the package puts around a storage object the app supplies: the module reads storage synchronously.
#[wasm_bindgen(module = "/pkg-template/read_ahead.js")]
extern "C" {
    #[wasm_bindgen(js_name = readAhead)]
    fn readAhead(store: JsValue, client_id: &str) -> JsValue;
}

fn js(value: Value) -> JsValue {
    serde::Serialize::serialize(&value, &serde_wasm_bindgen::Serializer::json_compatible()).unwrap()
}

fn rust(value: JsValue) -> Value {
    if value.is_undefined() {
        return Value::Null;
    }
    serde_wasm_bindgen::from_value(value).unwrap()
}

fn get(target: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(target, &key.into()).unwrap()
}

async fn ok(promise: js_sys::Promise) -> Value {
    match JsFuture::from(promise).await {
        Ok(v) => rust(v),
        Err(e) => panic!("unexpected rejection: {:?}", e),
    }
}

/// A fresh pool with one confirmed user; returns (pool id, client id, username).
async fn pool_with_user(prefix: &str) -> (String, String, String) {
    let pool = rust(createPool(ENDPOINT).await);
    let pool_id = pool["poolId"].as_str().unwrap().to_owned();
    let client_id = pool["clients"][0]["clientId"].as_str().unwrap().to_owned();
    let username = format!("{prefix}{}", (js_sys::Math::random() * 1e12) as u64);
    createUser(ENDPOINT, &pool_id, &username, PASSWORD).await.unwrap();
    (pool_id, client_id, username)
}

/// A client for the pool; `storage` is set on the options object as given (it may hold functions).
fn client(pool_id: &str, client_id: &str, extra: Value, storage: &JsValue) -> CognitoAuth {
    let mut options = json!({"userPoolId": pool_id, "clientId": client_id, "endpoint": ENDPOINT});
    if let (Some(o), Some(e)) = (options.as_object_mut(), extra.as_object()) {
        o.extend(e.clone());
    }
    let options = js(options);
    if !storage.is_undefined() {
        js_sys::Reflect::set(&options, &"storage".into(), storage).unwrap();
    }
    CognitoAuth::new(options).unwrap()
}

async fn sign_in(auth: &CognitoAuth, username: &str) {
    let result = ok(auth.sign_in(js(json!({"username": username, "password": PASSWORD})))).await;
    assert_eq!(result["nextStep"]["signInStep"], "DONE", "{result}");
}

fn events(recorder: &JsValue) -> Vec<String> {
    let events: js_sys::Array = get(recorder, "events").unchecked_into();
    events.iter().filter_map(|e| e.as_string()).collect()
}

#[wasm_bindgen_test]
async fn listeners_hear_sign_in_refresh_and_sign_out_until_they_unsubscribe() {
    clearAll();
    let (pool_id, client_id, username) = pool_with_user("events").await;
    let auth = client(&pool_id, &client_id, json!({"storage": "localStorage"}), &JsValue::UNDEFINED);
    let rec = recorder();
    let unsubscribe = auth.on_auth_state_change(get(&rec, "listener")).unwrap();
    sign_in(&auth, &username).await;
    ok(auth.get_session(js(json!({"forceRefresh": true})))).await;
    let header = JsFuture::from(auth.authorization_header()).await.unwrap().as_string().unwrap();
    assert!(header.starts_with("Bearer ey"), "{header}");
    ok(auth.sign_out(JsValue::UNDEFINED)).await;
    assert_eq!(events(&rec), ["signedIn", "tokenRefresh", "signedOut"]);
    assert!(JsFuture::from(auth.authorization_header()).await.unwrap().is_null());

    unsubscribe.call0(&JsValue::NULL).unwrap();
    sign_in(&auth, &username).await;
    assert_eq!(events(&rec).len(), 3, "an unsubscribed listener hears nothing more");
    ok(auth.sign_out(JsValue::UNDEFINED)).await;
}

#[wasm_bindgen_test]
async fn auto_refresh_keeps_tokens_fresh_without_calls() {
    clearAll();
    let (pool_id, client_id, username) = pool_with_user("auto").await;
    sign_in(&client(&pool_id, &client_id, json!({"storage": "localStorage"}), &JsValue::UNDEFINED), &username).await;
    // Tokens live an hour (and refreshMarginSeconds is capped at half that). A stored clock drift of −3570 s
    // puts their expiry 30 s from now on this clock, inside the 60 s margin: the client made now finds them
    // due, and its timer refreshes them within its one-second floor.
    let drift_key = format!("CognitoIdentityServiceProvider.{client_id}.{username}.clockDrift");
    let storage: web_sys::Storage = get(&js_sys::global(), "localStorage").unchecked_into();
    storage.set_item(&drift_key, "-3570").unwrap();
    let auth = client(&pool_id, &client_id, json!({"storage": "localStorage", "autoRefresh": true}), &JsValue::UNDEFINED);
    let rec = recorder();
    let _unsubscribe = auth.on_auth_state_change(get(&rec, "listener")).unwrap();
    sleep(2500).await;
    let refreshes = events(&rec).iter().filter(|e| *e == "tokenRefresh").count();
    assert!(refreshes >= 1, "no background refresh: {:?}", events(&rec));
    ok(auth.sign_out(JsValue::UNDEFINED)).await;
    let after = events(&rec).len();
    sleep(1500).await;
    assert_eq!(events(&rec).len(), after, "signing out stops the timer");
}

#[wasm_bindgen_test]
async fn an_app_supplied_async_storage_holds_the_session() {
    clearAll();
    let (pool_id, client_id, username) = pool_with_user("custom").await;
    let store = asyncStore(0);
    // As the package hands it over (pkg-template/loader.js).
    let wrapped = readAhead(store.clone(), &client_id);
    let auth = client(&pool_id, &client_id, json!({}), &wrapped);
    sign_in(&auth, &username).await;
    let map: js_sys::Map = get(&store, "map").unchecked_into();
    let key = format!("CognitoIdentityServiceProvider.{client_id}.LastAuthUser");
    assert!(map.has(&key.into()), "the session is in the app's store under the shared keys");
    assert_eq!(web_sys_local_storage_len(), 0, "and nowhere else");
    let reloaded = client(&pool_id, &client_id, json!({}), &readAhead(store, &client_id));
    let session = ok(reloaded.get_session(JsValue::UNDEFINED)).await;
    assert_eq!(session["idTokenPayload"]["cognito:username"], username.as_str());
    ok(reloaded.sign_out(JsValue::UNDEFINED)).await;
    let bad = js(json!({"getItem": 1}));
    let err = CognitoAuth::new({
        let o = js(json!({"userPoolId": pool_id, "clientId": client_id}));
        js_sys::Reflect::set(&o, &"storage".into(), &bad).unwrap();
        o
    })
    .err()
    .unwrap();
    assert_eq!(String::from(err.unchecked_ref::<js_sys::Error>().name()), "InvalidParameterException");
}

fn web_sys_local_storage_len() -> u32 {
    let storage = get(&js_sys::global(), "localStorage");
    get(&storage, "length").as_f64().unwrap_or(0.0) as u32
}

#[wasm_bindgen_test]
async fn cookies_and_session_storage_hold_the_session() {
    clearAll();
    let (pool_id, client_id, username) = pool_with_user("cookie").await;
    let cookie = js(json!({"cookie": {"sameSite": "lax", "expires": 1}}));
    let auth = client(&pool_id, &client_id, json!({}), &cookie);
    sign_in(&auth, &username).await;
    let names: Vec<String> = cookieNames().iter().filter_map(|n| n.as_string()).collect();
    assert!(names.iter().any(|n| n.ends_with(".LastAuthUser")), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with(".idToken")), "{names:?}");
    let reloaded = client(&pool_id, &client_id, json!({}), &cookie);
    let session = ok(reloaded.get_session(JsValue::UNDEFINED)).await;
    assert_eq!(session["idTokenPayload"]["cognito:username"], username.as_str());
    ok(reloaded.sign_out(JsValue::UNDEFINED)).await;
    let left: Vec<String> = cookieNames().iter().filter_map(|n| n.as_string()).filter(|n| n.contains("Token")).collect();
    assert!(left.is_empty(), "sign-out removes the token cookies: {left:?}");

    let auth = client(&pool_id, &client_id, json!({"storage": "sessionStorage"}), &JsValue::UNDEFINED);
    sign_in(&auth, &username).await;
    assert_eq!(web_sys_local_storage_len(), 0);
    let reloaded = client(&pool_id, &client_id, json!({"storage": "sessionStorage"}), &JsValue::UNDEFINED);
    assert!(ok(reloaded.get_session(JsValue::UNDEFINED)).await.is_object());
    ok(reloaded.sign_out(JsValue::UNDEFINED)).await;
}

/// Two clients in one page share storage but not their in-page single flight, so only the cross-tab lock keeps
/// their simultaneous refreshes to one: with Web Locks, and with the localStorage fallback where Web Locks are
/// missing. Also over a storage object answering through Promises, each client with its own wrapper as two tabs
/// would have: the lock is released only once the holder's writes have finished, and the next holder reads the
/// store again once the lock is its own (otherwise it would refresh a second time).
#[wasm_bindgen_test]
async fn two_clients_refreshing_at_once_make_one_request_with_web_locks_or_the_storage_fallback() {
    for (hide_locks, promises) in [(false, false), (true, false), (false, true)] {
        clearAll();
        let (pool_id, client_id, username) = pool_with_user("lock").await;
        let store = asyncStore(50);
        let storage = |options: Value| if promises { (json!({}), readAhead(store.clone(), &client_id)) } else { (options, JsValue::UNDEFINED) };
        let (options, wrapped) = storage(json!({"storage": "localStorage"}));
        let a = client(&pool_id, &client_id, options, &wrapped);
        let (options, wrapped) = storage(json!({"storage": "localStorage"}));
        let b = client(&pool_id, &client_id, options, &wrapped);
        sign_in(&a, &username).await;
        let restore = hide_locks.then(hideWebLocks);
        let before = refreshCount(ENDPOINT, &pool_id).await.as_f64().unwrap();
        let force = js(json!({"forceRefresh": true}));
        let sessions = JsFuture::from(both(&a.get_session(force.clone()), &b.get_session(force))).await.unwrap();
        let after = refreshCount(ENDPOINT, &pool_id).await.as_f64().unwrap();
        if let Some(restore) = restore {
            restore.call0(&JsValue::NULL).unwrap();
        }
        let sessions: Vec<Value> = js_sys::Array::from(&sessions).iter().map(rust).collect();
        assert_eq!(after - before, 1.0, "hide_locks={hide_locks}, promises={promises}: refreshes");
        assert_eq!(sessions[0]["accessToken"], sessions[1]["accessToken"], "hide_locks={hide_locks}, promises={promises}");
        ok(a.sign_out(JsValue::UNDEFINED)).await;
    }
}

#[wasm_bindgen(inline_js = r#"
export function plantCookie(name, value) {
  document.cookie = encodeURIComponent(name) + '=' + encodeURIComponent(value) + '; Path=/';
}
/** Makes navigator.locks.request reject as in an opaque origin; returns the function that undoes it. */
export function refuseWebLocks() {
  const original = LockManager.prototype.request;
  LockManager.prototype.request = function () { return Promise.reject(new DOMException('denied', 'SecurityError')); };
  return () => { LockManager.prototype.request = original; };
}
/** Holds the Web Lock `name` for `ms` from JS, as another tab would; resolves once it is held. */
export function holdWebLock(name, ms) {
  return new Promise((held) => {
    navigator.locks.request(name, () => { held(); return new Promise((release) => setTimeout(release, ms)); });
  });
}
export async function armFault(endpoint, fault) {
  const response = await fetch(endpoint + '__emulator__/faults', { method: 'POST', body: JSON.stringify(fault) });
  if (!response.ok) throw new Error(await response.text());
}
export async function clearFaults(endpoint) { await fetch(endpoint + '__emulator__/faults/clear', { method: 'POST' }); }
"#)]
extern "C" {
    fn plantCookie(name: &str, value: &str);
    fn refuseWebLocks() -> js_sys::Function;
    async fn holdWebLock(name: &str, ms: u32);
    #[wasm_bindgen(catch)]
    async fn armFault(endpoint: &str, fault: JsValue) -> Result<(), JsValue>;
    async fn clearFaults(endpoint: &str);
}

fn construction_error(pool_id: &str, client_id: &str, storage: Value) -> Option<String> {
    let options = js(json!({"userPoolId": pool_id, "clientId": client_id, "endpoint": ENDPOINT, "storage": storage}));
    CognitoAuth::new(options).err().map(|e| String::from(e.unchecked_ref::<js_sys::Error>().name()))
}

/// This page is http://127.0.0.1 (loopback): cookies are not Secure by default, so `sameSite: 'none'` (which
/// browsers drop without Secure) is refused when the client is made, and accepted with `secure: true`.
#[wasm_bindgen_test]
async fn cookie_storage_refuses_same_site_none_without_secure() {
    clearAll();
    let (pool_id, client_id) = ("us-east-1_Cookies1", "cookieclient");
    let refused = construction_error(pool_id, client_id, json!({"cookie": {"sameSite": "none"}}));
    assert_eq!(refused.as_deref(), Some("InvalidParameterException"));
    let refused = construction_error(pool_id, client_id, json!({"cookie": {"sameSite": "None", "secure": false}}));
    assert_eq!(refused.as_deref(), Some("InvalidParameterException"));
    assert_eq!(construction_error(pool_id, client_id, json!({"cookie": {"sameSite": "none", "secure": true}})), None);
    assert_eq!(construction_error(pool_id, client_id, json!({"cookie": {}})), None);
}

/// A sibling subdomain can set a cookie on the parent domain claiming billions of chunks: it reads as no
/// session, at once (it looped that many times).
#[wasm_bindgen_test]
async fn a_planted_chunk_count_reads_as_no_session() {
    clearAll();
    let (pool_id, client_id, username) = pool_with_user("chunks").await;
    let cookie = js(json!({"cookie": {"expires": 1}}));
    plantCookie(&format!("CognitoIdentityServiceProvider.{client_id}.LastAuthUser"), "cognito-wasm-chunks:4000000000");
    let auth = client(&pool_id, &client_id, json!({}), &cookie);
    assert!(ok(auth.get_session(JsValue::UNDEFINED)).await.is_null());
    // Signed in, a planted count on a token is the same: no session, not a hang.
    sign_in(&auth, &username).await;
    plantCookie(&format!("CognitoIdentityServiceProvider.{client_id}.{username}.idToken"), "cognito-wasm-chunks:99");
    assert!(ok(auth.get_session(JsValue::UNDEFINED)).await.is_null());
    clearAll();
}

/// Where navigator.locks.request refuses (a SecurityError in sandboxed frames and other opaque origins), the
/// refresh takes turns through the storage lock instead of failing: two clients, one refresh.
#[wasm_bindgen_test]
async fn a_refused_web_lock_request_falls_back_to_the_storage_lock() {
    clearAll();
    let (pool_id, client_id, username) = pool_with_user("refused").await;
    let a = client(&pool_id, &client_id, json!({"storage": "localStorage"}), &JsValue::UNDEFINED);
    let b = client(&pool_id, &client_id, json!({"storage": "localStorage"}), &JsValue::UNDEFINED);
    sign_in(&a, &username).await;
    let restore = refuseWebLocks();
    let before = refreshCount(ENDPOINT, &pool_id).await.as_f64().unwrap();
    let force = js(json!({"forceRefresh": true}));
    let sessions = JsFuture::from(both(&a.get_session(force.clone()), &b.get_session(force))).await;
    restore.call0(&JsValue::NULL).unwrap();
    let sessions: Vec<Value> = js_sys::Array::from(&sessions.expect("the refresh failed")).iter().map(rust).collect();
    assert_eq!(refreshCount(ENDPOINT, &pool_id).await.as_f64().unwrap() - before, 1.0);
    assert_eq!(sessions[0]["accessToken"], sessions[1]["accessToken"]);
    ok(a.sign_out(JsValue::UNDEFINED)).await;
}

/// The storage lock is renewed while its holder works: a refresh that takes 7 s (longer than the entry's 5 s)
/// keeps the lock, and the other client waits and uses its tokens instead of refreshing a second time.
#[wasm_bindgen_test]
async fn a_slow_refresh_keeps_the_storage_lock() {
    clearAll();
    let (pool_id, client_id, username) = pool_with_user("renew").await;
    let a = client(&pool_id, &client_id, json!({"storage": "localStorage"}), &JsValue::UNDEFINED);
    let b = client(&pool_id, &client_id, json!({"storage": "localStorage"}), &JsValue::UNDEFINED);
    sign_in(&a, &username).await;
    let fault = json!({"operation": "GetTokensFromRefreshToken", "poolId": pool_id, "fault": "delay", "delayMs": 7000});
    armFault(ENDPOINT, js(fault)).await.unwrap();
    let restore = hideWebLocks();
    let before = refreshCount(ENDPOINT, &pool_id).await.as_f64().unwrap();
    let force = js(json!({"forceRefresh": true}));
    let first = a.get_session(force.clone());
    sleep(300).await;
    let sessions = JsFuture::from(both(&first, &b.get_session(force))).await;
    restore.call0(&JsValue::NULL).unwrap();
    clearFaults(ENDPOINT).await;
    let sessions: Vec<Value> = js_sys::Array::from(&sessions.expect("the refresh failed")).iter().map(rust).collect();
    assert_eq!(refreshCount(ENDPOINT, &pool_id).await.as_f64().unwrap() - before, 1.0, "a second refresh");
    assert_eq!(sessions[0]["accessToken"], sessions[1]["accessToken"]);
    ok(a.sign_out(JsValue::UNDEFINED)).await;
}

/// Waiting for a Web Lock another tab holds still works with the wait's bound (its abort signal): the refresh
/// happens once the holder lets go, not before.
#[wasm_bindgen_test]
async fn a_held_web_lock_is_waited_for() {
    clearAll();
    let (pool_id, client_id, username) = pool_with_user("held").await;
    let auth = client(&pool_id, &client_id, json!({"storage": "localStorage"}), &JsValue::UNDEFINED);
    sign_in(&auth, &username).await;
    holdWebLock(&format!("cognito-wasm.{client_id}.refresh"), 1500).await;
    let started = js_sys::Date::now();
    ok(auth.get_session(js(json!({"forceRefresh": true})))).await;
    let waited = js_sys::Date::now() - started;
    assert!(waited >= 1400.0, "refreshed while another holder had the lock ({waited} ms)");
    ok(auth.sign_out(JsValue::UNDEFINED)).await;
}

//! The SDK in real browsers (`wasm-pack test --headless --chrome` / `--firefox`), through its JS API, against
//! the running emulator (`COGNITO_ENDPOINT` at build time, default `http://127.0.0.1:9339/`).
#![cfg(target_arch = "wasm32")]

use cognito_wasm::api::CognitoAuth;
use cognito_wasm::srp::{SrpClient, VerifierChallenge};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ENDPOINT: &str = match option_env!("COGNITO_ENDPOINT") {
    Some(e) => e,
    None => "http://127.0.0.1:9339/",
};
const POOL_ID: &str = "us-east-1_Emul4tor";
const CLIENT_ID: &str = "emulatorclient0000000000000";
const PASSWORD: &str = "Passw0rd!";

#[wasm_bindgen(inline_js = r#"
export async function emulatorCode(endpoint, username) {
  const response = await fetch(endpoint + '__emulator__/codes/' + encodeURIComponent(username));
  if (!response.ok) throw new Error('no code for ' + username + ': HTTP ' + response.status);
  return (await response.json()).code;
}
export function storageItem(key) { return localStorage.getItem(key); }
export function clearStorage() { localStorage.clear(); }
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn emulatorCode(endpoint: &str, username: &str) -> Result<JsValue, JsValue>;
    fn storageItem(key: &str) -> Option<String>;
    fn clearStorage();
}

fn js(value: Value) -> JsValue {
    serde::Serialize::serialize(&value, &serde_wasm_bindgen::Serializer::json_compatible()).unwrap()
}

fn rust(value: JsValue) -> Value {
    serde_wasm_bindgen::from_value(value).unwrap()
}

fn auth(storage: &str) -> CognitoAuth {
    CognitoAuth::new(js(json!({"userPoolId": POOL_ID, "clientId": CLIENT_ID, "endpoint": ENDPOINT, "storage": storage})))
        .unwrap()
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", (js_sys::Math::random() * 1e12) as u64)
}

async fn ok(promise: js_sys::Promise) -> Value {
    match JsFuture::from(promise).await {
        Ok(v) if v.is_undefined() => Value::Null,
        Ok(v) => rust(v),
        Err(e) => panic!("unexpected rejection: {:?}", error_fields(&e)),
    }
}

/// (name, message, retryable) of a rejection, checking that it is a real `Error`.
fn error_fields(e: &JsValue) -> (String, String, bool) {
    let err: &js_sys::Error = e.dyn_ref().expect("rejections are Error objects");
    let retryable = js_sys::Reflect::get(e, &"retryable".into()).unwrap().as_bool().expect("retryable is a boolean");
    (err.name().into(), err.message().into(), retryable)
}

async fn rejection(promise: js_sys::Promise) -> (String, String, bool) {
    match JsFuture::from(promise).await {
        Ok(v) => panic!("expected a rejection, got {v:?}"),
        Err(e) => error_fields(&e),
    }
}

async fn signed_up(auth: &CognitoAuth, username: &str) {
    let out = ok(auth.sign_up(js(json!({"username": username, "password": PASSWORD,
                                         "attributes": {"email": format!("{username}@example.com")}})))).await;
    assert_eq!(out["userConfirmed"], false);
    assert_eq!(out["codeDeliveryDetails"]["deliveryMedium"], "EMAIL");
}

async fn confirmed(auth: &CognitoAuth, username: &str) {
    let code = emulatorCode(ENDPOINT, username).await.unwrap().as_string().unwrap();
    ok(auth.confirm_sign_up(js(json!({"username": username, "code": code})))).await;
}

#[wasm_bindgen_test]
fn srp_vectors_hold_in_wasm() {
    let vectors: Value = serde_json::from_str(include_str!("vectors/srp.json")).unwrap();
    let all = vectors["srp"].as_array().unwrap();
    // Every fourth vector: a sample across the edge cases, without the full native run's cost.
    for v in all.iter().step_by(4) {
        let s = |k: &str| v[k].as_str().unwrap();
        let a = cognito_wasm::srp::hex::parse_int(s("a")).unwrap();
        let client = SrpClient::with_private(a).unwrap();
        assert_eq!(client.public_a_hex(), s("A"), "{}", s("name"));
        let challenge = VerifierChallenge {
            salt: s("salt"),
            srp_b: s("B"),
            secret_block: s("secret_block"),
            user_id_for_srp: s("user_id_for_srp"),
        };
        let signature = client.password_claim_signature(&challenge, s("pool_name"), s("password"), s("timestamp"));
        assert_eq!(signature.as_deref(), Ok(s("signature")), "{}", s("name"));
    }
}

#[wasm_bindgen_test]
async fn sign_up_confirm_sign_in_keeps_the_session_in_local_storage() {
    clearStorage();
    let username = unique("browser");
    let a = auth("localStorage");
    signed_up(&a, &username).await;
    let resent = ok(a.resend_sign_up_code(js(json!({"username": username})))).await;
    assert_eq!(resent["codeDeliveryDetails"]["attributeName"], "email");
    confirmed(&a, &username).await;

    let result = ok(a.sign_in(js(json!({"username": username, "password": PASSWORD})))).await;
    assert_eq!(result, json!({"isSignedIn": true, "nextStep": {"signInStep": "DONE"}}));

    // Stored under the official client's keys, LastAuthUser being Cognito's USER_ID_FOR_SRP.
    let last = storageItem(&format!("CognitoIdentityServiceProvider.{CLIENT_ID}.LastAuthUser")).expect("LastAuthUser");
    assert!(storageItem(&format!("CognitoIdentityServiceProvider.{CLIENT_ID}.{last}.refreshToken")).is_some());

    // A second instance (a reload) finds the session without signing in.
    let reloaded = auth("localStorage");
    let session = ok(reloaded.get_session(JsValue::UNDEFINED)).await;
    assert_eq!(session["idTokenPayload"]["cognito:username"], username.as_str());
    assert_eq!(session["idTokenPayload"]["email"], format!("{username}@example.com"));
    assert_eq!(session["accessTokenPayload"]["token_use"], "access");
    let expires_at = session["expiresAt"].as_f64().unwrap();
    assert!(expires_at > js_sys::Date::now(), "expiresAt {expires_at} is in the past");

    // A forced refresh brings new tokens and keeps the refresh token.
    let refreshed = ok(reloaded.get_session(js(json!({"forceRefresh": true})))).await;
    assert_ne!(refreshed["accessToken"], session["accessToken"]);
    assert_eq!(refreshed["refreshToken"], session["refreshToken"]);

    let (name, _, _) = rejection(a.sign_in(js(json!({"username": username, "password": PASSWORD})))).await;
    assert_eq!(name, "UserAlreadyAuthenticatedException");

    ok(reloaded.sign_out(JsValue::UNDEFINED)).await;
    assert_eq!(ok(a.get_session(JsValue::UNDEFINED)).await, Value::Null);
    assert!(storageItem(&format!("CognitoIdentityServiceProvider.{CLIENT_ID}.LastAuthUser")).is_none());
}

#[wasm_bindgen_test]
async fn cognito_errors_arrive_by_name() {
    let a = auth("memory");
    let username = unique("errors");

    let (name, message, retryable) = rejection(a.sign_up(js(json!({"username": username, "password": "short",
        "attributes": {"email": "e@example.com"}})))).await;
    assert_eq!(name, "InvalidPasswordException", "{message}");
    assert!(!retryable);

    signed_up(&a, &username).await;
    let (name, ..) = rejection(a.sign_up(js(json!({"username": username, "password": PASSWORD,
        "attributes": {"email": "e@example.com"}})))).await;
    assert_eq!(name, "UsernameExistsException");

    let (name, ..) = rejection(a.sign_in(js(json!({"username": username, "password": PASSWORD})))).await;
    assert_eq!(name, "UserNotConfirmedException");

    let (name, message, _) = rejection(a.confirm_sign_up(js(json!({"username": username, "code": "000000"})))).await;
    assert_eq!(name, "CodeMismatchException", "{message}");

    confirmed(&a, &username).await;
    let (name, message, retryable) =
        rejection(a.sign_in(js(json!({"username": username, "password": "Wrong-passw0rd"})))).await;
    assert_eq!((name.as_str(), message.as_str(), retryable), ("NotAuthorizedException", "Incorrect username or password.", false));

    let (name, ..) = rejection(a.sign_in(js(json!({"username": unique("nobody"), "password": PASSWORD})))).await;
    assert_eq!(name, "UserNotFoundException");
    assert_eq!(ok(a.get_session(JsValue::UNDEFINED)).await, Value::Null, "failed sign-ins store nothing");
}

#[wasm_bindgen_test]
async fn bad_arguments_and_unreachable_servers_are_typed() {
    let err = CognitoAuth::new(js(json!({"userPoolId": "nope", "clientId": CLIENT_ID}))).err().unwrap();
    assert_eq!(error_fields(&err).0, "InvalidParameterException");
    let err = CognitoAuth::new(js(json!({"userPoolId": POOL_ID, "clientId": CLIENT_ID, "userPoolID": "typo"}))).err().unwrap();
    assert_eq!(error_fields(&err).0, "InvalidParameterException");

    let a = auth("memory");
    let (name, ..) = rejection(a.sign_in(js(json!({"username": "", "password": PASSWORD})))).await;
    assert_eq!(name, "InvalidParameterException");
    let (name, ..) = rejection(a.sign_up(js(json!({"username": "x"})))).await;
    assert_eq!(name, "InvalidParameterException");

    // Port 9 (discard) on loopback: nothing listens, so the request never gets an answer.
    let offline = CognitoAuth::new(js(json!({"userPoolId": POOL_ID, "clientId": CLIENT_ID,
                                              "endpoint": "http://127.0.0.1:9/", "storage": "memory"}))).unwrap();
    let (name, _, retryable) = rejection(offline.sign_in(js(json!({"username": "u", "password": PASSWORD})))).await;
    assert_eq!((name.as_str(), retryable), ("NetworkError", true));
}

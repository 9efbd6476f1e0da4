//! Every challenge and account operation, in real browsers through the JS API, against pools the emulator
//! creates for each test (`COGNITO_ENDPOINT` at build time, default `http://127.0.0.1:9339/`).
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
export async function emulator(endpoint, method, path, body) {
  const init = { method };
  if (body !== undefined) { init.body = JSON.stringify(body); init.headers = { 'Content-Type': 'application/json' }; }
  const response = await fetch(endpoint + path.replace(/^\//, ''), init);
  const text = await response.text();
  if (!response.ok) throw new Error(method + ' ' + path + ': HTTP ' + response.status + ' ' + text);
  return JSON.parse(text);
}
function base32(secret) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = new Uint8Array(Math.floor(bits.length / 8));
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  return bytes;
}
// RFC 6238 with HMAC-SHA1, 30-second steps, 6 digits.
export async function totp(secret) {
  const key = await crypto.subtle.importKey('raw', base32(secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  const counter = new DataView(new ArrayBuffer(8));
  counter.setBigUint64(0, BigInt(Math.floor(Date.now() / 30000)));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, counter.buffer));
  const offset = mac[19] & 0xf;
  const value = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(value % 1000000).padStart(6, '0');
}
export function clearStorage() { localStorage.clear(); sessionStorage.clear(); }
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn emulator(endpoint: &str, method: &str, path: &str, body: JsValue) -> Result<JsValue, JsValue>;
    async fn totp(secret: &str) -> JsValue;
    fn clearStorage();
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

fn unique(prefix: &str) -> String {
    format!("{prefix}{}", (js_sys::Math::random() * 1e12) as u64)
}

/// A pool made for one test, its first client, and a `CognitoAuth` for it.
struct Pool {
    id: String,
    client_id: String,
    client_secret: Option<String>,
}

impl Pool {
    async fn create(config: Value) -> Self {
        let created = rust(emulator(ENDPOINT, "POST", "__emulator__/pools", js(config)).await.unwrap());
        let client = &created["clients"][0];
        Pool {
            id: created["poolId"].as_str().unwrap().to_owned(),
            client_id: client["clientId"].as_str().unwrap().to_owned(),
            client_secret: client["clientSecret"].as_str().map(str::to_owned),
        }
    }

    fn auth(&self) -> CognitoAuth {
        let mut options = json!({"userPoolId": self.id, "clientId": self.client_id, "endpoint": ENDPOINT,
                                 "storage": "localStorage", "deviceName": "browser test"});
        if let Some(secret) = &self.client_secret {
            options["clientSecret"] = json!(secret);
        }
        CognitoAuth::new(js(options)).unwrap()
    }

    async fn user(&self, mut user: Value) -> String {
        user["poolId"] = json!(self.id);
        let created = rust(emulator(ENDPOINT, "POST", "__emulator__/users", js(user)).await.unwrap());
        created["username"].as_str().unwrap().to_owned()
    }

    async fn code(&self, username: &str) -> String {
        let path = format!("__emulator__/codes/{username}?poolId={}", self.id);
        let code = rust(emulator(ENDPOINT, "GET", &path, JsValue::UNDEFINED).await.unwrap());
        code["code"].as_str().unwrap().to_owned()
    }
}

async fn ok(promise: js_sys::Promise) -> Value {
    match JsFuture::from(promise).await {
        Ok(v) => rust(v),
        Err(e) => panic!("unexpected rejection: {}", describe(&e)),
    }
}

fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map_or_else(|| format!("{e:?}"), |e| format!("{}: {}", String::from(e.name()), String::from(e.message())))
}

async fn error_name(promise: js_sys::Promise) -> String {
    match JsFuture::from(promise).await {
        Ok(v) => panic!("expected a rejection, got {:?}", rust(v)),
        Err(e) => String::from(e.dyn_ref::<js_sys::Error>().expect("an Error").name()),
    }
}

fn step(result: &Value) -> &str {
    result["nextStep"]["signInStep"].as_str().unwrap_or_default()
}

async fn sign_in(auth: &CognitoAuth, input: Value) -> Value {
    ok(auth.sign_in(js(input))).await
}

async fn confirm(auth: &CognitoAuth, response: &str) -> Value {
    ok(auth.confirm_sign_in(js(json!({"challengeResponse": response})))).await
}

async fn sign_out(auth: &CognitoAuth) {
    ok(auth.sign_out(JsValue::UNDEFINED)).await;
}

fn email_user(username: &str) -> Value {
    json!({"username": username, "password": PASSWORD, "attributes": {"email": format!("{username}@example.com")}})
}

#[wasm_bindgen_test]
async fn sms_mfa_then_a_remembered_device_skips_it() {
    clearStorage();
    let pool = Pool::create(json!({"mfa": "ON", "mfaTypes": ["SMS_MFA"], "deviceTracking": "ALWAYS"})).await;
    let username = unique("sms");
    pool.user(json!({"username": username, "password": PASSWORD,
                     "attributes": {"phone_number": "+14155550123", "email": format!("{username}@example.com")},
                     "mfa": {"sms": true}})).await;
    let auth = pool.auth();
    let result = sign_in(&auth, json!({"username": username, "password": PASSWORD})).await;
    assert_eq!(step(&result), "CONFIRM_SIGN_IN_WITH_SMS_CODE", "{result}");
    assert_eq!(result["isSignedIn"], false);
    assert_eq!(result["nextStep"]["codeDeliveryDetails"]["deliveryMedium"], "SMS");

    // The pending sign-in survives a reload: a new instance finds the step and finishes it.
    let reloaded = pool.auth();
    assert_eq!(step(&ok(reloaded.get_pending_sign_in()).await), "CONFIRM_SIGN_IN_WITH_SMS_CODE");
    assert_eq!(error_name(reloaded.sign_in(js(json!({"username": username, "password": PASSWORD})))).await, "SignInPendingException");
    assert_eq!(error_name(reloaded.confirm_sign_in(js(json!({"challengeResponse": "000000"})))).await, "CodeMismatchException");
    let code = pool.code(&username).await;
    assert_eq!(step(&confirm(&reloaded, &code).await), "DONE");
    assert_eq!(ok(reloaded.get_pending_sign_in()).await, Value::Null);

    let devices = ok(reloaded.fetch_devices()).await;
    assert_eq!(devices.as_array().map(Vec::len), Some(1), "{devices}");
    assert_eq!(devices[0]["name"], "browser test");
    sign_out(&reloaded).await;

    // Same browser, remembered device: no SMS code this time.
    let result = sign_in(&auth, json!({"username": username, "password": PASSWORD})).await;
    assert_eq!(step(&result), "DONE", "{result}");

    // Forgotten, the device no longer skips MFA.
    ok(auth.forget_device(None)).await;
    assert_eq!(ok(auth.fetch_devices()).await, json!([]));
    sign_out(&auth).await;
    let result = sign_in(&auth, json!({"username": username, "password": PASSWORD})).await;
    assert_eq!(step(&result), "CONFIRM_SIGN_IN_WITH_SMS_CODE");
    ok(auth.cancel_sign_in()).await;
    assert_eq!(error_name(auth.confirm_sign_in(js(json!({"challengeResponse": "1"})))).await, "NoPendingSignInException");
}

#[wasm_bindgen_test]
async fn totp_set_up_while_signing_in_then_totp_sign_in() {
    clearStorage();
    let pool = Pool::create(json!({"mfa": "ON", "mfaTypes": ["SOFTWARE_TOKEN_MFA"]})).await;
    let username = unique("totp");
    pool.user(email_user(&username)).await;
    let auth = pool.auth();
    let result = sign_in(&auth, json!({"username": username, "password": PASSWORD})).await;
    assert_eq!(step(&result), "CONTINUE_SIGN_IN_WITH_TOTP_SETUP", "{result}");
    let secret = result["nextStep"]["totpSetupDetails"]["sharedSecret"].as_str().unwrap().to_owned();
    let uri = result["nextStep"]["totpSetupDetails"]["setupUri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/Cognito:") && uri.contains(&secret), "{uri}");
    let code = totp(&secret).await.as_string().unwrap();
    let result = ok(auth.confirm_sign_in(js(json!({"challengeResponse": code, "options": {"friendlyDeviceName": "phone"}})))).await;
    assert_eq!(step(&result), "DONE", "{result}");
    let preference = ok(auth.fetch_mfa_preference()).await;
    assert!(preference["enabled"].as_array().unwrap().contains(&json!("TOTP")), "{preference}");
    sign_out(&auth).await;

    let result = sign_in(&auth, json!({"username": username, "password": PASSWORD})).await;
    assert_eq!(step(&result), "CONFIRM_SIGN_IN_WITH_TOTP_CODE");
    assert_eq!(error_name(auth.confirm_sign_in(js(json!({"challengeResponse": "000000"})))).await, "CodeMismatchException");
    let code = totp(&secret).await.as_string().unwrap();
    assert_eq!(step(&confirm(&auth, &code).await), "DONE");
    sign_out(&auth).await;
}

#[wasm_bindgen_test]
async fn mfa_set_up_selection_then_email_codes() {
    clearStorage();
    let pool = Pool::create(json!({"mfa": "ON", "mfaTypes": ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]})).await;
    let username = unique("emailmfa");
    pool.user(email_user(&username)).await;
    let auth = pool.auth();
    let result = sign_in(&auth, json!({"username": username, "password": PASSWORD})).await;
    assert_eq!(step(&result), "CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION", "{result}");
    let allowed = result["nextStep"]["allowedMFATypes"].as_array().unwrap();
    assert!(allowed.contains(&json!("TOTP")) && allowed.contains(&json!("EMAIL")), "{result}");
    assert_eq!(step(&confirm(&auth, "EMAIL").await), "CONTINUE_SIGN_IN_WITH_EMAIL_SETUP");
    let result = confirm(&auth, &format!("{username}@example.com")).await;
    assert_eq!(step(&result), "CONFIRM_SIGN_IN_WITH_EMAIL_CODE", "{result}");
    let code = pool.code(&username).await;
    assert_eq!(step(&confirm(&auth, &code).await), "DONE");
    sign_out(&auth).await;
}

#[wasm_bindgen_test]
async fn mfa_type_selection() {
    clearStorage();
    let pool = Pool::create(json!({"mfa": "OPTIONAL"})).await;
    let username = unique("select");
    pool.user(json!({"username": username, "password": PASSWORD,
                     "attributes": {"email": format!("{username}@example.com"), "phone_number": "+14155550124"},
                     "mfa": {"sms": true, "email": true}})).await;
    let auth = pool.auth();
    let result = sign_in(&auth, json!({"username": username, "password": PASSWORD})).await;
    assert_eq!(step(&result), "CONTINUE_SIGN_IN_WITH_MFA_SELECTION", "{result}");
    let result = confirm(&auth, "EMAIL").await;
    assert_eq!(step(&result), "CONFIRM_SIGN_IN_WITH_EMAIL_CODE", "{result}");
    let code = pool.code(&username).await;
    assert_eq!(step(&confirm(&auth, &code).await), "DONE");
    sign_out(&auth).await;
}

#[wasm_bindgen_test]
async fn new_password_required_with_a_missing_attribute() {
    clearStorage();
    let pool = Pool::create(json!({"requiredAttributes": ["email", "given_name"]})).await;
    let username = unique("admin");
    pool.user(json!({"username": username, "temporaryPassword": "Temp-passw0rd",
                     "attributes": {"email": format!("{username}@example.com")}})).await;
    let auth = pool.auth();
    let result = sign_in(&auth, json!({"username": username, "password": "Temp-passw0rd"})).await;
    assert_eq!(step(&result), "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED", "{result}");
    assert_eq!(result["nextStep"]["missingAttributes"], json!(["given_name"]));
    let weak = auth.confirm_sign_in(js(json!({"challengeResponse": "weak", "options": {"userAttributes": {"given_name": "Ada"}}})));
    assert_eq!(error_name(weak).await, "InvalidPasswordException");
    let result = ok(auth.confirm_sign_in(js(json!({"challengeResponse": "N3w-passw0rd!",
                                                    "options": {"userAttributes": {"given_name": "Ada"}}})))).await;
    assert_eq!(step(&result), "DONE", "{result}");
    let session = ok(auth.get_session(JsValue::UNDEFINED)).await;
    assert_eq!(session["idTokenPayload"]["given_name"], "Ada");
    sign_out(&auth).await;
    assert_eq!(step(&sign_in(&auth, json!({"username": username, "password": "N3w-passw0rd!"})).await), "DONE");
    sign_out(&auth).await;
}

#[wasm_bindgen_test]
async fn custom_auth_with_and_without_srp() {
    clearStorage();
    let pool = Pool::create(json!({"customAuth": {"challenges": [{"parameters": {"question": "What is 2+2?"}, "answer": "4"}],
                                                   "maxAttempts": 3}})).await;
    let username = unique("custom");
    pool.user(email_user(&username)).await;
    let auth = pool.auth();
    for flow in ["CUSTOM_WITHOUT_SRP", "CUSTOM_WITH_SRP"] {
        let result = sign_in(&auth, json!({"username": username, "password": PASSWORD, "authFlow": flow,
                                           "clientMetadata": {"source": "browser-test"}})).await;
        assert_eq!(step(&result), "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE", "{flow}: {result}");
        assert_eq!(result["nextStep"]["additionalInfo"]["question"], "What is 2+2?");
        let result = confirm(&auth, "4").await;
        assert_eq!(step(&result), "DONE", "{flow}: {result}");
        sign_out(&auth).await;
    }
}

#[wasm_bindgen_test]
async fn choice_based_sign_in() {
    clearStorage();
    let pool = Pool::create(json!({"firstAuthFactors": ["PASSWORD", "EMAIL_OTP"]})).await;
    let username = unique("choice");
    pool.user(email_user(&username)).await;
    let auth = pool.auth();

    let result = sign_in(&auth, json!({"username": username, "authFlow": "USER_AUTH"})).await;
    assert_eq!(step(&result), "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION", "{result}");
    let available = result["nextStep"]["availableChallenges"].as_array().unwrap().clone();
    assert!(available.contains(&json!("EMAIL_OTP")) && available.contains(&json!("PASSWORD")), "{result}");
    assert_eq!(step(&confirm(&auth, "EMAIL_OTP").await), "CONFIRM_SIGN_IN_WITH_EMAIL_CODE");
    let code = pool.code(&username).await;
    assert_eq!(step(&confirm(&auth, &code).await), "DONE");
    sign_out(&auth).await;

    let result = sign_in(&auth, json!({"username": username, "authFlow": "USER_AUTH"})).await;
    assert_eq!(step(&result), "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION");
    assert_eq!(step(&confirm(&auth, "PASSWORD").await), "CONFIRM_SIGN_IN_WITH_PASSWORD");
    assert_eq!(step(&confirm(&auth, PASSWORD).await), "DONE");
    sign_out(&auth).await;

    for preferred in ["PASSWORD_SRP", "PASSWORD"] {
        let result = sign_in(&auth, json!({"username": username, "password": PASSWORD, "authFlow": "USER_AUTH",
                                           "preferredChallenge": preferred})).await;
        assert_eq!(step(&result), "DONE", "{preferred}: {result}");
        sign_out(&auth).await;
    }
    let result = sign_in(&auth, json!({"username": username, "password": PASSWORD, "authFlow": "USER_PASSWORD_AUTH"})).await;
    assert_eq!(step(&result), "DONE");
    sign_out(&auth).await;
}

#[wasm_bindgen_test]
async fn auto_sign_in_after_confirmation() {
    clearStorage();
    let pool = Pool::create(json!({})).await;
    let auth = pool.auth();
    let username = unique("auto");
    ok(auth.sign_up(js(json!({"username": username, "password": PASSWORD, "autoSignIn": true,
                               "attributes": {"email": format!("{username}@example.com")}})))).await;
    let code = pool.code(&username).await;
    let confirmed = ok(auth.confirm_sign_up(js(json!({"username": username, "code": code})))).await;
    assert_eq!(confirmed["isSignUpComplete"], true);
    assert_eq!(confirmed["autoSignIn"]["isSignedIn"], true, "{confirmed}");
    let session = ok(auth.get_session(JsValue::UNDEFINED)).await;
    assert_eq!(session["idTokenPayload"]["cognito:username"], username.as_str());
    sign_out(&auth).await;
}

#[wasm_bindgen_test]
async fn an_app_client_with_a_secret() {
    clearStorage();
    let pool = Pool::create(json!({"clients": [{"secret": true}]})).await;
    assert!(pool.client_secret.is_some());
    let auth = pool.auth();
    let username = unique("secret");
    ok(auth.sign_up(js(json!({"username": username, "password": PASSWORD,
                               "attributes": {"email": format!("{username}@example.com")}})))).await;
    ok(auth.resend_sign_up_code(js(json!({"username": username})))).await;
    let code = pool.code(&username).await;
    ok(auth.confirm_sign_up(js(json!({"username": username, "code": code})))).await;
    assert_eq!(step(&sign_in(&auth, json!({"username": username, "password": PASSWORD})).await), "DONE");
    let before = ok(auth.get_session(JsValue::UNDEFINED)).await;
    let refreshed = ok(auth.get_session(js(json!({"forceRefresh": true})))).await;
    assert_ne!(refreshed["accessToken"], before["accessToken"]);
    sign_out(&auth).await;

    // Without the secret, the same client is refused.
    let no_secret = CognitoAuth::new(js(json!({"userPoolId": pool.id, "clientId": pool.client_id,
                                                "endpoint": ENDPOINT, "storage": "memory"}))).unwrap();
    assert_eq!(error_name(no_secret.sign_in(js(json!({"username": username, "password": PASSWORD})))).await, "NotAuthorizedException");
}

#[wasm_bindgen_test]
async fn account_operations() {
    clearStorage();
    let pool = Pool::create(json!({})).await;
    let username = unique("account");
    pool.user(email_user(&username)).await;
    let auth = pool.auth();

    // Forgot password, then sign in with the new one.
    let reset = ok(auth.reset_password(js(json!({"username": username})))).await;
    assert_eq!(reset["nextStep"]["resetPasswordStep"], "CONFIRM_RESET_PASSWORD_WITH_CODE");
    assert_eq!(reset["nextStep"]["codeDeliveryDetails"]["deliveryMedium"], "EMAIL");
    let code = pool.code(&username).await;
    let wrong = auth.confirm_reset_password(js(json!({"username": username, "confirmationCode": "000000", "newPassword": "Reset-passw0rd"})));
    assert_eq!(error_name(wrong).await, "CodeMismatchException");
    ok(auth.confirm_reset_password(js(json!({"username": username, "confirmationCode": code, "newPassword": "Reset-passw0rd"})))).await;
    assert_eq!(step(&sign_in(&auth, json!({"username": username, "password": "Reset-passw0rd"})).await), "DONE");

    // Change password.
    let wrong = auth.update_password(js(json!({"oldPassword": "nope-Passw0rd", "newPassword": PASSWORD})));
    assert_eq!(error_name(wrong).await, "NotAuthorizedException");
    ok(auth.update_password(js(json!({"oldPassword": "Reset-passw0rd", "newPassword": PASSWORD})))).await;

    // Attributes.
    let attributes = ok(auth.fetch_user_attributes()).await;
    assert_eq!(attributes["email"], format!("{username}@example.com"));
    let new_email = format!("new-{username}@example.com");
    let updates = ok(auth.update_user_attributes(js(json!({"userAttributes": {"given_name": "Ada", "email": new_email}})))).await;
    assert_eq!(updates["given_name"]["nextStep"]["updateAttributeStep"], "DONE", "{updates}");
    assert_eq!(updates["email"]["nextStep"]["updateAttributeStep"], "CONFIRM_ATTRIBUTE_WITH_CODE", "{updates}");
    ok(auth.send_user_attribute_verification_code(js(json!({"userAttributeKey": "email"})))).await;
    let code = pool.code(&username).await;
    ok(auth.confirm_user_attribute(js(json!({"userAttributeKey": "email", "confirmationCode": code})))).await;
    let attributes = ok(auth.fetch_user_attributes()).await;
    assert_eq!((&attributes["email"], &attributes["email_verified"], &attributes["given_name"]),
               (&json!(new_email), &json!("true"), &json!("Ada")), "{attributes}");
    ok(auth.delete_user_attributes(js(json!({"userAttributeKeys": ["given_name"]})))).await;
    assert!(ok(auth.fetch_user_attributes()).await.get("given_name").is_none());

    // TOTP from the profile, then MFA preferences.
    let setup = ok(auth.set_up_totp()).await;
    let code = totp(setup["sharedSecret"].as_str().unwrap()).await.as_string().unwrap();
    ok(auth.verify_totp_setup(js(json!({"code": code})))).await;
    ok(auth.update_mfa_preference(js(json!({"totp": "PREFERRED"})))).await;
    let preference = ok(auth.fetch_mfa_preference()).await;
    assert_eq!(preference["preferred"], "TOTP", "{preference}");
    ok(auth.update_mfa_preference(js(json!({"totp": "DISABLED"})))).await;
    assert_eq!(error_name(auth.update_mfa_preference(js(json!({"totp": "MAYBE"})))).await, "InvalidParameterException");

    // Global sign-out ends the session everywhere; then delete the account.
    ok(auth.sign_out(js(json!({"global": true})))).await;
    assert_eq!(ok(auth.get_session(JsValue::UNDEFINED)).await, Value::Null);
    assert_eq!(error_name(auth.fetch_user_attributes()).await, "UserUnAuthenticatedException");
    assert_eq!(step(&sign_in(&auth, json!({"username": username, "password": PASSWORD})).await), "DONE");
    ok(auth.delete_user()).await;
    assert_eq!(ok(auth.get_session(JsValue::UNDEFINED)).await, Value::Null);
    assert_eq!(error_name(auth.sign_in(js(json!({"username": username, "password": PASSWORD})))).await, "UserNotFoundException");
}

//! The one place Rust errors become JS errors.

use wasm_bindgen::JsValue;

use crate::flows::Error;
use crate::protocol::ServiceError;

/// A JS `Error` whose `name` is the exception name (Cognito's, or `NetworkError`, `InvalidParameterException`,
/// …), whose `message` is the human-readable text, whose boolean `retryable` says whether trying again later
/// may succeed, and whose `retryAfterMs`, when Cognito sent a `Retry-After`, says how long it asked to wait.
pub fn to_js_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(e.message());
    err.set_name(e.name());
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("retryable"), &JsValue::from_bool(e.retryable()));
    if let Error::Service(ServiceError { retry_after_secs: Some(secs), .. }) = e {
        let millis = f64::from(*secs) * 1000.0;
        let _ = js_sys::Reflect::set(&err, &JsValue::from_str("retryAfterMs"), &JsValue::from_f64(millis));
    }
    err.into()
}

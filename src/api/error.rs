//! The one place Rust errors become JS errors.

use wasm_bindgen::JsValue;

use crate::flows::Error;

/// A JS `Error` whose `name` is the exception name (Cognito's, or `NetworkError`, `InvalidParameterException`,
/// …), whose `message` is the human-readable text, and whose boolean `retryable` says whether trying again later
/// may succeed.
pub fn to_js_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(e.message());
    err.set_name(e.name());
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("retryable"), &JsValue::from_bool(e.retryable()));
    err.into()
}

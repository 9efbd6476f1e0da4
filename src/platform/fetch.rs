//! Sending Cognito requests with the global `fetch`, each bounded by a timeout: done by `send` in
//! pkg-template/driver.js (the global `fetch` of windows, workers and Node ≥ 20 alike), which the transport awaits
//! once per request.

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::protocol::{HttpResponse, Operation, Transport, TransportError};

#[wasm_bindgen(module = "/pkg-template/driver.js")]
extern "C" {
    /// Resolves with `[status, x-amzn-ErrorType, Retry-After, body]`, rejects with `[timedOut, stage, error]`.
    #[wasm_bindgen(js_name = send)]
    fn driver_send(url: &str, target: &str, user_agent: &str, body: String, timeout_millis: u32) -> js_sys::Promise;
}

/// Identifies the SDK to Cognito, as the official clients do with their own name.
const USER_AGENT: &str = concat!("cognito-wasm/", env!("CARGO_PKG_VERSION"));

/// The request timeout when the app sets none.
pub const DEFAULT_TIMEOUT_MILLIS: u32 = 10_000;

/// POSTs Cognito requests to one endpoint.
pub struct FetchTransport {
    /// Cognito's URL (or the emulator's).
    pub endpoint: String,
    /// How long one request may take, from sending to the last byte of the answer.
    pub timeout_millis: u32,
}

impl FetchTransport {
    #[must_use]
    pub fn new(endpoint: String) -> Self {
        Self { endpoint, timeout_millis: DEFAULT_TIMEOUT_MILLIS }
    }
}

impl Transport for FetchTransport {
    async fn send(&self, operation: Operation, body: String) -> Result<HttpResponse, TransportError> {
        let answer = driver_send(&self.endpoint, &operation.target(), USER_AGENT, body, self.timeout_millis);
        let answer: Array = match JsFuture::from(answer).await {
            Ok(answer) => as_array(answer),
            Err(failure) => return Err(self.failure(operation, &as_array(failure))),
        };
        let text = |i: u32| answer.get(i).as_string();
        Ok(HttpResponse {
            status: answer.get(0).as_f64().map_or(0, |s| s as u16),
            error_type: text(1),
            retry_after: text(2),
            body: text(3).unwrap_or_default(),
        })
    }
}

impl FetchTransport {
    /// The error for a request that got no whole answer (`[timedOut, stage, error]` from the driver).
    fn failure(&self, operation: Operation, failure: &Array) -> TransportError {
        if failure.get(0).is_truthy() {
            let mut m = [operation.name(), " got no answer within "].concat();
            crate::digits::push_u64(&mut m, self.timeout_millis.into());
            m.push_str(" ms (requestTimeoutMs)");
            return TransportError::Timeout(m);
        }
        let stage = if failure.get(1).as_f64() == Some(1.0) { "the response body could not be read: " } else { "" };
        TransportError::Network([operation.name(), ": ", stage, describe(&failure.get(2)).as_str()].concat())
    }
}

/// The driver's answers are arrays; anything else reads as an empty one (every element `undefined`) rather than
/// going through `Array.from`, which throws on `null` and `undefined`.
pub(crate) fn as_array(value: JsValue) -> Array {
    value.dyn_into().unwrap_or_default()
}

/// A JS exception's message, with its `cause` where it has one: Node's fetch rejects with "fetch failed" and
/// keeps the reason (`connect ECONNREFUSED 127.0.0.1:9229`, `other side closed`) in `cause`; browsers say only
/// "Failed to fetch" / "NetworkError when attempting to fetch resource.", and log the reason to the console.
pub(crate) fn describe(value: &JsValue) -> String {
    let mut text = message_of(value).unwrap_or_else(|| "unknown error".to_owned());
    if let Some(cause) = Reflect::get(value, &JsValue::from_str("cause")).ok().as_ref().and_then(message_of) {
        text.push_str(" (");
        text.push_str(&cause);
        text.push(')');
    }
    text
}

/// The `message` of an Error, a DOMException (not a `js_sys::Error` in every engine) or anything with one, or
/// the value itself when it is a string.
fn message_of(value: &JsValue) -> Option<String> {
    value.as_string().or_else(|| Reflect::get(value, &JsValue::from_str("message")).ok()?.as_string())
}

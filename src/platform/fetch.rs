//! Sending Cognito requests with the global `fetch`.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestCache, RequestInit, Response};

use crate::protocol::{HttpResponse, Operation, Transport, TransportError, CONTENT_TYPE};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` of windows, workers and Node ≥ 20 alike (`web_sys::Window` would tie us to pages).
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Result<js_sys::Promise, JsValue>;
}

/// Identifies the SDK to Cognito, as the official clients do with their own name.
const USER_AGENT: &str = concat!("cognito-wasm/", env!("CARGO_PKG_VERSION"));

/// POSTs Cognito requests to one endpoint.
pub struct FetchTransport {
    endpoint: String,
}

impl FetchTransport {
    #[must_use]
    pub fn new(endpoint: String) -> Self {
        Self { endpoint }
    }

    fn request_init(operation: Operation, body: String) -> Result<RequestInit, JsValue> {
        let headers = Headers::new()?;
        headers.set("Content-Type", CONTENT_TYPE)?;
        headers.set("X-Amz-Target", &operation.target())?;
        headers.set("X-Amz-User-Agent", USER_AGENT)?;
        headers.set("Cache-Control", "no-store")?;
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_headers(&headers);
        init.set_body(&JsValue::from_str(&body));
        init.set_cache(RequestCache::NoStore);
        Ok(init)
    }
}

impl Transport for FetchTransport {
    async fn send(&self, operation: Operation, body: String) -> Result<HttpResponse, TransportError> {
        let init = Self::request_init(operation, body).map_err(|e| TransportError(describe(&e)))?;
        let promise = global_fetch(&self.endpoint, &init).map_err(|e| TransportError(describe(&e)))?;
        let response: Response = JsFuture::from(promise)
            .await
            .map_err(|e| TransportError(describe(&e)))?
            .dyn_into()
            .map_err(|_| TransportError("fetch resolved to something that is not a Response".into()))?;
        let error_type = response.headers().get("x-amzn-ErrorType").ok().flatten();
        let text = response.text().map_err(|e| TransportError(describe(&e)))?;
        let body = JsFuture::from(text)
            .await
            .map_err(|e| TransportError(format!("the response body could not be read: {}", describe(&e))))?
            .as_string()
            .unwrap_or_default();
        Ok(HttpResponse { status: response.status(), error_type, body })
    }
}

/// A JS exception's message (fetch rejects with a TypeError whose message names the cause).
pub(crate) fn describe(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

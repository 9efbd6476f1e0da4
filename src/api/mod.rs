//! The JavaScript API: `new CognitoAuth(options)` and its async methods.
//!
//! A thin shell: it reads JS arguments into Rust types, runs a flow on the [`WebPlatform`], and writes the
//! result back as plain JS objects. Errors become JS `Error`s here and nowhere else ([`error`]).

mod error;
mod input;
mod output;

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::flows::get_session::{get_session, GetSessionOptions};
use crate::flows::sign_in::sign_in;
use crate::flows::sign_out::sign_out;
use crate::flows::sign_up::{confirm_sign_up, resend_sign_up_code, sign_up};
use crate::flows::{Config, Error};
use crate::platform::{FetchTransport, StorageBackend, WebPlatform, WebStorage};
use crate::session::MemoryStorage;

use error::to_js_error;
use input::{from_js, AuthOptions, ConfirmSignUpInput, GetSessionInput, ResendInput, SignInInput, SignUpArgs};

/// State shared by the pending promises of one `CognitoAuth`.
struct Inner {
    config: Config,
    platform: WebPlatform,
}

/// A Cognito user-pool client for one app client.
#[wasm_bindgen]
pub struct CognitoAuth {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl CognitoAuth {
    /// `new CognitoAuth({ userPoolId, clientId, endpoint?, storage? })`. Throws `InvalidParameterException` for
    /// options it cannot use, so mistakes surface at construction, before any request.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<CognitoAuth, JsValue> {
        Self::build(options).map_err(|e| to_js_error(&e))
    }

    fn build(options: JsValue) -> Result<CognitoAuth, Error> {
        let options: AuthOptions = from_js("options", options)?;
        let config = Config::new(&options.user_pool_id, &options.client_id)?;
        let endpoint = match options.endpoint {
            Some(endpoint) => {
                if !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) {
                    return Err(Error::InvalidParameter(format!("endpoint {endpoint:?} is not an http(s) URL")));
                }
                endpoint
            }
            None => config.default_endpoint(),
        };
        let storage = match options.storage.as_deref() {
            None => WebStorage::global("localStorage")
                .map_or_else(|_| StorageBackend::Memory(MemoryStorage::default()), StorageBackend::Web),
            Some(name @ ("localStorage" | "sessionStorage")) => StorageBackend::Web(WebStorage::global(name)?),
            Some("memory") => StorageBackend::Memory(MemoryStorage::default()),
            Some(other) => {
                return Err(Error::InvalidParameter(format!(
                    "storage {other:?} is not one of 'localStorage', 'sessionStorage', 'memory'"
                )))
            }
        };
        let platform = WebPlatform { transport: FetchTransport::new(endpoint), storage };
        Ok(CognitoAuth { inner: Rc::new(Inner { config, platform }) })
    }

    /// `signUp({ username, password, attributes? })` → `{ userConfirmed, userSub, codeDeliveryDetails }`.
    #[wasm_bindgen(js_name = signUp)]
    pub fn sign_up(&self, input: JsValue) -> js_sys::Promise {
        self.run(|inner| async move {
            let input: SignUpArgs = from_js("signUp input", input)?;
            let out = sign_up(&inner.platform, &inner.config, input.into()).await?;
            output::to_js(&output::SignUpResult::from(out))
        })
    }

    /// `confirmSignUp({ username, code })`.
    #[wasm_bindgen(js_name = confirmSignUp)]
    pub fn confirm_sign_up(&self, input: JsValue) -> js_sys::Promise {
        self.run(|inner| async move {
            let input: ConfirmSignUpInput = from_js("confirmSignUp input", input)?;
            confirm_sign_up(&inner.platform, &inner.config, &input.username, &input.code).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `resendSignUpCode({ username })` → `{ codeDeliveryDetails }`.
    #[wasm_bindgen(js_name = resendSignUpCode)]
    pub fn resend_sign_up_code(&self, input: JsValue) -> js_sys::Promise {
        self.run(|inner| async move {
            let input: ResendInput = from_js("resendSignUpCode input", input)?;
            let delivery = resend_sign_up_code(&inner.platform, &inner.config, &input.username).await?;
            output::to_js(&output::ResendResult { code_delivery_details: delivery.map(Into::into) })
        })
    }

    /// `signIn({ username, password })` with USER_SRP_AUTH → `{ isSignedIn, nextStep: { signInStep: 'DONE' } }`.
    #[wasm_bindgen(js_name = signIn)]
    pub fn sign_in(&self, input: JsValue) -> js_sys::Promise {
        self.run(|inner| async move {
            let input: SignInInput = from_js("signIn input", input)?;
            sign_in(&inner.platform, &inner.config, &input.username, &input.password).await?;
            output::to_js(&output::SignInResult::done())
        })
    }

    /// `getSession({ forceRefresh? })` → the session, refreshed if its tokens expire soon, or `null`.
    #[wasm_bindgen(js_name = getSession)]
    pub fn get_session(&self, input: JsValue) -> js_sys::Promise {
        self.run(|inner| async move {
            let input: GetSessionInput =
                if input.is_undefined() || input.is_null() { GetSessionInput::default() } else { from_js("getSession input", input)? };
            let options = GetSessionOptions { force_refresh: input.force_refresh, ..GetSessionOptions::default() };
            match get_session(&inner.platform, &inner.config, options).await? {
                Some(session) => output::to_js(&output::SessionResult::from(&session)),
                None => Ok(JsValue::NULL),
            }
        })
    }

    /// `signOut()`: revokes the refresh token and forgets the session (locally even if revocation fails).
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(&self) -> js_sys::Promise {
        self.run(|inner| async move {
            sign_out(&inner.platform, &inner.config).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

impl CognitoAuth {
    /// Runs a flow as a Promise. The future owns a handle to the shared state, so the JS object is not borrowed
    /// while the flow waits, and any number of calls may be pending at once.
    fn run<F, Fut>(&self, flow: F) -> js_sys::Promise
    where
        F: FnOnce(Rc<Inner>) -> Fut,
        Fut: std::future::Future<Output = Result<JsValue, Error>> + 'static,
    {
        let fut = flow(Rc::clone(&self.inner));
        future_to_promise(async move { fut.await.map_err(|e| to_js_error(&e)) })
    }
}

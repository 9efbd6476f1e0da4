//! The JavaScript API: `new CognitoAuth(options)` and its async methods.
//!
//! A thin shell: it reads JS arguments into Rust types, runs a flow on the [`WebPlatform`], and writes the
//! result back as plain JS objects. Errors become JS `Error`s here and nowhere else ([`error`]).

mod auto_refresh;
mod error;
mod input;
mod output;

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::flows::get_session::{get_session, stored_fresh, GetSessionOptions};
use crate::flows::mfa::Preference;
use crate::flows::sign_in::{cancel_sign_in, confirm_sign_in, pending_step, sign_in};
use crate::flows::sign_out::sign_out;
use crate::flows::sign_up::{confirm_sign_up, resend_sign_up_code, sign_up};
use crate::flows::redirect::{self, OAuthSettings};
use crate::flows::{account, devices, mfa, Config, Error};
use crate::platform::{Flow, CookieOptions, CookieStorage, EventHub, FetchTransport, JsStorage, StorageBackend, WebPlatform, WebStorage};
use crate::flows::one_request::OneRequest;
use crate::protocol::types::StringMap;
use crate::protocol::{Json, Operation, RetryPolicy};
use crate::session::MemoryStorage;

pub(crate) use error::to_js_error;
use input::*;
use output::to_js;

/// State shared by the pending promises of one `CognitoAuth`.
struct Inner {
    config: Config,
    platform: WebPlatform,
    auto_refresh: bool,
    /// The pending auto-refresh timer's id.
    timer: Cell<Option<i32>>,
    /// What the auto-refresh timer calls: one closure for the client's life, made at the first timer (a closure
    /// per timer would leak each one a later timer replaced before it fired).
    tick: std::cell::RefCell<Option<Closure<dyn FnMut()>>>,
    /// getSession()'s last answer and the tokens and clock drift it was made from: the same tokens give the same
    /// object (loader.js hands each caller a copy), without writing and parsing it again.
    last_session: std::cell::RefCell<Option<(crate::session::Tokens, i64, JsValue)>>,
}

impl Inner {
    /// getSession()'s answer for `session`.
    fn session_js(&self, session: &crate::session::Session) -> Result<JsValue, Error> {
        if let Some((tokens, drift, js)) = self.last_session.borrow().as_ref() {
            let same = |a: &Option<String>, b: &Option<String>| match (a, b) {
                (Some(a), Some(b)) => crate::text::same(a, b),
                (a, b) => a.is_none() && b.is_none(),
            };
            let now = &session.tokens;
            if *drift == session.clock_drift
                && crate::text::same(&tokens.access_token, &now.access_token)
                && crate::text::same(&tokens.id_token, &now.id_token)
                && same(&tokens.refresh_token, &now.refresh_token)
            {
                return Ok(js.clone());
            }
        }
        let js = to_js(&output::session(session))?;
        *self.last_session.borrow_mut() = Some((session.tokens.clone(), session.clock_drift, js.clone()));
        Ok(js)
    }
}

impl Drop for Inner {
    /// A timer still pending would call the closure after it is gone.
    fn drop(&mut self) {
        auto_refresh::stop(self);
    }
}

/// Where sessions are kept: `'localStorage'` (the default where it exists), `'sessionStorage'`, `'memory'`,
/// `{ cookie: { domain, path, secure, sameSite, expires } }`, or an object with getItem/setItem/removeItem.
fn storage_backend(option: JsValue) -> Result<StorageBackend, Error> {
    if option.is_undefined() || option.is_null() {
        return Ok(StorageBackend::web_or_memory("localStorage"));
    }
    if let Some(name) = option.as_string() {
        return match name.as_str() {
            "localStorage" | "sessionStorage" => Ok(StorageBackend::Web(WebStorage::global(&name)?)),
            "memory" => Ok(StorageBackend::Memory(MemoryStorage::default())),
            other => Err(Error::InvalidParameter([
                "storage \"",
                other,
                "\" is not one of 'localStorage', 'sessionStorage', 'memory', { cookie } or a storage object",
            ]
            .concat())),
        };
    }
    let cookie = js_sys::Reflect::get(&option, &JsValue::from_str("cookie")).unwrap_or(JsValue::UNDEFINED);
    if !cookie.is_undefined() {
        let options: CookieOptions = if cookie.is_object() { from_js("storage.cookie", cookie)? } else { CookieOptions::default() };
        return CookieStorage::new(options).map(StorageBackend::Cookie).map_err(|e| Error::InvalidParameter(e.0));
    }
    JsStorage::new(option).map(StorageBackend::Js).map_err(|e| Error::InvalidParameter(e.0))
}

/// A Cognito user-pool client for one app client.
#[wasm_bindgen]
pub struct CognitoAuth {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl CognitoAuth {
    /// `new CognitoAuth({ userPoolId, clientId, clientSecret?, endpoint?, storage?, deviceName?, appName?,
    /// refreshMarginSeconds?, autoRefresh?, requestTimeoutMs?, retries?: { maxAttempts? } })`.
    /// Throws `InvalidParameterException` for options it cannot use, so mistakes surface before any request.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<CognitoAuth, JsValue> {
        Self::build(options).map_err(|e| to_js_error(&e))
    }

    fn build(options: JsValue) -> Result<CognitoAuth, Error> {
        if !options.is_object() {
            return Err(Error::InvalidParameter("options must be an object".into()));
        }
        // `storage` may be an object with functions, which JSON cannot carry: read it apart from the rest.
        let storage_option = js_sys::Reflect::get(&options, &JsValue::from_str("storage")).unwrap_or(JsValue::UNDEFINED);
        let rest = js_sys::Object::assign(&js_sys::Object::new(), options.unchecked_ref());
        let _ = js_sys::Reflect::delete_property(&rest, &JsValue::from_str("storage"));
        let options: AuthOptions = from_js("options", rest.into())?;
        let mut config = Config::new(&options.user_pool_id, &options.client_id)?;
        if let Some(secret) = &options.client_secret {
            config = config.with_client_secret(secret)?;
        }
        if let Some(o) = options.oauth {
            config.oauth = Some(OAuthSettings::new(&o.domain, o.redirect_sign_in, o.redirect_sign_out, o.scopes)?);
        }
        config.device_name = options.device_name.or_else(user_agent);
        if let Some(app_name) = options.app_name {
            config.app_name = app_name;
        }
        if let Some(margin) = options.refresh_margin_seconds {
            // Cognito's shortest token lifetime is 5 minutes; a margin of a day or more is a mistake (seconds
            // taken for milliseconds). Margins near a token's lifetime are capped when used (session::Session).
            if margin > 86_400 {
                return Err(Error::InvalidParameter("refreshMarginSeconds must be at most 86400 (a day)".into()));
            }
            config.refresh_margin_secs = i64::from(margin);
        }
        let mut transport = FetchTransport::new(String::new());
        if let Some(timeout) = options.request_timeout_ms {
            if !(1..=600_000).contains(&timeout) {
                return Err(Error::InvalidParameter("requestTimeoutMs must be between 1 and 600000".into()));
            }
            transport.timeout_millis = timeout;
        }
        let mut retries = RetryPolicy::STANDARD;
        if let Some(attempts) = options.max_attempts {
            if !(1..=10).contains(&attempts) {
                return Err(Error::InvalidParameter("retries.maxAttempts must be between 1 and 10".into()));
            }
            retries.max_attempts = attempts;
        }
        let custom_endpoint = options.endpoint.is_some();
        let endpoint = match options.endpoint {
            Some(endpoint) => {
                if !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) {
                    return Err(Error::InvalidParameter(["endpoint \"", &endpoint, "\" is not an http(s) URL"].concat()));
                }
                endpoint
            }
            None => config.default_endpoint(),
        };
        config.endpoint = Some(endpoint.clone()).filter(|_| custom_endpoint);
        transport.endpoint = endpoint;
        let platform = WebPlatform {
            transport,
            retries,
            storage: storage_backend(storage_option)?,
            transient: StorageBackend::web_or_memory("sessionStorage"),
            events: EventHub::new(config.client_id(), to_js_error),
        };
        let inner = Rc::new(Inner {
            config,
            platform,
            auto_refresh: options.auto_refresh,
            timer: Cell::new(None),
            tick: std::cell::RefCell::default(),
            last_session: std::cell::RefCell::default(),
        });
        if inner.auto_refresh {
            auto_refresh::start(&inner);
        }
        Ok(CognitoAuth { inner })
    }

    /// `onAuthStateChange(listener)` → a function that unsubscribes. The listener gets `{ event, error? }` for
    /// `signedIn`, `signedOut`, `tokenRefresh`, `tokenRefreshFailure` and `sessionExpired`, including those that
    /// happen in other tabs of this origin.
    #[wasm_bindgen(js_name = onAuthStateChange)]
    pub fn on_auth_state_change(&self, listener: JsValue) -> Result<js_sys::Function, JsValue> {
        let listener: js_sys::Function = listener
            .dyn_into()
            .map_err(|_| to_js_error(&Error::InvalidParameter("onAuthStateChange needs a function".into())))?;
        Ok(self.inner.platform.events.subscribe(&listener))
    }

    /// Every async method, by number: loader.js's `METHODS` names them in this order. One export instead of one
    /// each: each export costs a shim in the wasm and a wrapper in the JS glue.
    #[wasm_bindgen(js_name = call)]
    pub fn call(&self, method: u32, input: JsValue) -> js_sys::Promise {
        match method {
            0 => self.sign_up(input), // signUp
            1 => self.confirm_sign_up(input), // confirmSignUp
            2 => self.resend_sign_up_code(input), // resendSignUpCode
            3 => self.sign_in(input), // signIn
            4 => self.confirm_sign_in(input), // confirmSignIn
            5 => self.cancel_sign_in(), // cancelSignIn
            6 => self.get_pending_sign_in(), // getPendingSignIn
            7 => self.get_session(input), // getSession
            8 => self.sign_out(input), // signOut
            9 => self.reset_password(input), // resetPassword
            10 => self.confirm_reset_password(input), // confirmResetPassword
            11 => self.update_password(input), // updatePassword
            12 => self.fetch_user_attributes(), // fetchUserAttributes
            13 => self.update_user_attributes(input), // updateUserAttributes
            14 => self.send_user_attribute_verification_code(input), // sendUserAttributeVerificationCode
            15 => self.confirm_user_attribute(input), // confirmUserAttribute
            16 => self.delete_user_attributes(input), // deleteUserAttributes
            17 => self.delete_user(), // deleteUser
            18 => self.set_up_totp(), // setUpTOTP
            19 => self.verify_totp_setup(input), // verifyTOTPSetup
            20 => self.update_mfa_preference(input), // updateMFAPreference
            21 => self.fetch_mfa_preference(), // fetchMFAPreference
            22 => self.remember_device(), // rememberDevice
            23 => match input.as_string() { // forgetDevice(deviceKey?)
                Some(key) => self.forget_device(Some(key)),
                None if input.is_undefined() || input.is_null() => self.forget_device(None),
                None => self.refuse("forgetDevice: deviceKey must be a string"),
            },
            24 => self.fetch_devices(), // fetchDevices
            25 => self.authorization_header(), // authorizationHeader
            26 => self.oauth_answer(input), // redirect.js's answers from managed login (not a method of its own)
            _ => self.refuse("no method has this number (loader.js and src/api/mod.rs disagree)"),
        }
    }

    /// getSession()'s answer when the stored tokens need no refresh, at once; `undefined` when it must wait for
    /// more (nobody is signed in, a refresh is due, a storage object answering through Promises, a storage
    /// error), and loader.js then calls [`Self::get_session`]. getSession() is called before each of an app's
    /// API requests: with this it costs no promise and no trip through the async machinery.
    #[wasm_bindgen(js_name = freshSession)]
    pub fn fresh_session(&self) -> JsValue {
        let i = &self.inner;
        let Ok(Some(session)) = stored_fresh(&i.platform, &i.config) else {
            return JsValue::UNDEFINED;
        };
        if i.auto_refresh {
            auto_refresh::schedule(i, Some(&session));
        }
        i.session_js(&session).unwrap_or(JsValue::UNDEFINED)
    }

}

/// The async methods, which JS reaches through [`CognitoAuth::call`]: public for the Rust side (the browser
/// tests), not exported one by one.
impl CognitoAuth {
    /// `authorizationHeader()` → `'Bearer <access token>'` from a fresh session, or `null` when signed out.
    pub fn authorization_header(&self) -> js_sys::Promise {
        self.run(|i| async move {
            let options = GetSessionOptions::for_config(&i.config);
            match get_session(&i.platform, &i.config, options).await? {
                Some(session) => Ok(JsValue::from_str(&["Bearer ", &session.tokens.access_token].concat())),
                None => Ok(JsValue::NULL),
            }
        })
    }

    /// `signUp({ username, password, attributes?, autoSignIn?, clientMetadata?, userContextData? })`
    /// → `{ userConfirmed, userSub, codeDeliveryDetails }`.
    pub fn sign_up(&self, input: JsValue) -> js_sys::Promise {
        self.run(|i| async move {
            let SignUpArgs(input) = from_js("signUp input", input)?;
            let out = sign_up(&i.platform, &i.config, input).await?;
            to_js(&output::sign_up(out))
        })
    }

    /// `confirmSignUp({ username, code, clientMetadata? })` → `{ isSignUpComplete, nextStep, autoSignIn }`, where
    /// `autoSignIn` is the sign-in's result when `signUp` asked for `autoSignIn`, else `null`.
    pub fn confirm_sign_up(&self, input: JsValue) -> js_sys::Promise {
        self.run(|i| async move {
            let a: ConfirmSignUpArgs = from_js("confirmSignUp input", input)?;
            let auto = confirm_sign_up(&i.platform, &i.config, &a.username, &a.code, a.metadata).await?;
            to_js(&output::confirm_sign_up(auto))
        })
    }

    /// `signIn({ username, password?, authFlow?, preferredChallenge?, clientMetadata?, userContextData? })`
    /// → `{ isSignedIn, nextStep: { signInStep, … } }`.
    pub fn sign_in(&self, input: JsValue) -> js_sys::Promise {
        self.run(|i| async move {
            let a: SignInArgs = from_js("signIn input", input)?;
            let step = sign_in(&i.platform, &i.config, a.into_input()?).await?;
            auto_refresh::after_sign_in(&i, &step);
            to_js(&output::sign_in(step))
        })
    }

    /// `confirmSignIn({ challengeResponse, options?: { userAttributes, friendlyDeviceName, clientMetadata } })`
    /// answers the pending step.
    pub fn confirm_sign_in(&self, input: JsValue) -> js_sys::Promise {
        self.run(|i| async move {
            let ConfirmSignInArgs(answer) = from_js("confirmSignIn input", input)?;
            let step = confirm_sign_in(&i.platform, &i.config, answer).await?;
            auto_refresh::after_sign_in(&i, &step);
            to_js(&output::sign_in(step))
        })
    }

    /// `cancelSignIn()` abandons a sign-in that waits for `confirmSignIn`.
    pub fn cancel_sign_in(&self) -> js_sys::Promise {
        self.run(|i| async move {
            cancel_sign_in(&i.platform, &i.config)?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `getPendingSignIn()` → the pending sign-in's `{ isSignedIn: false, nextStep }`, or `null`: restores the
    /// right form after a reload.
    pub fn get_pending_sign_in(&self) -> js_sys::Promise {
        self.run(|i| async move {
            match pending_step(&i.platform, &i.config)? {
                Some(step) => to_js(&output::sign_in(step)),
                None => Ok(JsValue::NULL),
            }
        })
    }

    /// `getSession({ forceRefresh? })` → the session, refreshed if its tokens expire soon, or `null`.
    pub fn get_session(&self, input: JsValue) -> js_sys::Promise {
        self.run(|i| async move {
            let a: GetSessionArgs = from_js_or_default("getSession input", input)?;
            let options = GetSessionOptions { force_refresh: a.force_refresh, ..GetSessionOptions::for_config(&i.config) };
            let session = get_session(&i.platform, &i.config, options).await?;
            if i.auto_refresh {
                auto_refresh::schedule(&i, session.as_ref());
            }
            match session {
                Some(session) => i.session_js(&session),
                None => Ok(JsValue::NULL),
            }
        })
    }

    /// `signOut({ global?, redirect? })`: revokes the refresh token (or all the user's sessions with `global`)
    /// and forgets the session, locally even if revocation fails. → managed login's `/logout` URL when the
    /// session came from there and the app has a `redirectSignOut` (loader.js goes there unless `redirect` is
    /// false), else `undefined`.
    pub fn sign_out(&self, input: JsValue) -> js_sys::Promise {
        self.run(|i| async move {
            auto_refresh::stop(&i);
            let a: SignOutArgs = from_js_or_default("signOut input", input)?;
            sign_out(&i.platform, &i.config, a.global).await?;
            let logout = redirect::take_logout_url(&i.platform, &i.config)?;
            Ok(logout.map_or(JsValue::UNDEFINED, |url| JsValue::from_str(&url)))
        })
    }

    /// What redirect.js received from managed login ([`OAuthAnswerArgs`]): a callback's error, named; the token
    /// endpoint's answer, made the session → `{ customState }`; userInfo's answer → its attributes.
    pub fn oauth_answer(&self, input: JsValue) -> js_sys::Promise {
        self.run(|i| async move {
            let a: OAuthAnswerArgs = from_js("managed login's answer", input)?;
            if let Some(error) = a.error {
                let description = a.error_description.as_deref().unwrap_or("");
                return Err(crate::protocol::oauth::oauth_error(&error, description, 400).into());
            }
            let status = a.status.and_then(|s| u16::try_from(s).ok()).unwrap_or(0);
            let body = a.body.unwrap_or_default();
            let Some(nonce) = a.nonce else {
                return to_js(&crate::protocol::oauth::read_answer(status, &body)?);
            };
            let done = redirect::redeemed(&i.platform, &i.config, status, &body, &nonce, a.custom_state)?;
            auto_refresh::after_sign_in(&i, &crate::flows::sign_in::NextStep::Done);
            to_js(&Json::object().with_some("customState", done.custom_state.as_ref()))
        })
    }

    /// `deleteUser()`: deletes the signed-in user's account and signs out.
    pub fn delete_user(&self) -> js_sys::Promise {
        self.run(|i| async move {
            account::delete_user(&i.platform, &i.config).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `setUpTOTP()` → `{ sharedSecret, setupUri }` for the signed-in user.
    pub fn set_up_totp(&self) -> js_sys::Promise {
        self.run(|i| async move { to_js(&output::totp(mfa::set_up_totp(&i.platform, &i.config).await?)) })
    }

    /// `rememberDevice()`: this device skips MFA from now on (pools where users opt in).
    pub fn remember_device(&self) -> js_sys::Promise {
        self.run(|i| async move {
            devices::remember(&i.platform, &i.config).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `forgetDevice(deviceKey?)`: this device when no key is given.
    pub fn forget_device(&self, device_key: Option<String>) -> js_sys::Promise {
        self.run(|i| async move {
            devices::forget(&i.platform, &i.config, device_key.as_deref()).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `fetchDevices()` → `[{ id, name, createdAt, lastModifiedAt, lastAuthenticatedAt }]` (milliseconds).
    pub fn fetch_devices(&self) -> js_sys::Promise {
        self.run(|i| async move { to_js(&output::devices(devices::list(&i.platform, &i.config).await?)) })
    }

    /// `resendSignUpCode({ username })` → `{ codeDeliveryDetails }`.
    pub fn resend_sign_up_code(&self, input: JsValue) -> js_sys::Promise {
        let request = from_js("resendSignUpCode input", input)
            .and_then(|a: UsernameArgs| resend_sign_up_code(&self.inner.config, &a.username, a.metadata));
        self.one_request(request, Box::new(|answer| {
            to_js(&output::delivery(account::code_delivery(Operation::ResendConfirmationCode, &answer)?))
        }))
    }

    /// `resetPassword({ username, clientMetadata? })` → `{ isPasswordReset: false, nextStep }`.
    pub fn reset_password(&self, input: JsValue) -> js_sys::Promise {
        let request = from_js("resetPassword input", input)
            .and_then(|a: UsernameArgs| account::reset_password(&self.inner.config, &a.username, a.metadata));
        self.one_request(request, Box::new(|answer| {
            to_js(&output::reset_password(account::code_delivery(Operation::ForgotPassword, &answer)?))
        }))
    }

    /// `confirmResetPassword({ username, confirmationCode, newPassword, clientMetadata? })`.
    pub fn confirm_reset_password(&self, input: JsValue) -> js_sys::Promise {
        let request = from_js("confirmResetPassword input", input).and_then(|a: ConfirmResetPasswordArgs| {
            let (code, password) = (&a.confirmation_code, &a.new_password);
            account::confirm_reset_password(&self.inner.config, &a.username, code, password, a.metadata)
        });
        self.one_request(request, Box::new(|_| Ok(JsValue::UNDEFINED)))
    }

    /// `updatePassword({ oldPassword, newPassword })` for the signed-in user.
    pub fn update_password(&self, input: JsValue) -> js_sys::Promise {
        let request = from_js("updatePassword input", input)
            .and_then(|a: UpdatePasswordArgs| account::update_password(a.old_password, a.new_password));
        self.one_request(request, Box::new(|_| Ok(JsValue::UNDEFINED)))
    }

    /// `fetchUserAttributes()` → `{ email: '…', sub: '…', … }`.
    pub fn fetch_user_attributes(&self) -> js_sys::Promise {
        self.one_request(Ok(account::get_user()), Box::new(|answer| to_js(&output::attributes(account::user_attributes(&answer)?))))
    }

    /// `updateUserAttributes({ userAttributes, clientMetadata? })` → per attribute `{ isUpdated, nextStep }`.
    pub fn update_user_attributes(&self, input: JsValue) -> js_sys::Promise {
        let a: Result<UpdateUserAttributesArgs, Error> = from_js("updateUserAttributes input", input);
        let (request, requested) = match a {
            Ok(a) => (account::update_user_attributes(&a.user_attributes, a.metadata), a.user_attributes),
            Err(e) => (Err(e), StringMap::new()),
        };
        self.one_request(request, Box::new(move |answer| {
            to_js(&output::attribute_updates(account::attribute_updates(requested, &answer)?))
        }))
    }

    /// `sendUserAttributeVerificationCode({ userAttributeKey })` → `{ codeDeliveryDetails }`.
    pub fn send_user_attribute_verification_code(&self, input: JsValue) -> js_sys::Promise {
        let request = from_js("sendUserAttributeVerificationCode input", input)
            .and_then(|a: AttributeKeyArgs| account::send_user_attribute_verification_code(a.user_attribute_key, a.metadata));
        self.one_request(request, Box::new(|answer| {
            to_js(&output::delivery(account::code_delivery(Operation::GetUserAttributeVerificationCode, &answer)?))
        }))
    }

    /// `confirmUserAttribute({ userAttributeKey, confirmationCode })`.
    pub fn confirm_user_attribute(&self, input: JsValue) -> js_sys::Promise {
        let request = from_js("confirmUserAttribute input", input)
            .and_then(|a: ConfirmUserAttributeArgs| account::confirm_user_attribute(a.user_attribute_key, &a.confirmation_code));
        self.one_request(request, Box::new(|_| Ok(JsValue::UNDEFINED)))
    }

    /// `deleteUserAttributes({ userAttributeKeys })`.
    pub fn delete_user_attributes(&self, input: JsValue) -> js_sys::Promise {
        let request = from_js("deleteUserAttributes input", input)
            .and_then(|a: DeleteUserAttributesArgs| account::delete_user_attributes(a.user_attribute_keys));
        self.one_request(request, Box::new(|_| Ok(JsValue::UNDEFINED)))
    }

    /// `verifyTOTPSetup({ code, friendlyDeviceName? })`.
    pub fn verify_totp_setup(&self, input: JsValue) -> js_sys::Promise {
        let request = from_js("verifyTOTPSetup input", input)
            .and_then(|a: VerifyTotpArgs| mfa::verify_totp_setup(&a.code, a.friendly_device_name));
        self.one_request(request, Box::new(|answer| {
            mfa::totp_verified(&answer)?;
            Ok(JsValue::UNDEFINED)
        }))
    }

    /// `updateMFAPreference({ sms?, totp?, email? })`, each `ENABLED`, `DISABLED`, `PREFERRED` or `NOT_PREFERRED`.
    pub fn update_mfa_preference(&self, input: JsValue) -> js_sys::Promise {
        let request = from_js("updateMFAPreference input", input).and_then(|a: MfaPreferenceArgs| {
            let parse = |v: Option<String>| v.as_deref().map(Preference::parse).transpose();
            mfa::update_mfa_preference(parse(a.sms)?, parse(a.totp)?, parse(a.email)?)
        });
        self.one_request(request, Box::new(|_| Ok(JsValue::UNDEFINED)))
    }

    /// `fetchMFAPreference()` → `{ enabled: ['TOTP', …], preferred: 'TOTP' | null }`.
    pub fn fetch_mfa_preference(&self) -> js_sys::Promise {
        self.one_request(Ok(account::get_user()), Box::new(|answer| to_js(&output::mfa_preference(mfa::mfa_preference(&answer)?))))
    }
}

/// `navigator.userAgent`, to name confirmed devices the way Amplify does.
fn user_agent() -> Option<String> {
    let navigator = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("navigator")).ok()?;
    js_sys::Reflect::get(&navigator, &JsValue::from_str("userAgent")).ok()?.as_string()
}

impl CognitoAuth {
    /// Runs a flow as a Promise. The future owns a handle to the shared state, so the JS object is not borrowed
    /// while the flow waits, and any number of calls may be pending at once.
    ///
    /// The future is boxed here and handed to the non-generic [`promise`], so the Promise plumbing
    /// (`future_to_promise`, its task and the error conversion) is compiled once rather than once per method.
    /// Sends a one-request operation's `request` (or rejects with the error that kept it from being made) and
    /// turns the answer into the result with `finish`: the same future for each of them (`flows::one_request`).
    fn one_request(&self, request: Result<OneRequest, Error>, finish: Finish) -> js_sys::Promise {
        let inner = Rc::clone(&self.inner);
        let i = Rc::clone(&inner);
        promise(inner, Box::pin(async move {
            let answer = crate::flows::one_request::send(&i.platform, &i.config, request?).await?;
            finish(answer)
        }))
    }

    /// A Promise rejected with `InvalidParameterException` and `message`.
    fn refuse(&self, message: &str) -> js_sys::Promise {
        self.one_request(Err(Error::InvalidParameter(message.into())), Box::new(|_| Ok(JsValue::UNDEFINED)))
    }

    fn run<F, Fut>(&self, flow: F) -> js_sys::Promise
    where
        F: FnOnce(Rc<Inner>) -> Fut,
        Fut: std::future::Future<Output = Result<JsValue, Error>> + 'static,
    {
        promise(Rc::clone(&self.inner), Box::pin(flow(Rc::clone(&self.inner))))
    }
}

/// What turns a one-request operation's answer into its result.
type Finish = Box<dyn FnOnce(crate::protocol::Json) -> Result<JsValue, Error>>;


/// The one instance of `future_to_promise` behind every async method: the flow runs as one operation of the
/// platform ([`WebPlatform::operation`]).
#[inline(never)]
fn promise(inner: Rc<Inner>, fut: Flow) -> js_sys::Promise {
    future_to_promise(async move { inner.platform.operation(fut).await.map_err(|e| to_js_error(&e)) })
}

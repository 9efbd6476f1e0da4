//! The current session, refreshed when its tokens are about to expire: once per page however many callers
//! ask, once across tabs through the platform's lock, and ended only when Cognito says so.
//!
//! A refresh that fails in passing (network, timeout, 5xx, throttling, after the retries `protocol::call`
//! already made) keeps the session: while the tokens are still valid (only inside the refresh margin) the
//! caller gets them, past expiry the error; either way with a `tokenRefreshFailure` event and never a
//! `signedOut` or `sessionExpired` one. A refresh whose answer arrives after the user signed out saves nothing.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use crate::protocol::types::{AuthResponse, StringMap, GetTokensFromRefreshTokenRequest, InitiateAuthRequest};
use crate::protocol::{call, Operation};
use crate::session::{Session, StorageKeys, Tokens};

use super::{device_secrets, AuthEvent, Config, Error, Platform};

/// How `get_session` treats valid tokens.
#[derive(Debug, Clone, Copy)]
pub struct GetSessionOptions {
    /// Refresh even if the tokens are still valid.
    pub force_refresh: bool,
    /// Refresh when a token expires within this many seconds.
    pub margin_secs: i64,
}

impl GetSessionOptions {
    /// The client's margin, no forced refresh.
    #[must_use]
    pub fn for_config(config: &Config) -> Self {
        Self { force_refresh: false, margin_secs: config.refresh_margin_secs }
    }
}

/// What `get_session` found.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Nobody is signed in.
    SignedOut,
    /// The stored tokens are valid (possibly refreshed by another tab).
    Valid(Session),
    /// This call refreshed the tokens.
    Refreshed(Session),
    /// Cognito refused the refresh token (revoked or expired): the session was removed.
    Ended,
}

impl Outcome {
    /// The session, if there is one.
    #[must_use]
    pub fn session(self) -> Option<Session> {
        match self {
            Self::Valid(s) | Self::Refreshed(s) => Some(s),
            Self::SignedOut | Self::Ended => None,
        }
    }
}

/// How long a tab that waited for another tab's refresh, or was refused a rotated refresh token, watches
/// storage for the other tab's tokens before deciding for itself.
const SETTLE_MILLIS: u32 = 1000;
const SETTLE_STEP_MILLIS: u32 = 20;

/// How long a tab waits for another tab's refresh lock before giving up with a (retryable) `TimeoutError`: long
/// enough for the holder's refresh with its retries at the default settings (3 attempts of at most 10 s each,
/// `RetryPolicy::STANDARD` and `requestTimeoutMs`, plus their sub-second backoff) and its settle wait, so that a
/// live holder is never given up on; short enough that a tab frozen while holding the lock (a suspended
/// background tab) does not hang the others' `getSession` for ever. A holder slower than this (a Retry-After,
/// longer timeouts the app chose) costs the waiter one TimeoutError; its next call finds the new tokens.
const REFRESH_LOCK_WAIT_MILLIS: u32 = 35_000;

/// Refreshes for one client: at most one refresh in flight per page, and the refresh operation Cognito
/// supports remembered.
#[derive(Default)]
pub struct Refresher {
    /// Set once Cognito has said it does not know GetTokensFromRefreshToken.
    legacy_only: Cell<bool>,
    inflight: RefCell<Option<Rc<Flight>>>,
    /// Moves on each time this page ends the session on purpose (sign-out, account deletion): a refresh that
    /// started before and answers after must not write its tokens back and sign the user in again.
    generation: Cell<u64>,
}

/// One refresh that several callers wait on.
#[derive(Default)]
struct Flight {
    result: RefCell<Option<Result<Outcome, Error>>>,
    wakers: RefCell<Vec<Waker>>,
}

impl Flight {
    fn finish(&self, result: Result<Outcome, Error>) {
        *self.result.borrow_mut() = Some(result);
        for waker in self.wakers.borrow_mut().drain(..) {
            waker.wake();
        }
    }
}

/// Waits for another caller's refresh to finish.
struct Follow(Rc<Flight>);

impl Future for Follow {
    type Output = Result<Outcome, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let Some(result) = self.0.result.borrow().as_ref() {
            return Poll::Ready(result.clone());
        }
        self.0.wakers.borrow_mut().push(cx.waker().clone());
        Poll::Pending
    }
}

/// Clears the in-flight slot even if the leading future is dropped half-way.
struct Lead<'a> {
    slot: &'a RefCell<Option<Rc<Flight>>>,
    flight: Rc<Flight>,
}

impl Drop for Lead<'_> {
    fn drop(&mut self) {
        if self.flight.result.borrow().is_none() {
            self.flight.finish(Err(Error::Network("the refresh was abandoned".into())));
        }
        // Only its own flight: after a sign-out the slot may hold a newer one (see `end_session`).
        let mut slot = self.slot.borrow_mut();
        if slot.as_ref().is_some_and(|f| Rc::ptr_eq(f, &self.flight)) {
            slot.take();
        }
    }
}

impl Refresher {
    /// Marks the session as ended by this page (before its tokens are removed): refreshes in flight then save
    /// nothing and answer [`Outcome::SignedOut`].
    pub fn end_session(&self) {
        self.generation.set(self.generation.get().wrapping_add(1));
        // Calls from now on do not wait for a refresh of the ended session (it answers SignedOut), even if the
        // user signs in again before it is answered.
        self.inflight.borrow_mut().take();
    }

    /// The stored session, refreshed if needed.
    pub async fn get_session<P: Platform>(
        &self,
        p: &P,
        config: &Config,
        options: GetSessionOptions,
    ) -> Result<Outcome, Error> {
        let generation = self.generation.get();
        let store = super::sessions(p, config);
        let Some(session) = store.load()? else {
            return Ok(Outcome::SignedOut);
        };
        if !options.force_refresh && !session.needs_refresh(p.now_secs(), options.margin_secs) {
            return Ok(Outcome::Valid(session));
        }
        let existing = self.inflight.borrow().clone();
        if let Some(flight) = existing {
            return Follow(flight).await;
        }
        let flight = Rc::new(Flight::default());
        *self.inflight.borrow_mut() = Some(Rc::clone(&flight));
        let lead = Lead { slot: &self.inflight, flight };
        let result = self.refresh_across_tabs(p, config, session, options, generation).await;
        lead.flight.finish(result.clone());
        drop(lead);
        result
    }

    /// The refresh, under the cross-tab lock, for a call that began in session `generation`.
    async fn refresh_across_tabs<P: Platform>(
        &self,
        p: &P,
        config: &Config,
        stale: Session,
        options: GetSessionOptions,
        generation: u64,
    ) -> Result<Outcome, Error> {
        let store = super::sessions(p, config);
        let lock = ["cognito-wasm.", config.client_id(), ".refresh"].concat();
        let (_guard, waited) = match p.lock(&lock, REFRESH_LOCK_WAIT_MILLIS).await {
            Ok(held) => held,
            Err(e) => return passing_failure(p, e, stale, options),
        };
        // Another tab may have refreshed (or signed out) while this one waited for the lock; its writes may
        // take a moment to show here.
        let fresh = |s: &Session| s.tokens.access_token != stale.tokens.access_token && !s.needs_refresh(p.now_secs(), options.margin_secs);
        let mut current = store.load()?;
        if waited {
            // A wall-clock deadline: timers in background tabs are clamped to a second or more.
            let deadline = p.now_millis() + i64::from(SETTLE_MILLIS);
            while p.now_millis() < deadline && current.as_ref().is_some_and(|s| !fresh(s)) {
                p.sleep(SETTLE_STEP_MILLIS).await;
                current = store.load()?;
            }
        }
        let Some(current) = current else {
            return Ok(Outcome::SignedOut);
        };
        if fresh(&current) {
            return Ok(Outcome::Valid(current));
        }
        let signed_out_here = || self.generation.get() != generation;
        match self.refresh(p, config, &current).await {
            // The user signed out in this page while the request was out: whatever came back is no longer
            // theirs to keep, and sign-out has announced the outcome.
            _ if signed_out_here() => Ok(Outcome::SignedOut),
            Ok(refreshed) => {
                // Another tab may have signed out (or another user in) meanwhile; as far as its writes show
                // here, its choice stands.
                match store.load()? {
                    Some(s) if s.username == current.username => {}
                    None => return Ok(Outcome::SignedOut),
                    Some(other) => return Ok(Outcome::Valid(other)),
                }
                store.save(&refreshed)?;
                if signed_out_here() {
                    // Signed out while the tokens were being written (storage the app supplies is async).
                    store.clear(&refreshed.username)?;
                    return Ok(Outcome::SignedOut);
                }
                p.emit(AuthEvent::TokenRefresh);
                Ok(Outcome::Refreshed(refreshed))
            }
            Err(e) if e.is_service("NotAuthorizedException") => {
                // With rotation, another tab may have used this refresh token a moment ago: its new tokens
                // are then on their way to storage. Only if none arrive has the session really ended.
                let deadline = p.now_millis() + i64::from(SETTLE_MILLIS);
                while p.now_millis() < deadline {
                    p.sleep(SETTLE_STEP_MILLIS).await;
                    match store.load()? {
                        Some(s) if s.tokens.refresh_token != current.tokens.refresh_token || fresh(&s) => {
                            return Ok(Outcome::Valid(s));
                        }
                        None => return Ok(Outcome::SignedOut),
                        Some(_) => {}
                    }
                }
                store.clear(&current.username)?;
                p.emit(AuthEvent::SessionExpired);
                Ok(Outcome::Ended)
            }
            Err(e) => passing_failure(p, e, current, options),
        }
    }

    /// The refresh, with this device's key when it is remembered. If Cognito answers that the device does not
    /// exist (forgotten on another device, deleted by an admin), its secrets are dropped and the refresh is
    /// made again without the key: the session stays, and the next sign-in asks for MFA again.
    async fn refresh<P: Platform>(&self, p: &P, config: &Config, session: &Session) -> Result<Session, Error> {
        let keys = StorageKeys::new(config.client_id());
        let device_key = device_secrets::load(p.storage(), &keys, &session.username)?.map(|d| d.key);
        match self.refresh_with(p, config, session, device_key.clone()).await {
            Err(e) if device_secrets::is_stale(&e) => {
                let Some(key) = device_key else { return Err(e) };
                device_secrets::remove_if_still(p.storage(), &keys, &session.username, &key)?;
                self.refresh_with(p, config, session, None).await
            }
            result => result,
        }
    }

    /// One refresh request: GetTokensFromRefreshToken (which rotates the refresh token where the app client
    /// is set to), or REFRESH_TOKEN_AUTH where Cognito does not offer it.
    async fn refresh_with<P: Platform>(
        &self,
        p: &P,
        config: &Config,
        session: &Session,
        device_key: Option<String>,
    ) -> Result<Session, Error> {
        let Some(refresh_token) = session.tokens.refresh_token.clone() else {
            return Err(Error::Service(crate::protocol::ServiceError {
                name: "NotAuthorizedException".into(),
                message: "the stored session has no refresh token".into(),
                status: 400,
                retry_after_secs: None,
            }));
        };
        if !self.legacy_only.get() {
            let request = GetTokensFromRefreshTokenRequest {
                refresh_token,
                client_id: config.client_id().to_owned(),
                client_secret: config.client_secret().map(str::to_owned),
                device_key: device_key.clone(),
                client_metadata: None,
            };
            match call::<_, _, AuthResponse>(p, Operation::GetTokensFromRefreshToken, &request).await {
                Ok(response) => return handle_refresh(session, response, p.now_secs()),
                Err(e) if is_unsupported(&e) => self.legacy_only.set(true),
                Err(e) => return Err(e.into()),
            }
        }
        let Some(request) = refresh_request(config, session, device_key) else {
            return Err(Error::Protocol("no refresh token".into()));
        };
        let response = call(p, Operation::InitiateAuth, &request).await?;
        handle_refresh(session, response, p.now_secs())
    }
}

/// A refresh that did not happen (the request failed, or another tab held the lock too long), reported as an
/// event. A passing failure inside the margin gives the caller the tokens, which still work, and a later call
/// tries again; not when the caller forced the refresh, since it asked for new tokens.
fn passing_failure<P: Platform>(p: &P, e: Error, session: Session, options: GetSessionOptions) -> Result<Outcome, Error> {
    p.emit(AuthEvent::TokenRefreshFailure(e.clone()));
    if e.retryable() && !options.force_refresh && !session.needs_refresh(p.now_secs(), 0) {
        return Ok(Outcome::Valid(session));
    }
    Err(e)
}

/// Whether Cognito (or an endpoint standing in for it) does not know GetTokensFromRefreshToken.
fn is_unsupported(e: &crate::protocol::Error) -> bool {
    match e.service_name() {
        Some("UnknownOperationException" | "UnsupportedOperationException") => true,
        Some("InvalidParameterException" | "InvalidRequestException") => {
            let crate::protocol::Error::Service(s) = e else { return false };
            let message = s.message.to_ascii_lowercase();
            ["not supported", "not enabled", "gettokensfromrefreshtoken"].iter().any(|needle| crate::text::contains(&message, needle))
        }
        _ => false,
    }
}

/// The REFRESH_TOKEN_AUTH request for a session, or `None` when it has no refresh token. Carries the device
/// key when this device is remembered, and SECRET_HASH computed with the username Cognito knows the user by.
#[must_use]
pub fn refresh_request(config: &Config, session: &Session, device_key: Option<String>) -> Option<InitiateAuthRequest> {
    let refresh_token = session.tokens.refresh_token.clone()?;
    let mut params = StringMap::from([("REFRESH_TOKEN".to_owned(), refresh_token)]);
    let cognito_username = session
        .id_claims
        .string("cognito:username")
        .or_else(|| session.access_claims.string("username"))
        .or_else(|| session.access_claims.string("sub"))
        .unwrap_or(&session.username);
    if let Some(hash) = config.secret_hash(cognito_username) {
        params.insert("SECRET_HASH".to_owned(), hash);
    }
    if let Some(key) = device_key {
        params.insert("DEVICE_KEY".to_owned(), key);
    }
    Some(InitiateAuthRequest {
        auth_flow: "REFRESH_TOKEN_AUTH".to_owned(),
        client_id: config.client_id().to_owned(),
        auth_parameters: params,
        client_metadata: None,
        user_context_data: None,
        session: None,
    })
}

/// The session after a refresh answer received at local time `now_secs`. REFRESH_TOKEN_AUTH issues no new
/// refresh token, so the old one is kept unless a new one came.
pub fn handle_refresh(session: &Session, response: AuthResponse, now_secs: i64) -> Result<Session, Error> {
    let Some(result) = response.authentication_result else {
        return Err(Error::Protocol("refresh answered without tokens".into()));
    };
    let refresh_token = result.refresh_token.filter(|t| !t.is_empty()).or_else(|| session.tokens.refresh_token.clone());
    let tokens = Tokens { id_token: result.id_token, access_token: result.access_token, refresh_token };
    Ok(Session::new(session.username.clone(), tokens, now_secs)?)
}

/// The stored session when it needs no refresh at the client's margin, else `None` (nobody is signed in, or a
/// refresh is due): the check [`Refresher::get_session`] makes first, for a caller that cannot wait for the rest
/// (the API's synchronous answer to getSession(), `api::CognitoAuth::fresh_session`).
pub fn stored_fresh<P: Platform>(p: &P, config: &Config) -> Result<Option<Session>, Error> {
    let Some(session) = super::sessions(p, config).load()? else {
        return Ok(None);
    };
    Ok(Some(session).filter(|s| !s.needs_refresh(p.now_secs(), config.refresh_margin_secs)))
}

/// The stored session, refreshed if needed (through the client's shared [`Refresher`]).
pub async fn get_session<P: Platform>(
    p: &P,
    config: &Config,
    options: GetSessionOptions,
) -> Result<Option<Session>, Error> {
    Ok(config.refresher().get_session(p, config, options).await?.session())
}

#[cfg(test)]
mod tests;

//! A platform for native flow tests: scripted Cognito answers, memory storage, a settable clock.

use std::cell::{Cell, RefCell};

use serde_json::Value;

use crate::protocol::{HttpResponse, Operation, RetryPolicy, Transport, TransportError};
use crate::session::{Clock, MemoryStorage};

use super::sign_in::{AuthFlow, SignInInput};
use super::Random;

/// USER_SRP_AUTH for `username` with `password`.
pub fn srp_input(username: &str, password: &str) -> SignInInput {
    SignInInput {
        username: username.to_owned(),
        password: Some(password.to_owned()),
        auth_flow: AuthFlow::UserSrp,
        preferred_challenge: None,
        metadata: super::Metadata::default(),
    }
}

/// Cognito's answer to one request: a JSON body, or an exception name and message.
pub type Answer = Result<Value, (&'static str, &'static str)>;

type Responder = Box<dyn Fn(Operation, &Value) -> Answer>;

/// What another tab does to storage while this one sleeps.
type SleepHook = Box<dyn Fn(&MemoryStorage)>;

pub struct FakePlatform {
    responder: Responder,
    requests: RefCell<Vec<(Operation, Value)>>,
    pub storage: MemoryStorage,
    pub transient: MemoryStorage,
    pub now_millis: Cell<i64>,
    pub offline: Cell<bool>,
    /// Whether `lock` reports that another tab held the lock first.
    pub lock_contended: Cell<bool>,
    /// Whether `lock` gives up, as when a frozen tab holds the lock past the wait's bound.
    pub lock_times_out: Cell<bool>,
    /// The bound of every `lock` call.
    pub lock_timeouts: RefCell<Vec<u32>>,
    /// Run at every `sleep`: stands in for another tab writing storage meanwhile.
    pub on_sleep: RefCell<Option<SleepHook>>,
    /// Every event announced to other tabs.
    pub announced: RefCell<Vec<String>>,
    /// How `call` repeats failed requests here: never, unless a test says otherwise.
    pub retries: Cell<RetryPolicy>,
}

impl FakePlatform {
    pub fn new(responder: impl Fn(Operation, &Value) -> Answer + 'static) -> Self {
        Self {
            responder: Box::new(responder),
            requests: RefCell::default(),
            storage: MemoryStorage::default(),
            transient: MemoryStorage::default(),
            now_millis: Cell::new(1_762_333_507_000),
            offline: Cell::new(false),
            lock_contended: Cell::new(false),
            lock_times_out: Cell::new(false),
            lock_timeouts: RefCell::default(),
            on_sleep: RefCell::default(),
            announced: RefCell::default(),
            retries: Cell::new(RetryPolicy::NEVER),
        }
    }

    /// Every request sent so far, with its parsed body.
    pub fn requests(&self) -> Vec<(Operation, Value)> {
        self.requests.borrow().clone()
    }

    pub fn count(&self, operation: Operation) -> usize {
        self.requests.borrow().iter().filter(|(op, _)| *op == operation).count()
    }
}

impl Transport for FakePlatform {
    async fn send(&self, operation: Operation, body: String) -> Result<HttpResponse, TransportError> {
        if self.offline.get() {
            return Err(TransportError::Network("Failed to fetch".into()));
        }
        let parsed: Value = serde_json::from_str(&body).map_err(|e| TransportError::Network(e.to_string()))?;
        self.requests.borrow_mut().push((operation, parsed.clone()));
        Ok(match (self.responder)(operation, &parsed) {
            Err((name, message)) if name.starts_with("HTTP ") => HttpResponse {
                status: crate::digits::parse_u64(name.get(5..).unwrap_or("")).and_then(|n| u16::try_from(n).ok()).unwrap_or(500),
                error_type: None,
                retry_after: None,
                body: message.to_owned(),
            },
            Ok(body) => HttpResponse { status: 200, error_type: None, retry_after: None, body: body.to_string() },
            Err((name, message)) => HttpResponse {
                status: 400,
                error_type: Some(format!("{name}:")),
                retry_after: None,
                body: serde_json::json!({"__type": name, "message": message}).to_string(),
            },
        })
    }

    fn retry_policy(&self) -> RetryPolicy {
        self.retries.get()
    }

    async fn pause(&self, millis: u32) {
        self.now_millis.set(self.now_millis.get() + i64::from(millis));
    }

    fn jitter(&self) -> u32 {
        u32::MAX / 2
    }
}

impl super::Coordinator for FakePlatform {
    type Guard = ();

    async fn lock(&self, _name: &str, timeout_millis: u32) -> Result<((), bool), super::Error> {
        self.lock_timeouts.borrow_mut().push(timeout_millis);
        if self.lock_times_out.get() {
            return Err(super::Error::Timeout("another tab held the lock past its bound".into()));
        }
        Ok(((), self.lock_contended.get()))
    }

    async fn sleep(&self, millis: u32) {
        self.now_millis.set(self.now_millis.get() + i64::from(millis));
        if let Some(hook) = self.on_sleep.borrow().as_ref() {
            hook(&self.storage);
        }
    }

    fn emit(&self, event: super::AuthEvent) {
        self.announced.borrow_mut().push(event.name().to_owned());
    }
}

impl super::Platform for FakePlatform {
    type Store = MemoryStorage;

    fn storage(&self) -> &MemoryStorage {
        &self.storage
    }

    fn transient_storage(&self) -> &MemoryStorage {
        &self.transient
    }
}

impl Clock for FakePlatform {
    fn now_millis(&self) -> i64 {
        self.now_millis.get()
    }
}

impl Random for FakePlatform {
    fn fill(&self, buf: &mut [u8]) -> Result<(), String> {
        // Deterministic and non-zero: tests need reproducible, not secret, values.
        for (i, b) in buf.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(31).wrapping_add(7);
        }
        Ok(())
    }
}

/// A scripted Cognito that checks SRP for real: it holds one user's verifier, answers USER_SRP_AUTH and verifies
/// the password claim, confirms devices and verifies device SRP, refuses device keys it does not know (as real
/// Cognito does, with ResourceNotFoundException "Device does not exist."), and issues (unsigned) JWTs on its own
/// clock.
/// Other answers come from a script: each request not handled above takes the next scripted answer, and when
/// the script is empty, the tokens.
pub struct FakeSrpServer {
    inner: std::rc::Rc<ServerState>,
}

pub struct ServerState {
    pool_name: String,
    user_id: String,
    salt: BigUint,
    verifier: BigUint,
    b: BigUint,
    a_pub: RefCell<Option<BigUint>>,
    /// A confirmed device: key, group key, verifier.
    device: RefCell<Option<(String, String, BigUint, BigUint)>>,
    /// Cognito's clock, seconds: independent of the device's.
    pub now_secs: Cell<i64>,
    pub token_ttl_secs: Cell<i64>,
    /// When set, refresh requests fail with this exception name.
    pub refresh_error: Cell<Option<&'static str>>,
    /// Answers for requests the fake does not compute itself, in order.
    pub script: RefCell<std::collections::VecDeque<Answer>>,
    /// Whether tokens come with NewDeviceMetadata (a pool that tracks devices).
    pub tracks_devices: Cell<bool>,
    /// Whether GetTokensFromRefreshToken is unknown here (answered with UnknownOperationException).
    pub legacy_refresh_only: Cell<bool>,
    /// Whether GetTokensFromRefreshToken rotates the refresh token.
    pub rotates: Cell<bool>,
    /// The tokens' `username` and `cognito:username` ("alice" unless a test sets it; real Cognito puts the user id
    /// for SRP there).
    pub cognito_username: RefCell<String>,
    /// How many of the next refresh requests fail with HTTP 500 (an outage in passing).
    pub refresh_outage: Cell<u32>,
    issued: Cell<u32>,
    devices_issued: Cell<u32>,
}

use num_bigint::BigUint;

/// The server side computes with num-bigint; the SDK's SRP API speaks [`crate::srp::Uint`].
fn big(v: &crate::srp::Uint) -> BigUint {
    BigUint::from_bytes_be(v.to_be_bytes())
}

fn uint(v: &BigUint) -> crate::srp::Uint {
    crate::srp::Uint::from_be_bytes(&v.to_bytes_be())
}

impl FakeSrpServer {
    pub fn new(pool_name: &str, user_id: &str, password: &str) -> Self {
        use crate::srp::{compute_x, group};
        let salt = BigUint::from_bytes_be(&[0x00, 0x9a, 0x11, 0x22, 0x33]);
        let x = big(&compute_x(&uint(&salt), pool_name, user_id, password));
        let grp = group();
        let verifier = big(&grp.g).modpow(&x, &big(&grp.n));
        Self {
            inner: std::rc::Rc::new(ServerState {
                pool_name: pool_name.to_owned(),
                user_id: user_id.to_owned(),
                salt,
                verifier,
                b: BigUint::from_bytes_be(&[0x5e; 32]),
                a_pub: RefCell::default(),
                device: RefCell::default(),
                now_secs: Cell::new(1_762_333_507),
                token_ttl_secs: Cell::new(3600),
                refresh_error: Cell::new(None),
                script: RefCell::default(),
                tracks_devices: Cell::new(false),
                legacy_refresh_only: Cell::new(false),
                rotates: Cell::new(false),
                cognito_username: RefCell::new("alice".to_owned()),
                refresh_outage: Cell::new(0),
                issued: Cell::new(0),
                devices_issued: Cell::new(0),
            }),
        }
    }

    pub fn state(&self) -> std::rc::Rc<ServerState> {
        self.inner.clone()
    }

    /// Queues answers for the requests the fake does not compute.
    pub fn script(&self, answers: impl IntoIterator<Item = Answer>) {
        self.inner.script.borrow_mut().extend(answers);
    }

    /// A platform whose requests this server answers.
    pub fn platform(&self) -> FakePlatform {
        let state = self.inner.clone();
        FakePlatform::new(move |op, body| state.answer(op, body))
    }

    /// A platform whose requests this server answers after `before` has run with the platform and the
    /// operation: what the page does while the request is out (e.g. sign out while a refresh waits for its
    /// answer).
    pub fn platform_with(&self, before: impl Fn(&FakePlatform, Operation) + 'static) -> std::rc::Rc<FakePlatform> {
        let state = self.inner.clone();
        std::rc::Rc::new_cyclic(|me: &std::rc::Weak<FakePlatform>| {
            let me = me.clone();
            FakePlatform::new(move |op, body| {
                if let Some(p) = me.upgrade() {
                    before(&p, op);
                }
                state.answer(op, body)
            })
        })
    }
}

impl ServerState {
    /// Forgets the confirmed device, as ForgetDevice from another device or an admin would.
    pub fn forget_device(&self) {
        *self.device.borrow_mut() = None;
    }

    /// The confirmed device's key, if any.
    pub fn device_key(&self) -> Option<String> {
        self.device.borrow().as_ref().map(|d| d.0.clone())
    }

    /// Refuses a device key that names no confirmed device; an absent one is fine.
    fn check_device(&self, key: &Value) -> Result<(), (&'static str, &'static str)> {
        match key.as_str() {
            Some(key) if self.device_key().as_deref() != Some(key) => Err(("ResourceNotFoundException", "Device does not exist.")),
            _ => Ok(()),
        }
    }

    /// A refresh's failure, if one is due: the outage first, then the configured refusal.
    fn refresh_failure(&self) -> Option<(&'static str, &'static str)> {
        if self.refresh_outage.get() > 0 {
            self.refresh_outage.set(self.refresh_outage.get() - 1);
            return Some(("HTTP 500", r#"{"__type":"InternalErrorException","message":"Internal server error"}"#));
        }
        self.refresh_error.get().map(|name| (name, "refresh refused"))
    }

    fn b_pub(&self, verifier: &BigUint) -> BigUint {
        let grp = crate::srp::group();
        let n = big(&grp.n);
        (big(&grp.k) * verifier + big(&grp.g).modpow(&self.b, &n)) % &n
    }

    fn tokens(&self, with_refresh: bool) -> Value {
        use crate::session::tests_jwt as jwt;
        let iat = self.now_secs.get();
        let exp = iat + self.token_ttl_secs.get();
        let n = self.issued.get() + 1;
        self.issued.set(n);
        let name = self.cognito_username.borrow().clone();
        let claims = |token_use: &str| {
            serde_json::json!({"sub": self.user_id, "token_use": token_use, "iat": iat, "exp": exp, "username": name,
                               "auth_time": iat, "jti": format!("jti-{n}-{token_use}"), "cognito:username": name})
        };
        let mut result = serde_json::json!({"IdToken": jwt(&claims("id")), "AccessToken": jwt(&claims("access")),
                                            "ExpiresIn": self.token_ttl_secs.get(), "TokenType": "Bearer"});
        if with_refresh {
            result["RefreshToken"] = Value::from("refresh-token-1");
            if self.tracks_devices.get() && self.device.borrow().is_none() {
                let d = self.devices_issued.get() + 1;
                self.devices_issued.set(d);
                result["NewDeviceMetadata"] = serde_json::json!({"DeviceKey": format!("us-east-1_dev-{d}"), "DeviceGroupKey": "-group1"});
            }
        }
        serde_json::json!({"ChallengeParameters": {}, "AuthenticationResult": result})
    }

    fn next_scripted(&self) -> Answer {
        self.script.borrow_mut().pop_front().unwrap_or_else(|| Ok(self.tokens(true)))
    }

    /// Checks a password claim made with `verifier` for identity (`pool`, `user`).
    fn check_claim(&self, verifier: &BigUint, pool: &str, user: &str, responses: &Value) -> Result<(), (&'static str, &'static str)> {
        use crate::srp::{compute_key, compute_signature, compute_u, group};
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let grp = group();
        let a_pub = self.a_pub.borrow().clone().ok_or(("NotAuthorizedException", "Invalid session"))?;
        let b_pub = self.b_pub(verifier);
        let u = compute_u(&uint(&a_pub), &uint(&b_pub));
        let n = big(&grp.n);
        let s = (a_pub * verifier.modpow(&big(&u), &n)).modpow(&self.b, &n);
        let key = compute_key(&uint(&s), &u);
        let expected = compute_signature(&key, pool, user, b"secret-block", &text(&responses["TIMESTAMP"]));
        if text(&responses["PASSWORD_CLAIM_SIGNATURE"]) != expected {
            return Err(("NotAuthorizedException", "Incorrect username or password."));
        }
        Ok(())
    }

    fn answer(&self, op: Operation, body: &Value) -> Answer {
        use base64::Engine as _;
        use crate::srp::hex;
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let params = &body["AuthParameters"];
        let responses = &body["ChallengeResponses"];
        match op {
            Operation::InitiateAuth | Operation::RespondToAuthChallenge
                if !params["SRP_A"].is_null() || (body["ChallengeName"] == "SELECT_CHALLENGE" && !responses["SRP_A"].is_null()) =>
            {
                self.check_device(&params["DEVICE_KEY"])?;
                self.check_device(&responses["DEVICE_KEY"])?;
                let srp_a = if params["SRP_A"].is_null() { &responses["SRP_A"] } else { &params["SRP_A"] };
                let a_pub = hex::parse_int(&text(srp_a)).map(|v| big(&v)).ok_or(("InvalidParameterException", "bad SRP_A"))?;
                *self.a_pub.borrow_mut() = Some(a_pub);
                Ok(serde_json::json!({"ChallengeName": "PASSWORD_VERIFIER", "Session": "session-1",
                    "ChallengeParameters": {"SALT": self.salt.to_str_radix(16), "SRP_B": self.b_pub(&self.verifier).to_str_radix(16),
                        "SECRET_BLOCK": "c2VjcmV0LWJsb2Nr", "USERNAME": "alice", "USER_ID_FOR_SRP": self.user_id}}))
            }
            Operation::InitiateAuth if body["AuthFlow"] == "REFRESH_TOKEN_AUTH" => {
                if let Some(failure) = self.refresh_failure() {
                    return Err(failure);
                }
                self.check_device(&params["DEVICE_KEY"])?;
                Ok(self.tokens(false))
            }
            Operation::GetTokensFromRefreshToken => {
                if self.legacy_refresh_only.get() {
                    return Err(("UnknownOperationException", "Unknown operation GetTokensFromRefreshToken"));
                }
                if let Some(failure) = self.refresh_failure() {
                    return Err(failure);
                }
                self.check_device(&body["DeviceKey"])?;
                let mut tokens = self.tokens(false);
                if self.rotates.get() {
                    tokens["AuthenticationResult"]["RefreshToken"] = Value::from(format!("rotated-{}", self.issued.get()));
                }
                Ok(tokens)
            }
            Operation::RespondToAuthChallenge if body["ChallengeName"] == "PASSWORD_VERIFIER" => {
                self.check_claim(&self.verifier, &self.pool_name, &self.user_id, responses)?;
                self.check_device(&responses["DEVICE_KEY"])?;
                let device = self.device.borrow().clone();
                match device {
                    Some((key, ..)) if text(&responses["DEVICE_KEY"]) == key => Ok(serde_json::json!({
                        "ChallengeName": "DEVICE_SRP_AUTH", "Session": "session-2", "ChallengeParameters": {}})),
                    _ => self.next_scripted(),
                }
            }
            Operation::RespondToAuthChallenge if body["ChallengeName"] == "DEVICE_SRP_AUTH" => {
                let a_pub = hex::parse_int(&text(&responses["SRP_A"])).map(|v| big(&v)).ok_or(("InvalidParameterException", "bad SRP_A"))?;
                *self.a_pub.borrow_mut() = Some(a_pub);
                let device = self.device.borrow().clone().ok_or(("ResourceNotFoundException", "Device does not exist."))?;
                Ok(serde_json::json!({"ChallengeName": "DEVICE_PASSWORD_VERIFIER", "Session": "session-3",
                    "ChallengeParameters": {"SALT": device.3.to_str_radix(16), "SRP_B": self.b_pub(&device.2).to_str_radix(16),
                        "SECRET_BLOCK": "c2VjcmV0LWJsb2Nr", "USERNAME": "alice", "DEVICE_KEY": device.0}}))
            }
            Operation::RespondToAuthChallenge if body["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER" => {
                let device = self.device.borrow().clone().ok_or(("ResourceNotFoundException", "Device does not exist."))?;
                self.check_claim(&device.2, &device.1, &device.0, responses)?;
                Ok(self.tokens(true))
            }
            Operation::ConfirmDevice => {
                let config = &body["DeviceSecretVerifierConfig"];
                let decode = |v: &Value| base64::engine::general_purpose::STANDARD.decode(text(v)).unwrap_or_default();
                let verifier = BigUint::from_bytes_be(&decode(&config["PasswordVerifier"]));
                let salt = BigUint::from_bytes_be(&decode(&config["Salt"]));
                *self.device.borrow_mut() = Some((text(&body["DeviceKey"]), "-group1".to_owned(), verifier, salt));
                Ok(serde_json::json!({"UserConfirmationNecessary": false}))
            }
            Operation::RevokeToken | Operation::GlobalSignOut | Operation::ForgetDevice => {
                if op == Operation::ForgetDevice {
                    *self.device.borrow_mut() = None;
                }
                Ok(serde_json::json!({}))
            }
            Operation::InitiateAuth | Operation::RespondToAuthChallenge => {
                self.check_device(&params["DEVICE_KEY"])?;
                self.check_device(&responses["DEVICE_KEY"])?;
                self.next_scripted()
            }
            _ => self.next_scripted(),
        }
    }
}

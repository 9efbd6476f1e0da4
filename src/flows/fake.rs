//! A platform for native flow tests: scripted Cognito answers, memory storage, a settable clock.

use std::cell::{Cell, RefCell};

use serde_json::Value;

use crate::protocol::{HttpResponse, Operation, Transport, TransportError};
use crate::session::{Clock, MemoryStorage, Storage, StorageError};

use super::Random;

/// Cognito's answer to one request: a JSON body, or an exception name and message.
pub type Answer = Result<Value, (&'static str, &'static str)>;

type Responder = Box<dyn Fn(Operation, &Value) -> Answer>;

pub struct FakePlatform {
    responder: Responder,
    requests: RefCell<Vec<(Operation, Value)>>,
    pub storage: MemoryStorage,
    pub now_millis: Cell<i64>,
    pub offline: Cell<bool>,
}

impl FakePlatform {
    pub fn new(responder: impl Fn(Operation, &Value) -> Answer + 'static) -> Self {
        Self {
            responder: Box::new(responder),
            requests: RefCell::default(),
            storage: MemoryStorage::default(),
            now_millis: Cell::new(1_762_333_507_000),
            offline: Cell::new(false),
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
            return Err(TransportError("Failed to fetch".into()));
        }
        let parsed: Value = serde_json::from_str(&body).map_err(|e| TransportError(e.to_string()))?;
        self.requests.borrow_mut().push((operation, parsed.clone()));
        Ok(match (self.responder)(operation, &parsed) {
            Ok(body) => HttpResponse { status: 200, error_type: None, body: body.to_string() },
            Err((name, message)) => HttpResponse {
                status: 400,
                error_type: Some(format!("{name}:")),
                body: serde_json::json!({"__type": name, "message": message}).to_string(),
            },
        })
    }
}

impl Storage for FakePlatform {
    async fn get_item(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.storage.get_item(key).await
    }
    async fn set_item(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.storage.set_item(key, value).await
    }
    async fn remove_item(&self, key: &str) -> Result<(), StorageError> {
        self.storage.remove_item(key).await
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
/// the password claim, and issues (unsigned) JWTs on its own clock.
pub struct FakeSrpServer {
    inner: std::rc::Rc<ServerState>,
}

pub struct ServerState {
    pool_name: String,
    user_id: String,
    salt: num_bigint::BigUint,
    verifier: num_bigint::BigUint,
    b: num_bigint::BigUint,
    a_pub: RefCell<Option<num_bigint::BigUint>>,
    /// Cognito's clock, seconds: independent of the device's.
    pub now_secs: Cell<i64>,
    pub token_ttl_secs: Cell<i64>,
    /// When set, refresh requests fail with this exception name.
    pub refresh_error: Cell<Option<&'static str>>,
    issued: Cell<u32>,
}

impl FakeSrpServer {
    pub fn new(pool_name: &str, user_id: &str, password: &str) -> Self {
        use crate::srp::{compute_x, group};
        let salt = num_bigint::BigUint::from_bytes_be(&[0x00, 0x9a, 0x11, 0x22, 0x33]);
        let x = compute_x(&salt, pool_name, user_id, password);
        let grp = group();
        let verifier = grp.g.modpow(&x, &grp.n);
        Self {
            inner: std::rc::Rc::new(ServerState {
                pool_name: pool_name.to_owned(),
                user_id: user_id.to_owned(),
                salt,
                verifier,
                b: num_bigint::BigUint::from_bytes_be(&[0x5e; 32]),
                a_pub: RefCell::default(),
                now_secs: Cell::new(1_762_333_507),
                token_ttl_secs: Cell::new(3600),
                refresh_error: Cell::new(None),
                issued: Cell::new(0),
            }),
        }
    }

    pub fn state(&self) -> std::rc::Rc<ServerState> {
        self.inner.clone()
    }

    /// A platform whose requests this server answers.
    pub fn platform(&self) -> FakePlatform {
        let state = self.inner.clone();
        FakePlatform::new(move |op, body| state.answer(op, body))
    }
}

impl ServerState {
    fn b_pub(&self) -> num_bigint::BigUint {
        let grp = crate::srp::group();
        (&grp.k * &self.verifier + grp.g.modpow(&self.b, &grp.n)) % &grp.n
    }

    fn tokens(&self, with_refresh: bool) -> Value {
        use crate::session::tests_jwt as jwt;
        let iat = self.now_secs.get();
        let exp = iat + self.token_ttl_secs.get();
        let n = self.issued.get() + 1;
        self.issued.set(n);
        let claims = |token_use: &str| {
            serde_json::json!({"sub": self.user_id, "token_use": token_use, "iat": iat, "exp": exp,
                               "auth_time": iat, "jti": format!("jti-{n}-{token_use}"), "cognito:username": self.user_id})
        };
        let mut result = serde_json::json!({"IdToken": jwt(&claims("id")), "AccessToken": jwt(&claims("access")),
                                            "ExpiresIn": self.token_ttl_secs.get(), "TokenType": "Bearer"});
        if with_refresh {
            result["RefreshToken"] = Value::from("refresh-token-1");
        }
        serde_json::json!({"ChallengeParameters": {}, "AuthenticationResult": result})
    }

    fn answer(&self, op: Operation, body: &Value) -> Answer {
        use crate::srp::{compute_key, compute_signature, compute_u, group, hex};
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        match op {
            Operation::InitiateAuth if body["AuthFlow"] == "USER_SRP_AUTH" => {
                let a_pub = hex::parse_int(&text(&body["AuthParameters"]["SRP_A"])).ok_or(("InvalidParameterException", "bad SRP_A"))?;
                *self.a_pub.borrow_mut() = Some(a_pub);
                Ok(serde_json::json!({"ChallengeName": "PASSWORD_VERIFIER", "Session": "session-1",
                    "ChallengeParameters": {"SALT": self.salt.to_str_radix(16), "SRP_B": self.b_pub().to_str_radix(16),
                        "SECRET_BLOCK": "c2VjcmV0LWJsb2Nr", "USERNAME": text(&body["AuthParameters"]["USERNAME"]),
                        "USER_ID_FOR_SRP": self.user_id}}))
            }
            Operation::RespondToAuthChallenge => {
                let grp = group();
                let a_pub = self.a_pub.borrow().clone().ok_or(("NotAuthorizedException", "Invalid session"))?;
                let b_pub = self.b_pub();
                let u = compute_u(&a_pub, &b_pub);
                let s = (a_pub * self.verifier.modpow(&u, &grp.n)).modpow(&self.b, &grp.n);
                let key = compute_key(&s, &u);
                let responses = &body["ChallengeResponses"];
                let expected = compute_signature(&key, &self.pool_name, &self.user_id, b"secret-block",
                                                 &text(&responses["TIMESTAMP"]));
                if text(&responses["PASSWORD_CLAIM_SIGNATURE"]) != expected {
                    return Err(("NotAuthorizedException", "Incorrect username or password."));
                }
                Ok(self.tokens(true))
            }
            Operation::InitiateAuth if body["AuthFlow"] == "REFRESH_TOKEN_AUTH" => {
                if let Some(name) = self.refresh_error.get() {
                    return Err((name, "refresh refused"));
                }
                Ok(self.tokens(false))
            }
            Operation::RevokeToken | Operation::GlobalSignOut => Ok(serde_json::json!({})),
            _ => Err(("InvalidParameterException", "not scripted")),
        }
    }
}

//! Test harness: drives the emulator through its HTTP handler (the same routing a socket request takes),
//! with a tiny client for SRP, device SRP and TOTP, so the tests speak the wire protocol as SDKs do.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use crate::app::{test_app, App};
use crate::cli::Config;
use crate::http::handle;
use crate::ops::secret_hash;
use crate::srp::{self, test_client::Client};
use crate::timestamp;
use crate::util;

pub const PASSWORD: &str = "Passw0rd!";

pub struct Harness {
    pub app: App,
}

/// A pool created through `POST /__emulator__/pools`.
#[derive(Clone, Debug)]
pub struct Pool {
    pub id: String,
    pub client: String,
    pub secret: Option<String>,
}

impl Pool {
    pub fn name(&self) -> &str {
        self.id.split_once('_').map(|(_, n)| n).unwrap_or("")
    }

    /// SECRET_HASH for `username` when the client has a secret.
    pub fn hash(&self, username: &str) -> Option<String> {
        self.secret
            .as_ref()
            .map(|s| secret_hash(s, username, &self.client))
    }
}

/// A Cognito error as the client sees it: (`__type`, message).
pub type Failure = (String, String);

impl Harness {
    pub fn new() -> Harness {
        Harness {
            app: test_app(Config::default()),
        }
    }

    pub fn http(&self, method: &str, path: &str, body: &Value) -> (u16, Value) {
        let reply = handle(&self.app, method, path, &[], body.to_string().as_bytes());
        let value = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
        (reply.status, value)
    }

    /// Calls a Cognito operation through `POST /`.
    pub fn op(&self, operation: &str, body: Value) -> Result<Value, Failure> {
        let headers = vec![(
            "X-Amz-Target".to_string(),
            format!("AWSCognitoIdentityProviderService.{operation}"),
        )];
        let reply = handle(
            &self.app,
            "POST",
            "/",
            &headers,
            body.to_string().as_bytes(),
        );
        let value: Value = serde_json::from_slice(&reply.body).unwrap();
        if reply.status == 200 {
            Ok(value)
        } else {
            Err((
                value["__type"].as_str().unwrap().to_string(),
                value["message"].as_str().unwrap_or("").to_string(),
            ))
        }
    }

    pub fn ok(&self, operation: &str, body: Value) -> Value {
        match self.op(operation, body) {
            Ok(v) => v,
            Err(e) => panic!("{operation} failed: {e:?}"),
        }
    }

    pub fn err(&self, operation: &str, body: Value) -> Failure {
        match self.op(operation, body) {
            Ok(v) => panic!("{operation} should have failed: {v}"),
            Err(e) => e,
        }
    }

    pub fn pool(&self, config: Value) -> Pool {
        let (status, v) = self.http("POST", "/__emulator__/pools", &config);
        assert_eq!(status, 200, "{v}");
        Pool {
            id: v["poolId"].as_str().unwrap().to_string(),
            client: v["clients"][0]["clientId"].as_str().unwrap().to_string(),
            secret: v["clients"][0]["clientSecret"].as_str().map(str::to_string),
        }
    }

    /// Creates a user; `extra` is merged into the request (attributes, mfa, temporaryPassword, …).
    pub fn user(&self, pool: &Pool, username: &str, extra: Value) -> String {
        let mut body = json!({"poolId": pool.id, "username": username, "password": PASSWORD,
            "attributes": {"email": format!("{username}@example.com")}});
        if let (Some(obj), Some(more)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in more {
                if v.is_null() {
                    obj.remove(k);
                } else {
                    obj.insert(k.clone(), v.clone());
                }
            }
        }
        let (status, v) = self.http("POST", "/__emulator__/users", &body);
        assert_eq!(status, 200, "{v}");
        v["sub"].as_str().unwrap().to_string()
    }

    /// The latest code sent to `username` in `pool`, through the test endpoint.
    pub fn code(&self, pool: &Pool, username: &str) -> Value {
        let (status, v) = self.http(
            "GET",
            &format!("/__emulator__/codes/{username}?poolId={}", pool.id),
            &Value::Null,
        );
        assert_eq!(status, 200, "no code for {username}");
        v
    }

    pub fn code_text(&self, pool: &Pool, username: &str) -> String {
        self.code(pool, username)["code"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// USER_PASSWORD_AUTH.
    pub fn password_auth(
        &self,
        pool: &Pool,
        username: &str,
        password: &str,
    ) -> Result<Value, Failure> {
        let mut params = json!({"USERNAME": username, "PASSWORD": password});
        if let Some(h) = pool.hash(username) {
            params["SECRET_HASH"] = json!(h);
        }
        self.op(
            "InitiateAuth",
            json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": pool.client, "AuthParameters": params}),
        )
    }

    /// Answers a challenge: `responses` gets USERNAME (and SECRET_HASH) added.
    pub fn respond(
        &self,
        pool: &Pool,
        previous: &Value,
        username: &str,
        mut responses: Value,
    ) -> Result<Value, Failure> {
        responses["USERNAME"] = json!(username);
        if let Some(h) = pool.hash(username) {
            responses["SECRET_HASH"] = json!(h);
        }
        self.op(
            "RespondToAuthChallenge",
            json!({"ClientId": pool.client, "ChallengeName": previous["ChallengeName"],
                   "Session": previous["Session"], "ChallengeResponses": responses}),
        )
    }

    /// Full USER_SRP_AUTH up to the answer of PASSWORD_VERIFIER; returns what that answer got.
    pub fn srp_sign_in(
        &self,
        pool: &Pool,
        username: &str,
        password: &str,
        device_key: Option<&str>,
    ) -> Result<Value, Failure> {
        let client = Client::new();
        let mut params = json!({"USERNAME": username, "SRP_A": client.big_a.to_str_radix(16)});
        if let Some(k) = device_key {
            params["DEVICE_KEY"] = json!(k);
        }
        if let Some(h) = pool.hash(username) {
            params["SECRET_HASH"] = json!(h);
        }
        let init = self.op(
            "InitiateAuth",
            json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": pool.client, "AuthParameters": params}),
        )?;
        self.answer_password_verifier(pool, &client, &init, password, device_key)
    }

    pub fn answer_password_verifier(
        &self,
        pool: &Pool,
        client: &Client,
        challenge: &Value,
        password: &str,
        device_key: Option<&str>,
    ) -> Result<Value, Failure> {
        assert_eq!(
            challenge["ChallengeName"], "PASSWORD_VERIFIER",
            "{challenge}"
        );
        let p = &challenge["ChallengeParameters"];
        let id = p["USER_ID_FOR_SRP"].as_str().unwrap();
        let block_b64 = p["SECRET_BLOCK"].as_str().unwrap();
        let ts = timestamp::format(util::now() as i64);
        let sig = client.signature(
            &srp::parse_hex(p["SRP_B"].as_str().unwrap()).unwrap(),
            &srp::parse_hex(p["SALT"].as_str().unwrap()).unwrap(),
            pool.name(),
            id,
            password,
            &STANDARD.decode(block_b64).unwrap(),
            &ts,
        );
        let mut responses = json!({"PASSWORD_CLAIM_SECRET_BLOCK": block_b64,
            "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts});
        if let Some(k) = device_key {
            responses["DEVICE_KEY"] = json!(k);
        }
        self.respond(pool, challenge, id, responses)
    }
}

/// A device's secrets as amazon-cognito-identity-js keeps them.
pub struct DeviceSecrets {
    pub key: String,
    pub group: String,
    pub password: String,
}

impl DeviceSecrets {
    /// DeviceSecretVerifierConfig for ConfirmDevice: a random salt and v = g^x with
    /// x = H(salt ‖ H(group ‖ key ‖ ":" ‖ password)), both as base64 of padHex bytes.
    pub fn verifier_config(&self) -> Value {
        let salt = srp::random_int(16);
        let v = srp::verifier(&salt, &self.group, &self.key, &self.password);
        json!({"PasswordVerifier": STANDARD.encode(srp::padded_bytes(&v)),
               "Salt": STANDARD.encode(srp::padded_bytes(&salt))})
    }

    /// Answers DEVICE_SRP_AUTH and then DEVICE_PASSWORD_VERIFIER; returns the final response.
    pub fn authenticate(
        &self,
        h: &Harness,
        pool: &Pool,
        challenge: &Value,
        username: &str,
    ) -> Result<Value, Failure> {
        assert_eq!(challenge["ChallengeName"], "DEVICE_SRP_AUTH", "{challenge}");
        let client = Client::new();
        let verifier = h.respond(
            pool,
            challenge,
            username,
            json!({"DEVICE_KEY": self.key, "SRP_A": client.big_a.to_str_radix(16)}),
        )?;
        assert_eq!(
            verifier["ChallengeName"], "DEVICE_PASSWORD_VERIFIER",
            "{verifier}"
        );
        let p = &verifier["ChallengeParameters"];
        assert_eq!(p["DEVICE_KEY"], self.key.as_str());
        let ts = timestamp::format(util::now() as i64);
        let block_b64 = p["SECRET_BLOCK"].as_str().unwrap();
        let sig = client.signature(
            &srp::parse_hex(p["SRP_B"].as_str().unwrap()).unwrap(),
            &srp::parse_hex(p["SALT"].as_str().unwrap()).unwrap(),
            &self.group,
            &self.key,
            &self.password,
            &STANDARD.decode(block_b64).unwrap(),
            &ts,
        );
        h.respond(
            pool,
            &verifier,
            username,
            json!({"DEVICE_KEY": self.key, "PASSWORD_CLAIM_SECRET_BLOCK": block_b64,
                   "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts}),
        )
    }
}

/// The claims of a JWT (unverified).
pub fn claims(token: &Value) -> Value {
    crate::tokens::peek_claims(token.as_str().unwrap()).unwrap()
}

/// The code a TOTP app shows now for `secret`.
pub fn totp_now(secret: &str) -> String {
    crate::totp::code_at(secret, util::now()).unwrap()
}

/// A code that is certainly not `code`.
pub fn wrong(code: &str) -> String {
    let n: u32 = code.parse().unwrap_or(0);
    format!("{:06}", (n + 500_000) % 1_000_000)
}

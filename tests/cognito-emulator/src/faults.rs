//! Test-only fault injection (never in real Cognito): `POST /__emulator__/faults` arms a fault that takes the
//! next matching Cognito request(s) — an HTTP error, a throttle, a broken body, a reset, hung or truncated
//! connection, or a delay — so client tests can exercise their retry and error paths.
//!
//! Faults are checked in the order they were armed; the first one with hits left that matches takes the
//! request. Exhausted faults stay listed (with `remaining: 0`) so a test can read how many requests each hit.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::errors::CognitoError;

/// How long a hung connection is held by default, and at most.
pub const DEFAULT_HANG_MS: u64 = 30_000;
pub const MAX_HOLD_MS: u64 = 120_000;

/// What a fault does to the request it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FaultKind {
    Http500,
    Http503,
    Throttle,
    MalformedJson,
    Html200,
    Http502,
    Reset,
    Hang,
    Truncate,
    Delay,
}

/// The body of `POST /__emulator__/faults`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FaultRequest {
    operation: String,
    auth_flow: Option<String>,
    challenge_name: Option<String>,
    pool_id: Option<String>,
    count: Option<u64>,
    fault: FaultKind,
    retry_after_seconds: Option<u64>,
    delay_ms: Option<u64>,
}

/// One armed fault.
#[derive(Debug, Clone)]
struct Fault {
    id: u64,
    operation: String,
    auth_flow: Option<String>,
    challenge_name: Option<String>,
    pool_id: Option<String>,
    count: u64,
    kind: FaultKind,
    retry_after_seconds: Option<u64>,
    delay_ms: Option<u64>,
    remaining: u64,
    fired: u64,
}

/// What the HTTP layer must do with a request a fault took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fired {
    pub kind: FaultKind,
    /// For http503 and throttle: the Retry-After header, in seconds.
    pub retry_after_seconds: Option<u64>,
    /// For delay and hang: how long to wait.
    pub delay: Duration,
}

/// Every fault armed since start (or the last clear).
#[derive(Debug, Default)]
pub struct Faults {
    next_id: u64,
    armed: Vec<Fault>,
}

fn bad_request(message: impl Into<String>) -> CognitoError {
    CognitoError::invalid_parameter(message)
}

impl Faults {
    /// `POST /__emulator__/faults` → `{"id": n}`.
    pub fn arm(&mut self, body: &[u8]) -> Result<Value, CognitoError> {
        let r: FaultRequest =
            serde_json::from_slice(body).map_err(|e| bad_request(format!("Invalid fault: {e}")))?;
        if r.operation.is_empty() {
            return Err(bad_request("operation must not be empty"));
        }
        let count = r.count.unwrap_or(1);
        if count == 0 {
            return Err(bad_request("count must be at least 1"));
        }
        let retry_after_seconds = match r.fault {
            FaultKind::Http503 => Some(r.retry_after_seconds.unwrap_or(1)),
            FaultKind::Throttle => r.retry_after_seconds,
            _ if r.retry_after_seconds.is_some() => {
                return Err(bad_request(
                    "retryAfterSeconds applies only to http503 and throttle",
                ))
            }
            _ => None,
        };
        let delay_ms = match r.fault {
            FaultKind::Delay => Some(
                r.delay_ms
                    .ok_or_else(|| bad_request("delay needs delayMs"))?,
            ),
            FaultKind::Hang => Some(r.delay_ms.unwrap_or(DEFAULT_HANG_MS)),
            _ if r.delay_ms.is_some() => {
                return Err(bad_request("delayMs applies only to delay and hang"))
            }
            _ => None,
        };
        if let Some(ms) = delay_ms.filter(|ms| *ms > MAX_HOLD_MS) {
            return Err(bad_request(format!(
                "delayMs must be at most {MAX_HOLD_MS}, got {ms}"
            )));
        }
        self.next_id += 1;
        let id = self.next_id;
        self.armed.push(Fault {
            id,
            operation: r.operation,
            auth_flow: r.auth_flow,
            challenge_name: r.challenge_name,
            pool_id: r.pool_id,
            count,
            kind: r.fault,
            retry_after_seconds,
            delay_ms,
            remaining: count,
            fired: 0,
        });
        Ok(json!({ "id": id }))
    }

    /// `GET /__emulator__/faults`: every fault, exhausted ones included.
    pub fn list(&self) -> Value {
        let faults: Vec<Value> = self
            .armed
            .iter()
            .map(|f| {
                let mut v = json!({
                    "id": f.id,
                    "operation": f.operation,
                    "fault": f.kind,
                    "count": f.count,
                    "remaining": f.remaining,
                    "fired": f.fired,
                });
                if let Some(obj) = v.as_object_mut() {
                    let optional = [
                        ("authFlow", f.auth_flow.clone().map(Value::from)),
                        ("challengeName", f.challenge_name.clone().map(Value::from)),
                        ("poolId", f.pool_id.clone().map(Value::from)),
                        ("retryAfterSeconds", f.retry_after_seconds.map(Value::from)),
                        ("delayMs", f.delay_ms.map(Value::from)),
                    ];
                    for (name, value) in optional {
                        if let Some(value) = value {
                            obj.insert(name.into(), value);
                        }
                    }
                }
                v
            })
            .collect();
        json!({ "faults": faults })
    }

    pub fn clear(&mut self) {
        self.armed.clear();
    }

    /// The first armed fault with hits left that matches this request, which it uses one hit of.
    /// `body` is the request body (read leniently: a body that is not a JSON object matches only faults
    /// without authFlow / challengeName), `pool_id` the pool the request belongs to, if known.
    pub fn take(&mut self, operation: &str, body: &[u8], pool_id: Option<&str>) -> Option<Fired> {
        if self.armed.iter().all(|f| f.remaining == 0) {
            return None;
        }
        let parsed: Option<Value> = serde_json::from_slice(body).ok();
        let member = |name: &str| {
            parsed
                .as_ref()
                .and_then(|v| v.get(name))
                .and_then(Value::as_str)
        };
        let fault = self.armed.iter_mut().find(|f| {
            f.remaining > 0
                && f.operation == operation
                && f.auth_flow
                    .as_deref()
                    .is_none_or(|a| member("AuthFlow") == Some(a))
                && f.challenge_name
                    .as_deref()
                    .is_none_or(|c| member("ChallengeName") == Some(c))
                && f.pool_id.as_deref().is_none_or(|p| pool_id == Some(p))
        })?;
        fault.remaining -= 1;
        fault.fired += 1;
        Some(Fired {
            kind: fault.kind,
            retry_after_seconds: fault.retry_after_seconds,
            delay: Duration::from_millis(fault.delay_ms.unwrap_or(0)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arm(f: &mut Faults, body: Value) -> Result<Value, CognitoError> {
        f.arm(body.to_string().as_bytes())
    }

    #[test]
    fn validates_the_request() {
        let mut f = Faults::default();
        for bad in [
            json!({"fault": "http500"}),
            json!({"operation": "SignUp", "fault": "explode"}),
            json!({"operation": "SignUp", "fault": "http500", "bogus": 1}),
            json!({"operation": "SignUp", "fault": "http500", "count": 0}),
            json!({"operation": "SignUp", "fault": "delay"}),
            json!({"operation": "SignUp", "fault": "hang", "delayMs": 120_001}),
            json!({"operation": "SignUp", "fault": "http500", "delayMs": 5}),
            json!({"operation": "SignUp", "fault": "reset", "retryAfterSeconds": 5}),
            json!({"operation": "", "fault": "reset"}),
        ] {
            let e = arm(&mut f, bad.clone()).err();
            assert_eq!(
                e.map(|e| e.kind.name()),
                Some("InvalidParameterException"),
                "{bad}"
            );
        }
        assert_eq!(f.list(), json!({"faults": []}));
        assert_eq!(
            arm(&mut f, json!({"operation": "SignUp", "fault": "http503"})).ok(),
            Some(json!({"id": 1}))
        );
        assert_eq!(
            arm(&mut f, json!({"operation": "SignUp", "fault": "hang"})).ok(),
            Some(json!({"id": 2}))
        );
        let list = f.list();
        assert_eq!(list["faults"][0]["retryAfterSeconds"], 1);
        assert_eq!(list["faults"][1]["delayMs"], DEFAULT_HANG_MS);
    }

    #[test]
    fn first_armed_match_wins_and_counts_down() {
        let mut f = Faults::default();
        let body = br#"{"AuthFlow":"REFRESH_TOKEN_AUTH"}"#;
        arm(
            &mut f,
            json!({"operation": "InitiateAuth", "authFlow": "USER_SRP_AUTH", "fault": "http500"}),
        )
        .ok();
        arm(
            &mut f,
            json!({"operation": "InitiateAuth", "fault": "throttle", "count": 2}),
        )
        .ok();
        arm(
            &mut f,
            json!({"operation": "InitiateAuth", "fault": "reset"}),
        )
        .ok();
        let kinds: Vec<Option<FaultKind>> = (0..4)
            .map(|_| f.take("InitiateAuth", body, None).map(|x| x.kind))
            .collect();
        assert_eq!(
            kinds,
            vec![
                Some(FaultKind::Throttle),
                Some(FaultKind::Throttle),
                Some(FaultKind::Reset),
                None
            ]
        );
        assert_eq!(
            f.take("InitiateAuth", br#"{"AuthFlow":"USER_SRP_AUTH"}"#, None)
                .map(|x| x.kind),
            Some(FaultKind::Http500)
        );
        let list = f.list();
        let fired: Vec<(u64, u64)> = list["faults"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| {
                (
                    x["fired"].as_u64().unwrap_or(99),
                    x["remaining"].as_u64().unwrap_or(99),
                )
            })
            .collect();
        assert_eq!(fired, vec![(1, 0), (2, 0), (1, 0)]);
        f.clear();
        assert_eq!(f.list(), json!({"faults": []}));
    }
}

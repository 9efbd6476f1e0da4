//! Operations that are one request to Cognito and nothing more: password reset, attribute changes, MFA
//! preferences and the like.
//!
//! Each is described by plain functions: one writes the request from the caller's arguments (for the signed-in
//! user's operations, around a fresh access token), another reads what the answer means. [`send`] sends any of
//! them, so these operations share one async state machine instead of compiling one each: the request is data,
//! and only sending it waits.

use crate::protocol::{call_json, FromJson, Json, Operation, ToJson};

use super::current::access_token;
use super::{Config, Error, Platform};

/// One operation's request, ready to send.
pub struct OneRequest {
    operation: Operation,
    body: Body,
}

enum Body {
    /// The whole body: requests that name their user themselves (sign-up, password reset).
    Written(Json),
    /// Writes the body around the signed-in user's access token, once it is known (fresh: refreshed if due).
    ForUser(Box<dyn FnOnce(String) -> Json>),
}

impl OneRequest {
    /// A request that names its user itself.
    #[must_use]
    pub fn new(operation: Operation, body: &impl ToJson) -> Self {
        Self { operation, body: Body::Written(body.to_json()) }
    }

    /// A request on behalf of the signed-in user: `body` writes it around the access token.
    #[must_use]
    pub fn for_user(operation: Operation, body: impl FnOnce(String) -> Json + 'static) -> Self {
        Self { operation, body: Body::ForUser(Box::new(body)) }
    }
}

/// Sends `request` (with the signed-in user's fresh access token where it needs one, or
/// `UserUnAuthenticatedException`) and returns Cognito's answer.
pub async fn send<P: Platform>(p: &P, config: &Config, request: OneRequest) -> Result<Json, Error> {
    let body = match request.body {
        Body::Written(body) => body,
        Body::ForUser(write) => write(access_token(p, config).await?),
    };
    Ok(call_json(p, request.operation, body).await?)
}

/// Reads `operation`'s answer as `Resp`.
pub fn read<Resp: FromJson>(operation: Operation, answer: &Json) -> Result<Resp, Error> {
    Ok(crate::protocol::read(operation, answer)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::account;
    use crate::flows::fake::{srp_input, FakeSrpServer};
    use crate::flows::sign_in::sign_in;
    use crate::test_support::block_on;

    fn config() -> Config {
        Config::new("us-east-1_Pool1", "client1").unwrap()
    }

    fn change_password() -> OneRequest {
        account::update_password("Passw0rd!".into(), "N3w-passw0rd".into()).unwrap()
    }

    #[test]
    fn a_request_for_the_user_needs_one_signed_in_and_sends_nothing_otherwise() {
        let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
        let p = server.platform();
        let err = block_on(send(&p, &config(), change_password())).unwrap_err();
        assert_eq!(err.name(), "UserUnAuthenticatedException");
        assert!(p.requests().is_empty());

        // One that names its user itself goes out signed out.
        let reset = account::reset_password(&config(), "alice", Default::default()).unwrap();
        server.script([Ok(serde_json::json!({"CodeDeliveryDetails": {"Destination": "a***@e.com"}}))]);
        let answer = block_on(send(&p, &config(), reset)).unwrap();
        let delivery = account::code_delivery(Operation::ForgotPassword, &answer).unwrap().unwrap();
        assert_eq!(delivery.destination.as_deref(), Some("a***@e.com"));
        let (op, body) = p.requests().pop().unwrap();
        assert_eq!((op, &body["Username"], &body["ClientId"]), (Operation::ForgotPassword, &"alice".into(), &"client1".into()));
    }

    #[test]
    fn the_body_is_written_around_a_fresh_access_token() {
        let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
        let p = server.platform();
        block_on(sign_in(&p, &config(), srp_input("alice", "Passw0rd!"))).unwrap();
        let stored = |p: &crate::flows::fake::FakePlatform| {
            crate::flows::sessions(p, &config()).load().unwrap().unwrap().tokens.access_token
        };
        server.script([Ok(serde_json::json!({}))]);
        block_on(send(&p, &config(), change_password())).unwrap();
        let (op, body) = p.requests().pop().unwrap();
        assert_eq!(op, Operation::ChangePassword);
        assert_eq!(body["AccessToken"], stored(&p));
        assert_eq!((&body["PreviousPassword"], &body["ProposedPassword"]), (&"Passw0rd!".into(), &"N3w-passw0rd".into()));

        // An hour later the token has expired: it is refreshed first, and the new one goes into the body.
        let old = stored(&p);
        server.state().now_secs.set(server.state().now_secs.get() + 3600);
        p.now_millis.set(p.now_millis.get() + 3_600_000);
        server.script([Ok(serde_json::json!({}))]);
        block_on(send(&p, &config(), change_password())).unwrap();
        let (op, body) = p.requests().pop().unwrap();
        assert_eq!(op, Operation::ChangePassword);
        assert_ne!(body["AccessToken"], old);
        assert_eq!(body["AccessToken"], stored(&p));
        assert_eq!(p.count(Operation::GetTokensFromRefreshToken), 1);
    }

    #[test]
    fn an_unreadable_answer_is_a_protocol_error_naming_the_operation() {
        let err = account::code_delivery(Operation::ForgotPassword, &Json::parse(r#"{"CodeDeliveryDetails":{"Destination":7}}"#).unwrap());
        let err = err.unwrap_err();
        assert_eq!(err.name(), "ProtocolError");
        assert!(err.to_string().contains("ForgotPassword"), "{err}");
    }
}

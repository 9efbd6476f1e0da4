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

    /// The operation it calls.
    #[must_use]
    pub fn operation(&self) -> Operation {
        self.operation
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

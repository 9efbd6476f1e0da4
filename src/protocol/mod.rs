//! Cognito's JSON API: the operations, their request and response bodies, the transport trait and the errors
//! a call can end in.
//!
//! Cognito's client-side operations are plain JSON over HTTPS POST, named by the `X-Amz-Target` header and not
//! SigV4-signed. This module knows the shapes; it sends nothing itself: a [`Transport`] does.

mod body;
mod call;
mod error;
pub mod json;
pub mod oauth;
mod operation;
mod retry;
mod string_map;
pub mod types;

pub use call::{call, parse_response, HttpResponse, Transport, TransportError};
pub(crate) use call::{call_json, read};
pub use error::{Error, ServiceError};
pub use json::{FromJson, Json, JsonError, ToJson};
pub use operation::Operation;
pub use retry::{RetryPolicy, Safety};

/// The `Content-Type` every Cognito request carries.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

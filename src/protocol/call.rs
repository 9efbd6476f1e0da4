//! One request/response exchange with Cognito over an injected [`Transport`].

use super::error::{Error, ServiceError};
use super::json::{FromJson, Json, JsonError, ToJson};
use super::operation::Operation;
use super::retry::{RetryPolicy, Safety};

/// What came back from an HTTP exchange, reduced to what the protocol reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// The `x-amzn-ErrorType` header, when present (browsers only show it if CORS exposes it).
    pub error_type: Option<String>,
    /// The `Retry-After` header, when present (likewise).
    pub retry_after: Option<String>,
    /// The response body as text.
    pub body: String,
}

/// The request never got a whole HTTP answer; the text says why, as the platform reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// No connection, a reset, a body cut short, CORS.
    Network(String),
    /// Nothing (or not all of it) arrived within the request timeout; the request was abandoned.
    Timeout(String),
}

/// Sends one Cognito request: `POST` to the endpoint with `Content-Type: application/x-amz-json-1.1`,
/// `X-Amz-Target: operation.target()` and the JSON body. Browsers use fetch; tests use a fake.
#[allow(async_fn_in_trait)] // used generically, never as a trait object; futures are not Send on wasm.
pub trait Transport {
    /// Sends `body` as `operation` and returns whatever HTTP answer came back, error statuses included. Ends
    /// within the transport's request timeout.
    async fn send(&self, operation: Operation, body: String) -> Result<HttpResponse, TransportError>;

    /// How [`call`] repeats a request that failed in passing. Without one, every request is sent once.
    fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy::NEVER
    }

    /// Waits `millis` before a repeat.
    async fn pause(&self, millis: u32) {
        let _ = millis;
    }

    /// A random `u32` for the backoff's jitter (spreads the repeats of many clients; need not be secret).
    fn jitter(&self) -> u32 {
        u32::MAX
    }
}

/// Serialises `request`, sends it as `operation` and reads the answer as `Resp` or as Cognito's error.
pub async fn call<T, Req, Resp>(transport: &T, operation: Operation, request: &Req) -> Result<Resp, Error>
where
    T: Transport + ?Sized,
    Req: ToJson,
    Resp: FromJson,
{
    let json = exchange(transport, operation, request.to_json()).await?;
    Resp::from_json(&json).map_err(|e| unreadable(operation, &e))
}

/// Sends an already-written body as `operation` and returns the answer as JSON, for callers that read it
/// themselves (see [`read`]): one instance for every operation rather than one per response type.
pub async fn call_json<T: Transport + ?Sized>(transport: &T, operation: Operation, body: Json) -> Result<Json, Error> {
    exchange(transport, operation, body).await
}

/// Reads an answer [`call_json`] returned as `Resp`.
pub fn read<Resp: FromJson>(operation: Operation, answer: &Json) -> Result<Resp, Error> {
    Resp::from_json(answer).map_err(|e| unreadable(operation, &e))
}

/// What a boxed [`exchange`] is.
type Exchange<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Json, Error>> + 'a>>;

/// The part of [`call`] that does not depend on the body types: writes the body, sends it, reads the answer as
/// JSON or as Cognito's error, and sends it again after a passing failure where the transport's
/// [`RetryPolicy`] and the request's [`Safety`] allow.
///
/// Boxed behind `dyn Future` and not inlined, so that its state machine (the transport's future included) is
/// compiled once, instead of being inlined into the state machine of every flow that calls an operation.
#[inline(never)]
fn exchange<T: Transport + ?Sized>(transport: &T, operation: Operation, body: Json) -> Exchange<'_> {
    Box::pin(async move {
        let policy = transport.retry_policy();
        let safety = Safety::of(operation, &body);
        let text = body.to_text();
        let mut attempt = 1;
        loop {
            let result = match transport.send(operation, text.clone()).await {
                Ok(response) => response_json(operation, &response),
                Err(TransportError::Network(m)) => Err(Error::Network(m)),
                Err(TransportError::Timeout(m)) => Err(Error::Timeout(m)),
            };
            let error = match result {
                Ok(json) => return Ok(json),
                Err(e) => e,
            };
            match policy.delay(attempt, &error, safety, transport.jitter()) {
                Some(wait) => transport.pause(wait).await,
                None => return Err(error),
            }
            attempt += 1;
        }
    })
}

/// Reads a response: a 2xx body as `Resp`, anything else as Cognito's error.
///
/// The name comes from the body's `__type` (after the last `#`), falling back to the `x-amzn-ErrorType` header
/// (before the first `:`), which is where the official client looks too.
pub fn parse_response<Resp: FromJson>(operation: Operation, response: &HttpResponse) -> Result<Resp, Error> {
    Resp::from_json(&response_json(operation, response)?).map_err(|e| unreadable(operation, &e))
}

/// The non-generic part of [`parse_response`], compiled once rather than once per response type: the error for a
/// non-2xx answer, or the body as JSON.
#[inline(never)]
fn response_json(operation: Operation, response: &HttpResponse) -> Result<Json, Error> {
    if !(200..300).contains(&response.status) {
        return Err(Error::Service(service_error(response)));
    }
    // Some operations answer with an empty body; read it as `{}`.
    if response.body.trim().is_empty() {
        return Ok(Json::object());
    }
    Json::parse(&response.body).map_err(|e| unreadable(operation, &e))
}

#[inline(never)]
fn unreadable(operation: Operation, e: &JsonError) -> Error {
    Error::Protocol([operation.name(), " answered with an unreadable body: ", &e.0].concat())
}

fn service_error(response: &HttpResponse) -> ServiceError {
    let body = Json::parse(&response.body).unwrap_or_default();
    let text = |key: &str| body.get(key).and_then(Json::as_str);
    let from_body = text("__type").map(clean_name);
    let from_header = response.error_type.as_deref().map(clean_name);
    let name = from_body
        .or(from_header)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| fallback_name(response.status).to_owned());
    let message = text("message").or_else(|| text("Message")).map(str::to_owned).unwrap_or_else(|| {
        ["Cognito answered HTTP ", &crate::digits::u64_text(response.status.into()), " without an error message"].concat()
    });
    let retry_after_secs = response.retry_after.as_deref().and_then(retry_after_secs);
    ServiceError { name, message, status: response.status, retry_after_secs }
}

/// A `Retry-After` in delta-seconds form (the HTTP-date form is not used by AWS services and is ignored).
fn retry_after_secs(value: &str) -> Option<u32> {
    let secs = crate::digits::parse_u64(value.trim())?;
    Some(u32::try_from(secs).unwrap_or(u32::MAX))
}

/// `aws.cognito#NotAuthorizedException:http://…` → `NotAuthorizedException`.
fn clean_name(raw: &str) -> &str {
    let after_hash = crate::text::after_last(raw, b'#');
    crate::text::split_once(after_hash, b':').map_or(after_hash, |(name, _)| name).trim()
}

fn fallback_name(status: u16) -> &'static str {
    match status {
        429 => "TooManyRequestsException",
        503 => "ServiceUnavailableException",
        s if s >= 500 => "InternalErrorException",
        _ => "UnknownError",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, header: Option<&str>, body: &str) -> HttpResponse {
        HttpResponse { status, error_type: header.map(str::to_owned), retry_after: None, body: body.to_owned() }
    }

    fn error_of(r: &HttpResponse) -> ServiceError {
        match parse_response::<Json>(Operation::InitiateAuth, r) {
            Err(Error::Service(e)) => e,
            other => panic!("expected a service error, got {other:?}"),
        }
    }

    #[test]
    fn name_and_message_come_from_the_body() {
        let e = error_of(&response(
            400,
            Some("NotAuthorizedException:"),
            r#"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#,
        ));
        assert_eq!(e.name, "NotAuthorizedException");
        assert_eq!(e.message, "Incorrect username or password.");
        assert!(!e.retryable());
    }

    #[test]
    fn namespaced_type_and_header_suffix_are_stripped() {
        let e = error_of(&response(400, None, r#"{"__type":"com.amazon#UsernameExistsException","Message":"User already exists"}"#));
        assert_eq!((e.name.as_str(), e.message.as_str()), ("UsernameExistsException", "User already exists"));
        let e = error_of(&response(400, Some("CodeMismatchException:http://internal.amazon.com/"), "not json"));
        assert_eq!(e.name, "CodeMismatchException");
    }

    #[test]
    fn server_failures_and_throttling_are_retryable() {
        assert!(error_of(&response(503, None, "")).retryable());
        assert_eq!(error_of(&response(502, None, "<html>")).name, "InternalErrorException");
        let e = error_of(&response(400, None, r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#));
        assert!(e.retryable());
    }

    #[test]
    fn unavailable_is_named_and_retry_after_read() {
        let e = error_of(&HttpResponse { retry_after: Some(" 7 ".into()), ..response(503, None, "") });
        assert_eq!((e.name.as_str(), e.retry_after_secs), ("ServiceUnavailableException", Some(7)));
        assert!(e.retryable());
        let e = error_of(&HttpResponse { retry_after: Some("Wed, 21 Oct 2026 07:28:00 GMT".into()), ..response(503, None, "") });
        assert_eq!(e.retry_after_secs, None);
        let e = error_of(&HttpResponse { retry_after: Some("99999999999".into()), ..response(429, None, "") });
        assert_eq!(e.retry_after_secs, Some(u32::MAX));
    }

    #[test]
    fn empty_success_body_reads_as_empty_object() {
        let v: Json = parse_response(Operation::RevokeToken, &response(200, None, "")).unwrap();
        assert_eq!(v, Json::object());
    }

    #[test]
    fn unreadable_success_body_is_a_protocol_error() {
        let r = parse_response::<types::SignUpResponse>(Operation::SignUp, &response(200, None, "<html>"));
        assert!(matches!(r, Err(Error::Protocol(_))));
    }

    use super::super::types;
}

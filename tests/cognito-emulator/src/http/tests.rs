//! Protocol tests: AWS JSON error shape and headers, CORS, test-only endpoints, and one real socket.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use super::{bind, handle, serve, Reply};
use crate::app::{test_app, App};
use crate::cli::Config;

fn app() -> App {
    test_app(Config::default())
}

fn post(app: &App, target: &str, body: &str) -> Reply {
    let headers = vec![
        (
            "Content-Type".to_string(),
            "application/x-amz-json-1.1".to_string(),
        ),
        ("X-Amz-Target".to_string(), target.to_string()),
    ];
    handle(app, "POST", "/", &headers, body.as_bytes())
}

fn body(r: &Reply) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

fn assert_common_headers(r: &Reply) {
    assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"));
    let exposed = r.header("Access-Control-Expose-Headers").unwrap();
    assert!(exposed.contains("x-amzn-ErrorType") && exposed.contains("x-amzn-RequestId"));
    assert_eq!(r.header("x-amzn-RequestId").map(str::len), Some(36));
}

#[test]
fn error_response_shape() {
    let app = app();
    let r = post(
        &app,
        "AWSCognitoIdentityProviderService.InitiateAuth",
        r#"{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"emulatorclient0000000000000","AuthParameters":{"USERNAME":"x","PASSWORD":"y"}}"#,
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        body(&r),
        json!({"__type": "UserNotFoundException", "message": "User does not exist."})
    );
    assert_eq!(r.header("x-amzn-ErrorType"), Some("UserNotFoundException:"));
    assert_eq!(
        r.header("x-amzn-ErrorMessage"),
        Some("User does not exist.")
    );
    assert_eq!(r.header("Content-Type"), Some("application/x-amz-json-1.1"));
    assert_common_headers(&r);

    let r = post(
        &app,
        "AWSCognitoIdentityProviderService.SignUp",
        r#"{"ClientId":"nope","Username":"u","Password":"p"}"#,
    );
    assert_eq!(body(&r)["__type"], "ResourceNotFoundException");
    assert_eq!(body(&r)["message"], "User pool client nope does not exist.");

    let r = post(&app, "AWSCognitoIdentityProviderService.Frobnicate", "{}");
    assert_eq!(
        (r.status, body(&r)),
        (
            400,
            json!({"__type": "UnknownOperationException", "message": "Unknown operation Frobnicate"})
        )
    );
    assert_eq!(
        r.header("x-amzn-ErrorMessage"),
        Some("Unknown operation Frobnicate")
    );
    let r = post(&app, "", "{}");
    assert_eq!(body(&r)["__type"], "UnknownOperationException");
    assert!(body(&r)["message"]
        .as_str()
        .unwrap()
        .starts_with("Missing or malformed X-Amz-Target"));
    let r = post(&app, "SomeOtherService.SignUp", "{}");
    assert_eq!(
        body(&r)["message"],
        "Unknown operation SomeOtherService.SignUp"
    );
    let r = post(
        &app,
        "AWSCognitoIdentityProviderService.SignUp",
        "{not json",
    );
    assert_eq!(body(&r)["__type"], "SerializationException");
    assert_eq!(
        r.header("x-amzn-ErrorType"),
        Some("SerializationException:")
    );

    let r = handle(&app, "DELETE", "/", &[], b"");
    assert_eq!(r.status, 404);
}

#[test]
fn preflight_allows_the_sdk_headers() {
    let app = app();
    let headers = vec![
        ("Origin".to_string(), "http://localhost:8080".to_string()),
        (
            "Access-Control-Request-Method".to_string(),
            "POST".to_string(),
        ),
        (
            "Access-Control-Request-Headers".to_string(),
            "content-type,x-amz-target,x-amz-user-agent,x-custom".to_string(),
        ),
    ];
    let r = handle(&app, "OPTIONS", "/", &headers, b"");
    assert_eq!(r.status, 204);
    assert_common_headers(&r);
    assert_eq!(
        r.header("Access-Control-Allow-Methods"),
        Some("POST, GET, DELETE, OPTIONS")
    );
    let allowed = r
        .header("Access-Control-Allow-Headers")
        .unwrap()
        .to_lowercase();
    assert_eq!(allowed.matches("x-amz-target").count(), 1, "{allowed}");
    for h in [
        "x-custom",
        "content-type",
        "x-amz-target",
        "x-amz-user-agent",
        "cache-control",
        "authorization",
    ] {
        assert!(allowed.contains(h), "{h} not in {allowed}");
    }
    assert!(r.header("Access-Control-Max-Age").is_some());
}

#[test]
fn test_endpoints_and_jwks() {
    let app = app();
    let health = handle(&app, "GET", "/__emulator__/health", &[], b"");
    assert_eq!((health.status, body(&health)), (200, json!({"ok": true})));
    assert_common_headers(&health);

    let missing = handle(&app, "GET", "/__emulator__/codes/nobody", &[], b"");
    assert_eq!(
        (missing.status, body(&missing)),
        (
            404,
            json!({"__type": "NotFound", "message": "No code was sent to that user."})
        )
    );
    let nowhere = handle(&app, "GET", "/__emulator__/nowhere", &[], b"");
    assert_eq!(body(&nowhere)["message"], "No such endpoint.");

    let r = post(
        &app,
        "AWSCognitoIdentityProviderService.SignUp",
        r#"{"ClientId":"emulatorclient0000000000000","Username":"Zed@x","Password":"Passw0rd!","UserAttributes":[{"Name":"email","Value":"zed@example.com"}]}"#,
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let code = handle(&app, "GET", "/__emulator__/codes/zed%40X", &[], b"");
    assert_eq!(code.status, 200);
    let c = body(&code);
    assert_eq!(c["username"], "Zed@x");
    assert_eq!(c["purpose"], "SIGN_UP");
    assert_eq!(c["destination"], "z***@e***");
    assert_eq!(c["code"].as_str().map(str::len), Some(6));

    let counts = handle(&app, "GET", "/__emulator__/requests", &[], b"");
    assert_eq!(body(&counts), json!({"SignUp": 1}));

    let jwks = handle(
        &app,
        "GET",
        "/us-east-1_Emul4tor/.well-known/jwks.json",
        &[],
        b"",
    );
    assert_eq!(jwks.status, 200);
    assert_eq!(
        body(&jwks),
        app.store().key("us-east-1_Emul4tor").unwrap().jwks()
    );
    assert_eq!(
        handle(&app, "GET", "/other/.well-known/jwks.json", &[], b"").status,
        404
    );
}

/// Sends raw HTTP/1.1 and returns (status line, headers lower-cased, body).
fn raw_request(
    addr: std::net::SocketAddr,
    request: &str,
) -> (String, Vec<(String, String)>, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines.next().unwrap().to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, body.to_string())
}

#[test]
fn real_server_answers_preflight_and_operations() {
    let (server, addr) = bind(0).unwrap();
    let app = Arc::new(test_app(Config::default()));
    let _running = serve(app, server, addr);

    let (status, headers, _) = raw_request(
        addr,
        "OPTIONS / HTTP/1.1\r\nHost: x\r\nOrigin: http://example.test\r\nAccess-Control-Request-Method: POST\r\n\
         Access-Control-Request-Headers: content-type,x-amz-target\r\nConnection: close\r\n\r\n",
    );
    assert!(status.starts_with("HTTP/1.1 204"), "{status}");
    let get = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(get("access-control-allow-origin"), Some("*"));
    assert!(get("access-control-allow-headers")
        .unwrap()
        .contains("X-Amz-Target"));
    assert_eq!(
        get("access-control-allow-methods"),
        Some("POST, GET, DELETE, OPTIONS")
    );

    let payload = r#"{"AccessToken":"nope"}"#;
    let (status, headers, body) = raw_request(
        addr,
        &format!(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n\
             X-Amz-Target: AWSCognitoIdentityProviderService.GetUser\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
            payload.len()
        ),
    );
    assert!(status.starts_with("HTTP/1.1 400"), "{status}");
    let get = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(get("x-amzn-errortype"), Some("NotAuthorizedException:"));
    assert_eq!(get("access-control-allow-origin"), Some("*"));
    assert!(get("x-amzn-requestid").is_some());
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v,
        json!({"__type": "NotAuthorizedException", "message": "Invalid Access Token"})
    );

    let (status, _, body) = raw_request(
        addr,
        "GET /__emulator__/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(status.starts_with("HTTP/1.1 200"));
    assert_eq!(body, r#"{"ok":true}"#);
}

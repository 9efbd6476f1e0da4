//! Fault injection against a real bound server: what a client on the socket receives for each fault, and
//! which requests the faults take.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::{bind, handle, serve, MAX_DETACHED};
use crate::app::{test_app, App};
use crate::cli::{Config, DEFAULT_CLIENT_ID};

fn server() -> (SocketAddr, Arc<App>) {
    let (server, addr) = bind(0).unwrap();
    let app = Arc::new(test_app(Config::default()));
    let _running = serve(Arc::clone(&app), server, addr);
    (addr, app)
}

/// A parsed HTTP response.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// Sends one keep-alive request (no `Connection: close`, so any close is the server's doing).
fn send(addr: SocketAddr, method: &str, path: &str, target: Option<&str>, body: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let target = target
        .map(|op| format!("X-Amz-Target: AWSCognitoIdentityProviderService.{op}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n{target}\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    stream
}

fn op(addr: SocketAddr, operation: &str, body: &Value) -> TcpStream {
    send(addr, "POST", "/", Some(operation), &body.to_string())
}

/// Reads one response (by its Content-Length, as a keep-alive client does).
fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        assert_eq!(
            stream.read(&mut byte).unwrap(),
            1,
            "connection ended in the head"
        );
        raw.push(byte[0]);
    }
    let head = String::from_utf8(raw).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap()[9..12].parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.parse().unwrap())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).unwrap();
    Answer {
        status,
        headers,
        body,
    }
}

fn call(addr: SocketAddr, method: &str, path: &str, body: &Value) -> Answer {
    let text = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    read_answer(&mut send(addr, method, path, None, &text))
}

fn arm(addr: SocketAddr, fault: Value) -> u64 {
    let a = call(addr, "POST", "/__emulator__/faults", &fault);
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    a.json()["id"].as_u64().unwrap()
}

/// Everything until the server ends the connection: the bytes, and how it ended (None: a clean EOF).
fn read_to_close(stream: &mut TcpStream) -> (Vec<u8>, Option<ErrorKind>) {
    let mut all = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return (all, None),
            Ok(n) => all.extend_from_slice(&buf[..n]),
            Err(e) => return (all, Some(e.kind())),
        }
    }
}

/// Waits until the server has taken `n` requests of `operation` (see [`staggered`]).
fn wait_for_count(addr: SocketAddr, operation: &str, n: u64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while counts(addr)[operation].as_u64().unwrap_or(0) < n {
        assert!(Instant::now() < deadline, "{operation} never reached {n}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Opens connections one after the other, each once the server has taken the previous request, so the
/// test knows which request each connection carries.
fn staggered(
    addr: SocketAddr,
    operation: &str,
    bodies: impl IntoIterator<Item = Value>,
) -> Vec<TcpStream> {
    let before = counts(addr)[operation].as_u64().unwrap_or(0);
    bodies
        .into_iter()
        .enumerate()
        .map(|(i, body)| {
            let s = op(addr, operation, &body);
            wait_for_count(addr, operation, before + i as u64 + 1);
            s
        })
        .collect()
}

fn sign_up_body(name: &str) -> Value {
    json!({"ClientId": DEFAULT_CLIENT_ID, "Username": name, "Password": "Passw0rd!",
           "UserAttributes": [{"Name": "email", "Value": format!("{name}@example.com")}]})
}

fn counts(addr: SocketAddr) -> Value {
    call(addr, "GET", "/__emulator__/requests", &Value::Null).json()
}

fn assert_cors(a: &Answer) {
    assert_eq!(a.header("Access-Control-Allow-Origin"), Some("*"), "{a:?}");
    let exposed = a.header("Access-Control-Expose-Headers").unwrap();
    assert!(exposed.contains("Retry-After") && exposed.contains("x-amzn-ErrorType"));
}

#[test]
fn http500_is_counted_and_not_processed() {
    let (addr, _app) = server();
    arm(addr, json!({"operation": "SignUp", "fault": "http500"}));
    let a = read_answer(&mut op(addr, "SignUp", &sign_up_body("hit")));
    assert_eq!(a.status, 500);
    assert!(a.body.is_empty());
    assert_eq!(a.header("x-amzn-ErrorType"), None);
    assert_cors(&a);
    assert_eq!(counts(addr), json!({"SignUp": 1}));
    // No user was created: no code was sent, and signing up the same name now works.
    assert_eq!(
        call(addr, "GET", "/__emulator__/codes/hit", &Value::Null).status,
        404
    );
    let again = read_answer(&mut op(addr, "SignUp", &sign_up_body("hit")));
    assert_eq!(
        again.status,
        200,
        "{}",
        String::from_utf8_lossy(&again.body)
    );
    assert_eq!(counts(addr), json!({"SignUp": 2}));
}

#[test]
fn http503_and_throttle_bodies_and_retry_after() {
    let (addr, _app) = server();
    arm(addr, json!({"operation": "GetUser", "fault": "http503"}));
    arm(
        addr,
        json!({"operation": "GetUser", "fault": "http503", "retryAfterSeconds": 7}),
    );
    arm(addr, json!({"operation": "GetUser", "fault": "throttle"}));
    arm(
        addr,
        json!({"operation": "GetUser", "fault": "throttle", "retryAfterSeconds": 3}),
    );
    let body = json!({"AccessToken": "x"});
    let a = read_answer(&mut op(addr, "GetUser", &body));
    assert_eq!(a.status, 503);
    assert_eq!(a.header("Retry-After"), Some("1"));
    assert_eq!(
        a.json(),
        json!({"__type": "ServiceUnavailableException", "message": "Service Unavailable"})
    );
    assert_cors(&a);
    let a = read_answer(&mut op(addr, "GetUser", &body));
    assert_eq!((a.status, a.header("Retry-After")), (503, Some("7")));
    let a = read_answer(&mut op(addr, "GetUser", &body));
    assert_eq!(a.status, 400);
    assert_eq!(
        a.header("x-amzn-ErrorType"),
        Some("TooManyRequestsException:")
    );
    assert_eq!(a.header("Retry-After"), None);
    assert_eq!(
        a.json(),
        json!({"__type": "TooManyRequestsException", "message": "Rate exceeded"})
    );
    assert_cors(&a);
    let a = read_answer(&mut op(addr, "GetUser", &body));
    assert_eq!((a.status, a.header("Retry-After")), (400, Some("3")));
    // All four used up: the operation runs again.
    let a = read_answer(&mut op(addr, "GetUser", &body));
    assert_eq!(a.json()["__type"], "NotAuthorizedException");
}

#[test]
fn broken_bodies_malformed_json_html_and_502() {
    let (addr, _app) = server();
    for fault in ["malformedJson", "html200", "http502"] {
        arm(addr, json!({"operation": "InitiateAuth", "fault": fault}));
    }
    let body = json!({"ClientId": DEFAULT_CLIENT_ID, "AuthFlow": "USER_PASSWORD_AUTH",
                      "AuthParameters": {"USERNAME": "a", "PASSWORD": "b"}});
    let a = read_answer(&mut op(addr, "InitiateAuth", &body));
    assert_eq!(a.status, 200);
    assert_eq!(a.header("Content-Type"), Some("application/x-amz-json-1.1"));
    assert_eq!(a.body, br#"{"AuthenticationResult": {"#);
    assert_cors(&a);
    let a = read_answer(&mut op(addr, "InitiateAuth", &body));
    assert_eq!(a.status, 200);
    assert!(a.header("Content-Type").unwrap().starts_with("text/html"));
    assert!(String::from_utf8_lossy(&a.body).contains("<html>"));
    assert_cors(&a);
    let a = read_answer(&mut op(addr, "InitiateAuth", &body));
    assert_eq!(a.status, 502);
    assert!(a.header("Content-Type").unwrap().starts_with("text/html"));
    assert_eq!(
        a.body,
        b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    );
    assert_cors(&a);
    assert_eq!(counts(addr), json!({"InitiateAuth": 3}));
}

#[test]
fn reset_closes_the_connection_without_a_response() {
    let (addr, _app) = server();
    arm(addr, json!({"operation": "SignUp", "fault": "reset"}));
    let mut s = op(addr, "SignUp", &sign_up_body("r"));
    let (bytes, how) = read_to_close(&mut s);
    assert!(bytes.is_empty(), "{}", String::from_utf8_lossy(&bytes));
    // Linux: SO_LINGER 0 and connect(AF_UNSPEC) reset the connection.
    assert_eq!(how, Some(ErrorKind::ConnectionReset));
    assert_eq!(counts(addr), json!({"SignUp": 1}));
    assert_eq!(
        call(addr, "GET", "/__emulator__/codes/r", &Value::Null).status,
        404
    );
}

#[test]
fn hang_holds_the_connection_then_closes_it_without_blocking_workers() {
    let (addr, _app) = server();
    // More hung requests than there are worker threads.
    arm(
        addr,
        json!({"operation": "SignUp", "fault": "hang", "delayMs": 1500, "count": 6}),
    );
    let started = Instant::now();
    // All at once: a burst of connections must not leave one queued behind the hung ones.
    let mut hung: Vec<TcpStream> = (0..6)
        .map(|i| op(addr, "SignUp", &sign_up_body(&format!("h{i}"))))
        .collect();
    wait_for_count(addr, "SignUp", 6);
    // The workers are free: another request is answered at once.
    let health = call(addr, "GET", "/__emulator__/health", &Value::Null);
    assert_eq!(health.status, 200);
    assert!(started.elapsed() < Duration::from_millis(1200));
    // Nothing arrives while the connection is held …
    let first = &mut hung[0];
    first
        .set_read_timeout(Some(Duration::from_millis(700)))
        .unwrap();
    let mut buf = [0u8; 16];
    let early = first.read(&mut buf);
    assert!(
        matches!(&early, Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::TimedOut),
        "{early:?}"
    );
    // … then it is closed, still without a byte.
    for s in &mut hung {
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let (bytes, how) = read_to_close(s);
        assert!(bytes.is_empty());
        assert_eq!(how, None);
    }
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(1500), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(5000), "{elapsed:?}");
    assert_eq!(counts(addr)["SignUp"], 6);
}

#[test]
fn hung_requests_are_bounded() {
    let (addr, _app) = server();
    // Held far longer than sending them all takes, even on a loaded machine (each new connection can wait on
    // tiny_http's accept queue): all 64 are still held when the 65th arrives.
    arm(
        addr,
        json!({"operation": "GetUser", "fault": "hang", "delayMs": 30000, "count": MAX_DETACHED + 1}),
    );
    let mut held = staggered(
        addr,
        "GetUser",
        (0..MAX_DETACHED).map(|_| json!({"AccessToken": "x"})),
    );
    // The 65th finds no slot and is closed at once, timed from its own sending.
    let sent = Instant::now();
    let mut last = op(addr, "GetUser", &json!({"AccessToken": "x"}));
    last.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let (bytes, how) = read_to_close(&mut last);
    let closed_after = sent.elapsed();
    assert!(bytes.is_empty() && how.is_none(), "{bytes:?} {how:?}");
    assert!(
        closed_after < Duration::from_secs(10),
        "closed after {closed_after:?}, not at once"
    );
    // The first 64 are still held: nothing arrives, and they are not closed.
    for s in &mut held {
        s.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let mut buf = [0u8; 16];
        let read = s.read(&mut buf);
        assert!(
            matches!(&read, Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::TimedOut),
            "{read:?}"
        );
    }
}

#[test]
fn truncate_sends_half_the_body_then_closes() {
    let (addr, _app) = server();
    arm(
        addr,
        json!({"operation": "InitiateAuth", "fault": "truncate"}),
    );
    let mut s = op(
        addr,
        "InitiateAuth",
        &json!({"ClientId": DEFAULT_CLIENT_ID}),
    );
    let (bytes, how) = read_to_close(&mut s);
    assert_eq!(how, None);
    let text = String::from_utf8(bytes).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let lower = head.to_lowercase();
    assert!(lower.contains("access-control-allow-origin: *"));
    assert!(lower.contains("content-type: application/x-amz-json-1.1"));
    let declared: usize = lower
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(declared > 200);
    assert_eq!(body.len(), declared / 2);
    assert!(body.starts_with(r#"{"AuthenticationResult":{"#), "{body}");
    assert!(serde_json::from_str::<Value>(body).is_err());
}

#[test]
fn delay_answers_normally_after_the_wait() {
    let (addr, _app) = server();
    arm(
        addr,
        json!({"operation": "SignUp", "fault": "delay", "delayMs": 800, "count": 5}),
    );
    let started = Instant::now();
    let mut delayed = staggered(
        addr,
        "SignUp",
        (0..5).map(|i| sign_up_body(&format!("d{i}"))),
    );
    assert_eq!(
        call(addr, "GET", "/__emulator__/health", &Value::Null).status,
        200
    );
    assert!(started.elapsed() < Duration::from_millis(700));
    for s in &mut delayed {
        let a = read_answer(s);
        assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
        assert!(a.json()["UserSub"].is_string());
    }
    assert!(started.elapsed() >= Duration::from_millis(800));
    // Processed: the user exists now.
    assert_eq!(
        call(addr, "GET", "/__emulator__/codes/d0", &Value::Null).status,
        200
    );
}

/// Matching rules, through the handler (no socket needed for these).
fn post_op(app: &App, operation: &str, body: &Value) -> (u16, Value) {
    let headers = vec![(
        "X-Amz-Target".to_string(),
        format!("AWSCognitoIdentityProviderService.{operation}"),
    )];
    let r = handle(app, "POST", "/", &headers, body.to_string().as_bytes());
    (
        r.status,
        serde_json::from_slice(&r.body).unwrap_or(Value::Null),
    )
}

fn post_test(app: &App, path: &str, body: &Value) -> (u16, Value) {
    let r = handle(app, "POST", path, &[], body.to_string().as_bytes());
    (
        r.status,
        serde_json::from_slice(&r.body).unwrap_or(Value::Null),
    )
}

#[test]
fn faults_match_by_operation_flow_challenge_pool_and_count() {
    let app = test_app(Config::default());
    let (status, pool) = post_test(&app, "/__emulator__/pools", &json!({}));
    assert_eq!(status, 200);
    let other_client = pool["clients"][0]["clientId"].as_str().unwrap().to_string();
    let other_pool = pool["poolId"].as_str().unwrap().to_string();
    for fault in [
        json!({"operation": "InitiateAuth", "authFlow": "REFRESH_TOKEN_AUTH", "fault": "http500"}),
        json!({"operation": "RespondToAuthChallenge", "challengeName": "SMS_MFA", "fault": "http502"}),
        json!({"operation": "SignUp", "poolId": other_pool, "fault": "throttle", "count": 2}),
    ] {
        assert_eq!(post_test(&app, "/__emulator__/faults", &fault).0, 200);
    }
    let refresh = |flow: &str| {
        json!({"ClientId": DEFAULT_CLIENT_ID, "AuthFlow": flow,
               "AuthParameters": {"USERNAME": "x", "PASSWORD": "y", "REFRESH_TOKEN": "z"}})
    };
    assert_eq!(
        post_op(&app, "InitiateAuth", &refresh("USER_PASSWORD_AUTH")).0,
        400
    );
    assert_eq!(
        post_op(&app, "InitiateAuth", &refresh("REFRESH_TOKEN_AUTH")).0,
        500
    );
    assert_eq!(
        post_op(&app, "InitiateAuth", &refresh("REFRESH_TOKEN_AUTH")).0,
        400
    );
    let respond = |name: &str| {
        json!({"ClientId": DEFAULT_CLIENT_ID, "ChallengeName": name, "Session": "s",
               "ChallengeResponses": {"USERNAME": "x"}})
    };
    assert_eq!(
        post_op(
            &app,
            "RespondToAuthChallenge",
            &respond("SOFTWARE_TOKEN_MFA")
        )
        .0,
        400
    );
    assert_eq!(
        post_op(&app, "RespondToAuthChallenge", &respond("SMS_MFA")).0,
        502
    );
    // Only the other pool's sign-ups are throttled, twice.
    let (status, _) = post_op(&app, "SignUp", &sign_up_body("mine"));
    assert_eq!(status, 200);
    let mut theirs = sign_up_body("theirs");
    theirs["ClientId"] = json!(other_client);
    let outcomes: Vec<Value> = (0..3)
        .map(|_| post_op(&app, "SignUp", &theirs).1["__type"].clone())
        .collect();
    assert_eq!(
        outcomes,
        vec![
            json!("TooManyRequestsException"),
            json!("TooManyRequestsException"),
            Value::Null
        ]
    );
    let list = handle(&app, "GET", "/__emulator__/faults", &[], b"");
    let list: Value = serde_json::from_slice(&list.body).unwrap();
    let summary: Vec<(Value, Value, Value)> = list["faults"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["fault"].clone(),
                f["fired"].clone(),
                f["remaining"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (json!("http500"), json!(1), json!(0)),
            (json!("http502"), json!(1), json!(0)),
            (json!("throttle"), json!(2), json!(0)),
        ]
    );
    assert_eq!(list["faults"][0]["id"], 1);
    assert_eq!(list["faults"][2]["operation"], "SignUp");
    assert_eq!(list["faults"][2]["poolId"], json!(other_pool));
    // Counted though faulted.
    let counts = handle(&app, "GET", "/__emulator__/requests", &[], b"");
    let counts: Value = serde_json::from_slice(&counts.body).unwrap();
    assert_eq!(counts["SignUp"], 4);
    assert_eq!(counts["InitiateAuth"], 3);
}

#[test]
fn faults_can_be_listed_and_cleared_and_bad_ones_are_refused() {
    let (addr, _app) = server();
    let bad = call(
        addr,
        "POST",
        "/__emulator__/faults",
        &json!({"operation": "SignUp", "fault": "meltdown"}),
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["__type"], "InvalidParameterException");
    assert!(bad.json()["message"].as_str().unwrap().contains("meltdown"));
    let bad = call(
        addr,
        "POST",
        "/__emulator__/faults",
        &json!({"operation": "SignUp", "fault": "http500", "extra": true}),
    );
    assert_eq!(bad.status, 400);
    assert_eq!(
        arm(addr, json!({"operation": "SignUp", "fault": "http500"})),
        1
    );
    assert_eq!(
        arm(addr, json!({"operation": "SignUp", "fault": "reset"})),
        2
    );
    let list = call(addr, "GET", "/__emulator__/faults", &Value::Null).json();
    assert_eq!(list["faults"].as_array().map(Vec::len), Some(2));
    assert_eq!(list["faults"][1]["remaining"], 1);
    let cleared = call(addr, "DELETE", "/__emulator__/faults", &Value::Null);
    assert_eq!((cleared.status, cleared.json()), (200, json!({})));
    assert_eq!(
        call(addr, "GET", "/__emulator__/faults", &Value::Null).json(),
        json!({"faults": []})
    );
    arm(addr, json!({"operation": "SignUp", "fault": "http500"}));
    let cleared = call(addr, "POST", "/__emulator__/faults/clear", &Value::Null);
    assert_eq!(cleared.status, 200);
    let a = read_answer(&mut op(addr, "SignUp", &sign_up_body("after")));
    assert_eq!(a.status, 200);
    // The preflight allows DELETE.
    let pre = call(addr, "OPTIONS", "/__emulator__/faults", &Value::Null);
    assert_eq!(pre.status, 204);
    assert!(pre
        .header("Access-Control-Allow-Methods")
        .unwrap()
        .contains("DELETE"));
}

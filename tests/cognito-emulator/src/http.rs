//! HTTP front end: routing, CORS, AWS JSON response headers, test-only endpoints, and the worker threads.
//!
//! Requests are turned into a plain [`Reply`] by [`handle`], which does not touch sockets, so the protocol
//! behaviour is testable without a server; [`serve`] only moves bytes.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::{json, Value};

use crate::admin;
use crate::app::App;
use crate::errors::{CognitoError, ErrorKind};
use crate::faults::{FaultKind, Fired};
use crate::oauth;
use crate::ops;
use crate::util;

const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
const AMZ_JSON: &str = "application/x-amz-json-1.1";
const MAX_BODY_BYTES: u64 = 1 << 20;
const WORKERS: usize = 4;
const ALLOW_HEADERS: &str =
    "Content-Type, X-Amz-Target, X-Amz-User-Agent, Cache-Control, Authorization";
const ALLOW_METHODS: &str = "POST, GET, DELETE, OPTIONS";
/// At most this many requests are held on their own threads at once (hang and delay faults); beyond it a
/// hung connection is closed at once and a delay is waited out on the worker thread.
pub const MAX_DETACHED: usize = 64;

/// How the answer leaves the server: normally, or broken by a fault (see `faults.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Respond,
    /// Close the connection without a response (an abortive close: RST).
    Reset,
    /// Send nothing, hold the connection for this long, then close it.
    Hang(Duration),
    /// Send the status, headers and a Content-Length of the whole body, then half the body, then close.
    Truncate,
    /// Wait this long, then process the request and answer normally (the reply itself is not yet made).
    Delay(Duration),
}

/// A finished response, independent of the HTTP library.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub transport: Transport,
}

impl Reply {
    fn new(status: u16) -> Reply {
        // Browsers on any origin may call the emulator and read the AWS error headers.
        let headers = vec![
            ("Access-Control-Allow-Origin".into(), "*".into()),
            (
                "Access-Control-Expose-Headers".into(),
                "x-amzn-ErrorType, x-amzn-ErrorMessage, x-amzn-RequestId, Retry-After".into(),
            ),
            ("x-amzn-RequestId".into(), util::uuid_v4()),
        ];
        Reply {
            status,
            headers,
            body: Vec::new(),
            transport: Transport::Respond,
        }
    }

    fn json(status: u16, content_type: &str, body: &Value) -> Reply {
        let mut r = Reply::new(status);
        r.headers.push(("Content-Type".into(), content_type.into()));
        r.body = body.to_string().into_bytes();
        r
    }

    fn error(e: &CognitoError) -> Reply {
        let mut r = Reply::json(e.kind.status(), AMZ_JSON, &e.to_json());
        r.headers
            .push(("x-amzn-ErrorType".into(), e.error_type_header()));
        r.headers
            .push(("x-amzn-ErrorMessage".into(), header_safe(e.text())));
        r
    }

    #[cfg(test)]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Header values must be printable ASCII on one line.
fn header_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                ' '
            }
        })
        .collect::<String>()
        .trim()
        .to_string()
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Routes one request.
pub fn handle(
    app: &App,
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Reply {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let query = url
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(""))
        .unwrap_or("");
    let request = oauth::Request {
        method,
        path,
        query,
        headers,
        body,
    };
    if let Some(answer) = oauth::route(app, &request) {
        return managed_login_reply(answer);
    }
    match method {
        "OPTIONS" => preflight(headers),
        "POST" if path == "/" => cognito_operation(app, headers, body),
        "POST" if path == "/__emulator__/pools" => test_only(admin::create_pool(app, body)),
        "POST" if path == "/__emulator__/users" => test_only(admin::create_user(app, body)),
        "POST" if path == "/__emulator__/faults" => test_only(app.faults().arm(body)),
        "DELETE" if path == "/__emulator__/faults" => clear_faults(app),
        "POST" if path == "/__emulator__/faults/clear" => clear_faults(app),
        "GET" | "HEAD" => get(app, path, query),
        _ => not_found(),
    }
}

/// The HTTP form of a managed-login answer. Pages and redirects are not cached; token responses carry
/// `Cache-Control: no-store` as RFC 6749 requires.
fn managed_login_reply(answer: oauth::Answer) -> Reply {
    let mut r = match answer {
        oauth::Answer::Redirect {
            location,
            set_cookie,
        } => {
            let mut r = Reply::new(302);
            r.headers.push(("Location".into(), location));
            if let Some(c) = set_cookie {
                r.headers.push(("Set-Cookie".into(), c));
            }
            r
        }
        oauth::Answer::Page { status, html } => {
            let mut r = Reply::new(status);
            r.headers
                .push(("Content-Type".into(), "text/html; charset=utf-8".into()));
            r.body = html.into_bytes();
            r
        }
        oauth::Answer::Json {
            status,
            body,
            www_authenticate,
        } => {
            let mut r = Reply::json(status, "application/json;charset=UTF-8", &body);
            if let Some(w) = www_authenticate {
                r.headers.push(("WWW-Authenticate".into(), w));
            }
            r
        }
        oauth::Answer::Empty { status } => Reply::new(status),
    };
    r.headers.push(("Cache-Control".into(), "no-store".into()));
    r
}

/// A test-only endpoint's answer: its JSON, or the error as Cognito-style JSON with its status.
fn test_only(result: Result<Value, CognitoError>) -> Reply {
    match result {
        Ok(v) => Reply::json(200, "application/json", &v),
        Err(e) => Reply::json(e.kind.status(), "application/json", &e.to_json()),
    }
}

fn clear_faults(app: &App) -> Reply {
    app.faults().clear();
    Reply::json(200, "application/json", &json!({}))
}

/// The value of `name` in a query string (percent-decoded).
fn query_param(query: &str, name: &str) -> Option<String> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .and_then(|(_, v)| util::percent_decode(v))
}

fn preflight(headers: &[(String, String)]) -> Reply {
    let mut r = Reply::new(204);
    // Always allow the SDK's headers, plus whatever else the browser asks for.
    let mut allow: Vec<String> = ALLOW_HEADERS.split(", ").map(str::to_string).collect();
    if let Some(requested) = header(headers, "Access-Control-Request-Headers") {
        for h in header_safe(requested)
            .split(',')
            .map(str::trim)
            .filter(|h| !h.is_empty())
        {
            if !allow.iter().any(|a| a.eq_ignore_ascii_case(h)) {
                allow.push(h.to_string());
            }
        }
    }
    r.headers
        .push(("Access-Control-Allow-Methods".into(), ALLOW_METHODS.into()));
    r.headers
        .push(("Access-Control-Allow-Headers".into(), allow.join(", ")));
    r.headers
        .push(("Access-Control-Max-Age".into(), "86400".into()));
    r
}

fn not_found() -> Reply {
    not_found_because("No such endpoint.")
}

/// A test-only 404: `{"__type": "NotFound", "message": …}`.
fn not_found_because(message: &str) -> Reply {
    Reply::json(
        404,
        "application/json",
        &json!({ "__type": "NotFound", "message": message }),
    )
}

fn cognito_operation(app: &App, headers: &[(String, String)], body: &[u8]) -> Reply {
    let target = header(headers, "X-Amz-Target").unwrap_or("");
    let operation = target.strip_prefix(TARGET_PREFIX).unwrap_or("");
    let label = if operation.is_empty() {
        "(no operation)"
    } else {
        operation
    };
    let pool_id = ops::pool_of_request(app, body);
    app.count_request(pool_id.as_deref(), label);
    let fired = app.faults().take(operation, body, pool_id.as_deref());
    if let Some(fired) = fired {
        eprintln!("{label} -> fault {:?}", fired.kind);
        return fault_reply(&fired);
    }
    operation_reply(app, headers, body)
}

/// Runs the Cognito operation of a request that has been counted (and not taken by a fault).
pub fn operation_reply(app: &App, headers: &[(String, String)], body: &[u8]) -> Reply {
    let target = header(headers, "X-Amz-Target").unwrap_or("");
    let operation = target.strip_prefix(TARGET_PREFIX).unwrap_or("");
    let label = if operation.is_empty() {
        "(no operation)"
    } else {
        operation
    };
    let result = if operation.is_empty() {
        Err(ops::unknown_operation(target))
    } else {
        ops::dispatch(app, operation, body)
    };
    match result {
        Ok(value) => {
            eprintln!("{label} -> 200");
            Reply::json(200, AMZ_JSON, &value)
        }
        Err(e) => {
            eprintln!(
                "{label} -> {} {}: {}",
                e.kind.status(),
                e.kind.name(),
                e.message
            );
            Reply::error(&e)
        }
    }
}

/// A body that looks like a real sign-in answer, for the truncate fault.
fn plausible_body() -> Vec<u8> {
    let token = || {
        format!(
            "eyJraWQiOiJlbXVsYXRvciIsImFsZyI6IlJTMjU2In0.{}.{}",
            util::opaque_token(48),
            util::opaque_token(64)
        )
    };
    json!({
        "AuthenticationResult": {
            "AccessToken": token(),
            "ExpiresIn": 3600,
            "IdToken": token(),
            "RefreshToken": util::opaque_token(96),
            "TokenType": "Bearer",
        },
        "ChallengeParameters": {},
    })
    .to_string()
    .into_bytes()
}

const CAPTIVE_PORTAL_PAGE: &str =
    "<!DOCTYPE html>\n<html><head><title>Sign in to the network</title></head>\n\
<body><h1>Welcome to Guest Wi-Fi</h1><p>Please accept the terms of use to continue.</p>\n\
<form method=\"post\" action=\"/login\"><button>Accept and connect</button></form></body></html>\n";

/// The answer a fault gives instead of the operation's.
fn fault_reply(fired: &Fired) -> Reply {
    let retry_after = |r: &mut Reply| {
        if let Some(secs) = fired.retry_after_seconds {
            r.headers.push(("Retry-After".into(), secs.to_string()));
        }
    };
    let not_from_aws = |mut r: Reply| {
        r.headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("x-amzn-RequestId"));
        r
    };
    let html = |status: u16, page: &str| {
        let mut r = Reply::new(status);
        r.headers
            .push(("Content-Type".into(), "text/html; charset=utf-8".into()));
        r.body = page.as_bytes().to_vec();
        r
    };
    match fired.kind {
        FaultKind::Http500 => Reply::new(500),
        FaultKind::Http503 => {
            let mut r = Reply::json(
                503,
                AMZ_JSON,
                &json!({"__type": "ServiceUnavailableException", "message": "Service Unavailable"}),
            );
            retry_after(&mut r);
            r
        }
        FaultKind::Throttle => {
            let mut r = Reply::json(
                400,
                AMZ_JSON,
                &json!({"__type": "TooManyRequestsException", "message": "Rate exceeded"}),
            );
            r.headers.push((
                "x-amzn-ErrorType".into(),
                "TooManyRequestsException:".into(),
            ));
            retry_after(&mut r);
            r
        }
        FaultKind::MalformedJson => {
            let mut r = Reply::new(200);
            r.headers.push(("Content-Type".into(), AMZ_JSON.into()));
            r.body = br#"{"AuthenticationResult": {"#.to_vec();
            r
        }
        FaultKind::Html200 => not_from_aws(html(200, CAPTIVE_PORTAL_PAGE)),
        FaultKind::Http502 => not_from_aws(html(
            502,
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
        )),
        FaultKind::Reset => Reply {
            transport: Transport::Reset,
            ..Reply::new(0)
        },
        FaultKind::Hang => Reply {
            transport: Transport::Hang(fired.delay),
            ..Reply::new(0)
        },
        FaultKind::Truncate => {
            let mut r = Reply::new(200);
            r.headers.push(("Content-Type".into(), AMZ_JSON.into()));
            r.body = plausible_body();
            r.transport = Transport::Truncate;
            r
        }
        FaultKind::Delay => Reply {
            transport: Transport::Delay(fired.delay),
            ..Reply::new(0)
        },
    }
}

fn get(app: &App, path: &str, query: &str) -> Reply {
    if let Some((pool_id, doc)) = path
        .strip_prefix('/')
        .and_then(|p| p.split_once("/.well-known/"))
    {
        let store = app.store();
        let Some(key) = store.key(pool_id) else {
            return not_found_because("No such user pool.");
        };
        let issuer = app.issuer(pool_id);
        return match doc {
            "jwks.json" => Reply::json(200, "application/json", &key.jwks()),
            "openid-configuration" => Reply::json(
                200,
                "application/json",
                &json!({
                    "issuer": issuer,
                    "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
                    "authorization_endpoint": format!("{}/oauth2/authorize", app.base_url),
                    "token_endpoint": format!("{}/oauth2/token", app.base_url),
                    "userinfo_endpoint": format!("{}/oauth2/userInfo", app.base_url),
                    "revocation_endpoint": format!("{}/oauth2/revoke", app.base_url),
                    "end_session_endpoint": format!("{}/logout", app.base_url),
                    "response_types_supported": ["code"],
                    "grant_types_supported": ["authorization_code", "refresh_token"],
                    "scopes_supported": ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"],
                    "code_challenge_methods_supported": ["S256"],
                    "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "subject_types_supported": ["public"],
                }),
            ),
            _ => not_found(),
        };
    }
    let pool_id = query_param(query, "poolId");
    match path {
        "/__emulator__/health" => Reply::json(200, "application/json", &json!({ "ok": true })),
        "/__emulator__/faults" => Reply::json(200, "application/json", &app.faults().list()),
        "/__emulator__/requests" => Reply::json(
            200,
            "application/json",
            &json!(app.request_counts(pool_id.as_deref())),
        ),
        _ => match path
            .strip_prefix("/__emulator__/codes/")
            .and_then(util::percent_decode)
        {
            Some(name) => latest_code(
                app,
                &name,
                pool_id.as_deref(),
                query_param(query, "purpose"),
            ),
            None => not_found(),
        },
    }
}

/// Test-only: the latest code "sent" to a user (looked up by username, case-insensitively, or by sub), in
/// one pool or — without `poolId` — the newest across all pools; optionally only codes of one purpose.
fn latest_code(app: &App, name: &str, pool_id: Option<&str>, purpose: Option<String>) -> Reply {
    let store = app.store();
    let found = store
        .data
        .pools
        .values()
        .filter(|p| pool_id.is_none_or(|id| p.pool_id == id))
        .filter_map(|p| {
            let user = p
                .user_key_by_name_or_sub(name)
                .and_then(|k| p.users.get(&k))?;
            let code = user
                .codes
                .iter()
                .rev()
                .find(|c| purpose.as_ref().is_none_or(|wanted| &c.purpose == wanted))?;
            Some((p, user, code))
        })
        .max_by_key(|(p, _, c)| (c.sent_at, p.created_at));
    match found {
        Some((pool, user, code)) => Reply::json(
            200,
            "application/json",
            &json!({
                "username": user.username,
                "poolId": pool.pool_id,
                "code": code.code,
                "purpose": code.purpose,
                "destination": code.destination,
                "deliveryMedium": code.delivery_medium,
                "attributeName": code.attribute_name,
                "used": code.used,
                "sentAt": code.sent_at,
            }),
        ),
        None => not_found_because("No code was sent to that user."),
    }
}

/// A bound server and its worker threads.
pub struct Running {
    pub addr: SocketAddr,
    pub workers: Vec<JoinHandle<()>>,
}

impl Running {
    /// Blocks until every worker stops (they stop only when the server is unblocked).
    pub fn join(self) {
        for w in self.workers {
            let _ = w.join();
        }
    }
}

/// Binds 127.0.0.1:`port` (0 picks a free port).
pub fn bind(port: u16) -> Result<(tiny_http::Server, SocketAddr), String> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    disable_nagle(&listener);
    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|e| format!("cannot serve on 127.0.0.1:{port}: {e}"))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or("server is not on an IP address")?;
    Ok((server, addr))
}

/// Sets TCP_NODELAY on the listening socket; Linux gives it to every accepted connection.
///
/// tiny_http writes a response's headers and body separately when they exceed its 1 KB buffer (InitiateAuth's
/// SRP challenge does). With Nagle's algorithm the body then waits for the client to acknowledge the headers,
/// which a client on a kept-alive connection delays by up to 40 ms: every such answer came ~40 ms late,
/// which real Cognito does not do and which swamped the sign-in times `make bench` measures. tiny_http has no
/// option for it, so the socket option is set here. Best effort: on failure the emulator is only slower.
fn disable_nagle(listener: &std::net::TcpListener) {
    use std::os::fd::AsRawFd;
    let on: libc::c_int = 1;
    // SAFETY: a valid, open socket descriptor (borrowed from `listener`), and a pointer to a c_int that lives
    // across the call with its exact size, as setsockopt(2) requires for TCP_NODELAY.
    let _ = unsafe {
        libc::setsockopt(
            listener.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_NODELAY,
            std::ptr::from_ref(&on).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
}

/// Starts the worker threads that answer requests on `server`.
pub fn serve(app: Arc<App>, server: tiny_http::Server, addr: SocketAddr) -> Running {
    let server = Arc::new(server);
    let detached = Arc::new(AtomicUsize::new(0));
    let workers = (0..WORKERS)
        .map(|_| {
            let (app, server, detached) =
                (Arc::clone(&app), Arc::clone(&server), Arc::clone(&detached));
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    answer(&app, addr, &detached, request);
                }
            })
        })
        .collect();
    std::thread::spawn(move || unstick_connections(addr));
    Running { addr, workers }
}

/// How often [`unstick_connections`] knocks.
const UNSTICK_EVERY: Duration = Duration::from_millis(100);

/// Connects to the server and hangs up at once, every [`UNSTICK_EVERY`], for as long as the process runs.
///
/// tiny_http serves each connection on a thread of its pool until the connection ends, and when two
/// connections arrive within the moment it takes an idle thread to wake, the second is queued until some
/// connection ends — with keep-alive clients, or connections held by hang faults, that can be seconds or
/// never. A connection that ends at once gets a thread of its own (none is idle), and that thread then takes
/// the queued one. No request is sent, so nothing is counted or logged.
fn unstick_connections(addr: SocketAddr) {
    loop {
        std::thread::sleep(UNSTICK_EVERY);
        let _ = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(1));
    }
}

/// One slot of the [`MAX_DETACHED`] requests that may be held on their own threads; freed on drop.
struct DetachedSlot(Arc<AtomicUsize>);

impl DetachedSlot {
    fn take(count: &Arc<AtomicUsize>) -> Option<DetachedSlot> {
        let mut n = count.load(Ordering::SeqCst);
        loop {
            if n >= MAX_DETACHED {
                return None;
            }
            match count.compare_exchange(n, n + 1, Ordering::SeqCst, Ordering::SeqCst) {
                Ok(_) => return Some(DetachedSlot(Arc::clone(count))),
                Err(now) => n = now,
            }
        }
    }
}

impl Drop for DetachedSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn answer(
    app: &Arc<App>,
    local: SocketAddr,
    detached: &Arc<AtomicUsize>,
    mut request: tiny_http::Request,
) {
    let method = request.method().as_str().to_string();
    let url = request.url().to_string();
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_string(),
                h.value.as_str().to_string(),
            )
        })
        .collect();
    let mut body = Vec::new();
    let read = request
        .as_reader()
        .take(MAX_BODY_BYTES + 1)
        .read_to_end(&mut body);
    let reply = match read {
        Err(_) => Reply::error(&CognitoError::new(
            ErrorKind::Serialization,
            "Could not read the request body",
        )),
        Ok(_) if body.len() as u64 > MAX_BODY_BYTES => Reply::error(&CognitoError::new(
            ErrorKind::Serialization,
            "Request body too large",
        )),
        Ok(_) => handle(app, &method, &url, &headers, &body),
    };
    match reply.transport {
        Transport::Respond => respond(request, &method, reply),
        Transport::Reset => close_connection(request, local, Close::Abort, &[]),
        Transport::Truncate => {
            let raw = truncated_response(&reply);
            close_connection(request, local, Close::Graceful, &raw);
        }
        Transport::Hang(hold) => match DetachedSlot::take(detached) {
            Some(slot) => {
                std::thread::spawn(move || {
                    std::thread::sleep(hold);
                    close_connection(request, local, Close::Graceful, &[]);
                    drop(slot);
                });
            }
            None => {
                eprintln!("cognito-emulator: too many hung requests; closing this one at once");
                close_connection(request, local, Close::Graceful, &[]);
            }
        },
        Transport::Delay(wait) => {
            let app = Arc::clone(app);
            let run = move |request: tiny_http::Request| {
                std::thread::sleep(wait);
                let reply = operation_reply(&app, &headers, &body);
                respond(request, &method, reply);
            };
            match DetachedSlot::take(detached) {
                Some(slot) => {
                    std::thread::spawn(move || {
                        run(request);
                        drop(slot);
                    });
                }
                None => run(request),
            }
        }
    }
}

fn respond(request: tiny_http::Request, method: &str, reply: Reply) {
    let mut response = tiny_http::Response::from_data(if method == "HEAD" {
        Vec::new()
    } else {
        reply.body
    })
    .with_status_code(reply.status);
    for (name, value) in &reply.headers {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    }
    if let Err(e) = request.respond(response) {
        eprintln!("cognito-emulator: could not send response: {e}");
    }
}

/// The status line, the headers with a Content-Length of the whole body, and the first half of the body.
fn truncated_response(reply: &Reply) -> Vec<u8> {
    let mut raw = format!("HTTP/1.1 {} OK\r\n", reply.status).into_bytes();
    for (name, value) in &reply.headers {
        raw.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    raw.extend_from_slice(
        format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            reply.body.len()
        )
        .as_bytes(),
    );
    let half = reply.body.len() / 2;
    raw.extend(reply.body.iter().take(half));
    raw
}

/// How a faulted connection ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Close {
    /// FIN after whatever was written.
    Graceful,
    /// RST: SO_LINGER 0 and a disconnect, so the client sees "connection reset".
    Abort,
}

/// Writes `raw` (if anything) straight to the connection of `request` and closes that connection.
///
/// tiny_http keeps connections alive and has no way to close one, and answers a dropped request with a 500
/// itself. So the request's writer is taken first (after which tiny_http writes nothing), and the socket is
/// found among the process's descriptors by its two addresses and shut down (or aborted) directly; tiny_http's
/// reading side then sees the end of the connection and drops it. If the socket cannot be found, only the
/// bytes are sent and the connection stays as tiny_http leaves it.
fn close_connection(request: tiny_http::Request, local: SocketAddr, how: Close, raw: &[u8]) {
    let peer = request.remote_addr().copied();
    let mut writer = request.into_writer();
    if !raw.is_empty() {
        let _ = writer.write_all(raw);
    }
    let _ = writer.flush();
    match peer.and_then(|peer| socket::find(local, peer)) {
        Some(fd) => match how {
            Close::Graceful => socket::shutdown(fd),
            Close::Abort => socket::abort(fd),
        },
        None => eprintln!("cognito-emulator: cannot find the socket of a faulted request"),
    }
    drop(writer);
}

/// Raw socket operations on the descriptors tiny_http holds (Linux).
mod socket {
    use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
    use std::os::fd::RawFd;

    type AddrFn =
        unsafe extern "C" fn(libc::c_int, *mut libc::sockaddr, *mut libc::socklen_t) -> libc::c_int;

    /// The address `f` (getsockname or getpeername) reports for `fd`, if it is an IP socket.
    fn address(fd: RawFd, f: AddrFn) -> Option<SocketAddr> {
        // SAFETY: sockaddr_storage is plain data for which all-zero bytes are a valid value.
        let mut storage: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
        let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        // SAFETY: `storage` is writable for `len` bytes, as getsockname(2)/getpeername(2) require; an fd
        // that is not a socket only makes the call fail.
        let rc = unsafe { f(fd, std::ptr::from_mut(&mut storage).cast(), &mut len) };
        if rc != 0 {
            return None;
        }
        match libc::c_int::from(storage.ss_family) {
            libc::AF_INET => {
                // SAFETY: the kernel wrote a sockaddr_in (family AF_INET) into the larger storage.
                let a: libc::sockaddr_in = unsafe {
                    std::ptr::from_ref(&storage)
                        .cast::<libc::sockaddr_in>()
                        .read()
                };
                Some(SocketAddr::from((
                    Ipv4Addr::from(u32::from_be(a.sin_addr.s_addr)),
                    u16::from_be(a.sin_port),
                )))
            }
            libc::AF_INET6 => {
                // SAFETY: the kernel wrote a sockaddr_in6 (family AF_INET6) into the larger storage.
                let a: libc::sockaddr_in6 = unsafe {
                    std::ptr::from_ref(&storage)
                        .cast::<libc::sockaddr_in6>()
                        .read()
                };
                Some(SocketAddr::from((
                    Ipv6Addr::from(a.sin6_addr.s6_addr),
                    u16::from_be(a.sin6_port),
                )))
            }
            _ => None,
        }
    }

    /// A descriptor of the connection between `local` (the server) and `peer` (the client).
    pub fn find(local: SocketAddr, peer: SocketAddr) -> Option<RawFd> {
        std::fs::read_dir("/proc/self/fd")
            .ok()?
            .flatten()
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<RawFd>().ok()))
            .find(|fd| {
                address(*fd, libc::getsockname) == Some(local)
                    && address(*fd, libc::getpeername) == Some(peer)
            })
    }

    /// Sends FIN in both directions: the client reads what was written, then the end of the stream.
    pub fn shutdown(fd: RawFd) {
        // SAFETY: shutdown(2) on a descriptor the caller keeps open (tiny_http's, while its request lives).
        let _ = unsafe { libc::shutdown(fd, libc::SHUT_RDWR) };
    }

    /// Resets the connection: with SO_LINGER 0, connect(AF_UNSPEC) disconnects a TCP socket at once with
    /// an RST (Linux); should that fail, a plain shutdown.
    pub fn abort(fd: RawFd) {
        let linger = libc::linger {
            l_onoff: 1,
            l_linger: 0,
        };
        // SAFETY: a pointer to a linger struct that lives across the call, with its exact size.
        let _ = unsafe {
            libc::setsockopt(
                fd,
                libc::SOL_SOCKET,
                libc::SO_LINGER,
                std::ptr::from_ref(&linger).cast(),
                std::mem::size_of::<libc::linger>() as libc::socklen_t,
            )
        };
        // SAFETY: all-zero bytes are a valid sockaddr; only its family (AF_UNSPEC) is read.
        let mut unspec: libc::sockaddr = unsafe { std::mem::zeroed() };
        unspec.sa_family = libc::AF_UNSPEC as libc::sa_family_t;
        // SAFETY: connect(2) with a valid sockaddr of the given size on a descriptor kept open by the caller.
        let rc = unsafe {
            libc::connect(
                fd,
                std::ptr::from_ref(&unspec),
                std::mem::size_of::<libc::sockaddr>() as libc::socklen_t,
            )
        };
        if rc != 0 {
            shutdown(fd);
        }
    }
}

#[cfg(test)]
mod fault_tests;
#[cfg(test)]
mod rotation_tests;
#[cfg(test)]
mod tests;

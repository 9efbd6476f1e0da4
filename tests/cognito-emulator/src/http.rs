//! HTTP front end: routing, CORS, AWS JSON response headers, test-only endpoints, and the worker threads.
//!
//! Requests are turned into a plain [`Reply`] by [`handle`], which does not touch sockets, so the protocol
//! behaviour is testable without a server; [`serve`] only moves bytes.

use std::io::Read;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

use serde_json::{json, Value};

use crate::admin;
use crate::app::App;
use crate::errors::{CognitoError, ErrorKind};
use crate::ops;
use crate::util;

const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
const AMZ_JSON: &str = "application/x-amz-json-1.1";
const MAX_BODY_BYTES: u64 = 1 << 20;
const WORKERS: usize = 4;
const ALLOW_HEADERS: &str =
    "Content-Type, X-Amz-Target, X-Amz-User-Agent, Cache-Control, Authorization";

/// A finished response, independent of the HTTP library.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    fn new(status: u16) -> Reply {
        // Browsers on any origin may call the emulator and read the AWS error headers.
        let headers = vec![
            ("Access-Control-Allow-Origin".into(), "*".into()),
            (
                "Access-Control-Expose-Headers".into(),
                "x-amzn-ErrorType, x-amzn-ErrorMessage, x-amzn-RequestId".into(),
            ),
            ("x-amzn-RequestId".into(), util::uuid_v4()),
        ];
        Reply {
            status,
            headers,
            body: Vec::new(),
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
        if !e.message.is_empty() {
            r.headers
                .push(("x-amzn-ErrorMessage".into(), header_safe(&e.message)));
        }
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
    match method {
        "OPTIONS" => preflight(headers),
        "POST" if path == "/" => cognito_operation(app, headers, body),
        "POST" if path == "/__emulator__/pools" => test_only(admin::create_pool(app, body)),
        "POST" if path == "/__emulator__/users" => test_only(admin::create_user(app, body)),
        "GET" | "HEAD" => get(app, path, query),
        _ => not_found(),
    }
}

/// A test-only endpoint's answer: its JSON, or the error as Cognito-style JSON with its status.
fn test_only(result: Result<Value, CognitoError>) -> Reply {
    match result {
        Ok(v) => Reply::json(200, "application/json", &v),
        Err(e) => Reply::json(e.kind.status(), "application/json", &e.to_json()),
    }
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
    r.headers.push((
        "Access-Control-Allow-Methods".into(),
        "POST, GET, OPTIONS".into(),
    ));
    r.headers
        .push(("Access-Control-Allow-Headers".into(), allow.join(", ")));
    r.headers
        .push(("Access-Control-Max-Age".into(), "86400".into()));
    r
}

fn not_found() -> Reply {
    Reply::json(404, "application/json", &json!({ "__type": "NotFound" }))
}

fn cognito_operation(app: &App, headers: &[(String, String)], body: &[u8]) -> Reply {
    let target = header(headers, "X-Amz-Target").unwrap_or("");
    let operation = target.strip_prefix(TARGET_PREFIX).unwrap_or("");
    let label = if operation.is_empty() {
        "(no operation)"
    } else {
        operation
    };
    app.count_request(ops::pool_of_request(app, body).as_deref(), label);
    let result = if operation.is_empty() {
        Err(CognitoError::new(
            ErrorKind::UnknownOperation,
            String::new(),
        ))
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

fn get(app: &App, path: &str, query: &str) -> Reply {
    if let Some((pool_id, doc)) = path
        .strip_prefix('/')
        .and_then(|p| p.split_once("/.well-known/"))
    {
        let store = app.store();
        let Some(key) = store.key(pool_id) else {
            return not_found();
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
        None => not_found(),
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
    let workers = (0..WORKERS)
        .map(|_| {
            let (app, server) = (Arc::clone(&app), Arc::clone(&server));
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    answer(&app, request);
                }
            })
        })
        .collect();
    Running { addr, workers }
}

fn answer(app: &App, mut request: tiny_http::Request) {
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

#[cfg(test)]
mod tests;

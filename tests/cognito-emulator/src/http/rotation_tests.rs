//! Refresh-token rotation under concurrency, against a real bound server: of simultaneous uses of one
//! token of a rotating client, exactly one succeeds — unless the client's retry grace period lets the old
//! token work on.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use serde_json::{json, Value};

use super::{bind, serve};
use crate::app::{test_app, App};
use crate::cli::Config;

fn server() -> (SocketAddr, Arc<App>) {
    let (server, addr) = bind(0).unwrap();
    let app = Arc::new(test_app(Config::default()));
    let _running = serve(Arc::clone(&app), server, addr);
    (addr, app)
}

/// One request on its own connection: (status, JSON body).
fn post(addr: SocketAddr, path: &str, target: Option<&str>, body: &Value) -> (u16, Value) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let body = body.to_string();
    let target = target
        .map(|op| format!("X-Amz-Target: AWSCognitoIdentityProviderService.{op}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n{target}\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// A pool whose client rotates refresh tokens with `grace` seconds, and a user in it.
fn rotating_pool(addr: SocketAddr, grace: u64) -> String {
    let (status, pool) = post(
        addr,
        "/__emulator__/pools",
        None,
        &json!({"clients": [{"refreshTokenRotation": true, "retryGracePeriodSeconds": grace}]}),
    );
    assert_eq!(status, 200, "{pool}");
    let (status, user) = post(
        addr,
        "/__emulator__/users",
        None,
        &json!({"poolId": pool["poolId"], "username": "rot", "password": "Passw0rd!",
                "attributes": {"email": "rot@example.com"}}),
    );
    assert_eq!(status, 200, "{user}");
    pool["clients"][0]["clientId"].as_str().unwrap().to_string()
}

fn refresh_token(addr: SocketAddr, client: &str) -> String {
    let (status, v) = post(
        addr,
        "/",
        Some("InitiateAuth"),
        &json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client,
                "AuthParameters": {"USERNAME": "rot", "PASSWORD": "Passw0rd!"}}),
    );
    assert_eq!(status, 200, "{v}");
    v["AuthenticationResult"]["RefreshToken"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Uses `token` from `n` threads at once; returns the answers.
fn race(addr: SocketAddr, client: &str, token: &str, n: usize) -> Vec<(u16, Value)> {
    let barrier = Arc::new(Barrier::new(n));
    let threads: Vec<_> = (0..n)
        .map(|_| {
            let (barrier, client, token) =
                (Arc::clone(&barrier), client.to_string(), token.to_string());
            std::thread::spawn(move || {
                let body = json!({"ClientId": client, "RefreshToken": token});
                barrier.wait();
                post(addr, "/", Some("GetTokensFromRefreshToken"), &body)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

#[test]
fn concurrent_rotations_of_one_token_let_exactly_one_through() {
    let (addr, _app) = server();
    let client = rotating_pool(addr, 0);
    for round in 0..50 {
        let token = refresh_token(addr, &client);
        let n = 2 + round % 3;
        let answers = race(addr, &client, &token, n);
        let wins: Vec<&Value> = answers
            .iter()
            .filter(|(s, _)| *s == 200)
            .map(|(_, v)| v)
            .collect();
        let statuses: Vec<u16> = answers.iter().map(|(s, _)| *s).collect();
        assert_eq!(wins.len(), 1, "round {round}: {statuses:?}");
        for (status, v) in answers.iter().filter(|(s, _)| *s != 200) {
            assert_eq!(*status, 400);
            assert_eq!(
                *v,
                json!({"__type": "NotAuthorizedException", "message": "Refresh Token has been revoked"})
            );
        }
        // The winner's new token works (once).
        let rotated = wins[0]["AuthenticationResult"]["RefreshToken"]
            .as_str()
            .unwrap()
            .to_string();
        assert_ne!(rotated, token);
        if round % 10 == 0 {
            let answers = race(addr, &client, &rotated, 1);
            assert_eq!(answers[0].0, 200, "{answers:?}");
        }
    }
}

#[test]
fn within_the_grace_period_every_concurrent_use_succeeds() {
    let (addr, _app) = server();
    let client = rotating_pool(addr, 30);
    for round in 0..10 {
        let token = refresh_token(addr, &client);
        let answers = race(addr, &client, &token, 3);
        let statuses: Vec<u16> = answers.iter().map(|(s, _)| *s).collect();
        assert_eq!(statuses, vec![200; 3], "round {round}");
        // And later uses within the grace period too.
        assert_eq!(race(addr, &client, &token, 1)[0].0, 200);
    }
}

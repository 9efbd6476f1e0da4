//! Managed login end to end: a browser-like client (a cookie jar that follows the emulator's own redirects)
//! walks `/oauth2/authorize`, the login page, the simulated providers and `/oauth2/idpresponse` to the app's
//! callback, then redeems the code at `/oauth2/token` as an app does.

use std::collections::HashMap;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::harness::{claims, totp_now, wrong, Harness, Pool, PASSWORD};
use crate::http::{handle, Reply};
use crate::oauth::form::{encode, parse_form};
use crate::totp;

const CALLBACK: &str = "http://localhost:3000/cb";
const SIGNED_OUT: &str = "http://localhost:3000/";
const VERIFIER: &str = "dBjftJeZ4CVP-mJ92K9hbQ0Z3vFfg7wC8bJ0Fz5Yb1kAxQ_tR";

fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A pool with Google and a custom OIDC provider, whose one client allows the code flow for them and the
/// pool's own users.
fn federated_pool(h: &Harness, client: Value) -> Pool {
    let mut c = json!({"oauth": {"callbackUrls": [CALLBACK], "logoutUrls": [SIGNED_OUT],
        "identityProviders": ["COGNITO", "Google", "Corp"]}});
    if let (Some(obj), Some(more)) = (c.as_object_mut(), client.as_object()) {
        obj.extend(more.clone());
    }
    h.pool(json!({
        "identityProviders": [
            {"name": "Google", "type": "Google"},
            {"name": "Corp", "type": "OIDC", "attributeMapping": {"email": "email", "name": "name"}}
        ],
        "clients": [c]
    }))
}

fn header<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
    reply
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn location(reply: &Reply) -> String {
    assert_eq!(
        reply.status,
        302,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    header(reply, "Location").unwrap().to_string()
}

fn query(url: &str) -> HashMap<String, String> {
    parse_form(url.split_once('?').map(|(_, q)| q).unwrap_or(""))
        .into_iter()
        .collect()
}

fn text(reply: &Reply) -> String {
    String::from_utf8_lossy(&reply.body).into_owned()
}

/// The value of the hidden `request` field of a login or code page.
fn request_id(page: &str) -> String {
    let start = page.find("name=\"request\" value=\"").unwrap() + 22;
    page[start..].split('"').next().unwrap().to_string()
}

struct Browser<'a> {
    h: &'a Harness,
    cookie: Option<String>,
}

impl<'a> Browser<'a> {
    fn new(h: &'a Harness) -> Self {
        Browser { h, cookie: None }
    }

    fn send(&mut self, method: &str, url: &str, body: &str) -> Reply {
        let mut headers = vec![];
        if let Some(c) = &self.cookie {
            headers.push(("Cookie".to_string(), format!("cognito={c}")));
        }
        if method == "POST" {
            headers.push((
                "Content-Type".to_string(),
                "application/x-www-form-urlencoded".to_string(),
            ));
        }
        let reply = handle(&self.h.app, method, url, &headers, body.as_bytes());
        if let Some(set) = header(&reply, "Set-Cookie") {
            let value = set
                .split(';')
                .next()
                .unwrap()
                .strip_prefix("cognito=")
                .unwrap();
            self.cookie = (!value.is_empty()).then(|| value.to_string());
        }
        reply
    }

    /// GETs `url` and follows redirects while they stay on the emulator (relative locations), so the
    /// answer is a page or a redirect to the app.
    fn visit(&mut self, url: &str) -> Reply {
        let mut reply = self.send("GET", url, "");
        for _ in 0..5 {
            match header(&reply, "Location") {
                Some(next) if next.starts_with('/') => {
                    let next = next.to_string();
                    reply = self.send("GET", &next, "");
                }
                _ => break,
            }
        }
        reply
    }

    fn submit(&mut self, fields: &[(&str, &str)]) -> Reply {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        self.send("POST", "/login", &body.join("&"))
    }
}

/// An authorize URL with PKCE and `state=st-1`; `extra` replaces or adds parameters.
fn authorize_url(pool: &Pool, extra: &[(&str, &str)]) -> String {
    let mut params = vec![
        ("response_type", "code"),
        ("client_id", pool.client.as_str()),
        ("redirect_uri", CALLBACK),
        ("state", "st-1"),
        ("scope", "openid email profile"),
        ("code_challenge_method", "S256"),
    ];
    let c = challenge(VERIFIER);
    params.push(("code_challenge", &c));
    for (k, v) in extra {
        match params.iter_mut().find(|(have, _)| have == k) {
            Some(p) => p.1 = v,
            None => params.push((k, v)),
        }
    }
    let q: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    format!("/oauth2/authorize?{}", q.join("&"))
}

/// Signs `username` in on the login page and returns the app's callback URL.
fn password_sign_in(
    b: &mut Browser,
    pool: &Pool,
    username: &str,
    extra: &[(&str, &str)],
) -> String {
    let page = b.visit(&authorize_url(pool, extra));
    assert_eq!(page.status, 200, "{}", text(&page));
    let id = request_id(&text(&page));
    location(&b.submit(&[
        ("request", &id),
        ("username", username),
        ("password", PASSWORD),
    ]))
}

fn token_request(h: &Harness, auth: Option<String>, fields: &[(&str, &str)]) -> (u16, Value) {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    let mut headers = vec![(
        "Content-Type".to_string(),
        "application/x-www-form-urlencoded".to_string(),
    )];
    if let Some(a) = auth {
        headers.push(("Authorization".to_string(), a));
    }
    let reply = handle(
        &h.app,
        "POST",
        "/oauth2/token",
        &headers,
        body.join("&").as_bytes(),
    );
    (reply.status, serde_json::from_slice(&reply.body).unwrap())
}

fn redeem(h: &Harness, pool: &Pool, callback: &str, verifier: &str) -> (u16, Value) {
    let code = query(callback)["code"].clone();
    token_request(
        h,
        None,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &pool.client),
            ("code", &code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", verifier),
        ],
    )
}

fn user_info(h: &Harness, access_token: &str) -> Reply {
    let headers = vec![(
        "Authorization".to_string(),
        format!("Bearer {access_token}"),
    )];
    handle(&h.app, "GET", "/oauth2/userInfo", &headers, b"")
}

#[test]
fn password_sign_in_with_pkce_issues_scoped_tokens_once() {
    let h = Harness::new();
    let pool = federated_pool(&h, json!({}));
    let sub = h.user(
        &pool,
        "alice",
        json!({"attributes": {"email": "alice@example.com", "name": "Alice"}}),
    );
    let mut b = Browser::new(&h);

    let page = b.visit(&authorize_url(&pool, &[]));
    let html = text(&page);
    assert!(html.contains("id=\"provider-Google\"") && html.contains("id=\"provider-Corp\""));
    let id = request_id(&html);
    let again = b.submit(&[
        ("request", &id),
        ("username", "alice"),
        ("password", "Wrong0ne!"),
    ]);
    assert_eq!(again.status, 200);
    assert!(text(&again).contains("Incorrect username or password."));
    assert!(b.cookie.is_none());

    let callback = location(&b.submit(&[
        ("request", &id),
        ("username", "alice"),
        ("password", PASSWORD),
    ]));
    assert!(
        callback.starts_with(&format!("{CALLBACK}?code=")),
        "{callback}"
    );
    assert_eq!(query(&callback)["state"], "st-1");
    assert!(b.cookie.is_some());

    let (status, tokens) = redeem(&h, &pool, &callback, VERIFIER);
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    let id_claims = claims(&tokens["id_token"]);
    assert_eq!(id_claims["sub"], sub);
    assert_eq!(id_claims["aud"], pool.client);
    assert_eq!(id_claims["cognito:username"], "alice");
    let access = claims(&tokens["access_token"]);
    assert_eq!(access["scope"], "openid email profile");

    // The code is single-use.
    let (status, e) = redeem(&h, &pool, &callback, VERIFIER);
    assert_eq!((status, e["error"].as_str()), (400, Some("invalid_grant")));

    // The access token reads userInfo, limited to its scopes, every value a string.
    let info = user_info(&h, tokens["access_token"].as_str().unwrap());
    assert_eq!(info.status, 200);
    let info: Value = serde_json::from_slice(&info.body).unwrap();
    assert_eq!(info["sub"], sub);
    assert_eq!(info["username"], "alice");
    assert_eq!(info["email"], "alice@example.com");
    assert_eq!(info["name"], "Alice");
    assert!(info["email_verified"].is_string() || info["email_verified"].is_null());

    // The refresh token works at the token endpoint and through InitiateAuth alike.
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let (status, renewed) = token_request(
        &h,
        None,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", &pool.client),
            ("refresh_token", refresh),
        ],
    );
    assert_eq!(status, 200, "{renewed}");
    assert_eq!(
        claims(&renewed["access_token"])["scope"],
        "openid email profile"
    );
    assert!(renewed.get("refresh_token").is_none());
    let via_api = h.ok(
        "InitiateAuth",
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": pool.client,
            "AuthParameters": {"REFRESH_TOKEN": refresh}}),
    );
    assert_eq!(
        claims(&via_api["AuthenticationResult"]["AccessToken"])["scope"],
        "openid email profile"
    );
}

#[test]
fn pkce_and_redirect_uri_are_checked_at_both_ends() {
    let h = Harness::new();
    let pool = federated_pool(&h, json!({}));
    h.user(&pool, "bob", json!({}));
    let mut b = Browser::new(&h);

    // A wrong verifier, and the code is gone afterwards even with the right one.
    let callback = password_sign_in(&mut b, &pool, "bob", &[]);
    let (status, e) = redeem(&h, &pool, &callback, &format!("{VERIFIER}x"));
    assert_eq!((status, e["error"].as_str()), (400, Some("invalid_grant")));
    assert_eq!(
        redeem(&h, &pool, &callback, VERIFIER).1["error"],
        "invalid_grant"
    );

    // No verifier for a code that had a challenge.
    let callback = b.visit(&authorize_url(&pool, &[]));
    let code = query(&location(&callback))["code"].clone();
    let (status, e) = token_request(
        &h,
        None,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &pool.client),
            ("code", &code),
            ("redirect_uri", CALLBACK),
        ],
    );
    assert_eq!(
        (status, e["error"].as_str()),
        (400, Some("invalid_request"))
    );

    // A token request's redirect_uri must be the authorize request's exactly.
    let callback = location(&b.visit(&authorize_url(&pool, &[])));
    let code = query(&callback)["code"].clone();
    let (_, e) = token_request(
        &h,
        None,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &pool.client),
            ("code", &code),
            ("redirect_uri", "http://localhost:3000/cb/"),
            ("code_verifier", VERIFIER),
        ],
    );
    assert_eq!(e["error"], "invalid_grant");

    // An unregistered redirect_uri gets an error page, never a redirect.
    let url =
        authorize_url(&pool, &[]).replace(&encode(CALLBACK), &encode("https://evil.example/cb"));
    let page = b.visit(&url);
    assert_eq!(page.status, 400);
    assert!(text(&page).contains("redirect_mismatch"));

    // The plain method and short challenges are refused, back at the app with the state.
    let plain = authorize_url(&pool, &[])
        .replace("code_challenge_method=S256", "code_challenge_method=plain");
    let back = query(&location(&b.visit(&plain)));
    assert_eq!(back["error"], "invalid_request");
    assert_eq!(back["state"], "st-1");
    let short = format!(
        "/oauth2/authorize?response_type=code&client_id={}&redirect_uri={}&code_challenge_method=S256&code_challenge=abc",
        pool.client,
        encode(CALLBACK)
    );
    assert_eq!(
        query(&location(&b.visit(&short)))["error"],
        "invalid_request"
    );
}

#[test]
fn scopes_response_types_and_providers_follow_the_client() {
    let h = Harness::new();
    let pool = federated_pool(&h, json!({}));
    let mut b = Browser::new(&h);
    let back = |b: &mut Browser, extra: &[(&str, &str)], from: &str, to: &str| {
        let url = authorize_url(&pool, extra).replacen(from, to, 1);
        query(&location(&b.visit(&url)))["error"].clone()
    };
    let scope = "scope=openid%20email%20profile";
    assert_eq!(
        back(&mut b, &[], scope, "scope=openid%20myapi%2Fwrite"),
        "invalid_scope"
    );
    assert_eq!(back(&mut b, &[], scope, "scope=email"), "invalid_scope");
    assert_eq!(
        back(&mut b, &[], "response_type=code", "response_type=token"),
        "unsupported_response_type"
    );
    assert_eq!(
        back(&mut b, &[("identity_provider", "Facebook")], "", ""),
        "invalid_request"
    );
    assert_eq!(
        back(&mut b, &[("prompt", "none")], "", ""),
        "login_required"
    );

    let unknown = authorize_url(&pool, &[]).replace(&pool.client, "nosuchclient");
    let page = b.visit(&unknown);
    assert_eq!(page.status, 400);
    assert!(text(&page).contains("invalid_request"));
}

#[test]
fn the_managed_login_cookie_skips_the_page_until_sign_out() {
    let h = Harness::new();
    let pool = federated_pool(&h, json!({}));
    h.user(&pool, "carol", json!({}));
    let mut b = Browser::new(&h);
    let first = password_sign_in(&mut b, &pool, "carol", &[]);
    let first_auth =
        claims(&redeem(&h, &pool, &first, VERIFIER).1["id_token"])["auth_time"].clone();

    // The session answers at once, with the first sign-in's auth_time; prompt=none too.
    let second = location(&b.visit(&authorize_url(
        &pool,
        &[("prompt", "none"), ("nonce", "n-2")],
    )));
    let (_, tokens) = redeem(&h, &pool, &second, VERIFIER);
    let id = claims(&tokens["id_token"]);
    assert_eq!(id["auth_time"], first_auth);
    assert_eq!(id["nonce"], "n-2");

    // prompt=login asks for the password again.
    assert_eq!(
        b.visit(&authorize_url(&pool, &[("prompt", "login")]))
            .status,
        200
    );

    // Sign-out to an unregistered URL is an error page and keeps the session.
    let bad = format!(
        "/logout?client_id={}&logout_uri={}",
        pool.client,
        encode("https://evil.example/")
    );
    assert_eq!(b.visit(&bad).status, 400);
    assert!(b.cookie.is_some());
    let out = b.visit(&format!(
        "/logout?client_id={}&logout_uri={}",
        pool.client,
        encode(SIGNED_OUT)
    ));
    assert_eq!(location(&out), SIGNED_OUT);
    assert!(b.cookie.is_none());
    assert!(header(&out, "Set-Cookie").unwrap().contains("Max-Age=0"));
    assert_eq!(b.visit(&authorize_url(&pool, &[])).status, 200);

    // A stolen cookie is worthless after sign-out.
    let mut thief = Browser::new(&h);
    let mut victim = Browser::new(&h);
    password_sign_in(&mut victim, &pool, "carol", &[]);
    thief.cookie = victim.cookie.clone();
    victim.visit(&format!(
        "/logout?client_id={}&logout_uri={}",
        pool.client,
        encode(SIGNED_OUT)
    ));
    assert_eq!(thief.visit(&authorize_url(&pool, &[])).status, 200);
}

#[test]
fn google_users_are_made_once_with_identities_and_the_provider_group() {
    let h = Harness::new();
    let pool = federated_pool(&h, json!({}));
    let mut b = Browser::new(&h);
    let sign_in = |b: &mut Browser, hint: &str| {
        let url = authorize_url(
            &pool,
            &[("identity_provider", "Google"), ("login_hint", hint)],
        );
        let callback = location(&b.visit(&url));
        assert_eq!(query(&callback)["state"], "st-1");
        redeem(&h, &pool, &callback, VERIFIER).1
    };
    let tokens = sign_in(&mut b, "gina@gmail.com");
    let id = claims(&tokens["id_token"]);
    let username = id["cognito:username"].as_str().unwrap().to_string();
    assert!(
        username.starts_with("google_") && username.len() == 7 + 21,
        "{username}"
    );
    assert_eq!(id["email"], "gina@gmail.com");
    assert_eq!(id["cognito:groups"], json!([format!("{}_Google", pool.id)]));
    let identities = &id["identities"][0];
    assert_eq!(identities["providerName"], "Google");
    assert_eq!(identities["providerType"], "Google");
    assert_eq!(identities["userId"], username.trim_start_matches("google_"));

    // The same Google account is the same user next time; another one is another user.
    let again = claims(&sign_in(&mut Browser::new(&h), "gina@gmail.com")["id_token"]);
    assert_eq!(again["sub"], id["sub"]);
    let other = claims(&sign_in(&mut Browser::new(&h), "otto@gmail.com")["id_token"]);
    assert_ne!(other["sub"], id["sub"]);

    // Federated users have no password: neither the login page nor the API signs them in with one.
    let page = b.visit(&authorize_url(&pool, &[("prompt", "login")]));
    let id = request_id(&text(&page));
    let refused = b.submit(&[
        ("request", &id),
        ("username", &username),
        ("password", PASSWORD),
    ]);
    assert!(text(&refused).contains("Incorrect username or password."));
    assert!(h.password_auth(&pool, &username, PASSWORD).is_err());
}

#[test]
fn the_provider_page_cancel_and_errors_reach_the_app() {
    let h = Harness::new();
    let pool = federated_pool(&h, json!({}));
    let mut b = Browser::new(&h);

    // Without an identity, the provider shows its page; the form's fields answer it.
    let page = b.visit(&authorize_url(&pool, &[("identity_provider", "Corp")]));
    assert_eq!(page.status, 200);
    let html = text(&page);
    assert!(html.contains("id=\"email\"") && html.contains("id=\"cancel\""));
    let state = html
        .split("name=\"state\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let submitted = format!(
        "/__providers__/Corp/authorize?response_type=code&client_id=cognito-emulator&redirect_uri={}&state={state}&email=dee%40corp.example&name=Dee",
        encode("/oauth2/idpresponse")
    );
    let callback = location(&b.visit(&submitted));
    let id = claims(&redeem(&h, &pool, &callback, VERIFIER).1["id_token"]);
    assert_eq!(id["name"], "Dee");
    assert!(id["cognito:username"]
        .as_str()
        .unwrap()
        .starts_with("corp_"));
    assert_eq!(id["identities"][0]["providerType"], "OIDC");

    // Cancel: access_denied at the app, with its state.
    let page = b.visit(&authorize_url(&pool, &[("identity_provider", "Corp")]));
    let html = text(&page);
    let cancel = html
        .split("id=\"cancel\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let back = query(&location(&b.visit(&cancel)));
    assert_eq!(
        (back["error"].as_str(), back["state"].as_str()),
        ("access_denied", "st-1")
    );

    // A provider error is passed through, and the request is over.
    let url = authorize_url(&pool, &[("identity_provider", "Google")]);
    let to_provider = location(&b.send("GET", &url, ""));
    let failing = format!("{to_provider}&error=server_error&error_description=Provider+down");
    let back = query(&location(&b.visit(&failing)));
    assert_eq!(
        (back["error"].as_str(), back["state"].as_str()),
        ("server_error", "st-1")
    );
    assert_eq!(back["error_description"], "Provider down");
    let retry = format!("{to_provider}&email=late%40gmail.com");
    assert_eq!(b.visit(&retry).status, 400);
}

#[test]
fn totp_users_enter_a_code_on_the_login_page() {
    let h = Harness::new();
    let pool = h.pool(json!({"mfa": "OPTIONAL",
        "clients": [{"oauth": {"callbackUrls": [CALLBACK]}}]}));
    let secret = totp::new_secret();
    h.user(&pool, "tina", json!({"mfa": {"totpSecret": secret}}));
    let mut b = Browser::new(&h);
    let page = b.visit(&authorize_url(&pool, &[]));
    let id = request_id(&text(&page));
    let code_page = b.submit(&[
        ("request", &id),
        ("username", "tina"),
        ("password", PASSWORD),
    ]);
    assert_eq!(code_page.status, 200);
    assert!(text(&code_page).contains("id=\"code\""));
    assert!(b.cookie.is_none());
    let right = totp_now(&secret);
    let again = b.submit(&[("request", &id), ("code", &wrong(&right))]);
    assert!(text(&again).contains("Invalid code"));
    let callback = location(&b.submit(&[("request", &id), ("code", &right)]));
    assert_eq!(redeem(&h, &pool, &callback, VERIFIER).0, 200);
}

#[test]
fn clients_with_a_secret_authenticate_and_revocation_ends_the_session() {
    let h = Harness::new();
    let pool = h.pool(
        json!({"clients": [{"secret": true, "oauth": {"callbackUrls": [CALLBACK],
        "scopes": ["openid", "email"]}}]}),
    );
    h.user(&pool, "sam", json!({}));
    let mut b = Browser::new(&h);
    let callback = password_sign_in(&mut b, &pool, "sam", &[("scope", "openid")]);
    let code = query(&callback)["code"].clone();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", VERIFIER),
    ];
    let secret = pool.secret.clone().unwrap();
    let basic = |secret: &str| {
        Some(format!(
            "Basic {}",
            STANDARD.encode(format!("{}:{secret}", pool.client))
        ))
    };
    let (status, e) = token_request(&h, basic("wrong"), &form);
    assert_eq!((status, e["error"].as_str()), (400, Some("invalid_client")));
    // The failed client authentication did not use the code up.
    let (status, tokens) = token_request(&h, basic(&secret), &form);
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(claims(&tokens["access_token"])["scope"], "openid");
    let access = tokens["access_token"].as_str().unwrap().to_string();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_string();

    // userInfo: 401 for garbage; openid alone shows no email.
    let garbage = user_info(&h, "not-a-token");
    assert_eq!(garbage.status, 401);
    assert!(header(&garbage, "WWW-Authenticate")
        .unwrap()
        .contains("invalid_token"));
    let info: Value = serde_json::from_slice(&user_info(&h, &access).body).unwrap();
    assert!(info.get("email").is_none() && info["username"] == "sam");

    let revoke = |auth: Option<String>, token: &str| {
        let mut headers = vec![];
        if let Some(a) = auth {
            headers.push(("Authorization".to_string(), a));
        }
        handle(
            &h.app,
            "POST",
            "/oauth2/revoke",
            &headers,
            format!("token={}", encode(token)).as_bytes(),
        )
    };
    assert_eq!(revoke(basic("wrong"), &refresh).status, 401);
    assert_eq!(revoke(basic(&secret), &access).status, 400);
    assert_eq!(revoke(basic(&secret), &refresh).status, 200);
    assert_eq!(revoke(basic(&secret), "unknown-token").status, 200);
    let (_, e) = token_request(
        &h,
        basic(&secret),
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
    );
    assert_eq!(e["error"], "invalid_grant");
    assert_eq!(user_info(&h, &access).status, 401);
}

#[test]
fn client_credentials_grant_custom_scopes_to_clients_with_a_secret() {
    let h = Harness::new();
    let pool = h.pool(json!({"clients": [
        {"secret": true, "oauth": {"flows": ["client_credentials"], "scopes": ["api/read", "api/write"]}},
        {"oauth": {"callbackUrls": [CALLBACK]}}
    ]}));
    let basic = Some(format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", pool.client, pool.secret.clone().unwrap()))
    ));
    let (status, t) = token_request(&h, basic.clone(), &[("grant_type", "client_credentials")]);
    assert_eq!(status, 200, "{t}");
    let access = claims(&t["access_token"]);
    assert_eq!(access["sub"], pool.client);
    assert_eq!(access["scope"], "api/read api/write");
    assert!(t.get("id_token").is_none() && t.get("refresh_token").is_none());
    let (_, t) = token_request(
        &h,
        basic.clone(),
        &[("grant_type", "client_credentials"), ("scope", "api/read")],
    );
    assert_eq!(claims(&t["access_token"])["scope"], "api/read");
    let (_, e) = token_request(
        &h,
        basic.clone(),
        &[("grant_type", "client_credentials"), ("scope", "api/admin")],
    );
    assert_eq!(e["error"], "invalid_scope");
    assert_eq!(
        user_info(&h, t["access_token"].as_str().unwrap()).status,
        401
    );
    let (_, e) = token_request(
        &h,
        None,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &pool.client),
        ],
    );
    assert_eq!(e["error"], "invalid_client");
}

#[test]
fn the_discovery_document_lists_the_endpoints() {
    let h = Harness::new();
    let pool = federated_pool(&h, json!({}));
    let (status, doc) = h.http(
        "GET",
        &format!("/{}/.well-known/openid-configuration", pool.id),
        &Value::Null,
    );
    assert_eq!(status, 200, "{doc}");
    for key in [
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "revocation_endpoint",
        "end_session_endpoint",
    ] {
        assert!(
            doc[key].as_str().is_some_and(|u| u.starts_with("http")),
            "{key}: {doc}"
        );
    }
    assert_eq!(doc["code_challenge_methods_supported"], json!(["S256"]));
}

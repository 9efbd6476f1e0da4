//! Every refresh rule, with an injected clock, a fake Cognito and simulated other tabs.

use super::*;
use crate::flows::fake::{srp_input, FakePlatform, FakeSrpServer};
use crate::flows::sign_in::sign_in;
use crate::session::{SessionStore, Storage};
use crate::test_support::{block_on, join_all};

fn config() -> Config {
    Config::new("us-east-1_Pool1", "client1").unwrap()
}

fn options() -> GetSessionOptions {
    GetSessionOptions::for_config(&config())
}

fn forced() -> GetSessionOptions {
    GetSessionOptions { force_refresh: true, ..options() }
}

fn signed_in(server: &FakeSrpServer, config: &Config) -> FakePlatform {
    let p = server.platform();
    block_on(sign_in(&p, config, srp_input("alice", "Passw0rd!"))).unwrap();
    p
}

fn refreshes(p: &FakePlatform) -> usize {
    p.count(Operation::GetTokensFromRefreshToken) + p.count(Operation::InitiateAuth) - 1
}

/// Moves both clocks on by `secs`.
fn advance(p: &FakePlatform, server: &FakeSrpServer, secs: i64) {
    p.now_millis.set(p.now_millis.get() + secs * 1000);
    server.state().now_secs.set(server.state().now_secs.get() + secs);
}

#[test]
fn valid_tokens_make_no_request() {
    let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
    let config = config();
    let p = signed_in(&server, &config);
    let before = p.requests().len();
    let outcome = block_on(config.refresher().get_session(&p, &config, options())).unwrap();
    assert!(matches!(outcome, Outcome::Valid(ref s) if s.username == "uid"));
    assert_eq!(p.requests().len(), before);
}

#[test]
fn tokens_near_expiry_are_refreshed_with_get_tokens_from_refresh_token() {
    let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
    let config = config();
    let p = signed_in(&server, &config);
    let old = block_on(get_session(&p, &config, options())).unwrap().unwrap();
    // 59 minutes and 1 second later: within the 60 s margin.
    advance(&p, &server, 3541);
    let outcome = block_on(config.refresher().get_session(&p, &config, options())).unwrap();
    let Outcome::Refreshed(new) = outcome else { panic!("{outcome:?}") };
    assert_eq!(p.count(Operation::GetTokensFromRefreshToken), 1);
    assert_ne!(new.tokens.access_token, old.tokens.access_token);
    assert_eq!(new.tokens.refresh_token, old.tokens.refresh_token, "no rotation: the refresh token is kept");
    assert_eq!(SessionStore::new(&p.storage, "client1").load().unwrap(), Some(new));
    assert_eq!(*p.announced.borrow(), ["signedIn", "tokenRefresh"]);
}

#[test]
fn a_rotated_refresh_token_replaces_the_old_one() {
    let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
    server.state().rotates.set(true);
    let config = config();
    let p = signed_in(&server, &config);
    let new = block_on(get_session(&p, &config, forced())).unwrap().unwrap();
    assert!(new.tokens.refresh_token.as_deref().is_some_and(|t| t.starts_with("rotated-")));
    let stored = p.storage.get_item("CognitoIdentityServiceProvider.client1.uid.refreshToken").unwrap();
    assert_eq!(stored, new.tokens.refresh_token);
}

#[test]
fn falls_back_to_refresh_token_auth_once_and_remembers() {
    let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
    server.state().legacy_refresh_only.set(true);
    let config = config();
    let p = signed_in(&server, &config);
    block_on(get_session(&p, &config, forced())).unwrap().unwrap();
    block_on(get_session(&p, &config, forced())).unwrap().unwrap();
    assert_eq!(p.count(Operation::GetTokensFromRefreshToken), 1, "asked once, then remembered");
    let legacy: Vec<_> = p.requests().into_iter().filter(|(_, b)| b["AuthFlow"] == "REFRESH_TOKEN_AUTH").collect();
    assert_eq!(legacy.len(), 2);
}

#[test]
fn secret_hash_and_device_key_go_with_the_refresh() {
    let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
    server.state().legacy_refresh_only.set(true);
    server.state().tracks_devices.set(true);
    let config = config().with_client_secret("s3cret").unwrap();
    let p = signed_in(&server, &config);
    block_on(get_session(&p, &config, forced())).unwrap().unwrap();
    let (_, body) = p.requests().into_iter().rev().find(|(op, _)| *op == Operation::GetTokensFromRefreshToken).unwrap();
    assert_eq!((&body["ClientSecret"], &body["DeviceKey"]), (&serde_json::json!("s3cret"), &serde_json::json!("us-east-1_dev-1")));
    let (_, body) = p.requests().pop().unwrap();
    assert_eq!(body["AuthParameters"]["DEVICE_KEY"], "us-east-1_dev-1");
    // SECRET_HASH with the username Cognito knows (cognito:username), not the storage name.
    assert_eq!(body["AuthParameters"]["SECRET_HASH"].as_str(), config.secret_hash("alice").as_deref());
}

#[test]
fn any_number_of_concurrent_calls_make_one_refresh() {
    let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
    let config = config();
    let p = signed_in(&server, &config);
    advance(&p, &server, 3600);
    let calls: Vec<_> = (0..10).map(|_| config.refresher().get_session(&p, &config, options())).collect();
    let outcomes = join_all(calls);
    assert_eq!(refreshes(&p), 1);
    let tokens: Vec<_> = outcomes.into_iter().map(|o| o.unwrap().session().unwrap().tokens.access_token).collect();
    assert!(tokens.windows(2).all(|w| w[0] == w[1]), "every caller got the same tokens");
}

#[test]
fn after_waiting_for_the_lock_another_tabs_tokens_are_used() {
    let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
    let config = config();
    let p = signed_in(&server, &config);
    // Another tab refreshes while this one waits for the lock; its writes arrive during the settle loop.
    advance(&p, &server, 3600);
    let other_tab = server.platform();
    let request = serde_json::json!({"RefreshToken": "refresh-token-1", "ClientId": "client1"});
    let answer = block_on(crate::protocol::call::<_, _, AuthResponse>(&other_tab, Operation::GetTokensFromRefreshToken, &request));
    let fresh_tokens = answer.unwrap().authentication_result.unwrap();
    let id = fresh_tokens.id_token.clone();
    let access = fresh_tokens.access_token.clone();
    *p.on_sleep.borrow_mut() = Some(Box::new(move |storage: &crate::session::MemoryStorage| {
        storage.set_item("CognitoIdentityServiceProvider.client1.uid.idToken", &id).unwrap();
        storage.set_item("CognitoIdentityServiceProvider.client1.uid.accessToken", &access).unwrap();
    }));
    p.lock_contended.set(true);
    let outcome = block_on(config.refresher().get_session(&p, &config, options())).unwrap();
    assert!(matches!(outcome, Outcome::Valid(ref s) if s.tokens.access_token == fresh_tokens.access_token), "{outcome:?}");
    assert_eq!(refreshes(&p), 0, "this tab made no refresh request");
}

#[test]
fn a_refused_refresh_token_that_another_tab_rotated_does_not_sign_out() {
    let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
    let config = config();
    let p = signed_in(&server, &config);
    server.state().refresh_error.set(Some("NotAuthorizedException"));
    *p.on_sleep.borrow_mut() = Some(Box::new(|storage: &crate::session::MemoryStorage| {
        storage.set_item("CognitoIdentityServiceProvider.client1.uid.refreshToken", "rotated-by-other-tab").unwrap();
    }));
    let outcome = block_on(config.refresher().get_session(&p, &config, forced())).unwrap();
    assert!(matches!(outcome, Outcome::Valid(ref s) if s.tokens.refresh_token.as_deref() == Some("rotated-by-other-tab")));
    assert!(!p.storage.snapshot().is_empty());
}

#[test]
fn a_refused_refresh_token_ends_the_session() {
    let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
    let config = config();
    let p = signed_in(&server, &config);
    server.state().refresh_error.set(Some("NotAuthorizedException"));
    assert_eq!(block_on(config.refresher().get_session(&p, &config, forced())).unwrap(), Outcome::Ended);
    let left: Vec<_> = p.storage.snapshot().into_keys().filter(|k| !k.contains("device")).collect();
    assert!(left.is_empty(), "{left:?}");
    assert_eq!(*p.announced.borrow(), ["signedIn", "sessionExpired"]);
}

#[test]
fn passing_failures_keep_the_session() {
    let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
    let config = config();
    let p = signed_in(&server, &config);
    for name in ["TooManyRequestsException", "InternalErrorException"] {
        server.state().refresh_error.set(Some(name));
        let err = block_on(get_session(&p, &config, forced())).unwrap_err();
        assert!(err.retryable(), "{name}");
    }
    server.state().refresh_error.set(None);
    p.offline.set(true);
    let err = block_on(get_session(&p, &config, forced())).unwrap_err();
    assert_eq!(err.name(), "NetworkError");
    p.offline.set(false);
    assert!(block_on(get_session(&p, &config, options())).unwrap().is_some());
}

#[test]
fn device_clock_off_by_an_hour_does_not_trigger_refresh() {
    for offset in [-3_600_000, 3_600_000] {
        let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
        let config = config();
        let p = server.platform();
        p.now_millis.set(p.now_millis.get() + offset);
        block_on(sign_in(&p, &config, srp_input("alice", "Passw0rd!"))).unwrap();
        assert!(block_on(get_session(&p, &config, options())).unwrap().is_some());
        assert_eq!(refreshes(&p), 0, "offset {offset}");
        // …and tokens about to expire on Cognito's clock are refreshed, whatever the device clock says.
        advance(&p, &server, 3550);
        assert!(block_on(get_session(&p, &config, options())).unwrap().is_some());
        assert_eq!(refreshes(&p), 1, "offset {offset}");
    }
}

/// A tab frozen while holding the refresh lock: the wait gives up after its bound with a TimeoutError, and the
/// stored session stays for the next call, which refreshes once the lock is free.
#[test]
fn a_lock_held_past_its_bound_rejects_with_timeout_error_and_keeps_the_session() {
    let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
    let config = config();
    let p = signed_in(&server, &config);
    advance(&p, &server, 3700);
    let stored = p.storage.snapshot();
    p.lock_times_out.set(true);
    let err = block_on(config.refresher().get_session(&p, &config, options())).unwrap_err();
    assert_eq!((err.name(), err.retryable()), ("TimeoutError", true));
    assert_eq!(p.storage.snapshot(), stored);
    assert_eq!(refreshes(&p), 0);
    assert_eq!(*p.lock_timeouts.borrow(), [REFRESH_LOCK_WAIT_MILLIS]);
    p.lock_times_out.set(false);
    assert!(matches!(block_on(config.refresher().get_session(&p, &config, options())), Ok(Outcome::Refreshed(_))));
}

/// Inside the margin (59 min 1 s into a one-hour token): due for a refresh, still valid.
const INSIDE_MARGIN_SECS: i64 = 3541;

/// The lock's timeout is a passing failure like a failed request: inside the margin the still-valid tokens are
/// returned, with the event.
#[test]
fn a_lock_held_past_its_bound_inside_the_margin_returns_the_still_valid_session() {
    let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
    let config = config();
    let p = signed_in(&server, &config);
    advance(&p, &server, INSIDE_MARGIN_SECS);
    let stored = p.storage.snapshot();
    p.lock_times_out.set(true);
    let outcome = block_on(config.refresher().get_session(&p, &config, options())).unwrap();
    assert!(matches!(outcome, Outcome::Valid(_)), "{outcome:?}");
    assert_eq!(*p.announced.borrow(), ["signedIn", "tokenRefreshFailure"]);
    assert_eq!(p.storage.snapshot(), stored);
    assert_eq!(refreshes(&p), 0);
}

#[test]
fn a_passing_failure_inside_the_margin_returns_the_still_valid_session() {
    for failure in ["InternalErrorException", "TooManyRequestsException", "offline"] {
        let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
        let config = config();
        let p = signed_in(&server, &config);
        let stored = p.storage.snapshot();
        advance(&p, &server, INSIDE_MARGIN_SECS);
        match failure {
            "offline" => p.offline.set(true),
            name => server.state().refresh_error.set(Some(name)),
        }
        let requests = p.requests().len();
        let outcome = block_on(config.refresher().get_session(&p, &config, options())).unwrap();
        let Outcome::Valid(session) = outcome else { panic!("{failure}: {outcome:?}") };
        assert_eq!(Some(&session.tokens.access_token), stored.get("CognitoIdentityServiceProvider.client1.uid.accessToken"));
        let sent = if failure == "offline" { 0 } else { 1 };
        assert_eq!(p.requests().len(), requests + sent, "{failure}: one refresh attempt, nothing more");
        assert_eq!(*p.announced.borrow(), ["signedIn", "tokenRefreshFailure"], "{failure}");
        assert_eq!(p.storage.snapshot(), stored, "{failure}: the stored session is untouched");
        // Once Cognito answers again, the next call refreshes.
        p.offline.set(false);
        server.state().refresh_error.set(None);
        assert!(matches!(block_on(config.refresher().get_session(&p, &config, options())).unwrap(), Outcome::Refreshed(_)));
    }
}

#[test]
fn past_expiry_a_passing_failure_rejects_and_keeps_the_session() {
    let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
    let config = config();
    let p = signed_in(&server, &config);
    let stored = p.storage.snapshot();
    advance(&p, &server, 3601);
    server.state().refresh_error.set(Some("InternalErrorException"));
    let err = block_on(config.refresher().get_session(&p, &config, options())).unwrap_err();
    assert!(err.retryable() && err.is_service("InternalErrorException"), "{err:?}");
    assert_eq!(refreshes(&p), 1);
    assert_eq!(*p.announced.borrow(), ["signedIn", "tokenRefreshFailure"], "no signedOut, no sessionExpired");
    assert_eq!(p.storage.snapshot(), stored);
    server.state().refresh_error.set(None);
    assert!(matches!(block_on(config.refresher().get_session(&p, &config, options())).unwrap(), Outcome::Refreshed(_)));
}

#[test]
fn a_transient_500_on_refresh_is_retried_when_retries_are_on() {
    let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
    let config = config();
    let p = signed_in(&server, &config);
    p.retries.set(crate::protocol::RetryPolicy::STANDARD);
    advance(&p, &server, INSIDE_MARGIN_SECS);
    server.state().refresh_outage.set(1);
    let outcome = block_on(config.refresher().get_session(&p, &config, options())).unwrap();
    assert!(matches!(outcome, Outcome::Refreshed(_)), "{outcome:?}");
    assert_eq!(p.count(Operation::GetTokensFromRefreshToken), 2, "one extra request");
    assert_eq!(*p.announced.borrow(), ["signedIn", "tokenRefresh"]);
}

#[test]
fn a_refresh_with_a_device_cognito_no_longer_knows_drops_it_and_refreshes_without() {
    for legacy in [false, true] {
        let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
        server.state().tracks_devices.set(true);
        server.state().legacy_refresh_only.set(legacy);
        let config = config();
        let p = signed_in(&server, &config);
        assert!(p.storage.snapshot().contains_key("CognitoIdentityServiceProvider.client1.uid.deviceKey"));
        server.state().forget_device();
        let outcome = block_on(config.refresher().get_session(&p, &config, forced())).unwrap();
        assert!(matches!(outcome, Outcome::Refreshed(_)), "legacy {legacy}: {outcome:?}");
        let sent: Vec<_> = p
            .requests()
            .into_iter()
            .filter(|(op, b)| *op == Operation::GetTokensFromRefreshToken || b["AuthFlow"] == "REFRESH_TOKEN_AUTH")
            .map(|(_, b)| b["DeviceKey"].as_str().or(b["AuthParameters"]["DEVICE_KEY"].as_str()).map(str::to_owned))
            .collect();
        let dead = Some("us-east-1_dev-1".to_owned());
        let expected = if legacy { vec![dead.clone(), dead, None] } else { vec![dead, None] };
        assert_eq!(sent, expected, "legacy {legacy}");
        let left: Vec<_> = p.storage.snapshot().into_keys().filter(|k| k.contains("device") || k.contains("Device")).collect();
        assert!(left.is_empty(), "legacy {legacy}: {left:?}");
        assert_eq!(*p.announced.borrow(), ["signedIn", "tokenRefresh"], "the session is kept");
    }
}

/// A refresh whose answer comes back after the user signed out in this page writes nothing back.
#[test]
fn a_refresh_answered_after_sign_out_saves_nothing() {
    let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
    let config = config();
    let armed = std::rc::Rc::new(std::cell::Cell::new(false));
    let (trigger, page) = (armed.clone(), config.clone());
    let p = server.platform_with(move |p, op| {
        if op == Operation::GetTokensFromRefreshToken && trigger.replace(false) {
            block_on(crate::flows::sign_out::sign_out(p, &page, false)).unwrap();
        }
    });
    block_on(sign_in(&*p, &config, srp_input("alice", "Passw0rd!"))).unwrap();
    advance(&p, &server, INSIDE_MARGIN_SECS);
    armed.set(true);
    let outcome = block_on(config.refresher().get_session(&*p, &config, options())).unwrap();
    assert_eq!(outcome, Outcome::SignedOut);
    assert_eq!(p.count(Operation::RevokeToken), 1);
    assert!(p.storage.snapshot().is_empty(), "{:?}", p.storage.snapshot());
    assert_eq!(*p.announced.borrow(), ["signedIn", "signedOut"]);
    assert_eq!(block_on(get_session(&*p, &config, options())).unwrap(), None);
}

/// A refresh answered after the user signed out and in again (the same user, so the stored username matches)
/// leaves the new session alone, and a refresh asked for meanwhile does its own instead of taking the old one's
/// outcome.
#[test]
fn a_refresh_from_before_a_sign_out_and_sign_in_leaves_the_new_session_alone() {
    let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
    let config = config();
    let armed = std::rc::Rc::new(std::cell::Cell::new(false));
    let during = std::rc::Rc::new(std::cell::RefCell::new(None));
    let (trigger, page, seen) = (armed.clone(), config.clone(), during.clone());
    let p = server.platform_with(move |p, op| {
        if op == Operation::GetTokensFromRefreshToken && trigger.replace(false) {
            block_on(crate::flows::sign_out::sign_out(p, &page, false)).unwrap();
            block_on(sign_in(p, &page, srp_input("alice", "Passw0rd!"))).unwrap();
            *seen.borrow_mut() = Some(block_on(page.refresher().get_session(p, &page, forced())));
        }
    });
    block_on(sign_in(&*p, &config, srp_input("alice", "Passw0rd!"))).unwrap();
    armed.set(true);
    let outcome = block_on(config.refresher().get_session(&*p, &config, forced())).unwrap();
    assert_eq!(outcome, Outcome::SignedOut);
    let meanwhile = during.borrow_mut().take().unwrap().unwrap();
    let Outcome::Refreshed(newer) = meanwhile else { panic!("{meanwhile:?}") };
    let stored = SessionStore::new(&p.storage, "client1").load().unwrap().unwrap();
    assert_eq!(stored.tokens.access_token, newer.tokens.access_token, "the old refresh wrote nothing back");
}

/// …and likewise when another tab signed out meanwhile (only its storage writes show here).
#[test]
fn a_refresh_answered_after_another_tab_signed_out_saves_nothing() {
    let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
    let config = config();
    let armed = std::rc::Rc::new(std::cell::Cell::new(false));
    let trigger = armed.clone();
    let p = server.platform_with(move |p, op| {
        if op == Operation::GetTokensFromRefreshToken && trigger.replace(false) {
            SessionStore::new(&p.storage, "client1").clear("uid").unwrap();
        }
    });
    block_on(sign_in(&*p, &config, srp_input("alice", "Passw0rd!"))).unwrap();
    let outcome = block_on(config.refresher().get_session(&*p, &config, { armed.set(true); forced() })).unwrap();
    assert_eq!(outcome, Outcome::SignedOut);
    assert!(p.storage.snapshot().is_empty(), "{:?}", p.storage.snapshot());
    assert_eq!(*p.announced.borrow(), ["signedIn"]);
}

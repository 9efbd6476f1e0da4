//! End-to-end tests of the operations through `dispatch`, with a real SRP client computation.

use base64::Engine;
use serde_json::{json, Value};

use super::dispatch;
use crate::app::{test_app, App};
use crate::cli::Config;
use crate::errors::{CognitoError, ErrorKind};
use crate::srp::{self, test_client::Client};
use crate::timestamp;
use crate::util;

const CLIENT: &str = "emulatorclient0000000000000";
const OTHER_CLIENT: &str = "otherclient";
const PASSWORD: &str = "Passw0rd!";

fn app_with(prevent: bool) -> App {
    test_app(Config {
        client_ids: vec![CLIENT.into(), OTHER_CLIENT.into()],
        prevent_user_existence_errors: prevent,
        ..Config::default()
    })
}

fn call(app: &App, op: &str, body: Value) -> Result<Value, CognitoError> {
    dispatch(app, op, body.to_string().as_bytes())
}

fn err(result: Result<Value, CognitoError>) -> (ErrorKind, String) {
    match result {
        Ok(v) => panic!("expected an error, got {v}"),
        Err(e) => (e.kind, e.message),
    }
}

fn sign_up(app: &App, username: &str) -> Value {
    call(
        app,
        "SignUp",
        json!({"ClientId": CLIENT, "Username": username, "Password": PASSWORD,
               "UserAttributes": [{"Name": "email", "Value": format!("{}@example.com", username.to_lowercase())}]}),
    )
    .unwrap()
}

fn code_for(app: &App, username: &str) -> String {
    app.store()
        .pool(crate::cli::DEFAULT_POOL_ID)
        .unwrap()
        .user(username)
        .unwrap()
        .codes
        .last()
        .unwrap()
        .code
        .clone()
}

fn confirmed_user(app: &App, username: &str) -> String {
    let sub = sign_up(app, username)["UserSub"]
        .as_str()
        .unwrap()
        .to_string();
    let code = code_for(app, username);
    call(
        app,
        "ConfirmSignUp",
        json!({"ClientId": CLIENT, "Username": username, "ConfirmationCode": code}),
    )
    .unwrap();
    sub
}

struct Srp {
    init: Value,
    client: Client,
}

fn start_srp(app: &App, username: &str) -> Result<Srp, CognitoError> {
    let client = Client::new();
    let init = call(
        app,
        "InitiateAuth",
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": CLIENT,
               "AuthParameters": {"USERNAME": username, "SRP_A": client.big_a.to_str_radix(16)}}),
    )?;
    Ok(Srp { init, client })
}

impl Srp {
    fn param(&self, name: &str) -> String {
        self.init["ChallengeParameters"][name]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The official client's answer: USERNAME = USER_ID_FOR_SRP, with the Session.
    fn answer(&self, password: &str, timestamp: &str, with_session: bool) -> Value {
        let id = self.param("USER_ID_FOR_SRP");
        let block_b64 = self.param("SECRET_BLOCK");
        let block = base64::engine::general_purpose::STANDARD
            .decode(&block_b64)
            .unwrap();
        let sig = self.client.signature(
            &srp::parse_hex(&self.param("SRP_B")).unwrap(),
            &srp::parse_hex(&self.param("SALT")).unwrap(),
            "Emul4tor",
            &id,
            password,
            &block,
            timestamp,
        );
        let mut body = json!({"ClientId": CLIENT, "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": {
            "USERNAME": id, "PASSWORD_CLAIM_SECRET_BLOCK": block_b64,
            "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": timestamp}});
        if with_session {
            body["Session"] = self.init["Session"].clone();
        }
        body
    }
}

fn now_ts() -> String {
    timestamp::format(util::now() as i64)
}

fn srp_sign_in(app: &App, username: &str, password: &str) -> Result<Value, CognitoError> {
    let srp = start_srp(app, username)?;
    call(
        app,
        "RespondToAuthChallenge",
        srp.answer(password, &now_ts(), true),
    )
}

fn claims(token: &str) -> Value {
    crate::tokens::peek_claims(token).unwrap()
}

#[test]
fn sign_up_confirm_and_srp_sign_in() {
    let app = app_with(false);
    let r = sign_up(&app, "Alice");
    assert_eq!(r["UserConfirmed"], false);
    assert_eq!(
        r["CodeDeliveryDetails"],
        json!({"Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"})
    );
    let sub = r["UserSub"].as_str().unwrap().to_string();

    // usernames are case-insensitive
    let dup = call(
        &app,
        "SignUp",
        json!({"ClientId": CLIENT, "Username": "ALICE", "Password": PASSWORD,
        "UserAttributes": [{"Name": "email", "Value": "x@example.com"}]}),
    );
    assert_eq!(
        err(dup),
        (ErrorKind::UsernameExists, "User already exists".into())
    );

    // unconfirmed: the status is only revealed once the password is proven
    assert_eq!(
        err(srp_sign_in(&app, "alice", PASSWORD)).0,
        ErrorKind::UserNotConfirmed
    );
    assert_eq!(
        err(srp_sign_in(&app, "alice", "Wr0ng!pass")).0,
        ErrorKind::NotAuthorized
    );

    let code = code_for(&app, "alice");
    let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
    let r = call(
        &app,
        "ConfirmSignUp",
        json!({"ClientId": CLIENT, "Username": "alice", "ConfirmationCode": wrong}),
    );
    assert_eq!(
        err(r),
        (
            ErrorKind::CodeMismatch,
            "Invalid verification code provided, please try again.".into()
        )
    );
    let r = call(
        &app,
        "ConfirmSignUp",
        json!({"ClientId": CLIENT, "Username": "aLiCe", "ConfirmationCode": code}),
    );
    assert!(r.unwrap()["Session"].is_string());
    let again = call(
        &app,
        "ConfirmSignUp",
        json!({"ClientId": CLIENT, "Username": "alice", "ConfirmationCode": code}),
    );
    assert_eq!(
        err(again),
        (
            ErrorKind::NotAuthorized,
            "User cannot be confirmed. Current status is CONFIRMED".into()
        )
    );

    let srp = start_srp(&app, "ALICE").unwrap();
    assert_eq!(srp.init["ChallengeName"], "PASSWORD_VERIFIER");
    // A plain pool: USERNAME and USER_ID_FOR_SRP are both the username as created (not the sub, not as typed).
    assert_eq!(srp.param("USER_ID_FOR_SRP"), "Alice");
    assert_eq!(srp.param("USERNAME"), "Alice");
    assert_ne!(srp.param("USER_ID_FOR_SRP"), sub);
    let r = call(
        &app,
        "RespondToAuthChallenge",
        srp.answer(PASSWORD, &now_ts(), true),
    )
    .unwrap();
    assert_eq!(r["ChallengeParameters"], json!({}));
    let auth = &r["AuthenticationResult"];
    assert_eq!(auth["TokenType"], "Bearer");
    assert_eq!(auth["ExpiresIn"], 3600);
    assert!(auth["RefreshToken"].as_str().unwrap().len() >= 86);
    let id = claims(auth["IdToken"].as_str().unwrap());
    assert_eq!(id["sub"], sub.as_str());
    assert_eq!(id["cognito:username"], "Alice");
    assert_eq!(id["email"], "alice@example.com");
    assert_eq!(id["email_verified"], true);
    assert_eq!(id["aud"], CLIENT);
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["iss"], "http://127.0.0.1:1/us-east-1_Emul4tor");
    let access = claims(auth["AccessToken"].as_str().unwrap());
    assert_eq!(access["client_id"], CLIENT);
    assert_eq!(access["username"], "Alice");
    assert_eq!(access["scope"], "aws.cognito.signin.user.admin");
    assert_eq!(access["origin_jti"], id["origin_jti"]);
    assert_eq!(access["event_id"], id["event_id"]);
    assert!(app
        .store()
        .key(crate::cli::DEFAULT_POOL_ID)
        .unwrap()
        .verify(auth["AccessToken"].as_str().unwrap())
        .is_ok());

    // the session is single use
    let replay = call(
        &app,
        "RespondToAuthChallenge",
        srp.answer(PASSWORD, &now_ts(), true),
    );
    assert_eq!(
        err(replay),
        (
            ErrorKind::NotAuthorized,
            "Invalid session for the user, session is expired.".into()
        )
    );

    // answering without a Session (as some clients do) works through the secret block
    let srp = start_srp(&app, "alice").unwrap();
    assert!(call(
        &app,
        "RespondToAuthChallenge",
        srp.answer(PASSWORD, &now_ts(), false)
    )
    .is_ok());

    // USERNAME may also be the username itself
    let srp = start_srp(&app, "alice").unwrap();
    let mut answer = srp.answer(PASSWORD, &now_ts(), true);
    answer["ChallengeResponses"]["USERNAME"] = json!("alice");
    assert!(call(&app, "RespondToAuthChallenge", answer).is_ok());

    // GetUser
    let access_token = auth["AccessToken"].as_str().unwrap();
    let user = call(&app, "GetUser", json!({"AccessToken": access_token})).unwrap();
    assert_eq!(user["Username"], "Alice");
    let attrs = user["UserAttributes"].as_array().unwrap();
    assert!(attrs.contains(&json!({"Name": "sub", "Value": sub})));
    assert!(attrs.contains(&json!({"Name": "email", "Value": "alice@example.com"})));
    assert!(attrs.contains(&json!({"Name": "email_verified", "Value": "true"})));
}

#[test]
fn srp_rejections() {
    let app = app_with(false);
    confirmed_user(&app, "bob");

    let srp = start_srp(&app, "bob").unwrap();
    let r = call(
        &app,
        "RespondToAuthChallenge",
        srp.answer("Wr0ng!pass", &now_ts(), true),
    );
    assert_eq!(
        err(r),
        (
            ErrorKind::NotAuthorized,
            "Incorrect username or password.".into()
        )
    );

    let srp = start_srp(&app, "bob").unwrap();
    let r = call(
        &app,
        "RespondToAuthChallenge",
        srp.answer(PASSWORD, "2026-11-05T09:05:07Z", true),
    );
    assert_eq!(
        err(r),
        (
            ErrorKind::InvalidParameter,
            "TIMESTAMP format is invalid".into()
        )
    );

    let srp = start_srp(&app, "bob").unwrap();
    let skewed = timestamp::format(util::now() as i64 - 3600);
    let r = call(
        &app,
        "RespondToAuthChallenge",
        srp.answer(PASSWORD, &skewed, true),
    );
    assert_eq!(err(r).0, ErrorKind::NotAuthorized);

    // zero-padded day is accepted too
    let srp = start_srp(&app, "bob").unwrap();
    let ts = now_ts();
    let parts: Vec<&str> = ts.split(' ').collect();
    let padded = format!(
        "{} {} {:0>2} {} {} {}",
        parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]
    );
    assert!(call(
        &app,
        "RespondToAuthChallenge",
        srp.answer(PASSWORD, &padded, true)
    )
    .is_ok());

    // tampered secret block
    let srp = start_srp(&app, "bob").unwrap();
    let mut answer = srp.answer(PASSWORD, &now_ts(), true);
    answer["ChallengeResponses"]["PASSWORD_CLAIM_SECRET_BLOCK"] = json!("AAAA");
    assert_eq!(
        err(call(&app, "RespondToAuthChallenge", answer)).0,
        ErrorKind::NotAuthorized
    );

    // missing challenge response
    let srp = start_srp(&app, "bob").unwrap();
    let mut answer = srp.answer(PASSWORD, &now_ts(), true);
    answer["ChallengeResponses"]
        .as_object_mut()
        .unwrap()
        .remove("TIMESTAMP");
    assert_eq!(
        err(call(&app, "RespondToAuthChallenge", answer)),
        (
            ErrorKind::InvalidParameter,
            "Missing required parameter TIMESTAMP".into()
        )
    );

    // A ≡ 0 mod N, and junk A
    for bad in [srp::group().n.to_str_radix(16), "0".into(), "xyz".into()] {
        let r = call(
            &app,
            "InitiateAuth",
            json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": CLIENT,
            "AuthParameters": {"USERNAME": "bob", "SRP_A": bad}}),
        );
        assert_eq!(err(r).0, ErrorKind::InvalidParameter);
    }

    // unknown user
    assert_eq!(
        err(start_srp(&app, "nobody").map(|s| s.init)),
        (ErrorKind::UserNotFound, "User does not exist.".into())
    );
}

#[test]
fn user_existence_error_prevention() {
    let app = app_with(true);
    let srp = start_srp(&app, "ghost").unwrap();
    assert_eq!(srp.init["ChallengeName"], "PASSWORD_VERIFIER");
    let again = start_srp(&app, "ghost").unwrap();
    assert_eq!(
        srp.param("SALT"),
        again.param("SALT"),
        "decoy must be stable per username"
    );
    let r = call(
        &app,
        "RespondToAuthChallenge",
        srp.answer(PASSWORD, &now_ts(), true),
    );
    assert_eq!(
        err(r),
        (
            ErrorKind::NotAuthorized,
            "Incorrect username or password.".into()
        )
    );
    let r = call(
        &app,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": CLIENT,
        "AuthParameters": {"USERNAME": "ghost", "PASSWORD": PASSWORD}}),
    );
    assert_eq!(
        err(r),
        (
            ErrorKind::NotAuthorized,
            "Incorrect username or password.".into()
        )
    );
}

#[test]
fn password_auth_refresh_and_revocation() {
    let app = app_with(false);
    confirmed_user(&app, "carol");
    let login = |pw: &str| {
        call(
            &app,
            "InitiateAuth",
            json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": CLIENT,
            "AuthParameters": {"USERNAME": "Carol", "PASSWORD": pw}}),
        )
    };
    assert_eq!(
        err(login("Wr0ng!pass")),
        (
            ErrorKind::NotAuthorized,
            "Incorrect username or password.".into()
        )
    );
    let first = login(PASSWORD).unwrap()["AuthenticationResult"].clone();
    let second = login(PASSWORD).unwrap()["AuthenticationResult"].clone();
    let refresh_token = first["RefreshToken"].as_str().unwrap();

    let refresh = |flow: &str, client: &str, token: &str| {
        call(
            &app,
            "InitiateAuth",
            json!({"AuthFlow": flow, "ClientId": client,
            "AuthParameters": {"REFRESH_TOKEN": token}}),
        )
    };
    let r = refresh("REFRESH_TOKEN_AUTH", CLIENT, refresh_token).unwrap();
    let auth = &r["AuthenticationResult"];
    assert!(auth.get("RefreshToken").is_none());
    assert_eq!(auth["TokenType"], "Bearer");
    let id = claims(auth["IdToken"].as_str().unwrap());
    assert_eq!(
        id["origin_jti"],
        claims(first["IdToken"].as_str().unwrap())["origin_jti"]
    );
    assert!(refresh("REFRESH_TOKEN", CLIENT, refresh_token).is_ok());
    assert_eq!(
        err(refresh("REFRESH_TOKEN_AUTH", OTHER_CLIENT, refresh_token)),
        (ErrorKind::NotAuthorized, "Invalid Refresh Token".into())
    );
    assert_eq!(
        err(refresh("REFRESH_TOKEN_AUTH", CLIENT, "bogus")),
        (ErrorKind::NotAuthorized, "Invalid Refresh Token".into())
    );

    // RevokeToken: access tokens are not accepted; the refresh token and its descendants are revoked
    let r = call(
        &app,
        "RevokeToken",
        json!({"ClientId": CLIENT, "Token": first["AccessToken"]}),
    );
    assert_eq!(err(r).0, ErrorKind::UnsupportedTokenType);
    assert!(call(
        &app,
        "RevokeToken",
        json!({"ClientId": CLIENT, "Token": refresh_token})
    )
    .is_ok());
    assert_eq!(
        err(refresh("REFRESH_TOKEN_AUTH", CLIENT, refresh_token)),
        (
            ErrorKind::NotAuthorized,
            "Refresh Token has been revoked".into()
        )
    );
    for token in [&first["AccessToken"], &auth["AccessToken"]] {
        assert_eq!(
            err(call(&app, "GetUser", json!({"AccessToken": token}))),
            (
                ErrorKind::NotAuthorized,
                "Access Token has been revoked".into()
            )
        );
    }
    // the other session is untouched
    assert!(call(
        &app,
        "GetUser",
        json!({"AccessToken": second["AccessToken"]})
    )
    .is_ok());

    // GlobalSignOut revokes everything
    assert!(call(
        &app,
        "GlobalSignOut",
        json!({"AccessToken": second["AccessToken"]})
    )
    .is_ok());
    assert_eq!(
        err(call(
            &app,
            "GetUser",
            json!({"AccessToken": second["AccessToken"]})
        )),
        (
            ErrorKind::NotAuthorized,
            "Access Token has been revoked".into()
        )
    );
    assert_eq!(
        err(refresh(
            "REFRESH_TOKEN_AUTH",
            CLIENT,
            second["RefreshToken"].as_str().unwrap()
        )),
        (
            ErrorKind::NotAuthorized,
            "Refresh Token has been revoked".into()
        )
    );
}

#[test]
fn access_token_checks() {
    let app = app_with(false);
    let sub = confirmed_user(&app, "dave");
    let now = util::now();
    let key = app
        .store()
        .key(crate::cli::DEFAULT_POOL_ID)
        .unwrap()
        .clone();
    let issuer = app.issuer(crate::cli::DEFAULT_POOL_ID);
    let expired = key.sign(
        &json!({"sub": sub, "iss": issuer, "token_use": "access", "username": "dave",
        "client_id": CLIENT, "origin_jti": "x", "exp": now - 10, "iat": now - 100}),
    );
    assert_eq!(
        err(call(&app, "GetUser", json!({"AccessToken": expired}))),
        (ErrorKind::NotAuthorized, "Access Token has expired".into())
    );
    let id_token = key.sign(
        &json!({"sub": sub, "iss": issuer, "token_use": "id", "username": "dave",
        "exp": now + 100, "iat": now}),
    );
    for bad in [id_token.as_str(), "garbage", "a.b.c"] {
        assert_eq!(
            err(call(&app, "GetUser", json!({"AccessToken": bad}))),
            (ErrorKind::NotAuthorized, "Invalid Access Token".into())
        );
    }
}

#[test]
fn sign_up_validation() {
    let app = app_with(false);
    let attempt = |body: Value| err(call(&app, "SignUp", body));
    assert_eq!(
        attempt(json!({"ClientId": CLIENT, "Username": "eve"})),
        (
            ErrorKind::InvalidParameter,
            "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null"
                .into()
        )
    );
    assert!(attempt(json!({}))
        .1
        .starts_with("3 validation errors detected: "));
    assert_eq!(
        attempt(json!({"ClientId": "nope", "Username": "eve", "Password": PASSWORD})),
        (
            ErrorKind::ResourceNotFound,
            "User pool client nope does not exist.".into()
        )
    );
    let with = |pw: &str, attrs: Value| {
        attempt(
            json!({"ClientId": CLIENT, "Username": "eve", "Password": pw, "UserAttributes": attrs}),
        )
    };
    let email = json!([{"Name": "email", "Value": "eve@example.com"}]);
    assert_eq!(
        with("password", email.clone()),
        (
            ErrorKind::InvalidPassword,
            "Password did not conform with policy: Password must have uppercase characters".into()
        )
    );
    assert_eq!(
        with(PASSWORD, json!([{"Name": "email", "Value": "nope"}])).1,
        "Invalid email address format."
    );
    assert_eq!(
        with(PASSWORD, json!([{"Name": "shoe_size", "Value": "9"}])).0,
        ErrorKind::InvalidParameter
    );
    assert_eq!(
        with(
            PASSWORD,
            json!([{"Name": "email_verified", "Value": "true"}])
        )
        .0,
        ErrorKind::NotAuthorized
    );
    assert_eq!(with(PASSWORD, json!([])).0, ErrorKind::InvalidParameter);
    assert_eq!(
        with(PASSWORD, json!([{"Value": "x"}])).0,
        ErrorKind::InvalidParameter
    );
    assert_eq!(
        with(" Passw0rd!", email.clone()).0,
        ErrorKind::InvalidParameter
    );
    assert_eq!(
        attempt(json!({"ClientId": CLIENT, "Username": 5, "Password": PASSWORD})).0,
        ErrorKind::Serialization
    );
    assert_eq!(
        err(dispatch(&app, "SignUp", b"{nope")).0,
        ErrorKind::Serialization
    );
    assert_eq!(
        err(dispatch(&app, "SignUp", b"[]")).0,
        ErrorKind::Serialization
    );
    assert_eq!(
        err(dispatch(&app, "DeleteEverything", b"{}")).0,
        ErrorKind::UnknownOperation
    );

    // phone-only sign-up goes by SMS
    let r = call(
        &app,
        "SignUp",
        json!({"ClientId": CLIENT, "Username": "frank", "Password": PASSWORD,
        "UserAttributes": [{"Name": "phone_number", "Value": "+15551234567"}]}),
    )
    .unwrap();
    assert_eq!(
        r["CodeDeliveryDetails"],
        json!({"Destination": "+*******4567", "DeliveryMedium": "SMS", "AttributeName": "phone_number"})
    );
}

#[test]
fn resend_and_confirm_errors() {
    let app = app_with(false);
    sign_up(&app, "gina");
    let old = code_for(&app, "gina");
    let r = call(
        &app,
        "ResendConfirmationCode",
        json!({"ClientId": CLIENT, "Username": "gina"}),
    )
    .unwrap();
    assert_eq!(r["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    let new = code_for(&app, "gina");
    if new != old {
        let r = call(
            &app,
            "ConfirmSignUp",
            json!({"ClientId": CLIENT, "Username": "gina", "ConfirmationCode": old}),
        );
        assert_eq!(err(r).0, ErrorKind::CodeMismatch);
    }
    // expired code
    app.store()
        .pool_mut(crate::cli::DEFAULT_POOL_ID)
        .unwrap()
        .user_mut("gina")
        .unwrap()
        .codes
        .last_mut()
        .unwrap()
        .expires_at = 0;
    let r = call(
        &app,
        "ConfirmSignUp",
        json!({"ClientId": CLIENT, "Username": "gina", "ConfirmationCode": new}),
    );
    assert_eq!(err(r).0, ErrorKind::ExpiredCode);

    let r = call(
        &app,
        "ConfirmSignUp",
        json!({"ClientId": CLIENT, "Username": "nobody", "ConfirmationCode": "123456"}),
    );
    assert_eq!(
        err(r),
        (
            ErrorKind::UserNotFound,
            "Username/client id combination not found.".into()
        )
    );
    let r = call(
        &app,
        "ResendConfirmationCode",
        json!({"ClientId": CLIENT, "Username": "nobody"}),
    );
    assert_eq!(err(r).0, ErrorKind::UserNotFound);
    confirmed_user(&app, "hank");
    let r = call(
        &app,
        "ResendConfirmationCode",
        json!({"ClientId": CLIENT, "Username": "hank"}),
    );
    assert_eq!(
        err(r),
        (
            ErrorKind::InvalidParameter,
            "User is already confirmed.".into()
        )
    );
}

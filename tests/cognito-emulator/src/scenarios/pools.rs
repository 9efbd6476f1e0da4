use serde_json::{json, Value};

use crate::app::App;
use crate::cli::Config;
use crate::harness::{claims, Harness, PASSWORD};

#[test]
fn pools_get_their_own_ids_clients_keys_and_issuers() {
    let h = Harness::new();
    let a = h.pool(json!({}));
    let b = h.pool(json!({"clients": [{"secret": true}, {}]}));
    assert_ne!(a.id, b.id);
    assert!(a.id.starts_with("us-east-1_") && a.id.len() == "us-east-1_".len() + 9);
    assert!(
        a.client.len() == 26
            && a.client
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    );
    assert!(a.secret.is_none());
    assert_eq!(b.secret.as_deref().map(str::len), Some(51));
    let (_, created) = h.http(
        "POST",
        "/__emulator__/pools",
        &json!({"clients": [{}, {"secret": true}]}),
    );
    assert_eq!(created["clients"].as_array().unwrap().len(), 2);
    assert!(created["clients"][0]["clientSecret"].is_null());

    for pool in [&a, &b] {
        let (status, jwks) = h.http(
            "GET",
            &format!("/{}/.well-known/jwks.json", pool.id),
            &Value::Null,
        );
        assert_eq!(status, 200);
        assert_eq!(jwks["keys"][0]["alg"], "RS256");
    }
    // the default pool and its client still work
    let (status, _) = h.http(
        "GET",
        "/us-east-1_Emul4tor/.well-known/jwks.json",
        &Value::Null,
    );
    assert_eq!(status, 200);

    h.user(&a, "alice", json!({}));
    h.user(
        &b,
        "alice",
        json!({"attributes": {"phone_number": "+15551234567"}}),
    );
    let tokens = h.password_auth(&a, "alice", PASSWORD).unwrap();
    let id = claims(&tokens["AuthenticationResult"]["IdToken"]);
    assert_eq!(id["iss"], format!("http://127.0.0.1:1/{}", a.id));
    assert_eq!(id["aud"], a.client.as_str());
    assert_eq!(id["email_verified"], true);
    // a user of one pool is unknown in the other pool's client
    h.user(&a, "bob", json!({}));
    assert_eq!(
        h.password_auth(&b, "bob", PASSWORD).unwrap_err().0,
        "UserNotFoundException"
    );
    // the access token of pool a works for GetUser (routed by its issuer)
    let user = h.ok(
        "GetUser",
        json!({"AccessToken": tokens["AuthenticationResult"]["AccessToken"]}),
    );
    assert_eq!(user["Username"], "alice");

    // per-pool request counts, and the global ones
    let (_, counts) = h.http(
        "GET",
        &format!("/__emulator__/requests?poolId={}", a.id),
        &Value::Null,
    );
    assert_eq!(counts, json!({"InitiateAuth": 1, "GetUser": 1}));
    let (_, counts) = h.http(
        "GET",
        &format!("/__emulator__/requests?poolId={}", b.id),
        &Value::Null,
    );
    assert_eq!(counts, json!({"InitiateAuth": 1}));
    let (_, all) = h.http("GET", "/__emulator__/requests", &Value::Null);
    assert_eq!(all["InitiateAuth"], 2);
}

#[test]
fn pool_and_user_requests_are_validated() {
    let h = Harness::new();
    for bad in [
        json!({"mfa": "SOMETIMES"}),
        json!({"bogus": 1}),
        json!({"mfa": "ON", "mfaTypes": []}),
        json!({"clients": [{"retryGracePeriodSeconds": 61}]}),
        json!({"firstAuthFactors": []}),
    ] {
        let (status, v) = h.http("POST", "/__emulator__/pools", &bad);
        assert_eq!(status, 400, "{bad} → {v}");
        assert_eq!(v["__type"], "InvalidParameterException");
    }
    let pool = h.pool(json!({}));
    let post = |body: Value| h.http("POST", "/__emulator__/users", &body);
    assert_eq!(post(json!({"poolId": pool.id, "username": "u"})).0, 400);
    assert_eq!(post(json!({"poolId": pool.id, "username": "u", "password": PASSWORD, "temporaryPassword": PASSWORD})).0, 400);
    assert_eq!(
        post(json!({"poolId": pool.id, "username": "u", "password": "weak"})).1["__type"],
        "InvalidPasswordException"
    );
    assert_eq!(
        post(json!({"poolId": "us-east-1_nope", "username": "u", "password": PASSWORD})).1
            ["__type"],
        "ResourceNotFoundException"
    );
    assert_eq!(post(json!({"poolId": pool.id, "username": "u", "password": PASSWORD, "mfa": {"totpSecret": "!!"}})).0, 400);
    assert_eq!(post(json!({"poolId": pool.id, "username": "u", "password": PASSWORD, "attributes": {"email": "bad"}})).0, 400);
    let (status, v) = post(json!({"poolId": pool.id, "username": "u", "password": PASSWORD}));
    assert_eq!(status, 200);
    assert_eq!(v["username"], "u");
    assert_eq!(v["sub"].as_str().map(str::len), Some(36));
    assert_eq!(
        post(json!({"poolId": pool.id, "username": "U", "password": PASSWORD})).1["__type"],
        "UsernameExistsException"
    );
    // without poolId the user goes to the default pool
    assert_eq!(
        post(json!({"username": "dflt", "password": PASSWORD})).0,
        200
    );
    let r = h.op(
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": crate::cli::DEFAULT_CLIENT_ID,
        "AuthParameters": {"USERNAME": "dflt", "PASSWORD": PASSWORD}}),
    );
    assert!(r.is_ok(), "{r:?}");
    // CORS on the test-only endpoints
    let reply = crate::http::handle(&h.app, "POST", "/__emulator__/pools", &[], b"{}");
    assert_eq!(reply.header("Access-Control-Allow-Origin"), Some("*"));
}

#[test]
fn state_file_keeps_every_pool() {
    let dir =
        std::env::temp_dir().join(format!("cognito-emulator-pools-{}", crate::util::uuid_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = Config {
        state_file: Some(dir.join("state.json")),
        ..Config::default()
    };
    let fresh =
        || -> crate::app::KeySource { Box::new(|| crate::tokens::SigningKey::generate(2048)) };
    let h = Harness {
        app: App::new(config.clone(), "http://127.0.0.1:1", fresh()).unwrap(),
    };
    let pool = h.pool(json!({"mfa": "OPTIONAL", "clients": [{"secret": true}]}));
    h.user(&pool, "keeper", json!({}));
    let jwks = h
        .http(
            "GET",
            &format!("/{}/.well-known/jwks.json", pool.id),
            &Value::Null,
        )
        .1;
    let default_jwks = h
        .http(
            "GET",
            "/us-east-1_Emul4tor/.well-known/jwks.json",
            &Value::Null,
        )
        .1;
    assert_ne!(jwks, default_jwks, "every pool has its own signing key");
    drop(h);
    let again = Harness {
        app: App::new(
            config,
            "http://127.0.0.1:1",
            Box::new(|| panic!("no new key on reload")),
        )
        .unwrap(),
    };
    assert_eq!(
        again
            .http(
                "GET",
                &format!("/{}/.well-known/jwks.json", pool.id),
                &Value::Null
            )
            .1,
        jwks
    );
    assert!(again.password_auth(&pool, "keeper", PASSWORD).is_ok());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn codes_endpoint_reports_purpose_and_pool() {
    let h = Harness::new();
    let pool = h.pool(json!({}));
    h.user(&pool, "carol", json!({}));
    h.ok(
        "ForgotPassword",
        json!({"ClientId": pool.client, "Username": "carol"}),
    );
    let code = h.code(&pool, "carol");
    assert_eq!(code["purpose"], "FORGOT_PASSWORD");
    assert_eq!(code["deliveryMedium"], "EMAIL");
    assert_eq!(code["destination"], "c***@e***");
    assert_eq!(code["attributeName"], "email");
    assert_eq!(code["poolId"], pool.id.as_str());
    let (status, _) = h.http(
        "GET",
        "/__emulator__/codes/carol?poolId=us-east-1_Emul4tor",
        &Value::Null,
    );
    assert_eq!(status, 404);
    let (status, v) = h.http("GET", "/__emulator__/codes/carol", &Value::Null);
    assert_eq!((status, v["code"].clone()), (200, code["code"].clone()));
    let (status, _) = h.http(
        "GET",
        "/__emulator__/codes/carol?purpose=SIGN_UP",
        &Value::Null,
    );
    assert_eq!(status, 404);
}

#[test]
fn secret_hash_is_required_and_checked() {
    let h = Harness::new();
    let pool = h.pool(json!({"clients": [{"secret": true}]}));
    let hash = pool.hash("sam").unwrap();
    let signup = |hash: Option<&str>| {
        let mut body = json!({"ClientId": pool.client, "Username": "sam", "Password": PASSWORD,
            "UserAttributes": [{"Name": "email", "Value": "sam@example.com"}]});
        if let Some(h) = hash {
            body["SecretHash"] = json!(h);
        }
        h.op("SignUp", body)
    };
    assert_eq!(
        signup(None).unwrap_err(),
        (
            "NotAuthorizedException".into(),
            format!(
                "Client {} is configured with secret but SECRET_HASH was not received",
                pool.client
            )
        )
    );
    assert_eq!(
        signup(Some("AAAA")).unwrap_err(),
        (
            "NotAuthorizedException".into(),
            format!("Unable to verify secret hash for client {}", pool.client)
        )
    );
    signup(Some(&hash)).unwrap();
    let code = h.code_text(&pool, "sam");
    assert_eq!(
        h.err(
            "ResendConfirmationCode",
            json!({"ClientId": pool.client, "Username": "sam"})
        )
        .0,
        "NotAuthorizedException"
    );
    h.ok(
        "ResendConfirmationCode",
        json!({"ClientId": pool.client, "Username": "sam", "SecretHash": hash}),
    );
    let code2 = h.code_text(&pool, "sam");
    assert_eq!(
        h.err(
            "ConfirmSignUp",
            json!({"ClientId": pool.client, "Username": "sam", "ConfirmationCode": code2})
        )
        .0,
        "NotAuthorizedException"
    );
    let _ = code;
    h.ok("ConfirmSignUp", json!({"ClientId": pool.client, "Username": "sam", "ConfirmationCode": code2, "SecretHash": hash}));

    // InitiateAuth: missing, wrong, right
    let init = |params: Value| {
        h.op("InitiateAuth", json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": pool.client, "AuthParameters": params}))
    };
    assert_eq!(
        init(json!({"USERNAME": "sam", "PASSWORD": PASSWORD}))
            .unwrap_err()
            .0,
        "NotAuthorizedException"
    );
    assert!(
        init(json!({"USERNAME": "sam", "PASSWORD": PASSWORD, "SECRET_HASH": "x"}))
            .unwrap_err()
            .1
            .starts_with("Unable to verify")
    );
    let tokens = h.password_auth(&pool, "sam", PASSWORD).unwrap()["AuthenticationResult"].clone();
    // SRP with the hash computed over USER_ID_FOR_SRP in RespondToAuthChallenge
    assert!(
        h.srp_sign_in(&pool, "sam", PASSWORD, None).unwrap()["AuthenticationResult"].is_object()
    );

    // refresh: SECRET_HASH over cognito:username only
    let refresh = |hash: Option<String>| {
        let mut params = json!({"REFRESH_TOKEN": tokens["RefreshToken"]});
        if let Some(h) = hash {
            params["SECRET_HASH"] = json!(h);
        }
        h.op("InitiateAuth", json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": pool.client, "AuthParameters": params}))
    };
    assert_eq!(refresh(None).unwrap_err().0, "NotAuthorizedException");
    let sub = claims(&tokens["IdToken"])["sub"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(refresh(pool.hash("sam")).is_ok());
    assert_eq!(
        refresh(pool.hash(&sub)).unwrap_err(),
        (
            "NotAuthorizedException".to_string(),
            format!("Unable to verify secret hash for client {}", pool.client)
        )
    );

    // ForgotPassword needs it too
    assert_eq!(
        h.err(
            "ForgotPassword",
            json!({"ClientId": pool.client, "Username": "sam"})
        )
        .0,
        "NotAuthorizedException"
    );
    h.ok(
        "ForgotPassword",
        json!({"ClientId": pool.client, "Username": "sam", "SecretHash": hash}),
    );
    let code = h.code_text(&pool, "sam");
    assert_eq!(h.err("ConfirmForgotPassword", json!({"ClientId": pool.client, "Username": "sam", "ConfirmationCode": code, "Password": "N3w!Passw0rd"})).0, "NotAuthorizedException");
    h.ok("ConfirmForgotPassword", json!({"ClientId": pool.client, "Username": "sam", "ConfirmationCode": code, "Password": "N3w!Passw0rd", "SecretHash": hash}));

    // RevokeToken needs the client secret
    assert_eq!(
        h.err(
            "RevokeToken",
            json!({"ClientId": pool.client, "Token": tokens["RefreshToken"]})
        )
        .0,
        "NotAuthorizedException"
    );
    h.ok("RevokeToken", json!({"ClientId": pool.client, "Token": tokens["RefreshToken"], "ClientSecret": pool.secret}));
    assert_eq!(
        refresh(pool.hash("sam")).unwrap_err().1,
        "Refresh Token has been revoked"
    );
}

#[test]
fn refresh_token_rotation() {
    let h = Harness::new();
    let pool =
        h.pool(json!({"clients": [{"refreshTokenRotation": true, "retryGracePeriodSeconds": 0}]}));
    h.user(&pool, "rita", json!({}));
    let first = h.password_auth(&pool, "rita", PASSWORD).unwrap()["AuthenticationResult"].clone();
    let e = h.err(
        "InitiateAuth",
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": pool.client,
        "AuthParameters": {"REFRESH_TOKEN": first["RefreshToken"]}}),
    );
    assert_eq!(e.0, "NotAuthorizedException");
    let rotated = h.ok(
        "GetTokensFromRefreshToken",
        json!({"ClientId": pool.client, "RefreshToken": first["RefreshToken"]}),
    );
    let next = rotated["AuthenticationResult"]["RefreshToken"]
        .as_str()
        .unwrap();
    assert_ne!(next, first["RefreshToken"].as_str().unwrap());
    // with a grace period of 0 the old token is refused at once, even within the same second
    assert_eq!(
        h.err(
            "GetTokensFromRefreshToken",
            json!({"ClientId": pool.client, "RefreshToken": first["RefreshToken"]})
        )
        .1,
        "Refresh Token has been revoked"
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    // the old token stays gone; the new one works
    assert_eq!(
        h.err(
            "GetTokensFromRefreshToken",
            json!({"ClientId": pool.client, "RefreshToken": first["RefreshToken"]})
        )
        .1,
        "Refresh Token has been revoked"
    );
    assert!(h
        .op(
            "GetTokensFromRefreshToken",
            json!({"ClientId": pool.client, "RefreshToken": next})
        )
        .is_ok());
}

#[test]
fn refresh_token_rotation_grace_period_lets_the_old_token_be_retried() {
    let h = Harness::new();
    let pool =
        h.pool(json!({"clients": [{"refreshTokenRotation": true, "retryGracePeriodSeconds": 30}]}));
    h.user(&pool, "gina", json!({}));
    let first = h.password_auth(&pool, "gina", PASSWORD).unwrap()["AuthenticationResult"].clone();
    let body = json!({"ClientId": pool.client, "RefreshToken": first["RefreshToken"]});
    h.ok("GetTokensFromRefreshToken", body.clone());
    // a retry with the old token within the grace period still succeeds
    assert!(h.op("GetTokensFromRefreshToken", body).is_ok());
}

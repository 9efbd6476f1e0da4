//! The three kinds of pools and the one internal username each gives a user: plain pools (the username as
//! created), pools with UsernameAttributes (sign in with the email or phone; the username is a UUID, the
//! sub) and pools with AliasAttributes (sign in with the username or a verified alias; the username stays
//! the chosen one). ChallengeParameters USERNAME and USER_ID_FOR_SRP, `cognito:username`, the access
//! token's `username` and GetUser's Username all carry it, and the SRP verifier is computed over it.

use serde_json::{json, Value};

use crate::harness::{claims, DeviceSecrets, Harness, Pool, PASSWORD};
use crate::srp::test_client::Client;

/// USER_SRP_AUTH's PASSWORD_VERIFIER challenge for `typed`.
fn srp_challenge(h: &Harness, pool: &Pool, typed: &str) -> (Client, Value) {
    let client = Client::new();
    let mut params = json!({"USERNAME": typed, "SRP_A": client.big_a.to_str_radix(16)});
    if let Some(hash) = pool.hash(typed) {
        params["SECRET_HASH"] = json!(hash);
    }
    let init = h.ok(
        "InitiateAuth",
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": pool.client, "AuthParameters": params}),
    );
    (client, init)
}

/// The PASSWORD_VERIFIER answer (without USERNAME) signed for `id`.
fn claim(pool: &Pool, client: &Client, challenge: &Value, id: &str) -> Value {
    use base64::Engine;
    let p = &challenge["ChallengeParameters"];
    let ts = crate::timestamp::format(crate::util::now() as i64);
    let block = p["SECRET_BLOCK"].as_str().unwrap();
    let sig = client.signature(
        &crate::srp::parse_hex(p["SRP_B"].as_str().unwrap()).unwrap(),
        &crate::srp::parse_hex(p["SALT"].as_str().unwrap()).unwrap(),
        pool.name(),
        id,
        PASSWORD,
        &base64::engine::general_purpose::STANDARD
            .decode(block)
            .unwrap(),
        &ts,
    );
    json!({"PASSWORD_CLAIM_SECRET_BLOCK": block, "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts})
}

/// Signs in by SRP as `typed` and checks that every place shows `internal`; returns the tokens.
fn sign_in_shows(h: &Harness, pool: &Pool, typed: &str, internal: &str) -> Value {
    let (client, init) = srp_challenge(h, pool, typed);
    let p = &init["ChallengeParameters"];
    assert_eq!(p["USERNAME"], internal, "{init}");
    assert_eq!(p["USER_ID_FOR_SRP"], internal, "{init}");
    // The harness signs over USER_ID_FOR_SRP: success proves the verifier is computed over it.
    let done = h
        .answer_password_verifier(pool, &client, &init, PASSWORD, None)
        .unwrap();
    let auth = done["AuthenticationResult"].clone();
    assert_eq!(claims(&auth["IdToken"])["cognito:username"], internal);
    assert_eq!(claims(&auth["AccessToken"])["username"], internal);
    let me = h.ok("GetUser", json!({"AccessToken": auth["AccessToken"]}));
    assert_eq!(me["Username"], internal);
    auth
}

fn password_auth_name(h: &Harness, pool: &Pool, typed: &str) -> Result<Value, (String, String)> {
    h.password_auth(pool, typed, PASSWORD)
        .map(|r| claims(&r["AuthenticationResult"]["IdToken"])["cognito:username"].clone())
}

/// Signs in once to get a device, confirms it, and signs in again through DEVICE_SRP_AUTH.
fn device_sign_in_works(h: &Harness, pool: &Pool, typed: &str, internal: &str) {
    let first = sign_in_shows(h, pool, typed, internal);
    let meta = &first["NewDeviceMetadata"];
    let secrets = DeviceSecrets {
        key: meta["DeviceKey"].as_str().unwrap().to_string(),
        group: meta["DeviceGroupKey"].as_str().unwrap().to_string(),
        password: "ZGV2aWNlLXBhc3N3b3Jk".into(),
    };
    h.ok(
        "ConfirmDevice",
        json!({"AccessToken": first["AccessToken"], "DeviceKey": secrets.key,
               "DeviceSecretVerifierConfig": secrets.verifier_config()}),
    );
    let c = h
        .srp_sign_in(pool, typed, PASSWORD, Some(&secrets.key))
        .unwrap();
    assert_eq!(c["ChallengeName"], "DEVICE_SRP_AUTH", "{c}");
    assert_eq!(c["ChallengeParameters"]["USERNAME"], internal);
    let done = secrets.authenticate(h, pool, &c, internal).unwrap();
    let access = claims(&done["AuthenticationResult"]["AccessToken"]);
    assert_eq!(access["device_key"], secrets.key.as_str());
    assert_eq!(access["username"], internal);
}

#[test]
fn plain_pool_uses_the_username_as_created() {
    let h = Harness::new();
    let pool = h.pool(json!({"deviceTracking": "ALWAYS"}));
    let sub = h.user(&pool, "Alice", json!({}));
    let auth = sign_in_shows(&h, &pool, "ALICE", "Alice");
    assert_eq!(claims(&auth["IdToken"])["sub"], sub.as_str());
    assert_eq!(password_auth_name(&h, &pool, "alice"), Ok(json!("Alice")));
    // No aliases: the email is not a sign-in name, nor is the sub.
    assert_eq!(
        h.password_auth(&pool, "Alice@example.com", PASSWORD)
            .unwrap_err()
            .0,
        "UserNotFoundException"
    );
    assert_eq!(
        h.password_auth(&pool, &sub, PASSWORD).unwrap_err().0,
        "UserNotFoundException"
    );
    // An email-shaped username is fine in a plain pool.
    h.user(
        &pool,
        "eve@example.com",
        json!({"attributes": {"email": "eve@example.com"}}),
    );
    assert_eq!(
        password_auth_name(&h, &pool, "eve@example.com"),
        Ok(json!("eve@example.com"))
    );
    device_sign_in_works(&h, &pool, "alice", "Alice");
}

#[test]
fn email_username_pool_gives_users_a_uuid_username() {
    let h = Harness::new();
    let pool = h.pool(json!({"usernameAttributes": ["email"], "deviceTracking": "ALWAYS"}));
    // SignUp takes the email as Username; the username is a new UUID, the sub.
    let up = h.ok(
        "SignUp",
        json!({"ClientId": pool.client, "Username": "Bob@Example.com", "Password": PASSWORD}),
    );
    let sub = up["UserSub"].as_str().unwrap().to_string();
    let code = h.code(&pool, "bob@example.com");
    assert_eq!(code["username"], sub.as_str());
    assert_eq!(code["deliveryMedium"], "EMAIL");
    h.ok(
        "ConfirmSignUp",
        json!({"ClientId": pool.client, "Username": "bob@example.com", "ConfirmationCode": code["code"]}),
    );
    let auth = sign_in_shows(&h, &pool, "bob@example.com", &sub);
    let id = claims(&auth["IdToken"]);
    assert_eq!(id["sub"], sub.as_str());
    assert_eq!(id["email"], "Bob@Example.com");
    // The UUID signs in too.
    assert_eq!(password_auth_name(&h, &pool, &sub), Ok(json!(sub)));
    // One account per email; the Username must be an email.
    assert_eq!(
        h.err(
            "SignUp",
            json!({"ClientId": pool.client, "Username": "BOB@example.com", "Password": PASSWORD})
        ),
        (
            "UsernameExistsException".to_string(),
            "An account with the given email already exists.".to_string()
        )
    );
    assert_eq!(
        h.err(
            "SignUp",
            json!({"ClientId": pool.client, "Username": "bob", "Password": PASSWORD,
                   "UserAttributes": [{"Name": "email", "Value": "bob2@example.com"}]})
        ),
        (
            "InvalidParameterException".to_string(),
            "Username should be an email.".to_string()
        )
    );
    // The test endpoint creates users the same way.
    let (status, created) = h.http(
        "POST",
        "/__emulator__/users",
        &json!({"poolId": pool.id, "username": "carl@example.com", "password": PASSWORD}),
    );
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["username"], created["sub"]);
    let carl = created["sub"].as_str().unwrap().to_string();
    device_sign_in_works(&h, &pool, "carl@example.com", &carl);
    // ForgotPassword by email.
    let sent = h.ok(
        "ForgotPassword",
        json!({"ClientId": pool.client, "Username": "carl@example.com"}),
    );
    assert_eq!(sent["CodeDeliveryDetails"]["AttributeName"], "email");
}

#[test]
fn phone_username_pool() {
    let h = Harness::new();
    let pool = h.pool(json!({"usernameAttributes": ["email", "phone_number"]}));
    let (status, created) = h.http(
        "POST",
        "/__emulator__/users",
        &json!({"poolId": pool.id, "username": "+15550001111", "password": PASSWORD}),
    );
    assert_eq!(status, 200, "{created}");
    let sub = created["sub"].as_str().unwrap().to_string();
    let auth = sign_in_shows(&h, &pool, "+15550001111", &sub);
    assert_eq!(claims(&auth["IdToken"])["phone_number"], "+15550001111");
    assert_eq!(
        h.err(
            "SignUp",
            json!({"ClientId": pool.client, "Username": "someone", "Password": PASSWORD})
        )
        .1,
        "Username should be either an email or a phone number."
    );
}

#[test]
fn alias_pool_keeps_the_chosen_username() {
    let h = Harness::new();
    let pool = h.pool(json!({"aliasAttributes": ["email", "preferred_username"],
                             "deviceTracking": "ALWAYS"}));
    // The test endpoint's email is verified: an alias at once.
    h.user(&pool, "carol", json!({}));
    sign_in_shows(&h, &pool, "carol", "carol");
    let auth = sign_in_shows(&h, &pool, "CAROL@example.com", "carol");
    assert_eq!(
        password_auth_name(&h, &pool, "carol@example.com"),
        Ok(json!("carol"))
    );
    // RespondToAuthChallenge may name the user by the alias too (the claim is still over USER_ID_FOR_SRP).
    let (client, init) = srp_challenge(&h, &pool, "carol@example.com");
    let responses = claim(&pool, &client, &init, "carol");
    let done = h
        .respond(&pool, &init, "carol@example.com", responses)
        .unwrap();
    assert_eq!(
        claims(&done["AuthenticationResult"]["IdToken"])["cognito:username"],
        "carol"
    );
    // … but not by another user's name.
    h.user(&pool, "other", json!({}));
    let (client, init) = srp_challenge(&h, &pool, "carol");
    let responses = claim(&pool, &client, &init, "carol");
    assert_eq!(
        h.respond(&pool, &init, "other", responses).unwrap_err().0,
        "NotAuthorizedException"
    );

    // A new, unverified email is no alias; once verified it is.
    let access = auth["AccessToken"].clone();
    h.ok(
        "UpdateUserAttributes",
        json!({"AccessToken": access, "UserAttributes": [{"Name": "email", "Value": "c2@example.com"}]}),
    );
    for name in ["c2@example.com", "carol@example.com"] {
        assert_eq!(
            h.password_auth(&pool, name, PASSWORD).unwrap_err().0,
            "UserNotFoundException",
            "{name}"
        );
    }
    let code = h.code_text(&pool, "carol");
    h.ok(
        "VerifyUserAttribute",
        json!({"AccessToken": access, "AttributeName": "email", "Code": code}),
    );
    assert_eq!(
        password_auth_name(&h, &pool, "c2@example.com"),
        Ok(json!("carol"))
    );

    // preferred_username: an alias of a confirmed user.
    h.ok(
        "UpdateUserAttributes",
        json!({"AccessToken": access, "UserAttributes": [{"Name": "preferred_username", "Value": "Caz"}]}),
    );
    assert_eq!(password_auth_name(&h, &pool, "caz"), Ok(json!("carol")));
    // Not for an unconfirmed user.
    h.ok(
        "SignUp",
        json!({"ClientId": pool.client, "Username": "dan", "Password": PASSWORD,
               "UserAttributes": [{"Name": "email", "Value": "dan@example.com"},
                                  {"Name": "preferred_username", "Value": "danny"}]}),
    );
    assert_eq!(
        h.password_auth(&pool, "danny", PASSWORD).unwrap_err().0,
        "UserNotFoundException"
    );
    // Usernames in an alias's format are refused.
    assert_eq!(
        h.err(
            "SignUp",
            json!({"ClientId": pool.client, "Username": "x@example.com", "Password": PASSWORD,
                   "UserAttributes": [{"Name": "email", "Value": "x@example.com"}]})
        ),
        (
            "InvalidParameterException".to_string(),
            "Username cannot be of email format, since user pool is configured for email alias."
                .to_string()
        )
    );
    device_sign_in_works(&h, &pool, "c2@example.com", "carol");
}

#[test]
fn sign_in_attributes_are_checked_when_the_pool_is_made() {
    let h = Harness::new();
    let (status, v) = h.http(
        "POST",
        "/__emulator__/pools",
        &json!({"usernameAttributes": ["email"], "aliasAttributes": ["email"]}),
    );
    assert_eq!(status, 400, "{v}");
    assert_eq!(v["__type"], "InvalidParameterException");
}

#[test]
fn secret_hash_is_over_the_name_cognito_hashes() {
    let h = Harness::new();
    let pool = h.pool(json!({"aliasAttributes": ["email"], "clients": [{"secret": true}]}));
    h.user(&pool, "fay", json!({}));
    let refused = (
        "NotAuthorizedException".to_string(),
        format!("Unable to verify secret hash for client {}", pool.client),
    );
    let init = |typed: &str, hashed: &str| {
        h.op(
            "InitiateAuth",
            json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": pool.client,
                   "AuthParameters": {"USERNAME": typed, "PASSWORD": PASSWORD,
                                      "SECRET_HASH": pool.hash(hashed)}}),
        )
    };
    // InitiateAuth: over USERNAME as sent — the alias, not the internal username.
    let tokens =
        init("fay@example.com", "fay@example.com").unwrap()["AuthenticationResult"].clone();
    assert_eq!(init("fay@example.com", "fay").unwrap_err(), refused);
    assert_eq!(init("fay", "fay@example.com").unwrap_err(), refused);

    // RespondToAuthChallenge: over the USERNAME of ChallengeResponses.
    let (client, challenge) = srp_challenge(&h, &pool, "fay@example.com");
    let answer = claim(&pool, &client, &challenge, "fay");
    let respond = |username: &str, hashed: &str| {
        let mut responses = answer.clone();
        responses["USERNAME"] = json!(username);
        responses["SECRET_HASH"] = json!(pool.hash(hashed));
        h.op(
            "RespondToAuthChallenge",
            json!({"ClientId": pool.client, "ChallengeName": "PASSWORD_VERIFIER",
                   "Session": challenge["Session"], "ChallengeResponses": responses}),
        )
    };
    // A refused hash does not use the session up (the client is checked before the session).
    assert_eq!(respond("fay", "fay@example.com").unwrap_err(), refused);
    assert_eq!(respond("fay@example.com", "fay").unwrap_err(), refused);
    assert!(respond("fay@example.com", "fay@example.com").is_ok());

    // REFRESH_TOKEN_AUTH: over the internal username, not the alias the user signed in with.
    let refresh = |hashed: &str| {
        h.op(
            "InitiateAuth",
            json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": pool.client,
                   "AuthParameters": {"REFRESH_TOKEN": tokens["RefreshToken"],
                                      "SECRET_HASH": pool.hash(hashed)}}),
        )
    };
    assert!(refresh("fay").is_ok());
    assert_eq!(refresh("fay@example.com").unwrap_err(), refused);

    // SignUp / ConfirmSignUp / ForgotPassword: over Username as sent.
    let sign_up = |hashed: &str| {
        h.op(
            "SignUp",
            json!({"ClientId": pool.client, "Username": "gus", "Password": PASSWORD,
                   "SecretHash": pool.hash(hashed),
                   "UserAttributes": [{"Name": "email", "Value": "gus@example.com"}]}),
        )
    };
    assert_eq!(sign_up("Gus").unwrap_err(), refused);
    assert!(sign_up("gus").is_ok());
    let forgot = |typed: &str, hashed: &str| {
        h.op(
            "ForgotPassword",
            json!({"ClientId": pool.client, "Username": typed, "SecretHash": pool.hash(hashed)}),
        )
    };
    assert_eq!(forgot("fay@example.com", "fay").unwrap_err(), refused);
    assert!(forgot("fay@example.com", "fay@example.com").is_ok());
}

#[test]
fn email_pool_refresh_hash_is_over_the_uuid() {
    let h = Harness::new();
    let pool = h.pool(json!({"usernameAttributes": ["email"], "clients": [{"secret": true}]}));
    let sub = h.user(&pool, "hal@example.com", json!({"attributes": {}}));
    let tokens = h.password_auth(&pool, "hal@example.com", PASSWORD).unwrap()
        ["AuthenticationResult"]
        .clone();
    let refresh = |hashed: &str| {
        h.op(
            "InitiateAuth",
            json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": pool.client,
                   "AuthParameters": {"REFRESH_TOKEN": tokens["RefreshToken"],
                                      "SECRET_HASH": pool.hash(hashed)}}),
        )
    };
    assert!(refresh(&sub).is_ok());
    assert_eq!(
        refresh("hal@example.com").unwrap_err().0,
        "NotAuthorizedException"
    );
}

#[test]
fn default_pool_can_sign_in_with_email() {
    use crate::cli::{Config, DEFAULT_CLIENT_ID};
    use crate::pool::SignInAttribute;
    let h = Harness {
        app: crate::app::test_app(Config {
            username_attributes: vec![SignInAttribute::Email],
            ..Config::default()
        }),
    };
    let up = h.ok(
        "SignUp",
        json!({"ClientId": DEFAULT_CLIENT_ID, "Username": "ida@example.com", "Password": PASSWORD}),
    );
    let sub = up["UserSub"].as_str().unwrap();
    let code = h.code(
        &Pool {
            id: crate::cli::DEFAULT_POOL_ID.into(),
            client: DEFAULT_CLIENT_ID.into(),
            secret: None,
        },
        "ida@example.com",
    );
    assert_eq!(code["username"], sub);
}

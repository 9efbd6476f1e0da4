use serde_json::{json, Value};

use crate::harness::{claims, Harness, PASSWORD};
use crate::srp::test_client::Client;

const NEW_PASSWORD: &str = "N3w!Passw0rd";

#[test]
fn new_password_required_for_admin_created_users() {
    let h = Harness::new();
    let pool = h.pool(json!({"requiredAttributes": ["email", "given_name"]}));
    h.user(
        &pool,
        "temp",
        json!({"password": null, "temporaryPassword": "Temp0rary!"}),
    );
    assert_eq!(
        h.password_auth(&pool, "temp", "Wr0ng!pass").unwrap_err().1,
        "Incorrect username or password."
    );
    let c = h.srp_sign_in(&pool, "temp", "Temp0rary!", None).unwrap();
    assert_eq!(c["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    let p = &c["ChallengeParameters"];
    let current: Value = serde_json::from_str(p["userAttributes"].as_str().unwrap()).unwrap();
    assert_eq!(
        current,
        json!({"email": "temp@example.com", "email_verified": "true"})
    );
    let required: Vec<String> =
        serde_json::from_str(p["requiredAttributes"].as_str().unwrap()).unwrap();
    assert_eq!(required, vec!["userAttributes.given_name"]);

    let e = h
        .respond(
            &pool,
            &c,
            "temp",
            json!({"NEW_PASSWORD": "weakpass", "userAttributes.given_name": "T"}),
        )
        .unwrap_err();
    assert_eq!(e.0, "InvalidPasswordException");
    let c = h.password_auth(&pool, "temp", "Temp0rary!").unwrap();
    let e = h
        .respond(&pool, &c, "temp", json!({"NEW_PASSWORD": NEW_PASSWORD}))
        .unwrap_err();
    assert_eq!(
        e,
        (
            "InvalidParameterException".into(),
            "Invalid attributes given, given_name is missing".into()
        )
    );
    let c = h.password_auth(&pool, "temp", "Temp0rary!").unwrap();
    let e = h.respond(&pool, &c, "temp", json!({"NEW_PASSWORD": NEW_PASSWORD, "userAttributes.given_name": "T", "userAttributes.email_verified": "true"})).unwrap_err();
    assert_eq!(e.0, "NotAuthorizedException");
    let c = h.password_auth(&pool, "temp", "Temp0rary!").unwrap();
    let done = h
        .respond(
            &pool,
            &c,
            "temp",
            json!({"NEW_PASSWORD": NEW_PASSWORD, "userAttributes.given_name": "Tess"}),
        )
        .unwrap();
    assert_eq!(
        claims(&done["AuthenticationResult"]["IdToken"])["given_name"],
        "Tess"
    );
    assert!(h.password_auth(&pool, "temp", "Temp0rary!").is_err());
    assert!(
        h.srp_sign_in(&pool, "temp", NEW_PASSWORD, None).unwrap()["AuthenticationResult"]
            .is_object()
    );

    // then MFA when the pool requires it
    let mfa_pool = h.pool(json!({"mfa": "ON"}));
    h.user(&mfa_pool, "temp2", json!({"password": null, "temporaryPassword": "Temp0rary!", "attributes": {"email": "t@example.com", "phone_number": "+15550001111"}}));
    let c = h.password_auth(&mfa_pool, "temp2", "Temp0rary!").unwrap();
    assert_eq!(c["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    assert_eq!(c["ChallengeParameters"]["requiredAttributes"], "[]");
    let next = h
        .respond(
            &mfa_pool,
            &c,
            "temp2",
            json!({"NEW_PASSWORD": NEW_PASSWORD}),
        )
        .unwrap();
    assert_eq!(next["ChallengeName"], "SMS_MFA");
}

fn custom_pool(h: &Harness) -> crate::harness::Pool {
    h.pool(json!({"customAuth": {"challenges": [
        {"parameters": {"question": "What is 2+2?"}, "answer": "4"},
        {"parameters": {"question": "Capital of France?"}, "answer": "Paris"}], "maxAttempts": 2}}))
}

#[test]
fn custom_auth_without_srp() {
    let h = Harness::new();
    let plain = h.pool(json!({}));
    h.user(&plain, "cust", json!({}));
    let e = h.err("InitiateAuth", json!({"AuthFlow": "CUSTOM_AUTH", "ClientId": plain.client, "AuthParameters": {"USERNAME": "cust"}}));
    assert_eq!(
        e,
        (
            "InvalidParameterException".into(),
            "Custom auth lambda trigger is not configured for the user pool.".into()
        )
    );

    let pool = custom_pool(&h);
    h.user(&pool, "cust", json!({}));
    let start = || {
        h.ok(
            "InitiateAuth",
            json!({"AuthFlow": "CUSTOM_AUTH", "ClientId": pool.client,
        "AuthParameters": {"USERNAME": "cust"}, "ClientMetadata": {"source": "test"}}),
        )
    };
    let first = start();
    assert_eq!(first["ChallengeName"], "CUSTOM_CHALLENGE");
    assert_eq!(
        first["ChallengeParameters"],
        json!({"question": "What is 2+2?", "USERNAME": "cust"})
    );
    // a wrong answer asks the same round again, with a new session
    let again = h
        .respond(&pool, &first, "cust", json!({"ANSWER": "5"}))
        .unwrap();
    assert_eq!(again["ChallengeParameters"]["question"], "What is 2+2?");
    assert_ne!(again["Session"], first["Session"]);
    let second = h
        .respond(&pool, &again, "cust", json!({"ANSWER": "4"}))
        .unwrap();
    assert_eq!(
        second["ChallengeParameters"]["question"],
        "Capital of France?"
    );
    let done = h
        .respond(&pool, &second, "cust", json!({"ANSWER": "Paris"}))
        .unwrap();
    assert!(done["AuthenticationResult"]["AccessToken"].is_string());

    // maxAttempts wrong answers fail the sign-in
    let first = start();
    let again = h
        .respond(&pool, &first, "cust", json!({"ANSWER": "1"}))
        .unwrap();
    let e = h
        .respond(&pool, &again, "cust", json!({"ANSWER": "2"}))
        .unwrap_err();
    assert_eq!(
        e,
        (
            "NotAuthorizedException".into(),
            "Incorrect username or password.".into()
        )
    );
}

#[test]
fn custom_auth_with_srp() {
    let h = Harness::new();
    let pool = custom_pool(&h);
    h.user(&pool, "srpcust", json!({}));
    let client = Client::new();
    let init = h.ok("InitiateAuth", json!({"AuthFlow": "CUSTOM_AUTH", "ClientId": pool.client,
        "AuthParameters": {"USERNAME": "srpcust", "SRP_A": client.big_a.to_str_radix(16), "CHALLENGE_NAME": "SRP_A"}}));
    assert_eq!(init["ChallengeName"], "PASSWORD_VERIFIER");
    let first = h
        .answer_password_verifier(&pool, &client, &init, PASSWORD, None)
        .unwrap();
    assert_eq!(first["ChallengeName"], "CUSTOM_CHALLENGE");
    let second = h
        .respond(&pool, &first, "srpcust", json!({"ANSWER": "4"}))
        .unwrap();
    let done = h
        .respond(&pool, &second, "srpcust", json!({"ANSWER": "Paris"}))
        .unwrap();
    assert!(done["AuthenticationResult"].is_object());
    // a wrong password never reaches the custom rounds
    let client = Client::new();
    let init = h.ok("InitiateAuth", json!({"AuthFlow": "CUSTOM_AUTH", "ClientId": pool.client,
        "AuthParameters": {"USERNAME": "srpcust", "SRP_A": client.big_a.to_str_radix(16), "CHALLENGE_NAME": "SRP_A"}}));
    assert_eq!(
        h.answer_password_verifier(&pool, &client, &init, "Wr0ng!pass", None)
            .unwrap_err()
            .0,
        "NotAuthorizedException"
    );
}

fn user_auth(
    h: &Harness,
    pool: &crate::harness::Pool,
    params: Value,
) -> Result<Value, crate::harness::Failure> {
    h.op(
        "InitiateAuth",
        json!({"AuthFlow": "USER_AUTH", "ClientId": pool.client, "AuthParameters": params}),
    )
}

#[test]
fn choice_based_sign_in() {
    let h = Harness::new();
    let pool = h
        .pool(json!({"firstAuthFactors": ["PASSWORD", "EMAIL_OTP", "SMS_OTP"], "mfa": "OPTIONAL"}));
    h.user(&pool, "chooser", json!({"attributes": {"email": "c@example.com", "phone_number": "+15557778888"}, "mfa": {"sms": true}}));

    let select = user_auth(&h, &pool, json!({"USERNAME": "chooser"})).unwrap();
    assert_eq!(select["ChallengeName"], "SELECT_CHALLENGE");
    assert_eq!(
        select["AvailableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"])
    );
    assert_eq!(
        h.respond(&pool, &select, "chooser", json!({"ANSWER": "WEB_AUTHN"}))
            .unwrap_err()
            .0,
        "InvalidParameterException"
    );

    // EMAIL_OTP as the first factor skips MFA
    let select = user_auth(&h, &pool, json!({"USERNAME": "chooser"})).unwrap();
    let otp = h
        .respond(&pool, &select, "chooser", json!({"ANSWER": "EMAIL_OTP"}))
        .unwrap();
    assert_eq!(otp["ChallengeName"], "EMAIL_OTP");
    let code = h.code(&pool, "chooser");
    assert_eq!(code["purpose"], "EMAIL_OTP");
    let done = h
        .respond(
            &pool,
            &otp,
            "chooser",
            json!({"EMAIL_OTP_CODE": code["code"]}),
        )
        .unwrap();
    assert!(done["AuthenticationResult"].is_object());

    // SMS_OTP preferred
    let otp = user_auth(
        &h,
        &pool,
        json!({"USERNAME": "chooser", "PREFERRED_CHALLENGE": "SMS_OTP"}),
    )
    .unwrap();
    assert_eq!(otp["ChallengeName"], "SMS_OTP");
    assert_eq!(h.code(&pool, "chooser")["purpose"], "SMS_OTP");
    let done = h
        .respond(
            &pool,
            &otp,
            "chooser",
            json!({"SMS_OTP_CODE": h.code_text(&pool, "chooser")}),
        )
        .unwrap();
    assert!(done["AuthenticationResult"].is_object());

    // PASSWORD preferred: password, then the user's MFA
    let mfa = user_auth(
        &h,
        &pool,
        json!({"USERNAME": "chooser", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": PASSWORD}),
    )
    .unwrap();
    assert_eq!(mfa["ChallengeName"], "SMS_MFA");
    assert_eq!(user_auth(&h, &pool, json!({"USERNAME": "chooser", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "Wr0ng!pass"})).unwrap_err().0, "NotAuthorizedException");

    // PASSWORD selected without the password → a PASSWORD challenge
    let select = user_auth(&h, &pool, json!({"USERNAME": "chooser"})).unwrap();
    let pw = h
        .respond(&pool, &select, "chooser", json!({"ANSWER": "PASSWORD"}))
        .unwrap();
    assert_eq!(pw["ChallengeName"], "PASSWORD");
    assert_eq!(
        h.respond(&pool, &pw, "chooser", json!({"PASSWORD": PASSWORD}))
            .unwrap()["ChallengeName"],
        "SMS_MFA"
    );
    // …or with it in the selection
    let select = user_auth(&h, &pool, json!({"USERNAME": "chooser"})).unwrap();
    assert_eq!(
        h.respond(
            &pool,
            &select,
            "chooser",
            json!({"ANSWER": "PASSWORD", "PASSWORD": PASSWORD})
        )
        .unwrap()["ChallengeName"],
        "SMS_MFA"
    );

    // PASSWORD_SRP: preferred with SRP_A, and selected with SRP_A
    let client = Client::new();
    let init = user_auth(&h, &pool, json!({"USERNAME": "chooser", "PREFERRED_CHALLENGE": "PASSWORD_SRP", "SRP_A": client.big_a.to_str_radix(16)})).unwrap();
    assert_eq!(
        h.answer_password_verifier(&pool, &client, &init, PASSWORD, None)
            .unwrap()["ChallengeName"],
        "SMS_MFA"
    );
    let select = user_auth(&h, &pool, json!({"USERNAME": "chooser"})).unwrap();
    let client = Client::new();
    let init = h
        .respond(
            &pool,
            &select,
            "chooser",
            json!({"ANSWER": "PASSWORD_SRP", "SRP_A": client.big_a.to_str_radix(16)}),
        )
        .unwrap();
    assert_eq!(
        h.answer_password_verifier(&pool, &client, &init, PASSWORD, None)
            .unwrap()["ChallengeName"],
        "SMS_MFA"
    );

    // a factor the pool does not allow is not offered
    let pw_only = h.pool(json!({}));
    h.user(&pw_only, "chooser", json!({}));
    let select = user_auth(
        &h,
        &pw_only,
        json!({"USERNAME": "chooser", "PREFERRED_CHALLENGE": "EMAIL_OTP"}),
    )
    .unwrap();
    assert_eq!(
        select["AvailableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP"])
    );
}

#[test]
fn confirm_sign_up_session_signs_in_with_user_auth() {
    let h = Harness::new();
    let pool = h.pool(json!({}));
    h.ok("SignUp", json!({"ClientId": pool.client, "Username": "auto", "Password": PASSWORD,
        "UserAttributes": [{"Name": "email", "Value": "auto@example.com"}], "ClientMetadata": {"k": "v"}}));
    let code = h.code(&pool, "auto");
    assert_eq!(code["purpose"], "SIGN_UP");
    let confirmed = h.ok(
        "ConfirmSignUp",
        json!({"ClientId": pool.client, "Username": "auto", "ConfirmationCode": code["code"]}),
    );
    let session = confirmed["Session"].clone();
    let wrong_user = h.err(
        "InitiateAuth",
        json!({"AuthFlow": "USER_AUTH", "ClientId": pool.client,
        "AuthParameters": {"USERNAME": "other"}, "Session": session}),
    );
    assert_eq!(wrong_user.0, "NotAuthorizedException");
}

#[test]
fn auto_sign_in_after_confirmation() {
    let h = Harness::new();
    let pool = h.pool(json!({"mfa": "OPTIONAL"}));
    h.ok(
        "SignUp",
        json!({"ClientId": pool.client, "Username": "auto2", "Password": PASSWORD,
        "UserAttributes": [{"Name": "email", "Value": "auto2@example.com"}]}),
    );
    let session = h.ok(
        "ConfirmSignUp",
        json!({"ClientId": pool.client, "Username": "auto2",
        "ConfirmationCode": h.code_text(&pool, "auto2")}),
    )["Session"]
        .clone();
    let done = h.ok(
        "InitiateAuth",
        json!({"AuthFlow": "USER_AUTH", "ClientId": pool.client,
        "AuthParameters": {"USERNAME": "auto2"}, "Session": session}),
    );
    assert_eq!(
        claims(&done["AuthenticationResult"]["IdToken"])["cognito:username"],
        "auto2"
    );
    // single use
    assert_eq!(
        h.err(
            "InitiateAuth",
            json!({"AuthFlow": "USER_AUTH", "ClientId": pool.client,
        "AuthParameters": {"USERNAME": "auto2"}, "Session": session})
        )
        .0,
        "NotAuthorizedException"
    );
}

#[test]
fn challenge_name_must_match_the_session() {
    let h = Harness::new();
    let pool = h.pool(json!({"mfa": "OPTIONAL"}));
    h.user(
        &pool,
        "mix",
        json!({"attributes": {"phone_number": "+15550009999"}, "mfa": {"sms": true}}),
    );
    let c = h.password_auth(&pool, "mix", PASSWORD).unwrap();
    let e = h.op("RespondToAuthChallenge", json!({"ClientId": pool.client, "ChallengeName": "SOFTWARE_TOKEN_MFA",
        "Session": c["Session"], "ChallengeResponses": {"USERNAME": "mix", "SOFTWARE_TOKEN_MFA_CODE": "123456"}})).unwrap_err();
    assert_eq!(e.0, "InvalidParameterException");
    let c = h.password_auth(&pool, "mix", PASSWORD).unwrap();
    assert_eq!(
        h.respond(&pool, &c, "someone-else", json!({"SMS_MFA_CODE": "1"}))
            .unwrap_err()
            .0,
        "NotAuthorizedException"
    );
    let c = h.password_auth(&pool, "mix", PASSWORD).unwrap();
    let e = h
        .op(
            "RespondToAuthChallenge",
            json!({"ClientId": pool.client, "ChallengeName": "SMS_MFA",
        "Session": c["Session"], "ChallengeResponses": {"SMS_MFA_CODE": "1"}}),
        )
        .unwrap_err();
    assert_eq!(e.1, "Missing required parameter USERNAME");
}

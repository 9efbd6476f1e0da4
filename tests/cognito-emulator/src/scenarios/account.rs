use serde_json::{json, Value};

use crate::harness::{wrong, Harness, PASSWORD};

const NEW_PASSWORD: &str = "N3w!Passw0rd";

fn attrs(h: &Harness, access: &Value) -> Vec<Value> {
    h.ok("GetUser", json!({"AccessToken": access}))["UserAttributes"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn forgot_password() {
    let h = Harness::new();
    let pool = h.pool(json!({}));
    h.user(&pool, "forgetful", json!({}));
    let e = h.err(
        "ForgotPassword",
        json!({"ClientId": pool.client, "Username": "nobody"}),
    );
    assert_eq!(
        e,
        (
            "UserNotFoundException".into(),
            "Username/client id combination not found.".into()
        )
    );
    let r = h.ok(
        "ForgotPassword",
        json!({"ClientId": pool.client, "Username": "forgetful", "ClientMetadata": {"a": "b"}}),
    );
    assert_eq!(
        r["CodeDeliveryDetails"],
        json!({"Destination": "f***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"})
    );
    let code = h.code_text(&pool, "forgetful");
    let confirm = |code: &str, password: &str| {
        h.op(
            "ConfirmForgotPassword",
            json!({"ClientId": pool.client,
        "Username": "forgetful", "ConfirmationCode": code, "Password": password}),
        )
    };
    assert_eq!(
        confirm(&code, "weakpass").unwrap_err().0,
        "InvalidPasswordException"
    );
    assert_eq!(
        confirm(&wrong(&code), NEW_PASSWORD).unwrap_err(),
        (
            "CodeMismatchException".into(),
            "Invalid verification code provided, please try again.".into()
        )
    );
    confirm(&code, NEW_PASSWORD).unwrap();
    assert!(h.password_auth(&pool, "forgetful", NEW_PASSWORD).is_ok());
    assert!(h.password_auth(&pool, "forgetful", PASSWORD).is_err());
    assert_eq!(
        confirm(&code, NEW_PASSWORD).unwrap_err().0,
        "CodeMismatchException",
        "codes are single use"
    );

    // expired
    h.ok(
        "ForgotPassword",
        json!({"ClientId": pool.client, "Username": "forgetful"}),
    );
    let code = h.code_text(&pool, "forgetful");
    h.app
        .store()
        .pool_mut(&pool.id)
        .unwrap()
        .user_mut("forgetful")
        .unwrap()
        .codes
        .last_mut()
        .unwrap()
        .expires_at = 0;
    assert_eq!(
        confirm(&code, NEW_PASSWORD).unwrap_err().0,
        "ExpiredCodeException"
    );

    // phone-only users get an SMS
    h.user(
        &pool,
        "phoneonly",
        json!({"attributes": {"phone_number": "+15554443333"}}),
    );
    let r = h.ok(
        "ForgotPassword",
        json!({"ClientId": pool.client, "Username": "phoneonly"}),
    );
    assert_eq!(r["CodeDeliveryDetails"]["DeliveryMedium"], "SMS");
    assert_eq!(h.code(&pool, "phoneonly")["purpose"], "FORGOT_PASSWORD");

    // a user who must change the temporary password can reset it instead
    h.user(
        &pool,
        "tmp",
        json!({"password": null, "temporaryPassword": "Temp0rary!"}),
    );
    h.ok(
        "ForgotPassword",
        json!({"ClientId": pool.client, "Username": "tmp"}),
    );
    h.ok(
        "ConfirmForgotPassword",
        json!({"ClientId": pool.client, "Username": "tmp",
        "ConfirmationCode": h.code_text(&pool, "tmp"), "Password": NEW_PASSWORD}),
    );
    assert!(
        h.password_auth(&pool, "tmp", NEW_PASSWORD).unwrap()["AuthenticationResult"].is_object()
    );

    // with user-existence-error prevention an unknown user looks like a known one
    let quiet = h.pool(json!({"preventUserExistenceErrors": true}));
    let r = h.ok(
        "ForgotPassword",
        json!({"ClientId": quiet.client, "Username": "ghost@example.com"}),
    );
    assert_eq!(r["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
}

#[test]
fn change_password() {
    let h = Harness::new();
    let pool = h.pool(json!({}));
    h.user(&pool, "changer", json!({}));
    let access = h.password_auth(&pool, "changer", PASSWORD).unwrap()["AuthenticationResult"]
        ["AccessToken"]
        .clone();
    let change = |prev: &str, next: &str| {
        h.op(
            "ChangePassword",
            json!({"AccessToken": access, "PreviousPassword": prev, "ProposedPassword": next}),
        )
    };
    assert_eq!(
        change("Wr0ng!pass", NEW_PASSWORD).unwrap_err(),
        (
            "NotAuthorizedException".into(),
            "Incorrect username or password.".into()
        )
    );
    assert_eq!(
        change(PASSWORD, "weakpass").unwrap_err().0,
        "InvalidPasswordException"
    );
    assert_eq!(
        change(PASSWORD, " spaced").unwrap_err().0,
        "InvalidParameterException"
    );
    change(PASSWORD, NEW_PASSWORD).unwrap();
    assert!(
        h.srp_sign_in(&pool, "changer", NEW_PASSWORD, None).unwrap()["AuthenticationResult"]
            .is_object()
    );
}

#[test]
fn attributes_update_verify_and_delete() {
    let h = Harness::new();
    let pool = h.pool(json!({"requiredAttributes": ["email"]}));
    h.user(
        &pool,
        "attr",
        json!({"attributes": {"email": "old@example.com", "given_name": "Al"}}),
    );
    let access = h.password_auth(&pool, "attr", PASSWORD).unwrap()["AuthenticationResult"]
        ["AccessToken"]
        .clone();

    let r = h.ok("UpdateUserAttributes", json!({"AccessToken": access, "UserAttributes": [
        {"Name": "email", "Value": "new@example.com"}, {"Name": "family_name", "Value": "Smith"}], "ClientMetadata": {}}));
    assert_eq!(
        r["CodeDeliveryDetailsList"],
        json!([{"Destination": "n***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}])
    );
    let a = attrs(&h, &access);
    assert!(a.contains(&json!({"Name": "email", "Value": "new@example.com"})));
    assert!(a.contains(&json!({"Name": "email_verified", "Value": "false"})));
    assert!(a.contains(&json!({"Name": "family_name", "Value": "Smith"})));
    let code = h.code(&pool, "attr");
    assert_eq!(
        (code["purpose"].as_str(), code["attributeName"].as_str()),
        (Some("VERIFY_ATTRIBUTE"), Some("email"))
    );
    let verify = |code: &str| {
        h.op(
            "VerifyUserAttribute",
            json!({"AccessToken": access, "AttributeName": "email", "Code": code}),
        )
    };
    assert_eq!(
        verify(&wrong(code["code"].as_str().unwrap()))
            .unwrap_err()
            .0,
        "CodeMismatchException"
    );
    verify(code["code"].as_str().unwrap()).unwrap();
    assert!(attrs(&h, &access).contains(&json!({"Name": "email_verified", "Value": "true"})));

    // writing protected attributes, unknown ones, bad formats
    assert_eq!(h.err("UpdateUserAttributes", json!({"AccessToken": access, "UserAttributes": [{"Name": "email_verified", "Value": "true"}]})).0, "NotAuthorizedException");
    assert_eq!(
        h.err(
            "UpdateUserAttributes",
            json!({"AccessToken": access, "UserAttributes": [{"Name": "shoe", "Value": "9"}]})
        )
        .0,
        "InvalidParameterException"
    );
    assert_eq!(
        h.err("UpdateUserAttributes", json!({"AccessToken": access}))
            .0,
        "InvalidParameterException"
    );

    // GetUserAttributeVerificationCode for a phone number
    h.ok("UpdateUserAttributes", json!({"AccessToken": access, "UserAttributes": [{"Name": "phone_number", "Value": "+15556667777"}]}));
    let r = h.ok(
        "GetUserAttributeVerificationCode",
        json!({"AccessToken": access, "AttributeName": "phone_number"}),
    );
    assert_eq!(
        r["CodeDeliveryDetails"],
        json!({"Destination": "+*******7777", "DeliveryMedium": "SMS", "AttributeName": "phone_number"})
    );
    let code = h.code(&pool, "attr");
    assert_eq!(code["deliveryMedium"], "SMS");
    h.ok(
        "VerifyUserAttribute",
        json!({"AccessToken": access, "AttributeName": "phone_number", "Code": code["code"]}),
    );
    assert!(attrs(&h, &access).contains(&json!({"Name": "phone_number_verified", "Value": "true"})));
    assert_eq!(
        h.err(
            "GetUserAttributeVerificationCode",
            json!({"AccessToken": access, "AttributeName": "given_name"})
        )
        .0,
        "InvalidParameterException"
    );

    // DeleteUserAttributes
    h.ok(
        "DeleteUserAttributes",
        json!({"AccessToken": access, "UserAttributeNames": ["family_name", "phone_number"]}),
    );
    let a = attrs(&h, &access);
    assert!(!a.iter().any(|x| x["Name"] == "family_name"
        || x["Name"] == "phone_number"
        || x["Name"] == "phone_number_verified"));
    assert_eq!(
        h.err(
            "DeleteUserAttributes",
            json!({"AccessToken": access, "UserAttributeNames": ["email"]})
        )
        .0,
        "InvalidParameterException"
    );
    assert_eq!(
        h.err(
            "DeleteUserAttributes",
            json!({"AccessToken": access, "UserAttributeNames": ["sub"]})
        )
        .0,
        "NotAuthorizedException"
    );
}

#[test]
fn delete_user_invalidates_tokens() {
    let h = Harness::new();
    let pool = h.pool(json!({}));
    h.user(&pool, "leaver", json!({}));
    let auth = h.password_auth(&pool, "leaver", PASSWORD).unwrap()["AuthenticationResult"].clone();
    h.ok("DeleteUser", json!({"AccessToken": auth["AccessToken"]}));
    assert_eq!(
        h.err("GetUser", json!({"AccessToken": auth["AccessToken"]}))
            .0,
        "NotAuthorizedException"
    );
    let e = h.err(
        "InitiateAuth",
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": pool.client,
        "AuthParameters": {"REFRESH_TOKEN": auth["RefreshToken"]}}),
    );
    assert_eq!(e.0, "NotAuthorizedException");
    assert_eq!(
        h.password_auth(&pool, "leaver", PASSWORD).unwrap_err().0,
        "UserNotFoundException"
    );
    // the name is free again
    h.user(&pool, "leaver", json!({}));
}

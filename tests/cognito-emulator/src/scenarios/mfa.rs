use serde_json::{json, Value};

use crate::harness::{totp_now, wrong, Harness, PASSWORD};
use crate::totp;

fn names(v: &Value) -> Vec<String> {
    serde_json::from_str(v.as_str().unwrap()).unwrap()
}

#[test]
fn optional_mfa_select_sms_then_retry_a_wrong_code() {
    let h = Harness::new();
    let pool = h.pool(json!({"mfa": "OPTIONAL"}));
    h.user(&pool, "nomfa", json!({}));
    assert!(h.password_auth(&pool, "nomfa", PASSWORD).unwrap()["AuthenticationResult"].is_object());

    h.user(
        &pool,
        "multi",
        json!({"attributes": {"email": "m@example.com", "phone_number": "+15551234567"},
        "mfa": {"sms": true, "email": true}}),
    );
    let select = h.srp_sign_in(&pool, "multi", PASSWORD, None).unwrap();
    assert_eq!(select["ChallengeName"], "SELECT_MFA_TYPE");
    assert_eq!(
        names(&select["ChallengeParameters"]["MFAS_CAN_CHOOSE"]),
        vec!["SMS_MFA", "EMAIL_OTP"]
    );
    let bad = h.respond(
        &pool,
        &select,
        "multi",
        json!({"ANSWER": "SOFTWARE_TOKEN_MFA"}),
    );
    assert_eq!(bad.unwrap_err().0, "InvalidParameterException");

    let select = h.password_auth(&pool, "multi", PASSWORD).unwrap();
    let sms = h
        .respond(&pool, &select, "multi", json!({"ANSWER": "SMS_MFA"}))
        .unwrap();
    assert_eq!(sms["ChallengeName"], "SMS_MFA");
    assert_eq!(
        sms["ChallengeParameters"],
        json!({"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******4567"})
    );
    let code = h.code(&pool, "multi");
    assert_eq!(
        (code["purpose"].as_str(), code["deliveryMedium"].as_str()),
        (Some("SMS_MFA"), Some("SMS"))
    );
    let code = code["code"].as_str().unwrap().to_string();
    let e = h
        .respond(&pool, &sms, "multi", json!({"SMS_MFA_CODE": wrong(&code)}))
        .unwrap_err();
    assert_eq!(
        e,
        (
            "CodeMismatchException".into(),
            "Invalid code or auth state for the user.".into()
        )
    );
    // the same Session is still good for another try
    let done = h
        .respond(&pool, &sms, "multi", json!({"SMS_MFA_CODE": code}))
        .unwrap();
    assert!(done["AuthenticationResult"]["IdToken"].is_string());
    // and single use after success
    assert_eq!(
        h.respond(&pool, &sms, "multi", json!({"SMS_MFA_CODE": code}))
            .unwrap_err()
            .0,
        "NotAuthorizedException"
    );

    // three wrong codes end the session
    let select = h.password_auth(&pool, "multi", PASSWORD).unwrap();
    let sms = h
        .respond(&pool, &select, "multi", json!({"ANSWER": "SMS_MFA"}))
        .unwrap();
    let code = h.code_text(&pool, "multi");
    for _ in 0..3 {
        assert_eq!(
            h.respond(&pool, &sms, "multi", json!({"SMS_MFA_CODE": wrong(&code)}))
                .unwrap_err()
                .0,
            "CodeMismatchException"
        );
    }
    assert_eq!(
        h.respond(&pool, &sms, "multi", json!({"SMS_MFA_CODE": code}))
            .unwrap_err()
            .0,
        "NotAuthorizedException"
    );
}

#[test]
fn preferred_email_otp_and_single_factor() {
    let h = Harness::new();
    let pool = h.pool(json!({"mfa": "OPTIONAL"}));
    h.user(
        &pool,
        "pref",
        json!({"attributes": {"email": "p@example.com", "phone_number": "+15550000000"},
        "mfa": {"sms": true, "email": true, "preferred": "EMAIL_OTP"}}),
    );
    let c = h.password_auth(&pool, "pref", PASSWORD).unwrap();
    assert_eq!(c["ChallengeName"], "EMAIL_OTP");
    assert_eq!(
        c["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"],
        "EMAIL"
    );
    assert_eq!(
        c["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"],
        "p***@e***"
    );
    let code = h.code(&pool, "pref");
    assert_eq!(code["purpose"], "EMAIL_OTP");
    // the wrong response key is a missing parameter
    assert_eq!(
        h.respond(&pool, &c, "pref", json!({"SMS_MFA_CODE": code["code"]}))
            .unwrap_err()
            .1,
        "Missing required parameter EMAIL_OTP_CODE"
    );
    let ok = h
        .respond(&pool, &c, "pref", json!({"EMAIL_OTP_CODE": code["code"]}))
        .unwrap();
    assert!(ok["AuthenticationResult"].is_object());

    h.user(
        &pool,
        "smsonly",
        json!({"attributes": {"phone_number": "+15550000001"}, "mfa": {"sms": true}}),
    );
    assert_eq!(
        h.password_auth(&pool, "smsonly", PASSWORD).unwrap()["ChallengeName"],
        "SMS_MFA"
    );
    // a factor the pool does not offer is ignored
    let pool2 = h.pool(json!({"mfa": "OPTIONAL", "mfaTypes": ["SOFTWARE_TOKEN_MFA"]}));
    h.user(
        &pool2,
        "smsonly",
        json!({"attributes": {"phone_number": "+15550000001"}, "mfa": {"sms": true}}),
    );
    assert!(
        h.password_auth(&pool2, "smsonly", PASSWORD).unwrap()["AuthenticationResult"].is_object()
    );
}

#[test]
fn totp_sign_in_is_checked_for_real() {
    let h = Harness::new();
    let pool = h.pool(json!({"mfa": "OPTIONAL"}));
    let secret = totp::new_secret();
    h.user(&pool, "tina", json!({"mfa": {"totpSecret": secret}}));
    let c = h.srp_sign_in(&pool, "tina", PASSWORD, None).unwrap();
    assert_eq!(c["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    let right = totp_now(&secret);
    let e = h
        .respond(
            &pool,
            &c,
            "tina",
            json!({"SOFTWARE_TOKEN_MFA_CODE": wrong(&right)}),
        )
        .unwrap_err();
    assert_eq!(e.0, "CodeMismatchException");
    let done = h
        .respond(&pool, &c, "tina", json!({"SOFTWARE_TOKEN_MFA_CODE": right}))
        .unwrap();
    assert!(done["AuthenticationResult"].is_object());
}

#[test]
fn required_mfa_sets_up_totp_in_the_sign_in() {
    let h = Harness::new();
    let pool = h.pool(json!({"mfa": "ON"}));
    h.user(&pool, "newbie", json!({}));
    let setup = h.srp_sign_in(&pool, "newbie", PASSWORD, None).unwrap();
    assert_eq!(setup["ChallengeName"], "MFA_SETUP");
    assert_eq!(
        names(&setup["ChallengeParameters"]["MFAS_CAN_SETUP"]),
        vec!["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]
    );
    // answering before verifying a token is refused
    assert_eq!(
        h.respond(&pool, &setup, "newbie", json!({})).unwrap_err().0,
        "InvalidParameterException"
    );
    let setup = h.password_auth(&pool, "newbie", PASSWORD).unwrap();
    let assoc = h.ok(
        "AssociateSoftwareToken",
        json!({"Session": setup["Session"]}),
    );
    let secret = assoc["SecretCode"].as_str().unwrap().to_string();
    assert_eq!(secret.len(), 32);
    assert!(totp::base32_decode(&secret).is_some());
    let e = h.err(
        "VerifySoftwareToken",
        json!({"Session": assoc["Session"], "UserCode": wrong(&totp_now(&secret))}),
    );
    assert_eq!(e.0, "EnableSoftwareTokenMFAException");
    let verified = h.ok("VerifySoftwareToken", json!({"Session": assoc["Session"], "UserCode": totp_now(&secret), "FriendlyDeviceName": "phone"}));
    assert_eq!(verified["Status"], "SUCCESS");
    let next = json!({"ChallengeName": "MFA_SETUP", "Session": verified["Session"]});
    let done = h.respond(&pool, &next, "newbie", json!({})).unwrap();
    assert!(done["AuthenticationResult"].is_object(), "{done}");
    let access = done["AuthenticationResult"]["AccessToken"].clone();
    let me = h.ok("GetUser", json!({"AccessToken": access}));
    assert_eq!(me["UserMFASettingList"], json!(["SOFTWARE_TOKEN_MFA"]));
    assert_eq!(me["PreferredMfaSetting"], "SOFTWARE_TOKEN_MFA");
    // from now on: SOFTWARE_TOKEN_MFA
    assert_eq!(
        h.password_auth(&pool, "newbie", PASSWORD).unwrap()["ChallengeName"],
        "SOFTWARE_TOKEN_MFA"
    );
    // with a phone number, required MFA uses SMS without any setup
    h.user(
        &pool,
        "phoned",
        json!({"attributes": {"phone_number": "+15551112222"}}),
    );
    assert_eq!(
        h.password_auth(&pool, "phoned", PASSWORD).unwrap()["ChallengeName"],
        "SMS_MFA"
    );
}

#[test]
fn required_mfa_sets_up_email_in_the_sign_in() {
    let h = Harness::new();
    let pool = h.pool(json!({"mfa": "ON", "mfaTypes": ["EMAIL_OTP"]}));
    h.user(&pool, "mailer", json!({"attributes": {}}));
    let setup = h.password_auth(&pool, "mailer", PASSWORD).unwrap();
    assert_eq!(
        names(&setup["ChallengeParameters"]["MFAS_CAN_SETUP"]),
        vec!["EMAIL_OTP"]
    );
    assert_eq!(
        h.err(
            "AssociateSoftwareToken",
            json!({"Session": setup["Session"]})
        )
        .0,
        "NotAuthorizedException"
    );
    let setup = h.password_auth(&pool, "mailer", PASSWORD).unwrap();
    assert_eq!(
        h.respond(&pool, &setup, "mailer", json!({"EMAIL": "not-an-email"}))
            .unwrap_err()
            .0,
        "InvalidParameterException"
    );
    let setup = h.password_auth(&pool, "mailer", PASSWORD).unwrap();
    let otp = h
        .respond(
            &pool,
            &setup,
            "mailer",
            json!({"EMAIL": "mailer@example.org"}),
        )
        .unwrap();
    assert_eq!(otp["ChallengeName"], "EMAIL_OTP");
    assert_eq!(
        otp["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"],
        "m***@e***"
    );
    let done = h
        .respond(
            &pool,
            &otp,
            "mailer",
            json!({"EMAIL_OTP_CODE": h.code_text(&pool, "mailer")}),
        )
        .unwrap();
    let me = h.ok(
        "GetUser",
        json!({"AccessToken": done["AuthenticationResult"]["AccessToken"]}),
    );
    assert_eq!(me["UserMFASettingList"], json!(["EMAIL_OTP"]));
    let attrs = me["UserAttributes"].as_array().unwrap();
    assert!(attrs.contains(&json!({"Name": "email", "Value": "mailer@example.org"})));
    assert!(attrs.contains(&json!({"Name": "email_verified", "Value": "true"})));
    assert_eq!(
        h.password_auth(&pool, "mailer", PASSWORD).unwrap()["ChallengeName"],
        "EMAIL_OTP"
    );
}

#[test]
fn totp_setup_while_signed_in_and_preferences() {
    let h = Harness::new();
    let pool = h.pool(json!({"mfa": "OPTIONAL"}));
    h.user(
        &pool,
        "self",
        json!({"attributes": {"email": "s@example.com", "phone_number": "+15553334444"}}),
    );
    let tokens = h.password_auth(&pool, "self", PASSWORD).unwrap()["AuthenticationResult"].clone();
    let access = tokens["AccessToken"].clone();
    let me = h.ok("GetUser", json!({"AccessToken": access}));
    assert!(me.get("UserMFASettingList").is_none() && me.get("PreferredMfaSetting").is_none());

    // enabling TOTP before verifying a token is refused
    let e = h.err(
        "SetUserMFAPreference",
        json!({"AccessToken": access, "SoftwareTokenMfaSettings": {"Enabled": true}}),
    );
    assert_eq!(
        e,
        (
            "InvalidParameterException".into(),
            "User has not verified software token mfa".into()
        )
    );
    assert_eq!(
        h.err("AssociateSoftwareToken", json!({})).0,
        "InvalidParameterException"
    );
    let secret = h.ok("AssociateSoftwareToken", json!({"AccessToken": access}))["SecretCode"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        h.err(
            "VerifySoftwareToken",
            json!({"AccessToken": access, "UserCode": wrong(&totp_now(&secret))})
        )
        .0,
        "EnableSoftwareTokenMFAException"
    );
    assert_eq!(
        h.ok(
            "VerifySoftwareToken",
            json!({"AccessToken": access, "UserCode": totp_now(&secret)})
        ),
        json!({"Status": "SUCCESS"})
    );
    assert!(
        h.password_auth(&pool, "self", PASSWORD).unwrap()["AuthenticationResult"].is_object(),
        "verified but not enabled"
    );

    h.ok(
        "SetUserMFAPreference",
        json!({"AccessToken": access,
        "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true},
        "SMSMfaSettings": {"Enabled": true}, "EmailMfaSettings": {"Enabled": true}}),
    );
    let me = h.ok("GetUser", json!({"AccessToken": access}));
    assert_eq!(
        me["UserMFASettingList"],
        json!(["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"])
    );
    assert_eq!(me["PreferredMfaSetting"], "SOFTWARE_TOKEN_MFA");
    assert_eq!(
        me["MFAOptions"],
        json!([{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}])
    );
    assert_eq!(
        h.password_auth(&pool, "self", PASSWORD).unwrap()["ChallengeName"],
        "SOFTWARE_TOKEN_MFA"
    );

    let e = h.err("SetUserMFAPreference", json!({"AccessToken": access,
        "SMSMfaSettings": {"Enabled": true, "PreferredMfa": true}, "EmailMfaSettings": {"Enabled": true, "PreferredMfa": true}}));
    assert_eq!(e.0, "InvalidParameterException");
    h.ok(
        "SetUserMFAPreference",
        json!({"AccessToken": access, "SoftwareTokenMfaSettings": {"Enabled": false}}),
    );
    let me = h.ok("GetUser", json!({"AccessToken": access}));
    assert_eq!(me["UserMFASettingList"], json!(["SMS_MFA", "EMAIL_OTP"]));
    assert!(me.get("PreferredMfaSetting").is_none());
    assert_eq!(
        h.password_auth(&pool, "self", PASSWORD).unwrap()["ChallengeName"],
        "SELECT_MFA_TYPE"
    );
}

//! The sign-in machine against a fake Cognito that checks SRP (password and device) for real and scripts the
//! other challenges.

use serde_json::{json, Value};

use super::*;
use crate::flows::fake::{srp_input, FakePlatform, FakeSrpServer};
use crate::session::{SessionStore, Storage};
use crate::test_support::block_on;

const PASSWORD: &str = "Passw0rd!";

/// Where the typed names lead to the username device secrets are stored under.
const OWNERS: &str = "cognito-wasm.client1.deviceOwners";

fn config() -> Config {
    Config::new("us-east-1_Pool1", "client1").unwrap()
}

fn server() -> FakeSrpServer {
    FakeSrpServer::new("Pool1", "a1b2-uuid", PASSWORD)
}

fn challenge(name: &str, parameters: Value) -> Result<Value, (&'static str, &'static str)> {
    Ok(json!({"ChallengeName": name, "Session": format!("session-{name}"), "ChallengeParameters": parameters}))
}

fn answer(text: &str) -> Answer {
    Answer { response: text.to_owned(), ..Answer::default() }
}

fn last_request(p: &FakePlatform) -> (Operation, Value) {
    p.requests().pop().unwrap()
}

fn stored_session(p: &FakePlatform) -> Option<Session> {
    SessionStore::new(&p.storage, "client1").load().unwrap()
}

#[test]
fn srp_sign_in_stores_the_session_under_user_id_for_srp() {
    let server = server();
    let p = server.platform();
    assert_eq!(block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap(), NextStep::Done);
    let requests = p.requests();
    assert_eq!(requests.len(), 2);
    let responses = &requests[1].1["ChallengeResponses"];
    assert_eq!(responses["TIMESTAMP"], "Wed Nov 5 09:05:07 UTC 2025");
    assert_eq!(responses["USERNAME"], "alice");
    assert_eq!(requests[1].1["Session"], "session-1");
    assert_eq!(stored_session(&p).unwrap().username, "a1b2-uuid");
    assert!(p.transient.snapshot().is_empty(), "nothing pending after DONE");
}

#[test]
fn a_password_sign_in_is_not_a_managed_login_session() {
    // Left by an earlier redirect sign-in that Amplify's signOut ended (it keeps the marker): signing out of this
    // session must not go through managed login's /logout.
    let server = server();
    let p = server.platform();
    p.storage.set_item("CognitoIdentityServiceProvider.client1.oauthSignIn", "true,false").unwrap();
    block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap();
    assert_eq!(p.storage.get_item("CognitoIdentityServiceProvider.client1.oauthSignIn").unwrap(), None);
}

#[test]
fn wrong_password_is_not_authorized_and_stores_nothing() {
    let server = server();
    let p = server.platform();
    let err = block_on(sign_in(&p, &config(), srp_input("alice", "wrong"))).unwrap_err();
    assert!(err.is_service("NotAuthorizedException"), "{err}");
    assert!(p.storage.snapshot().is_empty());
    assert!(p.transient.snapshot().is_empty());
}

#[test]
fn out_of_order_calls_are_typed_errors_without_requests() {
    let server = server();
    let p = server.platform();
    let err = block_on(confirm_sign_in(&p, &config(), answer("123456"))).unwrap_err();
    assert_eq!(err.name(), "NoPendingSignInException");
    assert!(p.requests().is_empty());

    server.script([challenge("SMS_MFA", json!({}))]);
    block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap();
    let before = p.requests().len();
    let err = block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap_err();
    assert_eq!(err.name(), "SignInPendingException");
    cancel_sign_in(&p, &config()).unwrap();
    block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap();
    let err = block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap_err();
    assert_eq!(err.name(), "UserAlreadyAuthenticatedException");
    assert_eq!(p.requests().len(), before + 2);
}

#[test]
fn sms_mfa_waits_for_the_code_and_survives_a_reload() {
    let server = server();
    let p = server.platform();
    server.script([challenge(
        "SMS_MFA",
        json!({"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******0123"}),
    )]);
    let step = block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap();
    let NextStep::SmsCode { delivery } = &step else { panic!("{step:?}") };
    assert_eq!(delivery.destination.as_deref(), Some("+*******0123"));
    assert_eq!(step.name(), "CONFIRM_SIGN_IN_WITH_SMS_CODE");
    assert!(stored_session(&p).is_none());
    // A reload: only storage remains, and it still knows the step.
    assert_eq!(pending_step(&p, &config()).unwrap(), Some(step));
    let pending = p.transient.snapshot().into_values().next().unwrap();
    assert!(!pending.contains(PASSWORD), "the password must never be stored");

    assert_eq!(block_on(confirm_sign_in(&p, &config(), answer(" 123456 "))).unwrap(), NextStep::Done);
    let (op, body) = last_request(&p);
    assert_eq!(op, Operation::RespondToAuthChallenge);
    assert_eq!(body["ChallengeName"], "SMS_MFA");
    assert_eq!(body["ChallengeResponses"]["SMS_MFA_CODE"], "123456");
    assert_eq!(body["Session"], "session-SMS_MFA");
    assert!(stored_session(&p).is_some());
    assert!(p.transient.snapshot().is_empty());
}

#[test]
fn a_wrong_code_keeps_the_sign_in_pending_and_an_expired_one_is_dropped() {
    let server = server();
    let p = server.platform();
    server.script([challenge("SOFTWARE_TOKEN_MFA", json!({})), Err(("CodeMismatchException", "Invalid code"))]);
    assert_eq!(block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap(), NextStep::TotpCode);
    let err = block_on(confirm_sign_in(&p, &config(), answer("000000"))).unwrap_err();
    assert_eq!(err.name(), "CodeMismatchException");
    assert_eq!(pending_step(&p, &config()).unwrap(), Some(NextStep::TotpCode));
    p.now_millis.set(p.now_millis.get() + PENDING_LIFETIME_MILLIS + 1);
    let err = block_on(confirm_sign_in(&p, &config(), answer("111111"))).unwrap_err();
    assert_eq!(err.name(), "NoPendingSignInException");
}

#[test]
fn new_password_required_sends_the_password_and_missing_attributes() {
    let server = server();
    let p = server.platform();
    server.script([challenge(
        "NEW_PASSWORD_REQUIRED",
        json!({"userAttributes": "{\"email\":\"a@example.com\"}", "requiredAttributes": "[\"userAttributes.given_name\"]"}),
    )]);
    let step = block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap();
    assert_eq!(step, NextStep::NewPasswordRequired { missing_attributes: vec!["given_name".into()] });
    let mut a = answer("N3w-passw0rd ");
    a.user_attributes.insert("given_name".into(), "Alice".into());
    assert_eq!(block_on(confirm_sign_in(&p, &config(), a)).unwrap(), NextStep::Done);
    let (_, body) = last_request(&p);
    assert_eq!(body["ChallengeResponses"]["NEW_PASSWORD"], "N3w-passw0rd ");
    assert_eq!(body["ChallengeResponses"]["userAttributes.given_name"], "Alice");
}

#[test]
fn mfa_selection_then_totp() {
    let server = server();
    let p = server.platform();
    server.script([
        challenge("SELECT_MFA_TYPE", json!({"MFAS_CAN_CHOOSE": "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]"})),
        challenge("SOFTWARE_TOKEN_MFA", json!({})),
    ]);
    let step = block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap();
    assert_eq!(step, NextStep::MfaSelection { allowed: vec![MfaType::Sms, MfaType::Totp] });
    let err = block_on(confirm_sign_in(&p, &config(), answer("VOICE"))).unwrap_err();
    assert_eq!(err.name(), "InvalidParameterException");
    assert_eq!(block_on(confirm_sign_in(&p, &config(), answer("TOTP"))).unwrap(), NextStep::TotpCode);
    assert_eq!(last_request(&p).1["ChallengeResponses"]["ANSWER"], "SOFTWARE_TOKEN_MFA");
    assert_eq!(block_on(confirm_sign_in(&p, &config(), answer("123456"))).unwrap(), NextStep::Done);
    assert_eq!(last_request(&p).1["ChallengeResponses"]["SOFTWARE_TOKEN_MFA_CODE"], "123456");
}

#[test]
fn mfa_setup_with_totp_associates_verifies_and_finishes() {
    let server = server();
    let p = server.platform();
    server.script([
        challenge("MFA_SETUP", json!({"MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]"})),
        Ok(json!({"SecretCode": "JBSWY3DPEHPK3PXP", "Session": "after-associate"})),
        Ok(json!({"Status": "SUCCESS", "Session": "after-verify"})),
    ]);
    let step = block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap();
    let NextStep::TotpSetup { shared_secret, setup_uri } = &step else { panic!("{step:?}") };
    assert_eq!(shared_secret, "JBSWY3DPEHPK3PXP");
    assert_eq!(setup_uri, "otpauth://totp/Cognito:alice?secret=JBSWY3DPEHPK3PXP&issuer=Cognito");
    let (op, body) = last_request(&p);
    assert_eq!((op, &body["Session"]), (Operation::AssociateSoftwareToken, &json!("session-MFA_SETUP")));

    let mut a = answer("654321");
    a.friendly_device_name = Some("phone".into());
    assert_eq!(block_on(confirm_sign_in(&p, &config(), a)).unwrap(), NextStep::Done);
    let requests = p.requests();
    let (op, body) = &requests[requests.len() - 2];
    assert_eq!(*op, Operation::VerifySoftwareToken);
    assert_eq!((&body["UserCode"], &body["Session"], &body["FriendlyDeviceName"]), (&json!("654321"), &json!("after-associate"), &json!("phone")));
    let (op, body) = last_request(&p);
    assert_eq!((op, &body["ChallengeName"], &body["Session"]), (Operation::RespondToAuthChallenge, &json!("MFA_SETUP"), &json!("after-verify")));
}

#[test]
fn mfa_setup_selection_then_email() {
    let server = server();
    let p = server.platform();
    server.script([
        challenge("MFA_SETUP", json!({"MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]"})),
        challenge("EMAIL_OTP", json!({"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "a***@e***"})),
    ]);
    let step = block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap();
    assert_eq!(step, NextStep::MfaSetupSelection { allowed: vec![MfaType::Totp, MfaType::Email] });
    let requests_before = p.requests().len();
    assert_eq!(block_on(confirm_sign_in(&p, &config(), answer("EMAIL"))).unwrap(), NextStep::EmailSetup);
    assert_eq!(p.requests().len(), requests_before, "choosing is local");
    let step = block_on(confirm_sign_in(&p, &config(), answer("a@example.com"))).unwrap();
    assert_eq!(step.name(), "CONFIRM_SIGN_IN_WITH_EMAIL_CODE");
    assert_eq!(last_request(&p).1["ChallengeResponses"]["EMAIL"], "a@example.com");
    assert_eq!(block_on(confirm_sign_in(&p, &config(), answer("11223344"))).unwrap(), NextStep::Done);
    assert_eq!(last_request(&p).1["ChallengeResponses"]["EMAIL_OTP_CODE"], "11223344");
}

#[test]
fn custom_auth_with_and_without_srp() {
    for flow in [AuthFlow::CustomWithoutSrp, AuthFlow::CustomWithSrp] {
        let server = server();
        let p = server.platform();
        server.script([challenge("CUSTOM_CHALLENGE", json!({"question": "2+2?", "USERNAME": "alice"}))]);
        let mut input = srp_input("alice", PASSWORD);
        input.auth_flow = flow;
        input.metadata.client_metadata = Some([("k".to_owned(), "v".to_owned())].into());
        let step = block_on(sign_in(&p, &config(), input)).unwrap();
        let NextStep::CustomChallenge { parameters } = step else { panic!("{step:?}") };
        assert_eq!(parameters.get("question").map(String::as_str), Some("2+2?"));
        let first = &p.requests()[0].1;
        assert_eq!(first["AuthFlow"], "CUSTOM_AUTH");
        assert_eq!(first["ClientMetadata"]["k"], "v");
        assert_eq!(first["AuthParameters"]["CHALLENGE_NAME"].as_str(), (flow == AuthFlow::CustomWithSrp).then_some("SRP_A"));
        assert_eq!(block_on(confirm_sign_in(&p, &config(), answer("4"))).unwrap(), NextStep::Done);
        let (_, body) = last_request(&p);
        assert_eq!((&body["ChallengeResponses"]["ANSWER"], &body["ClientMetadata"]["k"]), (&json!("4"), &json!("v")));
    }
}

#[test]
fn user_auth_first_factor_selection_email_code() {
    let server = server();
    let p = server.platform();
    server.script([
        Ok(json!({"ChallengeName": "SELECT_CHALLENGE", "Session": "s1", "ChallengeParameters": {},
                  "AvailableChallenges": ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]})),
        challenge("EMAIL_OTP", json!({"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL"})),
    ]);
    let input = SignInInput { password: None, auth_flow: AuthFlow::UserAuth, ..srp_input("alice", "") };
    let step = block_on(sign_in(&p, &config(), input)).unwrap();
    assert_eq!(step, NextStep::FirstFactorSelection { available: vec!["PASSWORD".into(), "PASSWORD_SRP".into(), "EMAIL_OTP".into()] });
    let refused = block_on(confirm_sign_in(&p, &config(), answer("SMS_OTP"))).unwrap_err();
    assert_eq!(refused.message(), "\"SMS_OTP\" is not one of the offered first factors: PASSWORD, PASSWORD_SRP, EMAIL_OTP");
    let step = block_on(confirm_sign_in(&p, &config(), answer("email_otp"))).unwrap();
    assert_eq!(step.name(), "CONFIRM_SIGN_IN_WITH_EMAIL_CODE");
    assert_eq!(last_request(&p).1["ChallengeResponses"]["ANSWER"], "EMAIL_OTP");
    assert_eq!(block_on(confirm_sign_in(&p, &config(), answer("12345678"))).unwrap(), NextStep::Done);
}

#[test]
fn user_auth_password_srp_chosen_then_password_confirmed() {
    let server = server();
    let p = server.platform();
    server.script([Ok(json!({"ChallengeName": "SELECT_CHALLENGE", "Session": "s1", "ChallengeParameters": {},
                             "AvailableChallenges": ["PASSWORD_SRP"]}))]);
    let input = SignInInput { password: None, auth_flow: AuthFlow::UserAuth, ..srp_input("alice", "") };
    block_on(sign_in(&p, &config(), input)).unwrap();
    assert_eq!(block_on(confirm_sign_in(&p, &config(), answer("PASSWORD_SRP"))).unwrap(), NextStep::Password);
    assert_eq!(block_on(confirm_sign_in(&p, &config(), answer(PASSWORD))).unwrap(), NextStep::Done);
    let requests = p.requests();
    let select = &requests[requests.len() - 2].1;
    assert_eq!(select["ChallengeName"], "SELECT_CHALLENGE");
    assert!(select["ChallengeResponses"]["SRP_A"].is_string());
    assert_eq!(last_request(&p).1["ChallengeName"], "PASSWORD_VERIFIER");
}

#[test]
fn a_remembered_device_answers_device_srp_and_skips_mfa() {
    let server = server();
    server.state().tracks_devices.set(true);
    let p = server.platform();
    block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap();
    assert_eq!(p.count(Operation::ConfirmDevice), 1);
    // Once, under the name the tokens are stored under (the official client's keys), and a pointer from the
    // typed name.
    let items = p.storage.snapshot();
    let key = |user: &str, item: &str| format!("CognitoIdentityServiceProvider.client1.{user}.{item}");
    assert_eq!(items.get(&key("a1b2-uuid", "deviceKey")).map(String::as_str), Some("us-east-1_dev-1"));
    assert!(items.contains_key(&key("a1b2-uuid", "deviceGroupKey")));
    assert!(items.contains_key(&key("a1b2-uuid", "randomPasswordKey")));
    let under_typed: Vec<_> = items.keys().filter(|k| k.contains(".alice.")).collect();
    assert!(under_typed.is_empty(), "{under_typed:?}");
    assert_eq!(items.get(OWNERS).map(String::as_str), Some(r#"{"alice":"a1b2-uuid"}"#));
    block_on(crate::flows::sign_out::sign_out(&p, &config(), false)).unwrap();

    // MFA is scripted, but the remembered device must take the device path instead.
    server.script([challenge("SMS_MFA", json!({}))]);
    assert_eq!(block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap(), NextStep::Done);
    let requests = p.requests();
    let names: Vec<&str> = requests.iter().rev().take(3).map(|(_, b)| b["ChallengeName"].as_str().unwrap_or("")).collect();
    assert_eq!(names, ["DEVICE_PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "PASSWORD_VERIFIER"]);
    let initiate = requests.iter().rev().find(|(op, _)| *op == Operation::InitiateAuth).unwrap();
    assert_eq!(initiate.1["AuthParameters"]["DEVICE_KEY"], "us-east-1_dev-1");
    assert_eq!(server.state().script.borrow().len(), 1, "MFA was skipped");
}

#[test]
fn client_secret_adds_secret_hash_for_the_username_sent() {
    let server = server();
    let p = server.platform();
    let config = config().with_client_secret("s3cret").unwrap();
    block_on(sign_in(&p, &config, srp_input("alice", PASSWORD))).unwrap();
    for (_, body) in p.requests() {
        let params = if body["AuthParameters"].is_object() { &body["AuthParameters"] } else { &body["ChallengeResponses"] };
        let username = params["USERNAME"].as_str().unwrap();
        assert_eq!(params["SECRET_HASH"].as_str(), config.secret_hash(username).as_deref());
    }
}

#[test]
fn unanswerable_or_unsafe_challenges_are_typed_errors() {
    let p = FakePlatform::new(|_, _| Ok(json!({"ChallengeName": "WEBAUTHN", "Session": "s"})));
    let input = SignInInput { auth_flow: AuthFlow::UserPassword, ..srp_input("alice", PASSWORD) };
    let err = block_on(sign_in(&p, &config(), input)).unwrap_err();
    assert_eq!(err.name(), "UnsupportedChallengeException");
    let p = FakePlatform::new(|_, _| Ok(json!({"ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {"SALT": "ab", "SRP_B": "0", "SECRET_BLOCK": "AA==", "USER_ID_FOR_SRP": "u"}})));
    let err = block_on(sign_in(&p, &config(), srp_input("alice", "pw"))).unwrap_err();
    assert_eq!(err.name(), "ProtocolError", "B = 0 must be refused");
    assert_eq!(p.requests().len(), 1);
}

#[test]
fn missing_password_and_offline_are_typed() {
    let p = FakePlatform::new(|_, _| Ok(json!({})));
    let input = SignInInput { password: None, ..srp_input("alice", "") };
    assert_eq!(block_on(sign_in(&p, &config(), input)).unwrap_err().name(), "InvalidParameterException");
    p.offline.set(true);
    let err = block_on(sign_in(&p, &config(), srp_input("alice", "pw"))).unwrap_err();
    assert_eq!((err.name(), err.retryable()), ("NetworkError", true));
}

/// Signs in with a device remembered (dev-1), then signs out: the device's secrets stay.
fn remembered(server: &FakeSrpServer) -> FakePlatform {
    server.state().tracks_devices.set(true);
    let p = server.platform();
    block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap();
    block_on(crate::flows::sign_out::sign_out(&p, &config(), false)).unwrap();
    assert_eq!(server.state().device_key().as_deref(), Some("us-east-1_dev-1"));
    p
}

fn device_items(p: &FakePlatform) -> Vec<(String, String)> {
    p.storage.snapshot().into_iter().filter(|(k, _)| k.contains("device") || k.contains("Device")).collect()
}

fn device_key_sent(body: &Value) -> Option<&str> {
    body["AuthParameters"]["DEVICE_KEY"].as_str().or_else(|| body["ChallengeResponses"]["DEVICE_KEY"].as_str())
}

#[test]
fn a_device_cognito_no_longer_knows_is_dropped_and_the_sign_in_repeated_without_it() {
    let server = server();
    let p = remembered(&server);
    // Forgotten on another device (or by an admin): Cognito refuses the key.
    server.state().forget_device();
    let before = p.requests().len();
    server.script([challenge("SMS_MFA", json!({}))]);
    let step = block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap();
    assert_eq!(step.name(), "CONFIRM_SIGN_IN_WITH_SMS_CODE", "asked for MFA again, not locked out");
    let requests = p.requests();
    let initiates: Vec<_> = requests[before..].iter().filter(|(op, _)| *op == Operation::InitiateAuth).collect();
    assert_eq!(initiates.len(), 2);
    assert_eq!(device_key_sent(&initiates[0].1), Some("us-east-1_dev-1"));
    assert_eq!(device_key_sent(&initiates[1].1), None, "repeated without the dead key");
    assert!(requests[before..].iter().all(|(op, b)| *op == Operation::InitiateAuth || device_key_sent(b).is_none()));
    assert!(device_items(&p).is_empty(), "{:?}", device_items(&p));

    // The user can remember this device anew.
    assert_eq!(block_on(confirm_sign_in(&p, &config(), answer("123456"))).unwrap(), NextStep::Done);
    let items = p.storage.snapshot();
    let new_key = items.get("CognitoIdentityServiceProvider.client1.a1b2-uuid.deviceKey").map(String::as_str);
    assert_eq!(new_key, Some("us-east-1_dev-2"));
    assert_eq!(items.get(OWNERS).map(String::as_str), Some(r#"{"alice":"a1b2-uuid"}"#));
}

/// Secrets found only under USER_ID_FOR_SRP (as the official client stores them, no pointer) go out with
/// PASSWORD_VERIFIER; refused there, they are dropped and the sign-in starts again without them.
#[test]
fn a_dead_device_key_refused_at_password_verifier_is_dropped_too() {
    let server = server();
    let p = remembered(&server);
    p.storage.remove_item(OWNERS).unwrap();
    server.state().forget_device();
    server.script([challenge("SMS_MFA", json!({}))]);
    let before = p.requests().len();
    let step = block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap();
    assert_eq!(step.name(), "CONFIRM_SIGN_IN_WITH_SMS_CODE");
    let sent: Vec<_> = p.requests()[before..].iter().map(|(op, b)| (*op, device_key_sent(b).map(str::to_owned))).collect();
    assert_eq!(sent, [
        (Operation::InitiateAuth, None),
        (Operation::RespondToAuthChallenge, Some("us-east-1_dev-1".to_owned())),
        (Operation::InitiateAuth, None),
        (Operation::RespondToAuthChallenge, None),
    ]);
    assert!(device_items(&p).is_empty(), "{:?}", device_items(&p));
}

/// Older versions stored a copy of the secrets under the typed name too, without a pointer. The copy is still
/// used, then moved: the typed name becomes a pointer.
#[test]
fn secrets_older_versions_left_under_the_typed_name_are_used_and_moved() {
    let server = server();
    let p = remembered(&server);
    p.storage.remove_item(OWNERS).unwrap();
    for (k, v) in p.storage.snapshot() {
        if let Some(item) = k.strip_prefix("CognitoIdentityServiceProvider.client1.a1b2-uuid.") {
            if item.starts_with("device") || item == "randomPasswordKey" {
                p.storage.set_item(&format!("CognitoIdentityServiceProvider.client1.alice.{item}"), &v).unwrap();
            }
        }
    }
    server.script([challenge("SMS_MFA", json!({}))]);
    assert_eq!(block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap(), NextStep::Done);
    let initiate = p.requests().into_iter().rev().find(|(op, _)| *op == Operation::InitiateAuth).unwrap();
    assert_eq!(device_key_sent(&initiate.1), Some("us-east-1_dev-1"), "the copy was found from the typed name");
    assert_eq!(server.state().script.borrow().len(), 1, "MFA was skipped");
    let items = p.storage.snapshot();
    assert!(items.keys().all(|k| !k.contains(".alice.")), "the copy is gone: {items:?}");
    assert_eq!(items.get(OWNERS).map(String::as_str), Some(r#"{"alice":"a1b2-uuid"}"#));
    assert!(items.contains_key("CognitoIdentityServiceProvider.client1.a1b2-uuid.randomPasswordKey"));
}

/// …and a copy whose device was forgotten meanwhile (older versions removed only the first copy) is refused by
/// Cognito and dropped, never sent again.
#[test]
fn a_dead_copy_older_versions_left_under_the_typed_name_is_dropped() {
    let server = server();
    let p = remembered(&server);
    for (k, _) in p.storage.snapshot() {
        if k.contains("device") || k.contains("randomPasswordKey") {
            p.storage.remove_item(&k).unwrap();
        }
    }
    for (item, value) in [("deviceKey", "us-east-1_old"), ("deviceGroupKey", "-old"), ("randomPasswordKey", "pw")] {
        p.storage.set_item(&format!("CognitoIdentityServiceProvider.client1.alice.{item}"), value).unwrap();
    }
    server.script([challenge("SMS_MFA", json!({}))]);
    let step = block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap();
    assert_eq!(step.name(), "CONFIRM_SIGN_IN_WITH_SMS_CODE");
    assert!(device_items(&p).is_empty(), "{:?}", device_items(&p));
    cancel_sign_in(&p, &config()).unwrap();
    let before = p.requests().len();
    server.script([challenge("SMS_MFA", json!({}))]);
    block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap();
    assert!(p.requests()[before..].iter().all(|(_, b)| device_key_sent(b).is_none()));
}

/// With retries on, a 500 on RespondToAuthChallenge is not repeated (its code and Session are single-use), and
/// the sign-in stays pending so that confirmSignIn can be called again.
#[test]
fn a_500_on_respond_to_auth_challenge_is_not_retried_and_the_sign_in_stays_pending() {
    let server = server();
    let p = server.platform();
    p.retries.set(crate::protocol::RetryPolicy::STANDARD);
    server.script([challenge("SMS_MFA", json!({})), Err(("HTTP 500", ""))]);
    assert_eq!(block_on(sign_in(&p, &config(), srp_input("alice", PASSWORD))).unwrap().name(), "CONFIRM_SIGN_IN_WITH_SMS_CODE");
    let before = p.count(Operation::RespondToAuthChallenge);
    let err = block_on(confirm_sign_in(&p, &config(), answer("123456"))).unwrap_err();
    assert_eq!((err.name(), err.retryable()), ("InternalErrorException", true));
    assert_eq!(p.count(Operation::RespondToAuthChallenge), before + 1, "sent once");
    assert_eq!(pending_step(&p, &config()).unwrap().map(|s| s.name()), Some("CONFIRM_SIGN_IN_WITH_SMS_CODE"));
    assert_eq!(block_on(confirm_sign_in(&p, &config(), answer("123456"))).unwrap(), NextStep::Done);
    assert_eq!(p.count(Operation::RespondToAuthChallenge), before + 2);
}

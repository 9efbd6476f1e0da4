use serde_json::{json, Value};

use crate::harness::{claims, DeviceSecrets, Harness, Pool, PASSWORD};

/// Signs in with SMS MFA and returns the authentication result.
fn sign_in_with_sms(h: &Harness, pool: &Pool, username: &str, device_key: Option<&str>) -> Value {
    let c = h.srp_sign_in(pool, username, PASSWORD, device_key).unwrap();
    assert_eq!(c["ChallengeName"], "SMS_MFA", "{c}");
    h.respond(
        pool,
        &c,
        username,
        json!({"SMS_MFA_CODE": h.code_text(pool, username)}),
    )
    .unwrap()
}

fn mfa_user(h: &Harness, pool: &Pool, username: &str) {
    h.user(
        pool,
        username,
        json!({"attributes": {"phone_number": "+15551230000"}, "mfa": {"sms": true}}),
    );
}

#[test]
fn always_remembered_device_skips_mfa() {
    let h = Harness::new();
    let pool = h.pool(json!({"mfa": "OPTIONAL", "deviceTracking": "ALWAYS"}));
    mfa_user(&h, &pool, "dev");
    let first = sign_in_with_sms(&h, &pool, "dev", None);
    let auth = &first["AuthenticationResult"];
    let meta = &auth["NewDeviceMetadata"];
    let key = meta["DeviceKey"].as_str().unwrap().to_string();
    let group = meta["DeviceGroupKey"].as_str().unwrap().to_string();
    assert!(
        key.starts_with("us-east-1_") && key.len() == "us-east-1_".len() + 36,
        "{key}"
    );
    assert!(group.starts_with('-'));
    assert_eq!(claims(&auth["AccessToken"])["device_key"], key.as_str());
    let secrets = DeviceSecrets {
        key: key.clone(),
        group,
        password: "cmFuZG9tLWRldmljZS1wYXNzd29yZA==".into(),
    };
    let access = auth["AccessToken"].clone();
    let confirmed = h.ok(
        "ConfirmDevice",
        json!({"AccessToken": access, "DeviceKey": key,
        "DeviceSecretVerifierConfig": secrets.verifier_config(), "DeviceName": "Firefox on Linux"}),
    );
    assert_eq!(confirmed, json!({"UserConfirmationNecessary": false}));

    // the next sign-in with the device key: DEVICE_SRP_AUTH instead of MFA
    let c = h.srp_sign_in(&pool, "dev", PASSWORD, Some(&key)).unwrap();
    let done = secrets.authenticate(&h, &pool, &c, "dev").unwrap();
    let result = &done["AuthenticationResult"];
    assert!(result.get("NewDeviceMetadata").is_none());
    assert_eq!(claims(&result["AccessToken"])["device_key"], key.as_str());
    // a wrong device password fails
    let c = h.srp_sign_in(&pool, "dev", PASSWORD, Some(&key)).unwrap();
    let impostor = DeviceSecrets {
        password: "wrong".into(),
        ..secrets_clone(&secrets)
    };
    assert_eq!(
        impostor.authenticate(&h, &pool, &c, "dev").unwrap_err().0,
        "NotAuthorizedException"
    );

    // ListDevices / GetDevice
    let list = h.ok("ListDevices", json!({"AccessToken": access, "Limit": 10}));
    let devices = list["Devices"].as_array().unwrap();
    assert_eq!(devices.len(), 1);
    let d = &devices[0];
    assert_eq!(d["DeviceKey"], key.as_str());
    assert!(d["DeviceAttributes"]
        .as_array()
        .unwrap()
        .contains(&json!({"Name": "device_name", "Value": "Firefox on Linux"})));
    assert!(
        d["DeviceCreateDate"].is_u64()
            && d["DeviceLastAuthenticatedDate"].is_u64()
            && d["DeviceLastModifiedDate"].is_u64()
    );
    assert_eq!(
        h.ok(
            "GetDevice",
            json!({"AccessToken": access, "DeviceKey": key})
        )["Device"]["DeviceKey"],
        key.as_str()
    );
    assert_eq!(
        h.err(
            "GetDevice",
            json!({"AccessToken": access, "DeviceKey": "us-east-1_nope"})
        )
        .0,
        "ResourceNotFoundException"
    );

    // forgotten: MFA again, and a new device key
    h.ok(
        "ForgetDevice",
        json!({"AccessToken": access, "DeviceKey": key}),
    );
    assert_eq!(
        h.ok("ListDevices", json!({"AccessToken": access}))["Devices"],
        json!([])
    );
    // A forgotten key is refused ("Device does not exist."); without it the sign-in is a new device's.
    assert_eq!(
        h.srp_sign_in(&pool, "dev", PASSWORD, Some(&key))
            .unwrap_err(),
        device_gone()
    );
    let again = sign_in_with_sms(&h, &pool, "dev", None);
    assert_ne!(
        again["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"],
        key.as_str()
    );
}

fn secrets_clone(s: &DeviceSecrets) -> DeviceSecrets {
    DeviceSecrets {
        key: s.key.clone(),
        group: s.group.clone(),
        password: s.password.clone(),
    }
}

#[test]
fn user_opt_in_devices_need_update_device_status() {
    let h = Harness::new();
    let pool = h.pool(json!({"mfa": "OPTIONAL", "deviceTracking": "USER_OPT_IN"}));
    mfa_user(&h, &pool, "opt");
    let first = sign_in_with_sms(&h, &pool, "opt", None);
    let auth = &first["AuthenticationResult"];
    let meta = &auth["NewDeviceMetadata"];
    let secrets = DeviceSecrets {
        key: meta["DeviceKey"].as_str().unwrap().into(),
        group: meta["DeviceGroupKey"].as_str().unwrap().into(),
        password: "pw".into(),
    };
    let access = auth["AccessToken"].clone();
    let confirmed = h.ok(
        "ConfirmDevice",
        json!({"AccessToken": access, "DeviceKey": secrets.key,
        "DeviceSecretVerifierConfig": secrets.verifier_config()}),
    );
    assert_eq!(confirmed, json!({"UserConfirmationNecessary": true}));

    // not remembered: MFA first, then the device authenticates (no new device metadata)
    let c = h
        .srp_sign_in(&pool, "opt", PASSWORD, Some(&secrets.key))
        .unwrap();
    assert_eq!(c["ChallengeName"], "SMS_MFA");
    let device_step = h
        .respond(
            &pool,
            &c,
            "opt",
            json!({"SMS_MFA_CODE": h.code_text(&pool, "opt")}),
        )
        .unwrap();
    let done = secrets
        .authenticate(&h, &pool, &device_step, "opt")
        .unwrap();
    assert!(done["AuthenticationResult"]
        .get("NewDeviceMetadata")
        .is_none());

    let e = h.err("UpdateDeviceStatus", json!({"AccessToken": access, "DeviceKey": secrets.key, "DeviceRememberedStatus": "sometimes"}));
    assert_eq!(e.0, "InvalidParameterException");
    h.ok("UpdateDeviceStatus", json!({"AccessToken": access, "DeviceKey": secrets.key, "DeviceRememberedStatus": "remembered"}));
    let c = h
        .srp_sign_in(&pool, "opt", PASSWORD, Some(&secrets.key))
        .unwrap();
    assert!(
        secrets.authenticate(&h, &pool, &c, "opt").unwrap()["AuthenticationResult"].is_object()
    );
    let status = h.ok(
        "GetDevice",
        json!({"AccessToken": access, "DeviceKey": secrets.key}),
    )["Device"]["DeviceAttributes"]
        .clone();
    assert!(status
        .as_array()
        .unwrap()
        .contains(&json!({"Name": "dev:device_remembered_status", "Value": "remembered"})));

    h.ok("UpdateDeviceStatus", json!({"AccessToken": access, "DeviceKey": secrets.key, "DeviceRememberedStatus": "not_remembered"}));
    assert_eq!(
        h.srp_sign_in(&pool, "opt", PASSWORD, Some(&secrets.key))
            .unwrap()["ChallengeName"],
        "SMS_MFA"
    );
}

#[test]
fn devices_without_mfa_and_without_tracking() {
    let h = Harness::new();
    let pool = h.pool(json!({"deviceTracking": "ALWAYS"}));
    h.user(&pool, "plain", json!({}));
    let first = h.password_auth(&pool, "plain", PASSWORD).unwrap()["AuthenticationResult"].clone();
    let meta = &first["NewDeviceMetadata"];
    let secrets = DeviceSecrets {
        key: meta["DeviceKey"].as_str().unwrap().into(),
        group: meta["DeviceGroupKey"].as_str().unwrap().into(),
        password: "pw".into(),
    };
    // unconfirmed device keys are ignored: a fresh device
    let again = h.password_auth(&pool, "plain", PASSWORD).unwrap();
    assert!(again["AuthenticationResult"]["NewDeviceMetadata"].is_object());
    h.ok(
        "ConfirmDevice",
        json!({"AccessToken": first["AccessToken"], "DeviceKey": secrets.key,
        "DeviceSecretVerifierConfig": secrets.verifier_config()}),
    );
    // a remembered device authenticates even when no MFA is due
    let c = h
        .srp_sign_in(&pool, "plain", PASSWORD, Some(&secrets.key))
        .unwrap();
    assert_eq!(c["ChallengeName"], "DEVICE_SRP_AUTH");
    assert!(
        secrets.authenticate(&h, &pool, &c, "plain").unwrap()["AuthenticationResult"].is_object()
    );
    // ConfirmDevice needs a real verifier config and a known key
    let e = h.err(
        "ConfirmDevice",
        json!({"AccessToken": first["AccessToken"], "DeviceKey": "us-east-1_x",
        "DeviceSecretVerifierConfig": secrets.verifier_config()}),
    );
    assert_eq!(e.0, "ResourceNotFoundException");
    let e = h.err(
        "ConfirmDevice",
        json!({"AccessToken": first["AccessToken"], "DeviceKey": secrets.key}),
    );
    assert_eq!(e.0, "InvalidParameterException");

    let untracked = h.pool(json!({}));
    h.user(&untracked, "plain", json!({}));
    let r = h.password_auth(&untracked, "plain", PASSWORD).unwrap();
    assert!(r["AuthenticationResult"].get("NewDeviceMetadata").is_none());
    assert!(claims(&r["AuthenticationResult"]["AccessToken"])
        .get("device_key")
        .is_none());
}

/// A device-tracking pool, a user, and the key of a device that user confirmed and then forgot.
fn forgotten_device(h: &Harness, config: Value) -> (Pool, String) {
    let pool = h.pool(config);
    h.user(&pool, "fred", json!({}));
    let first = h.srp_sign_in(&pool, "fred", PASSWORD, None).unwrap();
    let auth = &first["AuthenticationResult"];
    let key = auth["NewDeviceMetadata"]["DeviceKey"]
        .as_str()
        .unwrap()
        .to_string();
    let secrets = DeviceSecrets {
        key: key.clone(),
        group: auth["NewDeviceMetadata"]["DeviceGroupKey"]
            .as_str()
            .unwrap()
            .to_string(),
        password: "cGFzc3dvcmQ=".into(),
    };
    h.ok(
        "ConfirmDevice",
        json!({"AccessToken": auth["AccessToken"], "DeviceKey": key,
               "DeviceSecretVerifierConfig": secrets.verifier_config()}),
    );
    h.ok(
        "ForgetDevice",
        json!({"AccessToken": auth["AccessToken"], "DeviceKey": key}),
    );
    (pool, key)
}

fn device_gone() -> (String, String) {
    (
        "ResourceNotFoundException".to_string(),
        "Device does not exist.".to_string(),
    )
}

#[test]
fn an_unknown_device_key_is_refused_on_password_auth() {
    let h = Harness::new();
    let (pool, key) = forgotten_device(&h, json!({"deviceTracking": "ALWAYS"}));
    let init = |device: Option<&str>, password: &str| {
        let mut params = json!({"USERNAME": "fred", "PASSWORD": password});
        if let Some(k) = device {
            params["DEVICE_KEY"] = json!(k);
        }
        h.op(
            "InitiateAuth",
            json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": pool.client, "AuthParameters": params}),
        )
    };
    assert_eq!(init(Some(&key), PASSWORD).unwrap_err(), device_gone());
    assert_eq!(
        init(
            Some("us-east-1_00000000-0000-4000-8000-000000000000"),
            PASSWORD
        )
        .unwrap_err(),
        device_gone()
    );
    // The password is checked first.
    assert_eq!(
        init(Some(&key), "Wr0ng-passw0rd").unwrap_err().0,
        "NotAuthorizedException"
    );
    // Another user's device is unknown for this one.
    h.user(&pool, "gina", json!({}));
    let gina = h.srp_sign_in(&pool, "gina", PASSWORD, None).unwrap();
    let hers = gina["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(init(Some(&hers), PASSWORD).unwrap_err(), device_gone());
    // Retried without the key, as Amplify does: signed in, with a new device.
    let again = init(None, PASSWORD).unwrap();
    assert!(again["AuthenticationResult"]["NewDeviceMetadata"].is_object());
}

#[test]
fn an_unknown_device_key_is_refused_on_custom_auth_without_srp() {
    let h = Harness::new();
    let (pool, key) = forgotten_device(
        &h,
        json!({"deviceTracking": "ALWAYS",
               "customAuth": {"challenges": [{"parameters": {"q": "2+2"}, "answer": "4"}]}}),
    );
    let init = |device: Option<&str>| {
        let mut params = json!({"USERNAME": "fred"});
        if let Some(k) = device {
            params["DEVICE_KEY"] = json!(k);
        }
        h.op(
            "InitiateAuth",
            json!({"AuthFlow": "CUSTOM_AUTH", "ClientId": pool.client, "AuthParameters": params}),
        )
    };
    assert_eq!(init(Some(&key)).unwrap_err(), device_gone());
    assert_eq!(init(None).unwrap()["ChallengeName"], "CUSTOM_CHALLENGE");
}

#[test]
fn an_unknown_device_key_is_refused_on_password_verifier_and_the_session_survives() {
    let h = Harness::new();
    let (pool, key) = forgotten_device(&h, json!({"deviceTracking": "ALWAYS"}));
    // InitiateAuth USER_SRP_AUTH does not look at the key (the official client sends it there too) …
    let client = crate::srp::test_client::Client::new();
    let init = h.ok(
        "InitiateAuth",
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": pool.client,
               "AuthParameters": {"USERNAME": "fred", "SRP_A": client.big_a.to_str_radix(16),
                                  "DEVICE_KEY": key}}),
    );
    assert_eq!(init["ChallengeName"], "PASSWORD_VERIFIER");
    // … PASSWORD_VERIFIER with it does, and the same challenge can be answered again without it.
    assert_eq!(
        h.answer_password_verifier(&pool, &client, &init, PASSWORD, Some(&key))
            .unwrap_err(),
        device_gone()
    );
    let done = h
        .answer_password_verifier(&pool, &client, &init, PASSWORD, None)
        .unwrap();
    let auth = &done["AuthenticationResult"];
    let new_key = auth["NewDeviceMetadata"]["DeviceKey"].as_str().unwrap();
    assert_ne!(new_key, key);
    assert_eq!(claims(&auth["AccessToken"])["device_key"], new_key);
}

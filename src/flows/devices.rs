//! Remembered devices: confirming a new device with an SRP verifier, and listing, remembering and forgetting
//! devices, with the signed-in user's access token. Their secrets are kept by [`super::device_secrets`].
//!
//! A remembered device lets its user skip MFA: Cognito then asks for DEVICE_SRP_AUTH, which the sign-in answers
//! with the device's own secret, without the user.

use crate::b64;
use crate::protocol::types::{
    ConfirmDeviceRequest, ConfirmDeviceResponse, DeviceSecretVerifierConfig, Empty, ForgetDeviceRequest,
    ListDevicesRequest, ListDevicesResponse, NewDeviceMetadata, UpdateDeviceStatusRequest,
};
use crate::protocol::{call, Operation};
use crate::session::StorageKeys;
use crate::srp::{compute_a, compute_x, hex, Uint};

use super::current::{access_token, signed_in};
use super::device_secrets::{load, remove, save, DeviceSecrets};
use super::{Config, Error, Platform};

/// ConfirmDevice's verifier: salt random, x = H(padHex(salt) ‖ H(groupKey ‖ deviceKey ‖ ":" ‖ password)),
/// verifier = g^x mod N, both sent as base64 of their padHex bytes.
#[must_use]
pub fn verifier_config(d: &DeviceSecrets, salt: &[u8]) -> DeviceSecretVerifierConfig {
    let salt = Uint::from_be_bytes(salt);
    let x = compute_x(&salt, &d.group_key, &d.key, &d.password);
    let verifier = compute_a(&x);
    DeviceSecretVerifierConfig {
        password_verifier: b64::encode(&hex::padded_bytes(&verifier)),
        salt: b64::encode(&hex::padded_bytes(&salt)),
    }
}

/// Confirms a device Cognito has just issued keys for, and stores its secrets under `owner`, the name the
/// session is stored under. Returns whether the pool leaves it to the user to remember the device
/// (`rememberDevice()`).
pub async fn confirm_new<P: Platform>(
    p: &P,
    config: &Config,
    access_token: &str,
    metadata: NewDeviceMetadata,
    owner: &str,
) -> Result<bool, Error> {
    // 40 random bytes of password and 16 of salt, as the official client makes them.
    let mut random = [0u8; 56];
    p.fill(&mut random).map_err(Error::Random)?;
    let (password_bytes, salt) = random.split_at(40);
    let secrets = DeviceSecrets {
        key: metadata.device_key,
        group_key: metadata.device_group_key,
        password: b64::encode(password_bytes),
    };
    let request = ConfirmDeviceRequest {
        access_token: access_token.to_owned(),
        device_key: secrets.key.clone(),
        device_secret_verifier_config: verifier_config(&secrets, salt),
        device_name: config.device_name.clone(),
    };
    let response: ConfirmDeviceResponse = call(p, Operation::ConfirmDevice, &request).await?;
    save(p.storage(), &StorageKeys::new(config.client_id()), owner, &secrets)?;
    Ok(response.user_confirmation_necessary)
}

/// A device as the app sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    pub id: String,
    pub name: Option<String>,
    /// Milliseconds since the epoch.
    pub created_at: Option<i64>,
    pub last_modified_at: Option<i64>,
    pub last_authenticated_at: Option<i64>,
}

/// Marks this device as remembered, so that signing in on it skips MFA (pools that let users choose).
pub async fn remember<P: Platform>(p: &P, config: &Config) -> Result<(), Error> {
    set_status(p, config, "remembered").await
}

async fn set_status<P: Platform>(p: &P, config: &Config, status: &str) -> Result<(), Error> {
    let session = signed_in(p, config).await?;
    let keys = StorageKeys::new(config.client_id());
    let Some(device) = load(p.storage(), &keys, &session.username)? else {
        return Err(Error::InvalidState {
            name: "DeviceNotTrackedException",
            message: "this device has no device key: the pool does not track devices, or it was forgotten".into(),
        });
    };
    let request = UpdateDeviceStatusRequest {
        access_token: session.tokens.access_token,
        device_key: device.key,
        device_remembered_status: status.to_owned(),
    };
    let _: Empty = call(p, Operation::UpdateDeviceStatus, &request).await?;
    Ok(())
}

/// Forgets a device (this one when `device_key` is `None`); forgetting this one also drops its local secrets and
/// the typed names leading to them, so the next sign-in, whatever name it is typed with, asks for MFA again.
pub async fn forget<P: Platform>(p: &P, config: &Config, device_key: Option<&str>) -> Result<(), Error> {
    let session = signed_in(p, config).await?;
    let keys = StorageKeys::new(config.client_id());
    let current = load(p.storage(), &keys, &session.username)?;
    let target = match (device_key, &current) {
        (Some(key), _) => key.to_owned(),
        (None, Some(d)) => d.key.clone(),
        (None, None) => {
            return Err(Error::InvalidState {
                name: "DeviceNotTrackedException",
                message: "this device has no device key to forget".into(),
            })
        }
    };
    let request = ForgetDeviceRequest { access_token: session.tokens.access_token, device_key: target.clone() };
    let _: Empty = call(p, Operation::ForgetDevice, &request).await?;
    if current.as_ref().is_some_and(|d| d.key == target) {
        remove(p.storage(), &keys, &session.username)?;
    }
    Ok(())
}

/// The user's remembered devices (all pages).
pub async fn list<P: Platform>(p: &P, config: &Config) -> Result<Vec<Device>, Error> {
    let access_token = access_token(p, config).await?;
    let mut devices = Vec::new();
    let mut pagination_token = None;
    loop {
        let request = ListDevicesRequest {
            access_token: access_token.clone(),
            limit: Some(60),
            pagination_token: pagination_token.take(),
        };
        let page: ListDevicesResponse = call(p, Operation::ListDevices, &request).await?;
        devices.extend(page.devices.into_iter().map(|d| Device {
            name: d.device_attributes.iter().find(|a| a.name == "device_name").map(|a| a.value.clone()),
            id: d.device_key,
            created_at: d.device_create_date,
            last_modified_at: d.device_last_modified_date,
            last_authenticated_at: d.device_last_authenticated_date,
        }));
        match page.pagination_token {
            Some(token) if !token.is_empty() => pagination_token = Some(token),
            _ => return Ok(devices),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::fake::{srp_input, FakePlatform, FakeSrpServer};
    use crate::flows::sign_in::{sign_in, NextStep};
    use crate::protocol::Operation;
    use crate::srp::group;
    use crate::test_support::block_on;

    fn config() -> Config {
        Config::new("us-east-1_Pool1", "client1").unwrap()
    }

    /// Signed in as "alice" with a remembered device, on a Cognito that names the user as real Cognito does:
    /// `cognito:username` is the user id for SRP, not the typed alias.
    fn signed_in_with_device() -> (FakeSrpServer, FakePlatform) {
        let server = FakeSrpServer::new("Pool1", "a1b2-uuid", "Passw0rd!");
        server.state().tracks_devices.set(true);
        *server.state().cognito_username.borrow_mut() = "a1b2-uuid".to_owned();
        let p = server.platform();
        block_on(sign_in(&p, &config(), srp_input("alice", "Passw0rd!"))).unwrap();
        assert!(load(&p.storage, &StorageKeys::new("client1"), "a1b2-uuid").unwrap().is_some());
        (server, p)
    }

    fn device_items(p: &FakePlatform) -> Vec<String> {
        p.storage.snapshot().into_keys().filter(|k| k.contains("device") || k.contains("Device") || k.contains("randomPassword")).collect()
    }

    /// After the device is gone here, the next sign-in by the alias sends no DEVICE_KEY and is asked for MFA.
    fn next_sign_in_sends_no_device_key(server: &FakeSrpServer, p: &FakePlatform) {
        let before = p.requests().len();
        server.script([Ok(serde_json::json!({"ChallengeName": "SMS_MFA", "Session": "s", "ChallengeParameters": {}}))]);
        let step = block_on(sign_in(p, &config(), srp_input("alice", "Passw0rd!"))).unwrap();
        assert_ne!(step, NextStep::Done);
        for (op, body) in &p.requests()[before..] {
            assert!(body["AuthParameters"]["DEVICE_KEY"].is_null() && body["ChallengeResponses"]["DEVICE_KEY"].is_null(), "{op:?} {body}");
        }
    }

    #[test]
    fn forgetting_this_device_removes_its_secrets_and_every_name_leading_to_them() {
        let (server, p) = signed_in_with_device();
        block_on(forget(&p, &config(), None)).unwrap();
        let (_, body) = p.requests().pop().unwrap();
        assert_eq!(body["DeviceKey"], "us-east-1_dev-1");
        assert!(device_items(&p).is_empty(), "{:?}", device_items(&p));
        block_on(crate::flows::sign_out::sign_out(&p, &config(), false)).unwrap();
        next_sign_in_sends_no_device_key(&server, &p);
    }

    #[test]
    fn forgetting_another_device_keeps_this_ones_secrets() {
        let (_server, p) = signed_in_with_device();
        let before = device_items(&p);
        block_on(forget(&p, &config(), Some("us-east-1_other"))).unwrap();
        assert_eq!(device_items(&p), before);
    }

    #[test]
    fn deleting_the_user_removes_the_device_secrets_and_every_name_leading_to_them() {
        let (server, p) = signed_in_with_device();
        block_on(crate::flows::account::delete_user(&p, &config())).unwrap();
        assert_eq!(p.requests().pop().unwrap().0, Operation::DeleteUser);
        assert!(p.storage.snapshot().is_empty(), "{:?}", p.storage.snapshot());
        next_sign_in_sends_no_device_key(&server, &p);
    }

    #[test]
    fn verifier_is_g_to_the_x_in_padded_base64() {
        let d = DeviceSecrets { key: "us-east-1_abc".into(), group_key: "-grp".into(), password: "pw".into() };
        let config = verifier_config(&d, &[0x80, 1, 2]);
        let salt = b64::decode(&config.salt).unwrap();
        assert_eq!(salt, vec![0, 0x80, 1, 2], "a salt with its top bit set gets a zero byte, as padHex does");
        use num_bigint::BigUint;
        let big = |v: &Uint| BigUint::from_bytes_be(v.to_be_bytes());
        let v = BigUint::from_bytes_be(&b64::decode(&config.password_verifier).unwrap());
        let x = compute_x(&Uint::from_be_bytes(&salt), "-grp", "us-east-1_abc", "pw");
        assert_eq!(v, big(&group().g).modpow(&big(&x), &big(&group().n)));
    }
}

//! Remembered devices: confirming a new device with an SRP verifier, keeping its secrets, and listing,
//! remembering and forgetting devices.
//!
//! A remembered device lets its user skip MFA: Cognito then asks for DEVICE_SRP_AUTH, which the sign-in answers
//! with the device's own secret, without the user.


use crate::b64;
use crate::protocol::types::{
    ConfirmDeviceRequest, ConfirmDeviceResponse, DeviceSecretVerifierConfig, Empty, ForgetDeviceRequest,
    ListDevicesRequest, ListDevicesResponse, NewDeviceMetadata, UpdateDeviceStatusRequest,
};
use crate::protocol::{call, Operation};
use crate::session::{Storage, StorageKeys};
use crate::srp::{compute_a, compute_x, hex, Uint};

use super::current::{access_token, signed_in};
use super::{Config, Error, Platform};

const DEVICE_KEY: &str = "deviceKey";
const DEVICE_GROUP_KEY: &str = "deviceGroupKey";
const DEVICE_PASSWORD: &str = "randomPasswordKey";

/// A confirmed device's secrets, kept under the official client's keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceSecrets {
    pub key: String,
    pub group_key: String,
    /// The random password whose SRP verifier Cognito holds.
    pub password: String,
}

/// The device secrets stored for `username`, if all three are there.
pub async fn load<S: Storage>(storage: &S, keys: &StorageKeys, username: &str) -> Result<Option<DeviceSecrets>, Error> {
    let mut items = Vec::with_capacity(3);
    for item in [DEVICE_KEY, DEVICE_GROUP_KEY, DEVICE_PASSWORD] {
        match storage.get_item(&keys.user_item(username, item)).await? {
            Some(value) if !value.is_empty() => items.push(value),
            _ => return Ok(None),
        }
    }
    let mut items = items.into_iter();
    match (items.next(), items.next(), items.next()) {
        (Some(key), Some(group_key), Some(password)) => Ok(Some(DeviceSecrets { key, group_key, password })),
        _ => Ok(None),
    }
}

/// Stores the secrets under each name the user is known by here: the official client looks them up under the
/// name it stores tokens under, and the next sign-in, which must send DEVICE_KEY before Cognito says who the user
/// is, under the name the user types.
pub async fn save<S: Storage>(storage: &S, keys: &StorageKeys, usernames: &[&str], d: &DeviceSecrets) -> Result<(), Error> {
    for username in usernames {
        storage.set_item(&keys.user_item(username, DEVICE_KEY), &d.key).await?;
        storage.set_item(&keys.user_item(username, DEVICE_GROUP_KEY), &d.group_key).await?;
        storage.set_item(&keys.user_item(username, DEVICE_PASSWORD), &d.password).await?;
    }
    Ok(())
}

/// Removes the secrets stored under `username`.
pub async fn remove<S: Storage>(storage: &S, keys: &StorageKeys, username: &str) -> Result<(), Error> {
    for item in [DEVICE_KEY, DEVICE_GROUP_KEY, DEVICE_PASSWORD] {
        storage.remove_item(&keys.user_item(username, item)).await?;
    }
    Ok(())
}

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

/// Confirms a device Cognito has just issued keys for, and stores its secrets. Returns whether the pool leaves it
/// to the user to remember the device (`rememberDevice()`).
pub async fn confirm_new<P: Platform>(
    p: &P,
    config: &Config,
    access_token: &str,
    metadata: NewDeviceMetadata,
    usernames: &[&str],
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
    save(p.storage(), &StorageKeys::new(config.client_id()), usernames, &secrets).await?;
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
    let Some(device) = load(p.storage(), &keys, &session.username).await? else {
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

/// Forgets a device (this one when `device_key` is `None`); forgetting this one also drops its local secrets,
/// so the next sign-in asks for MFA again.
pub async fn forget<P: Platform>(p: &P, config: &Config, device_key: Option<&str>) -> Result<(), Error> {
    let session = signed_in(p, config).await?;
    let keys = StorageKeys::new(config.client_id());
    let current = load(p.storage(), &keys, &session.username).await?;
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
        remove(p.storage(), &keys, &session.username).await?;
        if let Some(typed) = session.id_claims.string("cognito:username") {
            remove(p.storage(), &keys, typed).await?;
        }
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
    use crate::srp::group;

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

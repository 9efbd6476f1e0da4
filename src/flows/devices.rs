//! Remembered devices: confirming a new device with an SRP verifier, keeping its secrets, and listing,
//! remembering and forgetting devices.
//!
//! A remembered device lets its user skip MFA: Cognito then asks for DEVICE_SRP_AUTH, which the sign-in answers
//! with the device's own secret, without the user.
//!
//! # Where the secrets are kept
//!
//! Once, under the name the session's tokens are stored under (USER_ID_FOR_SRP), with the official client's keys
//! `CognitoIdentityServiceProvider.<clientId>.<username>.{deviceKey,deviceGroupKey,randomPasswordKey}`, so that
//! amazon-cognito-identity-js finds them too. A sign-in names the user by what was typed (an email, a phone
//! number, a preferred username), which differs from that username in alias pools, and it sends DEVICE_KEY
//! before Cognito has said who the user is; so one more item, `cognito-wasm.<clientId>.deviceOwners`
//! ([`StorageKeys::device_owners`]), maps each typed name to the username the secrets are under. Forgetting the
//! device, deleting the user, or Cognito saying the device no longer exists removes the secrets and every
//! typed name leading to them at once; nothing else refers to them.
//!
//! Versions before this layout also stored a copy of the secrets under the typed name. Such a copy is still
//! found by a sign-in with that name (as are secrets under the typed name when it is the username itself), and
//! moved: after the sign-in, it goes to the username (unless one is stored there already, which wins as it
//! does at PASSWORD_VERIFIER) and the typed name becomes a pointer. A copy whose device was forgotten meanwhile
//! is answered by Cognito with "Device does not exist", dropped, and the sign-in repeated without it.

use crate::b64;
use crate::protocol::types::{
    ConfirmDeviceRequest, ConfirmDeviceResponse, DeviceSecretVerifierConfig, Empty, ForgetDeviceRequest,
    ListDevicesRequest, ListDevicesResponse, NewDeviceMetadata, StringMap, UpdateDeviceStatusRequest,
};
use crate::protocol::{call, FromJson, Json, Operation};
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

/// Device secrets and the username they are stored under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDevice {
    /// The `<username>` of their keys: USER_ID_FOR_SRP, or the typed name for a copy older versions left.
    pub owner: String,
    pub secrets: DeviceSecrets,
}

/// The device secrets stored under `username`, if all three are there.
pub async fn load<S: Storage>(storage: &S, keys: &StorageKeys, username: &str) -> Result<Option<DeviceSecrets>, Error> {
    let mut items: [String; 3] = Default::default();
    for (value, item) in items.iter_mut().zip([DEVICE_KEY, DEVICE_GROUP_KEY, DEVICE_PASSWORD]) {
        match storage.get_item(&keys.user_item(username, item)).await? {
            Some(v) if !v.is_empty() => *value = v,
            _ => return Ok(None),
        }
    }
    let [key, group_key, password] = items;
    Ok(Some(DeviceSecrets { key, group_key, password }))
}

/// The device secrets for a sign-in by `typed`, before Cognito has named the user: those of the username
/// `typed` leads to, else those stored under `typed` itself (a user who types the username, or a copy older
/// versions left).
pub async fn find<S: Storage>(storage: &S, keys: &StorageKeys, typed: &str) -> Result<Option<StoredDevice>, Error> {
    let mut names = Vec::with_capacity(2);
    if let Some(owner) = owners(storage, keys).await?.get(typed) {
        names.push(owner.clone());
    }
    names.push(typed.to_owned());
    // One `load` for both names (one await point, a smaller future).
    for owner in names {
        if let Some(secrets) = load(storage, keys, &owner).await? {
            return Ok(Some(StoredDevice { owner, secrets }));
        }
    }
    Ok(None)
}

/// Stores the secrets under `owner`, the name the session's tokens are stored under.
pub async fn save<S: Storage>(storage: &S, keys: &StorageKeys, owner: &str, d: &DeviceSecrets) -> Result<(), Error> {
    for (item, value) in [(DEVICE_KEY, &d.key), (DEVICE_GROUP_KEY, &d.group_key), (DEVICE_PASSWORD, &d.password)] {
        storage.set_item(&keys.user_item(owner, item), value).await?;
    }
    Ok(())
}

/// After a sign-in typed as `typed` that stored its session under `owner`: a copy of device secrets older
/// versions left under `typed` moves to `owner` (unless `owner` has secrets of its own, which win), and `typed`
/// then leads to `owner`'s secrets, or nowhere if there are none or it is `owner` itself.
pub async fn adopt<S: Storage>(storage: &S, keys: &StorageKeys, typed: &str, owner: &str) -> Result<(), Error> {
    // `owner`'s secrets, then a copy under `typed`, through one `load` (one await point, a smaller future).
    let mut owned = false;
    let names = [owner, typed];
    for &name in if typed == owner { &names[..1] } else { &names[..] } {
        let Some(found) = load(storage, keys, name).await? else { continue };
        if name == owner {
            owned = true;
        } else {
            if !owned {
                save(storage, keys, owner, &found).await?;
                owned = true;
            }
            remove_items(storage, keys, typed).await?;
        }
    }
    let mut map = owners(storage, keys).await?;
    let wanted = (owned && typed != owner).then_some(owner);
    if map.get(typed).map(String::as_str) == wanted {
        return Ok(());
    }
    match wanted {
        Some(o) => map.insert(typed.to_owned(), o.to_owned()),
        None => map.remove(typed),
    };
    write_owners(storage, keys, &map).await
}

/// Removes the secrets stored under `owner`, every typed name leading to them, and any copy older versions left
/// under those names: the device cannot be used from here again.
pub async fn remove<S: Storage>(storage: &S, keys: &StorageKeys, owner: &str) -> Result<(), Error> {
    let mut names = vec![owner.to_owned()];
    let mut kept = StringMap::new();
    for (typed, o) in owners(storage, keys).await?.into_pairs() {
        if o == owner {
            names.push(typed);
        } else {
            kept.insert(typed, o);
        }
    }
    for name in &names {
        remove_items(storage, keys, name).await?;
    }
    if names.len() > 1 {
        write_owners(storage, keys, &kept).await?;
    }
    Ok(())
}

/// Removes the secrets under `owner` as [`remove`] does if they are still those of `device_key`: another tab
/// may have confirmed a new device meanwhile, which must stay.
pub async fn remove_if_still<S: Storage>(storage: &S, keys: &StorageKeys, owner: &str, device_key: &str) -> Result<(), Error> {
    match load(storage, keys, owner).await? {
        Some(d) if d.key == device_key => remove(storage, keys, owner).await,
        _ => Ok(()),
    }
}

/// Whether Cognito refused a request because the device key it carried names no device (any more): the device
/// was forgotten on another device or deleted by an admin. Cognito answers ResourceNotFoundException "Device
/// does not exist."; the same name about the user pool or app client ("User pool client … does not exist.") is
/// a configuration error, not a stale device.
#[must_use]
pub fn is_stale(e: &Error) -> bool {
    match e {
        Error::Service(s) if s.name == "ResourceNotFoundException" => {
            let message = s.message.to_ascii_lowercase();
            crate::text::contains(&message, "device") && !crate::text::contains(&message, "client")
        }
        _ => false,
    }
}

async fn remove_items<S: Storage>(storage: &S, keys: &StorageKeys, username: &str) -> Result<(), Error> {
    for item in [DEVICE_KEY, DEVICE_GROUP_KEY, DEVICE_PASSWORD] {
        storage.remove_item(&keys.user_item(username, item)).await?;
    }
    Ok(())
}

/// The typed names and the usernames they lead to. Empty when absent or unreadable: the map is only a way to the
/// secrets before Cognito names the user, and a sign-in without it finds them under USER_ID_FOR_SRP later.
async fn owners<S: Storage>(storage: &S, keys: &StorageKeys) -> Result<StringMap, Error> {
    let text = storage.get_item(&keys.device_owners()).await?;
    Ok(text.and_then(|t| Json::parse(&t).ok()).and_then(|j| StringMap::from_json(&j).ok()).unwrap_or_default())
}

/// Writes the map, or removes its item when empty. Tabs writing it at the same instant may lose one's entry;
/// that costs only the DEVICE_KEY on that name's next InitiateAuth, which PASSWORD_VERIFIER then carries.
async fn write_owners<S: Storage>(storage: &S, keys: &StorageKeys, map: &StringMap) -> Result<(), Error> {
    let key = keys.device_owners();
    if map.is_empty() {
        storage.remove_item(&key).await?;
    } else {
        storage.set_item(&key, &Json::from(map).to_text()).await?;
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
    save(p.storage(), &StorageKeys::new(config.client_id()), owner, &secrets).await?;
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

/// Forgets a device (this one when `device_key` is `None`); forgetting this one also drops its local secrets and
/// the typed names leading to them, so the next sign-in, whatever name it is typed with, asks for MFA again.
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
        assert!(block_on(load(&p.storage, &StorageKeys::new("client1"), "a1b2-uuid")).unwrap().is_some());
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
    fn an_unreadable_pointer_item_is_ignored() {
        let storage = crate::session::MemoryStorage::default();
        let keys = StorageKeys::new("c");
        let d = DeviceSecrets { key: "k".into(), group_key: "g".into(), password: "p".into() };
        block_on(save(&storage, &keys, "uid", &d)).unwrap();
        block_on(storage.set_item(&keys.device_owners(), "{not json")).unwrap();
        assert_eq!(block_on(find(&storage, &keys, "alice")).unwrap(), None);
        block_on(adopt(&storage, &keys, "alice", "uid")).unwrap();
        let found = block_on(find(&storage, &keys, "alice")).unwrap();
        assert_eq!(found, Some(StoredDevice { owner: "uid".into(), secrets: d }));
        block_on(remove(&storage, &keys, "uid")).unwrap();
        assert!(storage.snapshot().is_empty(), "{:?}", storage.snapshot());
    }

    #[test]
    fn only_a_missing_device_counts_as_stale() {
        let service = |name: &str, message: &str| {
            Error::Service(crate::protocol::ServiceError { name: name.into(), message: message.into(), status: 400, retry_after_secs: None })
        };
        assert!(is_stale(&service("ResourceNotFoundException", "Device does not exist.")));
        assert!(!is_stale(&service("ResourceNotFoundException", "User pool client 123 does not exist.")));
        assert!(!is_stale(&service("ResourceNotFoundException", "User pool us-east-1_x does not exist.")));
        assert!(!is_stale(&service("NotAuthorizedException", "Device does not exist.")));
        assert!(!is_stale(&Error::Network("device".into())));
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

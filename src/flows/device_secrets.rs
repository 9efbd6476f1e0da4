//! This device's remembered-device secrets in storage: loading, saving and removing them, the pointers from the
//! names users type to them, and telling when Cognito no longer knows their device.
//!
//! The sign-in answers DEVICE_SRP_AUTH with them, and a refresh sends their device key; the device operations,
//! which call Cognito with the signed-in user's access token, are in [`super::devices`].
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

use crate::protocol::types::StringMap;
use crate::protocol::{FromJson, Json};
use crate::session::{Storage, StorageKeys};

use super::Error;

const DEVICE_KEY: &str = "deviceKey";
const DEVICE_GROUP_KEY: &str = "deviceGroupKey";
const DEVICE_PASSWORD: &str = "randomPasswordKey";
const ITEMS: [&str; 3] = [DEVICE_KEY, DEVICE_GROUP_KEY, DEVICE_PASSWORD];

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

/// The keys of the device secrets stored under each of `names`: what a flow reads ahead
/// ([`Storage::preload`]) before it looks for them under a name it has just learnt.
pub fn keys_of(keys: &StorageKeys, names: &[&str]) -> Vec<String> {
    let mut items = Vec::with_capacity(names.len() * ITEMS.len());
    for name in names {
        for item in ITEMS {
            items.push(keys.user_item(name, item));
        }
    }
    items
}

/// The device secrets stored under `username`, if all three are there.
pub fn load<S: Storage>(storage: &S, keys: &StorageKeys, username: &str) -> Result<Option<DeviceSecrets>, Error> {
    let mut items: [String; 3] = Default::default();
    for (value, item) in items.iter_mut().zip(ITEMS) {
        match storage.get_item(&keys.user_item(username, item))? {
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
pub fn find<S: Storage>(storage: &S, keys: &StorageKeys, typed: &str) -> Result<Option<StoredDevice>, Error> {
    let mut names = Vec::with_capacity(2);
    if let Some(owner) = owners(storage, keys)?.get(typed) {
        names.push(owner.clone());
    }
    names.push(typed.to_owned());
    // The owner the typed name leads to first, then the typed name itself.
    for owner in names {
        if let Some(secrets) = load(storage, keys, &owner)? {
            return Ok(Some(StoredDevice { owner, secrets }));
        }
    }
    Ok(None)
}

/// Stores the secrets under `owner`, the name the session's tokens are stored under.
pub fn save<S: Storage>(storage: &S, keys: &StorageKeys, owner: &str, d: &DeviceSecrets) -> Result<(), Error> {
    for (item, value) in [(DEVICE_KEY, &d.key), (DEVICE_GROUP_KEY, &d.group_key), (DEVICE_PASSWORD, &d.password)] {
        storage.set_item(&keys.user_item(owner, item), value)?;
    }
    Ok(())
}

/// After a sign-in typed as `typed` that stored its session under `owner`: a copy of device secrets older
/// versions left under `typed` moves to `owner` (unless `owner` has secrets of its own, which win), and `typed`
/// then leads to `owner`'s secrets, or nowhere if there are none or it is `owner` itself.
pub fn adopt<S: Storage>(storage: &S, keys: &StorageKeys, typed: &str, owner: &str) -> Result<(), Error> {
    // `owner`'s secrets, then a copy under `typed`.
    let mut owned = false;
    let names = [owner, typed];
    for &name in if typed == owner { &names[..1] } else { &names[..] } {
        let Some(found) = load(storage, keys, name)? else { continue };
        if name == owner {
            owned = true;
        } else {
            if !owned {
                save(storage, keys, owner, &found)?;
                owned = true;
            }
            remove_items(storage, keys, typed)?;
        }
    }
    let mut map = owners(storage, keys)?;
    let wanted = (owned && typed != owner).then_some(owner);
    if map.get(typed).map(String::as_str) == wanted {
        return Ok(());
    }
    match wanted {
        Some(o) => map.insert(typed.to_owned(), o.to_owned()),
        None => map.remove(typed),
    };
    write_owners(storage, keys, &map)
}

/// Removes the secrets stored under `owner`, every typed name leading to them, and any copy older versions left
/// under those names: the device cannot be used from here again.
pub fn remove<S: Storage>(storage: &S, keys: &StorageKeys, owner: &str) -> Result<(), Error> {
    let mut names = vec![owner.to_owned()];
    let mut kept = StringMap::new();
    for (typed, o) in owners(storage, keys)?.into_pairs() {
        if o == owner {
            names.push(typed);
        } else {
            kept.insert(typed, o);
        }
    }
    for name in &names {
        remove_items(storage, keys, name)?;
    }
    if names.len() > 1 {
        write_owners(storage, keys, &kept)?;
    }
    Ok(())
}

/// Removes the secrets under `owner` as [`remove`] does if they are still those of `device_key`: another tab
/// may have confirmed a new device meanwhile, which must stay.
pub fn remove_if_still<S: Storage>(storage: &S, keys: &StorageKeys, owner: &str, device_key: &str) -> Result<(), Error> {
    match load(storage, keys, owner)? {
        Some(d) if d.key == device_key => remove(storage, keys, owner),
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

fn remove_items<S: Storage>(storage: &S, keys: &StorageKeys, username: &str) -> Result<(), Error> {
    for item in ITEMS {
        storage.remove_item(&keys.user_item(username, item))?;
    }
    Ok(())
}

/// The typed names and the usernames they lead to. Empty when absent or unreadable: the map is only a way to the
/// secrets before Cognito names the user, and a sign-in without it finds them under USER_ID_FOR_SRP later.
fn owners<S: Storage>(storage: &S, keys: &StorageKeys) -> Result<StringMap, Error> {
    let text = storage.get_item(&keys.device_owners())?;
    Ok(text.and_then(|t| Json::parse(&t).ok()).and_then(|j| StringMap::from_json(&j).ok()).unwrap_or_default())
}

/// Writes the map, or removes its item when empty. Tabs writing it at the same instant may lose one's entry;
/// that costs only the DEVICE_KEY on that name's next InitiateAuth, which PASSWORD_VERIFIER then carries.
fn write_owners<S: Storage>(storage: &S, keys: &StorageKeys, map: &StringMap) -> Result<(), Error> {
    let key = keys.device_owners();
    if map.is_empty() {
        storage.remove_item(&key)?;
    } else {
        storage.set_item(&key, &Json::from(map).to_text())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_pointer_item_is_ignored() {
        let storage = crate::session::MemoryStorage::default();
        let keys = StorageKeys::new("c");
        let d = DeviceSecrets { key: "k".into(), group_key: "g".into(), password: "p".into() };
        save(&storage, &keys, "uid", &d).unwrap();
        storage.set_item(&keys.device_owners(), "{not json").unwrap();
        assert_eq!(find(&storage, &keys, "alice").unwrap(), None);
        adopt(&storage, &keys, "alice", "uid").unwrap();
        let found = find(&storage, &keys, "alice").unwrap();
        assert_eq!(found, Some(StoredDevice { owner: "uid".into(), secrets: d }));
        remove(&storage, &keys, "uid").unwrap();
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
}

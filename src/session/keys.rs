//! The storage key layout shared with amazon-cognito-identity-js and Amplify v6.
//!
//! Using their exact keys means an app that switches libraries keeps its users signed in.

/// Storage keys for one app client.
#[derive(Debug, Clone)]
pub struct StorageKeys {
    prefix: String,
    /// `cognito-wasm.<clientId>`: this SDK's own items, which the official client neither reads nor writes.
    own_prefix: String,
}

impl StorageKeys {
    /// Keys for the app client `client_id`.
    #[must_use]
    pub fn new(client_id: &str) -> Self {
        Self {
            prefix: ["CognitoIdentityServiceProvider.", client_id].concat(),
            own_prefix: ["cognito-wasm.", client_id].concat(),
        }
    }

    /// `CognitoIdentityServiceProvider.<clientId>.LastAuthUser`: whose tokens are current.
    #[must_use]
    pub fn last_auth_user(&self) -> String {
        [&self.prefix, ".LastAuthUser"].concat()
    }

    /// `CognitoIdentityServiceProvider.<clientId>.<username>.<item>` for `idToken`, `accessToken`,
    /// `refreshToken`, `clockDrift`, `deviceKey`, `deviceGroupKey`, `randomPasswordKey`.
    #[must_use]
    pub fn user_item(&self, username: &str, item: &str) -> String {
        [&self.prefix, ".", username, ".", item].concat()
    }

    /// `cognito-wasm.<clientId>.deviceOwners`: a JSON object from a name a user typed to sign in (an email, a
    /// phone number, a preferred username) to the username that user's device secrets are stored under
    /// (USER_ID_FOR_SRP). A sign-in sends DEVICE_KEY before Cognito has said who the user is, so it needs this
    /// to find the secrets from what was typed; the secrets themselves are kept once, under the official
    /// client's keys for that username. One item rather than one per name, so that forgetting a device can
    /// find and remove every name leading to it.
    #[must_use]
    pub fn device_owners(&self) -> String {
        [&self.own_prefix, ".deviceOwners"].concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_the_official_client() {
        let keys = StorageKeys::new("abc123");
        assert_eq!(keys.last_auth_user(), "CognitoIdentityServiceProvider.abc123.LastAuthUser");
        assert_eq!(keys.user_item("bob", "idToken"), "CognitoIdentityServiceProvider.abc123.bob.idToken");
        assert_eq!(keys.device_owners(), "cognito-wasm.abc123.deviceOwners");
    }
}

//! The storage key layout shared with amazon-cognito-identity-js and Amplify v6.
//!
//! Using their exact keys means an app that switches libraries keeps its users signed in.

/// Storage keys for one app client.
#[derive(Debug, Clone)]
pub struct StorageKeys {
    prefix: String,
}

impl StorageKeys {
    /// Keys for the app client `client_id`.
    #[must_use]
    pub fn new(client_id: &str) -> Self {
        Self { prefix: format!("CognitoIdentityServiceProvider.{client_id}") }
    }

    /// `CognitoIdentityServiceProvider.<clientId>.LastAuthUser`: whose tokens are current.
    #[must_use]
    pub fn last_auth_user(&self) -> String {
        format!("{}.LastAuthUser", self.prefix)
    }

    /// `CognitoIdentityServiceProvider.<clientId>.<username>.<item>` for `idToken`, `accessToken`,
    /// `refreshToken`, `clockDrift`, `deviceKey`, `deviceGroupKey`, `randomPasswordKey`.
    #[must_use]
    pub fn user_item(&self, username: &str, item: &str) -> String {
        format!("{}.{username}.{item}", self.prefix)
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
    }
}

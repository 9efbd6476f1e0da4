//! Which user pool and app client the flows talk to.

use std::rc::Rc;

use super::error::Error;
use super::get_session::Refresher;

/// A user pool and one of its app clients, and the refresh state every flow of this client shares.
#[derive(Clone)]
pub struct Config {
    user_pool_id: String,
    client_id: String,
    client_secret: Option<String>,
    /// Names this device in ConfirmDevice (the browser's user agent by default).
    pub device_name: Option<String>,
    /// The issuer shown by authenticator apps for TOTP set-up URIs.
    pub app_name: String,
    /// Refresh tokens when they expire within this many seconds.
    pub refresh_margin_secs: i64,
    /// The endpoint requests go to when it is not Cognito's own (the emulator, a proxy): tokens whose issuer is
    /// its origin count as this pool's.
    pub endpoint: Option<String>,
    /// Managed login, for redirect sign-in (`oauth` option).
    pub oauth: Option<super::redirect::OAuthSettings>,
    refresher: Rc<Refresher>,
    claims: Rc<crate::session::ClaimsCache>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The client secret is never printed.
        f.debug_struct("Config")
            .field("user_pool_id", &self.user_pool_id)
            .field("client_id", &self.client_id)
            .field("has_client_secret", &self.client_secret.is_some())
            .finish_non_exhaustive()
    }
}

impl Config {
    /// Checks the pool id's shape (`<region>_<name>`) so that a typo fails here, not as a confusing SRP failure.
    pub fn new(user_pool_id: &str, client_id: &str) -> Result<Self, Error> {
        let valid_pool = match crate::text::split_once(user_pool_id, b'_') {
            Some((region, name)) => {
                !region.is_empty()
                    && region.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
                    && !name.is_empty()
                    && name.bytes().all(|c| c.is_ascii_alphanumeric())
            }
            None => false,
        };
        if !valid_pool {
            return Err(Error::InvalidParameter([
                "userPoolId \"",
                user_pool_id,
                "\" is not a user pool id like \"us-east-1_Ab12Cd34\"",
            ]
            .concat()));
        }
        if client_id.is_empty() || !client_id.bytes().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Error::InvalidParameter(["clientId \"", client_id, "\" is not an app client id"].concat()));
        }
        Ok(Self {
            user_pool_id: user_pool_id.to_owned(),
            client_id: client_id.to_owned(),
            client_secret: None,
            device_name: None,
            app_name: "Cognito".to_owned(),
            refresh_margin_secs: crate::session::DEFAULT_REFRESH_MARGIN_SECS,
            endpoint: None,
            oauth: None,
            refresher: Rc::default(),
            claims: Rc::default(),
        })
    }

    /// For app clients with a secret: every call that names a user then carries SECRET_HASH.
    pub fn with_client_secret(mut self, secret: &str) -> Result<Self, Error> {
        if secret.is_empty() {
            return Err(Error::InvalidParameter("clientSecret must not be empty".into()));
        }
        self.client_secret = Some(secret.to_owned());
        Ok(self)
    }

    /// The refresh state shared by every call of this client: one refresh in flight at a time.
    #[must_use]
    pub fn refresher(&self) -> &Refresher {
        &self.refresher
    }

    /// The claims of the tokens this client read last, shared by its flows.
    pub fn claims_cache(&self) -> &crate::session::ClaimsCache {
        &self.claims
    }

    /// The client secret, for RevokeToken's ClientSecret.
    #[must_use]
    pub fn client_secret(&self) -> Option<&str> {
        self.client_secret.as_deref()
    }

    /// SECRET_HASH = base64(HMAC-SHA256(clientSecret, username ‖ clientId)), or `None` without a secret.
    #[must_use]
    pub fn secret_hash(&self, username: &str) -> Option<String> {
        use hmac::{Hmac, Mac};
        let secret = self.client_secret.as_deref()?;
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).ok()?;
        mac.update(username.as_bytes());
        mac.update(self.client_id.as_bytes());
        Some(crate::b64::encode(&mac.finalize().into_bytes()))
    }

    #[must_use]
    pub fn user_pool_id(&self) -> &str {
        &self.user_pool_id
    }

    #[must_use]
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The region, the pool id's prefix: `us-east-1` of `us-east-1_Ab12Cd34`.
    #[must_use]
    pub fn region(&self) -> &str {
        crate::text::split_once(&self.user_pool_id, b'_').map_or("", |(region, _)| region)
    }

    /// The pool's name as SRP hashes it: the part after `_`.
    #[must_use]
    pub fn pool_name(&self) -> &str {
        crate::text::split_once(&self.user_pool_id, b'_').map_or("", |(_, name)| name)
    }

    /// Cognito's public endpoint for the pool's region.
    #[must_use]
    pub fn default_endpoint(&self) -> String {
        ["https://cognito-idp.", self.region(), ".amazonaws.com/"].concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_region_and_pool_name() {
        let c = Config::new("eu-west-2_Ab12Cd34", "abc123").unwrap();
        assert_eq!((c.region(), c.pool_name()), ("eu-west-2", "Ab12Cd34"));
        assert_eq!(c.default_endpoint(), "https://cognito-idp.eu-west-2.amazonaws.com/");
    }

    #[test]
    fn secret_hash_is_hmac_of_username_and_client_id() {
        let c = Config::new("us-east-1_Ab12Cd34", "client1").unwrap();
        assert_eq!(c.secret_hash("alice"), None);
        let c = c.with_client_secret("secret").unwrap();
        // HMAC-SHA256("secret", "aliceclient1"), base64; computed independently with openssl.
        assert_eq!(c.secret_hash("alice").as_deref(), Some("1f+jIZ5jrvd9T9LKNEBwDVXuGhIxTem62DTEPkKb29k="));
    }

    #[test]
    fn rejects_malformed_ids() {
        for (pool, client) in [("", "c"), ("us-east-1", "c"), ("_abc", "c"), ("us-east-1_", "c"), ("us east_1", "c"),
                               ("us-east-1_a-b", "c"), ("us-east-1_ab", ""), ("us-east-1_ab", "c d")] {
            assert!(matches!(Config::new(pool, client), Err(Error::InvalidParameter(_))), "{pool:?} {client:?}");
        }
    }
}

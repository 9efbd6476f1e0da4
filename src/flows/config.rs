//! Which user pool and app client the flows talk to.

use super::error::Error;

/// A user pool and one of its app clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    user_pool_id: String,
    client_id: String,
}

impl Config {
    /// Checks the pool id's shape (`<region>_<name>`) so that a typo fails here, not as a confusing SRP failure.
    pub fn new(user_pool_id: &str, client_id: &str) -> Result<Self, Error> {
        let valid_pool = match user_pool_id.split_once('_') {
            Some((region, name)) => {
                !region.is_empty()
                    && region.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
                    && !name.is_empty()
                    && name.bytes().all(|c| c.is_ascii_alphanumeric())
            }
            None => false,
        };
        if !valid_pool {
            return Err(Error::InvalidParameter(format!(
                "userPoolId {user_pool_id:?} is not a user pool id like \"us-east-1_Ab12Cd34\""
            )));
        }
        if client_id.is_empty() || !client_id.bytes().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Error::InvalidParameter(format!("clientId {client_id:?} is not an app client id")));
        }
        Ok(Self { user_pool_id: user_pool_id.to_owned(), client_id: client_id.to_owned() })
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
        self.user_pool_id.split_once('_').map_or("", |(region, _)| region)
    }

    /// The pool's name as SRP hashes it: the part after `_`.
    #[must_use]
    pub fn pool_name(&self) -> &str {
        self.user_pool_id.split_once('_').map_or("", |(_, name)| name)
    }

    /// Cognito's public endpoint for the pool's region.
    #[must_use]
    pub fn default_endpoint(&self) -> String {
        format!("https://cognito-idp.{}.amazonaws.com/", self.region())
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
    fn rejects_malformed_ids() {
        for (pool, client) in [("", "c"), ("us-east-1", "c"), ("_abc", "c"), ("us-east-1_", "c"), ("us east_1", "c"),
                               ("us-east-1_a-b", "c"), ("us-east-1_ab", ""), ("us-east-1_ab", "c d")] {
            assert!(matches!(Config::new(pool, client), Err(Error::InvalidParameter(_))), "{pool:?} {client:?}");
        }
    }
}

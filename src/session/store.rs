//! Reading and writing a session in [`Storage`] under the shared key layout.

use super::keys::StorageKeys;
use super::storage::{Storage, StorageError};
use super::tokens::{Claims, ClaimsCache, TokenError, Tokens};

/// A signed-in user's tokens with what the client derived from them.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// The name the tokens are stored under (Cognito's USER_ID_FOR_SRP at sign-in, as the official client does).
    pub username: String,
    pub tokens: Tokens,
    /// Local clock minus Cognito's at sign-in, in seconds: expiry is judged on Cognito's clock.
    pub clock_drift: i64,
    pub id_claims: Claims,
    pub access_claims: Claims,
}

impl Session {
    /// A session for tokens just received, at local time `now_secs`.
    pub fn new(username: String, tokens: Tokens, now_secs: i64) -> Result<Self, TokenError> {
        let id_claims = Claims::from_token(&tokens.id_token)?;
        let access_claims = Claims::from_token(&tokens.access_token)?;
        // As the official client computes it: now minus the earlier of the two issue times.
        let clock_drift = super::clock::drift(now_secs, id_claims.iat.min(access_claims.iat));
        Ok(Self { username, tokens, clock_drift, id_claims, access_claims })
    }

    /// When the first of the ID and access tokens expires, on Cognito's clock (seconds since the epoch).
    #[must_use]
    pub fn expires_at(&self) -> i64 {
        self.id_claims.exp.min(self.access_claims.exp)
    }

    /// The same expiry on the local clock, in milliseconds: what an app compares with `Date.now()`.
    #[must_use]
    pub fn local_expires_at_millis(&self) -> i64 {
        super::clock::local_millis(self.expires_at(), self.clock_drift)
    }

    /// Whether either token expires within `margin_secs` (capped: [`Session::margin_secs`]) of local time
    /// `now_secs`, corrected for clock drift.
    #[must_use]
    pub fn needs_refresh(&self, now_secs: i64, margin_secs: i64) -> bool {
        super::clock::expires_within(now_secs, self.clock_drift, self.margin_secs(margin_secs), self.expires_at())
    }

    /// The refresh margin used for these tokens: `margin_secs`, at most half the shorter token lifetime
    /// ([`super::clock::capped_margin`]: a longer one would refresh on every call).
    #[must_use]
    pub fn margin_secs(&self, margin_secs: i64) -> i64 {
        super::clock::capped_margin(margin_secs, self.id_claims.lifetime_secs().min(self.access_claims.lifetime_secs()))
    }
}

/// A session's place in storage, for one app client.
pub struct SessionStore<'a, S: Storage> {
    storage: &'a S,
    keys: StorageKeys,
    client_id: String,
    pool_id: Option<String>,
    /// The endpoint the client talks to, when not Cognito's own: its origin issues the tokens.
    endpoint: Option<String>,
    /// Where the claims of tokens read before are remembered, if anywhere.
    claims: Option<&'a ClaimsCache>,
}

const ID_TOKEN: &str = "idToken";
const ACCESS_TOKEN: &str = "accessToken";
const REFRESH_TOKEN: &str = "refreshToken";
const CLOCK_DRIFT: &str = "clockDrift";
/// The per-user items [`SessionStore::load`] reads, after LastAuthUser (pkg-template/read_ahead.js names them too).
const SESSION_ITEMS: [&str; 4] = [ID_TOKEN, ACCESS_TOKEN, REFRESH_TOKEN, CLOCK_DRIFT];

impl<'a, S: Storage> SessionStore<'a, S> {
    #[must_use]
    pub fn new(storage: &'a S, client_id: &str) -> Self {
        let keys = StorageKeys::new(client_id);
        Self { storage, keys, client_id: client_id.to_owned(), pool_id: None, endpoint: None, claims: None }
    }

    /// Decodes tokens through `cache`, which remembers the claims of tokens it has decoded before.
    #[must_use]
    pub fn with_claims_cache(mut self, cache: &'a ClaimsCache) -> Self {
        self.claims = Some(cache);
        self
    }

    fn decode(&self, token: &str) -> Result<Claims, TokenError> {
        match self.claims {
            Some(cache) => cache.claims(token),
            None => Claims::from_token(token),
        }
    }

    /// Only sessions issued by this pool count: tokens another pool or client left under these keys (an app
    /// that changed pools, a shared domain) are ignored rather than sent to the wrong backend. `endpoint` is the
    /// one the client talks to when it is not Cognito's (see [`issuer_matches`](super::issuer_matches)).
    #[must_use]
    pub fn for_pool(mut self, pool_id: &str, endpoint: Option<&str>) -> Self {
        self.pool_id = Some(pool_id.to_owned());
        self.endpoint = endpoint.map(str::to_owned);
        self
    }

    /// Whether the tokens were issued for this pool and client, as far as their claims say.
    fn issued_here(&self, id: &Claims, access: &Claims) -> bool {
        let pool_ok = |c: &Claims| match (&self.pool_id, c.string("iss")) {
            (Some(pool), Some(iss)) => super::issuer_matches(iss, pool, self.endpoint.as_deref()),
            _ => true,
        };
        let client_ok = |claim: Option<&str>| claim.is_none_or(|c| c == self.client_id);
        pool_ok(id) && pool_ok(access) && client_ok(id.string("aud")) && client_ok(access.string("client_id"))
    }

    /// The stored session, if there is a readable one. Tokens that are missing or cannot be decoded count as no
    /// session: they could not be used or refreshed meaningfully anyway.
    pub fn load(&self) -> Result<Option<Session>, StorageError> {
        let Some(username) = self.storage.get_item(&self.keys.last_auth_user())? else {
            return Ok(None);
        };
        let (Some(id_token), Some(access_token)) =
            (self.user_item(&username, ID_TOKEN)?, self.user_item(&username, ACCESS_TOKEN)?)
        else {
            return Ok(None);
        };
        let refresh_token = self.user_item(&username, REFRESH_TOKEN)?.filter(|t| !t.is_empty());
        let clock_drift = super::clock::drift_from_stored(self.user_item(&username, CLOCK_DRIFT)?.as_deref());
        let (Ok(id_claims), Ok(access_claims)) = (self.decode(&id_token), self.decode(&access_token))
        else {
            return Ok(None);
        };
        if !self.issued_here(&id_claims, &access_claims) {
            return Ok(None);
        }
        Ok(Some(Session {
            username,
            tokens: Tokens { id_token, access_token, refresh_token },
            clock_drift,
            id_claims,
            access_claims,
        }))
    }

    fn user_item(&self, username: &str, name: &str) -> Result<Option<String>, StorageError> {
        self.storage.get_item(&self.keys.user_item(username, name))
    }

    /// Writes a session. Each item is overwritten in place, never cleared first, in an order that keeps every
    /// intermediate state usable for a reader in another tab (whose view of the writes may lag, item by item):
    /// the refresh token and clock drift first, then the ID token, then the access token, and LastAuthUser last.
    /// A reader that sees the new access token has the new refresh token too (with rotation, the old one is
    /// dead); one that sees only part of the new set still holds an expiring access token, so it takes the
    /// refresh lock and waits for the rest.
    pub fn save(&self, session: &Session) -> Result<(), StorageError> {
        let key = |name: &str| self.keys.user_item(&session.username, name);
        if let Some(refresh) = &session.tokens.refresh_token {
            self.storage.set_item(&key(REFRESH_TOKEN), refresh)?;
        }
        self.storage.set_item(&key(CLOCK_DRIFT), &crate::digits::i64_text(session.clock_drift))?;
        self.storage.set_item(&key(ID_TOKEN), &session.tokens.id_token)?;
        self.storage.set_item(&key(ACCESS_TOKEN), &session.tokens.access_token)?;
        self.storage.set_item(&self.keys.last_auth_user(), &session.username)
    }

    /// Removes a user's tokens; LastAuthUser goes first so that no reader picks up a half-removed session.
    /// Device keys stay: they belong to the device, not to the session.
    pub fn clear(&self, username: &str) -> Result<(), StorageError> {
        self.storage.remove_item(&self.keys.last_auth_user())?;
        for name in SESSION_ITEMS {
            self.storage.remove_item(&self.keys.user_item(username, name))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::storage::MemoryStorage;
    use super::super::tokens::tests::jwt;
    use super::*;
    use serde_json::json;

    fn session(now: i64, iat: i64, exp: i64) -> Session {
        let tokens = Tokens {
            id_token: jwt(&json!({"iat": iat, "exp": exp, "token_use": "id"})),
            access_token: jwt(&json!({"iat": iat, "exp": exp + 10, "token_use": "access"})),
            refresh_token: Some("refresh".into()),
        };
        Session::new("user-1".into(), tokens, now).unwrap()
    }

    #[test]
    fn clock_drift_moves_the_expiry_judgement_to_cognitos_clock() {
        // The device clock runs one hour ahead of Cognito's.
        let s = session(1000 + 3600, 1000, 1000 + 3600);
        assert_eq!(s.clock_drift, 3600);
        assert!(!s.needs_refresh(1000 + 3600 + 100, 60), "fresh tokens look expired on a fast clock");
        assert!(s.needs_refresh(1000 + 3600 + 3541, 60), "tokens about to expire are not refreshed");
        // And one hour behind.
        let s = session(1000 - 3600, 1000, 1000 + 3600);
        assert!(!s.needs_refresh(1000 - 3600 + 3000, 60));
        assert!(s.needs_refresh(1000 - 3600 + 3540, 60));
    }

    #[test]
    fn save_then_load_round_trips_under_the_shared_keys() {
        let storage = MemoryStorage::default();
        let store = SessionStore::new(&storage, "client");
        let s = session(1005, 1000, 4600);
        store.save(&s).unwrap();
        let items = storage.snapshot();
        assert_eq!(items.get("CognitoIdentityServiceProvider.client.LastAuthUser").map(String::as_str), Some("user-1"));
        assert_eq!(items.get("CognitoIdentityServiceProvider.client.user-1.clockDrift").map(String::as_str), Some("5"));
        assert_eq!(store.load().unwrap(), Some(s));
        store.clear("user-1").unwrap();
        assert!(storage.snapshot().is_empty());
        assert_eq!(store.load().unwrap(), None);
    }

    #[test]
    fn tokens_of_another_pool_or_client_are_ignored() {
        let storage = MemoryStorage::default();
        let save = |iss: &str, aud: &str| {
            let tokens = Tokens {
                id_token: jwt(&json!({"iat": 1, "exp": 2, "iss": iss, "aud": aud})),
                access_token: jwt(&json!({"iat": 1, "exp": 2, "iss": iss, "client_id": aud})),
                refresh_token: None,
            };
            SessionStore::new(&storage, "client").save(&Session::new("u".into(), tokens, 1).unwrap()).unwrap();
        };
        let store = || SessionStore::new(&storage, "client").for_pool("us-east-1_Mine", None);
        save("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Mine", "client");
        assert!(store().load().unwrap().is_some());
        save("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other", "client");
        assert!(store().load().unwrap().is_none());
        // Only the whole issuer counts, not its last segment.
        save("https://evil.example/us-east-1_Mine", "client");
        assert!(store().load().unwrap().is_none());
        // A configured endpoint's origin issues too (the emulator's tokens), but not for a client without one.
        save("http://127.0.0.1:9229/us-east-1_Mine", "client");
        assert!(store().load().unwrap().is_none());
        let local = SessionStore::new(&storage, "client").for_pool("us-east-1_Mine", Some("http://127.0.0.1:9229/"));
        assert!(local.load().unwrap().is_some());
        save("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Mine", "other-client");
        assert!(store().load().unwrap().is_none());
    }

    /// Records the order of writes.
    #[derive(Default)]
    struct Recording(std::cell::RefCell<Vec<String>>);

    impl Storage for Recording {
        fn get_item(&self, _key: &str) -> Result<Option<String>, StorageError> {
            Ok(None)
        }
        fn set_item(&self, key: &str, _value: &str) -> Result<(), StorageError> {
            self.0.borrow_mut().push(key.rsplit('.').next().unwrap_or_default().to_owned());
            Ok(())
        }
        fn remove_item(&self, key: &str) -> Result<(), StorageError> {
            self.0.borrow_mut().push(format!("-{}", key.rsplit('.').next().unwrap_or_default()));
            Ok(())
        }
    }

    #[test]
    fn writes_the_refresh_token_before_the_access_token_and_never_clears_first() {
        let storage = Recording::default();
        SessionStore::new(&storage, "client").save(&session(1005, 1000, 4600)).unwrap();
        assert_eq!(*storage.0.borrow(), ["refreshToken", "clockDrift", "idToken", "accessToken", "LastAuthUser"]);
    }

    #[test]
    fn unreadable_stored_tokens_count_as_no_session() {
        let storage = MemoryStorage::default();
        storage.set_item("CognitoIdentityServiceProvider.c.LastAuthUser", "u").unwrap();
        storage.set_item("CognitoIdentityServiceProvider.c.u.idToken", "garbage").unwrap();
        storage.set_item("CognitoIdentityServiceProvider.c.u.accessToken", "garbage").unwrap();
        assert_eq!(SessionStore::new(&storage, "c").load().unwrap(), None);
    }
}

//! A signed-in user's tokens: how they are decoded, where they are stored, and when they need refreshing.
//!
//! Storage and time come in through [`Storage`] and [`Clock`]; nothing here touches the browser.

mod clock;
mod keys;
mod storage;
mod store;
mod tokens;

pub use clock::Clock;
pub use keys::StorageKeys;
pub use storage::{MemoryStorage, Storage, StorageError};
// The browser's storage rules, applied by `platform` (wasm only) and tested natively here.
#[cfg_attr(not(target_arch = "wasm32"), allow(unused_imports))]
pub(crate) use storage::browser::{
    cookie_flags, cookie_head, CookieFlags, CookieHead, CHUNKED_PREFIX, MAX_COOKIE_CHUNKS,
};
pub use store::{Session, SessionStore};
pub use tokens::{decode_payload, issuer_matches, Claims, ClaimsCache, TokenError, Tokens};

/// Tokens are refreshed when either expires within this many seconds, so that a request made right after
/// `getSession()` does not carry a token that expires in flight. Capped at half the tokens' lifetime when used
/// ([`Session::margin_secs`]).
pub const DEFAULT_REFRESH_MARGIN_SECS: i64 = 60;

/// An unsigned JWT with the given payload, for the crate's tests.
#[cfg(test)]
pub(crate) fn tests_jwt(payload: &serde_json::Value) -> String {
    tokens::tests::jwt(payload)
}

/// The refresh rules of [`Session`] on values that come from outside: stored drift, token claims, the app's margin.
#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn session(iat: i64, exp: i64, now: i64) -> Session {
        let tokens = Tokens {
            id_token: tests_jwt(&json!({"iat": iat, "exp": exp})),
            access_token: tests_jwt(&json!({"iat": iat, "exp": exp})),
            refresh_token: Some("r".into()),
        };
        Session::new("u".into(), tokens, now).unwrap()
    }

    /// A margin as long as the tokens' lifetime refreshed on every call: right after a refresh the new tokens
    /// already "needed" one. It is capped at half the lifetime.
    #[test]
    fn a_margin_past_the_lifetime_does_not_refresh_on_every_call() {
        // Cognito's shortest lifetime, five minutes, with refreshMarginSeconds 300.
        let s = session(1000, 1300, 1000);
        assert_eq!(s.margin_secs(300), 150);
        assert!(!s.needs_refresh(1000, 300), "fresh tokens need a refresh");
        assert!(!s.needs_refresh(1149, 300));
        assert!(s.needs_refresh(1150, 300));
        assert!(!s.needs_refresh(1000, i64::MAX), "an unbounded margin is capped too");
        // Ordinary margins are untouched.
        let s = session(1000, 4600, 1000);
        assert!(!s.needs_refresh(4539, 60));
        assert!(s.needs_refresh(4540, 60));
    }

    /// Absurd drift, from storage or from a token's `iat`, neither overflows nor moves expiry by centuries.
    #[test]
    fn absurd_drift_and_claims_do_not_overflow() {
        let mut s = session(1000, 4600, 1000);
        for drift in [i64::MAX, i64::MIN] {
            s.clock_drift = drift;
            let _ = s.needs_refresh(i64::MAX, i64::MAX);
            let _ = s.needs_refresh(i64::MIN, 0);
            let _ = s.local_expires_at_millis();
        }
        assert_eq!(session(i64::MIN, i64::MAX, i64::MAX).clock_drift, 0);
        let s = session(i64::MIN, i64::MAX, 0);
        assert_eq!(s.local_expires_at_millis(), i64::MAX);
        assert!(!s.needs_refresh(0, 60));
        // A session issued a few seconds ago on a clock five minutes slow.
        assert_eq!(session(1000, 4600, 700).clock_drift, -300);
    }

    /// `clockDrift` as another script may have written it: bounded when the session is loaded.
    #[test]
    fn stored_drift_beyond_the_bound_reads_as_none() {
        let storage = MemoryStorage::default();
        let store = SessionStore::new(&storage, "c");
        let s = session(1000, 4600, 1000);
        store.save(&s).unwrap();
        let drift_key = "CognitoIdentityServiceProvider.c.u.clockDrift";
        for (stored, read) in [("7200", 7200), ("-34560000", -34_560_000), ("9223372036854775807", 0), ("-40000000", 0)] {
            storage.set_item(drift_key, stored).unwrap();
            let loaded = store.load().unwrap().unwrap();
            assert_eq!(loaded.clock_drift, read, "{stored}");
        }
    }
}

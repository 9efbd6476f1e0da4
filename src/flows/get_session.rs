//! The current session, refreshed with REFRESH_TOKEN_AUTH when its tokens are about to expire.

use std::collections::BTreeMap;

use crate::protocol::types::{AuthResponse, InitiateAuthRequest};
use crate::protocol::{call, Operation};
use crate::session::{Session, SessionStore, StorageKeys, Tokens};

use super::{devices, Config, Error, Platform};

/// How `get_session` treats valid tokens.
#[derive(Debug, Clone, Copy)]
pub struct GetSessionOptions {
    /// Refresh even if the tokens are still valid.
    pub force_refresh: bool,
    /// Refresh when a token expires within this many seconds.
    pub margin_secs: i64,
}

impl Default for GetSessionOptions {
    fn default() -> Self {
        Self { force_refresh: false, margin_secs: crate::session::DEFAULT_REFRESH_MARGIN_SECS }
    }
}

/// The REFRESH_TOKEN_AUTH request for a session, or `None` when it has no refresh token. Carries the device
/// key when this device is remembered, and SECRET_HASH computed with the username Cognito knows the user by.
#[must_use]
pub fn refresh_request(config: &Config, session: &Session, device_key: Option<String>) -> Option<InitiateAuthRequest> {
    let refresh_token = session.tokens.refresh_token.clone()?;
    let mut params = BTreeMap::from([("REFRESH_TOKEN".to_owned(), refresh_token)]);
    let cognito_username = session
        .id_claims
        .string("cognito:username")
        .or_else(|| session.access_claims.string("username"))
        .or_else(|| session.access_claims.string("sub"))
        .unwrap_or(&session.username);
    if let Some(hash) = config.secret_hash(cognito_username) {
        params.insert("SECRET_HASH".to_owned(), hash);
    }
    if let Some(key) = device_key {
        params.insert("DEVICE_KEY".to_owned(), key);
    }
    Some(InitiateAuthRequest {
        auth_flow: "REFRESH_TOKEN_AUTH".to_owned(),
        client_id: config.client_id().to_owned(),
        auth_parameters: params,
        client_metadata: None,
        user_context_data: None,
        session: None,
    })
}

/// The session after a refresh answer received at local time `now_secs`. REFRESH_TOKEN_AUTH issues no new
/// refresh token, so the old one is kept unless a new one came.
pub fn handle_refresh(session: &Session, response: AuthResponse, now_secs: i64) -> Result<Session, Error> {
    let Some(result) = response.authentication_result else {
        return Err(Error::Protocol("refresh answered without tokens".into()));
    };
    let refresh_token = result.refresh_token.filter(|t| !t.is_empty()).or_else(|| session.tokens.refresh_token.clone());
    let tokens = Tokens { id_token: result.id_token, access_token: result.access_token, refresh_token };
    Ok(Session::new(session.username.clone(), tokens, now_secs)?)
}

/// The stored session, refreshed if needed; `None` when nobody is signed in or Cognito has ended the session
/// (refresh token revoked or expired), in which case the stored tokens are removed. Any other failure (offline,
/// throttled, Cognito down) keeps the stored session and returns a retryable error.
pub async fn get_session<P: Platform>(
    p: &P,
    config: &Config,
    options: GetSessionOptions,
) -> Result<Option<Session>, Error> {
    let store = SessionStore::new(p.storage(), config.client_id());
    let Some(session) = store.load().await? else {
        return Ok(None);
    };
    if !options.force_refresh && !session.needs_refresh(p.now_secs(), options.margin_secs) {
        return Ok(Some(session));
    }
    let keys = StorageKeys::new(config.client_id());
    let device_key = devices::load(p.storage(), &keys, &session.username).await?.map(|d| d.key);
    let Some(request) = refresh_request(config, &session, device_key) else {
        // Expired, and nothing to refresh with: the session is over.
        store.clear(&session.username).await?;
        return Ok(None);
    };
    match call(p, Operation::InitiateAuth, &request).await {
        Ok(response) => {
            let refreshed = handle_refresh(&session, response, p.now_secs())?;
            store.save(&refreshed).await?;
            Ok(Some(refreshed))
        }
        Err(e) => {
            let e = Error::from(e);
            if e.is_service("NotAuthorizedException") {
                store.clear(&session.username).await?;
                return Ok(None);
            }
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake::FakeSrpServer;
    use super::super::fake::srp_input;
    use super::super::sign_in::sign_in;
    use super::*;
    use crate::test_support::block_on;

    fn config() -> Config {
        Config::new("us-east-1_Pool1", "client1").unwrap()
    }

    fn signed_in(server: &FakeSrpServer) -> super::super::fake::FakePlatform {
        let p = server.platform();
        block_on(sign_in(&p, &config(), srp_input("alice", "Passw0rd!"))).unwrap();
        p
    }

    #[test]
    fn valid_tokens_make_no_request() {
        let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
        let p = signed_in(&server);
        let before = p.requests().len();
        let s = block_on(get_session(&p, &config(), GetSessionOptions::default())).unwrap().unwrap();
        assert_eq!(s.username, "uid");
        assert_eq!(p.requests().len(), before);
    }

    #[test]
    fn tokens_near_expiry_are_refreshed_and_the_refresh_token_kept() {
        let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
        let p = signed_in(&server);
        let old = block_on(get_session(&p, &config(), GetSessionOptions::default())).unwrap().unwrap();
        // 59 minutes and 1 second later both clocks have moved on: within the 60 s margin.
        p.now_millis.set(p.now_millis.get() + 3_541_000);
        server.state().now_secs.set(server.state().now_secs.get() + 3541);
        let new = block_on(get_session(&p, &config(), GetSessionOptions::default())).unwrap().unwrap();
        assert_eq!(p.count(Operation::InitiateAuth), 2);
        assert_ne!(new.tokens.access_token, old.tokens.access_token);
        assert_eq!(new.tokens.refresh_token, old.tokens.refresh_token);
        let stored = block_on(SessionStore::new(&p.storage, "client1").load()).unwrap();
        assert_eq!(stored, Some(new));
    }

    #[test]
    fn device_clock_off_by_an_hour_does_not_trigger_refresh() {
        for offset in [-3_600_000, 3_600_000] {
            let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
            let p = server.platform();
            p.now_millis.set(p.now_millis.get() + offset);
            block_on(sign_in(&p, &config(), srp_input("alice", "Passw0rd!"))).unwrap();
            let s = block_on(get_session(&p, &config(), GetSessionOptions::default())).unwrap();
            assert!(s.is_some());
            assert_eq!(p.count(Operation::InitiateAuth), 1, "offset {offset}");
        }
    }

    #[test]
    fn revoked_refresh_token_ends_the_session() {
        let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
        let p = signed_in(&server);
        server.state().refresh_error.set(Some("NotAuthorizedException"));
        let options = GetSessionOptions { force_refresh: true, ..GetSessionOptions::default() };
        assert_eq!(block_on(get_session(&p, &config(), options)).unwrap(), None);
        assert!(p.storage.snapshot().is_empty());
    }

    #[test]
    fn passing_failures_keep_the_session() {
        let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
        let p = signed_in(&server);
        let options = GetSessionOptions { force_refresh: true, ..GetSessionOptions::default() };
        for name in ["TooManyRequestsException", "InternalErrorException"] {
            server.state().refresh_error.set(Some(name));
            let err = block_on(get_session(&p, &config(), options)).unwrap_err();
            assert!(err.retryable(), "{name}");
        }
        server.state().refresh_error.set(None);
        p.offline.set(true);
        let err = block_on(get_session(&p, &config(), options)).unwrap_err();
        assert_eq!(err.name(), "NetworkError");
        p.offline.set(false);
        assert!(block_on(get_session(&p, &config(), GetSessionOptions::default())).unwrap().is_some());
    }
}

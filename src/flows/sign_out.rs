//! Sign-out: revoke the refresh token, then forget the session.

use crate::protocol::types::{AccessTokenRequest, Empty, RevokeTokenRequest};
use crate::protocol::{call, Operation};

use super::{AuthEvent, Config, Error, Platform};

/// Revokes the stored refresh token (which also invalidates the access and ID tokens issued from it), or with
/// `global` signs the user out of every device (GlobalSignOut), and removes the session from storage. The local
/// sign-out happens whatever Cognito answers: a user who pressed "sign out" must not stay signed in on this
/// device because the network was down. The revocation's error, if any, is returned after the local sign-out so
/// the app can tell the user the tokens may still be valid elsewhere.
pub async fn sign_out<P: Platform>(p: &P, config: &Config, global: bool) -> Result<(), Error> {
    let store = super::sessions(p, config);
    let Some(session) = store.load().await? else {
        return Ok(());
    };
    let revoked = if global {
        let request = AccessTokenRequest { access_token: session.tokens.access_token.clone() };
        call::<_, _, Empty>(p, Operation::GlobalSignOut, &request).await.map(|_| ()).map_err(Error::from)
    } else {
        match &session.tokens.refresh_token {
            Some(token) => {
                let request = RevokeTokenRequest {
                    token: token.clone(),
                    client_id: config.client_id().to_owned(),
                    client_secret: config.client_secret().map(str::to_owned),
                };
                call::<_, _, Empty>(p, Operation::RevokeToken, &request).await.map(|_| ()).map_err(Error::from)
            }
            None => Ok(()),
        }
    };
    store.clear(&session.username).await?;
    p.emit(AuthEvent::SignedOut);
    revoked
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

    #[test]
    fn revokes_then_clears() {
        let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
        let p = server.platform();
        block_on(sign_in(&p, &config(), srp_input("alice", "Passw0rd!"))).unwrap();
        block_on(sign_out(&p, &config(), false)).unwrap();
        let (op, body) = p.requests().pop().unwrap();
        assert_eq!(op, Operation::RevokeToken);
        assert_eq!(body["Token"], "refresh-token-1");
        assert!(p.storage.snapshot().is_empty());
        // Signing out again is a no-op.
        block_on(sign_out(&p, &config(), false)).unwrap();
        assert_eq!(p.count(Operation::RevokeToken), 1);
    }

    #[test]
    fn offline_sign_out_still_signs_out_locally() {
        let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
        let p = server.platform();
        block_on(sign_in(&p, &config(), srp_input("alice", "Passw0rd!"))).unwrap();
        p.offline.set(true);
        let err = block_on(sign_out(&p, &config(), false)).unwrap_err();
        assert_eq!(err.name(), "NetworkError");
        assert!(p.storage.snapshot().is_empty());
    }
}

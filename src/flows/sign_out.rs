//! Sign-out: forget the session here, then revoke it at Cognito.

use crate::protocol::types::{AccessTokenRequest, Empty, RevokeTokenRequest};
use crate::protocol::{call, Json, Operation, ToJson};

use super::{AuthEvent, Config, Error, Platform};

/// Removes the session from storage (and announces `signedOut`), then revokes its refresh token (which also
/// invalidates the access and ID tokens issued from it), or with `global` signs the user out of every device
/// (GlobalSignOut).
///
/// Local state goes first: a user who pressed "sign out" is signed out on this device at once, whatever the
/// network does and however long it takes (the revocation is bounded by the transport's request timeout), and
/// a refresh in flight saves nothing afterwards (see [`super::get_session::Refresher::end_session`]). The
/// revocation's error, if any, is returned after the local sign-out so the app can tell the user the tokens may
/// still be valid elsewhere.
pub async fn sign_out<P: Platform>(p: &P, config: &Config, global: bool) -> Result<(), Error> {
    config.refresher().end_session();
    let store = super::sessions(p, config);
    let Some(session) = store.load()? else {
        return Ok(());
    };
    store.clear(&session.username)?;
    p.emit(AuthEvent::SignedOut);
    // Either request through one `call` (one await point).
    let (operation, request) = if global {
        (Operation::GlobalSignOut, Revocation::Global(AccessTokenRequest { access_token: session.tokens.access_token }))
    } else if let Some(token) = session.tokens.refresh_token {
        let request = RevokeTokenRequest {
            token,
            client_id: config.client_id().to_owned(),
            client_secret: config.client_secret().map(str::to_owned),
        };
        (Operation::RevokeToken, Revocation::Token(request))
    } else {
        return Ok(());
    };
    call::<_, _, Empty>(p, operation, &request).await?;
    Ok(())
}

/// GlobalSignOut's or RevokeToken's request, for [`sign_out`]'s one `call`.
enum Revocation {
    Global(AccessTokenRequest),
    Token(RevokeTokenRequest),
}

impl ToJson for Revocation {
    fn to_json(&self) -> Json {
        match self {
            Self::Global(r) => r.to_json(),
            Self::Token(r) => r.to_json(),
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

    /// Local state is gone, and `signedOut` announced, before the revocation goes out.
    #[test]
    fn clears_locally_before_revoking() {
        for global in [false, true] {
            let server = FakeSrpServer::new("Pool1", "uid", "Passw0rd!");
            let seen = std::rc::Rc::new(std::cell::RefCell::new(None));
            let record = seen.clone();
            let p = server.platform_with(move |p, op| {
                if matches!(op, Operation::RevokeToken | Operation::GlobalSignOut) {
                    *record.borrow_mut() = Some((p.storage.snapshot().len(), p.announced.borrow().clone()));
                }
            });
            block_on(sign_in(&*p, &config(), srp_input("alice", "Passw0rd!"))).unwrap();
            block_on(sign_out(&*p, &config(), global)).unwrap();
            let expected = Some((0, vec!["signedIn".to_owned(), "signedOut".to_owned()]));
            assert_eq!(*seen.borrow(), expected, "global {global}");
        }
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
        assert_eq!(*p.announced.borrow(), ["signedIn", "signedOut"]);
    }
}

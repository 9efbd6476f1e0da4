//! SRP sign-in (USER_SRP_AUTH → PASSWORD_VERIFIER) as a state machine.
//!
//! [`SrpSignIn::start`] gives the InitiateAuth request and the state that expects the challenge;
//! [`ExpectVerifier::handle`] answers it and gives the state that expects the tokens;
//! [`ExpectTokens::handle`] turns them into a [`Session`]. Each state is consumed by its transition, so a
//! challenge cannot be answered twice. [`sign_in`] drives the machine over a [`Platform`].

use std::collections::BTreeMap;

use crate::protocol::types::{AuthResponse, InitiateAuthRequest, RespondToAuthChallengeRequest, StringMap};
use crate::protocol::{call, Operation};
use crate::session::{Session, SessionStore, Tokens};
use crate::srp::{format_timestamp, SrpClient, VerifierChallenge, PRIVATE_EPHEMERAL_BYTES};

use super::sign_up::require;
use super::{Config, Error, Platform};

/// Start of an SRP sign-in.
pub struct SrpSignIn;

impl SrpSignIn {
    /// The InitiateAuth request for `username`, with A made from `random`.
    pub fn start(
        config: &Config,
        username: &str,
        password: &str,
        random: &[u8; PRIVATE_EPHEMERAL_BYTES],
    ) -> Result<(ExpectVerifier, InitiateAuthRequest), Error> {
        require("username", username)?;
        require("password", password)?;
        let srp = SrpClient::new(random)?;
        let auth_parameters =
            BTreeMap::from([("USERNAME".to_owned(), username.to_owned()), ("SRP_A".to_owned(), srp.public_a_hex())]);
        let request = InitiateAuthRequest {
            auth_flow: "USER_SRP_AUTH".to_owned(),
            client_id: config.client_id().to_owned(),
            auth_parameters,
            client_metadata: None,
        };
        let state = ExpectVerifier {
            srp,
            password: password.to_owned(),
            client_id: config.client_id().to_owned(),
            pool_name: config.pool_name().to_owned(),
        };
        Ok((state, request))
    }
}

/// Sent InitiateAuth; expecting PASSWORD_VERIFIER.
pub struct ExpectVerifier {
    srp: SrpClient,
    password: String,
    client_id: String,
    pool_name: String,
}

impl ExpectVerifier {
    /// Answers the PASSWORD_VERIFIER challenge, signing at local time `now_secs`.
    pub fn handle(
        self,
        response: AuthResponse,
        now_secs: i64,
    ) -> Result<(ExpectTokens, RespondToAuthChallengeRequest), Error> {
        if response.challenge_name.as_deref() != Some("PASSWORD_VERIFIER") {
            return Err(unexpected_step("PASSWORD_VERIFIER", &response));
        }
        let params = &response.challenge_parameters;
        let param = |name: &'static str| {
            params
                .get(name)
                .map(String::as_str)
                .ok_or_else(|| Error::Protocol(format!("PASSWORD_VERIFIER challenge without {name}")))
        };
        let challenge = VerifierChallenge {
            salt: param("SALT")?,
            srp_b: param("SRP_B")?,
            secret_block: param("SECRET_BLOCK")?,
            user_id_for_srp: param("USER_ID_FOR_SRP")?,
        };
        let timestamp = format_timestamp(now_secs);
        let signature = self.srp.password_claim_signature(&challenge, &self.pool_name, &self.password, &timestamp)?;
        // Cognito's canonical username for the rest of the flow; the official client uses USER_ID_FOR_SRP, which
        // Cognito accepts too, and stores the tokens under it.
        let username = params.get("USERNAME").cloned().unwrap_or_else(|| challenge.user_id_for_srp.to_owned());
        let challenge_responses: StringMap = BTreeMap::from([
            ("USERNAME".to_owned(), username),
            ("PASSWORD_CLAIM_SECRET_BLOCK".to_owned(), challenge.secret_block.to_owned()),
            ("PASSWORD_CLAIM_SIGNATURE".to_owned(), signature),
            ("TIMESTAMP".to_owned(), timestamp),
        ]);
        let request = RespondToAuthChallengeRequest {
            client_id: self.client_id,
            challenge_name: "PASSWORD_VERIFIER".to_owned(),
            challenge_responses,
            session: response.session,
            client_metadata: None,
        };
        Ok((ExpectTokens { storage_username: challenge.user_id_for_srp.to_owned() }, request))
    }
}

/// Answered PASSWORD_VERIFIER; expecting tokens.
pub struct ExpectTokens {
    storage_username: String,
}

impl ExpectTokens {
    /// Reads the tokens into a session, received at local time `now_secs`.
    pub fn handle(self, response: AuthResponse, now_secs: i64) -> Result<Session, Error> {
        let Some(result) = response.authentication_result else {
            return Err(unexpected_step("tokens", &response));
        };
        let Some(refresh_token) = result.refresh_token.filter(|t| !t.is_empty()) else {
            return Err(Error::Protocol("sign-in answered without a refresh token".into()));
        };
        let tokens =
            Tokens { id_token: result.id_token, access_token: result.access_token, refresh_token: Some(refresh_token) };
        Ok(Session::new(self.storage_username, tokens, now_secs)?)
    }
}

/// Cognito asked for something this sign-in cannot give.
fn unexpected_step(expected: &str, response: &AuthResponse) -> Error {
    match response.challenge_name.as_deref() {
        Some(challenge) => Error::InvalidState {
            name: "UnsupportedChallengeException",
            message: format!("Cognito asked for the {challenge} challenge, which this sign-in cannot answer"),
        },
        None => Error::Protocol(format!("expected {expected}, got neither a challenge nor tokens")),
    }
}

/// Signs `username` in with SRP and stores the session. Refused while another user is signed in: the app must
/// sign out first, so that one user's tokens never silently replace another's.
pub async fn sign_in<P: Platform>(p: &P, config: &Config, username: &str, password: &str) -> Result<Session, Error> {
    let store = SessionStore::new(p, config.client_id());
    if let Some(current) = store.load().await? {
        return Err(Error::InvalidState {
            name: "UserAlreadyAuthenticatedException",
            message: format!("{} is already signed in; sign out first", current.username),
        });
    }
    let mut random = [0u8; PRIVATE_EPHEMERAL_BYTES];
    p.fill(&mut random).map_err(Error::Random)?;
    let (state, request) = SrpSignIn::start(config, username, password, &random)?;
    let response = call(p, Operation::InitiateAuth, &request).await?;
    let (state, request) = state.handle(response, p.now_secs())?;
    let response = call(p, Operation::RespondToAuthChallenge, &request).await?;
    let session = state.handle(response, p.now_secs())?;
    store.save(&session).await?;
    Ok(session)
}

#[cfg(test)]
mod tests {
    use super::super::fake::{FakePlatform, FakeSrpServer};
    use super::*;
    use crate::test_support::block_on;

    fn config() -> Config {
        Config::new("us-east-1_Pool1", "client1").unwrap()
    }

    #[test]
    fn signs_in_against_a_real_srp_verifier_and_stores_the_session() {
        let server = FakeSrpServer::new("Pool1", "a1b2-uuid", "Passw0rd!");
        let p = server.platform();
        let session = block_on(sign_in(&p, &config(), "alice", "Passw0rd!")).unwrap();
        assert_eq!(session.username, "a1b2-uuid", "tokens are stored under USER_ID_FOR_SRP");
        let requests = p.requests();
        assert_eq!(requests.len(), 2);
        let responses = &requests[1].1["ChallengeResponses"];
        assert_eq!(responses["TIMESTAMP"], "Wed Nov 5 09:05:07 UTC 2025");
        assert_eq!(responses["USERNAME"], "alice");
        let stored = block_on(SessionStore::new(&p, "client1").load()).unwrap();
        assert_eq!(stored, Some(session));
    }

    #[test]
    fn wrong_password_is_cognitos_not_authorized_and_stores_nothing() {
        let server = FakeSrpServer::new("Pool1", "a1b2-uuid", "Passw0rd!");
        let p = server.platform();
        let err = block_on(sign_in(&p, &config(), "alice", "wrong")).unwrap_err();
        assert!(err.is_service("NotAuthorizedException"), "{err}");
        assert!(p.storage.snapshot().is_empty());
    }

    #[test]
    fn second_sign_in_while_signed_in_is_refused_without_a_request() {
        let server = FakeSrpServer::new("Pool1", "a1b2-uuid", "Passw0rd!");
        let p = server.platform();
        block_on(sign_in(&p, &config(), "alice", "Passw0rd!")).unwrap();
        let err = block_on(sign_in(&p, &config(), "alice", "Passw0rd!")).unwrap_err();
        assert_eq!(err.name(), "UserAlreadyAuthenticatedException");
        assert_eq!(p.requests().len(), 2);
    }

    #[test]
    fn unanswerable_challenges_are_typed_errors() {
        let p = FakePlatform::new(|_, _| Ok(serde_json::json!({"ChallengeName": "SMS_MFA", "Session": "s"})));
        let err = block_on(sign_in(&p, &config(), "alice", "pw")).unwrap_err();
        assert_eq!(err.name(), "UnsupportedChallengeException");
        let p = FakePlatform::new(|_, _| Ok(serde_json::json!({"ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": {"SALT": "ab", "SRP_B": "0", "SECRET_BLOCK": "AA==", "USER_ID_FOR_SRP": "u"}})));
        let err = block_on(sign_in(&p, &config(), "alice", "pw")).unwrap_err();
        assert_eq!(err.name(), "ProtocolError", "B = 0 must be refused");
        assert_eq!(p.requests().len(), 1);
    }

    #[test]
    fn offline_is_a_retryable_network_error() {
        let p = FakePlatform::new(|_, _| Ok(serde_json::json!({})));
        p.offline.set(true);
        let err = block_on(sign_in(&p, &config(), "alice", "pw")).unwrap_err();
        assert_eq!(err.name(), "NetworkError");
        assert!(err.retryable());
    }
}

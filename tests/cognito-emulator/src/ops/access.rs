//! Access tokens presented to the signed-in operations (GetUser, ChangePassword, ConfirmDevice, …): which
//! pool issued them (their `iss`), whether they are genuine, current and unrevoked, and whose they are.

use serde_json::Value;

use super::Body;
use crate::app::App;
use crate::errors::{CognitoError, ErrorKind, Validation};
use crate::state::{user_key, PoolState, Store, User};
use crate::tokens;
use crate::util;

/// The signed-in caller of an operation.
#[derive(Debug, Clone)]
pub struct Caller {
    pub pool_id: String,
    pub user_key: String,
    pub device_key: Option<String>,
}

impl Caller {
    pub fn pool<'a>(&self, store: &'a Store) -> Result<&'a PoolState, CognitoError> {
        store
            .pool(&self.pool_id)
            .ok_or_else(|| CognitoError::internal("Pool vanished."))
    }

    pub fn pool_mut<'a>(&self, store: &'a mut Store) -> Result<&'a mut PoolState, CognitoError> {
        store
            .pool_mut(&self.pool_id)
            .ok_or_else(|| CognitoError::internal("Pool vanished."))
    }

    pub fn user<'a>(&self, store: &'a Store) -> Result<&'a User, CognitoError> {
        self.pool(store)?
            .users
            .get(&self.user_key)
            .ok_or_else(user_gone)
    }

    pub fn user_mut<'a>(&self, store: &'a mut Store) -> Result<&'a mut User, CognitoError> {
        self.pool_mut(store)?
            .users
            .get_mut(&self.user_key)
            .ok_or_else(user_gone)
    }
}

fn user_gone() -> CognitoError {
    CognitoError::new(ErrorKind::UserNotFound, "User does not exist.")
}

fn invalid() -> CognitoError {
    CognitoError::not_authorized("Invalid Access Token")
}

/// The pool id named by a token's issuer, if it is one of ours.
pub fn pool_of_token(app: &App, token: &str) -> Option<String> {
    let claims = tokens::peek_claims(token)?;
    let iss = claims.get("iss")?.as_str()?;
    let pool = iss.strip_prefix(&format!("{}/", app.base_url))?;
    Some(pool.to_string())
}

/// Validates an access token and returns its owner.
pub fn authenticate(app: &App, store: &Store, token: &str) -> Result<Caller, CognitoError> {
    let pool_id = pool_of_token(app, token).ok_or_else(invalid)?;
    let key = store.key(&pool_id).ok_or_else(invalid)?;
    let pool = store.pool(&pool_id).ok_or_else(invalid)?;
    let claims = key.verify(token).map_err(|_| invalid())?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    let number = |name: &str| claims.get(name).and_then(Value::as_u64);
    if text("token_use") != Some("access") {
        return Err(invalid());
    }
    let (Some(username), Some(sub), Some(exp), Some(iat)) =
        (text("username"), text("sub"), number("exp"), number("iat"))
    else {
        return Err(invalid());
    };
    if util::now() >= exp {
        return Err(CognitoError::not_authorized("Access Token has expired"));
    }
    let revoked = || CognitoError::not_authorized("Access Token has been revoked");
    if text("origin_jti").is_some_and(|j| pool.revoked_origin_jtis.contains(j)) {
        return Err(revoked());
    }
    let key = user_key(username);
    let user = pool
        .users
        .get(&key)
        .filter(|u| u.sub == sub)
        .ok_or_else(user_gone)?;
    if user.tokens_revoked_before.is_some_and(|t| iat < t) {
        return Err(revoked());
    }
    Ok(Caller {
        pool_id,
        user_key: key,
        device_key: text("device_key").map(str::to_string),
    })
}

/// The required `AccessToken` member.
pub fn access_token(body: &Body) -> Result<String, CognitoError> {
    let mut v = Validation::new();
    let token = body.required(&mut v, "AccessToken")?;
    v.finish()?;
    Ok(token)
}

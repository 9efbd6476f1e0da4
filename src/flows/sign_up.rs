//! Sign-up, confirmation and resending the confirmation code: one request each.

use crate::protocol::types::{
    AttributeType, CodeDeliveryDetails, ConfirmSignUpRequest, ConfirmSignUpResponse,
    ResendConfirmationCodeRequest, SignUpRequest, SignUpResponse,
};
use crate::protocol::{call, FromJson, Json, JsonError, Operation, ToJson};
use crate::session::Storage;

use super::error::require;
use super::one_request::OneRequest;
use super::sign_in::{auto_sign_in, NextStep};
use super::{Config, Error, Metadata, Platform};

/// A new user's details.
#[derive(Debug, Clone, Default)]
pub struct SignUpInput {
    pub username: String,
    pub password: String,
    /// Attribute name and value, e.g. `("email", "a@example.com")`.
    pub attributes: Vec<(String, String)>,
    /// Sign the user in by itself once `confirm_sign_up` succeeds, without asking for the password again.
    pub auto_sign_in: bool,
    pub metadata: Metadata,
}

/// What Cognito said about the new user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignUpOutput {
    /// True when the pool confirmed the user without a code (e.g. a pre-sign-up trigger).
    pub user_confirmed: bool,
    /// The user's permanent id, the `sub` claim.
    pub user_sub: String,
    /// Where the confirmation code went, if one was sent.
    pub code_delivery: Option<CodeDeliveryDetails>,
}

/// The remembered wish to sign in after confirmation; kept in transient storage so a reload between sign-up and
/// confirmation does not lose it.
#[derive(Debug)]
struct AutoSignIn {
    username: String,
    expires_at_millis: i64,
}

impl ToJson for AutoSignIn {
    fn to_json(&self) -> Json {
        Json::object().with("username", &self.username).with("expires_at_millis", self.expires_at_millis)
    }
}

impl FromJson for AutoSignIn {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self { username: v.field("username")?, expires_at_millis: v.field("expires_at_millis")? })
    }
}

/// How long after sign-up the automatic sign-in is still attempted: ConfirmSignUp's Session is short-lived too.
const AUTO_SIGN_IN_WINDOW_MILLIS: i64 = 24 * 60 * 60 * 1000;

fn auto_sign_in_key(config: &Config) -> String {
    ["cognito-wasm.", config.client_id(), ".autoSignIn"].concat()
}

/// SignUp.
pub async fn sign_up<P: Platform>(p: &P, config: &Config, input: SignUpInput) -> Result<SignUpOutput, Error> {
    require("username", &input.username)?;
    require("password", &input.password)?;
    for (name, _) in &input.attributes {
        require("attribute name", name)?;
    }
    let request = SignUpRequest {
        client_id: config.client_id().to_owned(),
        secret_hash: config.secret_hash(&input.username),
        username: input.username.clone(),
        password: input.password,
        user_attributes: AttributeType::list(input.attributes),
        client_metadata: input.metadata.client_metadata(),
        user_context_data: input.metadata.user_context_data(),
    };
    let response: SignUpResponse = call(p, Operation::SignUp, &request).await?;
    if input.auto_sign_in {
        let wish = AutoSignIn { username: input.username, expires_at_millis: p.now_millis() + AUTO_SIGN_IN_WINDOW_MILLIS };
        p.transient_storage().set_item(&auto_sign_in_key(config), &wish.to_json().to_text())?;
    }
    Ok(SignUpOutput {
        user_confirmed: response.user_confirmed,
        user_sub: response.user_sub,
        code_delivery: response.code_delivery_details,
    })
}

/// ConfirmSignUp with the code the user received. When sign-up asked for it, then signs the user in with
/// the Session Cognito returns and gives that sign-in's next step (`None` otherwise).
pub async fn confirm_sign_up<P: Platform>(
    p: &P,
    config: &Config,
    username: &str,
    code: &str,
    metadata: Metadata,
) -> Result<Option<NextStep>, Error> {
    require("username", username)?;
    require("code", code)?;
    let request = ConfirmSignUpRequest {
        client_id: config.client_id().to_owned(),
        username: username.to_owned(),
        confirmation_code: code.trim().to_owned(),
        secret_hash: config.secret_hash(username),
        client_metadata: metadata.client_metadata(),
        user_context_data: metadata.user_context_data(),
    };
    let response: ConfirmSignUpResponse = call(p, Operation::ConfirmSignUp, &request).await?;
    let key = auto_sign_in_key(config);
    let wish = p.transient_storage().get_item(&key)?.and_then(|text| AutoSignIn::from_json(&Json::parse(&text).ok()?).ok());
    let wanted = wish.is_some_and(|w| w.username == username && w.expires_at_millis > p.now_millis());
    if !wanted {
        return Ok(None);
    }
    p.transient_storage().remove_item(&key)?;
    let Some(session) = response.session.filter(|s| !s.is_empty()) else {
        return Err(Error::Protocol("ConfirmSignUp returned no Session, so the user cannot be signed in automatically".into()));
    };
    auto_sign_in(p, config, username, session, metadata).await.map(Some)
}

/// ResendConfirmationCode (`account::code_delivery` reads where the new code went).
pub fn resend_sign_up_code(config: &Config, username: &str, metadata: Metadata) -> Result<OneRequest, Error> {
    require("username", username)?;
    let request = ResendConfirmationCodeRequest {
        client_id: config.client_id().to_owned(),
        username: username.to_owned(),
        secret_hash: config.secret_hash(username),
        client_metadata: metadata.client_metadata(),
        user_context_data: metadata.user_context_data(),
    };
    Ok(OneRequest::new(Operation::ResendConfirmationCode, &request))
}

#[cfg(test)]
mod tests {
    use super::super::fake::FakePlatform;
    use super::*;
    use crate::test_support::block_on;
    use serde_json::json;

    fn config() -> Config {
        Config::new("us-east-1_Pool1", "client1").unwrap()
    }

    #[test]
    fn sign_up_sends_attributes_and_reads_delivery() {
        let p = FakePlatform::new(|_, _| {
            Ok(json!({"UserConfirmed": false, "UserSub": "sub-1",
                      "CodeDeliveryDetails": {"Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}}))
        });
        let input = SignUpInput {
            username: "alice".into(),
            password: "Passw0rd!".into(),
            attributes: vec![("email".into(), "a@example.com".into())],
            ..SignUpInput::default()
        };
        let out = block_on(sign_up(&p, &config(), input)).unwrap();
        assert_eq!(out.user_sub, "sub-1");
        assert_eq!(out.code_delivery.and_then(|d| d.delivery_medium).as_deref(), Some("EMAIL"));
        let (op, body) = p.requests().remove(0);
        assert_eq!(op, Operation::SignUp);
        assert_eq!(body["UserAttributes"], json!([{"Name": "email", "Value": "a@example.com"}]));
        assert_eq!(body["ClientId"], "client1");
    }

    #[test]
    fn empty_fields_fail_before_any_request() {
        let p = FakePlatform::new(|_, _| Ok(json!({})));
        let err = block_on(confirm_sign_up(&p, &config(), "alice", "", Metadata::default())).unwrap_err();
        assert_eq!(err.name(), "InvalidParameterException");
        let input = SignUpInput { username: String::new(), password: "x".into(), ..SignUpInput::default() };
        assert!(matches!(block_on(sign_up(&p, &config(), input)), Err(Error::InvalidParameter(_))));
        assert!(p.requests().is_empty());
    }

    #[test]
    fn service_errors_keep_cognitos_name_and_message() {
        let p = FakePlatform::new(|_, _| Err(("CodeMismatchException", "Invalid verification code provided, please try again.")));
        let err = block_on(confirm_sign_up(&p, &config(), "alice", "123456", Metadata::default())).unwrap_err();
        assert_eq!(err.name(), "CodeMismatchException");
        assert_eq!(err.message(), "Invalid verification code provided, please try again.");
        assert!(!err.retryable());
    }
}

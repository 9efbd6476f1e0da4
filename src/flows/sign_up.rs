//! Sign-up, confirmation and resending the confirmation code: one request each.

use crate::protocol::types::{
    AttributeType, CodeDeliveryDetails, ConfirmSignUpRequest, ConfirmSignUpResponse, ResendConfirmationCodeRequest,
    ResendConfirmationCodeResponse, SignUpRequest, SignUpResponse,
};
use crate::protocol::{call, Operation};

use super::{Config, Error, Platform};

/// A new user's details.
#[derive(Debug, Clone)]
pub struct SignUpInput {
    pub username: String,
    pub password: String,
    /// Attribute name and value, e.g. `("email", "a@example.com")`.
    pub attributes: Vec<(String, String)>,
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

/// Rejects an empty required field before any request: Cognito would only answer with a less clear error.
pub(crate) fn require(field: &str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::InvalidParameter(format!("{field} is required")));
    }
    Ok(())
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
        username: input.username,
        password: input.password,
        user_attributes: input.attributes.into_iter().map(|(name, value)| AttributeType { name, value }).collect(),
        secret_hash: None,
        client_metadata: None,
    };
    let response: SignUpResponse = call(p, Operation::SignUp, &request).await?;
    Ok(SignUpOutput {
        user_confirmed: response.user_confirmed,
        user_sub: response.user_sub,
        code_delivery: response.code_delivery_details,
    })
}

/// ConfirmSignUp with the code the user received.
pub async fn confirm_sign_up<P: Platform>(p: &P, config: &Config, username: &str, code: &str) -> Result<(), Error> {
    require("username", username)?;
    require("code", code)?;
    let request = ConfirmSignUpRequest {
        client_id: config.client_id().to_owned(),
        username: username.to_owned(),
        confirmation_code: code.trim().to_owned(),
        secret_hash: None,
        client_metadata: None,
    };
    let _: ConfirmSignUpResponse = call(p, Operation::ConfirmSignUp, &request).await?;
    Ok(())
}

/// ResendConfirmationCode; returns where the new code went.
pub async fn resend_sign_up_code<P: Platform>(
    p: &P,
    config: &Config,
    username: &str,
) -> Result<Option<CodeDeliveryDetails>, Error> {
    require("username", username)?;
    let request = ResendConfirmationCodeRequest {
        client_id: config.client_id().to_owned(),
        username: username.to_owned(),
        secret_hash: None,
        client_metadata: None,
    };
    let response: ResendConfirmationCodeResponse = call(p, Operation::ResendConfirmationCode, &request).await?;
    Ok(response.code_delivery_details)
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
        let err = block_on(confirm_sign_up(&p, &config(), "alice", "")).unwrap_err();
        assert_eq!(err.name(), "InvalidParameterException");
        let input = SignUpInput { username: String::new(), password: "x".into(), attributes: vec![] };
        assert!(matches!(block_on(sign_up(&p, &config(), input)), Err(Error::InvalidParameter(_))));
        assert!(p.requests().is_empty());
    }

    #[test]
    fn service_errors_keep_cognitos_name_and_message() {
        let p = FakePlatform::new(|_, _| Err(("CodeMismatchException", "Invalid verification code provided, please try again.")));
        let err = block_on(confirm_sign_up(&p, &config(), "alice", "123456")).unwrap_err();
        assert_eq!(err.name(), "CodeMismatchException");
        assert_eq!(err.message(), "Invalid verification code provided, please try again.");
        assert!(!err.retryable());
    }
}

//! The Cognito operations this client calls.

/// A Cognito user-pool API operation; its name goes into `X-Amz-Target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    SignUp,
    ConfirmSignUp,
    ResendConfirmationCode,
    InitiateAuth,
    RespondToAuthChallenge,
    GetUser,
    RevokeToken,
    GlobalSignOut,
}

impl Operation {
    /// The operation's name as Cognito spells it.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::SignUp => "SignUp",
            Self::ConfirmSignUp => "ConfirmSignUp",
            Self::ResendConfirmationCode => "ResendConfirmationCode",
            Self::InitiateAuth => "InitiateAuth",
            Self::RespondToAuthChallenge => "RespondToAuthChallenge",
            Self::GetUser => "GetUser",
            Self::RevokeToken => "RevokeToken",
            Self::GlobalSignOut => "GlobalSignOut",
        }
    }

    /// The `X-Amz-Target` header value.
    #[must_use]
    pub fn target(self) -> String {
        format!("AWSCognitoIdentityProviderService.{}", self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_names_the_service_and_operation() {
        assert_eq!(Operation::InitiateAuth.target(), "AWSCognitoIdentityProviderService.InitiateAuth");
        assert_eq!(Operation::RespondToAuthChallenge.target(), "AWSCognitoIdentityProviderService.RespondToAuthChallenge");
    }
}

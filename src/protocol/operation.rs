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
    ForgotPassword,
    ConfirmForgotPassword,
    ChangePassword,
    UpdateUserAttributes,
    GetUserAttributeVerificationCode,
    VerifyUserAttribute,
    DeleteUserAttributes,
    DeleteUser,
    AssociateSoftwareToken,
    VerifySoftwareToken,
    SetUserMFAPreference,
    ConfirmDevice,
    UpdateDeviceStatus,
    ListDevices,
    ForgetDevice,
    GetTokensFromRefreshToken,
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
            Self::ForgotPassword => "ForgotPassword",
            Self::ConfirmForgotPassword => "ConfirmForgotPassword",
            Self::ChangePassword => "ChangePassword",
            Self::UpdateUserAttributes => "UpdateUserAttributes",
            Self::GetUserAttributeVerificationCode => "GetUserAttributeVerificationCode",
            Self::VerifyUserAttribute => "VerifyUserAttribute",
            Self::DeleteUserAttributes => "DeleteUserAttributes",
            Self::DeleteUser => "DeleteUser",
            Self::AssociateSoftwareToken => "AssociateSoftwareToken",
            Self::VerifySoftwareToken => "VerifySoftwareToken",
            Self::SetUserMFAPreference => "SetUserMFAPreference",
            Self::ConfirmDevice => "ConfirmDevice",
            Self::UpdateDeviceStatus => "UpdateDeviceStatus",
            Self::ListDevices => "ListDevices",
            Self::ForgetDevice => "ForgetDevice",
            Self::GetTokensFromRefreshToken => "GetTokensFromRefreshToken",
        }
    }

    /// The `X-Amz-Target` header value.
    #[must_use]
    pub fn target(self) -> String {
        ["AWSCognitoIdentityProviderService.", self.name()].concat()
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

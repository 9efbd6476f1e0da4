//! What a user does to their own account: reset or change the password, read and change attributes, delete
//! the account.

use crate::protocol::types::{
    AccessTokenRequest, AttributeType, ChangePasswordRequest, CodeDeliveryDetails, CodeDeliveryResponse,
    ConfirmForgotPasswordRequest, DeleteUserAttributesRequest, Empty, ForgotPasswordRequest,
    GetUserAttributeVerificationCodeRequest, GetUserResponse, SortedMap, StringMap, UpdateUserAttributesRequest,
    UpdateUserAttributesResponse, VerifyUserAttributeRequest,
};
use crate::protocol::{call, Operation};
use crate::session::StorageKeys;

use super::current::{access_token, signed_in};
use super::error::require;
use super::{device_secrets, AuthEvent, Config, Error, Metadata, Platform};

/// ForgotPassword: sends a code to reset the password with; returns where it went.
pub async fn reset_password<P: Platform>(
    p: &P,
    config: &Config,
    username: &str,
    metadata: Metadata,
) -> Result<Option<CodeDeliveryDetails>, Error> {
    require("username", username)?;
    let request = ForgotPasswordRequest {
        client_id: config.client_id().to_owned(),
        username: username.to_owned(),
        secret_hash: config.secret_hash(username),
        client_metadata: metadata.client_metadata(),
        user_context_data: metadata.user_context_data(),
    };
    let response: CodeDeliveryResponse = call(p, Operation::ForgotPassword, &request).await?;
    Ok(response.code_delivery_details)
}

/// ConfirmForgotPassword: sets the new password with the code.
pub async fn confirm_reset_password<P: Platform>(
    p: &P,
    config: &Config,
    username: &str,
    code: &str,
    new_password: &str,
    metadata: Metadata,
) -> Result<(), Error> {
    require("username", username)?;
    require("confirmationCode", code)?;
    require("newPassword", new_password)?;
    let request = ConfirmForgotPasswordRequest {
        client_id: config.client_id().to_owned(),
        username: username.to_owned(),
        confirmation_code: code.trim().to_owned(),
        password: new_password.to_owned(),
        secret_hash: config.secret_hash(username),
        client_metadata: metadata.client_metadata(),
        user_context_data: metadata.user_context_data(),
    };
    let _: Empty = call(p, Operation::ConfirmForgotPassword, &request).await?;
    Ok(())
}

/// ChangePassword for the signed-in user.
pub async fn update_password<P: Platform>(p: &P, config: &Config, old: &str, new: &str) -> Result<(), Error> {
    require("oldPassword", old)?;
    require("newPassword", new)?;
    let access_token = access_token(p, config).await?;
    let request = ChangePasswordRequest {
        access_token,
        previous_password: old.to_owned(),
        proposed_password: new.to_owned(),
    };
    let _: Empty = call(p, Operation::ChangePassword, &request).await?;
    Ok(())
}

/// GetUser's attributes, by name.
pub async fn fetch_user_attributes<P: Platform>(p: &P, config: &Config) -> Result<StringMap, Error> {
    // A loop rather than `collect`: less wasm.
    let mut attributes = StringMap::new();
    for a in get_user(p, config).await?.user_attributes {
        attributes.insert(a.name, a.value);
    }
    Ok(attributes)
}

pub(crate) async fn get_user<P: Platform>(p: &P, config: &Config) -> Result<GetUserResponse, Error> {
    let access_token = access_token(p, config).await?;
    let request = AccessTokenRequest { access_token };
    Ok(call(p, Operation::GetUser, &request).await?)
}

/// How one attribute's update ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeUpdate {
    /// The new value is in place.
    Done,
    /// The new value must be confirmed with the code sent (email, phone number).
    ConfirmWithCode(CodeDeliveryDetails),
}

/// UpdateUserAttributes; says per attribute whether it is done or awaits a verification code.
///
/// The outcome is a list sorted by attribute name, one entry per name.
pub async fn update_user_attributes<P: Platform>(
    p: &P,
    config: &Config,
    attributes: StringMap,
    metadata: Metadata,
) -> Result<Vec<(String, AttributeUpdate)>, Error> {
    if attributes.is_empty() {
        return Err(Error::InvalidParameter("userAttributes must name at least one attribute".into()));
    }
    for name in attributes.keys() {
        require("attribute name", name)?;
    }
    let access_token = access_token(p, config).await?;
    let request = UpdateUserAttributesRequest {
        access_token,
        user_attributes: AttributeType::list(attributes.clone().into_pairs()),
        client_metadata: metadata.client_metadata(),
    };
    let response: UpdateUserAttributesResponse = call(p, Operation::UpdateUserAttributes, &request).await?;
    Ok(outcomes(attributes.into_keys(), response.code_delivery_details_list))
}

/// Every requested attribute as done, except those Cognito sent a code for; sorted by name, one entry each. A
/// delivery for a name that was not asked for is added in order.
fn outcomes(names: impl Iterator<Item = String>, deliveries: Vec<CodeDeliveryDetails>) -> Vec<(String, AttributeUpdate)> {
    let mut outcome: SortedMap<AttributeUpdate> = names.map(|name| (name, AttributeUpdate::Done)).collect();
    for delivery in deliveries {
        if let Some(name) = delivery.attribute_name.clone() {
            outcome.insert(name, AttributeUpdate::ConfirmWithCode(delivery));
        }
    }
    outcome.into_pairs()
}

/// GetUserAttributeVerificationCode: sends a new code for `attribute`.
pub async fn send_user_attribute_verification_code<P: Platform>(
    p: &P,
    config: &Config,
    attribute: &str,
    metadata: Metadata,
) -> Result<Option<CodeDeliveryDetails>, Error> {
    require("attributeKey", attribute)?;
    let access_token = access_token(p, config).await?;
    let request = GetUserAttributeVerificationCodeRequest {
        access_token,
        attribute_name: attribute.to_owned(),
        client_metadata: metadata.client_metadata(),
    };
    let response: CodeDeliveryResponse = call(p, Operation::GetUserAttributeVerificationCode, &request).await?;
    Ok(response.code_delivery_details)
}

/// VerifyUserAttribute with the code received.
pub async fn confirm_user_attribute<P: Platform>(p: &P, config: &Config, attribute: &str, code: &str) -> Result<(), Error> {
    require("attributeKey", attribute)?;
    require("confirmationCode", code)?;
    let access_token = access_token(p, config).await?;
    let request = VerifyUserAttributeRequest {
        access_token,
        attribute_name: attribute.to_owned(),
        code: code.trim().to_owned(),
    };
    let _: Empty = call(p, Operation::VerifyUserAttribute, &request).await?;
    Ok(())
}

/// DeleteUserAttributes.
pub async fn delete_user_attributes<P: Platform>(p: &P, config: &Config, names: Vec<String>) -> Result<(), Error> {
    if names.is_empty() {
        return Err(Error::InvalidParameter("userAttributeKeys must name at least one attribute".into()));
    }
    let access_token = access_token(p, config).await?;
    let request = DeleteUserAttributesRequest { access_token, user_attribute_names: names };
    let _: Empty = call(p, Operation::DeleteUserAttributes, &request).await?;
    Ok(())
}

/// DeleteUser, then forgets the session and this device's secrets for the user, with every typed name leading
/// to them: none can be used again.
pub async fn delete_user<P: Platform>(p: &P, config: &Config) -> Result<(), Error> {
    let session = signed_in(p, config).await?;
    let request = AccessTokenRequest { access_token: session.tokens.access_token.clone() };
    let _: Empty = call(p, Operation::DeleteUser, &request).await?;
    // The session first: the user is gone, and a storage failure while removing the device secrets must not
    // leave their tokens behind. The secrets are useless without the user; their removal's error still reaches
    // the caller.
    config.refresher().end_session();
    super::sessions(p, config).clear(&session.username).await?;
    p.emit(AuthEvent::SignedOut);
    device_secrets::remove(p.storage(), &StorageKeys::new(config.client_id()), &session.username).await
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn delivery(name: &str, destination: &str) -> CodeDeliveryDetails {
        CodeDeliveryDetails {
            attribute_name: Some(name.to_owned()),
            destination: Some(destination.to_owned()),
            ..CodeDeliveryDetails::default()
        }
    }

    /// The list is what a `BTreeMap` filled the same way iterates: sorted, one entry per name, the last delivery
    /// for a name winning, names Cognito adds inserted in order, deliveries without a name ignored.
    #[test]
    fn outcomes_are_sorted_unique_and_match_a_map() {
        let names = ["email", "name", "phone_number"];
        let deliveries = vec![
            delivery("phone_number", "+1***1"),
            delivery("address", "a"),
            delivery("zoneinfo", "z"),
            CodeDeliveryDetails::default(),
            delivery("email", "e1"),
            delivery("email", "e2"),
        ];
        let mut expected: BTreeMap<String, AttributeUpdate> =
            names.iter().map(|n| ((*n).to_owned(), AttributeUpdate::Done)).collect();
        for d in deliveries.clone() {
            if let Some(name) = d.attribute_name.clone() {
                expected.insert(name, AttributeUpdate::ConfirmWithCode(d));
            }
        }
        let got = outcomes(names.iter().map(|n| (*n).to_owned()), deliveries);
        assert_eq!(got, expected.into_iter().collect::<Vec<_>>());
        assert_eq!(got.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["address", "email", "name", "phone_number", "zoneinfo"]);
        assert_eq!(got.get(1).map(|(_, u)| u), Some(&AttributeUpdate::ConfirmWithCode(delivery("email", "e2"))));
    }
}

//! What a user does to their own account: reset or change the password, read and change attributes, delete
//! the account.

use crate::protocol::types::{
    AccessTokenRequest, AttributeType, ChangePasswordRequest, CodeDeliveryDetails, CodeDeliveryResponse,
    ConfirmForgotPasswordRequest, DeleteUserAttributesRequest, Empty, ForgotPasswordRequest,
    GetUserAttributeVerificationCodeRequest, GetUserResponse, SortedMap, StringMap, UpdateUserAttributesRequest,
    UpdateUserAttributesResponse, VerifyUserAttributeRequest,
};
use crate::protocol::{call, Json, Operation, ToJson};
use crate::session::StorageKeys;

use super::current::signed_in;
use super::error::require;
use super::one_request::{read, OneRequest};
use super::{device_secrets, AuthEvent, Config, Error, Metadata, Platform};

/// ForgotPassword: sends a code to reset the password with ([`code_delivery`] reads where it went).
pub fn reset_password(config: &Config, username: &str, metadata: Metadata) -> Result<OneRequest, Error> {
    require("username", username)?;
    let request = ForgotPasswordRequest {
        client_id: config.client_id().to_owned(),
        username: username.to_owned(),
        secret_hash: config.secret_hash(username),
        client_metadata: metadata.client_metadata(),
        user_context_data: metadata.user_context_data(),
    };
    Ok(OneRequest::new(Operation::ForgotPassword, &request))
}

/// Where the code went, from the answer to ForgotPassword, ResendConfirmationCode or
/// GetUserAttributeVerificationCode.
pub fn code_delivery(operation: Operation, answer: &Json) -> Result<Option<CodeDeliveryDetails>, Error> {
    Ok(read::<CodeDeliveryResponse>(operation, answer)?.code_delivery_details)
}

/// ConfirmForgotPassword: sets the new password with the code.
pub fn confirm_reset_password(
    config: &Config,
    username: &str,
    code: &str,
    new_password: &str,
    metadata: Metadata,
) -> Result<OneRequest, Error> {
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
    Ok(OneRequest::new(Operation::ConfirmForgotPassword, &request))
}

/// ChangePassword for the signed-in user.
pub fn update_password(old: String, new: String) -> Result<OneRequest, Error> {
    require("oldPassword", &old)?;
    require("newPassword", &new)?;
    Ok(OneRequest::for_user(Operation::ChangePassword, move |access_token| {
        ChangePasswordRequest { access_token, previous_password: old, proposed_password: new }.to_json()
    }))
}

/// GetUser for the signed-in user ([`user_attributes`] and `mfa::mfa_preference` read the answer).
#[must_use]
pub fn get_user() -> OneRequest {
    OneRequest::for_user(Operation::GetUser, |access_token| AccessTokenRequest { access_token }.to_json())
}

/// The user's attributes by name, from GetUser's answer.
pub fn user_attributes(answer: &Json) -> Result<StringMap, Error> {
    // A loop rather than `collect`: less wasm.
    let mut attributes = StringMap::new();
    for a in read::<GetUserResponse>(Operation::GetUser, answer)?.user_attributes {
        attributes.insert(a.name, a.value);
    }
    Ok(attributes)
}

/// How one attribute's update ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeUpdate {
    /// The new value is in place.
    Done,
    /// The new value must be confirmed with the code sent (email, phone number).
    ConfirmWithCode(CodeDeliveryDetails),
}

/// UpdateUserAttributes; [`attribute_updates`] says per attribute whether it is done or awaits a code.
pub fn update_user_attributes(attributes: &StringMap, metadata: Metadata) -> Result<OneRequest, Error> {
    if attributes.is_empty() {
        return Err(Error::InvalidParameter("userAttributes must name at least one attribute".into()));
    }
    for name in attributes.keys() {
        require("attribute name", name)?;
    }
    let (user_attributes, client_metadata) = (AttributeType::list(attributes.clone().into_pairs()), metadata.client_metadata());
    Ok(OneRequest::for_user(Operation::UpdateUserAttributes, move |access_token| {
        UpdateUserAttributesRequest { access_token, user_attributes, client_metadata }.to_json()
    }))
}

/// Per requested attribute, from UpdateUserAttributes' answer: done, or waiting for the code Cognito sent. A list
/// sorted by attribute name, one entry per name.
pub fn attribute_updates(requested: StringMap, answer: &Json) -> Result<Vec<(String, AttributeUpdate)>, Error> {
    let response: UpdateUserAttributesResponse = read(Operation::UpdateUserAttributes, answer)?;
    Ok(outcomes(requested.into_keys(), response.code_delivery_details_list))
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

/// GetUserAttributeVerificationCode: sends a new code for `attribute` ([`code_delivery`] reads where it went).
pub fn send_user_attribute_verification_code(attribute: String, metadata: Metadata) -> Result<OneRequest, Error> {
    require("attributeKey", &attribute)?;
    let client_metadata = metadata.client_metadata();
    Ok(OneRequest::for_user(Operation::GetUserAttributeVerificationCode, move |access_token| {
        GetUserAttributeVerificationCodeRequest { access_token, attribute_name: attribute, client_metadata }.to_json()
    }))
}

/// VerifyUserAttribute with the code received.
pub fn confirm_user_attribute(attribute: String, code: &str) -> Result<OneRequest, Error> {
    require("attributeKey", &attribute)?;
    require("confirmationCode", code)?;
    let code = code.trim().to_owned();
    Ok(OneRequest::for_user(Operation::VerifyUserAttribute, move |access_token| {
        VerifyUserAttributeRequest { access_token, attribute_name: attribute, code }.to_json()
    }))
}

/// DeleteUserAttributes.
pub fn delete_user_attributes(names: Vec<String>) -> Result<OneRequest, Error> {
    if names.is_empty() {
        return Err(Error::InvalidParameter("userAttributeKeys must name at least one attribute".into()));
    }
    Ok(OneRequest::for_user(Operation::DeleteUserAttributes, move |access_token| {
        DeleteUserAttributesRequest { access_token, user_attribute_names: names }.to_json()
    }))
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
    super::sessions(p, config).clear(&session.username)?;
    p.emit(AuthEvent::SignedOut);
    device_secrets::remove(p.storage(), &StorageKeys::new(config.client_id()), &session.username)
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

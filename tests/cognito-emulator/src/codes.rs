//! "Sending" codes: the emulator's stand-in for SMS and email delivery. Every code is logged to stderr and
//! kept on the user, where `GET /__emulator__/codes/<username>` finds it.

use serde_json::{json, Value};

use crate::state::{SentCode, User};
use crate::util;

/// Sign-up, password-reset and attribute-verification codes are valid for 24 hours (Cognito: 24 h for
/// sign-up, 1 h for password reset; one value keeps the emulator simple and never expires a test's code).
pub const ACCOUNT_CODE_TTL_SECS: u64 = 24 * 3600;

/// Which channel a code goes out on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// Email when the user has one, else SMS (Cognito's choice for sign-up and password-reset codes).
    Auto,
    Email,
    Sms,
}

/// Generates a code, logs it and records it on `user`. `address` replaces the user's own email/phone (for
/// email-MFA setup, where the address is not yet the user's).
pub fn deliver(
    user: &mut User,
    purpose: &str,
    channel: Channel,
    address: Option<&str>,
    ttl_secs: u64,
) -> SentCode {
    let email = address
        .filter(|_| channel == Channel::Email)
        .or_else(|| user.attribute("email"))
        .map(str::to_string);
    let phone = address
        .filter(|_| channel == Channel::Sms)
        .or_else(|| user.attribute("phone_number"))
        .map(str::to_string);
    let by_email = match channel {
        Channel::Email => true,
        Channel::Sms => false,
        Channel::Auto => email.is_some() || phone.is_none(),
    };
    let (medium, attribute, destination) = if by_email {
        (
            "EMAIL",
            "email",
            email.map(|e| util::mask_email(&e)).unwrap_or_default(),
        )
    } else {
        (
            "SMS",
            "phone_number",
            phone.map(|p| util::mask_phone(&p)).unwrap_or_default(),
        )
    };
    let now = util::now();
    let sent = SentCode {
        code: util::confirmation_code(),
        purpose: purpose.to_string(),
        destination,
        delivery_medium: medium.to_string(),
        attribute_name: attribute.to_string(),
        sent_at: now,
        expires_at: now + ttl_secs,
        used: false,
    };
    eprintln!(
        "code for {}: {} ({}, {} {})",
        user.username, sent.code, sent.purpose, sent.delivery_medium, sent.destination
    );
    user.record_code(sent.clone());
    sent
}

/// Cognito's `CodeDeliveryDetails` structure.
pub fn delivery_details(sent: &SentCode) -> Value {
    json!({
        "Destination": sent.destination,
        "DeliveryMedium": sent.delivery_medium,
        "AttributeName": sent.attribute_name,
    })
}

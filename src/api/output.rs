//! Results as plain JS objects with camelCase fields, shaped as Amplify v6 shapes them where it has an
//! equivalent, so that migrating code reads the same fields.
//!
//! Each result is built as a [`Json`] value and becomes a JS object in one `JSON.parse` ([`to_js`]): one generic
//! path instead of a serializer per type keeps the wasm small. An optional field is either always there, `null`
//! when unknown, or left out, as pkg-template/index.d.ts declares it; each builder says which.

use crate::protocol::types::StringMap;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::JsValue;

use crate::flows::account::AttributeUpdate;
use crate::flows::devices::Device;
use crate::flows::mfa::{MfaPreference, TotpSetup};
use crate::flows::sign_in::{MfaType, NextStep};
use crate::flows::sign_up::SignUpOutput;
#[cfg(target_arch = "wasm32")]
use crate::flows::Error;
use crate::protocol::types::CodeDeliveryDetails;
use crate::protocol::Json;
use crate::session::Session;

/// The JS value of a result: plain objects and arrays, as JS code expects (not `Map`s).
#[cfg(target_arch = "wasm32")]
pub fn to_js(value: &Json) -> Result<JsValue, Error> {
    js_sys::JSON::parse(&value.to_text()).map_err(|_| Error::Protocol("result not representable in JS".into()))
}

/// `null` for what is unknown, for fields that are always present.
fn or_null<T: Into<Json>>(value: Option<T>) -> Json {
    value.map_or(Json::Null, Into::into)
}

fn code_delivery(d: CodeDeliveryDetails) -> Json {
    Json::object()
        .with("destination", or_null(d.destination))
        .with("deliveryMedium", or_null(d.delivery_medium))
        .with("attributeName", or_null(d.attribute_name))
}

/// `{ userConfirmed, userSub, codeDeliveryDetails }`.
pub fn sign_up(o: SignUpOutput) -> Json {
    Json::object()
        .with("userConfirmed", o.user_confirmed)
        .with("userSub", o.user_sub)
        .with("codeDeliveryDetails", or_null(o.code_delivery.map(code_delivery)))
}

/// `{ isSignUpComplete: true, nextStep: { signUpStep: 'DONE' }, autoSignIn }`, where `autoSignIn` is the
/// automatic sign-in's result when sign-up asked for one, else `null`.
pub fn confirm_sign_up(auto: Option<NextStep>) -> Json {
    Json::object()
        .with("isSignUpComplete", true)
        .with("nextStep", Json::object().with("signUpStep", "DONE"))
        .with("autoSignIn", or_null(auto.map(sign_in)))
}

/// `{ codeDeliveryDetails }`, `null` when Cognito did not say where the code went.
pub fn delivery(d: Option<CodeDeliveryDetails>) -> Json {
    Json::object().with("codeDeliveryDetails", or_null(d.map(code_delivery)))
}

fn mfa_names(types: Vec<MfaType>) -> Json {
    // Loops rather than `collect` here and in `attribute_updates`: less wasm per element type.
    let mut names = Vec::with_capacity(types.len());
    for t in types {
        names.push(Json::from(t.name()));
    }
    Json::Array(names)
}

/// `{ isSignedIn, nextStep: { signInStep, … } }`: `nextStep` has only the fields its step carries.
pub fn sign_in(step: NextStep) -> Json {
    let is_signed_in = step == NextStep::Done;
    let next = Json::object().with("signInStep", step.name());
    let next = match step {
        NextStep::NewPasswordRequired { missing_attributes } => next.with("missingAttributes", missing_attributes),
        NextStep::SmsCode { delivery } | NextStep::EmailCode { delivery } => {
            next.with("codeDeliveryDetails", code_delivery(delivery))
        }
        NextStep::MfaSelection { allowed } | NextStep::MfaSetupSelection { allowed } => {
            next.with("allowedMFATypes", mfa_names(allowed))
        }
        NextStep::TotpSetup { shared_secret, setup_uri } => {
            next.with("totpSetupDetails", totp(TotpSetup { shared_secret, setup_uri }))
        }
        NextStep::CustomChallenge { parameters } => next.with("additionalInfo", parameters),
        NextStep::FirstFactorSelection { available } => next.with("availableChallenges", available),
        NextStep::Done | NextStep::TotpCode | NextStep::EmailSetup | NextStep::Password => next,
    };
    Json::object().with("isSignedIn", is_signed_in).with("nextStep", next)
}

/// `{ sharedSecret, setupUri }`.
pub fn totp(t: TotpSetup) -> Json {
    Json::object().with("sharedSecret", t.shared_secret).with("setupUri", t.setup_uri)
}

/// `{ idToken, accessToken, refreshToken, idTokenPayload, accessTokenPayload, expiresAt, groups, scopes }`:
/// `expiresAt` is when the first token expires, in local milliseconds since the epoch (comparable with
/// `Date.now()`); `groups` are the user's groups (`cognito:groups`), `scopes` the access token's OAuth scopes.
pub fn session(s: &Session) -> Json {
    let groups: Vec<&str> = s
        .access_claims
        .all
        .get("cognito:groups")
        .and_then(Json::as_array)
        .map(|g| g.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    let scopes: Vec<&str> = s.access_claims.string("scope").map(|v| v.split_whitespace().collect()).unwrap_or_default();
    Json::object()
        .with("idToken", &s.tokens.id_token)
        .with("accessToken", &s.tokens.access_token)
        .with("refreshToken", or_null(s.tokens.refresh_token.as_deref()))
        .with("idTokenPayload", Json::clone(&s.id_claims.all))
        .with("accessTokenPayload", Json::clone(&s.access_claims.all))
        .with("expiresAt", s.local_expires_at_millis())
        .with("groups", groups)
        .with("scopes", scopes)
}

/// `{ isPasswordReset: false, nextStep: { resetPasswordStep, codeDeliveryDetails } }`.
pub fn reset_password(d: Option<CodeDeliveryDetails>) -> Json {
    let next = Json::object()
        .with("resetPasswordStep", "CONFIRM_RESET_PASSWORD_WITH_CODE")
        .with("codeDeliveryDetails", or_null(d.map(code_delivery)));
    Json::object().with("isPasswordReset", false).with("nextStep", next)
}

/// Per attribute `{ isUpdated, nextStep: { updateAttributeStep, codeDeliveryDetails? } }`: the delivery only for
/// attributes that wait for a code.
pub fn attribute_updates(updates: Vec<(String, AttributeUpdate)>) -> Json {
    let mut results = Vec::with_capacity(updates.len());
    for (name, update) in updates {
        let (is_updated, next) = match update {
            AttributeUpdate::Done => (true, Json::object().with("updateAttributeStep", "DONE")),
            AttributeUpdate::ConfirmWithCode(d) => (
                false,
                Json::object()
                    .with("updateAttributeStep", "CONFIRM_ATTRIBUTE_WITH_CODE")
                    .with("codeDeliveryDetails", code_delivery(d)),
            ),
        };
        results.push((name, Json::object().with("isUpdated", is_updated).with("nextStep", next)));
    }
    Json::Object(results)
}

/// `{ name: value, … }`.
pub fn attributes(attributes: StringMap) -> Json {
    attributes.into()
}

/// `{ enabled: ['TOTP', …], preferred: 'TOTP' | null }`.
pub fn mfa_preference(m: MfaPreference) -> Json {
    Json::object().with("enabled", mfa_names(m.enabled)).with("preferred", or_null(m.preferred.map(MfaType::name)))
}

/// `[{ id, name, createdAt, lastModifiedAt, lastAuthenticatedAt }]`, dates in milliseconds since the epoch;
/// what Cognito did not say is `null`.
pub fn devices(list: Vec<Device>) -> Json {
    let device = |d: Device| {
        Json::object()
            .with("id", d.id)
            .with("name", or_null(d.name))
            .with("createdAt", or_null(d.created_at))
            .with("lastModifiedAt", or_null(d.last_modified_at))
            .with("lastAuthenticatedAt", or_null(d.last_authenticated_at))
    };
    Json::Array(list.into_iter().map(device).collect())
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    use super::*;
    use crate::session::Tokens;

    fn delivery_details() -> CodeDeliveryDetails {
        CodeDeliveryDetails {
            destination: Some("a***@e***".into()),
            delivery_medium: Some("EMAIL".into()),
            attribute_name: None,
        }
    }

    const DELIVERY: &str = r#"{"destination":"a***@e***","deliveryMedium":"EMAIL","attributeName":null}"#;

    #[test]
    fn sign_up_results() {
        let out = SignUpOutput { user_confirmed: false, user_sub: "sub-1".into(), code_delivery: Some(delivery_details()) };
        assert_eq!(sign_up(out).to_text(), format!(r#"{{"userConfirmed":false,"userSub":"sub-1","codeDeliveryDetails":{DELIVERY}}}"#));
        let out = SignUpOutput { user_confirmed: true, user_sub: "sub-1".into(), code_delivery: None };
        assert_eq!(sign_up(out).to_text(), r#"{"userConfirmed":true,"userSub":"sub-1","codeDeliveryDetails":null}"#);

        assert_eq!(
            confirm_sign_up(None).to_text(),
            r#"{"isSignUpComplete":true,"nextStep":{"signUpStep":"DONE"},"autoSignIn":null}"#
        );
        assert_eq!(
            confirm_sign_up(Some(NextStep::Done)).to_text(),
            r#"{"isSignUpComplete":true,"nextStep":{"signUpStep":"DONE"},"autoSignIn":{"isSignedIn":true,"nextStep":{"signInStep":"DONE"}}}"#
        );
        assert_eq!(delivery(None).to_text(), r#"{"codeDeliveryDetails":null}"#);
        assert_eq!(delivery(Some(delivery_details())).to_text(), format!(r#"{{"codeDeliveryDetails":{DELIVERY}}}"#));
    }

    #[test]
    fn sign_in_steps_carry_only_their_fields() {
        let cases = [
            (NextStep::Done, r#"{"isSignedIn":true,"nextStep":{"signInStep":"DONE"}}"#.to_owned()),
            (
                NextStep::TotpCode,
                r#"{"isSignedIn":false,"nextStep":{"signInStep":"CONFIRM_SIGN_IN_WITH_TOTP_CODE"}}"#.to_owned(),
            ),
            (
                NextStep::NewPasswordRequired { missing_attributes: vec!["name".into()] },
                r#"{"isSignedIn":false,"nextStep":{"signInStep":"CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED","missingAttributes":["name"]}}"#
                    .to_owned(),
            ),
            (
                NextStep::EmailCode { delivery: delivery_details() },
                format!(
                    r#"{{"isSignedIn":false,"nextStep":{{"signInStep":"CONFIRM_SIGN_IN_WITH_EMAIL_CODE","codeDeliveryDetails":{DELIVERY}}}}}"#
                ),
            ),
            (
                NextStep::MfaSelection { allowed: vec![MfaType::Sms, MfaType::Totp] },
                r#"{"isSignedIn":false,"nextStep":{"signInStep":"CONTINUE_SIGN_IN_WITH_MFA_SELECTION","allowedMFATypes":["SMS","TOTP"]}}"#
                    .to_owned(),
            ),
            (
                NextStep::TotpSetup { shared_secret: "S".into(), setup_uri: "otpauth://x".into() },
                r#"{"isSignedIn":false,"nextStep":{"signInStep":"CONTINUE_SIGN_IN_WITH_TOTP_SETUP","totpSetupDetails":{"sharedSecret":"S","setupUri":"otpauth://x"}}}"#
                    .to_owned(),
            ),
            (
                NextStep::CustomChallenge { parameters: [("q".to_owned(), "2+2".to_owned())].into() },
                r#"{"isSignedIn":false,"nextStep":{"signInStep":"CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE","additionalInfo":{"q":"2+2"}}}"#
                    .to_owned(),
            ),
            (
                NextStep::FirstFactorSelection { available: vec!["PASSWORD".into(), "EMAIL_OTP".into()] },
                r#"{"isSignedIn":false,"nextStep":{"signInStep":"CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION","availableChallenges":["PASSWORD","EMAIL_OTP"]}}"#
                    .to_owned(),
            ),
        ];
        for (step, expected) in cases {
            assert_eq!(sign_in(step).to_text(), expected);
        }
    }

    fn jwt(payload: &str) -> String {
        format!("h.{}.sig", URL_SAFE_NO_PAD.encode(payload))
    }

    #[test]
    fn session_result_has_payloads_groups_and_scopes() {
        let tokens = Tokens {
            id_token: jwt(r#"{"sub":"s","exp":2000,"iat":1000,"email":"a@example.com"}"#),
            access_token: jwt(r#"{"exp":1900,"iat":1000,"cognito:groups":["admin","staff"],"scope":"aws.cognito.signin.user.admin openid"}"#),
            refresh_token: None,
        };
        // The local clock is 10 s ahead of Cognito's.
        let s = Session::new("u".into(), tokens.clone(), 1010).unwrap();
        let expected = format!(
            concat!(
                r#"{{"idToken":"{}","accessToken":"{}","refreshToken":null,"#,
                r#""idTokenPayload":{{"sub":"s","exp":2000,"iat":1000,"email":"a@example.com"}},"#,
                r#""accessTokenPayload":{{"exp":1900,"iat":1000,"cognito:groups":["admin","staff"],"scope":"aws.cognito.signin.user.admin openid"}},"#,
                r#""expiresAt":1910000,"groups":["admin","staff"],"scopes":["aws.cognito.signin.user.admin","openid"]}}"#
            ),
            tokens.id_token, tokens.access_token
        );
        assert_eq!(session(&s).to_text(), expected);
    }

    #[test]
    fn account_results() {
        assert_eq!(
            reset_password(Some(delivery_details())).to_text(),
            format!(
                r#"{{"isPasswordReset":false,"nextStep":{{"resetPasswordStep":"CONFIRM_RESET_PASSWORD_WITH_CODE","codeDeliveryDetails":{DELIVERY}}}}}"#
            )
        );
        assert_eq!(
            reset_password(None).to_text(),
            r#"{"isPasswordReset":false,"nextStep":{"resetPasswordStep":"CONFIRM_RESET_PASSWORD_WITH_CODE","codeDeliveryDetails":null}}"#
        );
        let updates = [
            ("email".to_owned(), AttributeUpdate::ConfirmWithCode(delivery_details())),
            ("name".to_owned(), AttributeUpdate::Done),
        ];
        assert_eq!(
            attribute_updates(updates.into()).to_text(),
            format!(
                concat!(
                    r#"{{"email":{{"isUpdated":false,"nextStep":{{"updateAttributeStep":"CONFIRM_ATTRIBUTE_WITH_CODE","codeDeliveryDetails":{}}}}},"#,
                    r#""name":{{"isUpdated":true,"nextStep":{{"updateAttributeStep":"DONE"}}}}}}"#
                ),
                DELIVERY
            )
        );
        let attrs = [("email".to_owned(), "a@example.com".to_owned()), ("sub".to_owned(), "s".to_owned())];
        assert_eq!(attributes(attrs.into()).to_text(), r#"{"email":"a@example.com","sub":"s"}"#);
    }

    #[test]
    fn mfa_and_device_results() {
        assert_eq!(
            totp(TotpSetup { shared_secret: "S".into(), setup_uri: "otpauth://x".into() }).to_text(),
            r#"{"sharedSecret":"S","setupUri":"otpauth://x"}"#
        );
        let m = MfaPreference { enabled: vec![MfaType::Totp, MfaType::Email], preferred: Some(MfaType::Totp) };
        assert_eq!(mfa_preference(m).to_text(), r#"{"enabled":["TOTP","EMAIL"],"preferred":"TOTP"}"#);
        let m = MfaPreference { enabled: vec![], preferred: None };
        assert_eq!(mfa_preference(m).to_text(), r#"{"enabled":[],"preferred":null}"#);

        let list = vec![
            Device {
                id: "dev-1".into(),
                name: Some("Firefox".into()),
                created_at: Some(1_700_000_000_123),
                last_modified_at: Some(1_700_000_001_000),
                last_authenticated_at: None,
            },
            Device { id: "dev-2".into(), name: None, created_at: None, last_modified_at: None, last_authenticated_at: None },
        ];
        assert_eq!(
            devices(list).to_text(),
            concat!(
                r#"[{"id":"dev-1","name":"Firefox","createdAt":1700000000123,"lastModifiedAt":1700000001000,"lastAuthenticatedAt":null},"#,
                r#"{"id":"dev-2","name":null,"createdAt":null,"lastModifiedAt":null,"lastAuthenticatedAt":null}]"#
            )
        );
        assert_eq!(devices(vec![]).to_text(), "[]");
    }
}

//! JS arguments, read into Rust types. Unknown fields are refused: a misspelt option is a bug to report, not to
//! ignore.
//!
//! An argument crosses as JSON text (`JSON.stringify`), is parsed into a [`Json`] value and read by its type's
//! [`FromJson`] reader, which checks the member names before reading any. One generic path instead of a
//! deserializer per type keeps the wasm small. Arguments are plain data; `JSON.stringify` leaves out members
//! that are `undefined` (read as absent, as they should be) or functions. The one option that may hold functions,
//! `storage`, is taken out of the constructor's options and read from the JS object itself.

use crate::protocol::types::StringMap;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::{JsCast, JsValue};

use crate::flows::sign_in::{Answer, AuthFlow, SignInInput};
use crate::flows::sign_up::SignUpInput;
use crate::flows::{Error, Metadata};
use crate::protocol::{FromJson, Json, JsonError};

/// Reads argument `what` as `T`, or says which argument was wrong and how.
#[cfg(target_arch = "wasm32")]
pub fn from_js<T: FromJson>(what: &str, value: JsValue) -> Result<T, Error> {
    read(what, &to_json(what, &value)?)
}

/// Like [`from_js`], with the defaults when the argument is left out.
#[cfg(target_arch = "wasm32")]
pub fn from_js_or_default<T: FromJson + Default>(what: &str, value: JsValue) -> Result<T, Error> {
    read_or_default(what, &to_json(what, &value)?)
}

/// The argument as JSON; `undefined` reads as `null`, i.e. left out.
#[cfg(target_arch = "wasm32")]
fn to_json(what: &str, value: &JsValue) -> Result<Json, Error> {
    if value.is_undefined() {
        return Ok(Json::Null);
    }
    // Throws on BigInts, cycles and throwing getters; gives `undefined` for functions and symbols.
    let text = js_sys::JSON::stringify(value).map_err(|e| {
        let reason = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default();
        Error::InvalidParameter([what, ": not plain data (", &reason, ")"].concat())
    })?;
    let text = text.as_string().ok_or_else(|| Error::InvalidParameter([what, ": expected an object"].concat()))?;
    Json::parse(&text).map_err(|e| invalid_argument(what, &e))
}

/// Reads a required argument.
pub fn read<T: FromJson>(what: &str, value: &Json) -> Result<T, Error> {
    if *value == Json::Null {
        return Err(required_argument(what));
    }
    T::from_json(value).map_err(|e| invalid_argument(what, &e))
}

/// [`read`]'s errors, apart and not inlined so that they are compiled once rather than once per argument type.
#[inline(never)]
fn required_argument(what: &str) -> Error {
    Error::InvalidParameter([what, " is required"].concat())
}

#[inline(never)]
fn invalid_argument(what: &str, e: &JsonError) -> Error {
    Error::InvalidParameter([what, ": ", &e.0].concat())
}

/// Reads an optional argument: the defaults when it is left out (`undefined` or `null`).
pub fn read_or_default<T: FromJson + Default>(what: &str, value: &Json) -> Result<T, Error> {
    if *value == Json::Null {
        return Ok(T::default());
    }
    read(what, value)
}

/// A member that must be present, for types whose [`FromJson::absent`] would otherwise default it (maps, lists).
fn required<T: FromJson>(v: &Json, key: &str) -> Result<T, JsonError> {
    match v.get(key) {
        None | Some(Json::Null) => Err(JsonError::missing(key)),
        Some(value) => T::from_json(value).map_err(|e| e.in_field(key)),
    }
}

/// A boolean option, `false` when left out.
fn flag(v: &Json, key: &str) -> Result<bool, JsonError> {
    Ok(v.field::<Option<bool>>(key)?.unwrap_or(false))
}

/// `clientMetadata` and `userContextData`, which several calls accept. [`arguments!`] lists the same two names.
fn metadata(v: &Json) -> Result<Metadata, JsonError> {
    let context: Option<UserContextData> = v.field("userContextData")?;
    Ok(Metadata { client_metadata: v.field("clientMetadata")?, encoded_data: context.map(|c| c.encoded_data) })
}

/// `clientMetadata` alone, for calls without advanced security.
fn client_metadata(v: &Json) -> Result<Metadata, JsonError> {
    Ok(Metadata { client_metadata: v.field("clientMetadata")?, encoded_data: None })
}

/// Sign-up attributes, an object of strings: a reader of its own as [`SignUpInput`] takes them as pairs.
fn attributes(v: &Json, key: &str) -> Result<Vec<(String, String)>, JsonError> {
    let attributes: StringMap = v.field(key)?;
    Ok(attributes.into_iter().collect())
}

/// The argument types, one declaration each. Written by hand, a reader named each member twice, in its `only`
/// list and in its read, and the two could drift apart: a member allowed but never read, or read but refused. Here
/// a field names its member once and the struct, the `only` list and the reads come from that. The expansion is
/// what one would write by hand (`only` first, then the fields in the order listed, through the same non-generic
/// helpers), so that the table costs no wasm.
///
/// A field is `name: Type = how`, where `how` is
/// - `"member"`: [`Json::field`], so that a left-out member reads as [`FromJson::absent`] (required unless the type
///   has a default: `None`, an empty map or list);
/// - `reader "member"`: `reader(v, "member")`, such as [`flag`] or [`required`], for what `Json::field` does not do;
/// - `metadata` or `client_metadata`: those functions, whose members the `@members` rules name.
///
/// `struct Name(pub Input { … })` reads the fields into a flow's own input type rather than into a struct of its
/// own, so that the call passes it on as it is.
macro_rules! arguments {
    () => {};
    (
        $(#[$attr:meta])*
        $vis:vis struct $name:ident {
            $($(#[$field_attr:meta])* $field_vis:vis $field:ident: $ty:ty = $($reader:ident)? $($key:literal)?),* $(,)?
        }
        $($rest:tt)*
    ) => {
        $(#[$attr])*
        $vis struct $name {
            $($(#[$field_attr])* $field_vis $field: $ty),*
        }
        arguments!(@impl $name [] $($field: $ty = $($reader)? $($key)?),*);
        arguments!($($rest)*);
    };
    (
        $(#[$attr:meta])*
        $vis:vis struct $name:ident($inner_vis:vis $inner:ident {
            $($field:ident: $ty:ty = $($reader:ident)? $($key:literal)?),* $(,)?
        })
        $($rest:tt)*
    ) => {
        $(#[$attr])*
        $vis struct $name($inner_vis $inner);
        arguments!(@impl $name [$inner] $($field: $ty = $($reader)? $($key)?),*);
        arguments!($($rest)*);
    };
    (@impl $name:ident [$($inner:ident)?] $($field:ident: $ty:ty = $($reader:ident)? $($key:literal)?),*) => {
        impl FromJson for $name {
            fn from_json(v: &Json) -> Result<Self, JsonError> {
                v.only(arguments!(@members [] $($($reader)? $($key)?;)*))?;
                $(let $field: $ty = arguments!(@read v $($reader)? $($key)?);)*
                Ok(arguments!(@new [$($inner)?] { $($field),* }))
            }
        }
    };
    // The `only` list, gathered field by field: a macro call cannot expand to two elements of an array.
    (@members [$($done:tt)*]) => { &[$($done)*] };
    (@members [$($done:tt)*] metadata; $($rest:tt)*) => {
        arguments!(@members [$($done)* "clientMetadata", "userContextData",] $($rest)*)
    };
    (@members [$($done:tt)*] client_metadata; $($rest:tt)*) => {
        arguments!(@members [$($done)* "clientMetadata",] $($rest)*)
    };
    (@members [$($done:tt)*] $($reader:ident)? $key:literal; $($rest:tt)*) => {
        arguments!(@members [$($done)* $key,] $($rest)*)
    };
    (@read $v:ident $key:literal) => { $v.field($key)? };
    (@read $v:ident $reader:ident $key:literal) => { $reader($v, $key)? };
    (@read $v:ident $reader:ident) => { $reader($v)? };
    (@new [] $fields:tt) => { Self $fields };
    (@new [$inner:ident] $fields:tt) => { Self($inner $fields) };
}

arguments! {
    /// `{ encodedData }`, as Cognito's advanced-security script produces it.
    pub struct UserContextData {
        pub encoded_data: String = "encodedData",
    }

    /// `retries: { maxAttempts? }`.
    struct RetriesOption {
        max_attempts: Option<u32> = "maxAttempts",
    }

    pub struct SignUpArgs(pub SignUpInput {
        username: String = "username",
        password: String = "password",
        attributes: Vec<(String, String)> = attributes "attributes",
        auto_sign_in: bool = flag "autoSignIn",
        metadata: Metadata = metadata,
    })

    pub struct ConfirmSignUpArgs {
        pub username: String = "username",
        pub code: String = "code",
        pub metadata: Metadata = metadata,
    }

    pub struct UsernameArgs {
        pub username: String = "username",
        pub metadata: Metadata = metadata,
    }

    pub struct SignInArgs {
        pub username: String = "username",
        pub password: Option<String> = "password",
        pub auth_flow: Option<String> = "authFlow",
        pub preferred_challenge: Option<String> = "preferredChallenge",
        pub metadata: Metadata = metadata,
    }

    #[derive(Default)]
    pub struct GetSessionArgs {
        pub force_refresh: bool = flag "forceRefresh",
    }

    #[derive(Default)]
    pub struct SignOutArgs {
        pub global: bool = flag "global",
        /// Read by loader.js (whether to go to managed login's `/logout`); listed so that it is allowed.
        #[allow(dead_code)]
        pub redirect: Option<bool> = "redirect",
    }

    pub struct ConfirmResetPasswordArgs {
        pub username: String = "username",
        pub confirmation_code: String = "confirmationCode",
        pub new_password: String = "newPassword",
        pub metadata: Metadata = metadata,
    }

    pub struct UpdatePasswordArgs {
        pub old_password: String = "oldPassword",
        pub new_password: String = "newPassword",
    }

    pub struct UpdateUserAttributesArgs {
        pub user_attributes: StringMap = required "userAttributes",
        pub metadata: Metadata = client_metadata,
    }

    pub struct AttributeKeyArgs {
        pub user_attribute_key: String = "userAttributeKey",
        pub metadata: Metadata = client_metadata,
    }

    pub struct ConfirmUserAttributeArgs {
        pub user_attribute_key: String = "userAttributeKey",
        pub confirmation_code: String = "confirmationCode",
    }

    pub struct DeleteUserAttributesArgs {
        pub user_attribute_keys: Vec<String> = required "userAttributeKeys",
    }

    pub struct VerifyTotpArgs {
        pub code: String = "code",
        pub friendly_device_name: Option<String> = "friendlyDeviceName",
    }

    /// The `oauth` option: `{ domain, redirectSignIn, redirectSignOut?, scopes? }`.
    pub struct OAuthOption {
        pub domain: String = "domain",
        pub redirect_sign_in: String = "redirectSignIn",
        pub redirect_sign_out: Option<String> = "redirectSignOut",
        pub scopes: Option<Vec<String>> = "scopes",
    }

    /// What `redirect.js` hands the core from managed login: the error the browser came back with (`error`,
    /// `errorDescription`), or an endpoint's answer (`status`, `body`): the token endpoint's to the code of the
    /// flow with `nonce` (and the app's `customState`), or userInfo's when there is no nonce.
    pub struct OAuthAnswerArgs {
        pub error: Option<String> = "error",
        pub error_description: Option<String> = "errorDescription",
        pub status: Option<u32> = "status",
        pub body: Option<String> = "body",
        pub nonce: Option<String> = "nonce",
        pub custom_state: Option<String> = "customState",
    }

    pub struct MfaPreferenceArgs {
        pub sms: Option<String> = "sms",
        pub totp: Option<String> = "totp",
        pub email: Option<String> = "email",
    }
}

/// The constructor's options, except `storage`, which may hold functions and is read separately.
pub struct AuthOptions {
    pub user_pool_id: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub endpoint: Option<String>,
    pub device_name: Option<String>,
    pub app_name: Option<String>,
    /// Refresh tokens when they expire within this many seconds (60 by default).
    pub refresh_margin_seconds: Option<u32>,
    /// Keep tokens fresh in the background while the page is open.
    pub auto_refresh: bool,
    /// How long one request to Cognito may take (10 s by default).
    pub request_timeout_ms: Option<u32>,
    /// `retries: { maxAttempts }`: attempts per request in all (3 by default; 1 disables retries).
    pub max_attempts: Option<u32>,
    /// Managed login, for redirect sign-in.
    pub oauth: Option<OAuthOption>,
}

/// By hand rather than in [`arguments!`]: `storage` is allowed but has no field, and `retries` is an object of its
/// own whose one member becomes `max_attempts`.
impl FromJson for AuthOptions {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        // `storage` is listed so that a misspelling's error names it; its value is read from the JS object.
        v.only(&[
            "userPoolId",
            "clientId",
            "clientSecret",
            "endpoint",
            "storage",
            "deviceName",
            "appName",
            "refreshMarginSeconds",
            "autoRefresh",
            "requestTimeoutMs",
            "retries",
            "oauth",
        ])?;
        let retries: Option<RetriesOption> = v.field("retries")?;
        Ok(Self {
            user_pool_id: v.field("userPoolId")?,
            client_id: v.field("clientId")?,
            client_secret: v.field("clientSecret")?,
            endpoint: v.field("endpoint")?,
            device_name: v.field("deviceName")?,
            app_name: v.field("appName")?,
            refresh_margin_seconds: v.field("refreshMarginSeconds")?,
            auto_refresh: flag(v, "autoRefresh")?,
            request_timeout_ms: v.field("requestTimeoutMs")?,
            max_attempts: retries.and_then(|r| r.max_attempts),
            oauth: v.field("oauth")?,
        })
    }
}

impl SignInArgs {
    pub fn into_input(self) -> Result<SignInInput, Error> {
        let auth_flow = self.auth_flow.as_deref().map_or(Ok(AuthFlow::UserSrp), AuthFlow::parse)?;
        if self.preferred_challenge.is_some() && auth_flow != AuthFlow::UserAuth {
            return Err(Error::InvalidParameter("preferredChallenge applies only to authFlow USER_AUTH".into()));
        }
        Ok(SignInInput {
            username: self.username,
            password: self.password,
            auth_flow,
            preferred_challenge: self.preferred_challenge,
            metadata: self.metadata,
        })
    }
}

pub struct ConfirmSignInArgs(pub Answer);

/// By hand rather than in [`arguments!`]: `options` may be left out or `null`, its errors are prefixed with
/// `options`, and its members are spread into the [`Answer`], the metadata only when given. Declaring `options` in
/// the table and reading it from here cost 340 bytes of wasm, as that reader was then not inlined.
impl FromJson for ConfirmSignInArgs {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        v.only(&["challengeResponse", "options"])?;
        let response = v.field("challengeResponse")?;
        let Some(options) = v.get("options").filter(|o| **o != Json::Null) else {
            return Ok(Self(Answer { response, ..Answer::default() }));
        };
        let read = || -> Result<Answer, JsonError> {
            options.only(&["userAttributes", "friendlyDeviceName", "clientMetadata", "userContextData"])?;
            let metadata = metadata(options)?;
            Ok(Answer {
                response,
                user_attributes: options.field("userAttributes")?,
                friendly_device_name: options.field("friendlyDeviceName")?,
                // Left out, the metadata of the sign-in's first request applies.
                metadata: (metadata != Metadata::default()).then_some(metadata),
            })
        };
        read().map(Self).map_err(|e| e.in_field("options"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<T: FromJson>(what: &str, text: &str) -> Result<T, Error> {
        read(what, &Json::parse(text).unwrap())
    }

    fn message<T: FromJson>(what: &str, text: &str) -> String {
        match parse::<T>(what, text) {
            Err(Error::InvalidParameter(m)) => m,
            Err(e) => panic!("{text}: not InvalidParameter: {e:?}"),
            Ok(_) => panic!("{text}: read"),
        }
    }

    #[test]
    fn unknown_fields_are_refused_by_name_at_any_depth() {
        assert_eq!(
            message::<SignInArgs>("signIn input", r#"{"username":"u","pasword":"p"}"#),
            "signIn input: unknown field `pasword`, expected one of: username, password, authFlow, preferredChallenge, \
             clientMetadata, userContextData"
        );
        assert_eq!(
            message::<SignInArgs>("signIn input", r#"{"username":"u","userContextData":{"encoded":"x"}}"#),
            "signIn input: userContextData: unknown field `encoded`, expected one of: encodedData"
        );
        assert_eq!(
            message::<ConfirmSignInArgs>("confirmSignIn input", r#"{"challengeResponse":"1","options":{"deviceName":"x"}}"#),
            "confirmSignIn input: options: unknown field `deviceName`, expected one of: userAttributes, \
             friendlyDeviceName, clientMetadata, userContextData"
        );
        assert!(message::<AuthOptions>("options", r#"{"userPoolId":"p","clientId":"c","autorefresh":true}"#)
            .starts_with("options: unknown field `autorefresh`, expected one of: userPoolId, clientId"));
        assert_eq!(
            message::<SignUpArgs>("signUp input", r#"{"username":"u","password":"p","autoSignin":true}"#),
            "signUp input: unknown field `autoSignin`, expected one of: username, password, attributes, autoSignIn, \
             clientMetadata, userContextData"
        );
        assert_eq!(
            message::<UpdateUserAttributesArgs>("u", r#"{"userAttributes":{},"userContextData":{}}"#),
            "u: unknown field `userContextData`, expected one of: userAttributes, clientMetadata"
        );
    }

    #[test]
    fn missing_required_fields_and_arguments_are_named() {
        assert_eq!(message::<SignInArgs>("signIn input", r#"{"password":"p"}"#), "signIn input: username: missing");
        assert_eq!(message::<SignInArgs>("signIn input", r#"{"username":null}"#), "signIn input: username: missing");
        assert_eq!(message::<SignInArgs>("signIn input", "null"), "signIn input is required");
        assert_eq!(
            message::<UpdateUserAttributesArgs>("updateUserAttributes input", "{}"),
            "updateUserAttributes input: userAttributes: missing"
        );
        assert_eq!(
            message::<DeleteUserAttributesArgs>("deleteUserAttributes input", "{}"),
            "deleteUserAttributes input: userAttributeKeys: missing"
        );
        assert_eq!(message::<UserContextData>("x", "{}"), "x: encodedData: missing");
    }

    #[test]
    fn wrong_types_are_refused_with_the_field() {
        assert_eq!(message::<SignInArgs>("signIn input", r#"{"username":1}"#), "signIn input: username: expected a string");
        assert_eq!(message::<SignInArgs>("signIn input", r#""alice""#), "signIn input: expected an object");
        assert_eq!(message::<SignInArgs>("signIn input", r#"["alice"]"#), "signIn input: expected an object");
        assert_eq!(
            message::<SignUpArgs>("signUp input", r#"{"username":"u","password":"p","attributes":{"email":1}}"#),
            "signUp input: attributes: email: expected a string"
        );
        assert_eq!(
            message::<GetSessionArgs>("getSession input", r#"{"forceRefresh":"yes"}"#),
            "getSession input: forceRefresh: expected true or false"
        );
        assert_eq!(
            message::<AuthOptions>("options", r#"{"userPoolId":"p","clientId":"c","refreshMarginSeconds":1.5}"#),
            "options: refreshMarginSeconds: expected a whole number ≥ 0"
        );
        assert_eq!(
            message::<DeleteUserAttributesArgs>("d", r#"{"userAttributeKeys":"email"}"#),
            "d: userAttributeKeys: expected an array"
        );
    }

    #[test]
    fn left_out_options_take_their_defaults() {
        let o: AuthOptions = parse("options", r#"{"userPoolId":"p","clientId":"c","endpoint":null}"#).unwrap();
        assert_eq!((o.client_secret, o.endpoint, o.refresh_margin_seconds, o.auto_refresh), (None, None, None, false));
        let o: AuthOptions =
            parse("options", r#"{"userPoolId":"p","clientId":"c","refreshMarginSeconds":120,"autoRefresh":true}"#).unwrap();
        assert_eq!((o.refresh_margin_seconds, o.auto_refresh), (Some(120), true));

        let SignUpArgs(s) = parse("signUp input", r#"{"username":"u","password":"p"}"#).unwrap();
        assert_eq!((s.attributes.len(), s.auto_sign_in, s.metadata), (0, false, Metadata::default()));

        assert!(!read_or_default::<GetSessionArgs>("getSession input", &Json::Null).unwrap().force_refresh);
        assert!(read_or_default::<SignOutArgs>("signOut input", &Json::parse(r#"{"global":true}"#).unwrap()).unwrap().global);

        let ConfirmSignInArgs(a) = parse("confirmSignIn input", r#"{"challengeResponse":"123456"}"#).unwrap();
        assert_eq!((a.response.as_str(), a.user_attributes.len(), a.friendly_device_name, a.metadata), ("123456", 0, None, None));
    }

    #[test]
    fn metadata_is_passed_on() {
        let a: SignInArgs = parse(
            "signIn input",
            r#"{"username":"u","clientMetadata":{"k":"v"},"userContextData":{"encodedData":"enc"},"authFlow":"USER_AUTH","preferredChallenge":"EMAIL_OTP"}"#,
        )
        .unwrap();
        let input = a.into_input().unwrap();
        assert_eq!(input.auth_flow, AuthFlow::UserAuth);
        assert_eq!(input.metadata.client_metadata().and_then(|m| m.get("k").cloned()).as_deref(), Some("v"));
        assert_eq!(input.metadata.encoded_data.as_deref(), Some("enc"));

        let ConfirmSignInArgs(a) = parse(
            "confirmSignIn input",
            r#"{"challengeResponse":"x","options":{"userAttributes":{"name":"A"},"clientMetadata":{"k":"v"}}}"#,
        )
        .unwrap();
        assert_eq!(a.user_attributes.get("name").map(String::as_str), Some("A"));
        assert!(a.metadata.is_some_and(|m| m.client_metadata.is_some() && m.encoded_data.is_none()));
    }
}

//! [`bodies!`]: request and response bodies declared once each, as a table of fields and their JSON names.

use super::json::Json;
use super::string_map::StringMap;
use super::types::UserContextData;

/// Declares bodies: each struct with its fields, each field with its Rust name, type and Cognito's JSON name, and
/// after the struct's name the traits to generate (`ToJson` for what is sent, `FromJson` for what is read, or both).
///
/// Why: written by hand, every body named each field twice, once in the struct and once in its reader or writer,
/// where a field could be misspelt, left out or put in the wrong order without anything failing. The generated
/// code is what those impls were, so the wasm does not grow: a writer is one chain of [`Json::with`] and
/// [`Json::with_some`], a call per field in declaration order (the order of the members sent), a reader one
/// [`Json::field`] per field.
///
/// ```ignore
/// bodies! {
///     #[derive(Debug, Clone)]
///     pub struct ExampleRequest: ToJson {
///         pub client_id: String = "ClientId",
///         pub session: Option<String> = "Session",
///     }
///
///     #[derive(Debug, Clone, Default)]
///     pub struct ExampleResponse: FromJson {
///         pub session: Option<String> = "Session",
///         pub secret_code: String = "SecretCode" or default,
///     }
/// }
/// ```
///
/// Reading: an `Option`, `Vec` or map field that is absent or `null` reads as empty ([`FromJson::absent`]); any
/// other is required, unless marked `or default`: then absent reads as its type's default (Cognito leaves some out).
///
/// Writing: an `Option` field is sent only when set. A sent body's types are written `Name` or `Name<Name>`, so
/// that the writer can tell by the type's tokens how to pass a field: by value for `bool` and `Option<u32>` (there
/// is no conversion from a reference to them), by clone for `Vec<String>` (nor to it), by reference otherwise.
/// The pass-through fields most requests end with (`secret_hash`, `client_metadata`, `user_context_data`, or the
/// last two) are written by one shared call, [`with_extras`], instead of three calls compiled into each of seven
/// writers (about 250 bytes of wasm). The rule matches that run token for token, JSON names included, so what is
/// sent is the same as field by field; a run that differs in anything (a doc comment, the order) is written field
/// by field.
///
/// [`Json::with`]: super::json::Json::with
/// [`Json::with_some`]: super::json::Json::with_some
/// [`Json::field`]: super::json::Json::field
/// [`FromJson::absent`]: super::json::FromJson::absent
macro_rules! bodies {
    ($(
        $(#[$meta:meta])*
        pub struct $name:ident: $first:ident $(+ $more:ident)* { $($fields:tt)* }
    )*) => {$(
        $crate::protocol::body::bodies!(@struct [$(#[$meta])*] $name { $($fields)* });
        $crate::protocol::body::bodies!(@impls $name { $($fields)* } $first $($more)*);
    )*};

    (@struct [$($meta:tt)*] $name:ident {
        $($(#[$field_meta:meta])* pub $field:ident: $ty:ty = $key:literal $(or $default:ident)?),* $(,)?
    }) => {
        $($meta)*
        pub struct $name {
            $($(#[$field_meta])* pub $field: $ty,)*
        }
    };

    // One trait at a time: the fields are one token tree here, so they can be handed to each trait's rule.
    (@impls $name:ident $fields:tt) => {};
    (@impls $name:ident $fields:tt $trait:ident $($rest:ident)*) => {
        $crate::protocol::body::bodies!(@$trait $name $fields);
        $crate::protocol::body::bodies!(@impls $name $fields $($rest)*);
    };

    (@ToJson $name:ident { $($fields:tt)* }) => {
        impl ToJson for $name {
            fn to_json(&self) -> Json {
                $crate::protocol::body::bodies!(@write self, Json::object(); $($fields)*)
            }
        }
    };

    // The writer, a field at a time: each wraps the body so far, `with(with(object, a), b)`, which is the chain
    // `object.with(a).with(b)` (`let` rebinding between the calls compiled to 3 more bytes per writer). `self` is
    // handed down as `$this`: one written in these rules' own expansions would not be the method's.
    (@write $this:ident, $body:expr;) => { $body };
    (@write $this:ident, $body:expr;
        pub secret_hash: Option<String> = "SecretHash",
        pub client_metadata: Option<StringMap> = "ClientMetadata",
        pub user_context_data: Option<UserContextData> = "UserContextData"
        $(, $($rest:tt)*)?
    ) => {
        $crate::protocol::body::bodies!(@write $this, $crate::protocol::body::with_extras(
            $body,
            $this.secret_hash.as_ref(),
            $this.client_metadata.as_ref(),
            $this.user_context_data.as_ref(),
        ); $($($rest)*)?)
    };
    (@write $this:ident, $body:expr;
        pub client_metadata: Option<StringMap> = "ClientMetadata",
        pub user_context_data: Option<UserContextData> = "UserContextData"
        $(, $($rest:tt)*)?
    ) => {
        $crate::protocol::body::bodies!(@write $this, $crate::protocol::body::with_extras(
            $body,
            None,
            $this.client_metadata.as_ref(),
            $this.user_context_data.as_ref(),
        ); $($($rest)*)?)
    };
    (@write $this:ident, $body:expr;
        $(#[$field_meta:meta])* pub $field:ident: $ty:ident $(<$inner:ident>)? = $key:literal $(or $default:ident)?
        $(, $($rest:tt)*)?
    ) => {
        $crate::protocol::body::bodies!(@write $this,
            $crate::protocol::body::bodies!(@member $body, $this.$field, $key, $ty $($inner)?); $($($rest)*)?)
    };

    (@member $body:expr, $value:expr, $key:literal, Option u32) => { $body.with_some($key, $value) };
    (@member $body:expr, $value:expr, $key:literal, Option $inner:ident) => { $body.with_some($key, $value.as_ref()) };
    (@member $body:expr, $value:expr, $key:literal, bool) => { $body.with($key, $value) };
    (@member $body:expr, $value:expr, $key:literal, Vec String) => { $body.with($key, $value.clone()) };
    (@member $body:expr, $value:expr, $key:literal, $($ty:ident)+) => { $body.with($key, &$value) };

    (@FromJson $name:ident {
        $($(#[$field_meta:meta])* pub $field:ident: $ty:ty = $key:literal $(or $default:ident)?),* $(,)?
    }) => {
        impl FromJson for $name {
            fn from_json(v: &Json) -> Result<Self, JsonError> {
                Ok(Self { $($field: $crate::protocol::body::bodies!(@read v, $key $(, $default)?),)* })
            }
        }
    };

    (@read $v:ident, $key:literal) => { $v.field($key)? };
    (@read $v:ident, $key:literal, default) => { $v.field::<Option<_>>($key)?.unwrap_or_default() };
}

pub(super) use bodies;

/// The three pass-through fields most user-pool requests share, written by one function for all of them (see
/// [`bodies!`]).
pub(super) fn with_extras(
    body: Json,
    secret_hash: Option<&String>,
    metadata: Option<&StringMap>,
    context: Option<&UserContextData>,
) -> Json {
    body.with_some("SecretHash", secret_hash)
        .with_some("ClientMetadata", metadata)
        .with_some("UserContextData", context)
}

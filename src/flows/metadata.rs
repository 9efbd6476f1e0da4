//! What the app may attach to a request and Cognito passes on: ClientMetadata for Lambda triggers, and
//! UserContextData for advanced security.

use crate::protocol::types::{StringMap, UserContextData};
use crate::protocol::{FromJson, Json, JsonError, ToJson};

/// Per-call pass-through data. Empty by default; sent only when set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// Given to the pool's Lambda triggers as `clientMetadata`.
    pub client_metadata: Option<StringMap>,
    /// The `EncodedData` string Cognito's advanced-security script collected.
    pub encoded_data: Option<String>,
}

impl Metadata {
    #[must_use]
    pub fn client_metadata(&self) -> Option<StringMap> {
        self.client_metadata.clone().filter(|m| !m.is_empty())
    }

    #[must_use]
    pub fn user_context_data(&self) -> Option<UserContextData> {
        self.encoded_data.clone().map(|encoded_data| UserContextData { encoded_data })
    }
}

/// Stored with a pending sign-in or sign-up, under the fields' Rust names.
impl ToJson for Metadata {
    fn to_json(&self) -> Json {
        Json::object()
            .with("client_metadata", self.client_metadata.as_ref())
            .with("encoded_data", self.encoded_data.as_ref())
    }
}

impl FromJson for Metadata {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        Ok(Self { client_metadata: v.field("client_metadata")?, encoded_data: v.field("encoded_data")? })
    }

    fn absent() -> Option<Self> {
        Some(Self::default())
    }
}

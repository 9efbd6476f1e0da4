//! Cognito-style errors: every failure a client can cause maps to one of the exception names the real
//! service uses, so SDKs (which switch on `__type`) react exactly as they would against AWS.

use std::fmt;

/// The exception names this emulator can produce. Names and HTTP statuses follow the Cognito API reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    NotAuthorized,
    UserNotFound,
    UserNotConfirmed,
    UsernameExists,
    InvalidPassword,
    InvalidParameter,
    CodeMismatch,
    ExpiredCode,
    ResourceNotFound,
    UnknownOperation,
    Serialization,
    UnsupportedTokenType,
    Unauthorized,
    InternalError,
    EnableSoftwareTokenMfa,
}

impl ErrorKind {
    /// The `__type` / `x-amzn-ErrorType` name.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::NotAuthorized => "NotAuthorizedException",
            ErrorKind::UserNotFound => "UserNotFoundException",
            ErrorKind::UserNotConfirmed => "UserNotConfirmedException",
            ErrorKind::UsernameExists => "UsernameExistsException",
            ErrorKind::InvalidPassword => "InvalidPasswordException",
            ErrorKind::InvalidParameter => "InvalidParameterException",
            ErrorKind::CodeMismatch => "CodeMismatchException",
            ErrorKind::ExpiredCode => "ExpiredCodeException",
            ErrorKind::ResourceNotFound => "ResourceNotFoundException",
            ErrorKind::UnknownOperation => "UnknownOperationException",
            ErrorKind::Serialization => "SerializationException",
            ErrorKind::UnsupportedTokenType => "UnsupportedTokenTypeException",
            ErrorKind::Unauthorized => "UnauthorizedException",
            ErrorKind::InternalError => "InternalErrorException",
            ErrorKind::EnableSoftwareTokenMfa => "EnableSoftwareTokenMFAException",
        }
    }

    /// Cognito answers client faults with 400 and its own failures with 500.
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::InternalError => 500,
            _ => 400,
        }
    }
}

/// One failed request: the exception name plus the human message Cognito would send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitoError {
    pub kind: ErrorKind,
    pub message: String,
}

impl CognitoError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        CognitoError {
            kind,
            message: message.into(),
        }
    }

    pub fn not_authorized(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotAuthorized, message)
    }

    /// The message Cognito uses for every wrong-password outcome (and, with user-existence-error
    /// prevention, for unknown users too).
    pub fn incorrect_credentials() -> Self {
        Self::not_authorized("Incorrect username or password.")
    }

    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidParameter, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InternalError, message)
    }

    /// The message sent: never empty (an error built without one says which exception it is).
    pub fn text(&self) -> &str {
        if self.message.is_empty() {
            self.kind.name()
        } else {
            &self.message
        }
    }

    /// The JSON body: `{"__type": "...", "message": "..."}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({ "__type": self.kind.name(), "message": self.text() })
    }

    /// Value of the `x-amzn-ErrorType` header; AWS appends a colon (and sometimes a URL) after the name.
    pub fn error_type_header(&self) -> String {
        format!("{}:", self.kind.name())
    }
}

impl fmt::Display for CognitoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for CognitoError {}

/// Collects the AWS "N validation error(s) detected: …" message for missing or malformed members, in the
/// order Cognito lists them.
#[derive(Debug, Default)]
pub struct Validation {
    problems: Vec<String>,
}

impl Validation {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a missing required member (`member` is the camelCase name AWS prints).
    pub fn missing(&mut self, member: &str) {
        self.problems.push(format!(
            "Value null at '{member}' failed to satisfy constraint: Member must not be null"
        ));
    }

    /// Records a member whose value breaks a constraint (`constraint` is AWS's wording).
    pub fn invalid(&mut self, member: &str, constraint: &str) {
        self.problems.push(format!(
            "Value at '{member}' failed to satisfy constraint: {constraint}"
        ));
    }

    /// Records a member whose value is outside an enum.
    pub fn not_in_enum(&mut self, member: &str, value: &str, allowed: &[&str]) {
        self.problems.push(format!(
            "Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            allowed.join(", ")
        ));
    }

    /// `Ok` when nothing was recorded, else one InvalidParameterException listing every problem.
    pub fn finish(self) -> Result<(), CognitoError> {
        match self.problems.len() {
            0 => Ok(()),
            1 => Err(CognitoError::invalid_parameter(format!(
                "1 validation error detected: {}",
                self.problems.join("; ")
            ))),
            n => Err(CognitoError::invalid_parameter(format!(
                "{n} validation errors detected: {}",
                self.problems.join("; ")
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_json_and_header_shape() {
        let e = CognitoError::incorrect_credentials();
        assert_eq!(
            e.to_json(),
            serde_json::json!({"__type": "NotAuthorizedException", "message": "Incorrect username or password."})
        );
        assert_eq!(e.error_type_header(), "NotAuthorizedException:");
        assert_eq!(e.kind.status(), 400);
        assert_eq!(CognitoError::internal("x").kind.status(), 500);
        // Every error carries a message, even one built without.
        let bare = CognitoError::new(ErrorKind::InternalError, "");
        assert_eq!(bare.to_json()["message"], "InternalErrorException");
    }

    #[test]
    fn validation_messages_count_problems() {
        assert!(Validation::new().finish().is_ok());
        let mut v = Validation::new();
        v.missing("clientId");
        let e = v.finish().err().unwrap();
        assert_eq!(e.kind, ErrorKind::InvalidParameter);
        assert_eq!(
            e.message,
            "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null"
        );
        let mut v = Validation::new();
        v.missing("clientId");
        v.missing("username");
        assert!(v
            .finish()
            .err()
            .unwrap()
            .message
            .starts_with("2 validation errors detected: "));
    }
}

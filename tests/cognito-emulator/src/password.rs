//! Cognito's default password policy (minimum length 8, lower case, upper case, number and symbol), with
//! the exact InvalidPasswordException messages the service sends.

use crate::errors::{CognitoError, ErrorKind};

/// The characters Cognito counts as symbols. A space counts too, but only inside the password (leading
/// and trailing whitespace is rejected earlier by the API's member pattern).
const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

pub const MIN_LENGTH: usize = 8;

/// Checks a new password against the default policy, in the order Cognito reports violations.
pub fn check(password: &str) -> Result<(), CognitoError> {
    let fail = |what: &str| {
        Err(CognitoError::new(
            ErrorKind::InvalidPassword,
            format!("Password did not conform with policy: {what}"),
        ))
    };
    if password.chars().count() < MIN_LENGTH {
        return fail("Password not long enough");
    }
    if !password.chars().any(|c| c.is_lowercase()) {
        return fail("Password must have lowercase characters");
    }
    if !password.chars().any(|c| c.is_uppercase()) {
        return fail("Password must have uppercase characters");
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        return fail("Password must have numeric characters");
    }
    if !password.chars().any(|c| SYMBOLS.contains(c)) {
        return fail("Password must have symbol characters");
    }
    Ok(())
}

/// The API-level shape check on the `Password` member (no leading or trailing whitespace, not empty,
/// at most 256 characters); violations are InvalidParameterException, not policy errors.
pub fn has_valid_shape(password: &str) -> bool {
    let n = password.chars().count();
    n > 0
        && n <= 256
        && !password.starts_with(char::is_whitespace)
        && !password.ends_with(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(pw: &str) -> Option<String> {
        check(pw).err().map(|e| {
            assert_eq!(e.kind, ErrorKind::InvalidPassword);
            e.message
        })
    }

    #[test]
    fn policy_messages() {
        let p = "Password did not conform with policy: ";
        assert_eq!(
            message("Ab1!"),
            Some(format!("{p}Password not long enough"))
        );
        assert_eq!(
            message("ABCDEFG1!"),
            Some(format!("{p}Password must have lowercase characters"))
        );
        assert_eq!(
            message("abcdefg1!"),
            Some(format!("{p}Password must have uppercase characters"))
        );
        assert_eq!(
            message("Abcdefgh!"),
            Some(format!("{p}Password must have numeric characters"))
        );
        assert_eq!(
            message("Abcdefgh1"),
            Some(format!("{p}Password must have symbol characters"))
        );
        assert_eq!(message("Abcdefg1!"), None);
        assert_eq!(message("Abc defg1"), None, "an inner space is a symbol");
        assert_eq!(message("Ab-1éééé"), None);
    }

    #[test]
    fn shape() {
        assert!(has_valid_shape("Abcdefg1!"));
        assert!(!has_valid_shape(""));
        assert!(!has_valid_shape(" Abcdefg1!"));
        assert!(!has_valid_shape("Abcdefg1! "));
        assert!(!has_valid_shape(&"a".repeat(257)));
    }
}

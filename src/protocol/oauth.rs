//! OAuth 2.0 as a user pool's managed login speaks it (RFC 6749): its endpoints' answers and errors, and the
//! query strings of the URLs the core writes. Text in, text out.

use super::error::{Error, ServiceError};
use super::json::Json;

/// Appends `text` percent-encoded: everything but RFC 3986's unreserved characters, so the result is safe in a
/// query and in a form body alike.
pub fn push_encoded(out: &mut String, text: &str) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            for nibble in [b >> 4, b & 15] {
                out.push(char::from(if nibble < 10 { b'0' + nibble } else { b'A' + nibble - 10 }));
            }
        }
    }
}

/// `name=value&…`, each part encoded; pairs whose value is `None` are left out.
#[must_use]
pub fn form(pairs: &[(&str, Option<&str>)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        let Some(value) = value else { continue };
        if !out.is_empty() {
            out.push('&');
        }
        push_encoded(&mut out, name);
        out.push('=');
        push_encoded(&mut out, value);
    }
    out
}

/// An OAuth error (a token endpoint's `error`, or a callback's `error=`) as a service error named by its code,
/// so that apps tell `invalid_grant` from `access_denied` by `name` as they tell Cognito's exceptions apart. A
/// callback's parameters are anyone's to write: a code that is not RFC 6749's shape (`[a-z_]`, at most 64
/// characters) is named `OAuthError` instead, and the description is cut to 500 characters.
#[must_use]
pub fn oauth_error(code: &str, description: &str, status: u16) -> Error {
    let well_formed = !code.is_empty() && code.len() <= 64 && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    let name = if well_formed { code } else { "OAuthError" };
    let cut = description.char_indices().nth(500).map_or(description.len(), |(i, _)| i);
    let message = description.get(..cut).filter(|d| !d.is_empty()).unwrap_or(name);
    Error::Service(ServiceError { name: name.to_owned(), message: message.to_owned(), status, retry_after_secs: None })
}

/// The token endpoint's tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenAnswer {
    pub id_token: Option<String>,
    pub access_token: String,
    pub refresh_token: Option<String>,
}

/// Reads an answer of the token or userInfo endpoint: its JSON object on 200, RFC 6749 §5.2's `{"error",
/// "error_description"}` as [`oauth_error`] otherwise; anything else (an HTML error page, a proxy's answer) is a
/// protocol error.
pub fn read_answer(status: u16, body: &str) -> Result<Json, Error> {
    let json = Json::parse(body).ok().filter(|j| j.members().is_some());
    match json {
        Some(json) if status == 200 => Ok(json),
        Some(json) => match json.get("error").and_then(Json::as_str) {
            Some(code) => {
                let description = json.get("error_description").and_then(Json::as_str).unwrap_or("");
                Err(oauth_error(code, description, status))
            }
            None => Err(unexpected(status)),
        },
        None => Err(unexpected(status)),
    }
}

fn unexpected(status: u16) -> Error {
    let mut m = String::from("managed login answered HTTP ");
    crate::digits::push_u64(&mut m, status.into());
    m.push_str(" without an OAuth JSON body");
    Error::Protocol(m)
}

/// The tokens of a token endpoint's 200 answer.
pub fn token_answer(json: &Json) -> Result<TokenAnswer, Error> {
    let text = |key: &str| json.get(key).and_then(Json::as_str).filter(|t| !t.is_empty()).map(str::to_owned);
    Ok(TokenAnswer {
        id_token: text("id_token"),
        access_token: text("access_token")
            .ok_or_else(|| Error::Protocol("the token endpoint answered without an access_token".into()))?,
        refresh_token: text("refresh_token"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_encode_everything_but_unreserved_characters() {
        let body = form(&[
            ("redirect_uri", Some("https://app.example/cb?x=1")),
            ("skip", None),
            ("scope", Some("openid email")),
        ]);
        assert_eq!(body, "redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1&scope=openid%20email");
        let mut out = String::new();
        push_encoded(&mut out, "é~_.-");
        assert_eq!(out, "%C3%A9~_.-");
    }

    #[test]
    fn answers_are_tokens_or_named_oauth_errors() {
        let ok =
            read_answer(200, r#"{"access_token":"a","id_token":"i","refresh_token":"r","expires_in":3600}"#).unwrap();
        assert_eq!(
            token_answer(&ok).unwrap(),
            TokenAnswer { id_token: Some("i".into()), access_token: "a".into(), refresh_token: Some("r".into()) }
        );
        let e = read_answer(400, r#"{"error":"invalid_grant","error_description":"Code expired"}"#).unwrap_err();
        assert!(
            matches!(&e, Error::Service(s) if s.name == "invalid_grant" && s.message == "Code expired" && !s.retryable())
        );
        let e = read_answer(400, r#"{"error":"<script>"}"#).unwrap_err();
        assert!(matches!(&e, Error::Service(s) if s.name == "OAuthError"));
        for (status, body) in [(200, "<html>"), (502, "Bad gateway"), (200, "[1]"), (400, r#"{"message":"x"}"#)] {
            assert!(matches!(read_answer(status, body), Err(Error::Protocol(_))), "{status} {body}");
        }
        assert!(matches!(token_answer(&Json::parse(r#"{"id_token":"i"}"#).unwrap()), Err(Error::Protocol(_))));
        let long = "é".repeat(600);
        assert!(
            matches!(oauth_error("server_error", &long, 500), Error::Service(s) if s.message.chars().count() == 500 && s.retryable())
        );
    }
}

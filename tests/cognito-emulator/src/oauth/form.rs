//! `application/x-www-form-urlencoded`: query strings and form bodies, read and written.

/// Decodes one form component: `+` is a space, `%XX` a byte; `None` for a broken escape or non-UTF-8.
fn decode(text: &str) -> Option<String> {
    crate::util::percent_decode(&text.replace('+', " "))
}

/// Every `name=value` pair, decoded; a pair that does not decode is left out.
pub fn parse_form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((decode(k)?, decode(v)?))
        })
        .collect()
}

/// The first value of `name`, empty values counting as absent (as OAuth servers treat them).
pub fn form_param(pairs: &[(String, String)], name: &str) -> Option<String> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty())
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `url` with these parameters added to its query (after any it already has).
pub fn with_query(url: &str, params: &[(&str, &str)]) -> String {
    let mut out = url.to_string();
    let mut sep = if url.contains('?') { '&' } else { '?' };
    for (k, v) in params {
        out.push(sep);
        out.push_str(&encode(k));
        out.push('=');
        out.push_str(&encode(v));
        sep = '&';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let url = with_query("https://app.example/cb?x=1", &[("state", "a b&c=d/é")]);
        assert_eq!(
            url,
            "https://app.example/cb?x=1&state=a%20b%26c%3Dd%2F%C3%A9"
        );
        let query = url.split_once('?').unwrap().1;
        let pairs = parse_form(query);
        assert_eq!(form_param(&pairs, "state").as_deref(), Some("a b&c=d/é"));
        assert_eq!(
            form_param(&parse_form("a=1+2&b=&c"), "a").as_deref(),
            Some("1 2")
        );
        assert_eq!(form_param(&parse_form("a=1+2&b=&c"), "b"), None);
        assert_eq!(parse_form("a=%zz&b=2"), vec![("b".into(), "2".into())]);
    }
}

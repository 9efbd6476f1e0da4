//! JSON for Cognito's bodies, stored state, token payloads and the JS API's arguments: one value type, one
//! non-generic parser and one writer.
//!
//! Why not serde_json: in the wasm build, serde_json and the code serde derives for each type were about a third
//! of the module (twiggy: ~200 KB of 655 KB), for bodies with a handful of fields each. Here each type reads and
//! writes itself through [`FromJson`] and [`Json::with`], which compiles to a few calls per field.
//!
//! Numbers keep their text. Cognito's numbers are integers (expiry, `exp`, `iat`) or epoch seconds (device
//! dates), which pass through to JS untouched; keeping the text avoids float parsing and printing code.

use super::string_map::StringMap;

/// A JSON value. Objects keep their members in document order; lookups are linear, which is fastest for the
/// few fields these objects have.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Json {
    #[default]
    Null,
    Bool(bool),
    /// The number's text, as it appeared (or was written).
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// Why a text is not JSON, or a value not the shape a type expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError(pub String);

impl JsonError {
    fn at(offset: usize, what: &str) -> Self {
        Self(["invalid JSON at byte ", &crate::digits::u64_text(offset as u64), ": ", what].concat())
    }

    /// A value of the wrong type; `expected` names the right one ("a string").
    #[must_use]
    pub fn expected(expected: &str) -> Self {
        Self(["expected ", expected].concat())
    }

    /// A required field that is absent or `null`: `Session: missing`. Not inlined, as [`Json::field`] is
    /// compiled once per field type.
    #[must_use]
    #[inline(never)]
    pub fn missing(key: &str) -> Self {
        Self([key, ": missing"].concat())
    }

    /// Prefixes the message with the field it is about: `Session: expected a string`. Not inlined: it is called
    /// from every [`FromJson`] reader.
    #[must_use]
    #[inline(never)]
    pub fn in_field(self, key: &str) -> Self {
        Self([key, ": ", &self.0].concat())
    }
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Types that read themselves from a JSON value.
pub trait FromJson: Sized {
    /// Reads `value`, or says what about it is wrong.
    fn from_json(value: &Json) -> Result<Self, JsonError>;

    /// What a field that is absent or `null` reads as; `None` makes the field required.
    #[must_use]
    fn absent() -> Option<Self> {
        None
    }
}

/// Types that write themselves as JSON: request bodies and stored state.
pub trait ToJson {
    fn to_json(&self) -> Json;
}

impl Json {
    /// Parses a whole text: one value, surrounded by nothing but whitespace.
    pub fn parse(text: &str) -> Result<Self, JsonError> {
        let mut p = Parser { bytes: text.as_bytes(), pos: 0, depth: 0 };
        let value = p.value()?;
        p.skip_ws();
        if p.pos != p.bytes.len() {
            return Err(JsonError::at(p.pos, "text after the value"));
        }
        Ok(value)
    }

    /// An empty object, to add members to with [`Json::with`].
    #[must_use]
    pub fn object() -> Self {
        Self::Object(Vec::new())
    }

    /// Adds a member to an object (does nothing to other values).
    #[must_use]
    #[inline]
    pub fn with(self, key: &str, value: impl Into<Json>) -> Self {
        self.with_json(key, value.into())
    }

    /// [`Json::with`] after the conversion: kept apart and not inlined so that the push is compiled once, not
    /// once per value type at each of the many call sites.
    #[must_use]
    #[inline(never)]
    fn with_json(mut self, key: &str, value: Json) -> Self {
        if let Self::Object(members) = &mut self {
            members.push((key.to_owned(), value));
        }
        self
    }

    /// Adds a member when there is a value: optional request fields are left out rather than sent as null.
    #[must_use]
    pub fn with_some(self, key: &str, value: Option<impl Into<Json>>) -> Self {
        match value {
            Some(v) => self.with(key, v),
            None => self,
        }
    }

    /// An object's member, if this is an object and has it. A key that occurs more than once reads as its last
    /// occurrence, as `JSON.parse` and Cognito's own parser resolve it: reading the first would let a token or
    /// body say one thing to this client and another to everything else that reads it.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.members()?.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// An object's members in order.
    #[must_use]
    pub fn members(&self) -> Option<&[(String, Json)]> {
        match self {
            Self::Object(m) => Some(m),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Self::Array(a) => Some(a),
            _ => None,
        }
    }

    /// An integral number (no fraction or exponent) that fits an `i64`.
    #[must_use]
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Self::Number(n) => crate::digits::parse_i64(n),
            _ => None,
        }
    }

    /// Reads member `key` as `T`: absent or `null` gives `T::absent()`, or an error naming the field.
    pub fn field<T: FromJson>(&self, key: &str) -> Result<T, JsonError> {
        match self.present(key) {
            None => T::absent().ok_or_else(|| JsonError::missing(key)),
            Some(v) => T::from_json(v).map_err(|e| e.in_field(key)),
        }
    }

    /// Member `key` unless it is absent or `null`: the lookup behind [`Json::field`], kept apart and not inlined
    /// so that it is compiled once rather than once per field type.
    #[inline(never)]
    fn present(&self, key: &str) -> Option<&Json> {
        self.get(key).filter(|v| !matches!(v, Self::Null))
    }

    /// Fails on the first member not named in `allowed`: for arguments, where a misspelt option is a bug to
    /// report rather than to ignore. Also fails when this is not an object.
    pub fn only(&self, allowed: &[&str]) -> Result<(), JsonError> {
        let members = self.members().ok_or_else(|| JsonError::expected("an object"))?;
        match members.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            Some((k, _)) => {
                // Joined by hand: the only `join` with a separator, which compiled a second copy of std's join
                // code next to the one `concat` uses.
                let mut message = ["unknown field `", k, "`, expected one of: "].concat();
                for (i, name) in allowed.iter().enumerate() {
                    if i > 0 {
                        message.push_str(", ");
                    }
                    message.push_str(name);
                }
                Err(JsonError(message))
            }
            None => Ok(()),
        }
    }

    /// The JSON text of this value, without whitespace.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Self::Null => out.push_str("null"),
            Self::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Self::Number(n) => out.push_str(n),
            Self::String(s) => write_string(s, out),
            Self::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Self::Object(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(k, out);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    // Runs without anything to escape are copied whole: most strings written are tokens, kilobytes of plain
    // ASCII, and a character at a time made writing them most of getSession()'s time.
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        // `start` and `i` are at ASCII bytes, hence character boundaries.
        out.push_str(s.get(start..i).unwrap_or_default());
        start = i + 1;
        if escape.is_empty() {
            out.push_str("\\u00");
            for nibble in [b >> 4, b & 15] {
                out.push(char::from(if nibble < 10 { b'0' + nibble } else { b'a' + nibble - 10 }));
            }
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

/// Nesting deeper than this is refused instead of recursing further: no body or argument here nests past 5.
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn fail<T>(&self, what: &str) -> Result<T, JsonError> {
        Err(JsonError::at(self.pos, what))
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, JsonError> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            self.fail("unknown literal")
        }
    }

    fn value(&mut self) -> Result<Json, JsonError> {
        self.skip_ws();
        match self.peek() {
            None => self.fail("unexpected end"),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(open @ (b'[' | b'{')) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return self.fail("nested too deeply");
                }
                self.pos += 1;
                let value = if open == b'[' { self.array() } else { self.object() }?;
                self.depth -= 1;
                Ok(value)
            }
            Some(_) => self.fail("unexpected character"),
        }
    }

    fn array(&mut self) -> Result<Json, JsonError> {
        let mut items = Vec::new();
        self.skip_ws();
        if self.eat(b']') {
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_ws();
            if self.eat(b']') {
                return Ok(Json::Array(items));
            }
            if !self.eat(b',') {
                return self.fail("expected `,` or `]`");
            }
        }
    }

    fn object(&mut self) -> Result<Json, JsonError> {
        let mut members = Vec::new();
        self.skip_ws();
        if self.eat(b'}') {
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return self.fail("expected a member name");
            }
            let key = self.string()?;
            self.skip_ws();
            if !self.eat(b':') {
                return self.fail("expected `:`");
            }
            members.push((key, self.value()?));
            self.skip_ws();
            if self.eat(b'}') {
                return Ok(Json::Object(members));
            }
            if !self.eat(b',') {
                return self.fail("expected `,` or `}`");
            }
        }
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.pos;
        self.eat(b'-');
        // RFC 8259: the integer part is `0` or starts with 1-9. `01` is not JSON (JSON.parse refuses it), and
        // accepting it would let stored or received numbers mean different things to different readers.
        let int_start = self.pos;
        let digits = |p: &mut Self| {
            let from = p.pos;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.pos += 1;
            }
            p.pos > from
        };
        if !digits(self) {
            return self.fail("expected a digit");
        }
        if self.bytes.get(int_start) == Some(&b'0') && self.pos - int_start > 1 {
            return self.fail("leading zero");
        }
        if self.eat(b'.') && !digits(self) {
            return self.fail("expected a digit after `.`");
        }
        if self.eat(b'e') || self.eat(b'E') {
            let _ = self.eat(b'+') || self.eat(b'-');
            if !digits(self) {
                return self.fail("expected an exponent");
            }
        }
        // Only ASCII digits, signs, `.` and `e` were consumed, so the range is on character boundaries.
        let text = self.bytes.get(start..self.pos).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("0");
        Ok(Json::Number(text.to_owned()))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return self.fail("expected four hex digits"),
            };
            v = v * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(v)
    }

    /// Reads a string starting at its opening quote.
    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            // Copies the run up to the next quote, backslash or control character at once (tokens are long runs).
            let start = self.pos;
            while self.peek().is_some_and(|c| c != b'"' && c != b'\\' && c >= 0x20) {
                self.pos += 1;
            }
            out.extend_from_slice(self.bytes.get(start..self.pos).unwrap_or_default());
            let Some(c) = self.peek() else { return self.fail("unterminated string") };
            self.pos += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let Some(e) = self.peek() else { return self.fail("unterminated string") };
                    self.pos += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.escaped_char()?,
                        _ => return self.fail("unknown escape"),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                _ => return self.fail("control character in a string"),
            }
        }
        // The input was a &str and escapes were encoded as UTF-8, so this only fails on a bug.
        String::from_utf8(out).or_else(|_| self.fail("invalid UTF-8"))
    }

    /// `\uXXXX`, with a following `\uXXXX` low surrogate when the first is a high one.
    fn escaped_char(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) {
            if !(self.eat(b'\\') && self.eat(b'u')) {
                return self.fail("unpaired surrogate");
            }
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return self.fail("unpaired surrogate");
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        char::from_u32(code).map_or_else(|| self.fail("unpaired surrogate"), Ok)
    }
}

// ------------------------------------------------------------------------------------------ conversions

impl<T: ToJson> From<&T> for Json {
    fn from(value: &T) -> Self {
        value.to_json()
    }
}

/// `None` is written as `null` (use [`Json::with_some`] to leave the member out instead).
impl<T: Into<Json>> From<Option<T>> for Json {
    fn from(value: Option<T>) -> Self {
        value.map_or(Json::Null, Into::into)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Json {
        // Plain loops here and below: smaller per element type than `collect`'s adapters.
        let mut items = Vec::with_capacity(self.len());
        for item in self {
            items.push(item.to_json());
        }
        Json::Array(items)
    }
}

impl From<&str> for Json {
    fn from(s: &str) -> Self {
        Self::String(s.to_owned())
    }
}

impl From<String> for Json {
    fn from(s: String) -> Self {
        Self::String(s)
    }
}

impl From<&String> for Json {
    fn from(s: &String) -> Self {
        Self::String(s.clone())
    }
}

impl From<bool> for Json {
    fn from(b: bool) -> Self {
        Self::Bool(b)
    }
}

impl From<u64> for Json {
    fn from(n: u64) -> Self {
        Self::Number(crate::digits::u64_text(n))
    }
}

impl From<i64> for Json {
    fn from(n: i64) -> Self {
        Self::Number(crate::digits::i64_text(n))
    }
}

impl From<u32> for Json {
    fn from(n: u32) -> Self {
        Self::Number(crate::digits::u64_text(n.into()))
    }
}

impl<T: Into<Json>> From<Vec<T>> for Json {
    fn from(items: Vec<T>) -> Self {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(item.into());
        }
        Self::Array(out)
    }
}

impl From<&StringMap> for Json {
    fn from(map: &StringMap) -> Self {
        Self::Object(map.iter().map(|(k, v)| (k.clone(), Json::String(v.clone()))).collect())
    }
}

impl From<StringMap> for Json {
    fn from(map: StringMap) -> Self {
        Self::Object(map.into_iter().map(|(k, v)| (k, Json::String(v))).collect())
    }
}

/// Lets tests build bodies with `serde_json::json!` (a dev-dependency only).
#[cfg(test)]
impl ToJson for serde_json::Value {
    fn to_json(&self) -> Json {
        Json::parse(&self.to_string()).unwrap_or_default()
    }
}

impl FromJson for Json {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        Ok(value.clone())
    }
}

impl FromJson for String {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        value.as_str().map(str::to_owned).ok_or_else(|| JsonError::expected("a string"))
    }
}

impl FromJson for bool {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        value.as_bool().ok_or_else(|| JsonError::expected("true or false"))
    }
}

impl FromJson for u64 {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        match value {
            Json::Number(n) => crate::digits::parse_u64(n),
            _ => None,
        }
        .ok_or_else(|| JsonError::expected("a whole number ≥ 0"))
    }
}

impl FromJson for u32 {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        u64::from_json(value)?.try_into().map_err(|_| JsonError::expected("a whole number below 2^32"))
    }
}

impl FromJson for i64 {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        value.as_i64().ok_or_else(|| JsonError::expected("a whole number"))
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        T::from_json(value).map(Some)
    }

    fn absent() -> Option<Self> {
        Some(None)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let items = value.as_array().ok_or_else(|| JsonError::expected("an array"))?;
        // A plain loop: `collect` into a `Result` compiles a larger adapter per element type.
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(T::from_json(item)?);
        }
        Ok(out)
    }

    fn absent() -> Option<Self> {
        Some(Vec::new())
    }
}

impl FromJson for StringMap {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let members = value.members().ok_or_else(|| JsonError::expected("an object of strings"))?;
        // All pairs, then one sort: inserting one by one is quadratic in the number of members. A key given twice
        // reads as its last value, as with `JSON.parse`.
        let mut pairs = Vec::with_capacity(members.len());
        for (k, v) in members {
            pairs.push((k.clone(), String::from_json(v).map_err(|e| e.in_field(k))?));
        }
        Ok(StringMap::from_pairs(pairs))
    }

    fn absent() -> Option<Self> {
        Some(StringMap::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_writes_back_what_serde_json_does() {
        let texts = [
            r#"{"a":1,"b":[true,false,null],"c":{"d":"e\"\\\n\u00e9\ud83d\ude00"},"n":-1.5e3}"#,
            r#"[]"#,
            r#""\u0001\t""#,
            r#"{"exp":1700000000,"cognito:groups":["a","b"],"email_verified":true}"#,
        ];
        for text in texts {
            let ours = Json::parse(text).unwrap();
            let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::from_str::<serde_json::Value>(&ours.to_text()).unwrap(), theirs, "{text}");
        }
    }

    /// Strings are written and read in runs between the characters that need escapes: every ASCII character, at
    /// the start, middle and end of a string, next to multi-byte ones, reads back as itself (here and in serde_json).
    #[test]
    fn strings_round_trip_around_every_escape() {
        for c in (0u8..0x80).map(char::from) {
            for text in [format!("{c}"), format!("ab{c}cd"), format!("é{c}{c}😀"), format!("{c}token.part{c}")] {
                let written = Json::from(text.as_str()).to_text();
                assert_eq!(Json::parse(&written).unwrap(), Json::from(text.as_str()), "{written}");
                assert_eq!(serde_json::from_str::<String>(&written).unwrap(), text, "{written}");
            }
        }
    }

    #[test]
    fn refuses_what_is_not_json() {
        for text in ["", "{", "[1,]", "{\"a\" 1}", "01x", "\"\\x\"", "tru", "1 2", "\"\u{1}\"", "\"\\ud800\"", "-"] {
            assert!(Json::parse(text).is_err(), "{text:?}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(Json::parse(&deep).is_err());
    }

    /// RFC 8259 and `JSON.parse`: no leading zeros in the integer part, with or without a sign or fraction.
    #[test]
    fn numbers_with_leading_zeros_are_refused() {
        for text in ["01", "-01", "00", "00.5", "-00.5", "012e3", "[1,02]", r#"{"exp":0170}"#] {
            assert!(Json::parse(text).is_err(), "{text:?}");
            assert!(serde_json::from_str::<serde_json::Value>(text).is_err(), "serde_json accepts {text:?}");
        }
        for text in ["0", "-0", "0.5", "-0.5", "0e3", "0E-1", "10", "-10", "100.05", "1e01"] {
            assert_eq!(Json::parse(text), Ok(Json::Number(text.to_owned())), "{text:?}");
        }
    }

    /// A key given twice reads as its last value, as `JSON.parse` has it, through every reader.
    #[test]
    fn a_repeated_key_reads_as_its_last_value() {
        let v = Json::parse(r#"{"exp":1,"s":"first","exp":2,"m":{"k":"a","k":"b"},"s":"last","n":null,"n":"x"}"#).unwrap();
        assert_eq!(v.get("exp").and_then(Json::as_i64), Some(2));
        assert_eq!(v.field::<i64>("exp").unwrap(), 2);
        assert_eq!(v.field::<u64>("exp").unwrap(), 2);
        assert_eq!(v.field::<String>("s").unwrap(), "last");
        assert_eq!(v.field::<Option<String>>("n").unwrap().as_deref(), Some("x"));
        let m = v.field::<StringMap>("m").unwrap();
        assert_eq!((m.len(), m.get("k").map(String::as_str)), (1, Some("b")));
        assert_eq!(Json::parse(r#"{"a":"x","a":null}"#).unwrap().field::<Option<String>>("a").unwrap(), None);
    }

    /// A 100,000-member object of strings (a caller's clientMetadata) reads into a map in one sort, not one
    /// shifting insert per member.
    #[test]
    fn a_large_object_reads_into_a_map() {
        let mut text = String::from("{");
        for i in (0..100_000).rev() {
            text.push_str(&format!("\"k{i:06}\":\"{i}\","));
        }
        text.push_str("\"k000000\":\"last\"}");
        let map = StringMap::from_json(&Json::parse(&text).unwrap()).unwrap();
        assert_eq!(map.len(), 100_000);
        assert_eq!(map.keys().next().map(String::as_str), Some("k000000"));
        assert_eq!(map.get("k000000").map(String::as_str), Some("last"));
    }

    #[test]
    fn fields_read_with_defaults_and_name_the_field_in_errors() {
        let v = Json::parse(r#"{"S":"x","N":3600,"B":true,"Null":null,"L":["a"],"M":{"k":"v"}}"#).unwrap();
        assert_eq!(v.field::<String>("S").unwrap(), "x");
        assert_eq!(v.field::<u64>("N").unwrap(), 3600);
        assert!(v.field::<bool>("B").unwrap());
        assert_eq!(v.field::<Option<String>>("Null").unwrap(), None);
        assert_eq!(v.field::<Vec<String>>("Absent").unwrap(), Vec::<String>::new());
        assert_eq!(v.field::<StringMap>("M").unwrap().get("k").map(String::as_str), Some("v"));
        assert_eq!(v.field::<String>("N").unwrap_err().0, "N: expected a string");
        assert_eq!(v.field::<String>("Absent").unwrap_err().0, "Absent: missing");
    }

    #[test]
    fn only_names_the_unknown_member() {
        let v = Json::parse(r#"{"username":"u","pasword":"p"}"#).unwrap();
        assert!(v.only(&["username", "pasword"]).is_ok());
        let e = v.only(&["username", "password"]).unwrap_err();
        assert_eq!(e.0, "unknown field `pasword`, expected one of: username, password");
    }

    #[test]
    fn builders_leave_out_absent_options() {
        let v = Json::object().with("A", "x").with_some("B", None::<String>).with_some("C", Some(true)).with("D", 5u32);
        assert_eq!(v.to_text(), r#"{"A":"x","C":true,"D":5}"#);
    }
}

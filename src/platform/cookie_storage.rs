//! Sessions in cookies, for apps whose server reads the tokens too.
//!
//! A browser keeps at most about 4 KB per cookie and silently drops larger ones, and Cognito's tokens with
//! groups or custom claims exceed that. Values too large for one cookie are split over numbered cookies
//! (`name.0`, `name.1`, …), with `name` holding the count, so nothing is lost. The attributes and the bound on
//! the count are decided by pure functions in `session::storage`, tested natively.

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};

use super::fetch::describe;
use crate::protocol::{FromJson, Json, JsonError};
use crate::session::{cookie_flags, cookie_head, CookieFlags, CookieHead, StorageError, CHUNKED_PREFIX, MAX_COOKIE_CHUNKS};

/// Encoded value bytes per cookie: under the 4096-byte limit with room for the name and attributes.
const CHUNK: usize = 3800;

/// Cookie attributes, as the app configures them.
#[derive(Debug, Clone, Default)]
pub struct CookieOptions {
    pub domain: Option<String>,
    pub path: Option<String>,
    pub secure: Option<bool>,
    pub same_site: Option<String>,
    /// Days until the cookies expire (365 by default, as Amplify's CookieStorage); fractions allowed.
    pub expires: Option<f64>,
}

impl FromJson for CookieOptions {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        v.only(&["domain", "path", "secure", "sameSite", "expires"])?;
        // JS parses the number's text: Rust's float parser would add its tables to the wasm for this one field.
        let expires = match v.get("expires") {
            None | Some(Json::Null) => None,
            Some(Json::Number(text)) => Some(js_sys::parse_float(text)),
            Some(_) => return Err(JsonError::expected("a number").in_field("expires")),
        };
        Ok(Self {
            domain: v.field("domain")?,
            path: v.field("path")?,
            secure: v.field("secure")?,
            same_site: v.field("sameSite")?,
            expires,
        })
    }
}

pub struct CookieStorage {
    document: web_sys::Document,
    options: CookieOptions,
    /// `Secure` and `SameSite`, decided once for this page.
    flags: CookieFlags,
}

impl CookieStorage {
    pub fn new(options: CookieOptions) -> Result<Self, StorageError> {
        let document = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("document"))
            .ok()
            .and_then(|d| d.dyn_into::<web_sys::Document>().ok())
            .ok_or_else(|| StorageError("cookie storage needs a page's document (it is not available in workers or Node)".into()))?;
        // The page's scheme and host decide the Secure default (see `session::storage::cookie_flags`).
        let location = Reflect::get(&js_sys::global(), &JsValue::from_str("location")).unwrap_or(JsValue::UNDEFINED);
        let part = |name: &str| Reflect::get(&location, &JsValue::from_str(name)).ok().and_then(|v| v.as_string()).unwrap_or_default();
        let flags = cookie_flags(options.secure, options.same_site.as_deref(), &part("protocol"), &part("hostname"))?;
        Ok(Self { document, options, flags })
    }

    fn html(&self) -> Result<web_sys::HtmlDocument, StorageError> {
        self.document.clone().dyn_into::<web_sys::HtmlDocument>().map_err(|_| StorageError("document has no cookies".into()))
    }

    fn read_all(&self) -> Result<Vec<(String, String)>, StorageError> {
        let text = self.html()?.cookie().map_err(|e| StorageError(describe(&e)))?;
        Ok(crate::text::split(&text, b';')
            .filter_map(|pair| crate::text::split_once(pair.trim(), b'='))
            .map(|(k, v)| (decode(k), decode(v)))
            .collect())
    }

    fn read(&self, name: &str) -> Result<Option<String>, StorageError> {
        Ok(self.read_all()?.into_iter().find(|(k, _)| k == name).map(|(_, v)| v))
    }

    /// The cookie holding chunk `i` of `key`'s value.
    fn chunk_name(key: &str, i: usize) -> String {
        [key, ".", &crate::digits::u64_text(i as u64)].concat()
    }

    fn write(&self, name: &str, value: &str, max_age_days: Option<f64>) -> Result<(), StorageError> {
        let mut cookie = encode(name);
        cookie.push('=');
        cookie.push_str(&encode(value));
        let days = max_age_days.unwrap_or_else(|| self.options.expires.unwrap_or(365.0));
        cookie.push_str("; Max-Age=");
        crate::digits::push_i64(&mut cookie, (days * 86_400.0).round() as i64);
        cookie.push_str("; Path=");
        cookie.push_str(self.options.path.as_deref().unwrap_or("/"));
        if let Some(domain) = &self.options.domain {
            cookie.push_str("; Domain=");
            cookie.push_str(domain);
        }
        cookie.push_str("; SameSite=");
        cookie.push_str(self.flags.same_site);
        if self.flags.secure {
            cookie.push_str("; Secure");
        }
        self.html()?.set_cookie(&cookie).map_err(|e| StorageError(describe(&e)))
    }

    /// How many chunk cookies the head `value` says there are: 0 for a plain or unreadable one, whose chunks
    /// (if any) this client did not write and does not touch.
    fn chunk_count(value: Option<&str>) -> usize {
        match value.map(cookie_head) {
            Some(CookieHead::Chunks(n)) => n,
            _ => 0,
        }
    }

    pub fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        let Some(head) = self.read(key)? else {
            return Ok(None);
        };
        let count = match cookie_head(&head) {
            CookieHead::Plain => return Ok(Some(head)),
            // A count this client never writes: not a value of ours, and not worth a loop.
            CookieHead::Unreadable => return Ok(None),
            CookieHead::Chunks(n) => n,
        };
        let all = self.read_all()?;
        let mut value = String::new();
        for i in 0..count {
            let name = Self::chunk_name(key, i);
            match all.iter().find(|(k, _)| *k == name) {
                Some((_, part)) => value.push_str(part),
                // A chunk is missing (cleared by the user or the browser): the value is gone.
                None => return Ok(None),
            }
        }
        Ok(Some(value))
    }

    pub fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        let old_count = Self::chunk_count(self.read(key)?.as_deref());
        let encoded_len = encode(value).len();
        let new_count = if encoded_len <= CHUNK { 0 } else { value.len().div_ceil(CHUNK / 3).max(1) };
        if new_count > MAX_COOKIE_CHUNKS {
            // It would read back as absent, and the browser would drop cookies past its per-domain limit.
            return Err(StorageError("the value is too large for cookies".into()));
        }
        if new_count == 0 {
            self.write(key, value, None)?;
        } else {
            // Chunks first, the count last: a reader sees the old value or the whole new one.
            let chars: Vec<char> = value.chars().collect();
            for (i, part) in chars.chunks(chars.len().div_ceil(new_count)).enumerate() {
                self.write(&Self::chunk_name(key, i), &part.iter().collect::<String>(), None)?;
            }
            self.write(key, &[CHUNKED_PREFIX, &crate::digits::u64_text(new_count as u64)].concat(), None)?;
        }
        for i in new_count..old_count {
            self.write(&Self::chunk_name(key, i), "", Some(0.0))?;
        }
        Ok(())
    }

    pub fn remove(&self, key: &str) -> Result<(), StorageError> {
        let count = Self::chunk_count(self.read(key)?.as_deref());
        self.write(key, "", Some(0.0))?;
        for i in 0..count {
            self.write(&Self::chunk_name(key, i), "", Some(0.0))?;
        }
        Ok(())
    }
}

fn encode(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

fn decode(s: &str) -> String {
    js_sys::decode_uri_component(s).map(String::from).unwrap_or_else(|_| s.to_owned())
}

//! Sessions in cookies, for apps whose server reads the tokens too.
//!
//! A browser keeps at most about 4 KB per cookie and silently drops larger ones, and Cognito's tokens with
//! groups or custom claims exceed that. Values too large for one cookie are split over numbered cookies
//! (`name.0`, `name.1`, …), with `name` holding the count, so nothing is lost.

use wasm_bindgen::{JsCast, JsValue};

use super::fetch::describe;
use crate::protocol::{FromJson, Json, JsonError};
use crate::session::{Storage, StorageError};

/// Encoded value bytes per cookie: under the 4096-byte limit with room for the name and attributes.
const CHUNK: usize = 3800;
const CHUNKED_PREFIX: &str = "cognito-wasm-chunks:";

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
}

impl CookieStorage {
    pub fn new(options: CookieOptions) -> Result<Self, StorageError> {
        let document = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("document"))
            .ok()
            .and_then(|d| d.dyn_into::<web_sys::Document>().ok())
            .ok_or_else(|| StorageError("cookie storage needs a page's document (it is not available in workers or Node)".into()))?;
        if let Some(same_site) = options.same_site.as_deref() {
            if !["strict", "lax", "none"].contains(&same_site.to_ascii_lowercase().as_str()) {
                return Err(StorageError(["sameSite \"", same_site, "\" is not one of strict, lax, none"].concat()));
            }
        }
        Ok(Self { document, options })
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
        let mut cookie = format!("{}={}", encode(name), encode(value));
        let days = max_age_days.unwrap_or_else(|| self.options.expires.unwrap_or(365.0));
        cookie.push_str("; Max-Age=");
        crate::digits::push_i64(&mut cookie, (days * 86_400.0).round() as i64);
        cookie.push_str(&format!("; Path={}", self.options.path.as_deref().unwrap_or("/")));
        if let Some(domain) = &self.options.domain {
            cookie.push_str(&format!("; Domain={domain}"));
        }
        if let Some(same_site) = &self.options.same_site {
            cookie.push_str(&format!("; SameSite={same_site}"));
        }
        if self.options.secure.unwrap_or(false) {
            cookie.push_str("; Secure");
        }
        self.html()?.set_cookie(&cookie).map_err(|e| StorageError(describe(&e)))
    }

    fn chunk_count(value: Option<&str>) -> usize {
        let count = value.and_then(|v| v.strip_prefix(CHUNKED_PREFIX)).and_then(crate::digits::parse_u64);
        count.and_then(|n| usize::try_from(n).ok()).unwrap_or(0)
    }
}

impl Storage for CookieStorage {
    async fn get_item(&self, key: &str) -> Result<Option<String>, StorageError> {
        let Some(head) = self.read(key)? else {
            return Ok(None);
        };
        let count = Self::chunk_count(Some(&head));
        if count == 0 {
            return Ok(Some(head));
        }
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

    async fn set_item(&self, key: &str, value: &str) -> Result<(), StorageError> {
        let old_count = Self::chunk_count(self.read(key)?.as_deref());
        let encoded_len = encode(value).len();
        let new_count = if encoded_len <= CHUNK { 0 } else { value.len().div_ceil(CHUNK / 3).max(1) };
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

    async fn remove_item(&self, key: &str) -> Result<(), StorageError> {
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

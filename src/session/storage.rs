//! The key-value storage sessions are kept in, and the rules of the browser's cookie storage (attributes and
//! chunks) as pure functions, so that they are tested natively: the code that applies them (`platform`) runs
//! only in browsers.

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::protocol::types::StringMap;

/// A storage backend failed (quota exceeded, access denied, a user-supplied store threw).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageError(pub String);

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "storage failed: {}", self.0)
    }
}

impl std::error::Error for StorageError {}

/// String key-value storage: Web Storage, memory, cookies, or a store the app supplies.
///
/// Reads and writes are synchronous. Every `.await` in a flow is wasm code in each future that contains it, and
/// storage was most of them (89 of 172). Every backend but one answers at once; a store the app supplies may
/// answer through Promises (React Native's AsyncStorage, an encrypted store), and the package wraps it
/// (pkg-template/read_ahead.js): what an operation may read is read ahead, keys a flow learns on the way are
/// read ahead by [`Storage::preload`], and writes are waited for when the operation ends (`platform`).
pub trait Storage {
    fn get_item(&self, key: &str) -> Result<Option<String>, StorageError>;
    fn set_item(&self, key: &str, value: &str) -> Result<(), StorageError>;
    fn remove_item(&self, key: &str) -> Result<(), StorageError>;

    /// Makes `keys` readable by [`Storage::get_item`] in a store that answers through Promises; the others
    /// answer every read at once, and this does nothing for them.
    fn preload(&self, keys: &[String]) -> impl std::future::Future<Output = Result<(), StorageError>> {
        let _ = keys;
        std::future::ready(Ok(()))
    }
}

/// Storage that lives as long as the value: Node's default, and the tests'.
///
/// Kept in a [`StringMap`] rather than a `BTreeMap`, whose B-tree code would otherwise be compiled into the wasm
/// build for this alone.
#[derive(Debug, Default)]
pub struct MemoryStorage {
    items: RefCell<StringMap>,
}

impl MemoryStorage {
    /// A snapshot of everything stored, for tests and debugging.
    #[must_use]
    pub fn snapshot(&self) -> BTreeMap<String, String> {
        self.items.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}

impl MemoryStorage {
    /// [`Storage::get_item`], synchronously.
    pub fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        Ok(self.items.borrow().get(key).cloned())
    }

    /// [`Storage::set_item`], synchronously.
    pub fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.items.borrow_mut().insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    /// [`Storage::remove_item`], synchronously.
    pub fn remove(&self, key: &str) -> Result<(), StorageError> {
        self.items.borrow_mut().remove(key);
        Ok(())
    }
}

impl Storage for MemoryStorage {
    fn get_item(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.get(key)
    }

    fn set_item(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.set(key, value)
    }

    fn remove_item(&self, key: &str) -> Result<(), StorageError> {
        self.remove(key)
    }
}

/// The browser's storage rules, applied by `platform` (compiled for wasm only) and tested natively here.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub mod browser {
    use super::StorageError;

    // ------------------------------------------------------------------------------------------ cookies

    /// The most cookies one chunked value may span: 64 × 3,800 bytes ≈ 240 KB, many times the largest token set
    /// Cognito issues, and more than a browser keeps per domain for a session's three tokens anyway (RFC 6265 asks
    /// for at least 50 cookies per domain; Chrome keeps 180). A head claiming more was not written by this client
    /// (a sibling subdomain can set `name=cognito-wasm-chunks:4000000000` on the parent domain) and reads as absent,
    /// without reading, allocating or clearing a chunk.
    pub const MAX_COOKIE_CHUNKS: usize = 64;

    /// What a cookie's head (the cookie under the item's own name) holds.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum CookieHead {
        /// The value itself.
        Plain,
        /// `cognito-wasm-chunks:<n>`: the value is split over cookies `name.0` … `name.<n-1>`, 1 ≤ n ≤
        /// [`MAX_COOKIE_CHUNKS`].
        Chunks(usize),
        /// A chunk count that is not one this client writes (0, above the bound, malformed): no value.
        Unreadable,
    }

    /// The head cookie's prefix before the chunk count.
    pub const CHUNKED_PREFIX: &str = "cognito-wasm-chunks:";

    /// Reads a head cookie's value.
    #[must_use]
    pub fn cookie_head(value: &str) -> CookieHead {
        let Some(count) = value.strip_prefix(CHUNKED_PREFIX) else { return CookieHead::Plain };
        match crate::digits::parse_u64(count).and_then(|n| usize::try_from(n).ok()) {
            Some(n @ 1..=MAX_COOKIE_CHUNKS) => CookieHead::Chunks(n),
            _ => CookieHead::Unreadable,
        }
    }

    /// The attributes a session cookie is written with, after the app's options and the page's URL.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct CookieFlags {
        pub secure: bool,
        /// `Strict`, `Lax` or `None`, as written.
        pub same_site: &'static str,
    }

    /// Decides the cookie attributes from the app's `secure` and `sameSite` options and the page's
    /// `location.protocol` and `location.hostname`, or says why they cannot work:
    ///
    /// - `Secure` by default: tokens are credentials and must not travel over plain http. The exception is a page on
    ///   plain http at a loopback address (`localhost`, `127.0.0.1`, `[::1]`: development), where Safari drops
    ///   Secure cookies. An explicit `secure: false` is honoured anywhere (the app decides its tokens may go over
    ///   http); an explicit `secure: true` is kept on loopback, where Chrome and Firefox accept it.
    /// - On any other page that is not https, a Secure cookie is refused by the browser without an error, so the
    ///   session would be lost at every reload: refused here instead, asking for https or an explicit `secure: false`.
    /// - `SameSite=Lax` by default: the tokens go with top-level navigations to the app's server but not with
    ///   cross-site subrequests. `None` needs `Secure` (browsers drop `SameSite=None` cookies without it): refused.
    pub fn cookie_flags(
        secure: Option<bool>,
        same_site: Option<&str>,
        protocol: &str,
        hostname: &str,
    ) -> Result<CookieFlags, StorageError> {
        let same_site = match same_site {
            None => "Lax",
            Some(s) if s.eq_ignore_ascii_case("lax") => "Lax",
            Some(s) if s.eq_ignore_ascii_case("strict") => "Strict",
            Some(s) if s.eq_ignore_ascii_case("none") => "None",
            Some(s) => return Err(StorageError(["sameSite \"", s, "\" is not one of strict, lax, none"].concat())),
        };
        let loopback_http = protocol == "http:" && matches!(hostname, "localhost" | "127.0.0.1" | "[::1]");
        let secure = secure.unwrap_or(!loopback_http);
        if secure && protocol != "https:" && !loopback_http {
            return Err(StorageError("storage.cookie: Secure cookies need an https page (or secure: false)".into()));
        }
        if same_site == "None" && !secure {
            return Err(StorageError("storage.cookie: sameSite 'none' needs secure: true".into()));
        }
        Ok(CookieFlags { secure, same_site })
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn chunk_counts_are_bounded() {
            assert_eq!(cookie_head("eyJhbGciOi"), CookieHead::Plain);
            assert_eq!(cookie_head(""), CookieHead::Plain);
            assert_eq!(cookie_head("cognito-wasm-chunks:1"), CookieHead::Chunks(1));
            assert_eq!(cookie_head("cognito-wasm-chunks:64"), CookieHead::Chunks(64));
            for bad in ["65", "4000000000", "18446744073709551616", "0", "", "-1", "+3x", " 3"] {
                assert_eq!(cookie_head(&[CHUNKED_PREFIX, bad].concat()), CookieHead::Unreadable, "{bad:?}");
            }
        }

        fn flags(secure: Option<bool>, same_site: Option<&str>, url: (&str, &str)) -> Result<(bool, &'static str), String> {
            cookie_flags(secure, same_site, url.0, url.1).map(|f| (f.secure, f.same_site)).map_err(|e| e.0)
        }

        #[test]
        fn cookies_are_secure_and_lax_unless_told_otherwise() {
            let https = ("https:", "app.example.com");
            let plain = ("http:", "app.example.com");
            for loopback in [("http:", "localhost"), ("http:", "127.0.0.1"), ("http:", "[::1]")] {
                assert_eq!(flags(None, None, loopback), Ok((false, "Lax")), "{loopback:?}");
                assert_eq!(flags(Some(true), None, loopback), Ok((true, "Lax")));
                assert!(flags(None, Some("none"), loopback).unwrap_err().contains("sameSite 'none' needs secure"));
                assert_eq!(flags(Some(true), Some("None"), loopback), Ok((true, "None")));
            }
            assert_eq!(flags(None, None, https), Ok((true, "Lax")));
            assert_eq!(flags(None, None, ("https:", "localhost")), Ok((true, "Lax")));
            assert_eq!(flags(None, Some("STRICT"), https), Ok((true, "Strict")));
            assert_eq!(flags(None, Some("none"), https), Ok((true, "None")));
            assert_eq!(flags(Some(false), Some("lax"), https), Ok((false, "Lax")), "explicit secure: false is honoured");
            assert!(flags(Some(false), Some("none"), https).unwrap_err().contains("sameSite 'none' needs secure"));
            assert_eq!(flags(Some(false), None, plain), Ok((false, "Lax")));
            for secure in [None, Some(true)] {
                assert!(flags(secure, None, plain).unwrap_err().contains("need an https page"));
            }
            assert!(flags(None, None, ("http:", "127.0.0.2.example")).is_err());
            assert_eq!(flags(None, Some("sideways"), https).unwrap_err(), "sameSite \"sideways\" is not one of strict, lax, none");
        }
    }
}

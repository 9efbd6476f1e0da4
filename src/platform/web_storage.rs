//! `localStorage` and `sessionStorage`.

use wasm_bindgen::{JsCast, JsValue};

use super::fetch::describe;
use crate::session::StorageError;

/// One of the page's Web Storage areas.
pub struct WebStorage(web_sys::Storage);

impl WebStorage {
    /// The global `localStorage` or `sessionStorage`, if this environment has it and lets us use it (it throws
    /// in sandboxed frames and some privacy modes).
    pub fn global(name: &str) -> Result<Self, StorageError> {
        let value = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(name))
            .map_err(|e| StorageError([name, " is not accessible: ", &describe(&e)].concat()))?;
        value
            .dyn_into::<web_sys::Storage>()
            .map(Self)
            .map_err(|_| StorageError([name, " is not available in this environment"].concat()))
    }
}

impl WebStorage {
    pub fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.0.get_item(key).map_err(|e| StorageError(describe(&e)))
    }

    pub fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.0.set_item(key, value).map_err(|e| StorageError(describe(&e)))
    }

    pub fn remove(&self, key: &str) -> Result<(), StorageError> {
        self.0.remove_item(key).map_err(|e| StorageError(describe(&e)))
    }
}

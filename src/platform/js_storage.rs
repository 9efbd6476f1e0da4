//! A storage object the app supplies: anything with `getItem`, `setItem` and `removeItem`, returning values or
//! Promises (React Native's AsyncStorage, an encrypted store, IndexedDB wrappers).

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::fetch::describe;
use crate::session::{Storage, StorageError};

pub struct JsStorage {
    target: JsValue,
    get: Function,
    set: Function,
    remove: Function,
}

impl JsStorage {
    /// Checks that the three methods are there, so a wrong object fails at construction, not at sign-in.
    pub fn new(target: JsValue) -> Result<Self, StorageError> {
        let method = |name: &str| {
            Reflect::get(&target, &JsValue::from_str(name))
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
                .ok_or_else(|| StorageError(format!("the storage object has no {name} method")))
        };
        Ok(Self { get: method("getItem")?, set: method("setItem")?, remove: method("removeItem")?, target })
    }

    /// The value, awaited if it is a Promise (or any thenable).
    async fn settle(result: Result<JsValue, JsValue>) -> Result<JsValue, StorageError> {
        let value = result.map_err(|e| StorageError(describe(&e)))?;
        let is_thenable = value.is_object()
            && Reflect::get(&value, &JsValue::from_str("then")).is_ok_and(|t| t.is_function());
        if !is_thenable {
            return Ok(value);
        }
        let promise = Promise::resolve(&value);
        JsFuture::from(promise).await.map_err(|e| StorageError(describe(&e)))
    }
}

impl Storage for JsStorage {
    async fn get_item(&self, key: &str) -> Result<Option<String>, StorageError> {
        let value = Self::settle(self.get.call1(&self.target, &JsValue::from_str(key))).await?;
        if value.is_null() || value.is_undefined() {
            return Ok(None);
        }
        value.as_string().map(Some).ok_or_else(|| StorageError(["getItem(\"", key, "\") returned something that is not a string"].concat()))
    }

    async fn set_item(&self, key: &str, value: &str) -> Result<(), StorageError> {
        Self::settle(self.set.call2(&self.target, &JsValue::from_str(key), &JsValue::from_str(value))).await.map(drop)
    }

    async fn remove_item(&self, key: &str) -> Result<(), StorageError> {
        Self::settle(self.remove.call1(&self.target, &JsValue::from_str(key))).await.map(drop)
    }
}

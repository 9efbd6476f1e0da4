//! A storage object the app supplies: anything with `getItem`, `setItem` and `removeItem`, returning values or
//! Promises (React Native's AsyncStorage, an encrypted store, IndexedDB wrappers).
//!
//! The flows read and write storage synchronously (`session::Storage`). The package hands the app's object over
//! wrapped by `readAhead` (pkg-template/read_ahead.js), which answers synchronously: a store that answers at once
//! is called straight through, one that answers through Promises is read ahead ([`JsStorage::preload`], before
//! each operation and before a flow reads a key it learnt on the way) and its writes are waited for when the
//! operation ends ([`JsStorage::end`]) and before a cross-tab lock taken meanwhile is released.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::fetch::describe;
use crate::session::{Storage, StorageError};

pub struct JsStorage {
    target: JsValue,
    /// [`METHODS`], in that order.
    methods: Vec<Function>,
}

const METHODS: [&str; 8] = ["getItem", "setItem", "removeItem", "begin", "load", "end", "settled", "reread"];
const BEGIN: usize = 3;
const LOAD: usize = 4;
const END: usize = 5;
const SETTLED: usize = 6;
const REREAD: usize = 7;

fn failed(e: JsValue) -> StorageError {
    StorageError(describe(&e))
}

impl JsStorage {
    /// Checks that the methods are there, so a wrong object fails at construction, not at sign-in.
    pub fn new(target: JsValue) -> Result<Self, StorageError> {
        let method = |name: &&str| {
            Reflect::get(&target, &JsValue::from_str(name)).ok().and_then(|f| f.dyn_into::<Function>().ok()).ok_or_else(|| {
                let wrapper = if name.ends_with("Item") { "" } else { " (it is read through the package's readAhead wrapper)" };
                StorageError(["the storage object has no ", name, " method", wrapper].concat())
            })
        };
        let mut methods = Vec::with_capacity(METHODS.len());
        for name in &METHODS {
            methods.push(method(name)?);
        }
        Ok(Self { target, methods })
    }

    fn call(&self, method: usize, args: &[&JsValue]) -> Result<JsValue, StorageError> {
        let Some(f) = self.methods.get(method) else { return Ok(JsValue::UNDEFINED) };
        match args {
            [] => f.call0(&self.target),
            [a] => f.call1(&self.target, a),
            [a, b, ..] => f.call2(&self.target, a, b),
        }
        .map_err(failed)
    }

    /// Calls a method that answers with a Promise: what waits for it.
    fn wait(&self, method: usize, args: &[&JsValue]) -> Waiting {
        match self.call(method, args) {
            Ok(answer) => Waiting::Js(JsFuture::from(Promise::resolve(&answer))),
            Err(e) => Waiting::Ready(Some(Err(e))),
        }
    }

    /// A function giving a Promise that settles once the writes started so far have: a lock guard releases its
    /// lock after it.
    pub fn settled(&self) -> Option<Function> {
        self.methods.get(SETTLED).map(|f| f.bind0(&self.target))
    }

    /// An operation starts: reads ahead what it may read before it has heard from Cognito (read_ahead.js), and
    /// keeps that and what is read ahead later until it (and any other running) ends.
    pub fn begin(&self) -> Waiting {
        self.wait(BEGIN, &[])
    }

    /// Reads `keys` ahead ([`Storage::preload`]).
    pub fn load(&self, keys: &[String]) -> Waiting {
        let keys: Array = keys.iter().map(|k| JsValue::from_str(k)).collect();
        self.wait(LOAD, &[&keys])
    }

    /// An operation ends: waits for the writes it started (and any other operation's meanwhile).
    pub fn end(&self) -> Waiting {
        self.wait(END, &[])
    }

    /// Loads again every key read ahead so far, once the writes started have finished: after waiting for a
    /// cross-tab lock, what the holder before wrote must be seen.
    pub fn reread(&self) -> Waiting {
        self.wait(REREAD, &[])
    }
}

impl Storage for JsStorage {
    fn get_item(&self, key: &str) -> Result<Option<String>, StorageError> {
        Ok(self.call(0, &[&JsValue::from_str(key)])?.as_string())
    }

    fn set_item(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.call(1, &[&JsValue::from_str(key), &JsValue::from_str(value)]).map(drop)
    }

    fn remove_item(&self, key: &str) -> Result<(), StorageError> {
        self.call(2, &[&JsValue::from_str(key)]).map(drop)
    }

    fn preload(&self, keys: &[String]) -> impl std::future::Future<Output = Result<(), StorageError>> {
        self.load(keys)
    }
}

/// What waits for the storage object: a Promise it answered with, or an answer already there. One concrete
/// future for every wait, rather than an `async fn` each, whose state machines nest in every flow's future.
pub enum Waiting {
    Ready(Option<Result<(), StorageError>>),
    Js(JsFuture),
}

impl Future for Waiting {
    type Output = Result<(), StorageError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            Self::Ready(answer) => Poll::Ready(answer.take().unwrap_or(Ok(()))),
            Self::Js(promise) => Pin::new(promise).poll(cx).map(|r| r.map(drop).map_err(failed)),
        }
    }
}

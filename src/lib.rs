//! cognito-wasm: an Amazon Cognito user-pool client whose protocol core is plain Rust.
//!
//! Layers, each using only those below it:
//! `api` (wasm-bindgen exports) → `platform` (fetch, Web Storage, randomness) → [`flows`] (sign-up, sign-in,
//! refresh, sign-out) → [`session`] (tokens, storage trait, refresh rules) → [`srp`] and [`protocol`].
//!
//! Everything below `platform` is deterministic and does no I/O: it never reads a clock, a random source, the
//! network or storage itself. Those come in through traits and arguments, so the same code is tested natively
//! with a fake transport and runs unchanged in WebAssembly.
#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

mod b64;
mod digits;
mod text;
pub mod protocol;
pub mod srp;
pub mod flows;
pub mod session;

#[cfg(test)]
pub(crate) mod test_support;

#[cfg(target_arch = "wasm32")]
mod platform;

#[cfg(target_arch = "wasm32")]
pub mod api;

/// The API's argument readers and result builders are plain Rust, so their unit tests run natively too; the rest
/// of `api` is wasm-bindgen's and exists only in the wasm build, so what only it uses is unused here.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[allow(dead_code)]
mod api {
    mod input;
    mod output;
}

/// The allocator of the wasm build: talc, a small and fast allocator for single-threaded wasm, in place of Rust's
/// default dlmalloc, which cost 2.5 KB of the package's gzipped bytes (7.7 KB of code before wasm-opt). The SDK
/// allocates little (strings, small vectors; SRP works in fixed arrays), so dlmalloc's size classes bought
/// nothing measurable; `make bench` keeps the memory check (linear memory flat over 1,000 sign-ins).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

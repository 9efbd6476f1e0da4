//! cognito-wasm

//! End-to-end scenarios over the HTTP handler: pools configured by tests, client secrets, MFA, new
//! password, custom auth, choice-based sign-in, devices and account operations.

mod account;
mod auth_flows;
mod devices;
mod managed_login;
mod mfa;
mod pools;
mod sign_in_names;

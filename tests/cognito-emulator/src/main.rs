//! `cognito-emulator`: a local stand-in for an Amazon Cognito user pool, for end-to-end tests of the
//! project's client against the real wire protocol (SRP sign-in, JWTs, refresh, revocation).

mod admin;
mod app;
mod challenge;
mod cli;
mod codes;
mod errors;
mod faults;
mod http;
mod oauth;
mod ops;
mod password;
mod pool;
mod srp;
mod state;
mod timestamp;
mod tokens;
mod totp;
mod util;

#[cfg(test)]
mod harness;
#[cfg(test)]
mod scenarios;

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    let config = match cli::parse(std::env::args().skip(1)) {
        Ok(cli::Command::Run(config)) => config,
        Ok(cli::Command::Help) => {
            println!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("cognito-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    let (server, addr) = match http::bind(config.port) {
        Ok(bound) => bound,
        Err(e) => {
            eprintln!("cognito-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    let base_url = format!("http://127.0.0.1:{}", addr.port());
    let app = match app::App::new(config, &base_url, key_source()) {
        Ok(app) => Arc::new(app),
        Err(e) => {
            eprintln!("cognito-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (pool_id, clients) = (app.config.pool_id.clone(), app.config.client_ids.join(","));
    let running = http::serve(app, server, addr);
    println!(
        "cognito-emulator listening on http://{}/ pool={pool_id} clients={clients}",
        running.addr
    );
    let _ = std::io::stdout().flush();
    running.join();
    ExitCode::SUCCESS
}

/// RSA key generation takes a noticeable moment, so a background thread keeps a couple of keys ready for
/// the pools tests create (`POST /__emulator__/pools` then answers at once).
fn key_source() -> app::KeySource {
    let (tx, rx) = std::sync::mpsc::sync_channel(2);
    std::thread::spawn(move || loop {
        if tx
            .send(tokens::SigningKey::generate(tokens::KEY_BITS))
            .is_err()
        {
            break;
        }
    });
    let rx = std::sync::Mutex::new(rx);
    Box::new(move || {
        let rx = rx.lock().unwrap_or_else(|p| p.into_inner());
        rx.recv()
            .unwrap_or_else(|_| tokens::SigningKey::generate(tokens::KEY_BITS))
    })
}

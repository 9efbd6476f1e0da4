//! Command-line parsing, written by hand to keep the dependency list (and the build) small.

use std::path::PathBuf;

use crate::pool::{allowed_redirect_url, check_sign_in_attributes, SignInAttribute};

/// Client id used when none is given, so a bare `cognito-emulator` is immediately usable.
pub const DEFAULT_CLIENT_ID: &str = "emulatorclient0000000000000";
pub const DEFAULT_POOL_ID: &str = "us-east-1_Emul4tor";
pub const DEFAULT_PORT: u16 = 9229;

pub const USAGE: &str =
    "usage: cognito-emulator [--port 9229] [--pool-id us-east-1_Emul4tor] [--client-id ID]... \
[--id-token-ttl SECS] [--access-token-ttl SECS] [--refresh-token-ttl SECS] [--state-file PATH] \
[--prevent-user-existence-errors] [--username-attributes email[,phone_number]] [--callback-url URL]...";

/// Everything the emulator is told at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub port: u16,
    pub pool_id: String,
    pub client_ids: Vec<String>,
    pub id_token_ttl: u64,
    pub access_token_ttl: u64,
    pub refresh_token_ttl: u64,
    pub state_file: Option<PathBuf>,
    /// Mirrors the app-client setting PreventUserExistenceErrors=ENABLED.
    pub prevent_user_existence_errors: bool,
    /// The default pool's UsernameAttributes (empty: users sign in with a chosen username).
    pub username_attributes: Vec<SignInAttribute>,
    /// Managed login for the default pool: its clients' callback and sign-out URLs (with Google, Facebook,
    /// SignInWithApple and LoginWithAmazon as providers); empty: none, as for a pool without a domain.
    pub callback_urls: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: DEFAULT_PORT,
            pool_id: DEFAULT_POOL_ID.to_string(),
            client_ids: vec![DEFAULT_CLIENT_ID.to_string()],
            id_token_ttl: 3600,
            access_token_ttl: 3600,
            refresh_token_ttl: 30 * 24 * 3600,
            state_file: None,
            prevent_user_existence_errors: false,
            username_attributes: Vec::new(),
            callback_urls: Vec::new(),
        }
    }
}

/// What the command line asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Run(Config),
    Help,
}

#[derive(Debug, PartialEq, Eq)]
pub struct CliError(pub String);

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n{USAGE}", self.0)
    }
}

impl std::error::Error for CliError {}

/// Parses the arguments after the program name. Accepts both `--flag value` and `--flag=value`.
pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, CliError> {
    let mut config = Config::default();
    let mut client_ids = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, CliError> {
            match inline.clone().or_else(|| args.next()) {
                Some(v) => Ok(v),
                None => Err(CliError(format!("{name} needs a value"))),
            }
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--port" => config.port = parse_number(&flag, &value(&flag)?)?,
            "--pool-id" => {
                let id = value(&flag)?;
                match id.split_once('_') {
                    Some((region, name)) if !region.is_empty() && !name.is_empty() => {
                        config.pool_id = id
                    }
                    _ => {
                        return Err(CliError(format!(
                            "--pool-id must look like REGION_NAME, got {id:?}"
                        )))
                    }
                }
            }
            "--client-id" => {
                let id = value(&flag)?;
                if id.is_empty()
                    || !id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '+')
                {
                    return Err(CliError(format!(
                        "--client-id must match [\\w+]+, got {id:?}"
                    )));
                }
                client_ids.push(id);
            }
            "--id-token-ttl" => config.id_token_ttl = parse_ttl(&flag, &value(&flag)?)?,
            "--access-token-ttl" => config.access_token_ttl = parse_ttl(&flag, &value(&flag)?)?,
            "--refresh-token-ttl" => config.refresh_token_ttl = parse_ttl(&flag, &value(&flag)?)?,
            "--state-file" => config.state_file = Some(PathBuf::from(value(&flag)?)),
            "--prevent-user-existence-errors" => {
                if inline.is_some() {
                    return Err(CliError(format!("{flag} takes no value")));
                }
                config.prevent_user_existence_errors = true
            }
            "--username-attributes" => {
                let text = value(&flag)?;
                let mut attributes = Vec::new();
                for name in text.split(',').map(str::trim) {
                    let attr = SignInAttribute::from_name(name)
                        .ok_or_else(|| CliError(format!("{flag}: unknown attribute {name:?}")))?;
                    if !attributes.contains(&attr) {
                        attributes.push(attr);
                    }
                }
                check_sign_in_attributes(&attributes, &[])
                    .map_err(|e| CliError(format!("{flag}: {e}")))?;
                config.username_attributes = attributes;
            }
            "--callback-url" => {
                let url = value(&flag)?;
                if !allowed_redirect_url(&url) {
                    return Err(CliError(format!(
                        "{flag} must be https, http on localhost, or an app scheme, without a fragment: {url:?}"
                    )));
                }
                if !config.callback_urls.contains(&url) {
                    config.callback_urls.push(url);
                }
            }
            other => return Err(CliError(format!("unknown argument {other:?}"))),
        }
    }
    if !client_ids.is_empty() {
        client_ids.dedup();
        config.client_ids = client_ids;
    }
    Ok(Command::Run(config))
}

fn parse_number<T: std::str::FromStr>(flag: &str, text: &str) -> Result<T, CliError> {
    text.parse()
        .map_err(|_| CliError(format!("{flag}: not a valid number: {text:?}")))
}

fn parse_ttl(flag: &str, text: &str) -> Result<u64, CliError> {
    match parse_number::<u64>(flag, text)? {
        0 => Err(CliError(format!("{flag} must be at least 1 second"))),
        n => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Command, CliError> {
        parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults() {
        assert_eq!(run(&[]), Ok(Command::Run(Config::default())));
    }

    #[test]
    fn all_flags() {
        let Ok(Command::Run(c)) = run(&[
            "--port",
            "9339",
            "--pool-id=eu-west-1_Abc",
            "--client-id",
            "a1",
            "--client-id",
            "b2",
            "--id-token-ttl",
            "5",
            "--access-token-ttl=6",
            "--refresh-token-ttl",
            "7",
            "--state-file",
            "/tmp/s.json",
            "--prevent-user-existence-errors",
            "--username-attributes=email,phone_number",
        ]) else {
            panic!("parse failed")
        };
        assert_eq!(c.port, 9339);
        assert_eq!(c.pool_id, "eu-west-1_Abc");
        assert_eq!(c.client_ids, vec!["a1", "b2"]);
        assert_eq!(
            (c.id_token_ttl, c.access_token_ttl, c.refresh_token_ttl),
            (5, 6, 7)
        );
        assert_eq!(c.state_file, Some(PathBuf::from("/tmp/s.json")));
        assert!(c.prevent_user_existence_errors);
        assert_eq!(
            c.username_attributes,
            vec![SignInAttribute::Email, SignInAttribute::PhoneNumber]
        );
    }

    #[test]
    fn rejects_bad_input() {
        assert!(run(&["--port"]).is_err());
        let Command::Run(c) = run(&[
            "--callback-url",
            "http://localhost:8080/",
            "--callback-url=https://app.example.com/cb",
            "--callback-url",
            "http://localhost:8080/",
        ])
        .unwrap() else {
            panic!("expected a run")
        };
        assert_eq!(
            c.callback_urls,
            ["http://localhost:8080/", "https://app.example.com/cb"]
        );
        assert!(run(&["--callback-url", "http://app.example.com/"]).is_err());
        assert!(run(&["--callback-url", "https://app.example.com/#x"]).is_err());
        assert!(run(&["--port", "x"]).is_err());
        assert!(run(&["--pool-id", "nounderscore"]).is_err());
        assert!(run(&["--id-token-ttl", "0"]).is_err());
        assert!(run(&["--bogus"]).is_err());
        assert!(run(&["--username-attributes", "nickname"]).is_err());
        assert!(run(&["--username-attributes", "preferred_username"]).is_err());
        assert_eq!(run(&["--help"]), Ok(Command::Help));
    }
}

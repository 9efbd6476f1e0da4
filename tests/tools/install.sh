#!/usr/bin/env bash
# Installs what `make pkg`, `make test` and `make demo` need and this machine lacks. Idempotent, and quick when
# everything is present: each step first checks for what it would install.
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { echo "install: $*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# The shipped wasm is built by nightly with the standard library rebuilt (Makefile, `pkg`): its sources and wasm32
# target. The machine image has nightly; a machine without it gets a minimal one.
if ! rustup toolchain list | grep -q '^nightly'; then
  say "rust nightly"
  rustup toolchain install nightly --profile minimal
fi
if ! rustup +nightly component list --installed | grep -qx rust-src; then
  say "rust-src for nightly"
  rustup component add rust-src --toolchain nightly
fi
if ! rustup +nightly target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target wasm32-unknown-unknown for nightly"
  rustup target add wasm32-unknown-unknown --toolchain nightly
fi

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
want=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  say "wasm-bindgen-cli $want (found: ${have:-none})"
  # --locked can fail when a locked dependency was yanked; the pinned version still builds without it.
  cargo install --locked wasm-bindgen-cli --version "=$want" || cargo install wasm-bindgen-cli --version "=$want"
fi

if ! command -v wasm-pack >/dev/null; then
  say "wasm-pack"
  cargo install --locked wasm-pack
fi

packages=()
command -v chromium >/dev/null || packages+=(chromium)
[ -x /usr/bin/chromedriver ] || packages+=(chromium-driver)
command -v firefox >/dev/null || packages+=(firefox-esr)
if [ "${#packages[@]}" -gt 0 ]; then
  say "apt packages ${packages[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}"
fi

if ! command -v geckodriver >/dev/null; then
  say "geckodriver"
  cargo install --locked geckodriver
fi

# npm dev dependencies (the official client, playwright-core, binaryen's wasm-opt), as locked.
if [ ! -f tests/node_modules/.package-lock.json ] || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
  say "npm dev dependencies"
  npm ci --prefix tests --no-audit --no-fund
fi

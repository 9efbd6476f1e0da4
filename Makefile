# `make demo` and `make test` install what is missing (tests/tools/install.sh), then build and run.
SHELL := /bin/bash
# binaryen's wasm-opt from npm comes first: Debian's older one corrupts wasm-bindgen's externref table.
export PATH := $(CURDIR)/tests/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

EMULATOR := target/release/cognito-emulator
WASM_OUT := target/wasm-pack

.PHONY: all tools emulator pkg docs test demo clean
all: pkg

tools:
	@tests/tools/install.sh

emulator: tools
	cargo build --release -p cognito-emulator

# The npm package in pkg/: wasm-pack's output, shrunk by wasm-opt, plus pkg-template/.
# The wasm uses SIMD128 (.cargo/config.toml, for src/srp/mont/simd.rs): wasm-opt is told so explicitly (it would
# also read it from the module's target_features section), and the package does not load in engines without wasm
# SIMD (Safari before 16.4).
# --low-memory-unused lets wasm-opt fold constant offsets into loads and stores (770 B gzipped). It assumes the
# first 1 KiB of linear memory is never accessed, which holds for rustc's wasm layout: the stack comes first and
# grows down from 1 MiB towards address 0 (static data starts at 1 MiB), so those addresses are reached only by a
# stack within 1 KiB of overflowing. The deepest stack measured (SRP sign-in, refresh, device SRP sign-in, in Node:
# the lowest non-zero byte of the stack region afterwards) is 153 KiB.
WASM_OPT := wasm-opt -Os --enable-simd --low-memory-unused
# The shipped wasm is built by nightly Rust, with the standard library rebuilt for size (tests and `cargo build`
# use stable): -6.3 KB gzipped (production path 125,742 -> 119,4xx B), measured on the machine's nightly
# (rustc 1.97.0-nightly 2026-05-19; install.sh adds its rust-src and wasm32 target). What each flag does:
#   -Zbuild-std=std,panic_abort      std compiled with the crate, so LTO and opt-level "z" reach it too;
#   -Zbuild-std-features=optimize_for_size   std's smaller variants of its algorithms (sorting, formatting);
#   -Cpanic=immediate-abort          a panic is a bare trap with no message and no formatting code. On wasm a
#                                    panic already aborts the instance, with a message nobody reads (no hook);
#   -Zfmt-debug=none                 `{:?}` prints nothing (only tests use it), so no Debug code is kept;
#   -Zlocation-detail=none           no file/line strings for the panics that cannot happen anyway.
# RUSTFLAGS replaces .cargo/config.toml's, so +simd128 is repeated here.
NIGHTLY := nightly
WASM_RUSTFLAGS := -C target-feature=+simd128 -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none
WASM_BUILD_STD := -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
WASM_PACK := RUSTUP_TOOLCHAIN=$(NIGHTLY) RUSTFLAGS="$(WASM_RUSTFLAGS)" wasm-pack build . --release --target web --no-pack --no-typescript
pkg: tools
	$(WASM_PACK) --out-dir $(WASM_OUT) -- $(WASM_BUILD_STD)
	$(WASM_OPT) $(WASM_OUT)/cognito_wasm_bg.wasm -o $(WASM_OUT)/cognito_wasm_bg.wasm
	node pkg-template/assemble.mjs $(WASM_OUT) pkg

# The API reference, generated from pkg/index.d.ts with warnings as errors, into www/api/ (the demo serves it at
# /api/). Migration guides are in docs/.
docs: pkg
	typedoc --options docs/typedoc.json

test: pkg emulator docs
	tests/tools/run-tests.sh

demo: pkg emulator
	tests/tools/demo.sh

clean:
	rm -rf pkg $(WASM_OUT) tests/out www/api

# Benchmarks (tests/bench/, not part of `make test`): SRP and modexp in Node and Chromium side by side against
# amazon-cognito-identity-js and a JS BigInt baseline, the package's load time, its size, and getSession(),
# sign-in and wasm memory against the emulator. Our code is exposed through the `bench` feature's exports in a
# separate build; the shipped package has none of them.
BENCH_OUT := target/bench-pkg
bench: pkg emulator
	$(WASM_PACK) --out-dir $(BENCH_OUT) -- $(WASM_BUILD_STD) --features bench
	$(WASM_OPT) $(BENCH_OUT)/cognito_wasm_bg.wasm -o $(BENCH_OUT)/cognito_wasm_bg.wasm
	node tests/bench/run.mjs --bench-pkg $(BENCH_OUT) --out tests/bench/results.md
	node tests/bench/size.mjs

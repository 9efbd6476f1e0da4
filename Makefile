# `make demo` and `make test` install what is missing (tests/tools/install.sh), then build and run.
SHELL := /bin/bash
# binaryen's wasm-opt from npm comes first: Debian's older one corrupts wasm-bindgen's externref table.
export PATH := $(CURDIR)/tests/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

EMULATOR := target/release/cognito-emulator
WASM_OUT := target/wasm-pack

.PHONY: all tools emulator pkg test demo clean
all: pkg

tools:
	@tests/tools/install.sh

emulator: tools
	cargo build --release -p cognito-emulator

# The npm package in pkg/: wasm-pack's output, shrunk by wasm-opt, plus pkg-template/.
pkg: tools
	wasm-pack build --release --target web --out-dir $(WASM_OUT) --no-pack --no-typescript
	wasm-opt -Os $(WASM_OUT)/cognito_wasm_bg.wasm -o $(WASM_OUT)/cognito_wasm_bg.wasm
	node pkg-template/assemble.mjs $(WASM_OUT) pkg

test: pkg emulator
	tests/tools/run-tests.sh

demo: pkg emulator
	tests/tools/demo.sh

clean:
	rm -rf pkg $(WASM_OUT) tests/out

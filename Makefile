# overlap — two commands: `make demo` (serve the page) and `make test` (all three test tiers).
# Everything the targets need is installed by scripts/setup, idempotently.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(HOME)/.cargo/bin:$(PATH)
PORT ?= 8080

.PHONY: all setup setup-build pkg cli lint check test test-native test-wasm test-psl check-www test-js demo bench fuzz clean

all: pkg cli

setup:
	@scripts/setup

setup-build:
	@scripts/setup --build

## pkg: the npm package in pkg/ (wasm-bindgen ESM + Node entry, wasm-opt, package.json from pkg.json)
pkg: setup-build
	scripts/build-pkg

## cli: the native `overlap` command in target/release/
cli:
	cargo build --release -p overlap-cli

## lint: what every `make test` checks first: formatting, clippy with warnings denied, and the
## layering rules (scripts/check-layers: the core knows no JavaScript nor command line; no cycles)
lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	scripts/check-layers

## check: lint, plus clippy for wasm32, rustdoc with warnings denied and a fuzz smoke run of every
## target (FUZZ_SMOKE seconds each; installs cargo-fuzz the first time)
FUZZ_SMOKE ?= 15
check: setup-build lint
	scripts/wasm-cargo clippy -p overlap -p overlap-wasm --lib -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet
	scripts/fuzz $(FUZZ_SMOKE)

## test: lint, native core tests, wasm tests (Node + headless Chromium), the PSL differential test
## against PyPI's publicsuffixlist, package and page tests (Chromium)
test: setup
	$(MAKE) --no-print-directory lint test-native test-wasm pkg cli test-psl check-www test-js

test-psl: cli
	scripts/psl-diff

test-native:
	cargo test --workspace

test-wasm:
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner scripts/wasm-cargo test -p overlap-wasm --test wasm_node
	CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  scripts/wasm-cargo test -p overlap-wasm --test wasm_browser

## check-www: type-check the page's JavaScript (JSDoc) against the built package's declarations (make pkg first)
check-www:
	npm run --silent check-www

test-js:
	node --test --test-concurrency=1 tests/js/ tests/e2e/

## demo: build the package and serve the page on localhost (prints the address)
demo: setup-build pkg
	node scripts/serve.mjs --port $(PORT)

## bench: every benchmark, as ratios against baselines measured in the same run
bench: setup pkg
	cargo build --release --example bench_native --example ingest_speed --example gen_crm -p overlap
	cargo build --release -p overlap-cli
	node bench/run.mjs

clean:
	rm -rf target pkg node_modules bench/out tests/e2e/artifacts

## fuzz: every fuzz target (CSV reader, protocol messages and party state) for FUZZ_SECONDS each
FUZZ_SECONDS ?= 60
fuzz:
	scripts/fuzz $(FUZZ_SECONDS)

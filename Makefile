# Two entry points, each doing all of its own set-up on a fresh Debian 12 machine:
#   make serve   installs what is missing, builds, and starts the server on :50051
#   make test    installs what is missing (test tools too), builds, and runs every test
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
# Debian's libtesseract uses OpenMP; one thread per engine (the pool gives parallelism).
export OMP_THREAD_LIMIT := 1

.PHONY: serve test setup setup-test build lint test-rust test-python

serve: setup
	cargo build --release --bin idcard-server
	./target/release/idcard-server $(ARGS)

test: setup-test lint test-rust test-python

setup:
	scripts/setup.sh

setup-test:
	scripts/setup.sh --test

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	.tools/node_modules/.bin/buf lint

# Release mode: the accuracy and stage tests run the whole pipeline over the fixtures,
# which takes seconds optimized and minutes in a debug build.
test-rust:
	cargo test --workspace --release

test-python:
	cargo build --release --bin idcard-server --bin idcard
	IDCARD_SERVER_BIN=$(CURDIR)/target/release/idcard-server \
	IDCARD_CLI_BIN=$(CURDIR)/target/release/idcard python3 -m pytest -q tests/python

#!/usr/bin/env bash
# The whole test suite, on a fresh machine or a used one:
#   1. installs what it needs (scripts/setup.sh: Debian packages, cast/anvil from npm), idempotently;
#   2. checks formatting and lints;
#   3. runs every test (unit, property, public vectors, cast cross-checks, the CLI end to end, and the
#      real OS keyring through a private gnome-keyring Secret Service).
# Honours CARGO_TARGET_DIR, so a persistent target directory outside the checkout is reused.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

echo "== cargo fmt --check"
cargo fmt --all --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo test (inside a Secret Service session)"
# --all-targets also runs each criterion benchmark once, so they cannot rot; --doc runs the README examples.
scripts/keyring-session.sh cargo test --workspace --all-targets --locked
cargo test --workspace --doc --locked

#!/usr/bin/env bash
# Runs Tender. Until the app lands this is the `tender` command line; arguments are passed through.
#   scripts/run.sh phrase new
#   scripts/run.sh wallet create --data-dir ~/.tender --store file
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
cargo build --locked --quiet -p wallet-cli
exec "${CARGO_TARGET_DIR:-target}/debug/tender" "${@:---help}"

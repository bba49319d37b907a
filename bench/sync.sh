#!/usr/bin/env bash
# The balance-sync benchmark of BENCHMARKS.md: Tender vs naive per-call vs viem multicall vs the fetch
# floor, 255 balances on one local anvil. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
cargo bench --locked -p tender-devtools --bench sync

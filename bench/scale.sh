#!/usr/bin/env bash
# How cost grows (BENCHMARKS.md): shop order checks of 100 / 1 000 / 10 000 orders and a 20 × 500
# wallet (Tender, viem, naive), the chunk-size sweep, history scanning of 10 000 and 100 000 blocks;
# then the plot bench/scale.svg from bench/results/scale.json. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
cargo bench --locked -p tender-devtools --bench scale
node bench/plot-scale.mjs bench/results/scale.json bench/scale.svg

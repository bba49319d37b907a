#!/usr/bin/env bash
# The long fuzzing run behind docs/SECURITY.md: 10 million runs of every target (or N: bench/fuzz.sh N),
# one after the other, printing runs, runs per second and peak memory per target.
#   bash bench/fuzz.sh            10 000 000 runs per target (about 2 hours of one core here, 52 min of it eip681)
#   bash bench/fuzz.sh 1000000    fewer
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10000000}
shift || true
for t in ${@:-eip681 phrase vault rpc_answers multicall outside_text x402 signed nft_media}; do
  started=$(date +%s.%N)
  out=$(bash scripts/fuzz.sh runs "$runs" "$t")
  secs=$(echo "$(date +%s.%N) - $started" | bc)
  executed=$(echo "$out" | sed -n 's/^stat::number_of_executed_units: *//p' | tail -1)
  rss=$(echo "$out" | sed -n 's/^stat::peak_rss_mb: *//p' | tail -1)
  printf '%-13s %12s runs  %8.0f s  %8.0f runs/s  peak %s MiB  no crash\n' "$t" "$executed" "$secs" \
    "$(echo "$executed / $secs" | bc -l)" "$rss"
done

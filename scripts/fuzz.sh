#!/usr/bin/env bash
# Fuzzes every parser of outside input with cargo-fuzz (libFuzzer), on the stable toolchain
# (RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its sanitizer flags).
#   bash scripts/fuzz.sh smoke          each target for a few seconds on its committed corpus (CI)
#   bash scripts/fuzz.sh runs N [T…]    N runs of each target (or of targets T…), corpus growing in
#                                       fuzz/target/corpus/<target> (bench/fuzz.sh records the figures)
# A crash, a panic, a leak or a timeout fails the run; libFuzzer leaves the input in fuzz/artifacts/.
# Honours CARGO_TARGET_DIR. Installs cargo-fuzz when missing (scripts/setup.sh does too).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-smoke}
shift || true
runs=0
if [ "$mode" = runs ]; then
  runs=${1:?usage: fuzz.sh runs N [TARGET…]}
  shift
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(eip681 phrase vault rpc_answers multicall outside_text x402 signed nft_media)
fi

cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
if ! "$cargo_bin/cargo-fuzz" --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --version '^0.13' --locked --quiet
fi

export RUSTC_BOOTSTRAP=1
# One target directory for the fuzz build, apart from the workspace's (other flags, other artifacts):
# fuzz/target, or beside a persistent CARGO_TARGET_DIR.
fuzz_target_dir="$PWD/fuzz/target"
if [ -n "${CARGO_TARGET_DIR:-}" ]; then fuzz_target_dir="$CARGO_TARGET_DIR/fuzz"; fi
(cd fuzz && cargo fuzz build -O --target-dir "$fuzz_target_dir" >/dev/null)

for t in "${targets[@]}"; do
  seeds="fuzz/corpus/$t"
  if [ "$mode" = smoke ]; then
    # The committed corpus only (read, never written), for a few seconds.
    work=$(mktemp -d)
    # Not `… | grep … || true`: under pipefail a crash makes the pipeline fail, `|| true` runs, and
    # PIPESTATUS is then true's: every crash passed as "ok".
    set +e
    (cd fuzz && cargo fuzz run -O --target-dir "$fuzz_target_dir" "$t" "$work" "../$seeds" -- \
      -max_total_time="${TENDER_FUZZ_SECONDS:-10}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1) \
      | grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done)|ERROR|panicked|SUMMARY'
    status=${PIPESTATUS[0]}
    set -e
    rm -rf "$work"
  else
    grown="$fuzz_target_dir/corpus/$t"
    mkdir -p "$grown"
    set +e
    (cd fuzz && cargo fuzz run -O --target-dir "$fuzz_target_dir" "$t" "$grown" "../$seeds" -- \
      -runs="$runs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1) \
      | grep -E '^(stat::|Done)|ERROR|panicked|SUMMARY'
    status=${PIPESTATUS[0]}
    set -e
  fi
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $t failed (input in fuzz/artifacts/$t/)" >&2
    exit 1
  fi
  echo "fuzz: $t ok"
done

#!/usr/bin/env bash
# App benchmarks (numbers in BENCHMARKS.md): builds the release app and its .deb/.rpm with the Tauri CLI,
# then measures, through tauri-driver in Xvfb, over $RUNS launches (default 5):
#   - cold start: process launch → unlock screen painted;
#   - unlock → balances painted from the cache (the RPC is down on purpose: cache only);
#   - idle memory (RSS) 10 s after the home screen, of the app process and with its WebKit processes;
#   - where the app process's memory is (by mapping), and the page's own timeline of unlock → paint;
# and prints the release binary and package sizes. With TENDER_BENCH_INNER=1 (inside Xvfb and a
# session bus already) it skips the build and measures what is built.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target="${CARGO_TARGET_DIR:-$root/target}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if [ -z "${TENDER_BENCH_INNER:-}" ]; then
  bash scripts/setup.sh >/dev/null
  bash scripts/ui-build.sh
  cargo build --locked --release -p wallet-cli
  ui/node_modules/.bin/tauri build --bundles deb rpm >/dev/null
  export TENDER_BENCH_INNER=1
  exec xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- bash "$0" "$@"
fi
source scripts/lib.sh
tender="$target/release/tender"
data="$work/wallet"
service devnet "$tender" devnet --data-dir "$data"
rpc=$(json "$work/devnet.json" rpc_url)
echo "test test test test test test test test test test test junk" |
  TENDER_PASSWORD=bench-password "$tender" wallet restore --data-dir "$data" --store file --rpc "$rpc" >/dev/null
"$tender" balance --data-dir "$data" >/dev/null
kill -TERM "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true   # from here on: cache only
tauri-driver --port 4450 --native-port 4451 > "$work/driver.log" 2>&1 &
pids+=($!)
wait_port 4450
# TENDER_APP_BIN measures another build of the app (one of bench/profile-lab.sh's steps, say).
app="${TENDER_APP_BIN:-$target/release/tender-app}"
APP="$app" DATA="$data" RUNS="${RUNS:-5}" node bench/app-start.mjs
echo "release binary: $(du -b "$app" | cut -f1) bytes"
ls -l "$target"/release/bundle/deb/*.deb "$target"/release/bundle/rpm/*.rpm | awk '{print $9": "$5" bytes"}'

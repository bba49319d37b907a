#!/usr/bin/env bash
# End-to-end tests of the real app (tests/e2e): builds the UI and the app, starts the dev chain and the
# merchant checkout page, tauri-driver (WebKitWebDriver) in Xvfb, inside a private D-Bus session with
# an unlocked gnome-keyring, and runs the WebdriverIO tests. Screenshots land in target/e2e-screenshots/ (docs/screenshots/ with TENDER_UPDATE_SCREENSHOTS=1).
# Expects scripts/setup.sh to have run (scripts/test.sh runs both).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target="${CARGO_TARGET_DIR:-$root/target}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

if [ -z "${TENDER_E2E_INNER:-}" ]; then
  bash scripts/ui-build.sh
  # The demo's app (dev-chain) with the core's test hooks (a wrong clock for one test:
  # TENDER_CLOCK_SKEW_FILE).
  cargo build --locked -p tender-app --features tender-app/dev-chain,tender-app/test-util -p wallet-cli
  export TENDER_E2E_INNER=1
  # xvfb-run gives a display; keyring-session.sh a session bus with an unlocked Secret Service.
  exec xvfb-run -a -s "-screen 0 1280x1024x24" scripts/keyring-session.sh bash "$0" "$@"
fi

source scripts/lib.sh
tender="$target/debug/tender"
export DATA_DIR_A="$work/wallet-a"
# The app keeps the language last chosen on the device in its config folder: the tests' own.
export XDG_CONFIG_HOME="$work/config"
mkdir -p "$DATA_DIR_A"
# A block per transaction only (the demo's chain makes one every 2 s): the end-to-end tests idle it for
# over a minute, its clock standing still, before paying a gasless checkout.
service devnet "$tender" devnet --block-time 0 --data-dir "$DATA_DIR_A"
export TENDER_RPC=$(json "$work/devnet.json" rpc_url)
service merchant "$tender" merchant --rpc "$TENDER_RPC"
export MERCHANT_URL=$(json "$work/merchant.json" url)
export GASLESS_URL=$(json "$work/merchant.json" gasless_url)
# What the app's clock is off by, in seconds, while this file exists (a test build's hook; tauri-driver
# passes its environment to the app it starts, the chain and the merchant above do not have it).
export TENDER_CLOCK_SKEW_FILE="$work/clock-skew"
# Files the person saves from the app (a payment's proof) go to the downloads folder the XDG user
# directories name: the tests' own, never this machine's home.
export TENDER_E2E_DOWNLOADS="$work/downloads"
mkdir -p "$XDG_CONFIG_HOME" "$TENDER_E2E_DOWNLOADS"
printf 'XDG_DOWNLOAD_DIR="%s"\n' "$TENDER_E2E_DOWNLOADS" > "$XDG_CONFIG_HOME/user-dirs.dirs"
tauri-driver --port 4444 > "$work/tauri-driver.log" 2>&1 &
pids+=($!)
wait_port 4444

export TENDER_APP="$target/debug/tender-app"
export CAST="$root/tools/node_modules/@foundry-rs/cast-linux-amd64/bin/cast"
export E2E_DIR="$work"
# The committed screenshots change on every run (random addresses): a test run writes them under
# target/ and leaves the checkout clean; TENDER_UPDATE_SCREENSHOTS=1 refreshes docs/screenshots/.
if [ -n "${TENDER_UPDATE_SCREENSHOTS:-}" ]; then
  export SCREENSHOTS="${SCREENSHOTS:-$root/docs/screenshots}"
else
  export SCREENSHOTS="${SCREENSHOTS:-${CARGO_TARGET_DIR:-$root/target}/e2e-screenshots}"
fi
# The app under test uses the real keyring (this session's gnome-keyring).
unset TENDER_STORE
status=0
# TENDER_E2E_ONLY=PATTERN runs only the tests whose names match (while working on one).
only=()
[ -n "${TENDER_E2E_ONLY:-}" ] && only=("--test-name-pattern=$TENDER_E2E_ONLY")
(cd tests/e2e && node --test --test-concurrency=1 "${only[@]}" app.test.mjs) || status=$?
if [ "$status" -ne 0 ]; then
  echo "== tauri-driver log"; tail -n 50 "$work/tauri-driver.log"
fi
exit "$status"

#!/usr/bin/env bash
# Runs Tender.
#   bash scripts/run.sh            the demo: installs what it needs, starts the local dev chain with the
#                                  store token (unless a network is already saved), a merchant checkout
#                                  page on localhost (its QR is a gasless x402 checkout, served by the
#                                  official x402 packages), and the app. A wallet created in the app gets
#                                  100 STORE from the dev chain and no ether at all: it pays with no fee,
#                                  as a shopper who only ever received the store token. Data: $TENDER_DATA_DIR or
#                                  ~/.local/share/tender-demo. Stops everything when the app closes.
#   bash scripts/run.sh another [DIR]
#                                  a second app, with its own data folder (DIR, default the demo's folder
#                                  with "-2"), on the running demo's dev chain: restore the demo wallet's
#                                  phrase in it and see the same address and balance.
#   bash scripts/run.sh cli ARGS…  the `tender` command line (for example: cli phrase new)
# Without a desktop session (no session bus) the app gets a keyring of its own, kept in the data folder
# (gnome-keyring, unlocked for the demo), as a desktop's keyring would hold the wallet.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bash scripts/setup.sh >/dev/null
target="${CARGO_TARGET_DIR:-$root/target}"
tender="$target/debug/tender"

if [ "${1:-}" = "cli" ]; then
  shift
  cargo build --locked --quiet -p wallet-cli
  exec "$tender" "$@"
fi

# launch DIR: the demo's app on data folder DIR, until its window closes.
launch() {
  local dir=$1
  local app=("$target/debug/tender-app" "--data-dir=$dir")
  if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "no display: running the app in Xvfb (headless)"
    app=(xvfb-run -a "${app[@]}")
  fi
  if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
    echo "no desktop session: the app's keyring is kept in $dir/keyring"
    app=(env TENDER_KEYRING_HOME="$dir/keyring" bash "$root/scripts/keyring-session.sh" "${app[@]}")
  fi
  # The app's own output (GTK's and dconf's warnings on a bare desktop) goes to a file, so that the
  # addresses above stay the last thing on screen.
  echo "the app's log: $dir/app.log"
  "${app[@]}" > "$dir/app.log" 2>&1
}

bash scripts/ui-build.sh
# The demo's app: the dev-chain feature (a shopper's build has no dev chain). Nothing changed, nothing
# is rebuilt: the window opens at once.
cargo build --locked --quiet -p tender-app --features tender-app/dev-chain -p wallet-cli
dir="${TENDER_DATA_DIR:-$HOME/.local/share/tender-demo}"
mkdir -p "$dir"
source scripts/lib.sh

if [ "${1:-}" = "another" ]; then
  # The running demo's dev chain, as its data folder saved it.
  other="${2:-$dir-2}"
  rpc=$(node -e 'const n=JSON.parse(require("fs").readFileSync(process.argv[1]));if(n.kind!=="devnet")process.exit(1);console.log(n.rpc_url)' "$dir/network.json" 2>/dev/null) ||
    { echo "no demo is running: start it first with bash scripts/run.sh" >&2; exit 1; }
  cast="$root/tools/node_modules/@foundry-rs/cast-linux-amd64/bin/cast"
  "$cast" chain-id --rpc-url "$rpc" >/dev/null 2>&1 ||
    { echo "the demo's dev chain ($rpc) does not answer: start the demo first with bash scripts/run.sh" >&2; exit 1; }
  mkdir -p "$other"
  cp "$dir/network.json" "$other/network.json"
  echo "a second data folder, $other, on the demo's dev chain $rpc: restore the demo wallet's phrase in it"
  launch "$other"
  exit 0
fi

# The dev chain lives as long as the demo; a saved dev-chain network from an earlier run is replaced
# (its chain is gone). Another saved network (Settings → Network) is kept and used.
saved=$(cat "$dir/network.json" 2>/dev/null || true)
rpc=""
if [ -z "$saved" ] || grep -q '"devnet"' <<<"$saved"; then
  rm -f "$dir/chain.sqlite"   # balances and history of the previous, vanished dev chain
  service devnet "$tender" devnet --data-dir "$dir"
  rpc=$(json "$work/devnet.json" rpc_url)
  echo "dev chain: $rpc (chain 31337, STORE token 0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35)"
  service merchant "$tender" merchant --rpc "$rpc"
  echo "merchant checkout page: $(json "$work/merchant.json" url) (gasless checkout: $(json "$work/merchant.json" gasless_url))"
  # Test funds for the wallet the person creates or restores (public anvil dev key, dev chain only):
  # the store token only, no ether, so the demo is the gasless checkout.
  cast="$root/tools/node_modules/@foundry-rs/cast-linux-amd64/bin/cast"
  funder=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
  (
    while sleep 1; do
      [ -f "$dir/wallet.json" ] || continue
      address=$("$tender" --json wallet info --data-dir "$dir" 2>/dev/null |
        node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).wallet.accounts[0].address))') || continue
      "$cast" send --rpc-url "$rpc" --private-key "$funder" 0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35 \
          'transfer(address,uint256)' "$address" 100000000000000000000 >/dev/null &&
        echo "test funds sent to $address: 100 STORE (no ETH: pay with no fee)" && break
    done
  ) &
  pids+=($!)
fi

launch "$dir"

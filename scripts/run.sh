#!/usr/bin/env bash
# Runs Tender. Until the app lands, this is the `tender` command line.
#   bash scripts/run.sh                 the demo: a local dev chain with the store token, a dev wallet
#                                       (the public dev phrase, in $TENDER_DATA_DIR or
#                                       ~/.local/share/tender-dev), its balances; runs until Ctrl-C
#   bash scripts/run.sh ARGS…           `tender ARGS…` (for example: phrase new, wallet create --data-dir …)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
cargo build --locked --quiet -p wallet-cli
tender="${CARGO_TARGET_DIR:-target}/debug/tender"
if [ "$#" -gt 0 ]; then
  exec "$tender" "$@"
fi

dir="${TENDER_DATA_DIR:-$HOME/.local/share/tender-dev}"
# The dev wallet holds only the public dev phrase's test funds; its password is no secret.
export TENDER_PASSWORD="${TENDER_PASSWORD:-tender-dev-wallet}"
fifo=$(mktemp -u); mkfifo "$fifo"
"$tender" devnet --data-dir "$dir" > "$fifo" &
devnet=$!
trap 'kill -TERM $devnet 2>/dev/null; wait $devnet 2>/dev/null; rm -f "$fifo"' EXIT INT TERM
read -r info < "$fifo"
echo "dev chain: $info"
if [ ! -f "$dir/wallet.json" ]; then
  echo "test test test test test test test test test test test junk" |
    "$tender" wallet restore --data-dir "$dir" --store file --rpc "$(echo "$info" | sed 's/.*"rpc_url":"\([^"]*\)".*/\1/')" >/dev/null
fi
"$tender" balance --data-dir "$dir"
cat <<TXT

Try, in another terminal (TENDER_PASSWORD=$TENDER_PASSWORD):
  $tender pay 'ethereum:0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35@31337/transfer?address=0x4242424242424242424242424242424242424242&uint256=12.5e18&label=Corner%20Shop' --data-dir $dir --store file --yes
  $tender history --data-dir $dir
The dev chain runs until Ctrl-C.
TXT
wait $devnet

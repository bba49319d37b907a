#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a real Secret Service (gnome-keyring), unlocked
# headlessly, so the OS-keyring code is tested against the real thing.
#   scripts/keyring-session.sh cargo test
# The keyring lives in a throw-away folder, never the user's own; with TENDER_KEYRING_HOME=DIR it lives
# in DIR and is kept (the demo's keyring, beside its data folder, so its wallet unlocks next time).
set -euo pipefail
if [ -z "${TENDER_IN_KEYRING_SESSION:-}" ]; then
  export TENDER_IN_KEYRING_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi
if [ -n "${TENDER_KEYRING_HOME:-}" ]; then
  keyring_home=$TENDER_KEYRING_HOME
  mkdir -p "$keyring_home"
  chmod 700 "$keyring_home"
else
  keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/tender-keyring.XXXXXX")
  trap 'rm -rf "$keyring_home"' EXIT
fi
# gnome-keyring keeps its files under XDG_DATA_HOME: a fresh one per run leaves nothing behind; a kept
# one (the demo's) is unlocked with this script's fixed password, so it is for demo wallets only.
export XDG_DATA_HOME="$keyring_home/data"
mkdir -p "$XDG_DATA_HOME"
# Creating and unlocking the login keyring with a password on stdin works without any prompt.
eval "$(printf 'tender-test-keyring' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
export GNOME_KEYRING_CONTROL
export TENDER_REQUIRE_KEYRING=1
"$@"

#!/usr/bin/env bash
# The whole test suite, on a fresh machine or a used one:
#   1. installs what it needs (scripts/setup.sh: Debian packages, cast/anvil from npm), idempotently;
#   2. checks formatting and lints;
#   3. runs every test (UI unit/component tests, Rust unit, property, public vectors, cast cross-checks,
#      the hostile-node and hostile-token tests, the CLI end to end with SIGKILL fault injection, the
#      real OS keyring through a private gnome-keyring Secret Service, a short fuzzing run of every
#      parser of outside input, and the real app end to end in a WebKit window under Xvfb).
# Honours CARGO_TARGET_DIR, so a persistent target directory outside the checkout is reused.
set -euo pipefail
cd "$(dirname "$0")/.."

# Neither the set-up nor the tests may change a tracked file (a lock file rewritten by npm, a
# generated file out of date): what they leave is compared with what was there before. The update modes
# (TENDER_UPDATE_BINDINGS, TENDER_UPDATE_SCREENSHOTS) change tracked files on purpose.
tracked_state() { git status --porcelain=v1 --untracked-files=no 2>/dev/null; git diff 2>/dev/null | sha256sum; }
check_tracked() {
  [ -n "${TENDER_UPDATE_BINDINGS:-}${TENDER_UPDATE_SCREENSHOTS:-}" ] && return 0
  if [ "$(tracked_state)" != "$before" ]; then
    echo "$1 modified tracked files:" >&2
    git status --short --untracked-files=no >&2
    exit 1
  fi
}
before=$(tracked_state)

bash scripts/setup.sh
check_tracked "set-up"

# On CI (a fresh clone, built once): no incremental caches, which would only fill the disk.
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL=0; fi

echo "== ui: types, unit and component tests, build"
# The build comes first: the app embeds ui/dist when it compiles.
(cd ui && npx --no-install tsc --noEmit && npx --no-install vitest run)
bash scripts/ui-build.sh

echo "== cargo fmt --check"
cargo fmt --all --check

echo "== dependency policy"
# One k256 in the tree (the version alloy uses), and one BIP39 implementation (alloy's mnemonic
# feature, which brings coins-bip39, stays off).
if cargo tree --workspace --locked -e normal --target all -d | grep -E '^(k256|bip39|bip32) '; then
  echo "a key-handling crate appears in two versions" >&2; exit 1
fi
if cargo tree --workspace --locked -e normal --target all -i coins-bip39 >/dev/null 2>&1; then
  echo "coins-bip39 is in the tree: alloy's mnemonic feature must stay off" >&2; exit 1
fi

# The shipped app links no dev tooling (the dev chain, the demo merchant, the public dev phrase): only the
# demo's and the tests' builds turn on its `dev-chain` feature.
if cargo tree -p tender-app -e normal --locked --target all | grep "tender-devtools" >/dev/null; then
  echo "the release app's dependency tree has the dev tooling (tender-devtools)" >&2; exit 1
fi

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== mobile: the core and the app type-check (and pass clippy) for Android, the core for iOS"
bash scripts/mobile-check.sh
# Its target folder is never reused by what follows; on CI it goes, so the disk holds one build at a time.
if [ "${CI:-}" = true ]; then rm -rf "${CARGO_TARGET_DIR:-target}/mobile"; fi

echo "== cargo test (inside a Secret Service session)"
# --all-targets also runs each criterion benchmark once, so they cannot rot; --doc runs the README examples.
scripts/keyring-session.sh cargo test --workspace --all-targets --locked
cargo test --workspace --doc --locked

echo "== fuzz smoke: every target 10 s on its committed corpus (bash bench/fuzz.sh runs them long)"
bash scripts/fuzz.sh smoke
if [ "${CI:-}" = true ]; then rm -rf "${CARGO_TARGET_DIR:+$CARGO_TARGET_DIR/fuzz}" fuzz/target; fi

echo "== end to end: the real app in WebKit (tauri-driver), dev chain, merchant page"
bash scripts/e2e.sh

check_tracked "the tests"
echo "== all tests passed; no tracked file changed"

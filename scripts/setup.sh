#!/usr/bin/env bash
# Installs everything Tender's build and tests need, idempotently: Debian packages (a headless Secret
# Service for the real keyring tests) and the npm tools in tools/ (foundry's cast and anvil, the official
# x402 packages).
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

# gnome-keyring, dbus, libsecret-tools: a real Secret Service for the keyring tests; procps (kill) and
# util-linux (setsid): signals and terminal-less runs in the CLI tests. The app (Tauri 2 on Linux):
# WebKitGTK and its friends to build it; xvfb + xauth to run it headless; webkit2gtk-driver
# (WebKitWebDriver) for the end-to-end tests; file and rpm for the .deb/.rpm bundles; Debian's aarch64
# gcc and C library headers stand in for the NDK's C compiler when the mobile builds are type-checked
# (scripts/mobile-check.sh).
APT_PACKAGES=(gnome-keyring dbus dbus-daemon libsecret-tools procps util-linux
  build-essential pkg-config libssl-dev libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev
  xvfb xauth webkit2gtk-driver file rpm
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "setup: cargo (Rust ${RUST_VERSION:-1.88+}) is required: https://rustup.rs" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: node 20+ and npm are required" >&2; exit 1; }

# npm tools: reinstalled only when package-lock.json changed since the last install.
stamp=tools/node_modules/.tender-stamp
inputs_hash() { { cat tools/package.json; cat tools/package-lock.json 2>/dev/null || true; } | sha256sum | cut -c1-16; }
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$(inputs_hash)" ]; then
  echo "setup: installing npm tools (cast, anvil, solc, the x402 packages)"
  # `npm ci`: exactly the committed lock, which it never rewrites (`npm install` added the other
  # platforms' optional packages to it on some npm versions, leaving a tracked file modified). The lock
  # lists every platform's binary package of cast and anvil; npm installs this platform's.
  npm ci --prefix tools --no-audit --no-fund --loglevel=error
  inputs_hash > "$stamp"
fi
tools/node_modules/.bin/cast --version | head -1

# The UI (Vite, Preact, vitest) and the end-to-end tests (WebdriverIO): installs from the locks, redone only
# when a lock file changed.
for dir in ui tests/e2e; do
  stamp="$dir/node_modules/.tender-stamp"
  hash=$(sha256sum "$dir/package-lock.json" | cut -c1-16)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
    echo "setup: installing npm packages in $dir"
    # `npm ci`, as for tools/: the committed lock, complete for every platform, never rewritten.
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
    echo "$hash" > "$stamp"
  fi
done

cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
# The Rust standard libraries of the phones' targets, for scripts/mobile-check.sh (type-checking only).
for target in aarch64-linux-android aarch64-apple-ios; do
  rustup target list --installed | grep -qx "$target" || rustup target add "$target"
done
# cargo-fuzz (libFuzzer driver for the fuzz targets in fuzz/; works on stable with RUSTC_BOOTSTRAP=1),
# built once.
if ! "$cargo_bin/cargo-fuzz" --version >/dev/null 2>&1; then
  echo "setup: installing cargo-fuzz"
  cargo install cargo-fuzz --version '^0.13' --locked --quiet
fi

# tauri-driver 2.x (the WebDriver bridge for Tauri apps; never the 3.x alphas), built once.
if ! "$cargo_bin/tauri-driver" --help >/dev/null 2>&1; then
  echo "setup: installing tauri-driver 2.x"
  cargo install tauri-driver --version '^2' --locked --quiet
fi

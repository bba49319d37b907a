#!/usr/bin/env bash
# Type-checks the mobile builds, so that a desktop-only call cannot slip into code that phones run:
# `cargo check` and clippy of the core and the app for Android (aarch64-linux-android), and of the core
# for iOS (aarch64-apple-ios). No linking and no packaging: there is no Android NDK or Apple SDK here.
# The C code of build scripts (bundled SQLite) is compiled by Debian's aarch64 gcc standing in for the
# NDK's clang (scripts/setup.sh installs it and the two Rust targets). The app is not checked for iOS:
# its Objective-C build scripts need the Apple SDK.
set -euo pipefail
cd "$(dirname "$0")/.."
export CC_aarch64_linux_android=aarch64-linux-gnu-gcc AR_aarch64_linux_android=aarch64-linux-gnu-ar
# For iOS, cc-rs asks xcrun for the SDK unless SDKROOT is set, and adds Apple-only flags that
# scripts/aarch64-cc drops.
export CC_aarch64_apple_ios="$PWD/scripts/aarch64-cc" AR_aarch64_apple_ios=aarch64-linux-gnu-ar
export SDKROOT=/usr/aarch64-linux-gnu
# Mobile type-checks share one target folder of their own (they never reuse host artefacts anyway).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/mobile"
lint=(-- -D warnings)
cargo clippy --quiet --target aarch64-linux-android -p wallet-core -p tender-app "${lint[@]}"
cargo clippy --quiet --target aarch64-apple-ios -p wallet-core "${lint[@]}"
echo "mobile: core and app type-check for Android, core for iOS"

#!/usr/bin/env bash
# The release profile, step by step (BENCHMARKS.md "Release profile"): builds the app and its .deb with
# the Tauri CLI once per step, each step's profile given through Cargo's CARGO_PROFILE_RELEASE_*
# variables, in its own target folder (target/profile-lab, so target/release is left alone), and prints
# the binary's size, its size once stripped of symbols (binutils `strip`; the same when the step strips
# already) and the .deb's. Steps (each adds to the one before): base (Cargo.toml's profile as it is),
# strip (`strip = "symbols"`), thin (LTO thin), fat (LTO fat, one codegen unit), fat-s (`opt-level =
# "s"`); STEPS="thin fat fat-s" by default.
# Each step is a full build of the dependency tree: about 15 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
bash scripts/setup.sh >/dev/null
bash scripts/ui-build.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}/profile-lab"
out="$CARGO_TARGET_DIR/steps"
mkdir -p "$out"
for step in ${STEPS:-thin fat fat-s}; do
  case "$step" in
    base) vars=() ;;
    strip) vars=(CARGO_PROFILE_RELEASE_STRIP=symbols) ;;
    thin) vars=(CARGO_PROFILE_RELEASE_STRIP=symbols CARGO_PROFILE_RELEASE_LTO=thin) ;;
    fat) vars=(CARGO_PROFILE_RELEASE_STRIP=symbols CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1) ;;
    fat-s) vars=(CARGO_PROFILE_RELEASE_STRIP=symbols CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
                 CARGO_PROFILE_RELEASE_OPT_LEVEL=s) ;;
    *) echo "unknown step $step" >&2; exit 2 ;;
  esac
  started=$(date +%s)
  rm -f "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb
  env "${vars[@]}" ui/node_modules/.bin/tauri build --bundles deb >"$out/$step.log" 2>&1
  took=$(( $(date +%s) - started ))
  cp "$CARGO_TARGET_DIR/release/tender-app" "$out/tender-app-$step"
  strip -o "$out/tender-app-$step-stripped" "$out/tender-app-$step"
  deb=$(ls "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb)
  cp "$deb" "$out/tender-$step.deb"
  echo "$step (${vars[*]:-Cargo.toml}): built in ${took} s; binary $(stat -c %s "$out/tender-app-$step") bytes, stripped $(stat -c %s "$out/tender-app-$step-stripped"), .deb $(stat -c %s "$deb")"
done

#!/usr/bin/env bash
# Builds the UI into ui/dist (the app embeds it when it compiles), only when its sources changed since
# the last build: a new dist, even an identical one, makes cargo rebuild the app (about 40 s here), so
# `bash scripts/run.sh` started the window 40 s late every time.
set -euo pipefail
cd "$(dirname "$0")/../ui"
stamp=node_modules/.tender-dist.sha256
sum=$(find src public index.html vite.config.ts tsconfig.json package-lock.json -type f \
        ! -name '*.test.ts' ! -name '*.test.tsx' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if [ -f dist/index.html ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
  exit 0
fi
npx --no-install vite build --logLevel warn
echo "$sum" > "$stamp"

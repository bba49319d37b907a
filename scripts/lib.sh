# Shared by scripts/run.sh, scripts/e2e.sh and bench/app.sh (sourced): background services that stop
# when the script exits, and the one-JSON-line handshake of `tender devnet` and `tender merchant`.

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# json FILE KEY: one field of the JSON object in FILE.
json() { node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1]))[process.argv[2]])' "$1" "$2"; }

# service NAME COMMAND…: runs COMMAND in the background, its standard output in $work/NAME.json, and
# waits (up to 30 s) for its first line.
service() {
  local name=$1
  shift
  "$@" > "$work/$name.json" &
  pids+=($!)
  for _ in $(seq 150); do [ -s "$work/$name.json" ] && return 0; sleep 0.2; done
  echo "$name did not start" >&2
  return 1
}

# wait_port PORT: waits (up to 20 s) until something listens on the loopback PORT.
wait_port() {
  for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done
  echo "nothing listens on port $1" >&2
  return 1
}

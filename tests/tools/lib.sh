# Shared by run-tests.sh and demo.sh: starting the emulator and servers, and stopping them on exit.

PIDS=()
stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for URL PID NAME LOG: polls URL until it answers, failing early if the process died.
wait_for() {
  local url=$1 pid=$2 name=$3 log=$4
  for _ in $(seq 1 100); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited before it was ready:"; cat "$log"; return 1
    fi
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$name did not answer at $url within 10 s:"; cat "$log"; return 1
}

# start_emulator PORT LOG [ARGS...]: runs the release emulator on PORT in the background.
start_emulator() {
  local port=$1 log=$2; shift 2
  target/release/cognito-emulator --port "$port" "$@" >"$log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$port/__emulator__/health" "$!" "cognito-emulator" "$log"
}

# start_www PORT LOG: serves www/ and pkg/ on PORT in the background.
start_www() {
  local port=$1 log=$2
  node www/serve.mjs --port "$port" >"$log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$port/" "$!" "www server" "$log"
}

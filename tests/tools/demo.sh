#!/usr/bin/env bash
# The demo: the emulator and a static server for www/ on 127.0.0.1, until Ctrl-C stops both.
# Run through `make demo`, which builds the package and the emulator and installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/tools/lib.sh
trap stop_all EXIT
trap 'echo; echo "stopping"; exit 0' INT TERM

emulator_port=${EMULATOR_PORT:-9229}
demo_port=${DEMO_PORT:-8080}
mkdir -p target/demo
# Users survive demo restarts; delete target/demo/emulator-state.json to start afresh.
# --callback-url: the default pool's managed login (Google, Facebook, Apple, Amazon) returns to the demo page.
start_emulator "$emulator_port" target/demo/emulator.log --state-file target/demo/emulator-state.json \
  --callback-url "http://127.0.0.1:$demo_port/" --callback-url "http://localhost:$demo_port/"
start_www "$demo_port" target/demo/www.log

cat <<MSG

  Demo:      http://127.0.0.1:$demo_port/
  Emulator:  http://127.0.0.1:$emulator_port/  (pool us-east-1_Emul4tor, client emulatorclient0000000000000)
  "Sign in with Google" / "Facebook" go through the emulator's managed login and simulated providers.
  Confirmation codes are printed below as they are sent.
  Ctrl-C stops both.

MSG
tail -n0 -f target/demo/emulator.log | grep --line-buffered "code for" &
PIDS+=($!)
wait "${PIDS[0]}"

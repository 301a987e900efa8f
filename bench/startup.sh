#!/usr/bin/env bash
# Time from `java -jar` to the first accepted request, and resident memory when idle, of the
# embedded default in a fresh temporary data folder: once cold (CAs, TLS and database created) and
# once warm (restart on the same folder). Loopback only; uses ports 8443, 8444 and 8080.
#   bench/startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
jar=$PWD/server/target/sote-acme-server.jar
[ -f "$jar" ] || mvn -q -B -DskipTests package
work=$(mktemp -d)
trap 'pkill -f "$jar" 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"

measure() {
  local label=$1 start end pid
  start=$(date +%s.%N)
  java -jar "$jar" >"$work/$label.log" 2>&1 &
  pid=$!
  local tries=0
  until curl -sf --max-time 2 --cacert data/tls/ca.pem https://localhost:8443/directory >/dev/null 2>&1; do
    tries=$((tries + 1))
    if ! kill -0 "$pid" 2>/dev/null || [ "$tries" -gt 1200 ]; then
      cat "$work/$label.log"
      exit 1
    fi
    sleep 0.05
  done
  end=$(date +%s.%N)
  sleep 5
  printf '%s start to first accepted request: %.2f s; idle RSS of the server JVM: %s\n' \
    "$label" "$(echo "$end - $start" | bc)" "$(grep VmRSS /proc/$pid/status | awk '{print $2, $3}')"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

measure cold
measure warm

#!/usr/bin/env bash
# Memory soak (see bench/scale/README.md): starts the server jar on loopback in a temporary folder
# (embedded PostgreSQL, validation.skipForTestProfiles), runs `sote-acme bench` for the given
# minutes, samples the server's VmRSS every 10 s, and compares the first and the last minute. Also
# counts used_nonce rows (they must stay bounded: pruned as they expire).
#   bench/soak.sh [minutes=10] [clients=8] [nonce lifetime minutes=60]
# The server prunes expired used nonces every 10 minutes; a nonce lifetime of 5 minutes shows the
# pruning at the end of a 10-minute soak.
# SOTE_ACME_JAVA_OPTS overrides the server's JVM options (default in bench/scale/lib.sh); KEEP=1
# keeps the temporary folder.
set -euo pipefail
MINUTES=${1:-10}
CLIENTS=${2:-8}
EXTRA_CONFIG="\"nonceLifetimeMinutes\": ${3:-60}"
. "$(dirname "$0")/scale/lib.sh"
build_jars
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
start_server
echo "soak: $MINUTES min at $CLIENTS clients; load average before: $LOAD_BEFORE; $(nproc) cores" >&2
start_sampler 10
phase soak
# used_nonce rows every 60 s
(while kill -0 "$SOTE_PID" 2>/dev/null; do
   echo "$(date +%s) $(sql -At -c 'select count(*) from used_nonce' 2>/dev/null || echo -)" >>"$WORK/nonces"
   sleep 60
 done) &
NONCE_PID=$!
acme_bench "$WORK/soak.json" "$CLIENTS" "${MINUTES}m" 0s
kill "$NONCE_PID" 2>/dev/null || true
phase done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

START=$(awk '$2 == "soak" {print $1; exit}' "$WORK/rss")
echo
echo "soak: $MINUTES min, $CLIENTS clients, nonce lifetime ${3:-60} min, server JVM options: ${SERVER_JAVA_OPTS:-none}, MALLOC_ARENA_MAX=${SERVER_MALLOC_ARENA_MAX:-unset}"
echo "load average before $LOAD_BEFORE, after $LOAD_AFTER"
echo "VmRSS of the server every 10 s (s since start, MB):"
awk -v s="$START" '$2 == "soak" {printf "%s:%.0f ", $1 - s, $3 / 1024} END {print ""}' "$WORK/rss" | fold -s -w 100
awk -v s="$START" -v m="$MINUTES" '$2 == "soak" {
    t = $1 - s
    if (t < 60) { f += $3; fn++ }
    if (t >= (m - 1) * 60) { l += $3; ln++ }
    if ($3 > max) max = $3
  } END {
    printf "first minute mean %.0f MB, last minute mean %.0f MB, growth %+.1f%%, max %.0f MB (target: <= 300 MB, flat)\n",
      f / fn / 1024, l / ln / 1024, (l / ln - f / fn) * 100 / (f / fn), max / 1024
  }' "$WORK/rss"
echo "used_nonce rows each minute: $(awk '{printf "%s ", $2}' "$WORK/nonces")"
jq -r '"issued \(.certificates) certificates, \(.certificatesPerSecond) /s, full flow p99 \(.steps["full flow"].p99Ms) ms, errors \([.errors[]] | add // 0), CPU \(.cpuMsPerCertificate) ms/cert"' "$WORK/soak.json"

# Shared by bench/scale/run.sh and bench/soak.sh (sourced, bash): starts the sote-acme server jar
# on loopback in a temporary folder, like bench/side-by-side.sh, and samples its resident memory.
# Sets ROOT, WORK, DATA, SOTE_PID, PG_PID, PG_PORT, SOTE_PORT, ADMIN_PORT, STATUS_PORT, SOTE_DIR.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SERVER_JAR="$ROOT/server/target/sote-acme-server.jar"
CLIENT_JAR="$ROOT/client-java/target/sote-acme.jar"
# The JVM options the server is measured with (override with SOTE_ACME_JAVA_OPTS; see
# bench/scale/README.md for why these).
SERVER_JAVA_OPTS=${SOTE_ACME_JAVA_OPTS-"-Xmx112m -Xss512k -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=64m -XX:+UseSerialGC"}
# glibc's malloc keeps up to 8 arenas per core of 64 MB each; the JIT compilers' and Netty's native
# allocations spread over them (override with MALLOC_ARENA_MAX; empty for glibc's default)
SERVER_MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-2}
KEEP=${KEEP:-0}
SOTE_PID=""
SAMPLER_PID=""

build_jars() {
  if [ ! -f "$SERVER_JAR" ] || [ ! -f "$CLIENT_JAR" ]; then
    echo "building the jars (mvn -q -B -DskipTests package)" >&2
    (cd "$ROOT" && mvn -q -B -DskipTests package)
  fi
}

cleanup() {
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  if [ -n "$SOTE_PID" ]; then
    kill "$SOTE_PID" 2>/dev/null || true
    # the server's shutdown hook stops its embedded PostgreSQL; give it time
    for _ in $(seq 1 150); do kill -0 "$SOTE_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ "$KEEP" = 0 ]; then rm -rf "$WORK"; else echo "kept $WORK" >&2; fi
}

. "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

start_server() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/sote-acme-scale.XXXXXX")
  DATA="$WORK/data"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  SOTE_PORT=$(free_port)
  ADMIN_PORT=$(free_port)
  STATUS_PORT=$(free_port)
  bench_config "$DATA" "$SOTE_PORT" "$ADMIN_PORT" "$STATUS_PORT" "${EXTRA_CONFIG:+, $EXTRA_CONFIG}" \
    >"$WORK/sote-acme.json"
  # shellcheck disable=SC2086
  (cd "$WORK" && if [ -n "$SERVER_MALLOC_ARENA_MAX" ]; then export MALLOC_ARENA_MAX=$SERVER_MALLOC_ARENA_MAX; fi
   exec java $SERVER_JAVA_OPTS -Xlog:gc:file="$WORK/gc.log" -jar "$SERVER_JAR" --config "$WORK/sote-acme.json" \
    >"$WORK/sote-acme.log" 2>&1) &
  SOTE_PID=$!
  wait_for_port "$SOTE_PORT" 180 sote-acme "$WORK/sote-acme.log"
  wait_for_port "$ADMIN_PORT" 30 "sote-acme operator API" "$WORK/sote-acme.log"
  # the listeners answer 503 until the server has started: wait for the directory and the EAB endpoint
  local i
  for i in $(seq 1 1800); do
    curl -sf --max-time 2 --cacert "$DATA/tls/ca.pem" "https://localhost:$SOTE_PORT/directory" >/dev/null 2>&1 &&
      [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$ADMIN_PORT/admin/eab")" != 503 ] && break
    kill -0 "$SOTE_PID" 2>/dev/null || { echo "sote-acme stopped; its log:" >&2; tail -50 "$WORK/sote-acme.log" >&2; exit 1; }
    sleep 0.1
  done
  PG_PID=$(sed -n 1p "$DATA/pg/postmaster.pid")
  PG_PORT=$(sed -n 4p "$DATA/pg/postmaster.pid")
  SOTE_DIR="https://localhost:$SOTE_PORT/directory"
  echo "sote-acme $SOTE_DIR (pid $SOTE_PID, JVM options: ${SERVER_JAVA_OPTS:-none}, MALLOC_ARENA_MAX=${SERVER_MALLOC_ARENA_MAX:-unset}), postgres pid $PG_PID port $PG_PORT, work $WORK" >&2
}

sql() { # psql against the server's embedded database; arguments as psql's
  PGPASSWORD=postgres psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"
}

# GC pauses logged since the line count $1 of gc.log: "<count> pauses, max <ms>, total <ms>"
gc_pauses() {
  tail -n +"$(( ${1:-0} + 1 ))" "$WORK/gc.log" 2>/dev/null | awk '/Pause/ {
      v = $NF; sub(/ms$/, "", v); n++; t += v; if (v > m) m = v }
    END { printf "%d GC pauses, max %.1f ms, total %.0f ms", n, m, t }'
}
gc_lines() { wc -l <"$WORK/gc.log" 2>/dev/null || echo 0; }

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# Appends "<unix seconds> <phase> <VmRSS kB>" to $WORK/rss every $1 seconds; the phase is the
# content of $WORK/phase.
start_sampler() {
  echo start >"$WORK/phase"
  (while kill -0 "$SOTE_PID" 2>/dev/null; do
     echo "$(date +%s) $(cat "$WORK/phase") $(rss_kb "$SOTE_PID")" >>"$WORK/rss"
     sleep "$1"
   done) &
  SAMPLER_PID=$!
}

phase() { echo "$1" >"$WORK/phase"; }

# sote-acme bench against the server: bench OUT CLIENTS DURATION WARMUP
acme_bench() {
  java -Xmx512m -jar "$CLIENT_JAR" bench --server "$SOTE_DIR" --ca-bundle "$DATA/tls/ca.pem" \
    --profile sote-server-test --eab-endpoint "http://127.0.0.1:$ADMIN_PORT" \
    --eab-token "@$DATA/admin-token" --pids "server=$SOTE_PID,postgres=$PG_PID" \
    --clients "$2" --duration "$3" --warmup "$4" --json >"$1" 2>"$1.err" || {
    echo "sote-acme bench failed:" >&2; cat "$1.err" "$1" >&2; exit 1; }
  jq -c --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
    '{load: $load, certsPerSecond: .certificatesPerSecond, p50: .steps["full flow"].p50Ms, p99: .steps["full flow"].p99Ms, errors: .errors, cpuMs: .cpuMsPerCertificate}' "$1" >&2
}

#!/usr/bin/env bash
# Pebble and sote-acme on this machine, the same load against each in turn (A B A B), then the ratios.
#
#   bench/side-by-side.sh [--issuing-key generated|rsa2048] [--duration 20s] [--warmup 10s]
#                         [--clients 8] [--sote-clients 32] [--rounds 2] [--wrk] [--keep]
#
# --clients 8              the A B A B load. Debian's Pebble 2.4.0 deadlocks (every request hangs on
#                          its MemoryStore lock) within seconds at 16 or 32 concurrent clients, so
#                          the comparison runs at 8; see BENCHMARKS.md
# --sote-clients 32        then one more sote-acme run at this concurrency, the issue's 32 (0: none)
#
# --issuing-key generated  sote-acme's production configuration: the CA hierarchies it generates
#                          (RSA 4096 roots, RSA 3072 issuing CAs, sha512WithRSA)
# --issuing-key rsa2048    like-for-like with Pebble: RSA 2048 hierarchies made here with openssl and
#                          given to sote-acme as ca.production.* / ca.test.* (names of the test one say TEST)
# --wrk                    also bench/wrk.sh against both servers (GET newNonce, directory; shared and
#                          pinned cores, CPU per request)
#
# Loopback only. Pebble: Debian's /usr/bin/pebble with a TLS certificate made here,
# PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0, no EAB. sote-acme: the
# server jar with a temporary data directory, embedded PostgreSQL (synchronous_commit on),
# validation.skipForTestProfiles and orders for the sote-server-test profile, one EAB credential per
# account from the operator API. The last line is
#   full-flow certs/s ratio sote-acme/pebble: <x.xx>
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ISSUING=generated
DURATION=20s
WARMUP=10s
CLIENTS=8
SOTE_CLIENTS=32
ROUNDS=2
WRK=0
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --issuing-key) ISSUING="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --sote-clients) SOTE_CLIENTS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --wrk) WRK=1; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$ISSUING" in generated|rsa2048) ;; *) echo "--issuing-key generated|rsa2048" >&2; exit 2 ;; esac

SERVER_JAR="$ROOT/server/target/sote-acme-server.jar"
CLIENT_JAR="$ROOT/client-java/target/sote-acme.jar"
if [ ! -f "$SERVER_JAR" ] || [ ! -f "$CLIENT_JAR" ]; then
  echo "building the jars (mvn -q -B -DskipTests package)" >&2
  (cd "$ROOT" && mvn -q -B -DskipTests package)
fi
command -v pebble >/dev/null || { echo "pebble is not installed (apt-get install pebble)" >&2; exit 1; }

WORK="$(mktemp -d /tmp/side-by-side.XXXXXX)"
PEBBLE_PID=""
SOTE_PID=""
cleanup() {
  for pid in $SOTE_PID $PEBBLE_PID; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $SOTE_PID $PEBBLE_PID; do
    # the server's shutdown hook stops its embedded PostgreSQL; give it time
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  if [ "$KEEP" = 0 ]; then rm -rf "$WORK"; else echo "kept $WORK" >&2; fi
}
trap cleanup EXIT

. "$ROOT/bench/common.sh"

# ---- Pebble -------------------------------------------------------------------------------------
PEBBLE_PORT=$(free_port)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$WORK/pebble-key.pem" -out "$WORK/pebble-cert.pem" 2>/dev/null
cat >"$WORK/pebble.json" <<EOF
{"pebble": {
  "listenAddress": "127.0.0.1:$PEBBLE_PORT",
  "managementListenAddress": "127.0.0.1:$(free_port)",
  "certificate": "$WORK/pebble-cert.pem",
  "privateKey": "$WORK/pebble-key.pem",
  "httpPort": $(free_port),
  "tlsPort": $(free_port),
  "ocspResponderURL": "",
  "externalAccountBindingRequired": false
}}
EOF
start_pebble() {
  (cd "$WORK" && PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 \
    exec pebble -config "$WORK/pebble.json" >>"$WORK/pebble.log" 2>&1) &
  PEBBLE_PID=$!
  wait_for_port "$PEBBLE_PORT" 20 pebble "$WORK/pebble.log"
}
stop_pebble() {
  kill "$PEBBLE_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$PEBBLE_PID" 2>/dev/null || break; sleep 0.1; done
}
start_pebble
PEBBLE_DIR="https://127.0.0.1:$PEBBLE_PORT/dir"

# ---- sote-acme ----------------------------------------------------------------------------------
SOTE_PORT=$(free_port)
ADMIN_PORT=$(free_port)
STATUS_PORT=$(free_port)
DATA="$WORK/sote-data"
mkdir -p "$DATA"
CA_JSON=""
if [ "$ISSUING" = rsa2048 ]; then
  # Two RSA 2048 hierarchies (root + issuing CA), as Pebble's; the test one's names say TEST.
  make_hierarchy() { # name label
    local d="$WORK/ca-$1"
    mkdir -p "$d"
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$d/root-key.pem" 2>/dev/null
    openssl req -x509 -new -key "$d/root-key.pem" -sha256 -days 3650 -subj "/C=FI/O=sote-acme bench/CN=$2 Root CA" \
      -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -addext "subjectKeyIdentifier=hash" -out "$d/root.pem"
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$d/issuing-key.pem" 2>/dev/null
    openssl req -new -key "$d/issuing-key.pem" -subj "/C=FI/O=sote-acme bench/CN=$2 Issuing CA" -out "$d/issuing.csr"
    printf '%s\n' "basicConstraints=critical,CA:true,pathlen:0" "keyUsage=critical,keyCertSign,cRLSign" \
      "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" >"$d/ext.cnf"
    openssl x509 -req -in "$d/issuing.csr" -CA "$d/root.pem" -CAkey "$d/root-key.pem" -CAcreateserial \
      -sha256 -days 1825 -extfile "$d/ext.cnf" -out "$d/issuing.pem" 2>/dev/null
    cat "$d/issuing.pem" "$d/root.pem" >"$d/chain.pem"
    chmod 600 "$d"/*-key.pem
  }
  make_hierarchy production "sote-acme bench"
  make_hierarchy test "sote-acme bench TEST"
  CA_JSON=$(printf ',"ca": {"production": {"chainPem": "%s", "keyPem": "%s"}, "test": {"chainPem": "%s", "keyPem": "%s"}}' \
    "$WORK/ca-production/chain.pem" "$WORK/ca-production/issuing-key.pem" \
    "$WORK/ca-test/chain.pem" "$WORK/ca-test/issuing-key.pem")
fi
bench_config "$DATA" "$SOTE_PORT" "$ADMIN_PORT" "$STATUS_PORT" "$CA_JSON" >"$WORK/sote-acme.json"
JAVA_OPTS=${SOTE_ACME_JAVA_OPTS:-}
(cd "$WORK" && exec java $JAVA_OPTS -jar "$SERVER_JAR" --config "$WORK/sote-acme.json" >"$WORK/sote-acme.log" 2>&1) &
SOTE_PID=$!
wait_for_port "$SOTE_PORT" 180 sote-acme "$WORK/sote-acme.log"
wait_for_port "$ADMIN_PORT" 30 "sote-acme operator API" "$WORK/sote-acme.log"
# The sockets are bound before the routes exist; until then the server answers 503.
for _ in $(seq 1 300); do
  curl -sfk -o /dev/null "https://127.0.0.1:$SOTE_PORT/directory" && break
  sleep 0.1
done
PG_PID=$(head -1 "$DATA/pg/postmaster.pid")
SOTE_DIR="https://localhost:$SOTE_PORT/directory"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; issuing key: $ISSUING" >&2
echo "pebble $PEBBLE_DIR (pid $PEBBLE_PID); sote-acme $SOTE_DIR (pid $SOTE_PID, postgres $PG_PID)" >&2

bench() { # name out [clients]
  local args=(--clients "${3:-$CLIENTS}" --duration "$DURATION" --warmup "$WARMUP" --json)
  if [ "$1" = pebble ]; then
    args+=(--server "$PEBBLE_DIR" --ca-bundle "$WORK/pebble-cert.pem" --pids "server=$PEBBLE_PID")
  else
    args+=(--server "$SOTE_DIR" --ca-bundle "$DATA/tls/ca.pem" --profile sote-server-test
      --eab-endpoint "http://127.0.0.1:$ADMIN_PORT" --eab-token "@$DATA/admin-token"
      --pids "server=$SOTE_PID,postgres=$PG_PID")
  fi
  java -Xmx512m -jar "$CLIENT_JAR" bench "${args[@]}" >"$2" 2>"$2.err" || {
    echo "bench against $1 failed:" >&2; cat "$2.err" "$2" >&2; exit 1; }
  if jq -e '.errors.AcmeNetworkException or .certificates == 0' "$2" >/dev/null; then
    echo "WARNING: requests to $1 timed out during this run (Pebble's deadlock?); see $WORK/pebble.log" >&2
  fi
  jq -c --arg name "$1" --arg load "$(cut -d' ' -f1 /proc/loadavg)" \
    '{name: $name, load: $load, certsPerSecond: .certificatesPerSecond, p99: .steps["full flow"].p99Ms, errors: .errors, cpuMs: .cpuMsPerCertificate}' "$2" >&2
}

# sote-acme runs on a JVM: its first tens of seconds are spent compiling (JIT), at several times the
# CPU per request of the steady state a CA runs in for months. One unmeasured run warms it up first;
# Pebble, a Go binary, needs none. (JIT_WARMUP=0 to skip.)
if [ "${JIT_WARMUP:-30s}" != 0 ]; then
  java -Xmx512m -jar "$CLIENT_JAR" bench --clients "$CLIENTS" --duration "${JIT_WARMUP:-30s}" --warmup 0s \
    --server "$SOTE_DIR" --ca-bundle "$DATA/tls/ca.pem" --profile sote-server-test \
    --eab-endpoint "http://127.0.0.1:$ADMIN_PORT" --eab-token "@$DATA/admin-token" >"$WORK/jit-warmup.txt" 2>&1 || {
    echo "the warm-up run against sote-acme failed:" >&2; cat "$WORK/jit-warmup.txt" >&2; exit 1; }
  echo "sote-acme JIT warm-up: $(grep -m1 'certificates/s' "$WORK/jit-warmup.txt")" >&2
fi

RESULTS=()
for round in $(seq 1 "$ROUNDS"); do
  # A fresh Pebble for each of its runs: its 2.4.0 MemoryStore can deadlock under concurrent load,
  # and a restart also starts it from an empty store, as sote-acme's database is not.
  for attempt in 1 2 3; do
    stop_pebble
    start_pebble
    bench pebble "$WORK/pebble-$round.json"
    jq -e '.errors.AcmeNetworkException or .certificates == 0' "$WORK/pebble-$round.json" >/dev/null || break
    cp "$WORK/pebble-$round.json" "$WORK/stalled-pebble-$round-$attempt.json"
  done
  RESULTS+=("$WORK/pebble-$round.json")
  bench sote-acme "$WORK/sote-acme-$round.json"
  RESULTS+=("$WORK/sote-acme-$round.json")
done

EXTRA=""
if [ "$SOTE_CLIENTS" != 0 ]; then
  bench sote-acme "$WORK/extra-sote-acme.json" "$SOTE_CLIENTS"
  EXTRA="$WORK/extra-sote-acme.json"
fi

if [ "$WRK" = 1 ]; then
  "$ROOT/bench/wrk.sh" "$PEBBLE_DIR" "$SOTE_DIR" "${WRK_SECONDS:-10}" --pids "$PEBBLE_PID,$SOTE_PID" \
    $( [ "$(nproc)" -ge 2 ] && echo --pinned) >&2
fi

python3 - "$ISSUING" "$(cut -d' ' -f1-3 /proc/loadavg)" "$EXTRA" "${RESULTS[@]}" <<'EOF'
import json, statistics, sys
issuing, load, extra, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
runs = {"pebble": [], "sote-acme": []}
stalled = []
for f in files:
    r = json.load(open(f))
    name = "pebble" if "/pebble-" in f else "sote-acme"
    # A run with timed-out requests, or without a certificate (it hung during the warm-up), is one in which the server stopped answering (Pebble 2.4.0's
    # MemoryStore deadlock); its rate says nothing about the server's speed, so it is left out.
    if r["errors"].get("AcmeNetworkException") or r["certificates"] == 0:
        stalled.append(f"{name} run {f.rsplit('-', 1)[1].split('.')[0]}")
        continue
    runs[name].append(r)
def med(name, get):
    vals = [get(r) for r in runs[name] if get(r) is not None]
    return statistics.median(vals) if vals else float("nan")
rows = [
    ("full-flow certs/s", lambda r: r["certificatesPerSecond"]),
    ("full flow p50 ms", lambda r: r["steps"]["full flow"]["p50Ms"]),
    ("full flow p99 ms", lambda r: r["steps"]["full flow"]["p99Ms"]),
]
for step in ("newOrder", "authorization", "challenge", "finalize", "download"):
    rows.append((step + " p99 ms", lambda r, s=step: r["steps"][s]["p99Ms"]))
rows += [
    ("CPU ms/cert (server+db)", lambda r: r["cpuMsPerCertificate"]),
    ("  of which server", lambda r: r["cpu"]["server"]["msPerCertificate"]),
    ("  of which postgres", lambda r: r["cpu"].get("postgres", {}).get("msPerCertificate")),
    ("errors", lambda r: sum(r["errors"].values())),
]
print(f"{json.load(open(files[0]))['clients']} clients; issuing key: {issuing}; load average after: {load}; "
      f"medians of {len(runs['pebble'])} pebble and {len(runs['sote-acme'])} sote-acme runs (A B A B)"
      + (f"; left out, server stalled: {', '.join(stalled)}" if stalled else ""))
print(f"{'':26} {'pebble':>10} {'sote-acme':>10} {'ratio':>7}")
for label, get in rows:
    p, s = med("pebble", get), med("sote-acme", get)
    ratio = s / p if p else float("nan")
    fmt = lambda v: "-" if v != v else f"{v:.2f}"
    print(f"{label:26} {fmt(p):>10} {fmt(s):>10} {fmt(ratio):>7}")
print("per run certs/s: " + ", ".join(f"{r['server'].split('/')[2]} {r['certificatesPerSecond']:.2f}" for f in files for r in [json.load(open(f))]))
if extra:
    e = json.load(open(extra))
    print(f"sote-acme alone at {e['clients']} clients: {e['certificatesPerSecond']:.2f} certs/s, full flow p50 "
          f"{e['steps']['full flow']['p50Ms']:.1f} ms p99 {e['steps']['full flow']['p99Ms']:.1f} ms, "
          f"CPU {e['cpuMsPerCertificate']:.2f} ms/cert, errors {sum(e['errors'].values())}")
p, s = med("pebble", rows[0][1]), med("sote-acme", rows[0][1])
if p == p and s == s:
    print(f"full-flow certs/s ratio sote-acme/pebble: {s / p:.2f}")
else:
    # No complete run of one of them (Pebble's deadlock in every attempt): no ratio, and the script fails.
    print("full-flow certs/s ratio sote-acme/pebble: n/a (no complete run of "
          + ("pebble" if p != p else "sote-acme") + "; try --clients 4)")
    sys.exit(2)
EOF
